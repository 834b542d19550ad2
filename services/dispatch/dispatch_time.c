/*
 * dispatch_time.c - the calendar arithmetic of dispatch's rules, by the
 * local calendar (common/clock.h): dates of the pool's records, whole
 * years of practice, and periods counted in days.
 */
#include <time.h>

#include "check.h"
#include "clock.h"
#include "dispatch_int.h"

int64_t dispatch_time_date_ms(const char *date)
{
    int64_t day;
    if (!date || check_date(date, &day)) return -1;
    return clock_local_midnight(day);
}

int64_t dispatch_time_days_after(int64_t now, long long n)
{
    return clock_local_midnight(clock_local_day(now) + n + 1);
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
