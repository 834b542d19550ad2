/*
 * ctl_dispatch.c - staff's steps on a case at dispatch, and the queue:
 *
 *   offer accept CASE LAWYER
 *   offer decline CASE LAWYER conflict|out-of-scope|capacity|other [REASON]
 *   assign CASE LAWYER [--staff NOTE] REASON
 *   advance CASE signed|started|concluded|file-submitted [--by NOTE]
 *           [--note T] [--result T] [--recovered YUAN] [--document D]...
 *   release CASE replacement|refusal|own-counsel REASON [--evidence T] [--by NAME]
 *   terminate CASE 1..8|deception|...|other-law DETAIL [--by NOTE]
 *
 * Who acts is the principal of the key (legalaidctl -k); a typed --staff or
 * --by is only a note beside it (issue 11).
 *
 * Each sends one request to dispatch and prints the case's assignment as
 * dispatch answers it (ctl_dispatch_show.c), or dispatch's refusal with
 * its code, message and field.
 *
 *   dispatch queue [waiting|offered|needs-staff|overdue]
 *       the cases not yet assigned, with the reason and the due time
 *
 * The rest of dispatch's commands: the pool (`lawyers`, `import lawyers`)
 * in ctl_dispatch_lawyers.c, the file review (`review`) in
 * ctl_dispatch_review.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "dispatch.pb-c.h"

/* An option given with a word that starts with "--": not one we know. */
static int ctl_dispatch_stray(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--", 2) == 0) {
            fprintf(stderr, "legalaidctl: %s: unknown option %s\n", argv[0], argv[i]);
            return 1;
        }
    return 0;
}

int ctl_dispatch_send(ctl_t *ctl, Legalaid__Request__BodyCase body_case, ProtobufCMessage *body,
                      const char *case_id)
{
    ctl_ask_t a;
    ctl_ask_body(&a, CTL_DISPATCH, body_case, body);
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) {
        const Legalaid__Reply *r = a.reply;
        if (!ctl->json && r->body_case == LEGALAID__REPLY__BODY_ASSIGNMENT && r->assignment) {
            printf("case %s\n", case_id);
            ctl_dispatch_show_assignment(ctl, r->assignment);
        } else if (!ctl->json && r->body_case == LEGALAID__REPLY__BODY__NOT_SET) {
            printf("case %s: done\n", case_id);
        } else {
            ctl_show_reply(ctl, case_id, r);
        }
    }
    ctl_ask_free(&a, 1);
    return status;
}

/* The value of word among names[1..n-1] (names[v] for value v), or the
 * number 1..n-1 itself when digits allowed; -1 when none. */
static int ctl_dispatch_word(const char *word, const char *const *names, int n, int digits)
{
    for (int v = 1; v < n; v++)
        if (strcmp(word, names[v]) == 0) return v;
    if (digits) {
        char *end;
        long v = strtol(word, &end, 10);
        if (!*end && end != word && v >= 1 && v < n) return (int)v;
    }
    return -1;
}

/* The words CASE-ID GROUND TEXT left once the options are out (argc 4):
 * GROUND's value among names as ctl_dispatch_word reads it, or -1 after
 * printing usage when the words are not that (or an option is unknown). */
static int ctl_dispatch_ground(int argc, char **argv, const char *const *names, int n, int digits,
                               const char *usage)
{
    int v = argc == 4 ? ctl_dispatch_word(argv[2], names, n, digits) : -1;
    if (argc != 4 || v < 0 || ctl_dispatch_stray(argc, argv)) {
        fputs(usage, stderr);
        return -1;
    }
    return v;
}

static int ctl_offer_usage(void)
{
    fprintf(stderr,
            "usage: legalaidctl offer accept CASE-ID LAWYER-ID\n"
            "       legalaidctl offer decline CASE-ID LAWYER-ID conflict|out-of-scope|capacity|"
            "other [REASON]\n"
            "  a decline is logged with its code (R-ASSIGN-06); other needs a REASON\n");
    return CTL_EXIT_FAILURE;
}

