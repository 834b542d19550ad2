/*
 * dispatch.c - the dispatch service's entry floor: the request switch
 * (each request body to one step), the apply of eligibility's stream, the
 * counters and the service's description for the skeleton. Its files, by
 * floor (each calls only the floors below it, or sideways without a
 * circle: tests/structure/floors.sh):
 *
 * entry points
 *   dispatch.c            requests, eligibility's events, counters
 *   dispatch_tick.c       the tick: the deadlines fallen due (lapse, overdue,
 *                         agreement, own counsel, closing file, review)
 *   main.c                the daemon and its man page
 * steps
 *   dispatch_decision.c   eligibility's decisions: a case opened, approved
 *                         again (art. 49), aid ended by eligibility (art. 48)
 *   dispatch_offer.c      the offer machine (its state table): offer, answer,
 *                         decline, lapse, withdrawal, assignment; the drain of
 *                         the waiting cases in the order of work
 *   dispatch_manual.c     AssignManually: staff's choice of lawyer
 *   dispatch_match.c      who may take a case (the hard rules) and who should
 *                         (suitability, fairness)
 *   dispatch_import.c     ImportLawyers: checks, recruitment, LawyersImported
 *   dispatch_lifecycle.c  AdvanceCase: the case from acceptance to its file
 *   dispatch_end.c        ReleaseLawyer and TerminateAid (art. 48), and own
 *                         counsel's period (CPL interpretation art. 50)
 *   dispatch_review.c     RecordReview: the file's review, 一卷二评
 *   dispatch_report.c     ReviewReportQuery: the review report (art. 58)
 *   dispatch_query.c      GetAssignment and LawyersQuery: what staff read
 * tables (the table map is in dispatch_int.h)
 *   dispatch_case.c       "assignments": dispatch's record of a case
 *   dispatch_pool.c       "lawyers" and "load": the pool and each lawyer's load
 *   dispatch_queue.c      "queue": the waiting cases in the order of work, and
 *                         DispatchQueueQuery
 *   dispatch_conflict.c   "parties": the conflict-of-interest index
 *   dispatch_store.c      the table handles, opened at start ("due" is read
 *                         and written through common/due.h)
 *   dispatch_config.c     the configuration keys and the struct steps read
 *   dispatch_time.c       dates, years of practice, periods in days
 */
#include "dispatch.h"

#include <string.h>

#include "dispatch_int.h"
#include "store.h"
#include "i18n.h"

static int dispatch_open(daemon_t *d, MDB_txn *txn)
{
    dispatch_poolmem_changed();
    int daily_empty;
    MDB_dbi daily = daemon_daily(d, &daily_empty);
    int rc = dispatch_store_open(txn, daily, daily_empty);
    if (!rc) rc = dispatch_intern_store_open(txn);
    int stats_empty;
    dispatch_stats_open(daemon_stats(d, &stats_empty));
    if (!rc && stats_empty && store_count(txn, dispatch_assignments)) rc = dispatch_stats_fill(txn);
    return rc;
}

static int dispatch_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_IMPORT_LAWYERS:
        return dispatch_import_lawyers(t, req->import_lawyers, reply);
    case LEGALAID__REQUEST__BODY_GET_ASSIGNMENT:
        return dispatch_query_assignment(t, req->get_assignment, reply);
    case LEGALAID__REQUEST__BODY_ANSWER_OFFER:
        return dispatch_offer_answer(t, req->answer_offer, reply);
    case LEGALAID__REQUEST__BODY_ASSIGN_MANUALLY:
        return dispatch_manual_assign(t, req->assign_manually, reply);
    case LEGALAID__REQUEST__BODY_ADVANCE_CASE:
        return dispatch_lifecycle_advance(t, req->advance_case, reply);
    case LEGALAID__REQUEST__BODY_REPORT_CASE_EVENT:
        return dispatch_agency_report(t, req->report_case_event, reply);
    case LEGALAID__REQUEST__BODY_RELEASE_LAWYER:
        return dispatch_end_release_lawyer(t, req->release_lawyer, reply);
    case LEGALAID__REQUEST__BODY_TERMINATE_AID:
        return dispatch_end_terminate_aid(t, req->terminate_aid, reply);
    case LEGALAID__REQUEST__BODY_RECORD_REVIEW:
        return dispatch_review_record(t, req->record_review, reply);
    case LEGALAID__REQUEST__BODY_REVIEW_REPORT:
        return dispatch_report_review(t, req->review_report, reply);
    case LEGALAID__REQUEST__BODY_DISPATCH_QUEUE:
        return dispatch_queue_list(t, req->dispatch_queue, reply);
    case LEGALAID__REQUEST__BODY_LAWYERS:
        return dispatch_query_lawyers(t, req->lawyers, reply);
    case LEGALAID__REQUEST__BODY_LAWYER_CASES:
        return dispatch_query_lawyer_cases(t, req->lawyer_cases, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_CALENDAR:
        return dispatch_time_import_calendar(t, req->import_calendar, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_CANDIDATES:
        return dispatch_intern_import_candidates(t, req->import_candidates, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_PLACES:
        return dispatch_intern_import_places(t, req->import_places, reply);
    case LEGALAID__REQUEST__BODY_INTERN_MATCH:
        return dispatch_intern_publish_request(t, req->intern_match, reply);
    case LEGALAID__REQUEST__BODY_INTERN_ANSWER:
        return dispatch_intern_answer_request(t, req->intern_answer, reply);
    case LEGALAID__REQUEST__BODY_INTERN_QUERY:
        return dispatch_intern_query_request(t, req->intern_query, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  _("dispatch does not take request body %d (it takes the pool, the calendar, "
                  "offers, assignments, the case's steps, the authorities' case events, reviews, internship "
                  "places and their queries)"),
                  (int)req->body_case);
        return 0;
    }
}

static int dispatch_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    (void)upstream;
    if (ev->body_case != LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED) return 0;
    return dispatch_decision_apply(t, ev->eligibility_decided->decision);
}

