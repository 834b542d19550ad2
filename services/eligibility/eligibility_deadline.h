/*
 * eligibility_deadline.h - the open deadlines of eligibility as data
 * (table "due": due_at big-endian ms + case_id -> kind), acted on by the
 * service's tick when they fall due, so that a restart loses none: the
 * materials deadline of a NEEDS_MATERIALS decision (art. 43(2): deemed
 * withdrawn) and the justice bureau's 5 days on an objection (art. 49:
 * reported overdue once).
 */
#ifndef LA_ELIGIBILITY_DEADLINE_H
#define LA_ELIGIBILITY_DEADLINE_H

#include <lmdb.h>
#include <stdint.h>

#include "daemon.h"

typedef enum eligibility_due_kind {
    ELIGIBILITY_DUE_MATERIALS = 'M',
    ELIGIBILITY_DUE_OBJECTION = 'O',
} eligibility_due_kind_t;

int eligibility_due_open(MDB_txn *txn);
int eligibility_due_add(turn_t *t, int64_t due_at, const char *case_id,
                        eligibility_due_kind_t kind);
/* Removes the entry if present. */
int eligibility_due_remove(turn_t *t, int64_t due_at, const char *case_id);
/* Open deadlines (for tests and status). */
uint64_t eligibility_due_size(MDB_txn *txn);

/* The tick: acts on every deadline at or before t->now (up to a bounded
 * number per turn; the rest on the next tick). 0 or a store error. */
int eligibility_due_tick(turn_t *t);

#endif
