/*
 * test-dispatch-calendar.c - dispatch's periods end by the same holiday
 * calendar and rule as eligibility's deadlines (issue 17, item 2; DOMAIN
 * R-TIME-00, 民法典 art. 203): the 5 days to sign the entrustment agreement
 * (程序规定 art. 27) ending on a statutory holiday run to the end of the next
 * working day; a make-up working day (调休上班) ends a period where it falls;
 * with no calendar only weekends are rest days, and with
 * weekend_is_rest_day = false not even they. The calendar is imported into
 * dispatch as into eligibility: bad days refused by field, an empty import
 * refused, the days counted.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "clock.h"
#include "dispatch.h"
#include "dispatchkit.h"
#include "testutil.h"

typedef dk_fixture_t fixture_t;

/* 10:00 Beijing time on date. */
static int64_t at_ten(const char *date)
{
    int64_t day;
    assert_null(check_date(date, &day));
    return clock_local_midnight(day) + 10 * MS_PER_HOUR;
}

/* 24:00 at the end of date. */
static int64_t end_of(const char *date)
{
    int64_t day;
    assert_null(check_date(date, &day));
    return clock_local_midnight(day + 1);
}

static Legalaid__Reply *import_days(fixture_t *f, const char *const *dates, const int *kinds,
                                    size_t n)
{
    Legalaid__CalendarDay d[16], *dp[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++) {
        legalaid__calendar_day__init(&d[i]);
        d[i].date = (char *)dates[i];
        d[i].has_kind = 1;
        d[i].kind = (Legalaid__DayKind)kinds[i];
        d[i].name = kinds[i] == LEGALAID__DAY_KIND__WORKDAY ? "国庆节调休上班" : "国庆节";
        dp[i] = &d[i];
    }
    Legalaid__ImportCalendar ic = LEGALAID__IMPORT_CALENDAR__INIT;
    ic.days = dp;
    ic.n_days = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_CALENDAR;
    req.import_calendar = &ic;
    return test_call_new(f->td.d, &req);
}

/* 国庆节 2026: 10-01 (Thursday) to 10-07 holidays, Saturday 10-10 worked. */
static void import_national_day(fixture_t *f)
{
    const char *dates[] = {"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
                           "2026-10-05", "2026-10-06", "2026-10-07", "2026-10-10"};
    int kinds[8];
    for (int i = 0; i < 7; i++) kinds[i] = LEGALAID__DAY_KIND__HOLIDAY;
    kinds[7] = LEGALAID__DAY_KIND__WORKDAY;
    Legalaid__Reply *r = import_days(f, dates, kinds, 8);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 8);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "calendar_days"), 8);
}

/* A case approved and accepted at 10:00 on date: when its agreement is due. */
static int64_t agreement_due(fixture_t *f, const char *case_id, const char *date)
{
    clock_set_ms(at_ten(date));
    if (f->pool->n == 0) {
        dk_lawyer(f->pool, "L-1", "甲律师事务所")->capacity = 50;
        dk_import_ok(f->td.d, f->pool);
    }
    dk_case_t c;
    dk_case_init(&c, case_id, LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    uint64_t before = dk_head(f->td.d);
    dk_feed(f->td.d, &f->seq, &c.d);
    char lawyer[64];
    dk_accept(f->td.d, case_id, lawyer, sizeof lawyer);
    Legalaid__Batch *b = dk_events(f->td.d, before, LEGALAID__EVENT__BODY_LAWYER_ASSIGNED);
    assert_int_equal(b->n_events, 1);
    const Legalaid__Deadline *dl = dk_deadline(b->events[0], "agreement");
    assert_non_null(dl);
    int64_t due = dl->due_at;
    legalaid__batch__free_unpacked(b, NULL);
    Legalaid__Reply *r = dk_get(f->td.d, case_id);
    assert_int_equal(r->assignment->agreement_due_at, due);
    legalaid__reply__free_unpacked(r, NULL);
    return due;
}

static void test_period_ending_on_a_holiday_runs_past_it(void **state)
{
    fixture_t *f = *state;
    import_national_day(f);
    /* Wednesday 09-30 + 5 days = Monday 10-05, a holiday: Thursday 10-08. */
    assert_int_equal(agreement_due(f, "C-1", "2026-09-30"), end_of("2026-10-08"));
    /* Thursday 10-01 + 5 = Tuesday 10-06, a holiday: Thursday 10-08 too. */
    assert_int_equal(agreement_due(f, "C-2", "2026-10-01"), end_of("2026-10-08"));
}

static void test_make_up_working_day_ends_a_period(void **state)
{
    fixture_t *f = *state;
    import_national_day(f);
    /* Monday 10-05 + 5 = Saturday 10-10, worked (调休上班): it ends there. */
    assert_int_equal(agreement_due(f, "C-1", "2026-10-05"), end_of("2026-10-10"));
}

static void test_without_a_calendar_only_weekends_rest(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(test_counter(f->td.d, "calendar_days"), 0);
    /* Not known as a holiday: Monday 10-05 ends it. */
    assert_int_equal(agreement_due(f, "C-1", "2026-09-30"), end_of("2026-10-05"));
    /* Saturday 10-10 unknown as worked: a weekend day, Monday 10-12. */
    assert_int_equal(agreement_due(f, "C-2", "2026-10-05"), end_of("2026-10-12"));
}

static void test_weekend_rule_off(void **state)
{
    fixture_t *f = *state;
    dispatch_config.weekend_is_rest_day = 0;
    int64_t due = agreement_due(f, "C-1", "2026-03-02"); /* + 5 = Saturday 03-07 */
    dispatch_config.weekend_is_rest_day = 1;
    assert_int_equal(due, end_of("2026-03-07"));
    assert_int_equal(agreement_due(f, "C-2", "2026-03-02"), end_of("2026-03-09"));
}

static void test_calendar_import_refuses_bad_days(void **state)
{
    fixture_t *f = *state;
    const char *dates[] = {"2026-10-01", "2026-13-01", "2026-10-02"};
    int kinds[] = {LEGALAID__DAY_KIND__HOLIDAY, LEGALAID__DAY_KIND__HOLIDAY, 0};
    Legalaid__Reply *r = import_days(f, dates, kinds, 3);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 1);
    assert_int_equal(r->import_result->n_rejected, 2);
    assert_string_equal(r->import_result->rejected[0]->field, "days[1].date");
    assert_string_equal(r->import_result->rejected[1]->field, "days[2].kind");
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "calendar_days"), 1);
    r = import_days(f, dates, kinds, 0);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "import_calendar.days");
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_period_ending_on_a_holiday_runs_past_it, dk_setup,
                                        dk_teardown),
        cmocka_unit_test_setup_teardown(test_make_up_working_day_ends_a_period, dk_setup,
                                        dk_teardown),
        cmocka_unit_test_setup_teardown(test_without_a_calendar_only_weekends_rest, dk_setup,
                                        dk_teardown),
        cmocka_unit_test_setup_teardown(test_weekend_rule_off, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_calendar_import_refuses_bad_days, dk_setup,
                                        dk_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
