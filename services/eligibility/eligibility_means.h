/*
 * eligibility_means.h - the means step of the rules: how the economic
 * condition is settled, as the distinct paths of DOMAIN R-ECON-04, and the
 * income standard in force on a day (art. 34, versioned by effective date).
 */
#ifndef LA_ELIGIBILITY_MEANS_H
#define LA_ELIGIBILITY_MEANS_H

#include "eligibility_int.h"

/* The income standard (fen per head per month) in force on the local day
 * of at_ms under standards "YYYY-MM-DD:yuan,..." (yuan may have up to two
 * decimals): the entry with the latest effective date not after that day.
 * Sets *fen and *effective (the entry's date, "YYYY-MM-DD", NUL-terminated)
 * and returns 1; returns 0 when no entry is in force yet (or standards is
 * empty), and -1 when standards is malformed, with *bad_at the offset of
 * the first bad entry. */
int eligibility_means_income_standard_at(const char *standards, int64_t at_ms, int64_t *fen,
                                         char effective[11], size_t *bad_at);

/* Settles the economic condition of an application in scope s (not an
 * authority's notice) from a, facts and cfg at now: sets d->outcome,
 * d->means_path, the "means" (and "roll", "credit") tests, the articles,
 * the missing materials for NEEDS_MATERIALS, the verification fields for
 * the commitment route, the income standard in d->rule_version when one
 * was applied, and d->reason with what settled it (deadlines are added by
 * the caller). */
void eligibility_means_decide(const Legalaid__Application *a, const eligibility_scope_t *s,
                              const eligibility_facts_t *facts, const eligibility_config_t *cfg,
                              int64_t now, arena_t *arena, Legalaid__Decision *d);

#endif
