/*
 * eligibility_int.h - what eligibility's files share: its tables, the
 * citation prefix, and the functions each file offers the others (the
 * floors and the file of each are mapped at the top of eligibility.c).
 * Module headers exist only where a unit test includes the module directly:
 * eligibility_calendar.h, eligibility_decision.h, eligibility_means.h,
 * eligibility_priority.h, eligibility_rules.h.
 *
 * Tables (each opened by the file that owns it, from eligibility_open):
 *   "decisions"     case_id -> Decision: the case's current decision
 *                   (eligibility_case.c)
 *   "applications"  case_id -> Application, kept when first decided so
 *                   that it can be decided again (eligibility_case.c)
 *   "credit"        ID number (upper-case X) | NUL | case_id -> when
 *                   (BE64 ms) | finding: one flag per false commitment,
 *                   R-ECON-07(h) (eligibility_credit.c)
 *   "marks"         kind letter | ':' | case_id -> when (BE64 ms) | text:
 *                   what a case carries whatever its decision: corrected
 *                   by objection, withdrawn, commitment verified
 *                   (eligibility_mark.c)
 *   "roll"          ID number -> RollEntry: the civil-affairs roll
 *                   (eligibility_roll.c)
 *   "calendar"      "YYYY-MM-DD" -> CalendarDay: holidays and make-up
 *                   working days (eligibility_calendar.c)
 *   "objections"    case_id -> Objection (eligibility_objection.c)
 *   "deadlines"     due_at (BE64) | kind (1 byte) | case_id -> "": the
 *                   deadlines the tick acts on, common/due.h's layout
 *                   (eligibility_due.c; the older "due" table is
 *                   converted into it at open)
 * and in "meta" the counters "decided.<outcome>", "objections.filed",
 * "objections.overdue", "objections.upheld", "objections.corrected",
 * "verified.truthful", "verified.false", and "roll.exported_at".
 */
#ifndef LA_ELIGIBILITY_INT_H
#define LA_ELIGIBILITY_INT_H

#include <lmdb.h>
#include <stdint.h>

#include "ageq.h"
#include "config.h"
#include "daemon.h"
#include "eligibility.h"
#include "eligibility_calendar.h"
#include "eligibility_decision.h"
#include "la_limits.h"

/* How every article is cited, in decisions and in messages. */
#define LAW "Legal Aid Law "

/* ---- eligibility_config.c: the [eligibility] keys ------------------------ */

/* The keys of [eligibility] with their defaults and meaning (the key
 * table of the daemon's configuration), read into eligibility_config. */
extern const cfg_key_t eligibility_config_keys[];

/* ---- eligibility_due.c: table "deadlines" -------------------------------- */

/* The kinds of deadline eligibility acts on: the materials deadline of a
 * NEEDS_MATERIALS decision (art. 43(2): deemed withdrawn) and the justice
 * bureau's 5 days on an objection (art. 49: reported overdue once). */
typedef enum eligibility_due_kind {
    ELIGIBILITY_DUE_MATERIALS = 'M',
    ELIGIBILITY_DUE_OBJECTION = 'O',
} eligibility_due_kind_t;

/* The "deadlines" table, for the tick's due_tick. */
extern MDB_dbi eligibility_due_dbi;

/* Opens "deadlines" and moves any entry of the older "due" table into it. */
int eligibility_due_open(MDB_txn *txn);
int eligibility_due_add(turn_t *t, int64_t due_at, const char *case_id,
                        eligibility_due_kind_t kind);
/* Removes the entry if present. */
int eligibility_due_remove(turn_t *t, int64_t due_at, const char *case_id,
                           eligibility_due_kind_t kind);
/* Open deadlines (for tests and status). */
uint64_t eligibility_due_size(MDB_txn *txn);

/* ---- eligibility_mark.c: table "marks" ----------------------------------- */

int eligibility_mark_open(MDB_txn *txn);

/* What a case is marked with, whatever its decision becomes. */
typedef enum eligibility_mark {
    ELIGIBILITY_MARK_CORRECTED = 'C', /* text: the bureau's order (art. 49) */
    ELIGIBILITY_MARK_WITHDRAWN = 'W', /* text: the applicant's reason */
    ELIGIBILITY_MARK_VERIFIED = 'V',  /* text: what the check of the commitment found */
    ELIGIBILITY_MARK_AIDED = 'A',     /* counted as aided (eligibility_stats.c) */
} eligibility_mark_t;

/* Sets (replaces) the mark, dated t->now. */
int eligibility_mark_set(turn_t *t, eligibility_mark_t kind, const char *case_id, const char *text);
/* 0 with *when and *text (arena copy; either may be NULL), MDB_NOTFOUND,
 * or a store error. */
