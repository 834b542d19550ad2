/*
 * stream_trim.h - the stream log keeps an event only until every consumer
 * that counts has acknowledged it and stream_keep_days have passed since it
 * occurred (issue 16): on 20,000 applications eligibility's log held 55 MB
 * of events every consumer had applied long before.
 *
 * The consumers that count are the names that may fetch the stream
 * (fetch_consumer_each: the daemons that consume it and the consumers key),
 * each at the seq it acknowledged ("consumers" table); one that never
 * fetched is at 0, so nothing is trimmed before it has. One whose position
 * staff dropped (legalaidctl consumer drop: meta "stream.dropped.<name>")
 * counts again only once it fetches. A position of a name no longer
 * allowed to fetch does not count: it can never fetch again.
 *
 * An event trimmed goes from "log", from "log_at" (stream_age.h) and its
 * "log_case" entry keeps a compact record of it (seq, occurred_at,
 * the kind of body), in the same transaction: the case's
 * timeline still lists the step, its detail is in the daemon's state
 * (decision, assignment, notifications). The kinds a service names in
 * trim_forgets (daemon.h) leave no compact record: their entry goes too,
 * as the service's own record of the case keeps the step and its time
 * (notify: a notification's delivery, 268 bytes an application kept for
 * good otherwise in la-system --steady). The newest event is never
 * trimmed: the head is the log's last key and never goes back, so seq
 * numbers never repeat, after a restart too. A consumer asking from before
 * the oldest event kept is refused with the range it lost (fetch.c,
 * epoch.c), never given a silent gap.
 */
#ifndef LA_STREAM_TRIM_H
#define LA_STREAM_TRIM_H

#include <lmdb.h>
#include <stdint.h>

#include "daemon_int.h"

/* Trims s from its oldest event while the event's seq <= upto, it is not
 * the head and it occurred before cutoff (ms), at most max events. *trimmed:
 * how many went. 0 or a store error (nothing half-done: the caller's
 * transaction holds it all). An event that does not open stops it there. */
int stream_trim_upto(stream_t *s, MDB_txn *txn, uint64_t upto, int64_t cutoff, int max,
                     int *trimmed);

/* The lowest seq acknowledged by the consumers that count (UINT64_MAX when
 * none does: a stream nobody may consume). 0 or a store error. */
int stream_trim_floor(daemon_t *d, MDB_txn *txn, uint64_t *floor);

/* The periodic trim of d's stream at now, at most max events (commit.c's
 * tick). 0 or a store error. */
int stream_trim_tick(daemon_t *d, MDB_txn *txn, int64_t now, int max);

/* Records that staff dropped consumer's position (DropConsumer): it no
 * longer holds the trim until it fetches again. 0 or a store error. */
int stream_trim_dropped(daemon_t *d, MDB_txn *txn, const char *consumer);

#endif
