/*
 * eligibility_lifecycle.h - what intake's events and the passing of time
 * do to a case: the first decision on an application or an authority's
 * notification, the decision again once missing materials are supplied,
 * the applicant's withdrawal, and the deemed withdrawal when the materials
 * deadline passes (Legal Aid Law art. 43(2)).
 */
#ifndef LA_ELIGIBILITY_LIFECYCLE_H
#define LA_ELIGIBILITY_LIFECYCLE_H

#include <stdint.h>

#include "daemon.h"

/* ApplicationReceived / DefenceNotificationReceived: decided once per case. */
int eligibility_lifecycle_received(turn_t *t, const Legalaid__Event *ev,
                                   const Legalaid__Application *a);
/* MaterialsSupplemented: the application's materials and what they
 * establish (commitment_signed, household_income_fen, hardship_proof, when
 * present) merged in; a case awaiting materials is decided again (a case
 * corrected by objection through eligibility_case_decide_corrected). */
int eligibility_lifecycle_supplemented(turn_t *t, const Legalaid__Event *ev,
                                       const Legalaid__MaterialsSupplemented *m);
/* ApplicationWithdrawn: the case's outcome becomes WITHDRAWN unless it is
 * final already. */
int eligibility_lifecycle_withdrawn(turn_t *t, const Legalaid__Event *ev,
                                    const Legalaid__ApplicationWithdrawn *w);
/* The materials deadline due_at of case_id has passed: DEEMED_WITHDRAWN if
 * the case still awaits those materials. */
int eligibility_lifecycle_deemed_withdrawn(turn_t *t, const char *case_id, int64_t due_at);

/* A copy of prior (in t's arena) that becomes the new decision with
 * outcome: decided now, with no appointment deadline, no missing materials,
 * no articles and no objection route: the caller cites and routes anew. */
Legalaid__Decision *eligibility_lifecycle_successor(turn_t *t, const Legalaid__Decision *prior,
                                                    Legalaid__Outcome outcome);

#endif
