/*
 * eligibility.c - the eligibility service's entry point: opening its
 * tables, and routing intake's and dispatch's events and the requests to
 * the files that own them. Every file of the service, by floor, top down:
 * a file calls only files listed below it, on its own floor or a lower
 * one, never back up (tests/structure/floors.sh checks there is no circle):
 *
 * entry points
 *   eligibility.c            this file: open, the request switch, the stream
 *                            apply, the status counters
 *   eligibility_tick.c       the tick: due deadlines to their steps
 *   main.c                   the daemon's main and its manual page
 *
 * steps (the rules and the state changes of a case)
 *   eligibility_lifecycle.c  received, materials supplied, withdrawn,
 *                            deemed withdrawn (art. 43(2))
 *   eligibility_verify.c     the check afterwards of a commitment (art. 41)
 *   eligibility_objection.c  table "objections" and its state table: filed,
 *                            upheld, corrected, overdue (art. 49)
 *   eligibility_dispatch.c   dispatch's stream: aid terminated there (art. 48)
 *   eligibility_case.c       tables "decisions", "applications"; the facts
 *                            the rules are given; deciding with the rules
 *                            and publishing; a re-decision's starting copy
 *   eligibility_rules.c      the decision itself (a pure function): notices,
 *                            refusals, deadlines; calls the three below
 *   eligibility_means.c      how the economic condition is settled (art. 34,
 *                            41, 42), the income standard by date
 *   eligibility_deadline.c   the deadlines on eligibility's events, for
 *                            notify's timers (art. 36, 41, 43, 44, 49)
 *   eligibility_casefacts.c  the facts of an approved case, for dispatch
 *   eligibility_priority.c   green channel, emergency (art. 44), same day;
 *                            age from a resident ID
 *   eligibility_scope.c      the matters the law covers (art. 24-33)
 *   eligibility_decision.c   building a decision: the facts' type, citing,
 *                            recording a test, the objection route (art. 49),
 *                            whether an application can be decided at all
 *
 * tables (records, indexes, configuration)
 *   eligibility_roll.c       table "roll": the civil-affairs roll, its
 *                            import and lookup
 *   eligibility_calendar.c   table "calendar": holidays, their import; day
 *                            counts (rest days: holidays and weekends)
 *   eligibility_credit.c     table "credit": false-commitment flags
 *   eligibility_mark.c       table "marks": corrected, withdrawn, verified
 *   eligibility_due.c        table "deadlines" (common/due.h): what the tick
 *                            acts on
 *   eligibility_config.c     the [eligibility] keys and eligibility_config
 *
 * Headers: eligibility.h (the service and its configuration),
 * eligibility_int.h (the tables' layouts and what the files offer each
 * other), and a header of its own for each module a unit test includes:
 * eligibility_calendar.h, eligibility_decision.h, eligibility_means.h,
 * eligibility_priority.h, eligibility_rules.h.
 *
 * Counters in "meta": "decided.<outcome>" for every decision published,
 * "objections.filed", "objections.overdue", "objections.upheld",
 * "objections.corrected", "verified.truthful", "verified.false".
 */
#include <stddef.h>
#include <string.h>

#include "decisiontext.h"
#include "eligibility_int.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

static int eligibility_open(daemon_t *d, MDB_txn *txn)
{
    int daily_empty;
    MDB_dbi daily = daemon_daily(d, &daily_empty);
    int stats_empty;
    MDB_dbi stats = daemon_stats(d, &stats_empty);
    int rc = eligibility_case_open(txn, daily, daily_empty, stats, stats_empty);
    if (!rc) rc = eligibility_mark_open(txn);
    if (!rc) rc = eligibility_credit_open(txn);
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
                  _("case_id is required"));
        return 0;
    }
    Legalaid__Decision *d;
    int rc = eligibility_case_decision(t, g->case_id, &d);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "get_decision.case_id",
                  _("no eligibility decision for case %s (unknown case, or intake's event not "
                    "applied yet)"),
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
                  _("eligibility takes get_decision, import_assistance_roll, import_calendar, "
                    "verify_commitment, file_objection, decide_objection and get_objection, not "
                    "request body %d"),
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
    return ageq_status(t->txn, &eligibility_ages, eligibility_age_queues, t->now, st, t->arena);
}

/* A decision's event holds codes: worded for the person reading the
 * case's events, in their language. */
static void eligibility_shown(arena_t *arena, Legalaid__Event *ev)
{
    if (ev->body_case == LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED && ev->eligibility_decided->decision)
        decisiontext_fill(arena, ev->eligibility_decided->decision);
}

static const char *const eligibility_upstreams[] = {"intake", "dispatch", NULL};
/* The daemons whose upstreams name this stream (fetch.c keeps positions for
 * them only). */
static const char *const eligibility_consumers[] = {"dispatch", "intake", "notify", NULL};
static const int eligibility_queries[] = {LEGALAID__REQUEST__BODY_GET_DECISION,
                                          LEGALAID__REQUEST__BODY_GET_OBJECTION, 0};

const service_t eligibility_service = {
    .name = "eligibility",
    .upstreams = eligibility_upstreams,
    .consumers = eligibility_consumers,
    .config_keys = eligibility_config_keys,
    .config = &eligibility_config,
    .queries = eligibility_queries,
    .open = eligibility_open,
    .handle = eligibility_handle,
    .apply = eligibility_apply,
    .counters = eligibility_counters,
    .shown = eligibility_shown,
    .tick = eligibility_tick,
};
