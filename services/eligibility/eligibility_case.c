/*
 * eligibility_case.c - a case as eligibility keeps it, where the rules
 * meet the tables: its application (table "applications", case_id ->
 * Application, kept when first decided so that it can be decided again),
 * its current decision (table "decisions", case_id -> Decision), the facts
 * the rules are given (the roll, the credit flags, the draw for the check
 * afterwards), deciding with the rules, and publishing a decision: stored,
 * counted by outcome, its materials deadline indexed, EligibilityDecided
 * emitted with the deadlines it sets and meets (eligibility_deadline.c),
 * all in the turn's transaction. The steps that decide a case
 * again from its prior decision start from eligibility_case_redecision.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "clock.h"
#include "daily.h"
#include "eligibility_int.h"
#include "eligibility_rules.h"
#include "log.h"
#include "store.h"
#include "i18n.h"

static MDB_dbi eligibility_decisions, eligibility_applications, eligibility_draws;

ageq_t eligibility_ages;
/* The third, "objections", is eligibility_objection.c's. */
const char *const eligibility_age_queues[] = {"awaiting_materials", "pending_verification",
                                              "objections", NULL};

/* The age queue of an outcome: awaiting the materials of the notice (art.
 * 43(2)), or granted on the commitment letter and awaiting its check
 * (art. 41); NULL for the others. */
static const char *eligibility_case_age_queue(Legalaid__Outcome outcome)
{
    return outcome == LEGALAID__OUTCOME__NEEDS_MATERIALS ? eligibility_age_queues[0]
           : outcome == LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION
               ? eligibility_age_queues[1]
               : NULL;
}

/* Puts one decision in its age queue (a store from before the tables),
 * from when it was decided. */
static int eligibility_case_age_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    (void)ctx;
    const Legalaid__Decision *d = (const Legalaid__Decision *)m;
    const char *queue = eligibility_case_age_queue(d->outcome);
    return queue && d->case_id ? ageq_set(txn, &eligibility_ages, d->case_id, queue, d->decided_at)
                               : 0;
}

/* Counts one application by the day it was received, as turn_observe
 * does (a store from before the "daily" table). */
static int eligibility_case_daily_application(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    const Legalaid__Application *a = (const Legalaid__Application *)m;
    if (!a->has_received_at || !a->received_at) return 0;
    return daily_add(txn, *(const MDB_dbi *)ctx, "applications", a->received_at, -1);
}

/* Counts one decision by the day it was made, with the time from receipt.
 * A decision made again keeps only its latest time: those are counted on
 * that day (the first is not kept apart). */
static int eligibility_case_daily_decision(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    const Legalaid__Decision *d = (const Legalaid__Decision *)m;
    if (!d->case_id || !d->has_decided_at || !d->decided_at) return 0;
    Legalaid__Application *app = NULL;
    int rc = store_get_pb(txn, eligibility_applications, d->case_id, strlen(d->case_id),
                          &legalaid__application__descriptor, NULL, (ProtobufCMessage **)&app);
    if (rc && rc != MDB_NOTFOUND) return rc;
    int64_t took = app && app->has_received_at && d->decided_at >= app->received_at
                       ? d->decided_at - app->received_at
                       : -1;
    if (app) protobuf_c_message_free_unpacked(&app->base, NULL);
    return daily_add(txn, *(const MDB_dbi *)ctx, "decision_seconds", d->decided_at, took);
}

int eligibility_case_open(MDB_txn *txn, MDB_dbi daily, int daily_empty, MDB_dbi stats,
                          int stats_empty)
{
    int rc = store_table_sealed(txn, "decisions", &eligibility_decisions);
    if (!rc) rc = store_table_sealed(txn, "applications", &eligibility_applications);
    if (!rc) rc = store_table(txn, "draws", &eligibility_draws);
    int empty = 0;
    if (!rc) rc = ageq_open(txn, &eligibility_ages, &empty);
    if (!rc && empty && store_count(txn, eligibility_decisions))
        rc = store_each_pb(txn, eligibility_decisions, &legalaid__decision__descriptor,
                           eligibility_case_age_one, NULL);
    if (!rc && daily_empty && store_count(txn, eligibility_applications))
        rc = store_each_pb(txn, eligibility_applications, &legalaid__application__descriptor,
                           eligibility_case_daily_application, &daily);
    if (!rc && daily_empty && store_count(txn, eligibility_decisions))
        rc = store_each_pb(txn, eligibility_decisions, &legalaid__decision__descriptor,
                           eligibility_case_daily_decision, &daily);
    eligibility_stats_open(stats, eligibility_applications, eligibility_decisions);
    if (!rc && stats_empty && store_count(txn, eligibility_applications))
        rc = eligibility_stats_fill(txn);
    return rc;
}

