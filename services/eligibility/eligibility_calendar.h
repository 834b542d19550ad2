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
 * day. Local days follow the configured utc_offset_minutes (common/clock.h).
 * Returns ms since the epoch. */
int64_t eligibility_days_end(int64_t start_ms, long long days);

#endif
