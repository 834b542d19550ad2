/*
 * matchrule.h - why dispatch's match chose a lawyer or nobody, worded for
 * the reader. Dispatch stores the explanation as codes and figures
 * (MatchRule, Fit, MatchChoice in dispatch.proto), never as sentences, so
 * legalaidctl and the gateway word it in the reader's language (Chinese by
 * default, English with --lang en). Records written before the codes carry
 * English sentences (MatchExplanation.why, RuleCount.rule,
 * Assignment.reason): those are shown as they are.
 */
#ifndef LA_MATCHRULE_H
#define LA_MATCHRULE_H

#include <stddef.h>

#include "legalaid.pb-c.h"

/* The size of the text matchrule_why and matchrule_reason write. */
#define MATCHRULE_TEXT_MAX 1024

/* The stable code of a hard rule ("capacity"), as notify reads it; NULL
 * for a value it does not know. */
const char *matchrule_code(Legalaid__MatchRule rule);
/* A hard rule in the reader's language, with its article. */
const char *matchrule_rule_text(Legalaid__MatchRule rule);
/* The rule of one RuleCount: by its code, else the words an older record
 * stored. */
const char *matchrule_count_text(const Legalaid__RuleCount *r);
/* "matches", "does not match", "not needed", "not given". */
const char *matchrule_fit_text(Legalaid__Fit fit);
/* The ranking of the chosen lawyer, or that nobody may take the case, in
 * the reader's language into out (MATCHRULE_TEXT_MAX bytes); an older
 * record's words as stored. Returns out. */
const char *matchrule_why(const Legalaid__MatchExplanation *x, char *out);
/* Why a case waits or went to this lawyer: the why, and when nobody may
 * take it the rules that left the pool out ("...: 2 at capacity; 1 ...").
 * Returns out. */
const char *matchrule_reason(const Legalaid__MatchExplanation *x, char *out);
/* An assignment's reason for the reader: its match worded, else its
 * reason as stored ("" for none). out: MATCHRULE_TEXT_MAX bytes. */
const char *matchrule_assignment_reason(const Legalaid__Assignment *a, char *out);
/* 1 when two explanations say the same (nobody changed the case). */
int matchrule_same(const Legalaid__MatchExplanation *a, const Legalaid__MatchExplanation *b);

#endif