int eligibility_case_decision(turn_t *t, const char *case_id, Legalaid__Decision **d)
{
    int rc = store_get_pb(t->txn, eligibility_decisions, case_id, strlen(case_id),
                          &legalaid__decision__descriptor, &t->arena->pb, (ProtobufCMessage **)d);
    /* Stored as codes: worded for whoever reads it, and for the steps
     * that decide it again from its words. */
    if (!rc) decisiontext_fill(t->arena, *d);
    return rc;
}

int eligibility_case_application(turn_t *t, const char *case_id, Legalaid__Application **a)
{
    return store_get_pb(t->txn, eligibility_applications, case_id, strlen(case_id),
                        &legalaid__application__descriptor, &t->arena->pb, (ProtobufCMessage **)a);
}

int eligibility_case_keep_application(turn_t *t, const Legalaid__Application *a)
{
    return store_put_pb(t->txn, eligibility_applications, a->case_id, strlen(a->case_id), &a->base,
                        0);
}

int eligibility_case_draw(turn_t *t, const char *case_id, uint32_t *draw)
{
    MDB_val k = {strlen(case_id), (void *)case_id}, v;
    int rc = mdb_get(t->txn, eligibility_draws, &k, &v);
    if (rc == 0 && v.mv_size == 4) {
        const unsigned char *b = v.mv_data;
        *draw = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
        return 0;
    }
    if (rc != 0 && rc != MDB_NOTFOUND) return store_rc(rc);
    *draw = randombytes_uniform(10000);
    unsigned char b[4] = {(unsigned char)(*draw >> 24), (unsigned char)(*draw >> 16),
                          (unsigned char)(*draw >> 8), (unsigned char)*draw};
    MDB_val nv = {4, b};
    return store_rc(mdb_put(t->txn, eligibility_draws, &k, &nv, 0));
}

int eligibility_case_drawn(uint32_t draw, long long share_percent)
{
    return (long long)draw < share_percent * 100;
}

int eligibility_case_facts(turn_t *t, const Legalaid__Application *a, int lift_credit,
                           eligibility_facts_t *facts)
{
    memset(facts, 0, sizeof *facts);
    facts->calendar_txn = t->txn;
    int rc = eligibility_roll_lookup(t, a->applicant, &facts->roll_answer, &facts->roll_status);
    if (rc) return rc;
    if (a->applicant && a->applicant->id_number) {
        /* A corrected case is not barred by its own finding, set aside;
         * another false commitment of the person still bars it. */
        rc = eligibility_credit_barred(t, a->applicant->id_number, lift_credit ? a->case_id : NULL,
                                       &facts->credit_barred);
        if (rc) return rc;
    }
    rc = eligibility_case_draw(t, a->case_id, &facts->verification_draw);
    if (rc) return rc;
    facts->verification_drawn =
        eligibility_case_drawn(facts->verification_draw, eligibility_config.verification_share_percent);
    return 0;
}

int eligibility_case_final(Legalaid__Outcome outcome)
{
    return outcome == LEGALAID__OUTCOME__REFUSED || outcome == LEGALAID__OUTCOME__WITHDRAWN ||
           outcome == LEGALAID__OUTCOME__DEEMED_WITHDRAWN ||
           outcome == LEGALAID__OUTCOME__TERMINATED;
}

const char *eligibility_case_counter_name(Legalaid__Outcome outcome)
{
    switch (outcome) {
    case LEGALAID__OUTCOME__APPROVED:
        return "approved";
    case LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION:
        return "pending_verification";
    case LEGALAID__OUTCOME__NEEDS_MATERIALS:
        return "needs_materials";
    case LEGALAID__OUTCOME__REFUSED:
        return "refused";
    case LEGALAID__OUTCOME__WITHDRAWN:
        return "withdrawn";
    case LEGALAID__OUTCOME__DEEMED_WITHDRAWN:
        return "deemed_withdrawn";
    case LEGALAID__OUTCOME__TERMINATED:
        return "terminated";
    default:
        return "other";
    }
}

const char *eligibility_case_outcome_name(Legalaid__Outcome outcome)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&legalaid__outcome__descriptor, (int)outcome);
    return v ? v->name : "OUTCOME_UNSPECIFIED";
}