/* The cases by state, and the overdue ones among the waiting: counts kept
 * in the "states" table (dispatch_store_states_add). */
static int dispatch_state_counts(turn_t *t, uint64_t *by_state, size_t n, uint64_t *overdue)
{
    int rc = 0;
    for (size_t s = 0; s < n && !rc; s++)
        rc = dispatch_store_state_count(t->txn, (Legalaid__AssignmentState)s, &by_state[s]);
    if (!rc) rc = store_get_u64(t->txn, dispatch_states, DISPATCH_OVERDUE, overdue);
    return rc;
}

static int dispatch_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    uint64_t by_state[16], overdue, assigned, offered;
    int rc = dispatch_state_counts(t, by_state, 16, &overdue);
    if (!rc) rc = store_get_u64(t->txn, daemon_meta(t->d), "assigned", &assigned);
    if (!rc) rc = store_get_u64(t->txn, daemon_meta(t->d), "offered", &offered);
    if (rc) return rc;
    turn_counter(t, st, "pool_size", store_count(t->txn, dispatch_lawyers));
    turn_counter(t, st, "calendar_days", store_count(t->txn, dispatch_calendar));
    turn_counter(t, st, "offers_made", offered);
    turn_counter(t, st, "assigned", assigned);
    turn_counter(t, st, "waiting", by_state[LEGALAID__ASSIGNMENT_STATE__QUEUED]);
    turn_counter(t, st, "offered_now", by_state[LEGALAID__ASSIGNMENT_STATE__OFFERED]);
    turn_counter(t, st, "needs_staff", by_state[LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF]);
    turn_counter(t, st, "assignment_overdue", overdue);
    turn_counter(t, st, "in_hand",
                 by_state[LEGALAID__ASSIGNMENT_STATE__ASSIGNED] +
                     by_state[LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED] +
                     by_state[LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS]);
    turn_counter(t, st, "files_due", by_state[LEGALAID__ASSIGNMENT_STATE__CONCLUDED]);
    turn_counter(t, st, "files_in_review", by_state[LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED]);
    turn_counter(t, st, "reviewed", by_state[LEGALAID__ASSIGNMENT_STATE__REVIEWED]);
    turn_counter(t, st, "terminated", by_state[LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED]);
    return ageq_status(t->txn, &dispatch_ages, dispatch_age_queues, t->now, st, t->arena);
}

static int dispatch_config_check(char *err, size_t errlen)
{
    return dispatch_review_config_check(err, errlen);
}

static const char *const dispatch_upstreams[] = {"eligibility", NULL};
/* The daemons whose upstreams name this stream (fetch.c keeps positions for
 * them only). */
static const char *const dispatch_consumers[] = {"eligibility", "intake", "notify", "roster", NULL};
static const int dispatch_queries[] = {
    LEGALAID__REQUEST__BODY_GET_ASSIGNMENT, LEGALAID__REQUEST__BODY_REVIEW_REPORT,
    LEGALAID__REQUEST__BODY_DISPATCH_QUEUE, LEGALAID__REQUEST__BODY_LAWYERS,
    LEGALAID__REQUEST__BODY_LAWYER_CASES, LEGALAID__REQUEST__BODY_INTERN_QUERY, 0};

const service_t dispatch_service = {
    .name = "dispatch",
    .upstreams = dispatch_upstreams,
    .consumers = dispatch_consumers,
    .config_keys = dispatch_config_keys,
    .config = &dispatch_config,
    .queries = dispatch_queries,
    .config_check = dispatch_config_check,
    .open = dispatch_open,
    .precommit = dispatch_poolmem_flush,
    .handle = dispatch_handle,
    .apply = dispatch_apply,
    .counters = dispatch_counters,
    .tick = dispatch_tick,
};
