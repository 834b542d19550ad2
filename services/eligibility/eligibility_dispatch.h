/*
 * eligibility_dispatch.h - what eligibility hears from dispatch: aid
 * terminated there (CaseTerminated, Legal Aid Law art. 48) is recorded as
 * the case's decision, TERMINATED, with the article and the objection
 * route (art. 49), and published, so that an objection can be filed
 * against the termination like against a refusal. A termination
 * eligibility decided itself (from_eligibility: a false commitment) is not
 * recorded twice.
 */
#ifndef LA_ELIGIBILITY_DISPATCH_H
#define LA_ELIGIBILITY_DISPATCH_H

#include "daemon.h"

/* Applies one event of dispatch's stream: 0, turn_reject for a
 * CaseTerminated that names no case, or a store error. */
int eligibility_dispatch_apply(turn_t *t, const Legalaid__Event *ev);

#endif
