/*
 * notify_int.h - what the notify service's files share (the files and
 * their floors: notify.c): the table map, the outbox's tables and
 * helpers, the deadline timers, and the rule table with its apply.
 * Module headers stay only where a unit test includes the module
 * (notify_config.h, notify_store.h, notify_outbox.h, notify_deliver.h,
 * notify_payload.h, notify_render.h, notify_fields.h, notify_template.h);
 * this header includes them.
 *
 * Tables (LMDB, opened by notify_open):
 *   notifications, by_case, case_notes   the notifications (waiting, and
 *   parties, contacts                    delivered by case), what notify learns of a
 *                                        case's parties and of lawyers
 *                                        (notify_store.c; layouts in
 *                                        notify_store.h)
 *   outbox_due, outbox_dead,             the outbox indexes
 *   station_box                          (notify_outbox.c; notify_outbox.h)
 *   timers       case_id NUL key -> DeadlineTimer (notify_timer.c)
 *   timers_at    the due-time index of common/due.h: next_at | kind 1 |
 *                case_id NUL key -> empty (replaces "timers_due", which
 *                had no kind byte: converted at open, notify_timer.c)
 * and in "meta" the counters notify.party.<party>, notify.delivered,
 * notify.failed_attempts, notify.unrouted.
 */
#ifndef LA_NOTIFY_INT_H
#define LA_NOTIFY_INT_H

#include "ageq.h"
#include "daemon.h"
#include "la_limits.h"
#include "notify.h"
#include "notify_config.h"
#include "notify_fields.h"
#include "notify_outbox.h"
#include "notify_render.h"
#include "notify_store.h"
#include "notify_template.h"
#include "store.h"

/* ---- the outbox's files (notify_outbox.c, notify_outbox_ops.c,
 * notify_station.c): tables and small helpers ---- */

extern MDB_dbi notify_outbox_due_dbi, notify_outbox_dead_dbi, notify_station_box_dbi,
    notify_outbox_unrouted_dbi;

/* station NUL id(BE64); key must hold strlen(station) + 9 bytes. */
size_t notify_outbox_station_key(const char *station, uint64_t id, unsigned char *key);
/* Adds delta to a "meta" counter. */
int notify_outbox_meta_add(turn_t *t, const char *name, uint64_t delta);
/* Puts n in "outbox_due" at its next_attempt_at. */
int notify_outbox_due_put(turn_t *t, const Legalaid__Notification *n);
/* Emits NotificationDelivered for n and counts it. */
int notify_outbox_emit_delivered(turn_t *t, const Legalaid__Notification *n);

/* ---- deadline timers (notify_timer.c): every Deadline an event carries
 * becomes a persisted timer per (case_id, key), indexed by the time it
 * next acts. A timer first acts deadline_lead_minutes before due_at (the
 * reminder, when that is still ahead as the deadline is set), then at
 * due_at (the breach), each time emitting DeadlineDue and telling the
 * owner and the staff; then it is gone. An event that sets the key again
 * with another due_at moves it (and it reminds again); an event that names
 * the key in deadlines_met cancels it. Being LMDB rows, timers survive
 * restarts and SIGKILL; the service's tick fires what is due. ---- */

/* Opens the timers' tables (and the overdue list's, filled once from the
 * timers in a store from before it). */
int notify_timer_open(daemon_t *d, MDB_txn *txn);

/* Sets, moves and cancels the timers ev names for case_id ("" for the
 * caseless roster events: duty shifts and duty requests). Returns 0 or a
 * store error. */
int notify_timer_apply(turn_t *t, const Legalaid__Event *ev, const char *case_id);

/* One timer: set (or moved, when due_at changed; an owner changed with the
 * same due_at keeps its stage) from dl, which must outlive the turn; and
 * cancelled, the deadline met (none: nothing happens). What the rules use
 * for the timers they derive from an event's own fields. Return 0 or a
 * store error. */
int notify_timer_put(turn_t *t, const char *case_id, Legalaid__Deadline *dl, const char *source);
int notify_timer_meet(turn_t *t, const char *case_id, const char *key);

/* Tells the owner and staff of one timer that acts now (from the tick).
 * Set by the rules (they know the recipients). */
typedef int (*notify_timer_tell_fn)(turn_t *t, const Legalaid__DeadlineTimer *timer, int breached,
                                    const char *source);

