/*
 * eligibility_scope.h - the scope step of the rules: is the matter one the
 * Legal Aid Law covers on application, and under which article (art. 24,
 * 29, 31, 32, 33; art. 28 when applied for instead of notified)?
 */
#ifndef LA_ELIGIBILITY_SCOPE_H
#define LA_ELIGIBILITY_SCOPE_H

#include "eligibility_rules.h"

typedef enum eligibility_scope_kind {
    ELIGIBILITY_SCOPE_OUTSIDE = 0, /* not covered: refused */
    ELIGIBILITY_SCOPE_ART31,       /* civil/administrative matter of art. 31: hardship needed */
    ELIGIBILITY_SCOPE_ART32,       /* admitted by its art. 32 ground alone: no means test */
    ELIGIBILITY_SCOPE_VICTIM,      /* art. 29: the victim's side of a criminal case */
    ELIGIBILITY_SCOPE_DEFENCE,     /* art. 24: criminal defence on application */
    ELIGIBILITY_SCOPE_RETRIAL,     /* art. 33: a retrial decided or a protest lodged */
    ELIGIBILITY_SCOPE_COMPULSORY,  /* art. 28: compulsory medical treatment, no means test */
} eligibility_scope_kind_t;

typedef struct eligibility_scope {
    eligibility_scope_kind_t kind;
    int art31_item;      /* 1..9 when the matter is one of art. 31, else 0 */
    const char *article; /* "Legal Aid Law art. 31(5)" ...; for OUTSIDE the article not met */
    const char *detail;  /* what the matter is, or why it is outside */
} eligibility_scope_t;

/* Assesses the scope of an application (not an authority's notice) under
 * cfg (art31_additions), records the "scope" test in d and cites the
 * article when in scope. Strings come from arena. */
void eligibility_scope_assess(const Legalaid__Application *a, const eligibility_config_t *cfg,
                              arena_t *arena, Legalaid__Decision *d, eligibility_scope_t *scope);

/* Whether the matter is a claim for labour remuneration or work-injury
 * damages (art. 42(3) for migrant workers): a labour arbitration, or art.
 * 31 items 5 and 7. */
int eligibility_scope_wages_or_injury(const Legalaid__Application *a);

#endif
