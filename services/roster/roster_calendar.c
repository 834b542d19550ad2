/*
 * roster_calendar.c - roster's own copy of the holiday calendar (the
 * statutory holidays and make-up working days, DESIGN "days are data",
 * DOMAIN R-TIME-00), imported in the JSON Lines format of `legalaidctl
 * import calendar` (CalendarDay), and the civil-date arithmetic of
 * templates and agreements (local day numbers).
 */
#include <string.h>

#include "log.h"
#include "roster_int.h"
#include "store.h"

static int roster_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
static int64_t roster_days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int roster_day_parse(const char *text, int64_t *day, const char **why)
{
    *why = "the date is not written YYYY-MM-DD";
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-') {
        if (!text || !text[0]) *why = "the date is required, as YYYY-MM-DD";
        return -1;
    }
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return -1;
    int y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    int m = (text[5] - '0') * 10 + (text[6] - '0');
    int d = (text[8] - '0') * 10 + (text[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2200) {
        *why = "the year is not one a roster can be for (2000-2200)";
        return -1;
    }
    if (m < 1 || m > 12) {
        *why = "there is no such month";
        return -1;
    }
    if (d < 1 || d > mdays[m - 1] + (m == 2 && roster_leap(y))) {
        *why = "there is no such day in that month";
        return -1;
    }
    *day = roster_days_from_civil(y, m, d);
    return 0;
}

void roster_day_text(int64_t day, char out[11])
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2)) % 10000;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = 0;
}

int roster_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (4). */
    return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

int roster_calendar_kind(turn_t *t, int64_t day, Legalaid__DayKind *kind)
{
    char key[11];
    roster_day_text(day, key);
    *kind = LEGALAID__DAY_KIND__DAY_KIND_UNSPECIFIED;
    Legalaid__CalendarDay *cd;
    int rc = store_get_pb(t->txn, roster_calendar, key, 10, &legalaid__calendar_day__descriptor,
                          &t->arena->pb, (ProtobufCMessage **)&cd);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    *kind = cd->kind;
    return 0;
}

int roster_calendar_import(turn_t *t, const Legalaid__ImportCalendar *in, Legalaid__Reply *reply)
{
    if (in->n_days == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "roster_import_calendar.days",
                  "the import holds no days");
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_days);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_days; i++) {
        const Legalaid__CalendarDay *cd = in->days[i];
        const char *why;
        int64_t day;
        if (!cd || roster_day_parse(cd->date, &day, &why) < 0) {
            turn_import_reject(t, res, "days", i, "date", cd ? why : "the entry is empty");
            continue;
        }
        if (!cd->has_kind ||
            (cd->kind != LEGALAID__DAY_KIND__HOLIDAY && cd->kind != LEGALAID__DAY_KIND__WORKDAY)) {
            turn_import_reject(t, res, "days", i, "kind",
                               "the kind is required: holiday (a statutory rest day) or workday "
                               "(a make-up working day)");
            continue;
        }
        if (cd->name && strlen(cd->name) > 200) {
            turn_import_reject(t, res, "days", i, "name", "the name is longer than 200 bytes");
            continue;
        }
        /* A day imported again is replaced: the State Council's notice for
         * the year is authoritative. */
        int rc = store_put_pb(t->txn, roster_calendar, cd->date, 10, &cd->base, 0);
        if (rc) return rc;
        accepted++;
    }
    res->accepted = accepted;
    res->has_accepted = 1;
    log_info("calendar imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
