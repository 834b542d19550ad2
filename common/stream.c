/*
 * stream.c - the producer side of a stream (see stream.h).
 */
#include "stream.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "stream_age.h"

int stream_open(stream_t *s, MDB_txn *txn, const char *name)
{
    s->name = name;
    s->forget = NULL; /* the daemon sets its service's (daemon_store.c) */
    int rc = store_table_brief(txn, "log", &s->log);
    if (!rc) rc = store_table(txn, "log_case", &s->log_case);
    if (!rc) rc = store_table(txn, "consumers", &s->consumers);
    if (!rc) rc = stream_age_open(txn, s->log, &s->log_at);
    return rc;
}

int stream_head(stream_t *s, MDB_txn *txn, uint64_t *seq, int64_t *at)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, s->log, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    *seq = 0;
    if (at) *at = 0;
    if (rc == 0) {
        *seq = store_from_be64(k.mv_data);
        if (at) {
            Legalaid__Event *ev = store_unpacked(txn, &k, &v, &legalaid__event__descriptor, NULL);
            if (ev) *at = ev->occurred_at;
            legalaid__event__free_unpacked(ev, NULL);
        }
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int stream_oldest(stream_t *s, MDB_txn *txn, uint64_t *seq)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, s->log, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    *seq = rc == 0 && k.mv_size == 8 ? store_from_be64(k.mv_data) : 0;
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int stream_append(stream_t *s, MDB_txn *txn, Legalaid__Event *ev, int64_t now, char *id_buf)
{
    uint64_t head;
    int rc = stream_head(s, txn, &head, NULL);
    if (rc) return rc;
    ev->seq = head + 1;
    ev->has_seq = 1;
    snprintf(id_buf, 64, "%s:%llu", s->name, (unsigned long long)ev->seq);
    ev->event_id = id_buf;
    ev->stream = (char *)s->name;
    if (!ev->occurred_at) ev->occurred_at = now;
    ev->has_occurred_at = 1;

    unsigned char key[8];
    store_be64(ev->seq, key);
    rc = store_put_pb(txn, s->log, key, 8, &ev->base, MDB_APPEND);
    if (!rc) rc = stream_age_note(txn, s->log_at, ev->seq, now);
    if (rc) return rc;
    if (ev->case_id && ev->case_id[0]) {
        size_t n = strlen(ev->case_id);
        unsigned char ck[256 + 9];
        if (n > 256) return -ENAMETOOLONG;
        memcpy(ck, ev->case_id, n);
        ck[n] = 0;
        memcpy(ck + n + 1, key, 8);
        MDB_val k = {n + 9, ck}, v = {0, ""};
        rc = store_rc(mdb_put(txn, s->log_case, &k, &v, 0));
    }
    return rc;
}

/* Opens the event v read under k into its clear bytes, from the cache
 * when it holds this very value (stream_cache.h), else as store_value does,
 * keeping what opened there. 0 or store_value's error. */
static int stream_event_value(stream_t *s, MDB_txn *txn, stream_cache_t *cache, const MDB_val *k,
                              MDB_val *v)
{
    uint64_t seq = store_from_be64(k->mv_data);
    if (cache && stream_cache_get(cache, s->epoch, seq, v)) return 0;
    MDB_val stored = *v;
    int rc = store_value(txn, k, v);
    if (!rc && cache && v->mv_data != stored.mv_data) /* it was sealed */
        stream_cache_put(cache, s->epoch, seq, &stored, v);
    return rc;
}

int stream_encode_batch_reply(stream_t *s, MDB_txn *txn, stream_cache_t *cache,
                              const char *request_id, uint64_t after_seq, uint32_t max_events,
                              size_t max_bytes, buf_t *out)
{
    uint64_t head;
    int rc = stream_head(s, txn, &head, NULL);
    if (rc) return rc;

    buf_t batch = {0};
    buf_put_bytes_field(&batch, 1, s->name, strlen(s->name));
    buf_put_varint_field(&batch, 2, head);
    buf_put_varint_field(&batch, 140, s->epoch ? s->epoch : 1);
    if (s->restored_seq) buf_put_varint_field(&batch, 141, s->restored_seq);
    int count = 0;
    if (after_seq < head) {
        MDB_cursor *c;
        rc = mdb_cursor_open(txn, s->log, &c);
        if (rc) {
            buf_free(&batch);
            return store_rc(rc);
        }
        unsigned char key[8];
        store_be64(after_seq + 1, key);
        MDB_val k = {8, key}, v;
        int op = MDB_SET_RANGE;
        while ((uint32_t)count < max_events && mdb_cursor_get(c, &k, &v, op) == 0) {
            op = MDB_NEXT;
            /* The peer gets the event clear (CURVE seals the wire); one that
             * does not open here stops the batch: the consumer must not
             * skip it, and the log names the key it needs. */
            if ((rc = stream_event_value(s, txn, cache, &k, &v))) {
                log_error("stream %s: event %llu does not open: %s", s->name,
                          (unsigned long long)store_from_be64(k.mv_data), store_strerror(rc));
                break;
            }
            /* Always send at least one event, however large, so a consumer
             * can never be stuck behind it. */
            if (count > 0 && batch.len + buf_bytes_field_size(3, v.mv_size) > max_bytes) break;
            buf_put_bytes_field(&batch, 3, v.mv_data, v.mv_size);
            count++;
        }
        mdb_cursor_close(c);
        store_wipe(txn);
        if (rc && !count) {
            buf_free(&batch);
            return rc;
        }
    }
    out->len = 0;
    if (request_id) buf_put_bytes_field(out, 1, request_id, strlen(request_id));
    buf_put_bytes_field(out, 5, batch.data, batch.len);
    buf_free(&batch);
    return count;
}

/* An event of case_id from its compact record in "log_case" (seq,
 * occurred_at, the kind of body), as the log would have given it
 * but without its body's content. */
static int stream_case_compact(stream_t *s, const char *case_id, const MDB_val *v,
                               ProtobufCAllocator *allocator, Legalaid__Event **out)
{
    Legalaid__Event *ev = legalaid__event__unpack(allocator, v->mv_size, v->mv_data);
    if (!ev) return -EBADMSG;
    size_t n = strlen(case_id);
    char *id = allocator->alloc(allocator->allocator_data, strlen(s->name) + 24);
    sprintf(id, "%s:%llu", s->name, (unsigned long long)ev->seq);
    ev->event_id = id;
    ev->stream = allocator->alloc(allocator->allocator_data, strlen(s->name) + 1);
    strcpy(ev->stream, s->name);
    ev->case_id = allocator->alloc(allocator->allocator_data, n + 1);
    memcpy(ev->case_id, case_id, n + 1);
    *out = ev;
    return 0;
}

int stream_case_events(stream_t *s, MDB_txn *txn, const char *case_id,
                       ProtobufCAllocator *allocator, Legalaid__CaseEvents *out)
{
    size_t n = strlen(case_id);
    out->n_events = 0;
    out->events = NULL;
    if (n > 256) return 0; /* no case has such a number: no events */
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, s->log_case, &c);
    if (rc) return store_rc(rc);
    unsigned char prefix[257];
    memcpy(prefix, case_id, n);
    prefix[n] = 0;
    MDB_val k = {n + 1, prefix}, v;
    size_t cap = 0;
    out->n_events = 0;
    out->events = NULL;
    int op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != n + 9 || memcmp(k.mv_data, prefix, n + 1) != 0) break;
        Legalaid__Event *ev;
        int grc = store_get_pb(txn, s->log, (char *)k.mv_data + n + 1, 8,
                               &legalaid__event__descriptor, allocator, (ProtobufCMessage **)&ev);
        if (grc == MDB_NOTFOUND && v.mv_size) /* trimmed: its compact record (stream_trim.h) */
            grc = stream_case_compact(s, case_id, &v, allocator, &ev);
        if (grc) continue;
        if (out->n_events == cap) {
            cap = cap ? cap * 2 : 16;
            Legalaid__Event **grown = allocator->alloc(allocator->allocator_data, cap * sizeof *grown);
            if (out->n_events) memcpy(grown, out->events, out->n_events * sizeof *grown);
            out->events = grown;
        }
        out->events[out->n_events++] = ev;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int stream_consumer_ack(stream_t *s, MDB_txn *txn, const char *consumer, uint64_t acked,
                        int64_t now)
{
    /* A consumer waiting at the head fetches again every fetch_wait_ms:
     * the same position is written again only once a minute, so that an
     * idle daemon commits (and fsyncs) nothing, and a compaction's copy
     * finds nothing written since it began. */
    MDB_val ck = {strlen(consumer), (void *)consumer}, cv;
    if (mdb_get(txn, s->consumers, &ck, &cv) == 0 && cv.mv_size == 16 &&
        store_from_be64(cv.mv_data) == acked &&
        now - (int64_t)store_from_be64((char *)cv.mv_data + 8) < STREAM_ACK_REFRESH_MS)
        return 0;
    unsigned char val[16];
    store_be64(acked, val);
    store_be64((uint64_t)now, val + 8);
    MDB_val k = {strlen(consumer), (void *)consumer}, v = {16, val};
    return store_rc(mdb_put(txn, s->consumers, &k, &v, 0));
}

