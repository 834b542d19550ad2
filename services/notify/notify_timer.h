/*
 * notify_timer.h - deadline timers: every Deadline an event carries becomes
 * a persisted timer per (case_id, key), indexed by the time it next acts:
 *   "timers"      case_id NUL key -> DeadlineTimer
 *   "timers_due"  next_at(BE64) case_id NUL key -> empty
 * A timer first acts deadline_lead_minutes before due_at (the reminder,
 * when that is still ahead as the deadline is set), then at due_at (the
 * breach), each time emitting DeadlineDue and telling
 * the owner and the staff; then it is gone. An event that sets the key
 * again with another due_at moves it (and it reminds again); an event that
 * names the key in deadlines_met cancels it. Being LMDB rows, timers survive
 * restarts and SIGKILL; the service's tick fires what is due.
 */
#ifndef LA_NOTIFY_TIMER_H
#define LA_NOTIFY_TIMER_H

#include "daemon.h"

int notify_timer_open(MDB_txn *txn);

/* Sets, moves and cancels the timers ev names for case_id ("" for the
 * caseless roster events: duty shifts and duty requests). Returns 0 or a
 * store error. */
int notify_timers_apply(turn_t *t, const Legalaid__Event *ev, const char *case_id);

/* One timer: set (or moved, when due_at changed; an owner changed with the
 * same due_at keeps its stage) from dl, which must outlive the turn; and
 * cancelled, the deadline met (none: nothing happens). What the rules use
 * for the timers they derive from an event's own fields. Return 0 or a
 * store error. */
int notify_timer_put(turn_t *t, const char *case_id, Legalaid__Deadline *dl, const char *source);
int notify_timer_meet(turn_t *t, const char *case_id, const char *key);

/* Tells the owner and staff of one timer that acts now (from the tick).
 * Set by the rules (they know the recipients). */
typedef int (*notify_timer_tell_fn)(turn_t *t, const Legalaid__DeadlineTimer *timer,
                                    int breached, const char *source);

/* Fires every timer due by t->now (a bounded number per tick; the rest at
 * the next). Returns 0 or a store error. */
int notify_timers_fire(turn_t *t, notify_timer_tell_fn tell);

/* The timers not yet done, and one by (case_id, key) (*timer NULL when none). */
uint64_t notify_timers_pending(turn_t *t);
int notify_timer_get(turn_t *t, const char *case_id, const char *key,
                     Legalaid__DeadlineTimer **timer);

#endif
