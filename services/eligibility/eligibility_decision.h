/*
 * eligibility_decision.h - building a decision, the floor under every rule
 * step and every step that decides a case again: what the rules are given
 * beyond the application (eligibility_facts_t), whether an application can
 * be decided at all, citing an article, recording an explained test, and
 * the route of objection (Legal Aid Law art. 49) a refusal or termination
 * states. No storage, no rule of its own.
 */
#ifndef LA_ELIGIBILITY_DECISION_H
#define LA_ELIGIBILITY_DECISION_H

#include <stdint.h>

#include <lmdb.h>

#include "arena.h"
#include "decisiontext.h"
#include "eligibility.h"
#include "la_limits.h"
#include "legalaid.pb-c.h"

/* What the rules need to know beyond the application: gathered by the
 * handler from eligibility's own tables before it calls the rules, so that
 * the rules stay a pure function. */
typedef struct eligibility_facts {
    Legalaid__RollAnswer
        roll_answer; /* the civil-affairs roll on the applicant: yes/no/unavailable */
    Legalaid__RollStatus roll_status; /* when ROLL_YES */
    int credit_barred;      /* a past false commitment bars the commitment route (R-ECON-07(h)) */
    int verification_drawn; /* this case is drawn for the check of its commitment afterwards */
    uint32_t verification_draw; /* the case's draw, 0..9999 (recorded in the decision) */
    MDB_txn *calendar_txn;  /* for eligibility_calendar_days_end (holidays); NULL: weekends only */
    long long paused_days;  /* days the decision clock stood still while materials were
                             * awaited (art. 43(2)): added to review_days */
    int64_t materials_due_at; /* an earlier notice's deadline, kept (art. 43(2): one notice,
                               * one deadline); 0: none, a new notice runs from now */
} eligibility_facts_t;

/* Why the application cannot be decided at all (it will never become
 * decidable: the event goes to the dead letters), or NULL when it can.
 * A case_id is at most LA_CASE_ID_MAX bytes. */
const char *eligibility_decision_application_problem(const Legalaid__Application *a);

/* Adds article (copied into arena) to d->articles unless already cited. */
void eligibility_decision_cite(arena_t *arena, Legalaid__Decision *d, const char *article);

/* Cites what the decision's tests applied, as an officer signs it: the
 * article of the scope test that found the matter in scope and that of the
 * last means test, the one that settled the economic condition (granted,
 * refused above the standard, or materials awaited). A decision made again
 * from an earlier one (a termination, a withdrawal, a refusal after a
 * false commitment) keeps the earlier tests and so cites them too. */
void eligibility_decision_cite_applied(arena_t *arena, Legalaid__Decision *d);

/* Adds one explained test to d->tests: its name ("scope", "means" ...),
 * whether it passed, what was found and the article it applies (NULL:
 * none). detail and article are copied into arena. */
void eligibility_decision_test(arena_t *arena, Legalaid__Decision *d, const char *name, int passed,
                               const char *detail, const char *article);

/* Adds one explained test whose finding is the code and params x (the
 * detail is worded from them, and only they are stored; decisiontext.h). */
void eligibility_decision_explained(arena_t *arena, Legalaid__Decision *d, const char *name,
                                    int passed, const char *article, decisiontext_t x);
/* Sets d's reason to the code and params x, and its text worded from them. */
void eligibility_decision_reason(arena_t *arena, Legalaid__Decision *d, decisiontext_t x);

/* The code and params of an explanation (decisiontext_make), NULL added. */
#define ELIGIBILITY_TEXT(arena, ...) decisiontext_make((arena), __VA_ARGS__, (const char *)NULL)

/* Where the person objects to a refusal or termination (art. 49), as the
 * decision states it: to cfg->objection_body, within cfg->objection_file_days
 * when that is set, decided within cfg->objection_review_days. Sets
 * d->objection_route to it in words and returns it as a code and params
 * (for the reason and the tests). From arena. */
decisiontext_t eligibility_decision_objection_route(const eligibility_config_t *cfg, arena_t *arena,
                                                    Legalaid__Decision *d);

#endif