int stream_consumer_drop(stream_t *s, MDB_txn *txn, const char *consumer, uint64_t *acked)
{
    MDB_val k = {strlen(consumer), (void *)consumer}, v;
    int rc = mdb_get(txn, s->consumers, &k, &v);
    if (rc == MDB_NOTFOUND) return rc;
    if (rc) return store_rc(rc);
    *acked = v.mv_size == 16 ? store_from_be64(v.mv_data) : 0;
    return store_rc(mdb_del(txn, s->consumers, &k, NULL));
}

static int64_t stream_event_time(stream_t *s, MDB_txn *txn, uint64_t seq)
{
    unsigned char key[8];
    store_be64(seq, key);
    Legalaid__Event *ev;
    if (store_get_pb(txn, s->log, key, 8, &legalaid__event__descriptor, NULL,
                     (ProtobufCMessage **)&ev))
        return 0;
    int64_t at = ev->occurred_at;
    legalaid__event__free_unpacked(ev, NULL);
    return at;
}

int stream_status(stream_t *s, MDB_txn *txn, ProtobufCAllocator *allocator,
                  Legalaid__StreamStatus *out)
{
    uint64_t head;
    int64_t head_at;
    int rc = stream_head(s, txn, &head, &head_at);
    if (rc) return rc;
    out->stream = (char *)s->name;
    out->head_seq = head;
    out->has_head_seq = 1;
    out->head_at = head_at;
    out->has_head_at = 1;
    out->epoch = s->epoch ? s->epoch : 1;
    out->has_epoch = 1;
    /* What the log keeps: how many events, from which. */
    MDB_stat ms;
    rc = store_rc(mdb_stat(txn, s->log, &ms));
    if (rc) return rc;
    out->log_events = ms.ms_entries;
    out->has_log_events = 1;
    if ((rc = stream_oldest(s, txn, &out->oldest_seq))) return rc;
    if (out->oldest_seq) {
        out->has_oldest_seq = 1;
        out->oldest_at = stream_event_time(s, txn, out->oldest_seq);
        out->has_oldest_at = 1;
    }
    out->restored_seq = s->restored_seq;
    out->has_restored_seq = s->restored_seq != 0;

    size_t n = (size_t)store_count(txn, s->consumers);
    out->consumers = allocator->alloc(allocator->allocator_data, (n + 1) * sizeof *out->consumers);
    out->n_consumers = 0;
    MDB_cursor *c;
    rc = mdb_cursor_open(txn, s->consumers, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    int op = MDB_FIRST;
    while (out->n_consumers < n && mdb_cursor_get(c, &k, &v, op) == 0) {
        op = MDB_NEXT;
        if (v.mv_size != 16) continue;
        Legalaid__ConsumerPosition *p = allocator->alloc(allocator->allocator_data, sizeof *p);
        legalaid__consumer_position__init(p);
        char *name = allocator->alloc(allocator->allocator_data, k.mv_size + 1);
        memcpy(name, k.mv_data, k.mv_size);
        name[k.mv_size] = 0;
        p->consumer = name;
        p->acked_seq = store_from_be64(v.mv_data);
        p->has_acked_seq = 1;
        p->last_fetch_at = (int64_t)store_from_be64((char *)v.mv_data + 8);
        p->has_last_fetch_at = 1;
        p->lag = head > p->acked_seq ? head - p->acked_seq : 0;
        p->has_lag = 1;
        p->oldest_unconsumed_at = p->lag ? stream_event_time(s, txn, p->acked_seq + 1) : 0;
        p->has_oldest_unconsumed_at = 1;
        out->consumers[out->n_consumers++] = p;
    }
    mdb_cursor_close(c);
    return 0;
}
