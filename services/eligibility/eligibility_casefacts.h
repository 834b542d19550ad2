/*
 * eligibility_casefacts.h - the facts of an approved case that decide who
 * may handle it (CaseFacts), copied from the application into the decision
 * so that dispatch needs only eligibility's stream (DOMAIN R-ASSIGN-02..09).
 */
#ifndef LA_ELIGIBILITY_CASEFACTS_H
#define LA_ELIGIBILITY_CASEFACTS_H

#include "arena.h"
#include "legalaid.pb-c.h"

/* Sets d->facts (from arena; strings point into a) when d grants aid
 * (APPROVED or APPROVED_PENDING_VERIFICATION), else leaves it NULL:
 *   ground, scope_item, county, language, opposing_party, related_cases
 *                 as applied;
 *   minor         ground MINOR, group MINOR_PARTY, or a resident ID whose
 *                 holder was under 18 on the local day of receipt;
 *   aid_form      as applied, else DEFENCE for criminal defence and
 *                 REPRESENTATION for everything else;
 *   applicant     name and ID number only (for the conflict check);
 *   co_defendants name, ID type and number of each. */
void eligibility_casefacts_fill(const Legalaid__Application *a, arena_t *arena,
                                Legalaid__Decision *d);

#endif
