/*
 * dispatch.c - the dispatch service: its configuration, its tables, the
 * request switch, eligibility's decisions, the tick and the counters. The
 * work itself is in dispatch_pool.c (the pool), dispatch_match.c (who may
 * and who should take a case), dispatch_offer.c and dispatch_queue.c
 * (offers and the order of work), dispatch_lifecycle.c (the case to its
 * end), dispatch_review.c and dispatch_report.c (一卷二评 and its report) and
 * dispatch_query.c (what staff read).
 */
#include "dispatch.h"

#include <stddef.h>
#include <string.h>

#include "dispatch_int.h"
#include "store.h"

dispatch_config_t dispatch_config;

#define OFF(f) offsetof(dispatch_config_t, f)
static const cfg_key_t dispatch_keys[] = {
    {"default_capacity", CFG_INT, "10", 1, DISPATCH_CAPACITY_MAX, OFF(default_capacity),
     "open cases a lawyer takes at most when the import does not say"},
    {"offer_hours", CFG_INT, "24", 1, 24 * 14, OFF(offer_hours),
     "an offer not answered within this many hours lapses and goes to the next lawyer"},
    {"min_practice_years", CFG_INT, "2", 0, 50, OFF(min_practice_years),
     "recruitment: years of practice a lawyer or grassroots worker needs to join the pool"},
    {"capital_case_min_years", CFG_INT, "3", 0, 50, OFF(capital_case_min_years),
     "years of criminal defence for life-imprisonment and death-penalty cases (art. 26)"},
    {"judicial_cooling_years", CFG_INT, "2", 0, 50, OFF(judicial_cooling_years),
     "former court staff may not defend within this many years of leaving (CPL art. 41 interp.)"},
    {"agreement_days", CFG_INT, "5", 1, 60, OFF(agreement_days),
     "days from assignment to the signed entrustment agreement (程序规定 art. 27)"},
    {"closing_file_days", CFG_INT, "30", 1, 365, OFF(closing_file_days),
     "days from conclusion to the closing file (art. 50, R-CLOSE-02)"},
    {"file_review_days", CFG_INT, "30", 1, 365, OFF(file_review_days),
     "days the centre has to review a submitted file (T-19)"},
    {"own_counsel_days", CFG_INT, "5", 1, 60, OFF(own_counsel_days),
     "days a defendant who refused the lawyer has to retain counsel (CPL interp. art. 50)"},
    {"reassign_days", CFG_INT, "3", 1, 30, OFF(reassign_days),
     "days to assign a new lawyer after a replacement or a refusal (art. 43(1) by analogy)"},
    {"weight_specialty", CFG_INT, "4", 0, 1000, OFF(weight_specialty),
     "ranking: points for a lawyer whose specialties include the matter's category"},
    {"weight_language", CFG_INT, "2", 0, 1000, OFF(weight_language),
     "ranking: points for a lawyer who speaks the applicant's language"},
    {"weight_county", CFG_INT, "1", 0, 1000, OFF(weight_county),
     "ranking: points for a lawyer who serves the matter's county"},
    {"firm_fairness_percent", CFG_INT, "50", 0, 1000, OFF(firm_fairness_percent),
     "ranking: weight of the firm's share against the lawyer's own, in percent"},
    {"fair_band_offers", CFG_INT, "2", 0, 1000000, OFF(fair_band_offers),
     "a lawyer whose offers are further than this from the fair share is flagged"},
    {"fair_band_percent", CFG_INT, "20", 0, 100, OFF(fair_band_percent),
     "... or further than this percentage of the fair share, whichever is larger"},
    {"review_indicators", CFG_STRING,
     "案卷材料:20,办案程序:25,法律文书:25,办案效果:20,受援人评价:10", 0, 0,
     OFF(review_indicators),
     "the file review's indicators as name:points, adding up to 100 (R-QUAL-02)"},
    {"grade_excellent_min", CFG_INT, "90", 0, 100, OFF(grade_excellent_min),
     "average score for excellent (优秀) (OPEN-9)"},
    {"grade_good_min", CFG_INT, "75", 0, 100, OFF(grade_good_min),
     "average score for good (良好)"},
    {"grade_pass_min", CFG_INT, "60", 0, 100, OFF(grade_pass_min),
     "average score for pass (合格); below it the file fails (不合格)"},
    {"review_gap_max", CFG_INT, "15", 0, 100, OFF(review_gap_max),
     "two reviews further apart than this call for a third"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

MDB_dbi dispatch_lawyers, dispatch_load, dispatch_assignments, dispatch_queue, dispatch_due,
    dispatch_parties;

static int dispatch_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    dispatch_match_pool_changed();
    int rc = store_table(txn, "lawyers", &dispatch_lawyers);
    if (!rc) rc = store_table(txn, "load", &dispatch_load);
    if (!rc) rc = store_table(txn, "assignments", &dispatch_assignments);
    if (!rc) rc = store_table(txn, "queue", &dispatch_queue);
    if (!rc) rc = store_table(txn, "due", &dispatch_due);
    if (!rc) rc = store_table(txn, "parties", &dispatch_parties);
    if (!rc) rc = dispatch_review_open(txn);
    return rc;
}

static int dispatch_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_IMPORT_LAWYERS:
        return dispatch_lawyers_import(t, req->import_lawyers, reply);
    case LEGALAID__REQUEST__BODY_GET_ASSIGNMENT:
        return dispatch_assignment_get(t, req->get_assignment, reply);
    case LEGALAID__REQUEST__BODY_ANSWER_OFFER:
        return dispatch_offer_answer(t, req->answer_offer, reply);
    case LEGALAID__REQUEST__BODY_ASSIGN_MANUALLY:
        return dispatch_assign_manually(t, req->assign_manually, reply);
    case LEGALAID__REQUEST__BODY_ADVANCE_CASE:
        return dispatch_case_advance(t, req->advance_case, reply);
    case LEGALAID__REQUEST__BODY_RELEASE_LAWYER:
        return dispatch_lawyer_release(t, req->release_lawyer, reply);
    case LEGALAID__REQUEST__BODY_TERMINATE_AID:
        return dispatch_aid_terminate(t, req->terminate_aid, reply);
    case LEGALAID__REQUEST__BODY_RECORD_REVIEW:
        return dispatch_review_record(t, req->record_review, reply);
    case LEGALAID__REQUEST__BODY_REVIEW_REPORT:
        return dispatch_review_report(t, req->review_report, reply);
    case LEGALAID__REQUEST__BODY_DISPATCH_QUEUE:
        return dispatch_queue_list(t, req->dispatch_queue, reply);
    case LEGALAID__REQUEST__BODY_LAWYERS:
        return dispatch_lawyers_list(t, req->lawyers, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "dispatch does not take request body %d (it takes the pool, offers, "
                  "assignments, the case's steps, reviews and their queries)",
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

/* Counts the assignments table by state (a scan: staff ask this rarely,
 * and the table holds a centre's cases). */
static int dispatch_state_counts(turn_t *t, uint64_t *by_state, size_t n, uint64_t *overdue)
{
    memset(by_state, 0, n * sizeof *by_state);
    *overdue = 0;
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(t->txn, dispatch_assignments, &cur));
    if (rc) return rc;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        Legalaid__Assignment *a = legalaid__assignment__unpack(NULL, v.mv_size, v.mv_data);
        if (!a) continue;
        if ((size_t)a->state < n) by_state[a->state]++;
        if (a->overdue) (*overdue)++;
        legalaid__assignment__free_unpacked(a, NULL);
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

static int dispatch_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    uint64_t by_state[16], overdue, assigned, offered;
    int rc = dispatch_state_counts(t, by_state, 16, &overdue);
    if (!rc) rc = store_get_u64(t->txn, daemon_meta(t->d), "assigned", &assigned);
    if (!rc) rc = store_get_u64(t->txn, daemon_meta(t->d), "offered", &offered);
    if (rc) return rc;
    turn_counter(t, st, "pool_size", store_count(t->txn, dispatch_lawyers));
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
    return 0;
}

static int dispatch_config_check(char *err, size_t errlen)
{
    return dispatch_review_config_check(err, errlen);
}

static const char *const dispatch_upstreams[] = {"eligibility", NULL};
static const int dispatch_queries[] = {LEGALAID__REQUEST__BODY_GET_ASSIGNMENT,
                                       LEGALAID__REQUEST__BODY_REVIEW_REPORT,
                                       LEGALAID__REQUEST__BODY_DISPATCH_QUEUE,
                                       LEGALAID__REQUEST__BODY_LAWYERS, 0};

const service_t dispatch_service = {
    .name = "dispatch",
    .upstreams = dispatch_upstreams,
    .config_keys = dispatch_keys,
    .config = &dispatch_config,
    .queries = dispatch_queries,
    .config_check = dispatch_config_check,
    .open = dispatch_open,
    .handle = dispatch_handle,
    .apply = dispatch_apply,
    .counters = dispatch_counters,
    .tick = dispatch_due_tick,
};
