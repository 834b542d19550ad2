/*
 * test-dispatch-lifecycle.c - the case after acceptance, through real
 * turns: every legal step and the refusal of every illegal one, the
 * deadlines each step sets and meets (agreement, closing file), their
 * misses with the test clock, replacement (art. 55), a defendant's refusal
 * (CPL interpretation art. 50), own counsel and termination (art. 48), an
 * eligibility decision that ends aid, and a case approved again after its
 * termination was corrected on objection (art. 49).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatchkit.h"
#include "testutil.h"

#define T_0302_1000 1772416800000LL /* 2026-03-02 10:00 Beijing time */
#define T_0305_2400 1772726400000LL /* Thursday 2026-03-05 24:00 */
#define T_0309_2400 1773072000000LL /* Monday 2026-03-09 24:00 */
#define HOUR (3600LL * 1000)
#define DAY (24 * HOUR)

typedef dk_fixture_t fixture_t;

static int setup(void **state)
{
    if (dk_setup(state)) return -1;
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L-1", "甲律师事务所");
    dk_lawyer(f->pool, "L-2", "乙律师事务所");
    dk_lawyer(f->pool, "L-3", "丙律师事务所");
    dk_import_ok(f->td.d, f->pool);
    return 0;
}

#define teardown dk_teardown

static void assigned_case(fixture_t *f, const char *id, int notified, char *lawyer, size_t size)
{
    dk_case_t c;
    dk_case_init(&c, id,
                 notified ? LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE
                          : LEGALAID__MATTER_CATEGORY__CIVIL,
                 clock_now_ms());
    if (notified) dk_case_notified(&c, "包头市青山区人民法院", id);
    dk_feed(f->td.d, &f->seq, &c.d);
    dk_accept(f->td.d, id, lawyer, size);
}

static void step_ok(fixture_t *f, const char *id, Legalaid__AssignmentState to)
{
    Legalaid__Reply *r = dk_advance(f->td.d, id, to);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, to);
    legalaid__reply__free_unpacked(r, NULL);
}

static void step_refused(fixture_t *f, const char *id, Legalaid__AssignmentState to,
                         Legalaid__Code code, const char *words)
{
    Legalaid__Reply *r = dk_advance(f->td.d, id, to);
    test_assert_code(r, code);
    if (!strstr(r->error, words)) fail_msg("\"%s\" lacks \"%s\"", r->error, words);
    legalaid__reply__free_unpacked(r, NULL);
}

static uint32_t open_cases(fixture_t *f, const char *lawyer)
{
    Legalaid__Reply *r = dk_lawyers(f->td.d, lawyer);
    test_assert_code(r, LEGALAID__CODE__OK);
    uint32_t n = r->lawyers->lawyers[0]->open_cases;
    legalaid__reply__free_unpacked(r, NULL);
    return n;
}

