/*
 * stream.h - a daemon's durable event log, the outbox and the audit trail
 * at once (DESIGN.md, "Streams").
 *
 * Tables: "log" (seq, big-endian -> packed Event), "log_case" (case_id NUL
 * seq -> empty, or once the event is trimmed from "log" its compact record,
 * a packed Event without body content: the events of a case), "consumers" (consumer name ->
 * acked seq and last fetch time, what operations staff see as lag),
 * "log_at" (when each event was appended: the age of a consumer's backlog,
 * stream_age.h).
 *
 * Every function takes the caller's write or read transaction: an event is
 * appended in the same transaction as the state change that produced it, so
 * either both are durable or neither is. Sequence numbers run 1, 2, 3 ...
 * without gaps (the head is the last key, so an aborted transaction leaves
 * no hole). Old events are trimmed from the front (stream_trim.h), never
 * the newest: the log then runs oldest..head, still without a gap, and the
 * head never goes back.
 */
#ifndef LA_STREAM_H
#define LA_STREAM_H

#include <lmdb.h>
#include <stdint.h>

#include "buf.h"
#include "legalaid.pb-c.h"
#include "stream_cache.h"

typedef struct stream {
    const char *name;
    MDB_dbi log, log_case, consumers, log_at;
    uint64_t epoch;        /* the generation (backup_read.h), sent with every batch */
    uint64_t restored_seq; /* the head of the copy it was restored from; 0: never */
    /* Kinds of event (Event body cases, 0-terminated; NULL none) that leave
     * no compact record in the case's timeline once trimmed: the daemon's
     * own record of the case keeps what they said (service_t.trim_forgets). */
    const int *forget;
} stream_t;

/* Opens the stream's tables in txn. name must outlive the stream. */
int stream_open(stream_t *s, MDB_txn *txn, const char *name);

/* The first sequence number the log still keeps (0 for an empty stream):
 * 1 until events are trimmed (stream_trim.h). 0 or a store error. */
int stream_oldest(stream_t *s, MDB_txn *txn, uint64_t *seq);

/* Appends ev: sets its seq, event_id (an arena-free static buffer is not
 * used: the caller's ev keeps pointers it had), stream and occurred_at (when
 * 0) and stores it. ev->event_id is set to a string in id_buf (>= 64 bytes),
 * which must live as long as ev is used. Returns 0 or a store error. */
int stream_append(stream_t *s, MDB_txn *txn, Legalaid__Event *ev, int64_t now, char *id_buf);

/* The last sequence number and its time (0, 0 for an empty stream). */
int stream_head(stream_t *s, MDB_txn *txn, uint64_t *seq, int64_t *at);

/* Encodes a whole Reply{request_id, batch{stream, head_seq, events after
 * after_seq, epoch, restored_seq}} into out: at most max_events events and about max_bytes.
 * The events are opened through cache (NULL: none), which keeps those that
 * were sealed for the next consumer; txn must be read-only, so that only
 * committed events are kept. Returns the number of events, or a negative
 * store error. */
int stream_encode_batch_reply(stream_t *s, MDB_txn *txn, stream_cache_t *cache,
                              const char *request_id, uint64_t after_seq, uint32_t max_events,
                              size_t max_bytes, buf_t *out);

/* Unpacks the events of case_id into out (allocator: the caller's arena).
 * An event the log no longer keeps comes from its compact record in
 * "log_case" (stream_trim.h): seq, occurred_at and the kind of body, with an empty body and payload_trimmed set. */
int stream_case_events(stream_t *s, MDB_txn *txn, const char *case_id,
                       ProtobufCAllocator *allocator, Legalaid__CaseEvents *out);

/* Records that consumer has applied every event up to acked, at now; the
 * same position again is written only when the one stored is
 * STREAM_ACK_REFRESH_MS old (last_fetch_at is that fresh). */
#define STREAM_ACK_REFRESH_MS 60000
int stream_consumer_ack(stream_t *s, MDB_txn *txn, const char *consumer, uint64_t acked,
                        int64_t now);

/* Forgets consumer's position: 0 with its acked seq in *acked, or
 * MDB_NOTFOUND when the stream has none of that name, or a store error. */
int stream_consumer_drop(stream_t *s, MDB_txn *txn, const char *consumer, uint64_t *acked);

/* Fills head and consumer positions (lag, age of the oldest unconsumed
 * event) of out; allocations from allocator. */
int stream_status(stream_t *s, MDB_txn *txn, ProtobufCAllocator *allocator,
                  Legalaid__StreamStatus *out);

#endif
