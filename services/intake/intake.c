/*
 * intake.c - the intake service's handlers and its tables.
 *
 * Tables: "applications" (case_id -> Application), "by_applicant"
 * (id_number NUL case_id -> empty), and in "meta" the case-number counters
 * "caseno.<centre>.<year>". A case number is CENTRE-YEAR-NNNNNN, per centre
 * and per year, without gaps: the counter moves in the same transaction as
 * the application it numbers, so a rejected or failed one takes no number.
 */
#include "intake.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "intake_validate.h"
#include "store.h"

intake_config_t intake_config;

#define OFF(f) offsetof(intake_config_t, f)
static const cfg_key_t intake_keys[] = {
    {"centres", CFG_STRING, "BT", 0, 0, OFF(centres),
     "legal-aid centre codes, comma-separated; the first is the default for case numbers"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

static MDB_dbi intake_applications, intake_by_applicant;

static int intake_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    int rc = store_table(txn, "applications", &intake_applications);
    if (!rc) rc = store_table(txn, "by_applicant", &intake_by_applicant);
    return rc;
}

static int intake_default_centre(char *out, size_t size)
{
    const char *c = intake_config.centres;
    size_t n = strcspn(c, ",");
    if (n == 0 || n >= size) return -1;
    memcpy(out, c, n);
    out[n] = 0;
    return 0;
}

/* Takes the next case number of centre for the year of at. */
static int intake_case_number(turn_t *t, const char *centre, int64_t at, char **case_id)
{
    struct tm tm;
    clock_local_tm(at, &tm);
    int year = tm.tm_year + 1900;
    char key[96];
    snprintf(key, sizeof key, "caseno.%s.%d", centre, year);
    uint64_t n;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), key, &n);
    if (rc) return rc;
    rc = store_put_u64(t->txn, daemon_meta(t->d), key, ++n);
    if (rc) return rc;
    *case_id = arena_printf(t->arena, "%s-%d-%06llu", centre, year, (unsigned long long)n);
    return 0;
}

static int intake_submit(turn_t *t, const Legalaid__SubmitApplication *s, Legalaid__Reply *reply)
{
    Legalaid__Application *a = s->application;
    const char *field;
    char msg[400];
    if (intake_application_check(a, intake_config.centres, t->now, &field, msg, sizeof msg) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, "%s", msg);
        return 0;
    }
    char centre[32];
    if (a->centre) {
        snprintf(centre, sizeof centre, "%s", a->centre);
    } else if (intake_default_centre(centre, sizeof centre) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INTERNAL, "centre", "no default centre configured");
        return 0;
    }
    if (!a->has_received_at) {
        a->received_at = t->now;
        a->has_received_at = 1;
    }
    a->centre = arena_strdup(t->arena, centre);
    int rc = intake_case_number(t, centre, a->received_at, &a->case_id);
    if (rc) return rc;

    rc = store_put_pb(t->txn, intake_applications, a->case_id, strlen(a->case_id), &a->base,
                      MDB_NOOVERWRITE);
    if (rc) return rc;
    if (a->applicant->id_number && a->applicant->id_number[0]) {
        size_t idlen = strlen(a->applicant->id_number);
        size_t klen = idlen + 1 + strlen(a->case_id);
        char *k = arena_alloc(t->arena, klen);
        memcpy(k, a->applicant->id_number, idlen);
        memcpy(k + idlen + 1, a->case_id, strlen(a->case_id));
        MDB_val kv = {klen, k}, vv = {0, ""};
        rc = store_rc(mdb_put(t->txn, intake_by_applicant, &kv, &vv, 0));
        if (rc) return rc;
    }

    Legalaid__Event *ev = turn_event(t);
    if (a->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE) {
        Legalaid__DefenceNotificationReceived *b = ARENA_NEW(
            t->arena, Legalaid__DefenceNotificationReceived, legalaid__defence_notification_received__init);
        b->application = a;
        ev->body_case = LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED;
        ev->defence_notification_received = b;
    } else {
        Legalaid__ApplicationReceived *b =
            ARENA_NEW(t->arena, Legalaid__ApplicationReceived, legalaid__application_received__init);
        b->application = a;
        ev->body_case = LEGALAID__EVENT__BODY_APPLICATION_RECEIVED;
        ev->application_received = b;
    }
    rc = turn_emit(t, a->case_id, ev);
    if (rc) return rc;

    Legalaid__ApplicationAccepted *acc =
        ARENA_NEW(t->arena, Legalaid__ApplicationAccepted, legalaid__application_accepted__init);
    acc->case_id = a->case_id;
    acc->received_at = a->received_at;
    acc->has_received_at = 1;
    reply->body_case = LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED;
    reply->application_accepted = acc;
    return 0;
}

static int intake_get(turn_t *t, const Legalaid__GetApplication *g, Legalaid__Reply *reply)
{
    if (!g->case_id || !g->case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "get_application.case_id",
                  "case_id is required");
        return 0;
    }
    Legalaid__Application *a;
    int rc = store_get_pb(t->txn, intake_applications, g->case_id, strlen(g->case_id),
                          &legalaid__application__descriptor, &t->arena->pb,
                          (ProtobufCMessage **)&a);
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
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "intake takes submit_application and get_application, not request body %d",
                  (int)req->body_case);
        return 0;
    }
}

static int intake_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    turn_counter(t, st, "applications", store_count(t->txn, intake_applications));
    return 0;
}

static const int intake_queries[] = {LEGALAID__REQUEST__BODY_GET_APPLICATION, 0};

const service_t intake_service = {
    .name = "intake",
    .upstreams = NULL,
    .config_keys = intake_keys,
    .config = &intake_config,
    .queries = intake_queries,
    .open = intake_open,
    .handle = intake_handle,
    .apply = NULL,
    .counters = intake_counters,
};