static void test_every_step(void **state)
{
    fixture_t *f = *state;
    char lawyer[64];
    assigned_case(f, "C-1", 0, lawyer, sizeof lawyer);
    assert_int_equal(open_cases(f, lawyer), 1);
    /* Illegal: skipping a step, going back, an unknown target. */
    step_refused(f, "C-1", LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS, LEGALAID__CODE__CONFLICT,
                 "next the agreement is signed");
    step_refused(f, "C-1", LEGALAID__ASSIGNMENT_STATE__CONCLUDED, LEGALAID__CODE__CONFLICT,
                 "is ASSIGNED and cannot go to CONCLUDED");
    step_refused(f, "C-1", LEGALAID__ASSIGNMENT_STATE__REVIEWED, LEGALAID__CODE__INVALID_FIELD,
                 "not to REVIEWED");
    step_refused(f, "C-404", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED,
                 LEGALAID__CODE__NOT_FOUND, "no case C-404");
    uint64_t before = dk_head(f->td.d);
    step_ok(f, "C-1", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED);
    step_refused(f, "C-1", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED, LEGALAID__CODE__CONFLICT,
                 "next the handling starts");
    step_ok(f, "C-1", LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS);
    step_refused(f, "C-1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED, LEGALAID__CODE__CONFLICT,
                 "next the matter concludes");
    step_ok(f, "C-1", LEGALAID__ASSIGNMENT_STATE__CONCLUDED);
    assert_int_equal(open_cases(f, lawyer), 0); /* capacity back at conclusion */
    step_ok(f, "C-1", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    step_refused(f, "C-1", LEGALAID__ASSIGNMENT_STATE__CONCLUDED, LEGALAID__CODE__CONFLICT,
                 "next the file is reviewed");

    Legalaid__Batch *b = dk_events(f->td.d, before, LEGALAID__EVENT__BODY_CASE_PROGRESSED);
    assert_int_equal(b->n_events, 4);
    assert_true(dk_met(b->events[0], "agreement"));
    const Legalaid__Deadline *dl = dk_deadline(b->events[2], "closing_file");
    assert_non_null(dl); /* 30 days after conclusion (art. 50) */
    assert_int_equal(dl->due_at, 1772416800000LL + 30 * DAY + 14 * HOUR);
    assert_string_equal(dl->owner_id, lawyer);
    assert_int_equal(b->events[2]->case_progressed->assignment->amount_recovered_fen, 1250000);
    assert_true(dk_met(b->events[3], "closing_file"));
    assert_non_null(dk_deadline(b->events[3], "file_review"));
    assert_int_equal(b->events[3]->case_progressed->assignment->reviews_needed, 2);
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_step_needs_its_facts(void **state)
{
    fixture_t *f = *state;
    assigned_case(f, "C-1", 0, NULL, 0);
    step_ok(f, "C-1", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED);
    step_ok(f, "C-1", LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS);
    Legalaid__AdvanceCase a = LEGALAID__ADVANCE_CASE__INIT;
    a.case_id = "C-1";
    a.has_to = 1;
    a.to = LEGALAID__ASSIGNMENT_STATE__CONCLUDED;
    a.by = "王律师";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_ADVANCE_CASE;
    req.advance_case = &a;
    Legalaid__Reply *r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "advance_case.result");
    legalaid__reply__free_unpacked(r, NULL);
    /* A lawyer advances only its own cases (L-1 has C-1). */
    principal_t other = {.name = "l2", .roles = ROLE_LAWYER, .lawyer = "L-2"};
    a.has_to = 1;
    a.to = LEGALAID__ASSIGNMENT_STATE__CONCLUDED;
    a.result = "判决";
    daemon_test_act_as(f->td.d, &other);
    r = test_call_new(f->td.d, &req);
    daemon_test_act_as(f->td.d, NULL);
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    assert_non_null(strstr(r->error, "a lawyer acts only on its own"));
    legalaid__reply__free_unpacked(r, NULL);
    a.result = NULL;
    step_ok(f, "C-1", LEGALAID__ASSIGNMENT_STATE__CONCLUDED);
    a.by = "王律师";
    a.to = LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED;
    r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "advance_case.documents");
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_missed_deadlines(void **state)
{
    fixture_t *f = *state;
    char lawyer[64];
    assigned_case(f, "C-1", 0, lawyer, sizeof lawyer);
    uint64_t before = dk_head(f->td.d);
    clock_advance_ms(4 * DAY);
    assert_int_equal(daemon_tick(f->td.d), 0);
    Legalaid__Batch *b = dk_events(f->td.d, before, LEGALAID__EVENT__BODY_DEADLINE_MISSED);
    assert_int_equal(b->n_events, 0); /* 5 days to sign: not yet */
    legalaid__batch__free_unpacked(b, NULL);
    /* The fifth day is Saturday 03-07: the period runs to Monday 03-09
     * 24:00 (R-TIME-00), so Sunday is not late either. */
    clock_advance_ms(2 * DAY);
    assert_int_equal(daemon_tick(f->td.d), 0);
    b = dk_events(f->td.d, before, LEGALAID__EVENT__BODY_DEADLINE_MISSED);
    assert_int_equal(b->n_events, 0);
    legalaid__batch__free_unpacked(b, NULL);
    clock_advance_ms(2 * DAY);
    assert_int_equal(daemon_tick(f->td.d), 0);
    b = dk_events(f->td.d, before, LEGALAID__EVENT__BODY_DEADLINE_MISSED);
    assert_int_equal(b->n_events, 1);
    assert_string_equal(b->events[0]->deadline_missed->deadline->key, "agreement");
    assert_string_equal(b->events[0]->deadline_missed->deadline->owner_id, lawyer);
    legalaid__batch__free_unpacked(b, NULL);
    /* Signed late, then concluded: a closing file not in by day 30 is missed. */
    step_ok(f, "C-1", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED);
    step_ok(f, "C-1", LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS);
    step_ok(f, "C-1", LEGALAID__ASSIGNMENT_STATE__CONCLUDED);
    before = dk_head(f->td.d);
    clock_advance_ms(31 * DAY);
    assert_int_equal(daemon_tick(f->td.d), 0);
    b = dk_events(f->td.d, before, LEGALAID__EVENT__BODY_DEADLINE_MISSED);
    assert_int_equal(b->n_events, 1);
    assert_string_equal(b->events[0]->deadline_missed->deadline->key, "closing_file");
    legalaid__batch__free_unpacked(b, NULL);
    /* Once: the next tick adds nothing. */
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(dk_head(f->td.d), before + 1);
}

static void test_replacement(void **state)
{
    fixture_t *f = *state;
    char first[64], next[64];
    assigned_case(f, "C-1", 0, first, sizeof first);
    Legalaid__Reply *r = dk_release(f->td.d, "C-1", LEGALAID__RELEASE_KIND__REPLACEMENT, NULL);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "release_lawyer.evidence");
    legalaid__reply__free_unpacked(r, NULL);
    r = dk_release(f->td.d, "C-1", LEGALAID__RELEASE_KIND__REPLACEMENT, "通话记录");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__OFFERED);
    /* Appointed again within reassign_days (3): Thursday 03-05 24:00. */
    assert_int_equal(r->assignment->assign_due_at, T_0305_2400);
    snprintf(next, sizeof next, "%s", r->assignment->offer->lawyer->id);
    legalaid__reply__free_unpacked(r, NULL);
    assert_string_not_equal(next, first); /* never the one replaced */
    assert_int_equal(open_cases(f, first), 0);
    Legalaid__Batch *b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_LAWYER_RELEASED);
    assert_int_equal(b->n_events, 1);
    assert_string_equal(b->events[0]->lawyer_released->lawyer_id, first);
    legalaid__batch__free_unpacked(b, NULL);
    /* A civil recipient cannot "refuse" as a defendant does. */
    dk_accept(f->td.d, "C-1", NULL, 0);
    r = dk_release(f->td.d, "C-1", LEGALAID__RELEASE_KIND__DEFENDANT_REFUSAL, NULL);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_defendant_refuses(void **state)
{
    fixture_t *f = *state;
    char first[64];
    assigned_case(f, "K-1", 1, first, sizeof first);
    Legalaid__Reply *r = dk_release(f->td.d, "K-1", LEGALAID__RELEASE_KIND__DEFENDANT_REFUSAL, NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_LAWYER_RELEASED);
    assert_non_null(dk_deadline(b->events[0], "own_counsel"));
    /* own_counsel_days (5) end on Saturday 03-07: moved to Monday 03-09 24:00. */
    assert_int_equal(dk_deadline(b->events[0], "own_counsel")->due_at, T_0309_2400);
    legalaid__batch__free_unpacked(b, NULL);
    /* No counsel within 5 days: appointed again, not the refused lawyer. */
    clock_advance_ms(4 * DAY);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(dk_state(f->td.d, "K-1", NULL, 0),
                     LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL);
    clock_advance_ms(5 * DAY); /* past Monday 03-09: Saturday's end moved there */
    assert_int_equal(daemon_tick(f->td.d), 0);
    char next[64];
    assert_int_equal(dk_state(f->td.d, "K-1", next, sizeof next),
                     LEGALAID__ASSIGNMENT_STATE__OFFERED);
    assert_string_not_equal(next, first);

    /* Another defendant retains his own counsel: aid ends, art. 48(6). */
    assigned_case(f, "K-2", 1, NULL, 0);
    r = dk_release(f->td.d, "K-2", LEGALAID__RELEASE_KIND__DEFENDANT_REFUSAL, NULL);
    legalaid__reply__free_unpacked(r, NULL);
    r = dk_release(f->td.d, "K-2", LEGALAID__RELEASE_KIND__OWN_COUNSEL_RETAINED, NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED);
    assert_int_equal(r->assignment->termination, LEGALAID__TERMINATION_REASON__OWN_COUNSEL);
    legalaid__reply__free_unpacked(r, NULL);
    b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_CASE_TERMINATED);
    assert_int_equal(b->n_events, 1);
    assert_non_null(strstr(b->events[0]->case_terminated->article, "art. 48(6)"));
    assert_true(dk_met(b->events[0], "own_counsel"));
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_termination(void **state)
{
    fixture_t *f = *state;
    char lawyer[64];
    assigned_case(f, "C-1", 0, lawyer, sizeof lawyer);
    Legalaid__Reply *r = dk_terminate(f->td.d, "C-1", 9, "x");
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "terminate_aid.reason");
    legalaid__reply__free_unpacked(r, NULL);
    r = dk_terminate(f->td.d, "C-1", LEGALAID__TERMINATION_REASON__UNLAWFUL_USE, NULL);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "terminate_aid.detail");
    legalaid__reply__free_unpacked(r, NULL);
    r = dk_terminate(f->td.d, "C-1", LEGALAID__TERMINATION_REASON__UNLAWFUL_USE, "利用法律援助从事违法活动");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(open_cases(f, lawyer), 0);
    Legalaid__Batch *b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_CASE_TERMINATED);
    Legalaid__CaseTerminated *ct = b->events[0]->case_terminated;
    assert_non_null(strstr(ct->article, "art. 48(3)"));
    assert_non_null(strstr(ct->objection_route, "art. 49"));
    assert_non_null(strstr(ct->objection_route, "（包头市司法局）")); /* the default */
    assert_string_equal(ct->lawyer_id, lawyer);
    assert_false(ct->from_eligibility);
    legalaid__batch__free_unpacked(b, NULL);
    /* The bureau is configuration ([dispatch] objection_body), not code. */
    char *shipped = dispatch_config.objection_body;
    dispatch_config.objection_body = "鄂尔多斯市司法局";
    assigned_case(f, "C-9", 0, NULL, 0);
    r = dk_terminate(f->td.d, "C-9", LEGALAID__TERMINATION_REASON__UNLAWFUL_USE, "违法活动");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    dispatch_config.objection_body = shipped;
    b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_CASE_TERMINATED);
    assert_int_equal(b->n_events, 2);
    assert_non_null(strstr(b->events[1]->case_terminated->objection_route, "（鄂尔多斯市司法局）"));
    assert_null(strstr(b->events[1]->case_terminated->objection_route, "包头"));
    legalaid__batch__free_unpacked(b, NULL);
    r = dk_terminate(f->td.d, "C-1", LEGALAID__TERMINATION_REASON__OTHER_LAW, "再次");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
    /* Concluded matters are not terminated. */
    assigned_case(f, "C-2", 0, NULL, 0);
    step_ok(f, "C-2", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED);
    step_ok(f, "C-2", LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS);
    step_ok(f, "C-2", LEGALAID__ASSIGNMENT_STATE__CONCLUDED);
    r = dk_terminate(f->td.d, "C-2", LEGALAID__TERMINATION_REASON__MATTER_ENDED, "结案");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Eligibility ends the aid (a false commitment), then an objection is
 * corrected and the case is approved again: offered afresh. */
