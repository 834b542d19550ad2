/*
 * ctl_dispatch.c - staff's steps on a case at dispatch, and the queue:
 *
 *   offer accept CASE LAWYER
 *   offer decline CASE LAWYER conflict|out-of-scope|capacity [REASON]
 *   offer decline CASE LAWYER other REASON
 *   assign CASE LAWYER [--staff NOTE] REASON
 *   advance CASE signed|started [--by NOTE] [--note T]
 *   advance CASE concluded --result T [--recovered YUAN] [--by NOTE] [--note T]
 *   advance CASE file-submitted --document D [--document D]... [--by NOTE]
 *   release CASE replacement REASON --evidence T [--by NOTE]
 *   release CASE refusal|own-counsel REASON [--by NOTE]
 *   terminate CASE 1..8|deception|...|other-law DETAIL [--by NOTE]
 *
 * What dispatch requires is refused here first, in one line: a decline
 * "other" says why, a concluded case has its result, a closing file its
 * documents (art. 50), a replacement its evidence (art. 55).
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
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "xalloc.h"
#include "dispatch.pb-c.h"
#include "i18n.h"
#include "matchrule.h"

int ctl_dispatch_send(ctl_t *ctl, Legalaid__Request__BodyCase body_case, ProtobufCMessage *body,
                      const char *case_id)
{
    ctl_ask_t a;
    ctl_ask_body(&a, CTL_DISPATCH, body_case, body);
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) {
        const Legalaid__Reply *r = a.reply;
        if (!ctl->json && r->body_case == LEGALAID__REPLY__BODY_ASSIGNMENT && r->assignment) {
            printf(_("case %s\n"), case_id);
            ctl_dispatch_show_assignment(ctl, r->assignment);
        } else if (!ctl->json && r->body_case == LEGALAID__REPLY__BODY__NOT_SET) {
            printf(_("case %s: done\n"), case_id);
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

int ctl_dispatch_offer_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    int first = ctl_args_parse("offer", argc, argv, opts, NULL, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    int n = argc - first;
    Legalaid__AnswerOffer ao = LEGALAID__ANSWER_OFFER__INIT;
    ao.has_accept = 1;
    if (n >= 1 && strcmp(w[0], "accept") == 0) {
        if (n != 3) return ctl_help_usage_error("offer", _("accept: give CASE-ID and LAWYER-ID"));
        ao.accept = 1;
    } else if (n >= 1 && strcmp(w[0], "decline") == 0) {
        static const char *const codes[] = {"", "conflict", "out-of-scope", "capacity", "other"};
        if (n < 4 || n > 5)
            return ctl_help_usage_error(
                "offer", _("decline: give CASE-ID, LAWYER-ID, the code and perhaps a REASON"));
        int code = ctl_dispatch_word(w[3], codes, 5, 0);
        if (code < 0)
            return ctl_help_usage_error(
                "offer", _("decline: '%s' is not conflict, out-of-scope, capacity or other"), w[3]);
        /* The decline is logged with its code (R-ASSIGN-06); other says why. */
        if (code == LEGALAID__DECLINE_CODE__DECLINE_OTHER && (n != 5 || !w[4][0]))
            return ctl_help_usage_error("offer", _("decline other needs its REASON"));
        ao.has_code = 1;
        ao.code = (Legalaid__DeclineCode)code;
        if (n == 5) ao.reason = w[4];
    } else {
        return ctl_help_usage_error("offer", _("give accept or decline"));
    }
    ao.case_id = w[1];
    ao.lawyer_id = w[2];
    return ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_ANSWER_OFFER, &ao.base, w[1]);
}

int ctl_dispatch_assign_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{"staff", required_argument, NULL, 1}, {NULL, 0, NULL, 0}};
    const char *staff = NULL;
    int first = ctl_args_parse("assign", argc, argv, opts, &staff, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    if (argc - first != 3)
        return ctl_help_usage_error("assign", _("give CASE-ID, LAWYER-ID and REASON"));
    Legalaid__AssignManually am = LEGALAID__ASSIGN_MANUALLY__INIT;
    am.case_id = w[0];
    am.lawyer_id = w[1];
    am.staff = (char *)staff;
    am.reason = w[2];
    return ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_ASSIGN_MANUALLY, &am.base, w[0]);
}

/* The steps of advance, and what dispatch requires of each. */
static const struct {
    const char *word;
    Legalaid__AssignmentState to;
} ctl_advance_steps[] = {
    {"signed", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED},
    {"started", LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS},
    {"concluded", LEGALAID__ASSIGNMENT_STATE__CONCLUDED},
    {"file-submitted", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED},
};

/* The words and options of advance into ac (documents into docs, room for
 * argc); CTL_EXIT_OK, or the usage error. */
