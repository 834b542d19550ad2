/*
 * eligibility_case.h - a case as eligibility keeps it: its application
 * (table "applications", case_id -> Application, kept when first decided
 * so that it can be decided again), its current decision (table
 * "decisions", case_id -> Decision), the credit flags (table "credit",
 * id_number -> when and why a false commitment was found, R-ECON-07(h)),
 * the facts the rules are given, and publishing a decision: stored,
 * counted by outcome, its materials deadline indexed, EligibilityDecided
 * emitted, all in the turn's transaction.
 */
#ifndef LA_ELIGIBILITY_CASE_H
#define LA_ELIGIBILITY_CASE_H

#include <lmdb.h>
#include <stdint.h>

#include "daemon.h"
#include "eligibility_rules.h"

int eligibility_case_open(MDB_txn *txn);

/* The case's decision / application (arena copies): 0, MDB_NOTFOUND or a
 * store error. */
int eligibility_case_decision(turn_t *t, const char *case_id, Legalaid__Decision **d);
int eligibility_case_application(turn_t *t, const char *case_id, Legalaid__Application **a);
int eligibility_case_keep_application(turn_t *t, const Legalaid__Application *a);

/* The facts on a's applicant from eligibility's tables: the roll's answer,
 * the credit flag (ignored when lift_credit: an objection corrected), the
 * deterministic draw for the check afterwards. 0 or a store error. */
int eligibility_case_facts(turn_t *t, const Legalaid__Application *a, int lift_credit,
                           eligibility_facts_t *facts);

/* Whether case_id is drawn for the check of its commitment afterwards:
 * a hash of the case number, so that a replay draws the same. */
int eligibility_case_drawn(const char *case_id, long long share_percent);

/* Stores d as the case's decision (replacing prior, NULL for the first),
 * counts it, moves the materials deadline in the "due" index and emits
 * EligibilityDecided. 0 or a store error. */
int eligibility_case_publish(turn_t *t, const Legalaid__Decision *prior, Legalaid__Decision *d);

/* Applies the rules to a with the facts of now and publishes the result;
 * *out (may be NULL) gets it. 0 or a store error. */
int eligibility_case_decide(turn_t *t, const Legalaid__Application *a,
                            const Legalaid__Decision *prior, int lift_credit,
                            long long paused_days, Legalaid__Decision **out);

/* Outcomes that end the case at the centre: nothing more is decided on
 * them except through an objection (art. 49). */
int eligibility_case_final(Legalaid__Outcome outcome);

/* The credit flag on id_number (an ID number as applied with). */
int eligibility_credit_barred(turn_t *t, const char *id_number, int *barred);
int eligibility_credit_set(turn_t *t, const char *id_number, const char *case_id,
                           const char *finding);
/* Lifts the flag when it was set by case_id (its finding was set aside). */
int eligibility_credit_lift(turn_t *t, const char *id_number, const char *case_id);

/* The outcome counters: the meta key and the status name of each. */
const char *eligibility_case_counter_name(Legalaid__Outcome outcome);
int eligibility_case_counter_get(turn_t *t, Legalaid__Outcome outcome, uint64_t *n);
/* Adds 1 to a meta counter. */
int eligibility_case_count(turn_t *t, const char *key);

/* The Legal Aid Law's name of an outcome, for messages. */
const char *eligibility_case_outcome_name(Legalaid__Outcome outcome);

#endif
