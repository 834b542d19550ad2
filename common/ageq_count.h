/*
 * ageq_count.h - what ageq keeps counted beside its members (ageq.h), so
 * that a status answers from counts and never walks a backlog, however old
 * or large: in "ages_by_id", under keys that begin with a NUL byte (no id
 * does),
 *
 *   NUL 1 queue                     -> BE64: the queue's members
 *   NUL 2 queue NUL level slot(BE64) -> BE64: its members that entered in
 *                                      that day (level 1), hour (2) or
 *                                      minute (3): slot = entered_at / length
 *   NUL 3                           -> "": both are kept by this build
 *
 * (A store where the build before, which kept the totals only, ran has its
 * mark NUL 1: it is counted again at open, as is one without NUL 3.)
 *
 * How many members entered before a time T is then the days before T's day,
 * the hours of that day before T's hour, the minutes of that hour before
 * T's minute, and a walk of the members of T's minute only (at most 365
 * days a year + 24 + 60 counts read, and one minute's entries).
 */
#ifndef LA_AGEQ_COUNT_H
#define LA_AGEQ_COUNT_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "ageq.h"

/* One member of queue (nq bytes) that entered at `at` came (delta 1) or
 * left (delta -1): its total and its three slots move. 0 or a store
 * error. */
int ageq_count_add(MDB_txn *txn, const ageq_t *q, const char *queue, size_t nq, int64_t at,
                   int delta);

/* The members of queue kept counted (0 when none). 0 or a store error. */
int ageq_count_total(MDB_txn *txn, const ageq_t *q, const char *queue, size_t nq, uint64_t *n);

/* How many members of queue entered strictly before `before`. 0 or a store
 * error. */
int ageq_count_before(MDB_txn *txn, const ageq_t *q, const char *queue, size_t nq,
                      int64_t before, uint64_t *n);

/* At open: counts every queue's members again (totals and slots) when the
 * store has no counts yet, when the build before them ran on it (its mark),
 * or when they no longer add up to its members. Needs a write transaction
 * when they must be counted. 0 or a store error. (A build older still,
 * with no counts at all, leaves no mark: a member it moved between queues
 * is not seen.) */
int ageq_count_check(MDB_txn *txn, const ageq_t *q);

#endif