static int ctl_advance_read(int argc, char **argv, Legalaid__AdvanceCase *ac, char **docs)
{
    enum { BY = 1, NOTE, RESULT, RECOVERED, DOCUMENT };
    static const struct option opts[] = {
        {"by", required_argument, NULL, BY},
        {"note", required_argument, NULL, NOTE},
        {"result", required_argument, NULL, RESULT},
        {"recovered", required_argument, NULL, RECOVERED},
        {"document", required_argument, &ctl_args_many, DOCUMENT}, /* once per document */
        {NULL, 0, NULL, 0},
    };
    const char **v = xcalloc((size_t)argc + DOCUMENT, sizeof *v);
    int first = ctl_args_parse("advance", argc, argv, opts, v, CTL_ARGS_PERMUTE);
    ac->by = (char *)v[BY - 1];
    ac->note = (char *)v[NOTE - 1];
    ac->result = (char *)v[RESULT - 1];
    const char *recovered = v[RECOVERED - 1];
    for (const char **d = v + DOCUMENT - 1; *d; d++) docs[ac->n_documents++] = (char *)*d;
    free(v);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    if (argc - first != 2) return ctl_help_usage_error("advance", _("give CASE-ID and the step"));
    for (size_t i = 0; i < sizeof ctl_advance_steps / sizeof ctl_advance_steps[0]; i++)
        if (strcmp(w[1], ctl_advance_steps[i].word) == 0) {
            ac->has_to = 1;
            ac->to = ctl_advance_steps[i].to;
        }
    if (!ac->has_to)
        return ctl_help_usage_error(
            "advance", _("'%s' is not signed, started, concluded or file-submitted"), w[1]);
    if (ac->to == LEGALAID__ASSIGNMENT_STATE__CONCLUDED && (!ac->result || !ac->result[0]))
        return ctl_help_usage_error(
            "advance", _("concluded needs --result TEXT (judgment, settlement, award ...)"));
    if (ac->to == LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED && ac->n_documents == 0)
        return ctl_help_usage_error("advance",
                                    _("file-submitted needs --document NAME for each document "
                                      "of the closing file (art. 50)"));
    if (recovered) {
        char *end;
        double yuan = strtod(recovered, &end);
        if (*end || end == recovered || yuan < 0 || yuan > 1e12)
            return ctl_help_usage_error("advance", _("--recovered '%s' is not an amount in yuan"),
                                        recovered);
        ac->has_amount_recovered_fen = 1;
        ac->amount_recovered_fen = (int64_t)(yuan * 100 + 0.5);
    }
    ac->case_id = w[0];
    return CTL_EXIT_OK;
}

int ctl_dispatch_advance_run(ctl_t *ctl, int argc, char **argv)
{
    char **documents = calloc((size_t)argc + 1, sizeof *documents);
    if (!documents) return CTL_EXIT_FAILURE;
    Legalaid__AdvanceCase ac = LEGALAID__ADVANCE_CASE__INIT;
    int status = ctl_advance_read(argc, argv, &ac, documents);
    ac.documents = documents;
    if (status == CTL_EXIT_OK)
        status = ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_ADVANCE_CASE, &ac.base, ac.case_id);
    free(documents);
    return status;
}

int ctl_dispatch_release_run(ctl_t *ctl, int argc, char **argv)
{
    enum { EVIDENCE = 1, BY };
    static const struct option opts[] = {{"evidence", required_argument, NULL, EVIDENCE},
                                         {"by", required_argument, NULL, BY},
                                         {NULL, 0, NULL, 0}};
    const char *v[BY] = {NULL};
    int first = ctl_args_parse("release", argc, argv, opts, v, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    static const char *const kinds[] = {"", "replacement", "refusal", "own-counsel"};
    if (argc - first != 3)
        return ctl_help_usage_error("release", _("give CASE-ID, the kind and the REASON"));
    int kind = ctl_dispatch_word(w[1], kinds, 4, 0);
    if (kind < 0)
        return ctl_help_usage_error("release", _("'%s' is not replacement, refusal or own-counsel"),
                                    w[1]);
    /* Legal Aid Law art. 55: a replacement shows the duties were not performed. */
    if (kind == LEGALAID__RELEASE_KIND__REPLACEMENT && (!v[EVIDENCE - 1] || !v[EVIDENCE - 1][0]))
        return ctl_help_usage_error("release", _("replacement needs --evidence TEXT (art. 55)"));
    Legalaid__ReleaseLawyer rl = LEGALAID__RELEASE_LAWYER__INIT;
    rl.case_id = w[0];
    rl.has_kind = 1;
    rl.kind = (Legalaid__ReleaseKind)kind;
    rl.reason = w[2];
    rl.evidence = (char *)v[EVIDENCE - 1];
    rl.by = (char *)v[BY - 1];
    return ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_RELEASE_LAWYER, &rl.base, w[0]);
}

