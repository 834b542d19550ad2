/*
 * decisiontext.h - eligibility's explanations of a decision (each test's
 * finding, the decision's reason), kept as a stable English code and its
 * params and worded for the reader when shown, in the reader's language
 * (the formats: decisiontext_table.c). A stored Decision, and the one an
 * EligibilityDecided event carries, holds the codes and params, not the
 * sentences (DecisionTest.code/params, Decision.reason_code/reason_params
 * in eligibility.proto): a reply, the case's events (core.c) and a
 * consumer that records the reason (dispatch's art. 48 termination) word
 * them. A record written before the codes has only its sentences, shown
 * as they are.
 *
 * Params are strings, made when the decision is taken (numbers in
 * decimal, dates in local time). They are read in order as a prefix
 * notation: a param "@code" stands for that code worded with the params
 * that follow it (as many as its format takes), so that a reason built
 * of parts ("%s; a lawyer is to be assigned by %s") keeps each part as a
 * code. A literal beginning with '@' is kept as "@@..." (decisiontext_lit).
 */
#ifndef LA_DECISIONTEXT_H
#define LA_DECISIONTEXT_H

#include <stddef.h>

#include "arena.h"
#include "legalaid.pb-c.h"

/* An explanation: a code and its params (prefix notation, as above). */
typedef struct decisiontext {
    const char *code;
    size_t n;
    char **params;
} decisiontext_t;

/* In decisiontext_make's list: the next argument is a const
 * decisiontext_t *, nested as "@code" and its params. */
extern const char decisiontext_nest[];
#define DECISIONTEXT_NEST decisiontext_nest

/* code with the params given, a NULL-terminated list of strings (kept as
 * given: literals made with decisiontext_lit or decisiontext_num, codes
 * with decisiontext_code) and DECISIONTEXT_NEST, x pairs. From arena. */
decisiontext_t decisiontext_make(arena_t *arena, const char *code, ...);
/* A literal param: text as given (NULL: ""), '@' doubled at its start. */
const char *decisiontext_lit(arena_t *arena, const char *text);
/* A number as a param, in decimal. */
const char *decisiontext_num(arena_t *arena, long long n);
/* A code without params, as a param ("@code"). */
const char *decisiontext_code(arena_t *arena, const char *code);
/* The decision's reason as an explanation: its code, else its text as
 * stored (an older record) as a literal under the code "text". */
decisiontext_t decisiontext_reason(arena_t *arena, const Legalaid__Decision *d);

/* The explanation worded in the reader's language (i18n), from arena. A
 * code this version does not know is shown as the code and its params. */
char *decisiontext_render(arena_t *arena, const char *code, char *const *params, size_t n);
/* Words d's reason and each test's detail from their codes (those without
 * a code keep their text). */
void decisiontext_fill(arena_t *arena, Legalaid__Decision *d);
/* The decision as stored: a shallow copy of d without the sentences that
 * its codes give (from arena; d is not changed). */
Legalaid__Decision *decisiontext_compact(arena_t *arena, const Legalaid__Decision *d);

#endif
