/*
 * eligibility.c - the eligibility service: its configuration, its table,
 * applying intake's events and answering GetDecision (the rules live in
 * eligibility_rules.c).
 *
 * Tables: "decisions" (case_id -> Decision), and in "meta" the counters
 * "decided.approved", "decided.pending_verification" and
 * "decided.needs_materials".
 */
#include "eligibility.h"

#include <stddef.h>
#include <string.h>

#include "eligibility_rules.h"
#include "log.h"
#include "store.h"

eligibility_config_t eligibility_config;

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
    {"roll_max_age_days", CFG_INT, "45", 1, 3650, OFF(roll_max_age_days),
     "a civil-affairs roll export older than this answers 'unavailable'"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

static MDB_dbi eligibility_decisions;

static int eligibility_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    return store_table(txn, "decisions", &eligibility_decisions);
}

static const char *eligibility_counter_key(Legalaid__Outcome outcome)
{
    switch (outcome) {
    case LEGALAID__OUTCOME__APPROVED:
        return "decided.approved";
    case LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION:
        return "decided.pending_verification";
    case LEGALAID__OUTCOME__NEEDS_MATERIALS:
        return "decided.needs_materials";
    default:
        return "decided.other";
    }
}

static int eligibility_count(turn_t *t, Legalaid__Outcome outcome)
{
    const char *key = eligibility_counter_key(outcome);
    uint64_t n;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), key, &n);
    if (rc) return rc;
    return store_put_u64(t->txn, daemon_meta(t->d), key, n + 1);
}

static int eligibility_decide(turn_t *t, const Legalaid__Event *ev, const Legalaid__Application *a)
{
    const char *why = eligibility_application_problem(a);
    if (why) return turn_reject(t, "%s", why);
    if (ev->case_id && ev->case_id[0] && strcmp(ev->case_id, a->case_id) != 0)
        return turn_reject(t, "the event is about case %s but its application is case %s",
                           ev->case_id, a->case_id);

    /* One decision per case. The upstream offset already applies each event
     * once; this guards against intake publishing a case twice. */
    size_t klen = strlen(a->case_id);
    MDB_val k = {klen, a->case_id}, v;
    int rc = mdb_get(t->txn, eligibility_decisions, &k, &v);
    if (rc == 0) {
        log_info("case already decided, event ignored case=%s event=%s", a->case_id,
                 ev->event_id ? ev->event_id : "-");
        return 0;
    }
    if (rc != MDB_NOTFOUND) return store_rc(rc);

    Legalaid__Decision *d = ARENA_NEW(t->arena, Legalaid__Decision, legalaid__decision__init);
    eligibility_facts_t facts = {LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE, 0, 0, 0, t->txn};
    eligibility_rules_decide(a, &facts, &eligibility_config, t->now, t->arena, d);
    rc = store_put_pb(t->txn, eligibility_decisions, a->case_id, klen, &d->base, MDB_NOOVERWRITE);
    if (rc) return rc;
    rc = eligibility_count(t, d->outcome);
    if (rc) return rc;

    Legalaid__EligibilityDecided *b =
        ARENA_NEW(t->arena, Legalaid__EligibilityDecided, legalaid__eligibility_decided__init);
    b->decision = d;
    Legalaid__Event *out = turn_event(t);
    out->body_case = LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED;
    out->eligibility_decided = b;
    rc = turn_emit(t, a->case_id, out);
    if (rc) return rc;
    log_info("decided case=%s outcome=%s articles=%zu", a->case_id,
             protobuf_c_enum_descriptor_get_value(&legalaid__outcome__descriptor, d->outcome)->name,
             d->n_articles);
    return 0;
}

static int eligibility_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    (void)upstream;
    switch (ev->body_case) {
    case LEGALAID__EVENT__BODY_APPLICATION_RECEIVED:
        return eligibility_decide(t, ev, ev->application_received->application);
    case LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED:
        return eligibility_decide(t, ev, ev->defence_notification_received->application);
    default:
        return 0; /* intake's other events decide nothing here */
    }
}

static int eligibility_get(turn_t *t, const Legalaid__GetDecision *g, Legalaid__Reply *reply)
{
    if (!g->case_id || !g->case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "get_decision.case_id",
                  "case_id is required");
        return 0;
    }
    Legalaid__Decision *d;
    int rc = store_get_pb(t->txn, eligibility_decisions, g->case_id, strlen(g->case_id),
                          &legalaid__decision__descriptor, &t->arena->pb, (ProtobufCMessage **)&d);
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

static int eligibility_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_GET_DECISION:
        return eligibility_get(t, req->get_decision, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "eligibility takes get_decision, not request body %d", (int)req->body_case);
        return 0;
    }
}

static int eligibility_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    static const char *const names[] = {"approved", "pending_verification", "needs_materials"};
    static const Legalaid__Outcome outcomes[] = {LEGALAID__OUTCOME__APPROVED,
                                                 LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION,
                                                 LEGALAID__OUTCOME__NEEDS_MATERIALS};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        uint64_t value;
        int rc = store_get_u64(t->txn, daemon_meta(t->d), eligibility_counter_key(outcomes[i]), &value);
        if (rc) return rc;
        turn_counter(t, st, names[i], value);
    }
    return 0;
}

static const char *const eligibility_upstreams[] = {"intake", NULL};
static const int eligibility_queries[] = {LEGALAID__REQUEST__BODY_GET_DECISION, 0};

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
};
