/*
 * roster_validate.h - pure checks of imported stations and shifts: each
 * names the sub-field at fault and says what is wrong, in words a roster
 * clerk understands. No storage: the existence of the station and the
 * conflicts with other shifts are checked by roster_shift.c.
 */
#ifndef LA_ROSTER_VALIDATE_H
#define LA_ROSTER_VALIDATE_H

#include <stddef.h>

#include "legalaid.pb-c.h"

/* Returns 0 when st is a valid station, else -1 with *field set to the
 * sub-field ("code", "name", "kind", "county") and msg filled. */
int roster_station_check(const Legalaid__Station *st, const char **field, char *msg, size_t size);

/* Returns 0 when sh is a valid shift on its own, else -1 with *field set to
 * the sub-field ("station", "lawyer_id", "ends_at", ...) and msg filled. */
int roster_shift_check(const Legalaid__Shift *sh, const char **field, char *msg, size_t size);

#endif
