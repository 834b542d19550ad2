/*
 * eligibility_calendar.h - the holiday calendar (table "calendar":
 * "YYYY-MM-DD" -> CalendarDay, imported with ImportCalendar) and the one
 * place where "N days from T" becomes a deadline (DOMAIN R-TIME-00).
 *
 * How the deadline reads the calendar: eligibility_calendar_days_end() keeps its
 * plain signature (the rules call it as a pure function), and reads the
 * calendar through the transaction the current turn set with
 * eligibility_calendar_use(). Why the turn's own transaction and not an
 * in-memory copy: a service has no hook after its turn commits, so a copy
 * refreshed inside the import's handler would keep the days of an import
 * whose turn then aborts, and deadlines would move by days the database
 * never held. Reading through the turn's (child) transaction sees exactly
 * what that turn will commit with: an aborted import's days vanish with
 * its transaction, and an import earlier in the same turn is already
 * visible. eligibility.c sets it around every handle and apply, and
 * eligibility_tick.c around the tick, and both clear it afterwards; with
 * none set (unit tests of the plain count, the rules' table test) only
 * weekends are rest days.
 */
#ifndef LA_ELIGIBILITY_CALENDAR_H
#define LA_ELIGIBILITY_CALENDAR_H

#include <lmdb.h>
#include <stdint.h>

#include "daemon.h"

/* Opens the "calendar" table at start. */
int eligibility_calendar_open(MDB_txn *txn);

/* The transaction deadlines read the calendar through, or NULL (plain
 * days). Valid until the caller sets NULL again. */
void eligibility_calendar_use(MDB_txn *txn);

/* The end (24:00 local time) of the period of `days` days from start_ms:
 * DOMAIN R-TIME-00 (民法典 arts. 200-204), a period counted in days (日,
 * calendar days, not working days) excludes its starting day and runs to
 * the end of its last day; when the last day is a rest day (法定休假日,
 * art. 203) the period ends at the end of the next working day. Rest days:
 * the calendar's HOLIDAY days, and Saturdays and Sundays (when
 * weekend_is_rest_day) unless the calendar marks them WORKDAY (a make-up
 * working day). With no calendar in use weekends still count as rest. A
 * period of 0 days ends at the end of its starting day, unmoved. Local days
 * follow utc_offset_minutes (common/clock.h). Returns ms since the epoch. */
int64_t eligibility_calendar_days_end(int64_t start_ms, long long days);

/* ImportCalendar: each day checked (date, kind), good days stored (a day
 * imported again is replaced), bad ones listed in the ImportResult;
 * CalendarImported is published when any day went in. */
int eligibility_calendar_import(turn_t *t, const Legalaid__ImportCalendar *in,
                                Legalaid__Reply *reply);

/* Days in the calendar (for the status counters). */
uint64_t eligibility_calendar_size(MDB_txn *txn);

#endif
