/*
 * calendar_import.h - the days of an ImportCalendar into a service's own
 * calendar table, inside the import's turn: the loop each service's import
 * handler shares, and the request's handling around it.
 */
#ifndef LA_CALENDAR_IMPORT_H
#define LA_CALENDAR_IMPORT_H

#include <lmdb.h>

#include "calendar.h"
#include "daemon.h"

/* Each day checked with calendar_day_check (years); good days stored in
 * dbi under their "YYYY-MM-DD" (a day imported again is replaced: the State
 * Council's notice for the year is authoritative), bad ones listed in the
 * ImportResult *res, whose accepted counts the good. 0, or a store error. */
int calendar_import_days(turn_t *t, MDB_dbi dbi, const Legalaid__ImportCalendar *in,
                         const calendar_years_t *years, Legalaid__ImportResult **res);

/* The whole ImportCalendar request of a service: an empty import refused
 * (INVALID_FIELD naming empty_field), the days imported as above, when emit
 * and any day went in a CalendarImported published, and the ImportResult
 * as the reply. 0, or a store error. */
int calendar_import_request(turn_t *t, MDB_dbi dbi, const Legalaid__ImportCalendar *in,
                            const calendar_years_t *years, const char *empty_field, int emit,
                            Legalaid__Reply *reply);

#endif
