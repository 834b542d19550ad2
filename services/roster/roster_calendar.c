/*
 * roster_calendar.c - roster's own copy of the holiday calendar (the
 * statutory holidays and make-up working days, DESIGN "days are data",
 * DOMAIN R-TIME-00), imported in the JSON Lines format of `legalaidctl
 * import calendar` (CalendarDay), and the civil-date arithmetic of
 * templates and agreements (local day numbers).
 */
#include "calendar_import.h"
#include "roster_int.h"
#include "store.h"

static const calendar_years_t roster_years = {
    2000, 2200, "the year is not one a roster can be for (2000-2200)"};

int roster_calendar_day_parse(const char *text, int64_t *day, const char **why)
{
    *why = calendar_date_problem(text, &roster_years, day);
    return *why ? -1 : 0;
}

void roster_calendar_day_text(int64_t day, char out[11])
{
    calendar_day_text(day, out);
}

int roster_calendar_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (4). */
    return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

int roster_calendar_kind(turn_t *t, int64_t day, Legalaid__DayKind *kind)
{
    char key[11];
    roster_calendar_day_text(day, key);
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
    return calendar_import_request(t, roster_calendar, in, &roster_years,
                                   "roster_import_calendar.days", 0, reply);
}