int eligibility_mark_get(turn_t *t, eligibility_mark_t kind, const char *case_id, int64_t *when,
                         const char **text);

/* ---- eligibility_stats.c: the reports' counters (common/stats.h) ------- */

/* The daemon's "stats" table and the tables of applications and decisions
 * (case_id -> message), kept for the functions below. */
void eligibility_stats_open(MDB_dbi stats, MDB_dbi applications, MDB_dbi decisions);
/* Counts a case received (the day of its receipt). */
int eligibility_stats_received(turn_t *t, const Legalaid__Application *app);
/* Counts d's outcome when new, and the case and persons aided when d
 * grants aid for the first time. */
int eligibility_stats_decided(turn_t *t, const Legalaid__Decision *prior,
                              const Legalaid__Decision *d);
/* Counts an older store's cases once (the table was empty at open). */
int eligibility_stats_fill(MDB_txn *txn);

/* ---- eligibility_history.c: a case of the previous system --------------- */

/* Records the case as it was decided (issue 14, import history): no rule
 * applied, no deadline, nothing for notify to send. */
int eligibility_history_received(turn_t *t, const Legalaid__Application *a);

/* ---- eligibility_credit.c: table "credit" -------------------------------- */

int eligibility_credit_open(MDB_txn *txn);

/* Whether a false commitment bars id_number (an ID number as applied
 * with), not counting the flag set by except_case (may be NULL). */
int eligibility_credit_barred(turn_t *t, const char *id_number, const char *except_case,
                              int *barred);
int eligibility_credit_set(turn_t *t, const char *id_number, const char *case_id,
                           const char *finding);
/* Lifts the flag when it was set by case_id (its finding was set aside). */
int eligibility_credit_lift(turn_t *t, const char *id_number, const char *case_id);

/* ---- eligibility_roll.c: table "roll" ------------------------------------ */

int eligibility_roll_open(MDB_txn *txn);

/* ImportAssistanceRoll: each entry checked (resident ID number with its
 * check digit and birth date, status), good ones stored (an entry imported
 * again is replaced), bad ones listed in the ImportResult; the export time
 * is kept and AssistanceRollImported published when any entry went in. A
 * newer export replaces the roll (chunks of one export share exported_at);
 * an export older than the roll in use is a CONFLICT. */
int eligibility_roll_import(turn_t *t, const Legalaid__ImportAssistanceRoll *in,
                            Legalaid__Reply *reply);

/* What the roll says of person at now: *answer ROLL_YES with *status,
 * ROLL_NO, or ROLL_UNAVAILABLE. Returns 0 or a store error. */
int eligibility_roll_lookup(turn_t *t, const Legalaid__Person *person, Legalaid__RollAnswer *answer,
                            Legalaid__RollStatus *status);

/* Entries in the roll (for the status counters). */
uint64_t eligibility_roll_size(MDB_txn *txn);

/* Why id is not an 18-character resident ID number (GB 11643: 17 digits, a
 * birth date inside, a check digit 0-9 or X), or NULL; norm gets it with an
 * upper-case X. */
const char *eligibility_roll_id_problem(const char *id, char norm[19]);

/* ---- eligibility_scope.c: the scope step of the rules -------------------- */

typedef enum eligibility_scope_kind {
    ELIGIBILITY_SCOPE_OUTSIDE = 0, /* not covered: refused */
    ELIGIBILITY_SCOPE_ART31,       /* civil/administrative matter of art. 31: hardship needed */
    ELIGIBILITY_SCOPE_ART32,       /* admitted by its art. 32 ground alone: no means test */
    ELIGIBILITY_SCOPE_VICTIM,      /* art. 29: the victim's side of a criminal case */
    ELIGIBILITY_SCOPE_DEFENCE,     /* art. 24: criminal defence on application */
    ELIGIBILITY_SCOPE_RETRIAL,     /* art. 33: a retrial decided or a protest lodged */
    ELIGIBILITY_SCOPE_COMPULSORY,  /* art. 28: compulsory medical treatment, no means test */
    /* art. 25(1)(5): a defendant in a death-penalty review who applies, no means test */
    ELIGIBILITY_SCOPE_DEATH_REVIEW,
} eligibility_scope_kind_t;

