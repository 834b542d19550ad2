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
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"
#include "intake.pb-c.h"
#include "xalloc.h"

/* --- apply, consult ------------------------------------------------------- */

#define CTL_APPLY_WINDOW 256
/* Requests per pipeline run; each run gets the full timeout. */
#define CTL_APPLY_ROUND 2048

/* What one line is, and how it goes to intake. */
typedef struct ctl_apply_kind {
    const char *name;                         /* the command word */
    const ProtobufCMessageDescriptor *record; /* one line */
    const char *prefix;     /* intake's field paths start with it: "application" */
    const char *detail_key; /* --json key of what intake gave the line */
} ctl_apply_kind_t;

static const ctl_apply_kind_t ctl_apply_kinds[] = {
    {"apply", &legalaid__application__descriptor, "application", "case_id"},
    {"consult", &legalaid__consultation__descriptor, "consultation", "id"},
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
            ctl_outcomes_note(a->out, _("(linked: the open case of the same person on the "
                                        "same matter)"));
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
    printf(_("%s: %zu accepted, %zu rejected"), strcmp(path, "-") == 0 ? _("stdin") : path,
           out->accepted, out->rejected);
    if (unanswered) printf(_(", %zu not answered"), unanswered);
    printf("\n");
}

static int ctl_apply_send(ctl_t *ctl, const ctl_apply_kind_t *kind, int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    int first = ctl_args_parse(kind->name, argc, argv, opts, NULL, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 1)
        return ctl_help_usage_error(kind->name, argc == first ? _("give the FILE (- for stdin)")
                                                              : _("give one FILE, not more"));
    const char *path = argv[first];
    ctl_outcomes_lang(ctl);
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
            for (size_t from = 0; from < recs.n; from += CTL_APPLY_ROUND) {
                size_t n = recs.n - from < CTL_APPLY_ROUND ? recs.n - from : CTL_APPLY_ROUND;
                if (ctl_apply_round(c, &a, from, n) != 0) break;
            }
            for (size_t i = 0; i < recs.n; i++) {
                if (a.answered[i]) continue;
                unanswered++;
                char why[CTL_ENDPOINT_MAX + 200];
                snprintf(why, sizeof why,
                         _("no answer from intake at %s within %d ms: not known whether it "
                           "went in"),
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
    printf(_("case %s: materials received (%zu)\n"), case_id, n);
    for (size_t i = 0; i < n; i++) printf("  %s\n", ctl_fmt_str(items[i]));
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
    enum { SIGNED = 1, INCOME, PROOF };
    static const struct option opts[] = {{"commitment-signed", no_argument, NULL, SIGNED},
                                         {"income", required_argument, NULL, INCOME},
                                         {"proof", required_argument, NULL, PROOF},
                                         {NULL, 0, NULL, 0}};
    const char *v[PROOF] = {NULL};
    int first = ctl_args_parse("supply", argc, argv, opts, v, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (first >= argc || !argv[first][0])
        return ctl_help_usage_error("supply", _("give the CASE-ID"));
    Legalaid__SupplyMaterials sm = LEGALAID__SUPPLY_MATERIALS__INIT;
    sm.case_id = argv[first];
    sm.has_commitment_signed = sm.commitment_signed = v[SIGNED - 1] != NULL;
    if (v[INCOME - 1]) {
        char *end;
        double yuan = strtod(v[INCOME - 1], &end);
        if (*end || end == v[INCOME - 1] || yuan < 0 || yuan > 1e9)
            return ctl_help_usage_error("supply", _("--income '%s' is not an amount in yuan"),
                                        v[INCOME - 1]);
        sm.has_household_income_fen = 1;
        sm.household_income_fen = (int64_t)(yuan * 100 + 0.5);
    }
    if (v[PROOF - 1]) {
        int proof = ctl_supply_proof(v[PROOF - 1]);
        if (proof < 0)
            return ctl_help_usage_error(
                "supply",
                _("--proof '%s' is not a proof of status: give no_fixed_income, "
                  "social_assistance, judicial_assistance, special_care or "
                  "migrant_wages_or_injury (art. 42)"),
                v[PROOF - 1]);
        sm.has_hardship_proof = 1;
        sm.hardship_proof = (Legalaid__HardshipProof)proof;
    }
    for (int i = first + 1; i < argc; i++)
        if (!argv[i][0])
            return ctl_help_usage_error("supply", _("material %d is empty; name each document"),
                                        i - first);
    sm.materials = argv + first + 1;
    sm.n_materials = (size_t)(argc - first - 1);
    if (!sm.n_materials && !sm.has_commitment_signed && !sm.has_household_income_fen &&
        !sm.has_hardship_proof)
        return ctl_help_usage_error("supply",
                                    _("give a MATERIAL, --commitment-signed, --income or --proof"));
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_INTAKE);
    a.req.body_case = LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS;
    a.req.supply_materials = &sm;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) ctl_supply_print(ctl, sm.case_id, a.reply);
    ctl_ask_free(&a, 1);
    return status;
}

int ctl_intake_withdraw_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    int first = ctl_args_parse("withdraw", argc, argv, opts, NULL, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 2 || !argv[first][0] || !argv[first + 1][0])
        return ctl_help_usage_error("withdraw", _("give CASE-ID and REASON (the applicant's own "
                                                  "words, quoted)"));
    Legalaid__WithdrawApplication w = LEGALAID__WITHDRAW_APPLICATION__INIT;
    w.case_id = argv[first];
    w.reason = argv[first + 1];
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_INTAKE);
    a.req.body_case = LEGALAID__REQUEST__BODY_WITHDRAW_APPLICATION;
    a.req.withdraw_application = &w;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) {
        if (ctl->json || (a.reply->body_case != LEGALAID__REPLY__BODY__NOT_SET &&
                          a.reply->body_case != LEGALAID__REPLY__BODY_APPLICATION))
            ctl_show_reply(ctl, w.case_id, a.reply);
        else
            printf(_("case %s: withdrawn by the applicant: %s\n"), w.case_id, w.reason);
    }
    ctl_ask_free(&a, 1);
    return status;
}
