/*
 * eligibility_case.h - a case as eligibility keeps it: its application
 * (table "applications", case_id -> Application, kept when first decided
 * so that it can be decided again), its current decision (table
 * "decisions", case_id -> Decision), the credit flags (table "credit",
 * id_number -> when and why a false commitment was found, R-ECON-07(h)),
 * the marks a case carries whatever its decision (table "marks": kind
 * letter ':' case_id -> when + text: corrected by objection, withdrawn,
 * commitment verified),
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
                            const Legalaid__Decision *prior, int lift_credit, long long paused_days,
                            Legalaid__Decision **out);

/* The materials deadline of prior's notice when prior is awaiting
 * materials (kept by a re-decision: art. 43(2), one notice, one
 * deadline), else 0. */
int64_t eligibility_case_notice_due(const Legalaid__Decision *prior);

/* Decides a again on a case the justice bureau ordered corrected (art. 49)
 * - at the bureau's order and on every later re-decision of that case:
 * this case's own credit bar lifted and the credit flag not applied; when
 * the rules still do not grant aid, NEEDS_MATERIALS (art. 43(2), the
 * earlier notice's deadline kept) instead of a refusal on the ground set
 * aside. ordered: the bureau's order, cited in the reason and the
 * "objection" test. Publishes the result. 0 or a store error. */
int eligibility_case_decide_corrected(turn_t *t, const Legalaid__Application *a,
                                      const Legalaid__Decision *prior, long long paused_days,
                                      const char *ordered);

/* What a case is marked with, whatever its decision becomes. */
typedef enum eligibility_mark {
    ELIGIBILITY_MARK_CORRECTED = 'C', /* text: the bureau's order (art. 49) */
    ELIGIBILITY_MARK_WITHDRAWN = 'W', /* text: the applicant's reason */
    ELIGIBILITY_MARK_VERIFIED = 'V',  /* text: what the check of the commitment found */
} eligibility_mark_t;

/* Sets (replaces) the mark, dated t->now. */
int eligibility_mark_set(turn_t *t, eligibility_mark_t kind, const char *case_id, const char *text);
/* 0 with *when and *text (arena copy; either may be NULL), MDB_NOTFOUND,
 * or a store error. */
int eligibility_mark_get(turn_t *t, eligibility_mark_t kind, const char *case_id, int64_t *when,
                         const char **text);

/* Outcomes that end the case at the centre: nothing more is decided on
 * them except through an objection (art. 49). */
int eligibility_case_final(Legalaid__Outcome outcome);

/* Whether a false commitment bars id_number (an ID number as applied
 * with), not counting the flag set by except_case (may be NULL). */
int eligibility_credit_barred(turn_t *t, const char *id_number, const char *except_case,
                              int *barred);
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
