/*
 * roster_int.h - what the roster's files share: its tables, the shift key
 * layout, and the handlers roster.c dispatches to.
 *
 * Tables (opened by roster.c):
 *   "stations"         code -> Station
 *   "shifts"           station NUL starts_at(BE64) role(1 byte) lawyer_id -> Shift
 *                      so that the shifts of one station are in start order and
 *                      "who is on duty at X at T" is one bounded cursor scan
 *   "shifts_by_lawyer" lawyer_id NUL starts_at(BE64) station -> the "shifts" key
 *                      to find a lawyer's overlapping shifts at any station
 */
#ifndef LA_ROSTER_INT_H
#define LA_ROSTER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "daemon.h"

/* A shift lasts at most a day. The duty lookup relies on it: a shift that
 * covers T started after T - ROSTER_SHIFT_MAX_MS, so the scan starts there. */
#define ROSTER_SHIFT_MAX_MS MS_PER_DAY

#define ROSTER_CODE_MAX 16
#define ROSTER_LAWYER_ID_MAX 64
/* station NUL starts_at role lawyer_id */
#define ROSTER_SHIFT_KEY_MAX (ROSTER_CODE_MAX + 1 + 8 + 1 + ROSTER_LAWYER_ID_MAX)

extern MDB_dbi roster_stations, roster_shifts, roster_by_lawyer;

/* Writes the "shifts" key of sh (validated: lengths within the maxima) into
 * key; returns its length. */
size_t roster_shift_key(const char *station, int64_t starts_at, int role, const char *lawyer_id,
                        unsigned char key[ROSTER_SHIFT_KEY_MAX]);



/* "A" or "B" for a role. */
const char *roster_role_post(int role);

/* Reads the station under code into *st (arena memory). 0, MDB_NOTFOUND or
 * a store error. */
int roster_station_get(turn_t *t, const char *code, Legalaid__Station **st);

int roster_stations_import(turn_t *t, const Legalaid__ImportStations *in, Legalaid__Reply *reply);
int roster_shifts_import(turn_t *t, const Legalaid__ImportShifts *in, Legalaid__Reply *reply);
int roster_duty_query(turn_t *t, const Legalaid__DutyQuery *q, Legalaid__Reply *reply);

#endif
