/*
 * ctl_intake.c - the commands that talk to intake:
 *
 *   apply FILE                 applications, one JSON object per line
 *   consult FILE               consultations (art. 23), one per line
 *   supply CASE-ID [MATERIAL...] [--commitment-signed] [--income YUAN] [--proof KIND]
 *   withdraw CASE-ID REASON
 *
 * apply and consult send one record per JSON line to intake (an
 * Application, a Consultation), pipelined (up to CTL_APPLY_WINDOW in
 * flight), each with its own fresh request_id so that a resend after
 * silence is answered once. Every line ends as "line N: CASE-ID" (or the
 * consultation's id) or "line N: field X: message", whether the file or
 * intake refused it.
 *
 * supply and withdraw are the applicant's own steps after applying: supply
 * brings in documents after the one notice of what is missing (art. 43(2))
 * and prints everything received so far; withdraw withdraws the
 * application.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "intake.pb-c.h"
#include "xalloc.h"

/* --- apply, consult ------------------------------------------------------- */

#define CTL_APPLY_WINDOW 256
/* Requests per pipeline run; each run gets the full timeout. */
#define CTL_APPLY_ROUND 2048

/* What one line is, and how it goes to intake. */
typedef struct ctl_apply_kind {
    const char *name;                         /* the command word */
    const char *what;                         /* "one application per line" */
    const ProtobufCMessageDescriptor *record; /* one line */
    const char *prefix;     /* intake's field paths start with it: "application" */
    const char *detail_key; /* --json key of what intake gave the line */
} ctl_apply_kind_t;

static const ctl_apply_kind_t ctl_apply_kinds[] = {
    {"apply", "one application per line", &legalaid__application__descriptor, "application",
     "case_id"},
    {"consult", "one consultation per line", &legalaid__consultation__descriptor, "consultation",
     "id"},
};

typedef struct ctl_apply {
    const ctl_apply_kind_t *kind;
    const ctl_records_t *recs;
    size_t first; /* index of the round's first record */
    unsigned char *answered;
    ctl_outcomes_t *out;
} ctl_apply_t;

/* intake names fields from the request ("application.applicant.phone");
 * the file's lines are the record itself ("applicant.phone"). */
static const char *ctl_apply_field(const ctl_apply_kind_t *kind, const char *field)
{
    if (!field) return NULL;
    size_t n = strlen(kind->prefix);
    if (strncmp(field, kind->prefix, n) != 0) return field;
    if (field[n] == 0) return NULL;
    return field[n] == '.' ? field + n + 1 : field;
}

static void ctl_apply_reply_cb(void *ctx, size_t index, const Legalaid__Reply *reply)
{
    ctl_apply_t *a = ctx;
    size_t i = a->first + index;
    size_t line = a->recs->items[i].line;
    a->answered[i] = 1;
    if (reply->code == LEGALAID__CODE__OK &&
        reply->body_case == LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED) {
        const Legalaid__ApplicationAccepted *acc = reply->application_accepted;
        ctl_outcomes_add(a->out, line, 1, NULL, ctl_fmt_str(acc->case_id));
        if (acc->has_linked && acc->linked)
            ctl_outcomes_note(a->out, "(linked: the open case of the same person on the same "
                                      "matter)");
        return;
    }
    if (reply->code == LEGALAID__CODE__OK &&
        reply->body_case == LEGALAID__REPLY__BODY_CONSULTATION && reply->consultation) {
        ctl_outcomes_add(a->out, line, 1, NULL, ctl_fmt_str(reply->consultation->id));
        return;
    }
    if (reply->code == LEGALAID__CODE__OK) {
        ctl_outcomes_add(a->out, line, 1, NULL, NULL);
        return;
    }
    if (reply->code == LEGALAID__CODE__INVALID_FIELD) {
        ctl_outcomes_add(a->out, line, 0, ctl_apply_field(a->kind, reply->field),
                         ctl_fmt_str(reply->error));
        return;
    }
    char why[600];
    ctl_outcomes_add(a->out, line, 0, NULL, ctl_ask_reply_problem(reply, why, sizeof why));
}

/* Packs one line's request. */
static void ctl_apply_pack(const ctl_apply_kind_t *kind, ProtobufCMessage *msg,
                           const char *request_id, buf_t *frame)
{
    Legalaid__SubmitApplication submit = LEGALAID__SUBMIT_APPLICATION__INIT;
    Legalaid__RecordConsultation record = LEGALAID__RECORD_CONSULTATION__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = (char *)request_id;
    if (kind->record == &legalaid__consultation__descriptor) {
        record.consultation = (Legalaid__Consultation *)msg;
        req.body_case = LEGALAID__REQUEST__BODY_RECORD_CONSULTATION;
        req.record_consultation = &record;
    } else {
        submit.application = (Legalaid__Application *)msg;
        req.body_case = LEGALAID__REQUEST__BODY_SUBMIT_APPLICATION;
        req.submit_application = &submit;
    }
    client_pack(&req, frame);
}

