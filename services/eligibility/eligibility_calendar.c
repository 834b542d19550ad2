/*
 * eligibility_calendar.c - see eligibility_calendar.h. Plain calendar
 * days for now: statutory holidays and make-up working days (R-TIME-00's
 * "the period ends on the day after the holiday") come with the imported
 * calendar.
 */
#include "eligibility_calendar.h"

#include <stdio.h>
#include <time.h>

#include "clock.h"

/* Floor division, so that days before 1970 still start at local midnight. */
static int64_t eligibility_day_index(int64_t local_ms)
{
    int64_t q = local_ms / MS_PER_DAY;
    if (local_ms % MS_PER_DAY < 0) q--;
    return q;
}

int64_t eligibility_days_end(int64_t start_ms, long long days, long long utc_offset_minutes)
{
    int64_t offset_ms = (int64_t)utc_offset_minutes * 60 * MS_PER_SECOND;
    int64_t start_day = eligibility_day_index(start_ms + offset_ms);
    /* 24:00 of day start_day + days is 00:00 of the day after it. */
    return (start_day + (int64_t)days + 1) * MS_PER_DAY - offset_ms;
}

char *eligibility_time_format(int64_t ms, long long utc_offset_minutes,
                              char buf[ELIGIBILITY_TIME_MAX])
{
    int64_t local = ms + (int64_t)utc_offset_minutes * 60 * MS_PER_SECOND;
    int64_t day = eligibility_day_index(local);
    int64_t in_day = local - day * MS_PER_DAY;
    int midnight = in_day == 0;
    if (midnight) day--;
    time_t secs = (time_t)(day * (MS_PER_DAY / MS_PER_SECOND));
    struct tm tm;
    gmtime_r(&secs, &tm);
    int minutes = midnight ? 24 * 60 : (int)(in_day / 60000);
    snprintf(buf, ELIGIBILITY_TIME_MAX, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, minutes / 60, minutes % 60);
    return buf;
}
