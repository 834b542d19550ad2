/*
 * test-dispatch-review.c - the review of closing files, 一卷二评, through
 * real turns: each case is approved (eligibility's decision), offered until
 * the wanted lawyer has it, accepted, and advanced to FILE_SUBMITTED with
 * the public requests (dispatchkit.h); then reviewed. What is asserted is
 * what staff and lawyers would see: the grade and the final score, the
 * third review, the refusals and their messages, the fields named, the
 * deadline, the events published, and the report per firm and county with
 * the excellent rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatch_int.h"
#include "dispatchkit.h"
#include "testutil.h"

#define DAY_MS 86400000LL
#define T_0302_1000 1772416800000LL                    /* 2026-03-02 10:00 Beijing time */
#define T_0401_1000 (T_0302_1000 + 30 * DAY_MS)        /* 2026-04-01 10:00 */
#define T_0402_0000 (T_0401_1000 + 14 * 3600 * 1000LL) /* 2026-04-02 00:00 */
#define T_0501_0000 (T_0302_1000 + 60 * DAY_MS - 10 * 3600 * 1000LL) /* 2026-05-01 00:00 */
#define T_0510_1000 (T_0302_1000 + 69 * DAY_MS)                      /* 2026-05-10 10:00 */

#define FIRM_A "内蒙古正大律师事务所"
#define FIRM_B "内蒙古鹿城律师事务所"
#define FIRM_C "内蒙古蒙正律师事务所"
#define FIRM_D "内蒙古北方律师事务所"
#define FIRM_E "包头东河律师事务所"

typedef struct fixture {
    test_daemon_t td; /* first: see test_fixture_setup */
    uint64_t seq;     /* eligibility's stream as this test plays it */
} fixture_t;

/* The pool: handlers H1, H2 (the same firm), H3, H4; reviewers R1-R4. */
static const struct {
    const char *id, *name, *firm, *county;
} POOL[] = {
    {"H1", "王建国", FIRM_A, "昆都仑区"}, {"H2", "王建军", FIRM_A, "昆都仑区"},
    {"H3", "李红", FIRM_B, "青山区"},     {"H4", "赵敏", FIRM_C, "昆都仑区"},
    {"R1", "张伟", FIRM_B, "青山区"},     {"R2", "刘洋", FIRM_D, "九原区"},
    {"R3", "陈静", FIRM_D, "九原区"},     {"R4", "杨帆", FIRM_E, "东河区"},
};
#define POOL_N (sizeof POOL / sizeof POOL[0])

static int setup(void **state)
{
    int rc = test_fixture_setup(state, sizeof(fixture_t), &dispatch_service, T_0302_1000);
    if (rc) return rc;
    fixture_t *f = *state;
    dk_pool_t *p = calloc(1, sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < POOL_N; i++) {
        Legalaid__Lawyer *l = dk_lawyer(p, POOL[i].id, POOL[i].firm);
        l->name = (char *)POOL[i].name;
        l->county = (char *)POOL[i].county;
    }
    dk_import_ok(f->td.d, p);
    free(p);
    return 0;
}

static int teardown(void **state)
{
    return test_fixture_teardown(state);
}

/* --- the case to FILE_SUBMITTED through the public requests ------------------ */

static Legalaid__Reply *get_assignment(fixture_t *f, const char *case_id)
{
    Legalaid__Reply *r = dk_get(f->td.d, case_id);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_ASSIGNMENT);
    return r;
}

