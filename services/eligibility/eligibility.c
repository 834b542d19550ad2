/*
 * eligibility.c - the eligibility service: its configuration, and routing
 * intake's and dispatch's events, requests and the tick to the files that own them:
 *
 *   eligibility_rules.c      the decision itself (a pure function)
 *   eligibility_case.c       tables "decisions", "applications", "credit",
 *                            "marks" (corrected, withdrawn, verified); the
 *                            facts; publishing a decision
 *   eligibility_lifecycle.c  received, materials supplied, withdrawn,
 *                            deemed withdrawn (art. 43(2))
 *   eligibility_roll.c       table "roll": the civil-affairs roll
 *   eligibility_calendar.c   table "calendar": holidays; day counts (rest
 *                            days: holidays and weekends)
 *   eligibility_verify.c     the check afterwards of a commitment (art. 41)
 *   eligibility_objection.c  table "objections" (art. 49)
 *   eligibility_deadline.c   table "due": deadlines acted on by the tick
 *   eligibility_casefacts.c  the facts of an approved case, for dispatch
 *   eligibility_dispatch.c   dispatch's stream: aid terminated there (art. 48)
 *
 * Counters in "meta": "decided.<outcome>" for every decision published,
 * "objections.filed", "objections.overdue", "objections.upheld",
 * "objections.corrected", "verified.truthful", "verified.false".
 */
#include "eligibility.h"

#include <stddef.h>
#include <string.h>

#include "eligibility_calendar.h"
#include "eligibility_case.h"
#include "eligibility_deadline.h"
#include "eligibility_dispatch.h"
#include "eligibility_lifecycle.h"
#include "eligibility_objection.h"
#include "eligibility_roll.h"
#include "eligibility_rules.h"
#include "eligibility_verify.h"
#include "log.h"
#include "store.h"

/* Weekends are rest days before the configuration is read too (the pure
 * rules and the day count are used without a daemon in tests). */
eligibility_config_t eligibility_config = {.weekend_is_rest_day = 1};

#define OFF(f) offsetof(eligibility_config_t, f)
static const cfg_key_t eligibility_keys[] = {
    {"review_days", CFG_INT, "7", 1, 60, OFF(review_days),
     "days from receipt to the decision, the starting day excluded (Legal Aid Law art. 43(1))"},
    {"assign_after_decision_days", CFG_INT, "3", 1, 30, OFF(assign_after_decision_days),
     "days from granting aid to assigning a lawyer (Legal Aid Law art. 43(1))"},
    {"assign_after_notice_days", CFG_INT, "3", 1, 30, OFF(assign_after_notice_days),
     "days from an authority's notification to appointing a lawyer (Legal Aid Law art. 36)"},
    {"verification_days", CFG_INT, "30", 1, 365, OFF(verification_days),
     "days to verify a commitment letter on economic hardship after the decision (art. 41)"},
    {"rule_version", CFG_STRING, "2022-01-01", 0, 0, OFF(rule_version),
     "version of the rule set, recorded in every decision"},
    {"income_standards", CFG_STRING, "", 0, 0, OFF(income_standards),
     "hardship standard by effective date, 'YYYY-MM-DD:yuan per head per month,...' (art. 34; "
     "Inner Mongolia's value is OPEN-1: empty means no declared-income route)"},
    {"art31_additions", CFG_STRING, "", 0, 0, OFF(art31_additions),
     "matters admitted under art. 31(9), comma-separated (regional additions, OPEN-2)"},
    {"same_day_categories", CFG_STRING, "labour_arbitration", 0, 0, OFF(same_day_categories),
     "matter categories on the 'five same-day' fast track (local practice, OPEN-6)"},
    {"green_channel_age_min", CFG_INT, "65", 50, 100, OFF(green_channel_age_min),
     "age from which the elderly get the green channel (seed article: 65; statute: 60)"},
    {"urgent_deadline_days", CFG_INT, "7", 1, 60, OFF(urgent_deadline_days),
     "a limitation period or deadline closer than this makes the case an emergency (art. 44)"},
    {"materials_deadline_days", CFG_INT, "15", 1, 180, OFF(materials_deadline_days),
     "days to supply missing materials before the application is deemed withdrawn "
     "(art. 43(2); local, OPEN-3)"},
    {"verification_share_percent", CFG_INT, "10", 0, 100, OFF(verification_share_percent),
     "share of commitment cases drawn for the check afterwards (R-ECON-07(f))"},
    {"objection_review_days", CFG_INT, "5", 1, 30, OFF(objection_review_days),
     "days for the justice bureau to decide an objection (art. 49)"},
    {"objection_file_days", CFG_INT, "0", 0, 365, OFF(objection_file_days),
     "days to file an objection after the decision; 0: no limit (the law sets none, OPEN-4)"},
    {"materials_pause_clock", CFG_BOOL, "true", 0, 0, OFF(materials_pause_clock),
     "the decision clock stops while missing materials are awaited (2012 rules art. 13; "
     "the 2023 text is [VERIFY])"},
    {"objection_officers", CFG_STRING, "", 0, 0, OFF(objection_officers),
     "justice-bureau officers who may decide objections (art. 49), comma-separated; empty: "
     "any named officer"},
    {"weekend_is_rest_day", CFG_BOOL, "true", 0, 0, OFF(weekend_is_rest_day),
     "a period ending on a Saturday or Sunday ends at the end of the next working day "
     "(民法典 art. 203; DOMAIN R-TIME-00); a calendar WORKDAY (make-up working day) is not a "
     "rest day"},
    {"roll_max_age_days", CFG_INT, "45", 1, 3650, OFF(roll_max_age_days),
     "a civil-affairs roll export older than this answers 'unavailable'"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

static int eligibility_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    int rc = eligibility_case_open(txn);
    if (!rc) rc = eligibility_roll_open(txn);
    if (!rc) rc = eligibility_calendar_open(txn);
    if (!rc) rc = eligibility_objection_open(txn);
    if (!rc) rc = eligibility_due_open(txn);
    return rc;
}

static int eligibility_apply_event(turn_t *t, const Legalaid__Event *ev)
{
    switch (ev->body_case) {
    case LEGALAID__EVENT__BODY_APPLICATION_RECEIVED:
        return eligibility_lifecycle_received(t, ev, ev->application_received->application);
    case LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED:
        return eligibility_lifecycle_received(t, ev,
                                              ev->defence_notification_received->application);
    case LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED:
        return eligibility_lifecycle_supplemented(t, ev, ev->materials_supplemented);
    case LEGALAID__EVENT__BODY_APPLICATION_WITHDRAWN:
        return eligibility_lifecycle_withdrawn(t, ev, ev->application_withdrawn);
    default:
        return 0; /* intake's other events (consultations) decide nothing here */
    }
}

/* Deadlines read the holiday calendar through the turn's own transaction
 * (eligibility_calendar.h), set around each call and cleared after. */
static int eligibility_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    eligibility_calendar_use(t->txn);
    int rc = strcmp(upstream, "dispatch") == 0 ? eligibility_dispatch_apply(t, ev)
                                               : eligibility_apply_event(t, ev);
    eligibility_calendar_use(NULL);
    return rc;
}

