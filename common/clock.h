/*
 * clock.h - the one clock all code reads time through (DESIGN.md, "Time and
 * deadlines"). Tests set or advance it through the ClockControl request,
 * which a daemon refuses unless its configuration says test_clock = true.
 */
#ifndef LA_CLOCK_H
#define LA_CLOCK_H

#include <stdint.h>

#define MS_PER_SECOND 1000LL
#define MS_PER_HOUR (3600LL * MS_PER_SECOND)
#define MS_PER_DAY (24LL * MS_PER_HOUR)

/* Milliseconds since the epoch: the real time plus the test offset. */
int64_t clock_now_ms(void);
/* Real monotonic milliseconds, for measuring intervals (never shifted). */
int64_t clock_mono_ms(void);
/* Shifts the clock so that clock_now_ms() returns now_ms at this instant. */
void clock_set_ms(int64_t now_ms);
void clock_advance_ms(int64_t delta_ms);
int64_t clock_offset_ms(void);

/* Formats ms since the epoch as "YYYY-MM-DD HH:MM" in the local time zone
 * into buf (at least 20 bytes); returns buf. */
char *clock_format_ms(int64_t ms, char *buf, int size);

#endif