/* Sends records [first, first + n) and waits for their replies. */
static int ctl_apply_round(client_t *c, ctl_apply_t *a, size_t first, size_t n)
{
    buf_t *frames = xcalloc(n, sizeof *frames);
    char **ids = xcalloc(n, sizeof *ids);
    for (size_t k = 0; k < n; k++) {
        ids[k] = xmalloc(33);
        client_request_id(ids[k]);
        ctl_apply_pack(a->kind, a->recs->items[first + k].msg, ids[k], &frames[k]);
    }
    a->first = first;
    int rc = client_pipeline(c, frames, ids, n, CTL_APPLY_WINDOW, ctl_apply_reply_cb, a);
    for (size_t k = 0; k < n; k++) {
        buf_free(&frames[k]);
        free(ids[k]);
    }
    free(frames);
    free(ids);
    return rc;
}

static void ctl_apply_summary(const ctl_t *ctl, const char *path, const ctl_outcomes_t *out,
                              size_t unanswered)
{
    if (ctl->json) {
        json_t *j = json_object();
        json_object_set_new(j, "accepted", json_integer((json_int_t)out->accepted));
        json_object_set_new(j, "rejected", json_integer((json_int_t)out->rejected));
        json_object_set_new(j, "unanswered", json_integer((json_int_t)unanswered));
        json_dumpf(j, stdout, JSON_COMPACT);
        fputc('\n', stdout);
        json_decref(j);
        return;
    }
    printf("%s: %zu accepted, %zu rejected", strcmp(path, "-") == 0 ? "stdin" : path, out->accepted,
           out->rejected);
    if (unanswered) printf(", %zu not answered", unanswered);
    printf("\n");
}

static int ctl_apply_send(ctl_t *ctl, const ctl_apply_kind_t *kind, int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: legalaidctl %s FILE   (JSON Lines, %s; - for stdin)\n", kind->name,
                kind->what);
        return CTL_EXIT_FAILURE;
    }
    const char *path = argv[1];
    arena_t arena;
    arena_init(&arena);
    ctl_records_t recs = {0};
    ctl_outcomes_t out = {0};
    out.detail_key = kind->detail_key;
    if (ctl_records_read(ctl, path, kind->record, &arena, &recs, &out) < 0) {
        arena_destroy(&arena);
        return CTL_EXIT_FAILURE;
    }
    int status = CTL_EXIT_OK;
    size_t unanswered = 0;
    if (recs.n > 0) {
        client_t *c = ctl_config_client_open(ctl, CTL_INTAKE, ctl->timeout_ms);
        if (!c) {
            status = CTL_EXIT_FAILURE;
            unanswered = recs.n;
        } else {
            ctl_apply_t a = {kind, &recs, 0, xcalloc(recs.n, 1), &out};
            for (size_t first = 0; first < recs.n; first += CTL_APPLY_ROUND) {
                size_t n = recs.n - first < CTL_APPLY_ROUND ? recs.n - first : CTL_APPLY_ROUND;
                if (ctl_apply_round(c, &a, first, n) != 0) break;
            }
            for (size_t i = 0; i < recs.n; i++) {
                if (a.answered[i]) continue;
                unanswered++;
                char why[CTL_ENDPOINT_MAX + 200];
                snprintf(why, sizeof why,
                         "no answer from intake at %s within %d ms: not known whether it went in",
                         ctl->endpoints[CTL_INTAKE], ctl->timeout_ms);
                ctl_outcomes_add(&out, recs.items[i].line, 0, NULL, why);
                out.rejected--; /* counted apart as not answered */
            }
            free(a.answered);
            client_destroy(&c);
        }
    }
    ctl_outcomes_print(ctl, &out);
    ctl_apply_summary(ctl, path, &out, unanswered);
    if (unanswered)
        status = CTL_EXIT_FAILURE;
    else if (out.rejected)
        status = CTL_EXIT_REJECTED;
    ctl_outcomes_free(&out);
    ctl_records_free(&recs);
    arena_destroy(&arena);
    return status;
}

int ctl_intake_apply_run(ctl_t *ctl, int argc, char **argv)
{
    return ctl_apply_send(ctl, &ctl_apply_kinds[0], argc, argv);
}

int ctl_intake_consult_run(ctl_t *ctl, int argc, char **argv)
{
    return ctl_apply_send(ctl, &ctl_apply_kinds[1], argc, argv);
}

/* --- supply, withdraw ----------------------------------------------------- */

/* Prints "materials   a; b; c" from whatever body intake answered with. */
static void ctl_supply_print(const ctl_t *ctl, const char *case_id, const Legalaid__Reply *r)
{
    char *const *items = NULL;
    size_t n = 0;
    if (r->body_case == LEGALAID__REPLY__BODY_APPLICATION && r->application) {
        items = r->application->materials;
        n = r->application->n_materials;
    } else if (r->body_case == LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED &&
               r->application_accepted) {
        items = r->application_accepted->materials_received;
        n = r->application_accepted->n_materials_received;
    } else {
        ctl_show_reply(ctl, case_id, r);
        return;
    }
    if (ctl->json) {
        ctl_show_reply(ctl, case_id, r);
        return;
    }
    printf("case %s: materials received (%zu)\n", case_id, n);
    for (size_t i = 0; i < n; i++) printf("  %s\n", ctl_fmt_str(items[i]));
}