int eligibility_case_count(turn_t *t, const char *key)
{
    uint64_t n;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), key, &n);
    if (rc) return rc;
    return store_put_u64(t->txn, daemon_meta(t->d), key, n + 1);
}

int eligibility_case_counter_get(turn_t *t, Legalaid__Outcome outcome, uint64_t *n)
{
    char key[64];
    snprintf(key, sizeof key, "decided.%s", eligibility_case_counter_name(outcome));
    return store_get_u64(t->txn, daemon_meta(t->d), key, n);
}

int eligibility_case_publish(turn_t *t, const Legalaid__Decision *prior, Legalaid__Decision *d)
{
    /* A decision made again from an earlier one starts with no articles:
     * the scope and means it still rests on are cited again. */
    eligibility_decision_cite_applied(t->arena, d);
    /* Stored, and published, with its codes and params, not the sentences
     * they give (decisiontext.h): worded where a person reads it (the
     * reply, the case's events) in the reader's language. The sentences
     * made the event 4 KB, each byte sealed, sent, opened and decoded
     * once per consumer, none of which reads them; a request that answers
     * with the decision words it (decisiontext_fill) for its reply. */
    Legalaid__Decision *kept = decisiontext_compact(t->arena, d);
    int rc = store_put_pb(t->txn, eligibility_decisions, d->case_id, strlen(d->case_id),
                          &kept->base, 0);
    if (!rc && (!prior || prior->outcome != d->outcome))
        rc = ageq_set(t->txn, &eligibility_ages, d->case_id, eligibility_case_age_queue(d->outcome),
                      t->now);
    if (rc) return rc;
    char key[64];
    snprintf(key, sizeof key, "decided.%s", eligibility_case_counter_name(d->outcome));
    rc = eligibility_case_count(t, key);
    if (rc) return rc;

    /* Art. 43(2): the materials deadline is data, acted on by the tick. */
    int64_t was =
        prior && prior->outcome == LEGALAID__OUTCOME__NEEDS_MATERIALS && prior->has_materials_due_at
            ? prior->materials_due_at
            : 0;
    int64_t now_due = d->outcome == LEGALAID__OUTCOME__NEEDS_MATERIALS && d->has_materials_due_at
                          ? d->materials_due_at
                          : 0;
    if (was && was != now_due) {
        rc = eligibility_due_remove(t, was, d->case_id, ELIGIBILITY_DUE_MATERIALS);
        if (rc) return rc;
    }
    if (now_due && now_due != was) {
        rc = eligibility_due_add(t, now_due, d->case_id, ELIGIBILITY_DUE_MATERIALS);
        if (rc) return rc;
    }

    Legalaid__EligibilityDecided *b =
        ARENA_NEW(t->arena, Legalaid__EligibilityDecided, legalaid__eligibility_decided__init);
    b->decision = kept;
    Legalaid__Event *out = turn_event(t);
    out->body_case = LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED;
    out->eligibility_decided = b;
    eligibility_deadline_decided(t, out, prior, d);
    rc = turn_emit(t, d->case_id, out);
    if (!rc) rc = eligibility_stats_decided(t, prior, d);
    if (rc) return rc;
    if (!prior && d->has_decided_at) {
        /* From receipt to the first decision (art. 43), for the exporter
         * and the board's charts. */
        Legalaid__Application *app = NULL;
        rc = eligibility_case_application(t, d->case_id, &app);
        if (rc && rc != MDB_NOTFOUND) return rc;
        int64_t took = app && app->has_received_at && d->decided_at >= app->received_at
                           ? d->decided_at - app->received_at
                           : -1;
        rc = turn_observe(t, "decision_seconds", d->decided_at, took);
        if (rc) return rc;
    }
    if (prior)
        log_info("decided again case=%s outcome=%s articles=%zu", d->case_id,
                 eligibility_case_outcome_name(d->outcome), d->n_articles);
    else
        log_info("decided case=%s outcome=%s articles=%zu", d->case_id,
                 eligibility_case_outcome_name(d->outcome), d->n_articles);
    return 0;
}

