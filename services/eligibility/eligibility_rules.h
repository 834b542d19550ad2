/*
 * eligibility_rules.h - the rules of eligibility: a pure function from
 * (application, facts, configuration, clock) to a decision, with the
 * articles of the Legal Aid Law it rests on, every test it applied and the
 * deadlines it starts. No storage. The scope, means and priority steps live
 * in eligibility_scope.c, eligibility_means.c and eligibility_priority.c;
 * the helpers they share (citing, recording a test, the facts) in
 * eligibility_decision.c, a floor below them all.
 */
#ifndef LA_ELIGIBILITY_RULES_H
#define LA_ELIGIBILITY_RULES_H

#include <stdint.h>

#include "arena.h"
#include "eligibility.h"
#include "eligibility_decision.h"
#include "legalaid.pb-c.h"

/* Decides a (which passed eligibility_decision_application_problem) under
 * cfg at now, knowing facts: fills d, initialised by the caller. Strings
 * and arrays come from arena; d->authority points into a, so d is valid
 * while both are. */
void eligibility_rules_decide(const Legalaid__Application *a, const eligibility_facts_t *facts,
                              const eligibility_config_t *cfg, int64_t now, arena_t *arena,
                              Legalaid__Decision *d);

#endif
