/*
 * roster.h - the roster service: duty stations (courts, procuratorates,
 * detention centres, service windows, workstations), law firms' service
 * agreements and their duty lawyers, shift templates, the schedule of A
 * (primary) and B (backup) posts generated for a period and published,
 * swaps and leave with approval, check-in at the station with the backup
 * activated and coverage gaps raised by the tick, who is on duty at a
 * station at a given time, and the duty requests stations raise for
 * suspects and defendants (DOMAIN section 6).
 */
#ifndef LA_ROSTER_H
#define LA_ROSTER_H

#include "daemon.h"

typedef struct roster_config {
    long long min_rest_minutes;       /* between two shifts of one lawyer */
    long long checkin_grace_minutes;  /* A not checked in by start + this: B activated */
    long long backup_grace_minutes;   /* B not checked in this long after activation: gap */
    long long checkin_early_minutes;  /* check-in accepted this long before the start */
    long long request_ack_minutes;    /* a duty request not acknowledged: A -> B -> centre */
    long long detention_answer_hours; /* T-07: a detention-centre request answered within */
    long long share_band_permille;    /* a firm's posts may stray this far from its share */
    long long meeting_slot_minutes;   /* length of a meeting slot */
    long long meeting_capacity;       /* meetings per slot at a station without its own */
    long long max_schedule_days;      /* longest period one generation covers */
} roster_config_t;

extern roster_config_t roster_config;
extern const service_t roster_service;

#endif
