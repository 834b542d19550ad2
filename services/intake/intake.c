/*
 * intake.c - the intake service: its configuration, its tables
 * (intake_int.h), the dispatch of requests to their handlers
 * (intake_submit.c, intake_materials.c, intake_withdraw.c,
 * intake_consult.c), eligibility's stream (intake_outcome.c), dispatch's
 * stream (intake_dispatch.c), the
 * GetApplication query and the status counters.
 */
#include "intake.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "intake_int.h"
#include "store.h"

intake_config_t intake_config;

#define OFF(f) offsetof(intake_config_t, f)
static const cfg_key_t intake_keys[] = {
    {"centres", CFG_STRING, "BT", 0, 0, OFF(centres),
     "legal-aid centre codes, comma-separated; the first is the default for case numbers"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

MDB_dbi intake_applications, intake_by_applicant, intake_open_cases, intake_withdrawn,
    intake_consultations, intake_closed, intake_reopened;

static int intake_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    int rc = store_table(txn, "applications", &intake_applications);
    if (!rc) rc = store_table(txn, "by_applicant", &intake_by_applicant);
    if (!rc) rc = store_table(txn, "open_cases", &intake_open_cases);
    if (!rc) rc = store_table(txn, "withdrawn", &intake_withdrawn);
    if (!rc) rc = store_table(txn, "consultations", &intake_consultations);
    if (!rc) rc = store_table(txn, "closed", &intake_closed);
    if (!rc) rc = store_table(txn, "reopened", &intake_reopened);
    return rc;
}

static int intake_get(turn_t *t, const Legalaid__GetApplication *g, Legalaid__Reply *reply)
{
    if (!g->case_id || !g->case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "get_application.case_id",
                  "case_id is required");
        return 0;
    }
    Legalaid__Application *a;
    int rc = intake_application_load(t, g->case_id, &a);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "get_application.case_id",
                  "no application with case number %s", g->case_id);
        return 0;
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_APPLICATION;
    reply->application = a;
    return 0;
}

static int intake_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_SUBMIT_APPLICATION:
        return intake_submit(t, req->submit_application, reply);
    case LEGALAID__REQUEST__BODY_GET_APPLICATION:
        return intake_get(t, req->get_application, reply);
    case LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS:
        return intake_supply(t, req->supply_materials, reply);
    case LEGALAID__REQUEST__BODY_WITHDRAW_APPLICATION:
        return intake_withdraw(t, req->withdraw_application, reply);
    case LEGALAID__REQUEST__BODY_RECORD_CONSULTATION:
        return intake_consult(t, req->record_consultation, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "intake takes submit_application, get_application, supply_materials, "
                  "withdraw_application and record_consultation, not request body %d",
                  (int)req->body_case);
        return 0;
    }
}

static int intake_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    static const Legalaid__ConsultationChannel channels[] = {
        LEGALAID__CONSULTATION_CHANNEL__VISIT, LEGALAID__CONSULTATION_CHANNEL__BY_TELEPHONE,
        LEGALAID__CONSULTATION_CHANNEL__LETTER, LEGALAID__CONSULTATION_CHANNEL__INTERNET};
    uint64_t n;
    turn_counter(t, st, "applications", store_count(t->txn, intake_applications));
    turn_counter(t, st, "withdrawn", store_count(t->txn, intake_withdrawn));
    turn_counter(t, st, "closed", store_count(t->txn, intake_closed));
    int rc = store_get_u64(t->txn, daemon_meta(t->d), "count.linked", &n);
    if (rc) return rc;
    turn_counter(t, st, "linked_duplicates", n);
    turn_counter(t, st, "consultations", store_count(t->txn, intake_consultations));
    for (size_t i = 0; i < sizeof channels / sizeof channels[0]; i++) {
        const char *name = intake_consultation_channel_name(channels[i]);
        char key[64], label[64];
        snprintf(key, sizeof key, "count.consultations.%s", name);
        snprintf(label, sizeof label, "consultations_%s", name);
        if ((rc = store_get_u64(t->txn, daemon_meta(t->d), key, &n))) return rc;
        turn_counter(t, st, label, n);
    }
    return 0;
}

static const char *const intake_upstreams[] = {"eligibility", "dispatch", "roster", NULL};

/* intake_duty.c: applications duty lawyers took, forwarded by the roster. */
int intake_duty_apply(turn_t *t, const Legalaid__Event *ev);

static int intake_apply_upstream(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    if (strcmp(upstream, "roster") == 0) return intake_duty_apply(t, ev);
    return intake_apply(t, upstream, ev);
}

static const int intake_queries[] = {LEGALAID__REQUEST__BODY_GET_APPLICATION, 0};

const service_t intake_service = {
    .name = "intake",
    .upstreams = intake_upstreams,
    .config_keys = intake_keys,
    .config = &intake_config,
    .queries = intake_queries,
    .open = intake_open,
    .handle = intake_handle,
    .apply = intake_apply_upstream,
    .counters = intake_counters,
};
