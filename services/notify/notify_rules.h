/*
 * notify_rules.h - which parties an upstream event concerns and what each
 * is told. The rules are a table (notify_rule_table.c): one row per (event
 * kind, party) naming the template "<kind>.<party>", where the recipient is
 * found in the event, when the row applies and which computed fields it
 * adds. Adding an event kind is a row here plus its template files.
 */
#ifndef LA_NOTIFY_RULES_H
#define LA_NOTIFY_RULES_H

#include "daemon.h"
#include "notify_fields.h"
#include "notify_template.h"

/* What a row's functions see of the event being applied. */
typedef struct notify_ctx {
    turn_t *t;
    const Legalaid__Event *ev;
    const ProtobufCMessage *body; /* the event's body message */
    const char *source;           /* the event_id */
    const char *case_id;          /* "" for none */
} notify_ctx_t;

typedef struct notify_rule {
    int body;                     /* Legalaid__Event body case */
    const char *kind;             /* notification kind, first half of the template id */
    Legalaid__Party party;
    /* Where the recipient is in the body: LAWYER a Lawyer or Shift message,
     * or a lawyer id string (looked up in the contacts); AUTHORITY an
     * Authority message (else the case's); STATION a station code. NULL:
     * the case's applicant / authority, or the staff. Alternatives are
     * separated by '|' (the first present wins). */
    const char *who;
    int (*when)(const notify_ctx_t *c);                    /* NULL: always */
    int (*extra)(const notify_ctx_t *c, notify_fields_t *f); /* computed fields, or NULL */
    const char *const *extra_names;                        /* what extra may set */
    int urgent;                   /* never held for quiet hours (custody, duty requests) */
} notify_rule_t;

/* A path an event must carry, else it is rejected to the dead letters. */
typedef struct notify_requirement {
    int body;
    const char *path;
    const char *why;
} notify_requirement_t;

/* A deadline timer notify derives from an event's own fields when the
 * event carries no Event.deadlines (roster's duty shifts and requests):
 * set, moved or met by fn. */
typedef struct notify_derive {
    int body;
    int (*fn)(const notify_ctx_t *c);
} notify_derive_t;

extern const notify_rule_t notify_rules[];
extern const size_t notify_rules_count;
extern const notify_requirement_t notify_requirements[];
extern const size_t notify_requirements_count;
extern const notify_derive_t notify_derived[];
extern const size_t notify_derived_count;
/* Event kinds that concern no case (their notifications are filed under
 * the empty case): 0-terminated. */
extern const int notify_caseless[];

/* The template every rule and every deadline notice needs (arena a);
 * *n set to the count. */
notify_template_def_t *notify_rules_templates(arena_t *a, size_t *n);

/* The service's apply(): keeps what the event teaches (contacts, parties),
 * sets its deadline timers and records its notifications. An event kind
 * that concerns nobody records nothing and returns 0; an event that lacks
 * what its kind needs is rejected to the dead letters. Returns 0,
 * LA_EREJECT or a store error. */
int notify_event_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev);

/* A deadline timer acts: tells its owner and the staff (notify_timer_tell_fn). */
int notify_rules_deadline(turn_t *t, const Legalaid__DeadlineTimer *timer, int breached,
                          const char *source);

#endif
