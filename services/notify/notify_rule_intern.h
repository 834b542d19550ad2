/*
 * notify_rule_intern.h - the parts of the rule table (notify_rule_table.c)
 * for the internship events dispatch publishes (intern.proto): when a row
 * applies and the fields it computes. The reply deadline comes in
 * InternOffered's Event.deadlines, like any service's.
 */
#ifndef LA_NOTIFY_RULE_INTERN_H
#define LA_NOTIFY_RULE_INTERN_H

#include "notify_int.h"

/* InternAnswered: the candidate accepted (the firm is told who is coming),
 * or the firm confirmed the start (the candidate is told). */
int notify_rule_intern_when_accepted(const notify_ctx_t *c);
int notify_rule_intern_when_confirmed(const notify_ctx_t *c);

/* One candidate's offer, answer or lapse: the period, the first day and
 * the time to answer by, as the texts write them. */
extern const char *const notify_rule_intern_standing_names[];
int notify_rule_intern_extra_standing(const notify_ctx_t *c, notify_fields_t *f);
/* A published match: the candidates left without a place and the places
 * left empty, each with why in Chinese words. */
extern const char *const notify_rule_intern_published_names[];
int notify_rule_intern_extra_published(const notify_ctx_t *c, notify_fields_t *f);

#endif
