/*
 * clock.c - wall clock with a test offset, and a monotonic clock.
 */
#include "clock.h"

#include <stdio.h>
#include <time.h>

static int64_t clock_offset;

static int64_t clock_read(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now_ms(void)
{
    return clock_read(CLOCK_REALTIME) + clock_offset;
}

int64_t clock_mono_ms(void)
{
    return clock_read(CLOCK_MONOTONIC);
}

void clock_set_ms(int64_t now_ms)
{
    clock_offset = now_ms - clock_read(CLOCK_REALTIME);
}

void clock_advance_ms(int64_t delta_ms)
{
    clock_offset += delta_ms;
}

int64_t clock_offset_ms(void)
{
    return clock_offset;
}

char *clock_format_ms(int64_t ms, char *buf, int size)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, (size_t)size, "%Y-%m-%d %H:%M", &tm);
    return buf;
}
