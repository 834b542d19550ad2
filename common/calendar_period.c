/*
 * calendar_period.c - periods in days over a holiday calendar (see
 * calendar_period.h).
 */
#include "calendar_period.h"

#include "calendar.h"
#include "clock.h"
#include "log.h"
#include "store.h"

/* No run of statutory holidays is longer than this (春节 and 国庆节 are
 * 7-8 days, with the weekend beside them): a bound on the walk past them. */
#define CALENDAR_PERIOD_MAX_RUN 31

/* The kind the calendar gives day (HOLIDAY, WORKDAY), or
 * DAY_KIND_UNSPECIFIED when it lists no such day or there is none. */
static Legalaid__DayKind calendar_period_kind(const calendar_period_t *c, int64_t day)
{
    if (!c->txn) return LEGALAID__DAY_KIND__DAY_KIND_UNSPECIFIED;
    char key[CALENDAR_DATE_LEN + 1];
    calendar_day_text(day, key);
    Legalaid__CalendarDay *cd = NULL;
    int rc = store_get_pb(c->txn, c->dbi, key, CALENDAR_DATE_LEN,
                          &legalaid__calendar_day__descriptor, NULL, (ProtobufCMessage **)&cd);
    if (rc) {
        if (rc != MDB_NOTFOUND)
            log_warn("calendar unreadable, %s counted as an ordinary day: %s", key,
                     store_strerror(rc));
        return LEGALAID__DAY_KIND__DAY_KIND_UNSPECIFIED;
    }
    Legalaid__DayKind kind = cd->kind;
    legalaid__calendar_day__free_unpacked(cd, NULL);
    return kind;
}

int calendar_period_rest_day(const calendar_period_t *c, int64_t day)
{
    Legalaid__DayKind kind = calendar_period_kind(c, day);
    if (kind == LEGALAID__DAY_KIND__HOLIDAY) return 1;
    if (kind == LEGALAID__DAY_KIND__WORKDAY) return 0;
    /* Day 0, 1970-01-01, was a Thursday: 0 Sunday ... 6 Saturday. */
    int weekday = (int)(((day % 7) + 7 + 4) % 7);
    return c->weekend_is_rest_day && (weekday == 0 || weekday == 6);
}

int64_t calendar_period_end(const calendar_period_t *c, int64_t start_ms, long long days)
{
    int64_t last = clock_local_day(start_ms) + (int64_t)days;
    if (days > 0)
        for (int i = 0; i < CALENDAR_PERIOD_MAX_RUN && calendar_period_rest_day(c, last); i++)
            last++;
    /* 24:00 of the last day is 00:00 of the day after it. */
    return clock_local_midnight(last + 1);
}
