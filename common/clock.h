/*
 * clock.h - the one clock all code reads time through (DESIGN.md, "Time and
 * deadlines"). Tests set or advance it through the ClockControl request,
 * which a daemon refuses unless its configuration says test_clock = true.
 */
#ifndef LA_CLOCK_H
#define LA_CLOCK_H

#include <stdint.h>
#include <time.h>

#define MS_PER_SECOND 1000LL
#define MS_PER_HOUR (3600LL * MS_PER_SECOND)
#define MS_PER_DAY (24LL * MS_PER_HOUR)

/* Milliseconds since the epoch: the real time plus the test offset. */
int64_t clock_now_ms(void);
/* Real monotonic milliseconds, for measuring intervals (never shifted). */
int64_t clock_mono_ms(void);
/* The same in microseconds (a commit's fsync). */
int64_t clock_mono_us(void);
/* Shifts the clock so that clock_now_ms() returns now_ms at this instant. */
void clock_set_ms(int64_t now_ms);
/* Moves the test clock by delta_ms (may be negative). */
void clock_advance_ms(int64_t delta_ms);
/* How far the test clock is from the real one, in ms. */
int64_t clock_offset_ms(void);
/* Unit tests only: stops the clock at now_ms; it moves only when set or
 * advanced, so exact times can be asserted whatever the machine's load.
 * clock_release() lets it run on from where it stands. */
void clock_hold(int64_t now_ms);
void clock_release(void);

/* Local time. Deadlines counted in days end at local midnight, and people
 * read local times: the offset of local time from UTC in minutes (China:
 * 480, no daylight saving) is set once from the configuration key
 * utc_offset_minutes by the daemon skeleton. */
void clock_set_utc_offset(int minutes);
/* The offset set (480 until set). */
int clock_utc_offset(void);

/* The local calendar day of ms (days since 1970-01-01, local). */
int64_t clock_local_day(int64_t ms);
/* ms since the epoch of local midnight at the start of day. */
int64_t clock_local_midnight(int64_t day);
/* Local broken-down time of ms. */
void clock_local_tm(int64_t ms, struct tm *tm);

#define CLOCK_TEXT_MAX 64
/* "YYYY-MM-DD HH:MM", local; returns buf. */
char *clock_local_text(int64_t ms, char buf[CLOCK_TEXT_MAX]);
/* The same, but a deadline at local midnight reads as 24:00 of the day it
 * ends ("2026-03-09 24:00"), the way a notice to a person states it. */
char *clock_deadline_text(int64_t ms, char buf[CLOCK_TEXT_MAX]);

#endif