typedef struct eligibility_scope {
    eligibility_scope_kind_t kind;
    int art31_item;      /* 1..9 when the matter is one of art. 31, else 0 */
    const char *article; /* "Legal Aid Law art. 31(5)" ...; for OUTSIDE the article not met */
    decisiontext_t text; /* what the matter is, or why it is outside */
    /* When the scope's article grants aid whatever the means (art. 28,
     * 25(1)(5)): the means test's code and the decision's reason's; else
     * NULL. */
    const char *no_means_test, *no_means_reason;
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

/* ---- eligibility_casefacts.c: the facts dispatch matches on -------------- */

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

/* ---- eligibility_case.c: tables "decisions", "applications"; publishing -- */

int eligibility_case_open(MDB_txn *txn, MDB_dbi daily, int daily_empty, MDB_dbi stats,
                          int stats_empty);
/* "ages", "ages_by_id" (common/ageq.h): how long the cases awaiting
 * materials and awaiting the check of their commitment have been so. */
extern ageq_t eligibility_ages;
extern const char *const eligibility_age_queues[];

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

/* The case's draw for the check of its commitment afterwards (art. 41):
 * a uniform random 0..9999 (libsodium), made at the case's first decision
 * and kept in table "draws", so that a re-decision draws the same and a
 * case number predicts nothing. 0 or a store error. */
int eligibility_case_draw(turn_t *t, const char *case_id, uint32_t *draw);
/* Whether a draw is drawn at share_percent (draw < share_percent x 100). */
int eligibility_case_drawn(uint32_t draw, long long share_percent);

/* Stores d as the case's decision (replacing prior, NULL for the first),
 * counts it, moves the materials deadline in the "deadlines" index and
 * emits EligibilityDecided. 0 or a store error. */
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

/* A copy of prior (in t's arena) that becomes the new decision with
 * outcome: decided now, with no appointment deadline, no missing materials,
 * no articles and no objection route: the caller cites and routes anew
 * (a withdrawal, a deemed withdrawal, a false commitment, a termination by
 * dispatch). */
Legalaid__Decision *eligibility_case_redecision(turn_t *t, const Legalaid__Decision *prior,
                                                Legalaid__Outcome outcome);

/* Outcomes that end the case at the centre: nothing more is decided on
 * them except through an objection (art. 49). */
int eligibility_case_final(Legalaid__Outcome outcome);

/* The outcome counters: the meta key and the status name of each. */
const char *eligibility_case_counter_name(Legalaid__Outcome outcome);
int eligibility_case_counter_get(turn_t *t, Legalaid__Outcome outcome, uint64_t *n);
/* Adds 1 to a meta counter. */
int eligibility_case_count(turn_t *t, const char *key);

/* The Legal Aid Law's name of an outcome, for messages. */
const char *eligibility_case_outcome_name(Legalaid__Outcome outcome);

/* ---- eligibility_deadline.c: the deadlines on eligibility's events ------- */

/* The deadlines the decision d (replacing prior, NULL for the first) sets
 * and meets on ev, its EligibilityDecided: materials and decision while
 * materials are awaited (art. 43), assignment on a new grant (art. 36,
 * 43(1), 44), verification of a commitment drawn for the check (art. 41). */
void eligibility_deadline_decided(turn_t *t, Legalaid__Event *ev, const Legalaid__Decision *prior,
                                  const Legalaid__Decision *d);
/* The objection's 5 days (art. 49) on ev: set when filed, met when decided. */
void eligibility_deadline_objection(turn_t *t, Legalaid__Event *ev, const Legalaid__Objection *o,
                                    int decided);

/* ---- eligibility_lifecycle.c: intake's events on a case ------------------ */

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

/* ---- eligibility_verify.c: the check afterwards of a commitment ---------- */

int eligibility_verify_commitment(turn_t *t, const Legalaid__VerifyCommitment *in,
                                  Legalaid__Reply *reply);

/* ---- eligibility_objection.c: table "objections" (art. 49) --------------- */

int eligibility_objection_open(MDB_txn *txn);

int eligibility_objection_file(turn_t *t, const Legalaid__FileObjection *in,
                               Legalaid__Reply *reply);
int eligibility_objection_decide(turn_t *t, const Legalaid__DecideObjection *in,
                                 Legalaid__Reply *reply);
int eligibility_objection_get(turn_t *t, const Legalaid__GetObjection *in, Legalaid__Reply *reply);

/* The objection on case_id, due at due_at, has passed its due date: logged
 * and counted once if still undecided. */
int eligibility_objection_overdue(turn_t *t, const char *case_id, int64_t due_at);

/* ---- eligibility_dispatch.c: dispatch's stream --------------------------- */

/* Applies one event of dispatch's stream: 0, turn_reject for a
 * CaseTerminated that names no case, or a store error. */
int eligibility_dispatch_apply(turn_t *t, const Legalaid__Event *ev);

/* ---- eligibility_tick.c: the tick ---------------------------------------- */

/* Acts on every deadline at or before t->now (up to a bounded number per
 * turn; the rest on the next tick), the holiday calendar read through the
 * turn's transaction. 0 or a store error. */
int eligibility_tick(turn_t *t);

#endif
