/*
 * test-eligibility-calendar.c - the day count of deadlines and the
 * holiday calendar (eligibility_calendar.c; DOMAIN R-TIME-00, 民法典 arts.
 * 200-204): the starting day excluded, 24:00 local time of the last day,
 * the local offset deciding the day, weekends as rest days (and
 * weekend_is_rest_day = false); an imported calendar with bad days moving
 * a deadline off a statutory holiday, and make-up working days that do not
 * move it.
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
#define T_0302_1000 1772416800000LL /* 2026-03-02 10:00: receipt */
#define T_0307_2400 1772899200000LL /* 2026-03-07 24:00 */
#define T_0926_1000 1790388000000LL /* 2026-09-26 10:00 */
#define T_0926_1100 1790391600000LL
#define T_1003_2400 1791043200000LL                  /* 2026-10-03 24:00: a National Day holiday */
#define T_1008_2400 1791475200000LL                  /* 2026-10-08 24:00: the first day after it */
#define T_0309_2400 (T_0307_2400 + 2 * MS_PER_DAY)   /* Monday 2026-03-09 24:00 */
#define T_1005_2400 (T_1003_2400 + 2 * MS_PER_DAY)   /* Monday 2026-10-05 24:00 */
#define T_1010_2400 (T_1008_2400 + 2 * MS_PER_DAY)   /* Saturday 2026-10-10, a make-up workday */
#define T_0927_2400 (T_0926_1000 + 38 * MS_PER_HOUR) /* Sunday 2026-09-27, a make-up workday */
#define T_0302_0010 1772381400000LL                  /* 2026-03-02 00:10 */
#define T_0302_2330 1772465400000LL                  /* 2026-03-02 23:30 */
#define T_0305_2400 1772726400000LL                  /* 2026-03-05 24:00 = 03-06 00:00 */
#define T_0306_2400 1772812800000LL                  /* 2026-03-06 24:00 */

static void test_days_end(void **state)
{
    (void)state;
    /* R-TIME-00: the day of receipt does not count; the period ends at
     * 24:00 local time of its last day, whatever the hour of receipt. */
    clock_set_utc_offset(480);
    assert_int_equal(eligibility_calendar_days_end(T_0302_1000, 7), T_0309_2400);
    assert_int_equal(eligibility_calendar_days_end(T_0302_0010, 7), T_0309_2400);
    assert_int_equal(eligibility_calendar_days_end(T_0302_2330, 7), T_0309_2400);
    assert_int_equal(eligibility_calendar_days_end(T_0302_1000, 3), T_0305_2400);
    char buf[CLOCK_TEXT_MAX];
    assert_string_equal(clock_deadline_text(T_0309_2400, buf), "2026-03-09 24:00");
    assert_string_equal(clock_deadline_text(T_0302_1000, buf), "2026-03-02 10:00");
    /* 00:10 Beijing time is still the previous day in UTC: the local
     * offset decides which day it is. In UTC, 03-01 + 7 is Sunday 03-08,
     * a rest day: the period ends at the end of Monday 03-09 (UTC). */
    clock_set_utc_offset(0);
    assert_int_equal(eligibility_calendar_days_end(T_0302_0010, 7), T_0309_2400 + 8 * MS_PER_HOUR);
    assert_int_equal(eligibility_calendar_days_end(T_0302_0010, 5),
                     T_0309_2400 - 16 * MS_PER_HOUR - 2 * MS_PER_DAY); /* Friday 03-06 */
    clock_set_utc_offset(480);
    /* R-TIME-00, 民法典 art. 203: 5 days from Monday 03-02 end on Saturday
     * 03-07, a rest day: the period ends at the end of Monday 03-09; 6 days
     * (Sunday) too; 4 days (Friday) stays. No calendar is in use here:
     * weekends are rest days without one. */
    assert_int_equal(eligibility_calendar_days_end(T_0302_1000, 5), T_0309_2400);
    assert_int_equal(eligibility_calendar_days_end(T_0302_1000, 6), T_0309_2400);
    assert_int_equal(eligibility_calendar_days_end(T_0302_1000, 4), T_0306_2400);
    /* 0 days is the end of the day itself, never moved. */
    assert_int_equal(eligibility_calendar_days_end(T_0302_1000 + 5 * MS_PER_DAY, 0),
                     T_0306_2400 + MS_PER_DAY);
    /* weekend_is_rest_day = false: plain calendar days. */
    eligibility_config.weekend_is_rest_day = 0;
    assert_int_equal(eligibility_calendar_days_end(T_0302_1000, 5), T_0309_2400 - 2 * MS_PER_DAY);
    eligibility_config.weekend_is_rest_day = 1;
}

