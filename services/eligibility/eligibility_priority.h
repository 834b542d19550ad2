/*
 * eligibility_priority.h - the priority step of the rules: the green
 * channel for special groups, emergency aid before the review ends (art.
 * 44) and the "five same-day" fast track (DOMAIN section 5).
 */
#ifndef LA_ELIGIBILITY_PRIORITY_H
#define LA_ELIGIBILITY_PRIORITY_H

#include <stdint.h>

#include "eligibility_decision.h"

/* Age in whole years on the local day of at_ms of the holder of an
 * 18-character resident identity number (birth date in characters 7-14),
 * or -1 when id_number is not one or its birth date is not a date. */
int eligibility_priority_age(const char *id_number, int64_t at_ms);

/* Sets d->priority (from arena) for a, under cfg: green channel groups
 * (given, or elderly/minor by the resident ID's birth date at receipt),
 * emergency when limitation_deadline falls fewer than urgent_deadline_days
 * days after the day of receipt (cites art. 44), same-day when the category
 * is in same_day_categories. Records a test for each. */
void eligibility_priority_assess(const Legalaid__Application *a, const eligibility_config_t *cfg,
                                 arena_t *arena, Legalaid__Decision *d);

#endif