static int ctl_supply_usage(void)
{
    fprintf(
        stderr,
        "usage: legalaidctl supply CASE-ID [MATERIAL...] [--commitment-signed] [--income YUAN]\n"
        "                          [--proof KIND]\n"
        "  MATERIAL            each document brought in, like 收入证明 or 劳动合同\n"
        "  --commitment-signed the applicant signed the commitment letter (art. 41)\n"
        "  --income YUAN       household income per head per month, from the statement\n"
        "  --proof KIND        no_fixed_income, social_assistance, judicial_assistance,\n"
        "                      special_care or migrant_wages_or_injury (art. 42)\n");
    return CTL_EXIT_FAILURE;
}

/* The HardshipProof value named by text (lower-case or .proto name), or -1. */
static int ctl_supply_proof(const char *text)
{
    const ProtobufCEnumDescriptor *desc = &legalaid__hardship_proof__descriptor;
    for (unsigned i = 0; i < desc->n_values; i++) {
        const char *name = desc->values[i].name;
        if (desc->values[i].value == 0) continue;
        size_t n = strlen(name);
        if (strlen(text) != n) continue;
        size_t k = 0;
        while (k < n && (text[k] == name[k] || text[k] == name[k] - 'A' + 'a')) k++;
        if (k == n) return desc->values[i].value;
    }
    return -1;
}

int ctl_intake_supply_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc < 3 || !argv[1][0]) return ctl_supply_usage();
    Legalaid__SupplyMaterials sm = LEGALAID__SUPPLY_MATERIALS__INIT;
    sm.case_id = argv[1];
    char **materials = calloc((size_t)argc, sizeof *materials);
    if (!materials) return CTL_EXIT_FAILURE;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--commitment-signed")) {
            sm.has_commitment_signed = sm.commitment_signed = 1;
        } else if (!strcmp(arg, "--income") && i + 1 < argc) {
            char *end;
            double yuan = strtod(argv[++i], &end);
            if (*end || end == argv[i] || yuan < 0 || yuan > 1e9) {
                fprintf(stderr, "legalaidctl: supply: --income '%s' is not an amount in yuan\n",
                        argv[i]);
                free(materials);
                return CTL_EXIT_FAILURE;
            }
            sm.has_household_income_fen = 1;
            sm.household_income_fen = (int64_t)(yuan * 100 + 0.5);
        } else if (!strcmp(arg, "--proof") && i + 1 < argc) {
            int proof = ctl_supply_proof(argv[++i]);
            if (proof < 0) {
                fprintf(stderr, "legalaidctl: supply: --proof '%s' is not a proof of status\n",
                        argv[i]);
                free(materials);
                return ctl_supply_usage();
            }
            sm.has_hardship_proof = 1;
            sm.hardship_proof = (Legalaid__HardshipProof)proof;
        } else if (arg[0] == '-' && arg[1] == '-') {
            free(materials);
            return ctl_supply_usage();
        } else if (!arg[0]) {
            fprintf(stderr, "legalaidctl: supply: material %d is empty; name each document\n",
                    (int)sm.n_materials + 1);
            free(materials);
            return CTL_EXIT_FAILURE;
        } else {
            materials[sm.n_materials++] = argv[i];
        }
    }
    if (!sm.n_materials && !sm.has_commitment_signed && !sm.has_household_income_fen &&
        !sm.has_hardship_proof) {
        free(materials);
        return ctl_supply_usage();
    }
    sm.materials = materials;
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_INTAKE);
    a.req.body_case = LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS;
    a.req.supply_materials = &sm;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) ctl_supply_print(ctl, argv[1], a.reply);
    ctl_ask_free(&a, 1);
    free(materials);
    return status;
}

int ctl_intake_withdraw_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc != 3 || !argv[1][0] || !argv[2][0]) {
        fprintf(stderr, "usage: legalaidctl withdraw CASE-ID REASON   (the applicant's own "
                        "words; quote it)\n");
        return CTL_EXIT_FAILURE;
    }
    Legalaid__WithdrawApplication w = LEGALAID__WITHDRAW_APPLICATION__INIT;
    w.case_id = argv[1];
    w.reason = argv[2];
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_INTAKE);
    a.req.body_case = LEGALAID__REQUEST__BODY_WITHDRAW_APPLICATION;
    a.req.withdraw_application = &w;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) {
        if (ctl->json || (a.reply->body_case != LEGALAID__REPLY__BODY__NOT_SET &&
                          a.reply->body_case != LEGALAID__REPLY__BODY_APPLICATION))
            ctl_show_reply(ctl, argv[1], a.reply);
        else
            printf("case %s: withdrawn by the applicant: %s\n", argv[1], argv[2]);
    }
    ctl_ask_free(&a, 1);
    return status;
}