/* Fires every timer due by t->now (a bounded number per tick; the rest at
 * the next). Returns 0 or a store error. */
int notify_timer_fire(turn_t *t, notify_timer_tell_fn tell);

/* The timers not yet done, and one by (case_id, key) (*timer NULL when none). */
uint64_t notify_timer_pending(turn_t *t);
/* The overdue deadlines by kind, "overdue.<kind>", into the status. */
int notify_timer_overdue(turn_t *t, Legalaid__StreamStatus *st);
int notify_timer_get(turn_t *t, const char *case_id, const char *key,
                     Legalaid__DeadlineTimer **timer);
/* A timer's stage once breached and kept until met or moved. */
#define NOTIFY_TIMER_OVERDUE 2
#define NOTIFY_TIMER_KIND_MAX 32

/* ---- the overdue list (notify_overdue.c, below the timers; read by
 * notify_overdue_list.c): the timers in the OVERDUE stage as the age
 * queue "overdue", kept with the counters "overdue" and "overdue.<kind>".
 * ---- */

/* The meta counter of a deadline's kind: "overdue.decision" (its key
 * before any ':'; "overdue.other" when none). */
void notify_overdue_kind_counter(const Legalaid__DeadlineTimer *tm,
                                 char out[16 + NOTIFY_TIMER_KIND_MAX]);
/* Opens the list; *first when it is new: the counters are then zeroed,
 * for notify_overdue_fill to count each overdue timer again. */
int notify_overdue_open(MDB_txn *txn, MDB_dbi meta, int *first);
int notify_overdue_fill(MDB_txn *txn, MDB_dbi meta, const Legalaid__DeadlineTimer *tm);
/* Puts tm in the list (overdue 1) or takes it out (0). */
int notify_overdue_mark(turn_t *t, const Legalaid__DeadlineTimer *tm, int overdue);
/* How late the overdue are ("overdue" by age bucket), into the status. */
int notify_overdue_ages(turn_t *t, Legalaid__StreamStatus *st);
/* The members in due order after (after_at, after_id) (ageq_each), and a
 * member id split into case_id (n + 1 bytes) and *key (inside it). */
int notify_overdue_each(turn_t *t, int64_t after_at, const char *after_id, ageq_each_fn fn,
                        void *ctx);
size_t notify_overdue_split(const char *id, size_t n, char *case_id, const char **key);

/* OverdueQuery (notify_overdue_list.c): one page of the list, its total and
 * the counters. */
int notify_overdue_list_query(turn_t *t, const Legalaid__OverdueQuery *q, Legalaid__Reply *reply);

/* ---- the rules (notify_rules.c, the table in notify_rule_table.c and
 * notify_rule_roster.c): which parties an upstream event concerns and
 * what each is told. One row per (event kind, party) naming the template
 * "<kind>.<party>", where the recipient is found in the event, when the
 * row applies and which computed fields it adds. Adding an event kind is
 * a row plus its template files. ---- */

/* What a row's functions see of the event being applied. */
typedef struct notify_ctx {
    turn_t *t;
    const Legalaid__Event *ev;
    const ProtobufCMessage *body;   /* the event's body message */
    const char *source;             /* the event_id */
    const char *case_id;            /* "" for none */
    notify_parties_memo_t *parties; /* case_id's, read once for the event */
} notify_ctx_t;

typedef struct notify_rule {
    int body;         /* Legalaid__Event body case */
    const char *kind; /* notification kind, first half of the template id */
    Legalaid__Party party;
    /* Where the recipient is in the body: LAWYER a Lawyer or Shift message,
     * or a lawyer id string (looked up in the contacts); AUTHORITY an
     * Authority message (else the case's); STATION a station code. NULL:
     * the case's applicant / authority, or the staff. Alternatives are
     * separated by '|' (the first present wins). */
    const char *who;
    int (*when)(const notify_ctx_t *c);                      /* NULL: always */
    int (*extra)(const notify_ctx_t *c, notify_fields_t *f); /* computed fields, or NULL */
    const char *const *extra_names;                          /* what extra may set */
    int urgent; /* never held for quiet hours (custody, duty requests) */
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
int notify_rules_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev);

/* A deadline timer acts: tells its owner and the staff (notify_timer_tell_fn). */
int notify_rules_deadline(turn_t *t, const Legalaid__DeadlineTimer *timer, int breached,
                          const char *source);

#endif
