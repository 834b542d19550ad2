/*
 * eligibility_calendar.h - the one place where "N days from T" becomes a
 * deadline, so that a holiday calendar can replace the plain day count
 * without touching the rules.
 */
#ifndef LA_ELIGIBILITY_CALENDAR_H
#define LA_ELIGIBILITY_CALENDAR_H

#include <stdint.h>

/* The end (24:00 local time) of the day that comes `days` days after the
 * local date of start_ms: DOMAIN R-TIME-00 (民法典 arts. 200-204), a period
 * counted in days excludes its starting day and runs to the end of its last
 * day. utc_offset_minutes gives the local day boundary (China: 480).
 * Returns ms since the epoch. */
int64_t eligibility_days_end(int64_t start_ms, long long days, long long utc_offset_minutes);

#define ELIGIBILITY_TIME_MAX 64

/* Formats ms as local "YYYY-MM-DD HH:MM" into buf; a deadline at local
 * midnight reads as 24:00 of the day it ends ("2026-03-09 24:00"), the way
 * a notice to a person states it. Returns buf. */
char *eligibility_time_format(int64_t ms, long long utc_offset_minutes,
                              char buf[ELIGIBILITY_TIME_MAX]);

#endif
