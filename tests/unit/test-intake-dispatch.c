/*
 * test-intake-dispatch.c - intake and what dispatch needs: the county, the
 * language, co-defendants (a name, a real ID number when one is given, at
 * most 20), related cases (at most 20, each at most 64 printable bytes) and
 * the form of aid (no document drafting for a defence) are checked with
 * errors naming the field path, stored and published whole; dispatch's
 * conclusion of the matter and its termination of aid (art. 48) close the
 * case so the person can apply again on it, a conclusion for good, a
 * termination until an objection sets it aside (art. 49), also when
 * intake applies eligibility's re-approval before dispatch's termination.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intake.h"
#include "intakekit.h"
#include "testutil.h"

#define NOW IK_T0 /* 2026-03-02 10:00 Beijing time */

static void test_dispatch_fields_checked(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    Legalaid__Person co[21];
    Legalaid__Person *cos[21];
    for (int i = 0; i < 21; i++) {
        legalaid__person__init(&co[i]);
        co[i].name = "同案人";
        cos[i] = &co[i];
    }
    char *related[21];
    for (int i = 0; i < 21; i++) related[i] = "(2026)蒙0204刑初12号";

    ik_defence_init(&p);
    p.app.county = "这是一个非常非常非常非常长的县区名称超过六十四字节";
    test_submit_invalid(d, &p, "application.county", "longer than 64 bytes");
    p.app.county = "   ";
    test_submit_invalid(d, &p, "application.county", "blank");

    ik_defence_init(&p);
    p.app.has_language = 1;
    p.app.language = (Legalaid__Language)7;
    test_submit_invalid(d, &p, "application.language", "mandarin or mongolian");

    ik_defence_init(&p);
    p.app.co_defendants = cos;
    p.app.n_co_defendants = 21;
    test_submit_invalid(d, &p, "application.co_defendants", "at most 20");
    p.app.n_co_defendants = 2;
    co[1].name = " ";
    test_submit_invalid(d, &p, "application.co_defendants[1].name", "name is required");
    co[1].name = "乌云";
    co[1].id_number = "150203198501010000";
    test_submit_invalid(d, &p, "application.co_defendants[1].id_number", "resident ID number");
    co[1].has_id_type = 1;
    co[1].id_type = LEGALAID__ID_TYPE__PASSPORT;
    co[1].id_number = "E1";
    test_submit_invalid(d, &p, "application.co_defendants[1].id_number", "passport number");
    co[1].has_id_type = 0;
    co[1].id_number = NULL;

    ik_defence_init(&p);
    p.app.related_cases = related;
    p.app.n_related_cases = 21;
    test_submit_invalid(d, &p, "application.related_cases", "at most 20");
    p.app.n_related_cases = 3;
    related[2] = "";
    test_submit_invalid(d, &p, "application.related_cases[2]", "empty");
    related[2] = "(2026)蒙0204刑初12号(2026)蒙0204刑初12号(2026)蒙0204刑初12号";
    test_submit_invalid(d, &p, "application.related_cases[2]", "longer than 64 bytes");
    related[2] = "BT-2026\t000001";
    test_submit_invalid(d, &p, "application.related_cases[2]", "control character");
    related[2] = related[0];

    ik_defence_init(&p);
    p.app.has_aid_form = 1;
    p.app.aid_form = (Legalaid__AidForm)9;
    test_submit_invalid(d, &p, "application.aid_form",
                        "defence, representation or document_drafting");
    p.app.aid_form = LEGALAID__AID_FORM__DOCUMENT_DRAFTING;
    test_submit_invalid(d, &p, "application.aid_form", "not a form of aid for criminal_defence");
    /* Defence belongs to criminal defence only. */
    ik_defence_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__CIVIL;
    p.app.has_scope_item = 1;
    p.app.scope_item = 4;
    p.app.has_aid_form = 1;
    p.app.aid_form = LEGALAID__AID_FORM__DEFENCE;
    test_submit_invalid(d, &p, "application.aid_form", "criminal_defence only");
    p.app.aid_form = LEGALAID__AID_FORM__DOCUMENT_DRAFTING;
    ik_expect_case(d, &p, "BT-2026-000001", 0);

    /* Everything valid: stored and published whole, the co-defendant's ID
     * number in capitals like the applicant's. */
    ik_defence_init(&p);
    char co_id[19];
    test_id_number("15020319880808001", co_id);
    co_id[17] = co_id[17] == 'X' ? 'x' : co_id[17];
    co[0].id_number = co_id;
    p.app.co_defendants = cos;
    p.app.n_co_defendants = 2;
    p.app.related_cases = related;
    p.app.n_related_cases = 2;
    p.app.county = "青山区";
    p.app.has_language = 1;
    p.app.language = LEGALAID__LANGUAGE__MONGOLIAN;
    p.app.has_aid_form = 1;
    p.app.aid_form = LEGALAID__AID_FORM__DEFENCE;
    ik_expect_case(d, &p, "BT-2026-000002", 0);
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(d, 0, &b), 0);
    const Legalaid__Application *a = b->events[b->n_events - 1]->application_received->application;
    assert_string_equal(a->county, "青山区");
    assert_int_equal(a->language, LEGALAID__LANGUAGE__MONGOLIAN);
    assert_int_equal(a->n_co_defendants, 2);
    assert_string_equal(a->co_defendants[1]->name, "乌云");
    assert_int_equal(strlen(a->co_defendants[0]->id_number), 18);
    assert_null(strchr(a->co_defendants[0]->id_number, 'x'));
    assert_int_equal(a->n_related_cases, 2);
    assert_string_equal(a->related_cases[1], "(2026)蒙0204刑初12号");
    assert_int_equal(a->aid_form, LEGALAID__AID_FORM__DEFENCE);
    legalaid__batch__free_unpacked(b, NULL);
    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    g.case_id = "BT-2026-000002";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    req.get_application = &g;
    Legalaid__Reply *r = test_call(d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_string_equal(r->application->county, "青山区");
    assert_int_equal(r->application->n_co_defendants, 2);
    assert_int_equal(r->application->n_related_cases, 2);
    legalaid__reply__free_unpacked(r, NULL);
}

