/*
 * test-eligibility-objection.c - objections to a refusal or termination
 * (eligibility_objection.c; Legal Aid Law art. 49): filed, decided by the
 * configured officers, corrected (the case asked for what settles it
 * instead of refused again), upheld; no objection against an approval;
 * overdue past the bureau's date (weekends moving it, R-TIME-00); a
 * correction surviving materials supplied later; an objection falling with
 * a withdrawal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "eligibility_calendar.h"
#include "eligibilitykit.h"
#include "testutil.h"

/* Beijing time (UTC+8). */
#define T_0302_1000 1772416800000LL                /* 2026-03-02 10:00: receipt */
#define T_0307_2400 1772899200000LL                /* 2026-03-07 24:00 */
#define T_0317_2400 1773763200000LL                /* 2026-03-17 24:00: receipt + 15 days */
#define T_0309_2400 (T_0307_2400 + 2 * MS_PER_DAY) /* Monday 2026-03-09 24:00 */

/* An application refused for a declared income above the standard. */
static void refused_case(ek_fixture_t *f, test_received_t *p, const char *case_id)
{
    eligibility_config.income_standards = "2022-01-01:1500";
    test_received_init(p, case_id, "15020319750305021");
    p->app.has_household_income_fen = 1;
    p->app.household_income_fen = 5000000;
    ek_feed(f, p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__REFUSED);
}

static void test_objection_filed_and_corrected(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    refused_case(f, &p, "BT-2026-000701");

    Legalaid__Reply *r = ek_file_objection(f, "BT-2026-000701", "");
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "file_objection.reason");
    legalaid__reply__free_unpacked(r, NULL);
    r = ek_get_objection(f, "BT-2026-000701");
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    legalaid__reply__free_unpacked(r, NULL);

    /* Filed Monday 03-02 10:00: the bureau decides within 5 days; the 5th
     * day, 03-07, is a Saturday, so by the end of Monday 03-09 24:00
     * (R-TIME-00, 民法典 art. 203). */
    r = ek_file_objection(f, "BT-2026-000701", "收入证明把家庭总收入当作人均收入");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_OBJECTION);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__FILED);
    assert_int_equal(r->objection->due_at, T_0309_2400);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b = ek_published(f);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_OBJECTION_FILED);
    legalaid__batch__free_unpacked(b, NULL);
    r = ek_file_objection(f, "BT-2026-000701", "再次异议");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
    r = ek_get_objection(f, "BT-2026-000701");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__FILED);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "objections_filed"), 1);

    /* An officer decides (art. 49): centre staff may not, whatever name
     * they type; the authenticated principal is who decides. */
    principal_t staff = {.name = "张律师", .roles = ROLE_STAFF};
    principal_t zhang = {.name = "张律师", .roles = ROLE_OFFICER};
    principal_t wang = {.name = "王司法", .roles = ROLE_OFFICER};
    daemon_test_act_as(f->td.d, &staff);
    r = ek_decide_objection(f, "BT-2026-000701", 1, "王司法", NULL);
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    assert_non_null(strstr(r->error, "requires role officer"));
    legalaid__reply__free_unpacked(r, NULL);

    /* Only the bureau's officers decide, when they are configured: the
     * typed name does not make 张律师 王司法. */
    char *officers = eligibility_config.objection_officers;
    eligibility_config.objection_officers = "王司法, 李强";
    daemon_test_act_as(f->td.d, &zhang);
    r = ek_decide_objection(f, "BT-2026-000701", 1, "王司法", NULL);
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    assert_string_equal(r->field, "decide_objection.officer");
    legalaid__reply__free_unpacked(r, NULL);
    daemon_test_act_as(f->td.d, &wang);

    /* Corrected: the case re-enters the flow. The rules still find the
     * declared income above the standard, so instead of refusing again on
     * the ground set aside the centre asks for what settles it. */
    clock_set_ms(T_0302_1000 + 3 * MS_PER_DAY);
    r = ek_decide_objection(f, "BT-2026-000701", 1, NULL, NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__CORRECTED);
    assert_string_equal(r->objection->officer, "王司法");
    legalaid__reply__free_unpacked(r, NULL);
    daemon_test_act_as(f->td.d, NULL);
    eligibility_config.objection_officers = officers;
    b = ek_published(f);
    assert_int_equal(b->n_events, 2);
    assert_string_equal(b->events[0]->principal, "王司法");
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_OBJECTION_DECIDED);
    assert_int_equal(b->events[1]->body_case, LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED);
    Legalaid__Decision *d = b->events[1]->eligibility_decided->decision;
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__NEEDS_MATERIALS);
    assert_true(test_cites(d, "Legal Aid Law art. 49"));
    assert_true(d->has_materials_due_at);
    assert_non_null(strstr(d->reason, "王司法"));
    legalaid__batch__free_unpacked(b, NULL);
    r = ek_decide_objection(f, "BT-2026-000701", 0, "王司法", NULL);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
    /* Not overdue: the tick past the bureau's date reports nothing. */
    clock_set_ms(T_0309_2400 + MS_PER_HOUR);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(test_counter(f->td.d, "objections_overdue"), 0);
}

