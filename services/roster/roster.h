/*
 * roster.h - the roster service: duty stations (courts, procuratorates,
 * detention centres, service windows, workstations), the shifts of duty
 * lawyers on their A (primary) and B (backup) posts, and who is on duty at
 * a station at a given time. StationsImported and ShiftAssigned on its
 * stream.
 */
#ifndef LA_ROSTER_H
#define LA_ROSTER_H

#include "daemon.h"

extern const service_t roster_service;

#endif