int eligibility_case_decide(turn_t *t, const Legalaid__Application *a,
                            const Legalaid__Decision *prior, int lift_credit, long long paused_days,
                            Legalaid__Decision **out)
{
    eligibility_facts_t facts;
    int rc = eligibility_case_facts(t, a, lift_credit, &facts);
    if (rc) return rc;
    facts.paused_days = paused_days;
    facts.materials_due_at = eligibility_case_notice_due(prior);
    Legalaid__Decision *d = ARENA_NEW(t->arena, Legalaid__Decision, legalaid__decision__init);
    eligibility_rules_decide(a, &facts, &eligibility_config, t->now, t->arena, d);
    rc = eligibility_case_publish(t, prior, d);
    if (rc) return rc;
    if (out) *out = d;
    return 0;
}

int64_t eligibility_case_notice_due(const Legalaid__Decision *prior)
{
    return prior && prior->outcome == LEGALAID__OUTCOME__NEEDS_MATERIALS &&
                   prior->has_materials_due_at && prior->materials_due_at > 0
               ? prior->materials_due_at
               : 0;
}

Legalaid__Decision *eligibility_case_redecision(turn_t *t, const Legalaid__Decision *prior,
                                                Legalaid__Outcome outcome)
{
    Legalaid__Decision *d = arena_alloc(t->arena, sizeof *d);
    *d = *prior;
    d->outcome = outcome;
    d->has_outcome = 1;
    d->decided_at = t->now;
    d->has_decided_at = 1;
    d->has_assign_due_at = 0;
    d->assign_due_at = 0;
    d->n_missing_materials = 0;
    d->missing_materials = NULL;
    d->objection_route = NULL;
    d->n_articles = 0;
    d->articles = NULL;
    return d;
}

int eligibility_case_decide_corrected(turn_t *t, const Legalaid__Application *a,
                                      const Legalaid__Decision *prior, long long paused_days,
                                      const char *ordered)
{
    /* This case's own credit bar goes with the finding set aside. */
    if (a->applicant && a->applicant->id_number) {
        int rc = eligibility_credit_lift(t, a->applicant->id_number, a->case_id);
        if (rc) return rc;
    }
    eligibility_facts_t facts;
    int rc = eligibility_case_facts(t, a, 1, &facts);
    if (rc) return rc;
    facts.paused_days = paused_days;
    int64_t kept = eligibility_case_notice_due(prior);
    facts.materials_due_at = kept;
    Legalaid__Decision *d = ARENA_NEW(t->arena, Legalaid__Decision, legalaid__decision__init);
    eligibility_rules_decide(a, &facts, &eligibility_config, t->now, t->arena, d);
    if (d->outcome == LEGALAID__OUTCOME__REFUSED || d->outcome == LEGALAID__OUTCOME__TERMINATED) {
        d->outcome = LEGALAID__OUTCOME__NEEDS_MATERIALS;
        d->means_path = LEGALAID__MEANS_PATH__NOT_SETTLED;
        d->has_means_path = 1;
        d->objection_route = NULL;
        d->n_articles = 0;
        d->articles = NULL;
        eligibility_decision_cite(t->arena, d, LAW "art. 49");
        eligibility_decision_cite(t->arena, d, LAW "art. 43(2)");
        /* The means finding set aside is no longer what the case rests on. */
        eligibility_decision_explained(t->arena, d, "means", 0, LAW "art. 43(2)",
                                       ELIGIBILITY_TEXT(t->arena, "means.set_aside"));
        d->missing_materials = arena_alloc(t->arena, sizeof *d->missing_materials);
        d->missing_materials[0] = "针对异议决定所指问题的补充证明材料";
        d->n_missing_materials = 1;
        /* Art. 43(2): one notice, one deadline. */
        d->materials_due_at =
            kept
                ? kept
                : eligibility_calendar_days_end(t->now, eligibility_config.materials_deadline_days);
        d->has_materials_due_at = 1;
        char due[CLOCK_TEXT_MAX];
        clock_deadline_text(d->materials_due_at, due);
        eligibility_decision_reason(
            t->arena, d,
            ELIGIBILITY_TEXT(t->arena, kept ? "reason.materials_still_awaited" : "reason.reopened",
                             decisiontext_lit(t->arena, ordered), arena_strdup(t->arena, due)));
    } else {
        eligibility_decision_cite(t->arena, d, LAW "art. 49");
        decisiontext_t was = decisiontext_reason(t->arena, d);
        eligibility_decision_reason(t->arena, d,
                                    ELIGIBILITY_TEXT(t->arena, "reason.decided_again",
                                                     decisiontext_lit(t->arena, ordered),
                                                     DECISIONTEXT_NEST, &was));
    }
    eligibility_decision_test(t->arena, d, "objection", 1, ordered, LAW "art. 49");
    return eligibility_case_publish(t, prior, d);
}
