/*
 * eligibility_calendar.c - see eligibility_calendar.h. Plain calendar
 * days for now: statutory holidays and make-up working days (R-TIME-00's
 * "the period ends on the day after the holiday") come with the imported
 * calendar.
 */
#include "eligibility_calendar.h"

#include "clock.h"

int64_t eligibility_days_end(int64_t start_ms, long long days)
{
    /* 24:00 of day start + days is 00:00 of the day after it. */
    return clock_local_midnight(clock_local_day(start_ms) + (int64_t)days + 1);
}
