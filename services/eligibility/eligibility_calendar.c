/*
 * eligibility_calendar.c - the holiday calendar and the day count of
 * deadlines (see eligibility_calendar.h for why deadlines read the
 * calendar through the current turn's transaction).
 */
#include "eligibility_calendar.h"

#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "log.h"
#include "store.h"

#define CALENDAR_DATE_LEN 10
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

/* Local day number (days since 1970-01-01) -> "YYYY-MM-DD" (the civil
 * calendar from a day count, H. Hinnant's algorithm). */
static void eligibility_calendar_text(int64_t day, char out[CALENDAR_DATE_LEN + 1])
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    int yy = (int)(((y % 10000) + 10000) % 10000);
    out[0] = (char)('0' + yy / 1000);
    out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10);
    out[3] = (char)('0' + yy % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* The kind the imported calendar gives day (HOLIDAY, WORKDAY), or
 * DAY_KIND_UNSPECIFIED when it lists no such day or none is in use. */
static Legalaid__DayKind eligibility_calendar_kind(int64_t day)
{
    if (!eligibility_calendar_txn) return LEGALAID__DAY_KIND__DAY_KIND_UNSPECIFIED;
    char key[CALENDAR_DATE_LEN + 1];
    eligibility_calendar_text(day, key);
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

int64_t eligibility_days_end(int64_t start_ms, long long days)
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

static int eligibility_calendar_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Why date is not a "YYYY-MM-DD" day, or NULL. */
static const char *eligibility_calendar_date_problem(const char *date)
{
    if (!date || !date[0]) return "the date is required, as YYYY-MM-DD";
    if (strlen(date) != CALENDAR_DATE_LEN || date[4] != '-' || date[7] != '-')
        return "the date is not written YYYY-MM-DD";
    for (int i = 0; i < CALENDAR_DATE_LEN; i++)
        if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9'))
            return "the date is not written YYYY-MM-DD";
    int y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
    int m = (date[5] - '0') * 10 + (date[6] - '0');
    int d = (date[8] - '0') * 10 + (date[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 2200) return "the year is not one a deadline can fall in (1970-2200)";
    if (m < 1 || m > 12) return "there is no such month";
    int last = mdays[m - 1] + (m == 2 && eligibility_calendar_leap(y));
    if (d < 1 || d > last) return "there is no such day in that month";
    return NULL;
}

/* Checks one day: 0, or -1 with the field and message. */
static int eligibility_calendar_check(const Legalaid__CalendarDay *cd, const char **field,
                                      const char **msg)
{
    if (!cd) {
        *field = "date";
        *msg = "the entry is empty";
        return -1;
    }
    const char *why = eligibility_calendar_date_problem(cd->date);
    if (why) {
        *field = "date";
        *msg = why;
        return -1;
    }
    if (!cd->has_kind ||
        (cd->kind != LEGALAID__DAY_KIND__HOLIDAY && cd->kind != LEGALAID__DAY_KIND__WORKDAY)) {
        *field = "kind";
        *msg = "the kind is required: holiday (a statutory rest day) or workday (a make-up "
               "working day)";
        return -1;
    }
    if (cd->name && strlen(cd->name) > 200) {
        *field = "name";
        *msg = "the name is longer than 200 bytes";
        return -1;
    }
    return 0;
}

int eligibility_calendar_import(turn_t *t, const Legalaid__ImportCalendar *in,
                                Legalaid__Reply *reply)
{
    if (in->n_days == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_calendar.days",
                  "the import holds no days");
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_days);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_days; i++) {
        const Legalaid__CalendarDay *cd = in->days[i];
        const char *field, *msg;
        if (eligibility_calendar_check(cd, &field, &msg) < 0) {
            turn_import_reject(t, res, "days", i, field, msg);
            continue;
        }
        /* A day imported again is replaced: the State Council's notice
         * for the year is authoritative. */
        int rc = store_put_pb(t->txn, eligibility_calendar_dbi, cd->date, CALENDAR_DATE_LEN,
                              &cd->base, 0);
        if (rc) return rc;
        accepted++;
    }
    res->accepted = accepted;
    if (accepted > 0) {
        Legalaid__CalendarImported *b =
            ARENA_NEW(t->arena, Legalaid__CalendarImported, legalaid__calendar_imported__init);
        b->count = accepted;
        b->has_count = 1;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_CALENDAR_IMPORTED;
        ev->calendar_imported = b;
        int rc = turn_emit(t, NULL, ev);
        if (rc) return rc;
    }
    log_info("calendar imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
