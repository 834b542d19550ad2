/*
 * dispatch_time.c - the calendar arithmetic of dispatch's rules, by the
 * local calendar (common/clock.h): dates of the pool's records, whole
 * years of practice, and periods counted in days, which end by dispatch's
 * copy of the holiday calendar ("calendar": "YYYY-MM-DD" -> CalendarDay,
 * imported like eligibility's).
 */
#include <time.h>

#include "calendar_import.h"
#include "calendar_period.h"
#include "check.h"
#include "clock.h"
#include "dispatch_int.h"

int64_t dispatch_time_date_ms(const char *date)
{
    int64_t day;
    if (!date || check_date(date, &day)) return -1;
    return clock_local_midnight(day);
}

int64_t dispatch_time_days_after(turn_t *t, long long n)
{
    calendar_period_t c = {t->txn, dispatch_calendar, dispatch_config.weekend_is_rest_day};
    return calendar_period_end(&c, t->now, n);
}

static const calendar_years_t dispatch_time_years = {
    1970, 2200, "the year is not one a deadline can fall in (1970-2200)"};

int dispatch_time_import_calendar(turn_t *t, const Legalaid__ImportCalendar *in,
                                  Legalaid__Reply *reply)
{
    return calendar_import_request(t, dispatch_calendar, in, &dispatch_time_years,
                                   "import_calendar.days", 1, reply);
}

int64_t dispatch_time_years_between(int64_t from, int64_t now)
{
    if (from < 0 || from > now) return 0;
    struct tm a, b;
    clock_local_tm(from, &a);
    clock_local_tm(now, &b);
    int64_t y = b.tm_year - a.tm_year;
    if (b.tm_mon < a.tm_mon || (b.tm_mon == a.tm_mon && b.tm_mday < a.tm_mday)) y--;
    return y < 0 ? 0 : y;
}
