/*
 * calendar.h - the holiday calendar's entries as every daemon that keeps a
 * copy reads them (DESIGN "days are data", DOMAIN R-TIME-00): the check of
 * one imported CalendarDay (date, kind, name) and the "YYYY-MM-DD" text of a
 * local day number, the key of a calendar table. Each service keeps its own
 * table and import handler; the years it accepts are its own.
 */
#ifndef LA_CALENDAR_H
#define LA_CALENDAR_H

#include <stdint.h>

#include "base.pb-c.h"

#define CALENDAR_DATE_LEN 10

/* The years a service accepts and what it says of a year outside them. */
typedef struct {
    int year_min, year_max;
    const char *year_why; /* e.g. "the year is not one a roster can be for (2000-2200)" */
} calendar_years_t;

/* Why date is not a day written YYYY-MM-DD within years (a sentence that
 * begins "the date ..." or years->year_why), or NULL with *day (when not
 * NULL) set to its number, days since 1970-01-01 (common/check.h
 * check_date). */
const char *calendar_date_problem(const char *date, const calendar_years_t *years, int64_t *day);

/* Checks one CalendarDay: 0 with *day set, or -1 with *field ("date",
 * "kind" or "name") and *msg. The kind must be HOLIDAY (a statutory rest
 * day) or WORKDAY (a make-up working day); a name is at most 200 bytes. */
int calendar_day_check(const Legalaid__CalendarDay *cd, const calendar_years_t *years, int64_t *day,
                       const char **field, const char **msg);

/* Local day number (days since 1970-01-01) -> "YYYY-MM-DD" (H. Hinnant's
 * civil_from_days). */
void calendar_day_text(int64_t day, char out[CALENDAR_DATE_LEN + 1]);

/* Local day number -> year, month (1-12) and day of the month. */
void calendar_day_ymd(int64_t day, int *year, int *month, int *mday);

#endif