static void advance(fixture_t *f, const char *case_id, Legalaid__AssignmentState to)
{
    Legalaid__Reply *r = dk_advance(f->td.d, case_id, to);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Approves case_id (a labour arbitration in 昆都仑区) and walks it to
 * `until` with `handler` as its lawyer: offers to others are declined
 * until the handler is offered the case. */
static void case_walk(fixture_t *f, const char *case_id, const char *handler,
                      Legalaid__AssignmentState until)
{
    dk_case_t c;
    dk_case_init(&c, case_id, LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION, clock_now_ms());
    c.facts.county = "昆都仑区";
    c.facts.has_aid_form = 1;
    c.facts.aid_form = LEGALAID__AID_FORM__REPRESENTATION;
    c.applicant.name = "高秀兰";
    c.facts.opposing_party = "包头市某建筑工程有限公司";
    dk_feed(f->td.d, &f->seq, &c.d);
    for (size_t tries = 0;; tries++) {
        if (tries > POOL_N) fail_msg("case %s was never offered to %s", case_id, handler);
        char offered[64];
        Legalaid__AssignmentState st = dk_state(f->td.d, case_id, offered, sizeof offered);
        if (st != LEGALAID__ASSIGNMENT_STATE__OFFERED)
            fail_msg("case %s is %d, not offered, while looking for %s", case_id, (int)st, handler);
        int accept = !strcmp(offered, handler);
        Legalaid__Reply *r = dk_answer(f->td.d, case_id, offered, accept,
                                       accept ? 0 : LEGALAID__DECLINE_CODE__DECLINE_OTHER,
                                       accept ? NULL : "在外地开庭，本周无法接案");
        test_assert_code(r, LEGALAID__CODE__OK);
        legalaid__reply__free_unpacked(r, NULL);
        if (accept) break;
    }
    static const Legalaid__AssignmentState steps[] = {
        LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED, LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS,
        LEGALAID__ASSIGNMENT_STATE__CONCLUDED, LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        advance(f, case_id, steps[i]);
        if (steps[i] == until) break;
    }
}

/* --- reviews --------------------------------------------------------------- */

/* The default indicators (dispatch.c): 案卷材料:20, 办案程序:25, 法律文书:25,
 * 办案效果:20, 受援人评价:10. */
static const char *const IND[] = {"案卷材料", "办案程序", "法律文书", "办案效果", "受援人评价"};
static const uint32_t IND_MAX[] = {20, 25, 25, 20, 10};
#define IND_N 5

typedef struct sheet {
    Legalaid__IndicatorScore s[8];
    Legalaid__IndicatorScore *list[8];
    size_t n;
} sheet_t;

/* A full score sheet adding up to total: each indicator filled to its
 * maximum in order until the total is spent. */
static void sheet_fill(sheet_t *sh, uint32_t total)
{
    sh->n = IND_N;
    for (size_t i = 0; i < IND_N; i++) {
        legalaid__indicator_score__init(&sh->s[i]);
        sh->s[i].indicator = (char *)IND[i];
        sh->s[i].has_points = 1;
        sh->s[i].points = total < IND_MAX[i] ? total : IND_MAX[i];
        total -= sh->s[i].points;
        sh->list[i] = &sh->s[i];
    }
    assert_int_equal(total, 0);
}

static Legalaid__Reply *review_sheet(fixture_t *f, const char *case_id, const char *reviewer,
                                     sheet_t *sh)
{
    Legalaid__RecordReview rr = LEGALAID__RECORD_REVIEW__INIT;
    rr.case_id = (char *)case_id;
    rr.reviewer_id = (char *)reviewer;
    rr.scores = sh->list;
    rr.n_scores = sh->n;
    rr.comment = "卷宗材料齐全，程序规范";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_RECORD_REVIEW;
    req.record_review = &rr;
    return test_call_new(f->td.d, &req);
}

static Legalaid__Reply *review(fixture_t *f, const char *case_id, const char *reviewer,
                               uint32_t total)
{
    sheet_t sh;
    sheet_fill(&sh, total);
    return review_sheet(f, case_id, reviewer, &sh);
}

/* A review that must go in; the updated Assignment stays for the caller. */
static Legalaid__Reply *review_ok(fixture_t *f, const char *case_id, const char *reviewer,
                                  uint32_t total)
{
    Legalaid__Reply *r = review(f, case_id, reviewer, total);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_ASSIGNMENT);
    return r;
}

static void review_graded(fixture_t *f, const char *case_id, const char *r1, uint32_t t1,
                          const char *r2, uint32_t t2)
{
    legalaid__reply__free_unpacked(review_ok(f, case_id, r1, t1), NULL);
    Legalaid__Reply *r = review_ok(f, case_id, r2, t2);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__REVIEWED);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Asserts an error reply: code, field, and a phrase of its message. */
static void assert_refused(Legalaid__Reply *r, Legalaid__Code code, const char *field,
                           const char *says)
{
    test_assert_code(r, code);
    assert_non_null(r->field);
    assert_string_equal(r->field, field);
    if (!r->error || !strstr(r->error, says))
        fail_msg("error '%s' does not say '%s'", r->error ? r->error : "(none)", says);
    legalaid__reply__free_unpacked(r, NULL);
}

/* The test clock runs on from where it is set: a time stamped in a turn is
 * at or a little after the time set. */
