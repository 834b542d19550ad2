/*
 * due.h - the one due-time index every service keeps its deadlines in
 * (DESIGN "Time and deadlines": deadlines are data, indexed by due time, so
 * a restart loses none and a tick reads only what has fallen due).
 *
 * A due table is a named LMDB database of the service's own, with keys
 *
 *     due_at (BE64, ms) | kind (1 byte) | id (1..DUE_ID_MAX bytes)
 *
 * and empty values, so cursor order is the order in which things fall
 * due. kind and id mean what the service says (dispatch: OFFER and a case
 * id; roster: CHECKIN and a shift key; notify: a timer id). The same
 * (due_at, kind, id) is one entry: adding it twice is harmless.
 */
#ifndef LA_DUE_H
#define LA_DUE_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon.h"

/* The longest id (LMDB keys are at most 511 bytes). */
#define DUE_ID_MAX 400
/* Entries a tick acts on by default: the rest wait for the next tick, so
 * one tick never holds the write transaction for long. */
#define DUE_TICK_MAX 256

/* Adds (due_at, kind, id) to dbi in txn. A due_at that is not positive
 * is no deadline: nothing is written, 0. Returns 0, -EINVAL for an id
 * that is empty or longer than DUE_ID_MAX (nothing written), or a store
 * error (store_rc). */
int due_put(MDB_txn *txn, MDB_dbi dbi, int64_t due_at, int kind, const void *id, size_t len);

/* Removes the entry if present (absent is 0, not an error). Same codes. */
int due_del(MDB_txn *txn, MDB_dbi dbi, int64_t due_at, int kind, const void *id, size_t len);

/* Called for one entry that has fallen due, after it was removed from the
 * index, inside the tick's write transaction: acts on it and may add or
 * remove entries (the tick seeks again from the start). id is a copy,
 * NUL-terminated after len bytes, valid for the call. 0, or an error that
 * fails the tick (the transaction is not committed). */
typedef int (*due_fire_cb)(turn_t *t, int64_t due_at, int kind, const char *id, size_t len,
                           void *arg);

/* The tick: removes and fires, in due order, every entry due at or before
 * t->now, at most max of them (0: DUE_TICK_MAX). A malformed key (not
 * written by due_put) is removed without a call. *fired (may be NULL)
 * counts the calls. 0, or the first error of fire or of the store. */
int due_tick(turn_t *t, MDB_dbi dbi, size_t max, due_fire_cb fire, void *arg, size_t *fired);

/* How many entries dbi holds (for status counters and tests). */
uint64_t due_count(MDB_txn *txn, MDB_dbi dbi);

#endif
