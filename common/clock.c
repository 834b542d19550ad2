/*
 * clock.c - wall clock with a test offset, and a monotonic clock.
 */
#include "clock.h"

#include <stdio.h>
#include <time.h>

static int64_t clock_offset;
/* Held (unit tests): the clock stands still at clock_held_at until set or
 * advanced, so that a test can state exact times on a busy machine. */
static int clock_held;
static int64_t clock_held_at;

static int64_t clock_read(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now_ms(void)
{
    if (clock_held) return clock_held_at;
    return clock_read(CLOCK_REALTIME) + clock_offset;
}

int64_t clock_mono_ms(void)
{
    return clock_read(CLOCK_MONOTONIC);
}

int64_t clock_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void clock_set_ms(int64_t now_ms)
{
    if (clock_held)
        clock_held_at = now_ms;
    else
        clock_offset = now_ms - clock_read(CLOCK_REALTIME);
}

void clock_advance_ms(int64_t delta_ms)
{
    if (clock_held)
        clock_held_at += delta_ms;
    else
        clock_offset += delta_ms;
}

int64_t clock_offset_ms(void)
{
    if (clock_held) return clock_held_at - clock_read(CLOCK_REALTIME);
    return clock_offset;
}

void clock_hold(int64_t now_ms)
{
    clock_held = 1;
    clock_held_at = now_ms;
}

void clock_release(void)
{
    if (!clock_held) return;
    clock_offset = clock_held_at - clock_read(CLOCK_REALTIME);
    clock_held = 0;
}

static int clock_offset_minutes = 480;

void clock_set_utc_offset(int minutes)
{
    clock_offset_minutes = minutes;
}

int clock_utc_offset(void)
{
    return clock_offset_minutes;
}

int64_t clock_local_day(int64_t ms)
{
    int64_t local = ms + (int64_t)clock_offset_minutes * 60 * MS_PER_SECOND;
    /* Floor division, so that instants before 1970 fall on the right day. */
    int64_t day = local / MS_PER_DAY;
    if (local % MS_PER_DAY < 0) day--;
    return day;
}

int64_t clock_local_midnight(int64_t day)
{
    return day * MS_PER_DAY - (int64_t)clock_offset_minutes * 60 * MS_PER_SECOND;
}

void clock_local_tm(int64_t ms, struct tm *tm)
{
    int64_t local = ms + (int64_t)clock_offset_minutes * 60 * MS_PER_SECOND;
    int64_t secs = local / 1000;
    if (local % 1000 < 0) secs--;
    time_t t = (time_t)secs;
    gmtime_r(&t, tm);
}

static char *clock_text(struct tm *tm, int hour, int minute, char buf[CLOCK_TEXT_MAX])
{
    snprintf(buf, CLOCK_TEXT_MAX, "%04d-%02d-%02d %02d:%02d", tm->tm_year + 1900, tm->tm_mon + 1,
             tm->tm_mday, hour, minute);
    return buf;
}

char *clock_local_text(int64_t ms, char buf[CLOCK_TEXT_MAX])
{
    struct tm tm;
    clock_local_tm(ms, &tm);
    return clock_text(&tm, tm.tm_hour, tm.tm_min, buf);
}

char *clock_deadline_text(int64_t ms, char buf[CLOCK_TEXT_MAX])
{
    int64_t day = clock_local_day(ms);
    if (ms != clock_local_midnight(day)) return clock_local_text(ms, buf);
    struct tm tm;
    clock_local_tm(clock_local_midnight(day - 1), &tm);
    return clock_text(&tm, 24, 0, buf);
}