int ctl_dispatch_offer_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc < 4 || ctl_dispatch_stray(argc, argv)) return ctl_offer_usage();
    Legalaid__AnswerOffer ao = LEGALAID__ANSWER_OFFER__INIT;
    ao.case_id = argv[2];
    ao.lawyer_id = argv[3];
    ao.has_accept = 1;
    if (strcmp(argv[1], "accept") == 0) {
        if (argc != 4) return ctl_offer_usage();
        ao.accept = 1;
    } else if (strcmp(argv[1], "decline") == 0) {
        static const char *const codes[] = {"", "conflict", "out-of-scope", "capacity", "other"};
        if (argc < 5 || argc > 6) return ctl_offer_usage();
        int code = ctl_dispatch_word(argv[4], codes, 5, 0);
        if (code < 0) {
            fprintf(stderr,
                    "legalaidctl: offer decline: '%s' is not conflict, out-of-scope, "
                    "capacity or other\n",
                    argv[4]);
            return CTL_EXIT_FAILURE;
        }
        ao.has_code = 1;
        ao.code = (Legalaid__DeclineCode)code;
        if (argc == 6) ao.reason = argv[5];
    } else {
        return ctl_offer_usage();
    }
    return ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_ANSWER_OFFER, &ao.base, argv[2]);
}

int ctl_dispatch_assign_run(ctl_t *ctl, int argc, char **argv)
{
    const char *staff = NULL;
    argc = ctl_option_take(argc, argv, "--staff", &staff);
    if (argc != 4 || ctl_dispatch_stray(argc, argv)) {
        fprintf(stderr, "usage: legalaidctl assign CASE-ID LAWYER-ID [--staff NOTE] REASON\n"
                        "  every hard rule still holds; kept out of the fairness count\n");
        return CTL_EXIT_FAILURE;
    }
    Legalaid__AssignManually am = LEGALAID__ASSIGN_MANUALLY__INIT;
    am.case_id = argv[1];
    am.lawyer_id = argv[2];
    am.staff = (char *)staff;
    am.reason = argv[3];
    return ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_ASSIGN_MANUALLY, &am.base, argv[1]);
}

static int ctl_advance_usage(void)
{
    fprintf(stderr, "usage: legalaidctl advance CASE-ID signed|started|concluded|file-submitted\n"
                    "         [--by NOTE] [--note TEXT] [--result TEXT] [--recovered YUAN]\n"
                    "         [--document NAME]...   (--by: who records the step, always;\n"
                    "                                  --result, --recovered: concluded;\n"
                    "                                  --document: file-submitted, one or more)\n");
    return CTL_EXIT_FAILURE;
}

int ctl_dispatch_advance_run(ctl_t *ctl, int argc, char **argv)
{
    const char *by = NULL, *note = NULL, *result = NULL, *recovered = NULL;
    char **documents = calloc((size_t)argc + 1, sizeof *documents);
    if (!documents) return CTL_EXIT_FAILURE;
    size_t ndocs = 0;
    int out = 0;
    for (int i = 0; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--by")          ? &by
                            : !strcmp(argv[i], "--note")      ? &note
                            : !strcmp(argv[i], "--result")    ? &result
                            : !strcmp(argv[i], "--recovered") ? &recovered
                                                              : NULL;
        if (slot || !strcmp(argv[i], "--document")) {
            if (i + 1 >= argc) {
                free(documents);
                return ctl_advance_usage();
            }
            if (slot)
                *slot = argv[++i];
            else
                documents[ndocs++] = argv[++i];
            continue;
        }
        argv[out++] = argv[i];
    }
    argc = out;
    if (argc != 3 || ctl_dispatch_stray(argc, argv)) {
        free(documents);
        return ctl_advance_usage();
    }
    static const struct {
        const char *word;
        Legalaid__AssignmentState to;
    } steps[] = {
        {"signed", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED},
        {"started", LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS},
        {"concluded", LEGALAID__ASSIGNMENT_STATE__CONCLUDED},
        {"file-submitted", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED},
    };
    Legalaid__AdvanceCase ac = LEGALAID__ADVANCE_CASE__INIT;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (strcmp(argv[2], steps[i].word) == 0) {
            ac.has_to = 1;
            ac.to = steps[i].to;
        }
    if (!ac.has_to) {
        fprintf(stderr,
                "legalaidctl: advance: '%s' is not signed, started, concluded or "
                "file-submitted\n",
                argv[2]);
        free(documents);
        return CTL_EXIT_FAILURE;
    }
    if (ac.to == LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED && ndocs == 0) {
        fprintf(stderr, "legalaidctl: advance: file-submitted needs --document NAME for each "
                        "document of the closing file (art. 50)\n");
        free(documents);
        return ctl_advance_usage();
    }
    if (recovered) {
        char *end;
        double yuan = strtod(recovered, &end);
        if (*end || end == recovered || yuan < 0 || yuan > 1e12) {
            fprintf(stderr, "legalaidctl: advance: --recovered '%s' is not an amount in yuan\n",
                    recovered);
            free(documents);
            return CTL_EXIT_FAILURE;
        }
        ac.has_amount_recovered_fen = 1;
        ac.amount_recovered_fen = (int64_t)(yuan * 100 + 0.5);
    }
    ac.case_id = argv[1];
    ac.by = (char *)by;
    ac.note = (char *)note;
    ac.result = (char *)result;
    ac.documents = documents;
    ac.n_documents = ndocs;
    int status = ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_ADVANCE_CASE, &ac.base, argv[1]);
    free(documents);
    return status;
}

