/*
 * eligibility_objection.h - objections to a refusal or termination (Legal
 * Aid Law art. 49; DOMAIN R-TERM-03): table "objections" (case_id ->
 * Objection). Filed with FileObjection, decided within objection_review_days
 * by a justice bureau officer with DecideObjection (UPHELD or CORRECTED: a
 * corrected case is marked corrected and decided again, now and whenever
 * materials arrive later, through eligibility_case_decide_corrected), read
 * with GetObjection; an objection left undecided past its due date is
 * reported once by the tick. A case the applicant withdrew can no longer be
 * objected to, nor its objection decided (CONFLICT).
 */
#ifndef LA_ELIGIBILITY_OBJECTION_H
#define LA_ELIGIBILITY_OBJECTION_H

#include <lmdb.h>
#include <stdint.h>

#include "daemon.h"
#include "eligibility.h"

int eligibility_objection_open(MDB_txn *txn);

int eligibility_objection_file(turn_t *t, const Legalaid__FileObjection *in,
                               Legalaid__Reply *reply);
int eligibility_objection_decide(turn_t *t, const Legalaid__DecideObjection *in,
                                 Legalaid__Reply *reply);
int eligibility_objection_get(turn_t *t, const Legalaid__GetObjection *in, Legalaid__Reply *reply);

/* The objection on case_id, due at due_at, has passed its due date: logged
 * and counted once if still undecided. */
int eligibility_objection_overdue(turn_t *t, const char *case_id, int64_t due_at);

/* Where the person objects to a refusal or termination (art. 49), as the
 * decision states it. */
const char *eligibility_objection_route(const eligibility_config_t *cfg, arena_t *arena);

#endif
