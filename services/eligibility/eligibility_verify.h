/*
 * eligibility_verify.h - the check afterwards of a commitment letter on
 * economic hardship (Legal Aid Law art. 41; DOMAIN R-ECON-07):
 * VerifyCommitment records what the check found, once per case (a second
 * check is a CONFLICT naming the first finding). Truthful: the decision is
 * published again, APPROVED with the means path VERIFIED. False: aid already granted is terminated
 * (art. 48), an application not yet granted is refused, the person's credit flag bars the
 * commitment route next time (R-ECON-07(h)), and the decision is published
 * again with the objection route (art. 49).
 */
#ifndef LA_ELIGIBILITY_VERIFY_H
#define LA_ELIGIBILITY_VERIFY_H

#include "daemon.h"

int eligibility_verify_commitment(turn_t *t, const Legalaid__VerifyCommitment *in,
                                  Legalaid__Reply *reply);

#endif