int ctl_dispatch_release_run(ctl_t *ctl, int argc, char **argv)
{
    const char *evidence = NULL, *by = NULL;
    argc = ctl_option_take(argc, argv, "--evidence", &evidence);
    if (argc >= 0) argc = ctl_option_take(argc, argv, "--by", &by);
    static const char *const kinds[] = {"", "replacement", "refusal", "own-counsel"};
    int kind = ctl_dispatch_ground(
        argc, argv, kinds, 4, 0,
        "usage: legalaidctl release CASE-ID replacement|refusal|own-counsel REASON\n"
        "         [--evidence TEXT] [--by NAME]\n"
        "  replacement: the recipient asks, with evidence (art. 55)\n"
        "  refusal:     the defendant refuses the lawyer: 5 days to retain one\n"
        "  own-counsel: own counsel retained after a refusal (art. 48(6))\n");
    if (kind < 0) return CTL_EXIT_FAILURE;
    Legalaid__ReleaseLawyer rl = LEGALAID__RELEASE_LAWYER__INIT;
    rl.case_id = argv[1];
    rl.has_kind = 1;
    rl.kind = (Legalaid__ReleaseKind)kind;
    rl.reason = argv[3];
    rl.evidence = (char *)evidence;
    rl.by = (char *)by;
    return ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_RELEASE_LAWYER, &rl.base, argv[1]);
}

int ctl_dispatch_terminate_run(ctl_t *ctl, int argc, char **argv)
{
    const char *by = NULL;
    argc = ctl_option_take(argc, argv, "--by", &by);
    static const char *const reasons[] = {"",
                                          "deception",
                                          "concealment",
                                          "unlawful-use",
                                          "means-changed",
                                          "matter-ended",
                                          "own-counsel",
                                          "recipient-request",
                                          "other-law"};
    int reason = ctl_dispatch_ground(
        argc, argv, reasons, 9, 1,
        "usage: legalaidctl terminate CASE-ID GROUND DETAIL [--by NOTE]\n"
        "  who decides is the principal of the key used; --by NOTE is kept as a note\n"
        "  GROUND (Legal Aid Law art. 48): 1 deception, 2 concealment, 3 unlawful-use,\n"
        "  4 means-changed, 5 matter-ended, 6 own-counsel, 7 recipient-request,\n"
        "  8 other-law; the recipient may object (art. 49)\n");
    if (reason < 0) return CTL_EXIT_FAILURE;
    Legalaid__TerminateAid ta = LEGALAID__TERMINATE_AID__INIT;
    ta.case_id = argv[1];
    ta.has_reason = 1;
    ta.reason = (Legalaid__TerminationReason)reason;
    ta.detail = argv[3];
    ta.by = (char *)by;
    return ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_TERMINATE_AID, &ta.base, argv[1]);
}

/* --- dispatch queue ------------------------------------------------------- */

