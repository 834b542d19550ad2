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

typedef struct roster_config {
    long long utc_offset_minutes; /* local time shown in messages */
} roster_config_t;

extern roster_config_t roster_config;
extern const service_t roster_service;

#endif