static void test_calendar_moves_a_deadline_off_a_holiday(void **state)
{
    ek_fixture_t *f = *state;
    clock_set_ms(T_0926_1100);
    /* Before the calendar: 09-26 + 7 ends on Saturday 10-03, a rest day
     * even with no calendar: the end of Monday 10-05 (R-TIME-00). */
    test_received_t p;
    test_received_init(&p, "BT-2026-000201", "15020319800101011");
    p.app.received_at = T_0926_1000;
    ek_feed(f, &p);
    Legalaid__Reply *r = ek_decision(f, "BT-2026-000201");
    assert_int_equal(r->decision->decision_due_at, T_1005_2400);
    legalaid__reply__free_unpacked(r, NULL);

    /* National Day 2026: 10-01..10-07 holidays, 09-27 and 10-10 make-up
     * working days; two bad days. */
    Legalaid__CalendarDay days[11];
    Legalaid__CalendarDay *list[11];
    char dates[9][11];
    size_t n = 0;
    for (int d = 1; d <= 7; d++, n++) {
        legalaid__calendar_day__init(&days[n]);
        snprintf(dates[n], sizeof dates[n], "2026-10-%02d", d);
        days[n].date = dates[n];
        days[n].has_kind = 1;
        days[n].kind = LEGALAID__DAY_KIND__HOLIDAY;
        days[n].name = "国庆节";
    }
    legalaid__calendar_day__init(&days[n]);
    days[n].date = "2026-09-27";
    days[n].has_kind = 1;
    days[n++].kind = LEGALAID__DAY_KIND__WORKDAY;
    legalaid__calendar_day__init(&days[n]);
    days[n].date = "2026-10-10";
    days[n].has_kind = 1;
    days[n++].kind = LEGALAID__DAY_KIND__WORKDAY;
    legalaid__calendar_day__init(&days[n]);
    days[n].date = "2026-02-30"; /* no such day */
    days[n].has_kind = 1;
    days[n++].kind = LEGALAID__DAY_KIND__HOLIDAY;
    legalaid__calendar_day__init(&days[n]);
    days[n++].date = "2026-05-01"; /* no kind */
    for (size_t i = 0; i < n; i++) list[i] = &days[i];
    Legalaid__ImportCalendar in = LEGALAID__IMPORT_CALENDAR__INIT;
    in.days = list;
    in.n_days = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_CALENDAR;
    req.import_calendar = &in;
    r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 9);
    assert_int_equal(r->import_result->n_rejected, 2);
    assert_string_equal(r->import_result->rejected[0]->field, "days[9].date");
    assert_non_null(strstr(r->import_result->rejected[0]->message, "no such day"));
    assert_string_equal(r->import_result->rejected[1]->field, "days[10].kind");
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "calendar_days"), 9);
    Legalaid__Batch *b = ek_published(f);
    assert_int_equal(b->events[b->n_events - 1]->body_case,
                     LEGALAID__EVENT__BODY_CALENDAR_IMPORTED);
    assert_int_equal(b->events[b->n_events - 1]->calendar_imported->count, 9);
    legalaid__batch__free_unpacked(b, NULL);

    /* R-TIME-00: 7 days from 09-26 end on 10-03, a statutory holiday, so
     * the period ends on the first day after the holiday: 10-08 24:00. */
    test_received_t q;
    test_received_init(&q, "BT-2026-000202", "15020319800101022");
    q.app.received_at = T_0926_1000;
    ek_feed(f, &q);
    r = ek_decision(f, "BT-2026-000202");
    assert_int_equal(r->decision->decision_due_at, T_1008_2400);
    assert_non_null(strstr(r->decision->reason, "2026-10-08 24:00"));
    legalaid__reply__free_unpacked(r, NULL);

    /* A period ending on a Saturday or Sunday the calendar makes a working
     * day (10-10, 09-27) does not move. */
    long long review = eligibility_config.review_days;
    eligibility_config.review_days = 14;
    test_received_t w;
    test_received_init(&w, "BT-2026-000203", "15020319800101033");
    w.app.received_at = T_0926_1000;
    ek_feed(f, &w);
    r = ek_decision(f, "BT-2026-000203");
    assert_int_equal(r->decision->decision_due_at, T_1010_2400);
    legalaid__reply__free_unpacked(r, NULL);
    eligibility_config.review_days = 1;
    test_received_t s;
    test_received_init(&s, "BT-2026-000204", "15020319800101044");
    s.app.received_at = T_0926_1000;
    ek_feed(f, &s);
    r = ek_decision(f, "BT-2026-000204");
    assert_int_equal(r->decision->decision_due_at, T_0927_2400);
    legalaid__reply__free_unpacked(r, NULL);
    eligibility_config.review_days = review;
    /* Outside a turn no calendar is in use: weekends alone are rest days,
     * so Sunday 09-27 moves to Monday 09-28 and Saturday 10-03 to 10-05. */
    assert_int_equal(eligibility_calendar_days_end(T_0926_1000, 1), T_0927_2400 + MS_PER_DAY);
    assert_int_equal(eligibility_calendar_days_end(T_0926_1000, 7), T_1005_2400);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_end),
        cmocka_unit_test_setup_teardown(test_calendar_moves_a_deadline_off_a_holiday, ek_setup,
                                        ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
