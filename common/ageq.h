/*
 * ageq.h - how long the members of a daemon's domain queues have waited
 * (issue 13's board, `legalaidctl queues`): the qshape view of a queue,
 * counts by age bucket, kept as data so that it costs one walk of the
 * queue's current members, never of a year of history.
 *
 * Two tables of the daemon's own:
 *   "ages"        queue NUL entered_at (BE64 ms) id -> empty: each queue's
 *                 members in the order they entered
 *   "ages_by_id"  id -> queue NUL entered_at (BE64): where a member is, so
 *                 that moving it removes its old entry
 * written in the same transaction as the record whose state they follow
 * (dispatch's assignment, eligibility's decision).
 */
#ifndef LA_AGEQ_H
#define LA_AGEQ_H

#include <lmdb.h>
#include <stdint.h>

#include "arena.h"
#include "legalaid.pb-c.h"

#define AGEQ_BUCKETS 5
/* The buckets' upper bounds (the last is open). */
extern const int64_t ageq_bounds_ms[AGEQ_BUCKETS - 1];
/* Queue names and ids are LMDB keys: at most this long. */
#define AGEQ_NAME_MAX 48
#define AGEQ_ID_MAX 200

typedef struct ageq {
    MDB_dbi by_age, by_id;
} ageq_t;

/* Opens (creates) the two tables. *empty is set when "ages_by_id" holds
 * nothing: the caller may fill it from its records (ageq_set each). */
int ageq_open(MDB_txn *txn, ageq_t *q, int *empty);

/* Puts id in queue since at (queue NULL: in none), removing it from the
 * queue it was in. Already in that queue: nothing changes (its time is
 * kept). 0, -EINVAL for a name or id too long, or a store error. */
int ageq_set(MDB_txn *txn, const ageq_t *q, const char *id, const char *queue, int64_t at);

/* Appends the age of each of the queues named (NULL-terminated) at now to
 * st->queue_ages, in arena a. 0 or a store error. */
int ageq_status(MDB_txn *txn, const ageq_t *q, const char *const *queues, int64_t now,
                Legalaid__StreamStatus *st, arena_t *a);

#endif
