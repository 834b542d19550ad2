/*
 * calendar_period.h - the end of a period counted in days, by a service's own
 * copy of the holiday calendar: DOMAIN R-TIME-00 (民法典 arts. 200-204). A
 * period counted in days (日: calendar days, not working days) excludes its
 * starting day and runs to the end (24:00) of its last day; when the last day
 * is a rest day (法定休假日, art. 203) it ends at the end of the next working
 * day. Rest days: the calendar's HOLIDAY days, and Saturdays and Sundays
 * (when weekend_is_rest_day) unless the calendar marks them WORKDAY (调休上班,
 * a make-up working day). Eligibility's deadlines and dispatch's periods
 * both end here.
 */
#ifndef LA_CALENDAR_PERIOD_H
#define LA_CALENDAR_PERIOD_H

#include <lmdb.h>
#include <stdint.h>

/* Where a service keeps its calendar ("YYYY-MM-DD" -> CalendarDay) and how
 * it counts weekends. txn NULL: no calendar (weekends alone are rest days
 * when weekend_is_rest_day). */
typedef struct calendar_period {
    MDB_txn *txn;
    MDB_dbi dbi;
    int weekend_is_rest_day;
} calendar_period_t;

/* 1 when day (local days since 1970-01-01) is a rest day. A calendar that
 * cannot be read counts the day as its weekday would (logged). */
int calendar_period_rest_day(const calendar_period_t *c, int64_t day);

/* The end (ms since the epoch: local midnight after the last day) of the
 * period of days days from start_ms. A period of 0 days ends at the end of
 * its own day, unmoved (the same-day goal). */
int64_t calendar_period_end(const calendar_period_t *c, int64_t start_ms, long long days);

#endif