static void test_objection_against_approval_and_overdue(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000801", "15020319800101011");
    ek_commit_letter(&p);
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    Legalaid__Reply *r = ek_file_objection(f, "BT-2026-000801", "不服");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "APPROVED_PENDING_VERIFICATION"));
    assert_non_null(strstr(r->error, "art. 49"));
    legalaid__reply__free_unpacked(r, NULL);

    /* Left undecided past its date: reported once, nothing decided. */
    test_received_t q;
    refused_case(f, &q, "BT-2026-000802");
    r = ek_file_objection(f, "BT-2026-000802", "收入计算有误");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    legalaid__batch__free_unpacked(ek_published(f), NULL);
    /* Saturday 03-07 is not the last day: the weekend moves it to 03-09. */
    clock_set_ms(T_0307_2400 + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(test_counter(f->td.d, "objections_overdue"), 0);
    clock_set_ms(T_0309_2400 + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(test_counter(f->td.d, "objections_overdue"), 1);
    ek_assert_nothing_published(f);
    r = ek_get_objection(f, "BT-2026-000802");
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__FILED);
    legalaid__reply__free_unpacked(r, NULL);
    /* Upheld late: the refusal stands, nothing decided again. */
    r = ek_decide_objection(f, "BT-2026-000802", 0, "张司法", NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__UPHELD);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b = ek_published(f);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_OBJECTION_DECIDED);
    legalaid__batch__free_unpacked(b, NULL);
    r = ek_decision(f, "BT-2026-000802");
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__REFUSED);
    legalaid__reply__free_unpacked(r, NULL);
}

/* A local time limit for filing (OPEN-4, objection_file_days): the last
 * day counts to its 24:00, moved past the weekend as every period is; an
 * objection at that very millisecond is in time, one a millisecond later is
 * not. */
static void test_objection_filing_limit_edge(void **state)
{
    ek_fixture_t *f = *state;
    eligibility_config.objection_file_days = 5;
    test_received_t p, q;
    refused_case(f, &p, "BT-2026-000811");
    refused_case(f, &q, "BT-2026-000812");
    /* Decided 03-02: the fifth day is Saturday 03-07, so Monday 03-09 24:00. */
    clock_set_ms(T_0309_2400);
    Legalaid__Reply *r = ek_file_objection(f, "BT-2026-000811", "收入计算有误");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    clock_set_ms(T_0309_2400 + 1);
    r = ek_file_objection(f, "BT-2026-000812", "收入计算有误");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "file_objection.case_id");
    assert_non_null(strstr(r->error, "5 days"));
    legalaid__reply__free_unpacked(r, NULL);
}

/* A correction by objection is not undone when materials arrive: the case
 * is decided as the correction was (art. 49), never refused again on the
 * ground set aside; the notice's deadline is kept (art. 43(2)). */
static void test_correction_survives_materials(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    refused_case(f, &p, "BT-2026-000751");
    Legalaid__Reply *r = ek_file_objection(f, "BT-2026-000751", "收入证明把家庭总收入当作人均收入");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    clock_set_ms(T_0302_1000 + MS_PER_DAY);
    r = ek_decide_objection(f, "BT-2026-000751", 1, "王司法", NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    r = ek_decision(f, "BT-2026-000751");
    int64_t due = r->decision->materials_due_at;
    /* 15 days from 03-03: 03-18 24:00. */
    assert_int_equal(due, T_0317_2400 + MS_PER_DAY);
    legalaid__reply__free_unpacked(r, NULL);

    /* Something supplied that settles nothing: the stored income is still
     * above the standard, yet no refusal; the same deadline. */
    clock_set_ms(T_0302_1000 + 2 * MS_PER_DAY);
    ek_feed_supplied(f, "BT-2026-000751", "村委会证明");
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    r = ek_decision(f, "BT-2026-000751");
    assert_int_equal(r->decision->materials_due_at, due);
    assert_true(test_cites(r->decision, "Legal Aid Law art. 49"));
    assert_non_null(strstr(r->decision->reason, "王司法"));
    assert_non_null(ek_find_test(r->decision, "objection"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "refused"), 1);

    /* The per-head income, now declared (1,000 yuan ≤ 1,500): aid granted
     * on the corrected case, the bureau's order cited. */
    ek_feed_supplied_facts(f, "BT-2026-000751", "家庭人均收入证明", -1, 100000);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED);
    r = ek_decision(f, "BT-2026-000751");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    assert_true(test_cites(r->decision, "Legal Aid Law art. 49"));
    assert_true(test_cites(r->decision, "Legal Aid Law art. 34"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "deadlines_open"), 0);
}

/* A case withdrawn while its objection is pending stays withdrawn: the
 * bureau's correction cannot revive it, nor is the objection overdue. */
static void test_withdrawn_while_objection_pending(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    refused_case(f, &p, "BT-2026-000761");
    Legalaid__Reply *r = ek_file_objection(f, "BT-2026-000761", "收入计算有误");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    legalaid__batch__free_unpacked(ek_published(f), NULL);
    ek_feed_withdrawn(f, "BT-2026-000761", "已自行委托律师");
    ek_assert_nothing_published(f); /* the refusal is final: no new decision */
    r = ek_decide_objection(f, "BT-2026-000761", 1, "王司法", NULL);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "decide_objection.case_id");
    assert_non_null(strstr(r->error, "the applicant withdrew the application"));
    assert_non_null(strstr(r->error, "已自行委托律师"));
    legalaid__reply__free_unpacked(r, NULL);
    ek_assert_nothing_published(f);
    r = ek_decision(f, "BT-2026-000761");
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__REFUSED);
    legalaid__reply__free_unpacked(r, NULL);
    r = ek_get_objection(f, "BT-2026-000761");
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__FILED);
    legalaid__reply__free_unpacked(r, NULL);
    clock_set_ms(T_0309_2400 + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(test_counter(f->td.d, "objections_overdue"), 0);
    assert_int_equal(test_counter(f->td.d, "objections_corrected"), 0);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_objection_filed_and_corrected, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_objection_filing_limit_edge, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_objection_against_approval_and_overdue, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_correction_survives_materials, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_withdrawn_while_objection_pending, ek_setup,
                                        ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
