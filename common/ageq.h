/*
 * ageq.h - how long the members of a daemon's domain queues have waited
 * (issue 13's board, `legalaidctl queues`): the qshape view of a queue,
 * counts by age bucket, kept as data so that a status reads counts (by
 * day, hour and minute of entry, ageq_count.h) and walks one minute's
 * members at each bucket's bound, never a backlog or a year of history.
 *
 * Two tables of the daemon's own:
 *   "ages"        queue NUL entered_at (BE64 ms) id -> empty: each queue's
 *                 members in the order they entered
 *   "ages_by_id"  id -> queue NUL entered_at (BE64): where a member is, so
 *                 that moving it removes its old entry
 * written in the same transaction as the record whose state they follow
 * (dispatch's assignment, eligibility's decision and objection, notify's
 * outbox, roster's duty requests).
 *
 * "ages_by_id" also holds the marks of ageq_once, under keys that begin
 * with a NUL byte (no id does), and the counts (keys NUL 1 and NUL 2,
 * ageq_count.h).
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

/* Opens (creates) the two tables, in a write transaction (the counts may
 * have to be made, ageq_count.h). *empty is set when they were created
 * now (a store from before them): the caller fills them from its records
 * (ageq_set each), once. */
int ageq_open(MDB_txn *txn, ageq_t *q, int *empty);

/* Puts id in queue since at (queue NULL: in none), removing it from the
 * queue it was in. Already in that queue: nothing changes (its time is
 * kept). 0, -EINVAL for a name or id too long, or a store error. */
int ageq_set(MDB_txn *txn, const ageq_t *q, const char *id, const char *queue, int64_t at);

/* Whether the queues named mark were filled from the records already:
 * *first is set (and the mark recorded) the first time it is asked, so
 * that a store from before those queues is filled once at open. 0 or a
 * store error. */
int ageq_once(MDB_txn *txn, const ageq_t *q, const char *mark, int *first);

/* Appends one QueueAge named name with the buckets given (AGEQ_BUCKETS of
 * them) to st->queue_ages, in arena a: for queues counted another way
 * (a stream's backlog, stream_age.h). */
void ageq_append(Legalaid__StreamStatus *st, arena_t *a, const char *name,
                 const uint64_t buckets[AGEQ_BUCKETS], int64_t oldest_at);

/* The bucket an age falls in (0 .. AGEQ_BUCKETS - 1). */
size_t ageq_bucket(int64_t age_ms);

/* Calls fn on the members of queue in the order they entered (oldest
 * first), starting after the member (after_at, after_id) when after_id is
 * not NULL, until fn returns non-zero. fn gets the id (not NUL-terminated,
 * valid during the call) and when it entered. 0, fn's value (> 0) or a
 * store error. */
typedef int (*ageq_each_fn)(const char *id, size_t n, int64_t at, void *ctx);
int ageq_each(MDB_txn *txn, const ageq_t *q, const char *queue, int64_t after_at,
              const char *after_id, ageq_each_fn fn, void *ctx);

/* Appends the age of each of the queues named (NULL-terminated) at now to
 * st->queue_ages, in arena a. 0 or a store error. */
int ageq_status(MDB_txn *txn, const ageq_t *q, const char *const *queues, int64_t now,
                Legalaid__StreamStatus *st, arena_t *a);

#endif