int ctl_dispatch_terminate_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{"by", required_argument, NULL, 1}, {NULL, 0, NULL, 0}};
    const char *by = NULL;
    int first = ctl_args_parse("terminate", argc, argv, opts, &by, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    /* The grounds of Legal Aid Law art. 48, in its order. */
    static const char *const reasons[] = {"",
                                          "deception",
                                          "concealment",
                                          "unlawful-use",
                                          "means-changed",
                                          "matter-ended",
                                          "own-counsel",
                                          "recipient-request",
                                          "other-law"};
    if (argc - first != 3)
        return ctl_help_usage_error("terminate", _("give CASE-ID, the GROUND and the DETAIL"));
    int reason = ctl_dispatch_word(w[1], reasons, 9, 1);
    if (reason < 0)
        return ctl_help_usage_error("terminate",
                                    _("'%s' is not a ground of art. 48 (1 to 8, or deception, "
                                      "concealment, unlawful-use, means-changed, matter-ended, "
                                      "own-counsel, recipient-request, other-law)"),
                                    w[1]);
    Legalaid__TerminateAid ta = LEGALAID__TERMINATE_AID__INIT;
    ta.case_id = w[0];
    ta.has_reason = 1;
    ta.reason = (Legalaid__TerminationReason)reason;
    ta.detail = w[2];
    ta.by = (char *)by;
    return ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_TERMINATE_AID, &ta.base, w[0]);
}

/* --- dispatch queue ------------------------------------------------------- */

/* The columns of the queue, padded by display width. */
static const int ctl_queue_widths[] = {18, 12, 4, 17, 17};

static void ctl_queue_cells(const char *const *cells)
{
    for (int i = 0; i < 5; i++) {
        ctl_fmt_pad(cells[i], ctl_queue_widths[i]);
        putchar(' ');
    }
    printf("%s", cells[5]);
}

/* One row of the queue, as staff read it. */
static void ctl_queue_row(ctl_t *ctl, const Legalaid__Assignment *as)
{
    char due[CTL_TIME_MAX], lapse[CTL_TIME_MAX], why[MATCHRULE_TEXT_MAX];
    const char *cells[] = {ctl_fmt_str(as->case_id),
                           ctl_dispatch_show_state_name(as->state),
                           as->overdue ? _("OVERDUE") : "",
                           ctl_fmt_deadline(ctl, as->assign_due_at, due),
                           ctl_fmt_time(ctl, as->offer ? as->offer->expires_at : 0, lapse),
                           matchrule_assignment_reason(as, why)};
    ctl_queue_cells(cells);
    if (as->offer && as->offer->lawyer)
        printf(_(" [offered to %s %s]"), ctl_fmt_str(as->offer->lawyer->id),
               ctl_fmt_str(as->offer->lawyer->name));
    printf("\n");
}

/* Lists every case the query matches, a page (CTL_QUEUE_PAGE) at a time, so
 * that what is listed is what dispatch counts (its total and counters). */
#define CTL_QUEUE_PAGE 500

int ctl_dispatch_queue_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    int first = ctl_args_parse("dispatch", argc, argv, opts, NULL, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    int n = argc - first;
    if (n < 1 || strcmp(w[0], "queue") != 0)
        return ctl_help_usage_error("dispatch", _("give queue"));
    if (n > 2) return ctl_help_usage_error("dispatch", _("queue: give one state, or none"));
    Legalaid__DispatchQueueQuery q = LEGALAID__DISPATCH_QUEUE_QUERY__INIT;
    if (n == 2) {
        q.has_state = 1;
        if (strcmp(w[1], "waiting") == 0)
            q.state = LEGALAID__ASSIGNMENT_STATE__QUEUED;
        else if (strcmp(w[1], "offered") == 0)
            q.state = LEGALAID__ASSIGNMENT_STATE__OFFERED;
        else if (strcmp(w[1], "needs-staff") == 0)
            q.state = LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
        else if (strcmp(w[1], "overdue") == 0) {
            q.has_state = 0; /* every case still waiting past its 3 days */
            q.has_overdue = 1;
            q.overdue = 1;
        } else
            return ctl_help_usage_error(
                "dispatch", _("queue: '%s' is not waiting, offered, needs-staff or overdue"), w[1]);
    }
    q.has_max = q.has_offset = 1;
    q.max = CTL_QUEUE_PAGE;
    json_t *arr = ctl->json ? json_array() : NULL;
    if (!ctl->json) {
        const char *head[] = {_("case"), _("state"),        _("late"),
                              _("due"),  _("offer lapses"), _("reason")};
        ctl_queue_cells(head);
        printf("\n");
    }
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
        printf(_("%zu shown"), shown);
        if (total > shown) printf(_(" of %u (the queue changed while it was read)"), total);
        printf("\n");
    }
    return status;
}
