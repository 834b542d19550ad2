/*
 * stream_age.h - the age of each consumer's backlog (issue 14, item 5):
 * how many of the events a consumer has not yet acknowledged were appended
 * at most 5 minutes ago, 1 hour, 1 day, 1 week, or longer (ageq.h's
 * buckets), without walking the backlog.
 *
 * Table "log_at": appended_at (BE64 ms) -> the last seq appended by then
 * (BE64), one row per millisecond that saw an append, written by
 * stream_append in the transaction of the event. appended_at never goes
 * back (a test clock set back keeps the last time), so the rows are in seq
 * order too, and "the events appended by T" is one cursor seek: a
 * consumer's backlog older than a bound is seq_by(now - bound) - acked.
 *
 * A log from before the table is indexed once at open from the events'
 * occurred_at (stream_age_open).
 */
#ifndef LA_STREAM_AGE_H
#define LA_STREAM_AGE_H

#include <lmdb.h>
#include <stdint.h>

#include "ageq.h"

/* Opens (creates) "log_at" in txn; when it did not exist and log holds
 * events, indexes them once. 0 or a store error. */
int stream_age_open(MDB_txn *txn, MDB_dbi log, MDB_dbi *log_at);

/* Records that seq was appended at now. 0 or a store error. */
int stream_age_note(MDB_txn *txn, MDB_dbi log_at, uint64_t seq, int64_t now);

/* The backlog (acked, head] of one consumer by age at now, into
 * buckets[AGEQ_BUCKETS]. 0 or a store error. */
int stream_age_backlog(MDB_txn *txn, MDB_dbi log_at, uint64_t acked, uint64_t head, int64_t now,
                       uint64_t buckets[AGEQ_BUCKETS]);

#endif
