/*
 * eligibility_rules.h - the first rule set of eligibility: a pure function
 * from (application, configuration, clock) to a decision, with the articles
 * of the Legal Aid Law it rests on and the deadlines it starts. No storage.
 */
#ifndef LA_ELIGIBILITY_RULES_H
#define LA_ELIGIBILITY_RULES_H

#include <stdint.h>

#include "arena.h"
#include "eligibility.h"
#include "legalaid.pb-c.h"

#define ELIGIBILITY_CASE_ID_MAX 64

/* Why the application cannot be decided at all (it will never become
 * decidable: the event goes to the dead letters), or NULL when it can. */
const char *eligibility_application_problem(const Legalaid__Application *a);

/* Decides a (which passed eligibility_application_problem) under cfg at
 * now: fills d, initialised by the caller. Strings and arrays come from
 * arena; d->authority points into a, so d is valid while both are. */
void eligibility_rules_decide(const Legalaid__Application *a, const eligibility_config_t *cfg,
                              int64_t now, arena_t *arena, Legalaid__Decision *d);

#endif