static int eligibility_get(turn_t *t, const Legalaid__GetDecision *g, Legalaid__Reply *reply)
{
    if (!g->case_id || !g->case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "get_decision.case_id",
                  "case_id is required");
        return 0;
    }
    Legalaid__Decision *d;
    int rc = eligibility_case_decision(t, g->case_id, &d);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "get_decision.case_id",
                  "no eligibility decision for case %s (unknown case, or intake's event not "
                  "applied yet)",
                  g->case_id);
        return 0;
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_DECISION;
    reply->decision = d;
    return 0;
}

static int eligibility_handle_request(turn_t *t, const Legalaid__Request *req,
                                      Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_GET_DECISION:
        return eligibility_get(t, req->get_decision, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_ASSISTANCE_ROLL:
        return eligibility_roll_import(t, req->import_assistance_roll, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_CALENDAR:
        return eligibility_calendar_import(t, req->import_calendar, reply);
    case LEGALAID__REQUEST__BODY_VERIFY_COMMITMENT:
        return eligibility_verify_commitment(t, req->verify_commitment, reply);
    case LEGALAID__REQUEST__BODY_FILE_OBJECTION:
        return eligibility_objection_file(t, req->file_objection, reply);
    case LEGALAID__REQUEST__BODY_DECIDE_OBJECTION:
        return eligibility_objection_decide(t, req->decide_objection, reply);
    case LEGALAID__REQUEST__BODY_GET_OBJECTION:
        return eligibility_objection_get(t, req->get_objection, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "eligibility takes get_decision, import_assistance_roll, import_calendar, "
                  "verify_commitment, file_objection, decide_objection and get_objection, not "
                  "request body %d",
                  (int)req->body_case);
        return 0;
    }
}

static int eligibility_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    eligibility_calendar_use(t->txn);
    int rc = eligibility_handle_request(t, req, reply);
    eligibility_calendar_use(NULL);
    return rc;
}

static int eligibility_tick(turn_t *t)
{
    eligibility_calendar_use(t->txn);
    int rc = eligibility_due_tick(t);
    eligibility_calendar_use(NULL);
    return rc;
}

static int eligibility_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    static const Legalaid__Outcome outcomes[] = {
        LEGALAID__OUTCOME__APPROVED,        LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION,
        LEGALAID__OUTCOME__NEEDS_MATERIALS, LEGALAID__OUTCOME__REFUSED,
        LEGALAID__OUTCOME__WITHDRAWN,       LEGALAID__OUTCOME__DEEMED_WITHDRAWN,
        LEGALAID__OUTCOME__TERMINATED,
    };
    for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++) {
        uint64_t value;
        int rc = eligibility_case_counter_get(t, outcomes[i], &value);
        if (rc) return rc;
        turn_counter(t, st, eligibility_case_counter_name(outcomes[i]), value);
    }
    static const char *const meta[][2] = {
        {"objections.filed", "objections_filed"},
        {"objections.overdue", "objections_overdue"},
        {"objections.upheld", "objections_upheld"},
        {"objections.corrected", "objections_corrected"},
        {"verified.truthful", "verified_truthful"},
        {"verified.false", "verified_false"},
    };
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        uint64_t value;
        int rc = store_get_u64(t->txn, daemon_meta(t->d), meta[i][0], &value);
        if (rc) return rc;
        turn_counter(t, st, meta[i][1], value);
    }
    turn_counter(t, st, "roll_size", eligibility_roll_size(t->txn));
    turn_counter(t, st, "calendar_days", eligibility_calendar_size(t->txn));
    turn_counter(t, st, "deadlines_open", eligibility_due_size(t->txn));
    return 0;
}

static const char *const eligibility_upstreams[] = {"intake", "dispatch", NULL};
static const int eligibility_queries[] = {LEGALAID__REQUEST__BODY_GET_DECISION,
                                          LEGALAID__REQUEST__BODY_GET_OBJECTION, 0};

const service_t eligibility_service = {
    .name = "eligibility",
    .upstreams = eligibility_upstreams,
    .config_keys = eligibility_keys,
    .config = &eligibility_config,
    .queries = eligibility_queries,
    .open = eligibility_open,
    .handle = eligibility_handle,
    .apply = eligibility_apply,
    .counters = eligibility_counters,
    .tick = eligibility_tick,
};
