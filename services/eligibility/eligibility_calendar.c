/*
 * eligibility_calendar.c - the holiday calendar and the day count of
 * deadlines (see eligibility_calendar.h for why deadlines read the
 * calendar through the current turn's transaction).
 */
#include "eligibility_calendar.h"

#include "calendar_import.h"
#include "clock.h"
#include "eligibility_int.h"
#include "log.h"
#include "store.h"

/* No run of statutory holidays is longer than this (春节 and 国庆节 are
 * 7-8 days): a bound on the walk past holidays. */
#define CALENDAR_MAX_RUN 31

static MDB_dbi eligibility_calendar_dbi;
static MDB_txn *eligibility_calendar_txn;

int eligibility_calendar_open(MDB_txn *txn)
{
    return store_table(txn, "calendar", &eligibility_calendar_dbi);
}

void eligibility_calendar_use(MDB_txn *txn)
{
    eligibility_calendar_txn = txn;
}

uint64_t eligibility_calendar_size(MDB_txn *txn)
{
    return store_count(txn, eligibility_calendar_dbi);
}

/* The kind the imported calendar gives day (HOLIDAY, WORKDAY), or
 * DAY_KIND_UNSPECIFIED when it lists no such day or none is in use. */
static Legalaid__DayKind eligibility_calendar_kind(int64_t day)
{
    if (!eligibility_calendar_txn) return LEGALAID__DAY_KIND__DAY_KIND_UNSPECIFIED;
    char key[CALENDAR_DATE_LEN + 1];
    calendar_day_text(day, key);
    Legalaid__CalendarDay *cd = NULL;
    int rc =
        store_get_pb(eligibility_calendar_txn, eligibility_calendar_dbi, key, CALENDAR_DATE_LEN,
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

/* 1 when day is a rest day (法定休假日, 民法典 art. 203): a statutory
 * holiday in the calendar, or a Saturday or Sunday the calendar does not
 * make a working day (调休上班) when weekend_is_rest_day. */
static int eligibility_calendar_rest_day(int64_t day)
{
    Legalaid__DayKind kind = eligibility_calendar_kind(day);
    if (kind == LEGALAID__DAY_KIND__HOLIDAY) return 1;
    if (kind == LEGALAID__DAY_KIND__WORKDAY) return 0;
    /* Day 0, 1970-01-01, was a Thursday: 0 Sunday ... 6 Saturday. */
    int weekday = (int)(((day % 7) + 7 + 4) % 7);
    return eligibility_config.weekend_is_rest_day && (weekday == 0 || weekday == 6);
}

int64_t eligibility_calendar_days_end(int64_t start_ms, long long days)
{
    int64_t last = clock_local_day(start_ms) + (int64_t)days;
    /* R-TIME-00, 民法典 art. 203: a period whose last day is a rest day
     * ends at the end of the next working day. A period of 0 days is the
     * end of its own day (the same-day goal), not a period to move. */
    if (days > 0)
        for (int i = 0; i < CALENDAR_MAX_RUN && eligibility_calendar_rest_day(last); i++) last++;
    /* 24:00 of the last day is 00:00 of the day after it. */
    return clock_local_midnight(last + 1);
}

static const calendar_years_t eligibility_calendar_years = {
    1970, 2200, "the year is not one a deadline can fall in (1970-2200)"};

int eligibility_calendar_import(turn_t *t, const Legalaid__ImportCalendar *in,
                                Legalaid__Reply *reply)
{
    if (in->n_days == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_calendar.days",
                  "the import holds no days");
        return 0;
    }
    Legalaid__ImportResult *res;
    int rc =
        calendar_import_days(t, eligibility_calendar_dbi, in, &eligibility_calendar_years, &res);
    if (rc) return rc;
    uint32_t accepted = res->accepted;
    if (accepted > 0) {
        Legalaid__CalendarImported *b =
            ARENA_NEW(t->arena, Legalaid__CalendarImported, legalaid__calendar_imported__init);
        b->count = accepted;
        b->has_count = 1;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_CALENDAR_IMPORTED;
        ev->calendar_imported = b;
        rc = turn_emit(t, NULL, ev);
        if (rc) return rc;
    }
    log_info("calendar imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