static int ctl_queue_usage(void)
{
    fprintf(stderr, "usage: legalaidctl [--json] dispatch queue [waiting|offered|needs-staff|"
                    "overdue]\n");
    return CTL_EXIT_FAILURE;
}

/* One row of the queue, as staff read it. */
static void ctl_queue_row(ctl_t *ctl, const Legalaid__Assignment *as)
{
    char due[CTL_TIME_MAX], lapse[CTL_TIME_MAX];
    printf("%-18s %-12s %-4s %-17s %-17s %s", ctl_fmt_str(as->case_id),
           ctl_dispatch_show_state_name(as->state), as->overdue ? "yes" : "",
           ctl_fmt_deadline(ctl, as->assign_due_at, due),
           ctl_fmt_time(ctl, as->offer ? as->offer->expires_at : 0, lapse),
           ctl_fmt_str(as->reason));
    if (as->offer && as->offer->lawyer)
        printf(" [offered to %s %s]", ctl_fmt_str(as->offer->lawyer->id),
               ctl_fmt_str(as->offer->lawyer->name));
    printf("\n");
}

/* Lists every case the query matches, a page (CTL_QUEUE_PAGE) at a time, so
 * that what is listed is what dispatch counts (its total and counters). */
#define CTL_QUEUE_PAGE 500

int ctl_dispatch_queue_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2 || argc > 3 || strcmp(argv[1], "queue") != 0) return ctl_queue_usage();
    Legalaid__DispatchQueueQuery q = LEGALAID__DISPATCH_QUEUE_QUERY__INIT;
    if (argc == 3) {
        q.has_state = 1;
        if (strcmp(argv[2], "waiting") == 0)
            q.state = LEGALAID__ASSIGNMENT_STATE__QUEUED;
        else if (strcmp(argv[2], "offered") == 0)
            q.state = LEGALAID__ASSIGNMENT_STATE__OFFERED;
        else if (strcmp(argv[2], "needs-staff") == 0)
            q.state = LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
        else if (strcmp(argv[2], "overdue") == 0) {
            q.has_state = 0; /* every case still waiting past its 3 days */
            q.has_overdue = 1;
            q.overdue = 1;
        } else
            return ctl_queue_usage();
    }
    q.has_max = q.has_offset = 1;
    q.max = CTL_QUEUE_PAGE;
    json_t *arr = ctl->json ? json_array() : NULL;
    if (!ctl->json)
        printf("%-18s %-12s %-4s %-17s %-17s %s\n", "case", "state", "late", "due", "offer lapses",
               "reason");
    size_t shown = 0;
    uint32_t total = 0;
    int status = CTL_EXIT_OK;
    for (;;) {
        q.offset = (uint32_t)shown;
        ctl_ask_t a;
        ctl_ask_init(&a, CTL_DISPATCH);
        a.req.body_case = LEGALAID__REQUEST__BODY_DISPATCH_QUEUE;
        a.req.dispatch_queue = &q;
        status = ctl_ask_one(ctl, &a);
        if (status != CTL_EXIT_OK) {
            ctl_ask_free(&a, 1);
            break;
        }
        const Legalaid__DispatchQueue *dq =
            a.reply->body_case == LEGALAID__REPLY__BODY_DISPATCH_QUEUE ? a.reply->dispatch_queue
                                                                       : NULL;
        size_t page = dq ? dq->n_cases : 0;
        total = dq ? dq->total : 0;
        for (size_t i = 0; i < page; i++) {
            if (arr)
                json_array_append_new(arr, ctl_json_from_message(&dq->cases[i]->base, 1));
            else
                ctl_queue_row(ctl, dq->cases[i]);
        }
        shown += page;
        ctl_ask_free(&a, 1);
        if (page == 0 || shown >= total) break;
    }
    if (status != CTL_EXIT_OK) {
        if (arr) json_decref(arr);
        return status;
    }
    if (arr) {
        json_t *j = json_object();
        json_object_set_new(j, "cases", arr);
        json_object_set_new(j, "total", json_integer((json_int_t)total));
        ctl_json_print(j);
    } else {
        printf("%zu shown", shown);
        if (total > shown) printf(" of %u (the queue changed while it was read)", total);
        printf("\n");
    }
    return status;
}
