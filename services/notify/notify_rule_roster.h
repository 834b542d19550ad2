/*
 * notify_rule_roster.h - the parts of the rule table (notify_rule_table.c)
 * for the roster's events: when a row applies and the fields it computes.
 * The roster's deadlines come in its events' Event.deadlines, like any
 * service's.
 */
#ifndef LA_NOTIFY_RULE_ROSTER_H
#define LA_NOTIFY_RULE_ROSTER_H

#include "notify_int.h"

/* DutyRequestAssigned: routed to a lawyer (A or B), not to the centre. */
int notify_rule_roster_when_duty_lawyer(const notify_ctx_t *c);
/* DutyRequestAssigned: an escalation the staff must see (moved on after an
 * unacknowledged routing, or routed to the centre). */
int notify_rule_roster_when_duty_escalated(const notify_ctx_t *c);
/* CoverageGap: any reason but an unanswered detention-centre request (the
 * staff hear of that from the breach notice of its answer timer). */
int notify_rule_roster_when_gap_staff(const notify_ctx_t *c);

extern const char *const notify_rule_roster_duty_names[];
int notify_rule_roster_extra_duty(const notify_ctx_t *c, notify_fields_t *f);
extern const char *const notify_rule_roster_backup_names[];
int notify_rule_roster_extra_backup(const notify_ctx_t *c, notify_fields_t *f);
extern const char *const notify_rule_roster_gap_names[];
int notify_rule_roster_extra_gap(const notify_ctx_t *c, notify_fields_t *f);
extern const char *const notify_rule_roster_change_names[];
int notify_rule_roster_extra_change(const notify_ctx_t *c, notify_fields_t *f);

#endif
