/*
 * eligibility_rules.h - the rules of eligibility: a pure function from
 * (application, facts, configuration, clock) to a decision, with the
 * articles of the Legal Aid Law it rests on, every test it applied and the
 * deadlines it starts. No storage. The scope, means and priority steps live
 * in eligibility_scope.c, eligibility_means.c and eligibility_priority.c;
 * the helpers below are shared by them.
 */
#ifndef LA_ELIGIBILITY_RULES_H
#define LA_ELIGIBILITY_RULES_H

#include <stdint.h>

#include <lmdb.h>

#include "arena.h"
#include "eligibility.h"
#include "legalaid.pb-c.h"

#define ELIGIBILITY_CASE_ID_MAX 64

/* Why the application cannot be decided at all (it will never become
 * decidable: the event goes to the dead letters), or NULL when it can. */
const char *eligibility_application_problem(const Legalaid__Application *a);

/* What the rules need to know beyond the application: gathered by the
 * handler from eligibility's own tables before it calls the rules, so that
 * the rules stay a pure function. */
typedef struct eligibility_facts {
    Legalaid__RollAnswer
        roll_answer; /* the civil-affairs roll on the applicant: yes/no/unavailable */
    Legalaid__RollStatus roll_status; /* when ROLL_YES */
    int credit_barred;        /* a past false commitment bars the commitment route (R-ECON-07(h)) */
    int verification_drawn;   /* this case is drawn for the check of its commitment afterwards */
    MDB_txn *calendar_txn;    /* for eligibility_days_end (holidays); NULL: weekends only */
    long long paused_days;    /* days the decision clock stood still while materials were
                               * awaited (art. 43(2)): added to review_days */
    int64_t materials_due_at; /* an earlier notice's deadline, kept (art. 43(2): one notice,
                               * one deadline); 0: none, a new notice runs from now */
} eligibility_facts_t;

/* Decides a (which passed eligibility_application_problem) under cfg at
 * now, knowing facts: fills d, initialised by the caller. Strings and arrays
 * come from arena; d->authority points into a, so d is valid while both
 * are. */
void eligibility_rules_decide(const Legalaid__Application *a, const eligibility_facts_t *facts,
                              const eligibility_config_t *cfg, int64_t now, arena_t *arena,
                              Legalaid__Decision *d);

/* Adds article (copied into arena) to d->articles unless already cited. */
void eligibility_decision_cite(arena_t *arena, Legalaid__Decision *d, const char *article);

/* Adds one explained test to d->tests: its name ("scope", "means" ...),
 * whether it passed, what was found and the article it applies (NULL:
 * none). detail and article are copied into arena. */
void eligibility_decision_test(arena_t *arena, Legalaid__Decision *d, const char *name, int passed,
                               const char *detail, const char *article);

#endif