static void test_eligibility_ends_and_reopens(void **state)
{
    fixture_t *f = *state;
    char lawyer[64];
    dk_case_t c;
    dk_case_init(&c, "C-9", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    dk_feed(f->td.d, &f->seq, &c.d);
    dk_accept(f->td.d, "C-9", lawyer, sizeof lawyer);
    clock_advance_ms(DAY);
    c.d.outcome = LEGALAID__OUTCOME__TERMINATED;
    c.d.decided_at = clock_now_ms();
    c.d.reason = "核查发现承诺不实";
    dk_feed(f->td.d, &f->seq, &c.d);
    assert_int_equal(dk_state(f->td.d, "C-9", NULL, 0),
                     LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED);
    assert_int_equal(open_cases(f, lawyer), 0);
    Legalaid__Batch *b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_CASE_TERMINATED);
    assert_true(b->events[0]->case_terminated->from_eligibility);
    legalaid__batch__free_unpacked(b, NULL);
    /* The same decision again changes nothing; a later approval reopens it. */
    dk_feed(f->td.d, &f->seq, &c.d);
    clock_advance_ms(DAY);
    c.d.outcome = LEGALAID__OUTCOME__APPROVED;
    c.d.decided_at = clock_now_ms();
    dk_feed(f->td.d, &f->seq, &c.d);
    assert_int_equal(dk_state(f->td.d, "C-9", NULL, 0), LEGALAID__ASSIGNMENT_STATE__OFFERED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_step_needs_its_facts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missed_deadlines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replacement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defendant_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_termination, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eligibility_ends_and_reopens, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