static void assert_at(int64_t actual, int64_t set)
{
    if (actual < set || actual > set + 60 * 1000)
        fail_msg("time %lld is not at %lld (+1 minute)", (long long)actual, (long long)set);
}

/* --- tests ------------------------------------------------------------------- */

/* Submission: two reviews needed, the centre's deadline set (T-19); no
 * review in time: DeadlineMissed for file_review. */
static void test_submission_sets_review_deadline(void **state)
{
    fixture_t *f = *state;
    case_walk(f, "BT-2026-0101", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    Legalaid__Reply *r = get_assignment(f, "BT-2026-0101");
    Legalaid__Assignment *a = r->assignment;
    assert_int_equal(a->state, LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    assert_int_equal(a->reviews_needed, 2);
    assert_int_equal(a->n_reviews, 0);
    assert_false(a->has_grade);
    /* 30 days from the day after submission: 2026-04-01, to its end. */
    assert_int_equal(a->review_due_at, T_0402_0000);
    int64_t due = a->review_due_at;
    legalaid__reply__free_unpacked(r, NULL);
    /* The move to FILE_SUBMITTED publishes the deadline for notify's timers. */
    Legalaid__Batch *b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_CASE_PROGRESSED);
    assert_true(b->n_events > 0);
    const Legalaid__Event *moved = b->events[b->n_events - 1];
    assert_int_equal(moved->case_progressed->to, LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    const Legalaid__Deadline *dl = dk_deadline(moved, "file_review");
    assert_non_null(dl);
    assert_int_equal(dl->due_at, T_0402_0000);
    legalaid__batch__free_unpacked(b, NULL);

    /* Not yet due: nothing. */
    uint64_t head = dk_head(f->td.d);
    clock_set_ms(due - 60 * 1000);
    assert_int_equal(daemon_tick(f->td.d), 0);
    Legalaid__Event **evs;
    size_t n;
    b = dk_events(f->td.d, head, LEGALAID__EVENT__BODY_DEADLINE_MISSED);
    evs = b->events;
    n = b->n_events;
    assert_int_equal(n, 0);
    legalaid__batch__free_unpacked(b, NULL);
    clock_set_ms(due + 1000);
    assert_int_equal(daemon_tick(f->td.d), 0);
    b = dk_events(f->td.d, head, LEGALAID__EVENT__BODY_DEADLINE_MISSED);
    evs = b->events;
    n = b->n_events;
    assert_int_equal(n, 1);
    assert_string_equal(evs[0]->case_id, "BT-2026-0101");
    assert_string_equal(evs[0]->deadline_missed->deadline->key, "file_review");
    assert_int_equal(evs[0]->deadline_missed->deadline->owner, LEGALAID__PARTY__STAFF);
    legalaid__batch__free_unpacked(b, NULL);
}

/* Two close reviews: the rounded mean of the two, graded from the cut-offs;
 * 89 and 90 make 89.5, rounded to 90: excellent (grade_excellent_min 90). */
static void test_two_close_reviews_graded(void **state)
{
    fixture_t *f = *state;
    case_walk(f, "BT-2026-0102", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    uint64_t head = dk_head(f->td.d);
    clock_set_ms(T_0302_1000 + 5 * DAY_MS);

    Legalaid__Reply *r = review_ok(f, "BT-2026-0102", "R1", 89);
    Legalaid__Assignment *a = r->assignment;
    assert_int_equal(a->state, LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    assert_int_equal(a->n_reviews, 1);
    assert_string_equal(a->reviews[0]->reviewer_id, "R1");
    assert_string_equal(a->reviews[0]->reviewer_firm, FIRM_B);
    assert_int_equal(a->reviews[0]->total, 89);
    assert_int_equal(a->reviews[0]->n_scores, IND_N);
    assert_false(a->has_grade);
    legalaid__reply__free_unpacked(r, NULL);

    clock_set_ms(T_0302_1000 + 6 * DAY_MS);
    r = review_ok(f, "BT-2026-0102", "R2", 90);
    a = r->assignment;
    assert_int_equal(a->state, LEGALAID__ASSIGNMENT_STATE__REVIEWED);
    assert_int_equal(a->n_reviews, 2);
    assert_int_equal(a->final_score, 90);
    assert_int_equal(a->grade, LEGALAID__GRADE__EXCELLENT);
    assert_at(a->reviewed_at, T_0302_1000 + 6 * DAY_MS);
    legalaid__reply__free_unpacked(r, NULL);

    /* Every review is published; the grade only with the second. */
    Legalaid__Event **evs;
    size_t n;
    Legalaid__Batch *b = dk_events(f->td.d, head, LEGALAID__EVENT__BODY_FILE_REVIEWED);
    evs = b->events;
    n = b->n_events;
    assert_int_equal(n, 2);
    Legalaid__FileReviewed *first = evs[0]->file_reviewed, *second = evs[1]->file_reviewed;
    assert_int_equal(first->reviews, 1);
    assert_int_equal(first->reviews_needed, 2);
    assert_false(first->has_grade);
    assert_false(dk_met(evs[0], "file_review"));
    assert_int_equal(second->reviews, 2);
    assert_true(second->has_grade);
    assert_int_equal(second->grade, LEGALAID__GRADE__EXCELLENT);
    assert_int_equal(second->final_score, 90);
    assert_string_equal(second->lawyer_id, "H1");
    assert_string_equal(second->firm, FIRM_A);
    assert_string_equal(second->review->reviewer_id, "R2");
    assert_true(dk_met(evs[1], "file_review"));
    legalaid__batch__free_unpacked(b, NULL);

    /* Graded: the deadline no longer falls due, and no more reviews. */
    head = dk_head(f->td.d);
    clock_set_ms(T_0302_1000 + 40 * DAY_MS);
    assert_int_equal(daemon_tick(f->td.d), 0);
    b = dk_events(f->td.d, head, LEGALAID__EVENT__BODY_DEADLINE_MISSED);
    evs = b->events;
    n = b->n_events;
    assert_int_equal(n, 0);
    legalaid__batch__free_unpacked(b, NULL);
    assert_refused(review(f, "BT-2026-0102", "R3", 70), LEGALAID__CODE__CONFLICT,
                   "record_review.case_id", "is REVIEWED");

    /* The grade follows the configured cut-offs: the same means, graded again. */
    case_walk(f, "BT-2026-0103", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    dispatch_config.grade_excellent_min = 95;
    review_graded(f, "BT-2026-0103", "R1", 89, "R2", 90);
    r = get_assignment(f, "BT-2026-0103");
    assert_int_equal(r->assignment->final_score, 90);
    assert_int_equal(r->assignment->grade, LEGALAID__GRADE__GOOD);
    legalaid__reply__free_unpacked(r, NULL);
}

/* The pass mark as shipped (grade_pass_min 60): a mean of exactly 60 passes,
 * 59 fails. */
static void test_pass_mark_edge(void **state)
{
    fixture_t *f = *state;
    case_walk(f, "BT-2026-0201", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    review_graded(f, "BT-2026-0201", "R1", 60, "R2", 60);
    Legalaid__Reply *r = get_assignment(f, "BT-2026-0201");
    assert_int_equal(r->assignment->final_score, 60);
    assert_int_equal(r->assignment->grade, LEGALAID__GRADE__PASS);
    legalaid__reply__free_unpacked(r, NULL);
    case_walk(f, "BT-2026-0202", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    review_graded(f, "BT-2026-0202", "R1", 59, "R2", 59);
    r = get_assignment(f, "BT-2026-0202");
    assert_int_equal(r->assignment->final_score, 59);
    assert_int_equal(r->assignment->grade, LEGALAID__GRADE__FAIL);
    legalaid__reply__free_unpacked(r, NULL);
}

/* More than review_gap_max (15) apart: a third review; the final score is
 * the mean of the two closest of the three. */
static void test_far_apart_needs_third_review(void **state)
{
    fixture_t *f = *state;
    case_walk(f, "BT-2026-0201", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    legalaid__reply__free_unpacked(review_ok(f, "BT-2026-0201", "R1", 60), NULL);
    uint64_t head = dk_head(f->td.d);
    Legalaid__Reply *r = review_ok(f, "BT-2026-0201", "R2", 80);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    assert_int_equal(r->assignment->reviews_needed, 3);
    assert_false(r->assignment->has_grade);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Event **evs;
    size_t n;
    Legalaid__Batch *b = dk_events(f->td.d, head, LEGALAID__EVENT__BODY_FILE_REVIEWED);
    evs = b->events;
    n = b->n_events;
    assert_int_equal(n, 1);
    assert_int_equal(evs[0]->file_reviewed->reviews, 2);
    assert_int_equal(evs[0]->file_reviewed->reviews_needed, 3);
    assert_false(evs[0]->file_reviewed->has_grade);
    assert_false(dk_met(evs[0], "file_review"));
    legalaid__batch__free_unpacked(b, NULL);

    /* 60, 80, 76: 80 and 76 are closest: 78, good. */
    r = review_ok(f, "BT-2026-0201", "R4", 76);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__REVIEWED);
    assert_int_equal(r->assignment->n_reviews, 3);
    assert_int_equal(r->assignment->final_score, 78);
    assert_int_equal(r->assignment->grade, LEGALAID__GRADE__GOOD);
    legalaid__reply__free_unpacked(r, NULL);

    /* 60, 80, 70: both pairs 10 apart: the higher pair, 75, good (the lower
     * would give 65, pass). */
    case_walk(f, "BT-2026-0202", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    legalaid__reply__free_unpacked(review_ok(f, "BT-2026-0202", "R1", 60), NULL);
    legalaid__reply__free_unpacked(review_ok(f, "BT-2026-0202", "R2", 80), NULL);
    r = review_ok(f, "BT-2026-0202", "R3", 70);
    assert_int_equal(r->assignment->final_score, 75);
    assert_int_equal(r->assignment->grade, LEGALAID__GRADE__GOOD);
    legalaid__reply__free_unpacked(r, NULL);

    /* Exactly review_gap_max apart is close enough: 60 and 75 make 67.5 -> 68. */
    case_walk(f, "BT-2026-0203", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    legalaid__reply__free_unpacked(review_ok(f, "BT-2026-0203", "R1", 60), NULL);
    r = review_ok(f, "BT-2026-0203", "R2", 75);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__REVIEWED);
    assert_int_equal(r->assignment->final_score, 68);
    assert_int_equal(r->assignment->grade, LEGALAID__GRADE__PASS);
    legalaid__reply__free_unpacked(r, NULL);

    /* The gap is configured: with review_gap_max 5, 60 and 75 need a third. */
    dispatch_config.review_gap_max = 5;
    case_walk(f, "BT-2026-0204", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    legalaid__reply__free_unpacked(review_ok(f, "BT-2026-0204", "R1", 60), NULL);
    r = review_ok(f, "BT-2026-0204", "R2", 75);
    assert_int_equal(r->assignment->reviews_needed, 3);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    legalaid__reply__free_unpacked(r, NULL);
}

/* R-QUAL-03: peers only: not the handling lawyer, not the same firm, not
 * twice, and a member of the pool. */
static void test_reviewer_rules(void **state)
{
    fixture_t *f = *state;
    case_walk(f, "BT-2026-0301", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    assert_refused(review(f, "BT-2026-0301", "H1", 85), LEGALAID__CODE__FORBIDDEN,
                   "record_review.reviewer_id", "never by its own lawyer");
    assert_refused(review(f, "BT-2026-0301", "H2", 85), LEGALAID__CODE__FORBIDDEN,
                   "record_review.reviewer_id", "of " FIRM_A ", the firm of H1");
    assert_refused(review(f, "BT-2026-0301", "R9", 85), LEGALAID__CODE__NOT_FOUND,
                   "record_review.reviewer_id", "R9 is not in the pool");
    assert_refused(review(f, "BT-2026-0301", "", 85), LEGALAID__CODE__INVALID_FIELD,
                   "record_review.reviewer_id", "reviewer_id");
    legalaid__reply__free_unpacked(review_ok(f, "BT-2026-0301", "R1", 85), NULL);
    assert_refused(review(f, "BT-2026-0301", "R1", 86), LEGALAID__CODE__CONFLICT,
                   "record_review.reviewer_id", "R1 has already reviewed case BT-2026-0301");

    /* The refusals left nothing behind: one review, still two needed. */
    Legalaid__Reply *r = get_assignment(f, "BT-2026-0301");
    assert_int_equal(r->assignment->n_reviews, 1);
    assert_int_equal(r->assignment->reviews_needed, 2);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    legalaid__reply__free_unpacked(r, NULL);

    /* H1 reviews a file of another firm's lawyer without objection. */
    case_walk(f, "BT-2026-0302", "H3", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    assert_refused(review(f, "BT-2026-0302", "R1", 85), LEGALAID__CODE__FORBIDDEN,
                   "record_review.reviewer_id", "the reviewers come from other firms");
    legalaid__reply__free_unpacked(review_ok(f, "BT-2026-0302", "H1", 85), NULL);
}

/* The score sheet: exactly the configured indicators, each once, points
 * within each indicator's maximum; the field at fault is named. */
static void test_scores_checked(void **state)
{
    fixture_t *f = *state;
    case_walk(f, "BT-2026-0401", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    sheet_t sh;

    sheet_fill(&sh, 80);
    sh.s[2].indicator = "文书格式";
    assert_refused(review_sheet(f, "BT-2026-0401", "R1", &sh), LEGALAID__CODE__INVALID_FIELD,
                   "record_review.scores[2].indicator",
                   "'文书格式' is not an indicator of the file review");

    sheet_fill(&sh, 80);
    sh.n = 4; /* 受援人评价 left out */
    assert_refused(review_sheet(f, "BT-2026-0401", "R1", &sh), LEGALAID__CODE__INVALID_FIELD,
                   "record_review.scores", "受援人评价 is not scored");

    sheet_fill(&sh, 80);
    sh.s[1].points = 26; /* 办案程序 is out of 25 */
    assert_refused(review_sheet(f, "BT-2026-0401", "R1", &sh), LEGALAID__CODE__INVALID_FIELD,
                   "record_review.scores[1].points", "26 points for 办案程序: its most is 25");

    sheet_fill(&sh, 80);
    sh.s[4].indicator = "案卷材料";
    assert_refused(review_sheet(f, "BT-2026-0401", "R1", &sh), LEGALAID__CODE__INVALID_FIELD,
                   "record_review.scores[4].indicator", "案卷材料 is scored twice");

    sheet_fill(&sh, 80);
    sh.s[3].has_points = 0;
    assert_refused(review_sheet(f, "BT-2026-0401", "R1", &sh), LEGALAID__CODE__INVALID_FIELD,
                   "record_review.scores[3].points", "the points for 办案效果 are required");

    /* In another order, the sheet is whole: taken, total the sum. */
    sheet_fill(&sh, 77);
    Legalaid__IndicatorScore *first = sh.list[0];
    sh.list[0] = sh.list[4];
    sh.list[4] = first;
    Legalaid__Reply *r = review_sheet(f, "BT-2026-0401", "R1", &sh);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->n_reviews, 1);
    assert_int_equal(r->assignment->reviews[0]->total, 77);
    legalaid__reply__free_unpacked(r, NULL);
}

/* A file is reviewed only once submitted. */
static void test_review_before_submission(void **state)
{
    fixture_t *f = *state;
    case_walk(f, "BT-2026-0501", "H1", LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS);
    assert_refused(review(f, "BT-2026-0501", "R1", 85), LEGALAID__CODE__CONFLICT,
                   "record_review.case_id",
                   "case BT-2026-0501 is IN_PROGRESS: the file is reviewed after it is submitted");
    advance(f, "BT-2026-0501", LEGALAID__ASSIGNMENT_STATE__CONCLUDED);
    assert_refused(review(f, "BT-2026-0501", "R1", 85), LEGALAID__CODE__CONFLICT,
                   "record_review.case_id", "is CONCLUDED");
    advance(f, "BT-2026-0501", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    legalaid__reply__free_unpacked(review_ok(f, "BT-2026-0501", "R1", 85), NULL);
    assert_refused(review(f, "BT-2026-0599", "R1", 85), LEGALAID__CODE__NOT_FOUND,
                   "record_review.case_id", "no case BT-2026-0599");
}

static Legalaid__Reply *report(fixture_t *f, Legalaid__ReportBy by, int64_t from, int64_t to)
{
    Legalaid__ReviewReportQuery q = LEGALAID__REVIEW_REPORT_QUERY__INIT;
    q.has_by = 1;
    q.by = by;
    q.has_from = from != 0;
    q.from = from;
    q.has_to = to != 0;
    q.to = to;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REVIEW_REPORT;
    req.review_report = &q;
    return test_call_new(f->td.d, &req);
}

static void assert_row(const Legalaid__ReviewReportRow *row, const char *group, uint32_t files,
                       uint32_t excellent, uint32_t good, uint32_t pass, uint32_t fail,
                       uint32_t permille, uint32_t mean)
{
    assert_string_equal(row->group, group);
    assert_int_equal(row->files, files);
    assert_int_equal(row->excellent, excellent);
    assert_int_equal(row->good, good);
    assert_int_equal(row->pass, pass);
    assert_int_equal(row->fail, fail);
    assert_int_equal(row->excellent_permille, permille);
    assert_int_equal(row->mean_score, mean);
}

/* R-QUAL-04 (art. 58): per firm and per county of the handling lawyer,
 * with the excellent rate, for the files graded in a period. */
static void test_report_by_firm_and_county(void **state)
{
    fixture_t *f = *state;
    case_walk(f, "BT-2026-0601", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    case_walk(f, "BT-2026-0602", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    case_walk(f, "BT-2026-0603", "H3", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    case_walk(f, "BT-2026-0604", "H4", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    case_walk(f, "BT-2026-0605", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    case_walk(f, "BT-2026-0606", "H3", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);

    /* Nothing graded yet: an empty report with a zero total. */
    Legalaid__Reply *r = report(f, LEGALAID__REPORT_BY__BY_FIRM, 0, 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->review_report->n_rows, 0);
    assert_row(r->review_report->total, "total", 0, 0, 0, 0, 0, 0, 0);
    legalaid__reply__free_unpacked(r, NULL);

    clock_set_ms(T_0401_1000);
    review_graded(f, "BT-2026-0601", "R1", 95, "R2", 95); /* 95 excellent */
    review_graded(f, "BT-2026-0602", "R1", 80, "R2", 80); /* 80 good */
    clock_set_ms(T_0401_1000 + 3 * DAY_MS);
    review_graded(f, "BT-2026-0603", "R2", 91, "R4", 93); /* 92 excellent */
    review_graded(f, "BT-2026-0604", "R1", 50, "R2", 50); /* 50 fail */
    clock_set_ms(T_0510_1000);
    review_graded(f, "BT-2026-0605", "R1", 96, "R2", 96); /* 96 excellent, in May */
    /* 0606 reviewed once only: not in any report. */
    legalaid__reply__free_unpacked(review_ok(f, "BT-2026-0606", "R2", 99), NULL);

    /* April, per firm (sorted by name: 正大, 蒙正, 鹿城). */
    r = report(f, LEGALAID__REPORT_BY__BY_FIRM, T_0401_1000 - DAY_MS, T_0501_0000);
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__ReviewReport *rep = r->review_report;
    assert_int_equal(rep->by, LEGALAID__REPORT_BY__BY_FIRM);
    assert_int_equal(rep->n_rows, 3);
    assert_row(rep->rows[0], FIRM_A, 2, 1, 1, 0, 0, 500, 88);
    assert_row(rep->rows[1], FIRM_C, 1, 0, 0, 0, 1, 0, 50);
    assert_row(rep->rows[2], FIRM_B, 1, 1, 0, 0, 0, 1000, 92);
    assert_row(rep->total, "total", 4, 2, 1, 0, 1, 500, 79);
    legalaid__reply__free_unpacked(r, NULL);

    /* April, per county of the handling lawyer: H1 and H4 are 昆都仑区. */
    r = report(f, LEGALAID__REPORT_BY__BY_COUNTY, T_0401_1000 - DAY_MS, T_0501_0000);
    test_assert_code(r, LEGALAID__CODE__OK);
    rep = r->review_report;
    assert_int_equal(rep->by, LEGALAID__REPORT_BY__BY_COUNTY);
    assert_int_equal(rep->n_rows, 2);
    assert_row(rep->rows[0], "昆都仑区", 3, 1, 1, 0, 1, 333, 75);
    assert_row(rep->rows[1], "青山区", 1, 1, 0, 0, 0, 1000, 92);
    assert_row(rep->total, "total", 4, 2, 1, 0, 1, 500, 79);
    legalaid__reply__free_unpacked(r, NULL);

    /* No period: May's file too; the default grouping is per firm. Rates
     * round half up: 2 of 3 is 667 permille, 413 / 5 a mean of 83. */
    r = report(f, LEGALAID__REPORT_BY__REPORT_BY_UNSPECIFIED, 0, 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    rep = r->review_report;
    assert_int_equal(rep->n_rows, 3);
    assert_row(rep->rows[0], FIRM_A, 3, 2, 1, 0, 0, 667, 90);
    assert_row(rep->total, "total", 5, 3, 1, 0, 1, 600, 83);
    legalaid__reply__free_unpacked(r, NULL);

    /* From the 4th: only the files graded on the 4th and after. */
    r = report(f, LEGALAID__REPORT_BY__BY_FIRM, T_0401_1000 + 2 * DAY_MS, 0);
    rep = r->review_report;
    assert_int_equal(rep->total->files, 3);
    assert_int_equal(rep->n_rows, 3);
    assert_row(rep->rows[0], FIRM_A, 1, 1, 0, 0, 0, 1000, 96);
    legalaid__reply__free_unpacked(r, NULL);

    assert_refused(report(f, LEGALAID__REPORT_BY__BY_FIRM, T_0501_0000, T_0401_1000),
                   LEGALAID__CODE__INVALID_FIELD, "review_report.to", "must come after from");
    assert_refused(report(f, (Legalaid__ReportBy)7, 0, 0), LEGALAID__CODE__INVALID_FIELD,
                   "review_report.by", "neither BY_FIRM nor BY_COUNTY");
}

/* Checks review_indicators as if it were configured so; the configured
 * string is put back before returning. Returns the check's result and its
 * message in err. */
static int config_try(const char *indicators, char *err, size_t len)
{
    char *saved = dispatch_config.review_indicators;
    dispatch_config.review_indicators = (char *)indicators;
    err[0] = 0;
    int rc = dispatch_review_config_check(err, len);
    dispatch_config.review_indicators = saved;
    return rc;
}

static void assert_config_rejected(const char *indicators, const char *says)
{
    char err[256];
    if (config_try(indicators, err, sizeof err) == 0)
        fail_msg("review_indicators '%s' was accepted", indicators);
    if (!strstr(err, says)) fail_msg("'%s' gave '%s', not '%s'", indicators, err, says);
}

/* The indicator set and the cut-offs are checked at start (a bad one stops
 * the daemon, exit 78); a good custom set is what reviews are scored on. */
static void test_config_check(void **state)
{
    fixture_t *f = *state;
    char err[256];
    assert_config_rejected("案卷材料:20,办案程序:25,法律文书:25,办案效果:25",
                           "[dispatch] review_indicators: points add up to 95, not 100");
    assert_config_rejected("案卷材料:50,办案程序:55", "points add up to 105, not 100");
    assert_config_rejected("案卷材料:50, :50", "item 2 has no name");
    assert_config_rejected("案卷材料:50,案卷材料:50", "案卷材料 appears twice");
    assert_config_rejected("案卷材料:0,办案程序:100", "points '0' are not a whole number");
    assert_config_rejected("案卷材料:101", "points '101' are not a whole number");
    assert_config_rejected("案卷材料:5x,办案程序:95", "points '5x'");
    assert_config_rejected("案卷材料:-5,办案程序:105", "points '-5'");
    assert_config_rejected("案卷材料50,办案程序:50", "item 1 '案卷材料50' is not name:points");
    assert_config_rejected("案卷材料:50,办案程序:50,", "item 3 is empty");
    assert_config_rejected("", "review_indicators: empty");

    /* The cut-offs in order, each above the next. */
    long long good = dispatch_config.grade_good_min;
    dispatch_config.grade_good_min = dispatch_config.grade_excellent_min;
    assert_int_equal(config_try(dispatch_config.review_indicators, err, sizeof err), -1);
    assert_non_null(strstr(err, "grade_excellent_min (90), grade_good_min (90)"));
    dispatch_config.grade_good_min = 50; /* below pass (60) */
    assert_int_equal(config_try(dispatch_config.review_indicators, err, sizeof err), -1);
    assert_non_null(strstr(err, "must fall in that order"));
    dispatch_config.grade_good_min = good;

    /* A custom set, spaces allowed around the parts: reviews follow it. */
    assert_int_equal(config_try(" 卷宗质量 : 40 , 办案效果:60 ", err, sizeof err), 0);
    case_walk(f, "BT-2026-0701", "H1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    sheet_t sh;
    sheet_fill(&sh, 80); /* the default sheet: no longer the set */
    assert_refused(review_sheet(f, "BT-2026-0701", "R1", &sh), LEGALAID__CODE__INVALID_FIELD,
                   "record_review.scores[0].indicator", "'案卷材料' is not an indicator");
    sh.n = 2;
    sh.s[0].indicator = "卷宗质量";
    sh.s[0].points = 38;
    sh.s[1].indicator = "办案效果";
    sh.s[1].points = 41; /* over 25 of the default set, within 60 here */
    Legalaid__Reply *r = review_sheet(f, "BT-2026-0701", "R1", &sh);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->reviews[0]->total, 79);
    legalaid__reply__free_unpacked(r, NULL);
    /* The configured set again for the tests after this one. */
    assert_int_equal(config_try(dispatch_config.review_indicators, err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_submission_sets_review_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_close_reviews_graded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pass_mark_edge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_far_apart_needs_third_review, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reviewer_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scores_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_review_before_submission, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_by_firm_and_county, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_check, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