static void progressed(ik_fixture_t *f, const char *case_id, Legalaid__AssignmentState to)
{
    Legalaid__CaseProgressed p = LEGALAID__CASE_PROGRESSED__INIT;
    p.case_id = (char *)case_id;
    p.has_from = 1;
    p.from = to - 1;
    p.has_to = 1;
    p.to = to;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_CASE_PROGRESSED;
    ev.case_progressed = &p;
    ik_feed(f, "dispatch", &ev);
}

static void terminated(ik_fixture_t *f, const char *case_id)
{
    Legalaid__CaseTerminated c = LEGALAID__CASE_TERMINATED__INIT;
    c.case_id = (char *)case_id;
    c.has_reason = 1;
    c.reason = LEGALAID__TERMINATION_REASON__OWN_COUNSEL;
    c.article = "Legal Aid Law art. 48(6)";
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_CASE_TERMINATED;
    ev.case_terminated = &c;
    ik_feed(f, "dispatch", &ev);
}

static void test_dispatch_closes_cases(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    ik_defence_init(&p);
    ik_expect_case(d, &p, "BT-2026-000001", 0);
    ik_decided(f, "BT-2026-000001", LEGALAID__OUTCOME__APPROVED);
    /* Assigned, signed, in progress: still the open case. */
    progressed(f, "BT-2026-000001", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED);
    progressed(f, "BT-2026-000001", LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS);
    ik_expect_case(d, &p, "BT-2026-000001", 1);
    assert_int_equal(test_counter(d, "closed"), 0);
    /* The matter concluded: the person may apply again, a new case. */
    progressed(f, "BT-2026-000001", LEGALAID__ASSIGNMENT_STATE__CONCLUDED);
    assert_int_equal(test_counter(d, "closed"), 1);
    ik_expect_case(d, &p, "BT-2026-000002", 0);
    /* A conclusion is final: a later decision on the old case (a
     * commitment verified afterwards) does not re-open it. */
    ik_decided(f, "BT-2026-000001", LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(test_counter(d, "closed"), 1);
    ik_expect_case(d, &p, "BT-2026-000002", 1);

    /* Aid terminated by dispatch (art. 48): closed ... */
    ik_decided(f, "BT-2026-000002", LEGALAID__OUTCOME__APPROVED);
    terminated(f, "BT-2026-000002");
    assert_int_equal(test_counter(d, "closed"), 2);
    /* ... and eligibility's record of it closes nothing more. */
    ik_decided(f, "BT-2026-000002", LEGALAID__OUTCOME__TERMINATED);
    assert_int_equal(test_counter(d, "closed"), 2);
    /* An objection corrected (art. 49): approved again, open again. */
    ik_decided(f, "BT-2026-000002", LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(test_counter(d, "closed"), 1);
    ik_expect_case(d, &p, "BT-2026-000002", 1);

    /* Intake applies the two streams independently: after a restart it
     * may apply eligibility's whole story (terminated, objection
     * corrected, approved again) before dispatch's termination that
     * started it. That termination is stale: the case stays open. */
    test_submit_t q;
    ik_defence_init(&q);
    ik_expect_case(d, &q, "BT-2026-000003", 0);
    f->at = NOW + MS_PER_HOUR;
    ik_decided(f, "BT-2026-000003", LEGALAID__OUTCOME__APPROVED);
    f->at = NOW + 2 * MS_PER_DAY + MS_PER_HOUR;
    ik_decided(f, "BT-2026-000003", LEGALAID__OUTCOME__TERMINATED);
    f->at = NOW + 4 * MS_PER_DAY;
    ik_decided(f, "BT-2026-000003", LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(test_counter(d, "closed"), 1);
    f->at = NOW + 2 * MS_PER_DAY; /* when dispatch terminated it */
    terminated(f, "BT-2026-000003");
    assert_int_equal(test_counter(d, "closed"), 1);
    ik_expect_case(d, &q, "BT-2026-000003", 1);
    /* A later termination, after the re-approval, closes it. */
    f->at = NOW + 9 * MS_PER_DAY;
    terminated(f, "BT-2026-000003");
    assert_int_equal(test_counter(d, "closed"), 2);
    ik_expect_case(d, &q, "BT-2026-000004", 0);
    f->at = 0;

    /* A case intake does not hold: nothing; dispatch's other events:
     * nothing; a termination naming no case: a dead letter. */
    terminated(f, "BT-2025-000999");
    progressed(f, "BT-2026-000002", LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED);
    assert_int_equal(ik_dead_letters(d), 0);
    assert_int_equal(test_counter(d, "closed"), 2);
    Legalaid__CaseTerminated c = LEGALAID__CASE_TERMINATED__INIT;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.body_case = LEGALAID__EVENT__BODY_CASE_TERMINATED;
    ev.case_terminated = &c;
    ik_feed(f, "dispatch", &ev);
    assert_int_equal(ik_dead_letters(d), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dispatch_fields_checked, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_dispatch_closes_cases, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
