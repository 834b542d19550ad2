/*
 * stream_trim.c - old events leave the stream log (stream_trim.h).
 */
#include "stream_trim.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "log.h"

/* The compact record of ev for its "log_case" entry: a packed Event of
 * seq, occurred_at, payload_trimmed and the body's field, empty (what the
 * timeline shows of a step: its kind and time). "log_case" is not sealed,
 * so nothing of a person goes in it, not even the principal's name. */
static void stream_trim_compact(const Legalaid__Event *ev, buf_t *out)
{
    out->len = 0;
    buf_put_varint_field(out, 1, ev->seq);
    buf_put_varint_field(out, 3, (uint64_t)ev->occurred_at);
    buf_put_varint_field(out, 15, 1);
    if (ev->body_case != LEGALAID__EVENT__BODY__NOT_SET)
        buf_put_bytes_field(out, (unsigned)ev->body_case, "", 0);
}

/* Whether the timeline forgets ev's step once it is trimmed (s->forget). */
static int stream_trim_forgotten(const stream_t *s, const Legalaid__Event *ev)
{
    for (const int *k = s->forget; k && *k; k++)
        if (*k == (int)ev->body_case) return 1;
    return 0;
}

/* Puts ev's compact record in its "log_case" entry, or removes the entry
 * of a kind the timeline forgets (none without a case). */
static int stream_trim_keep_case(stream_t *s, MDB_txn *txn, const Legalaid__Event *ev,
                                 const MDB_val *seq_key, buf_t *rec)
{
    size_t n = ev->case_id ? strlen(ev->case_id) : 0;
    if (n == 0 || n > 256) return 0; /* stream_append indexed none */
    unsigned char ck[256 + 9];
    memcpy(ck, ev->case_id, n);
    ck[n] = 0;
    memcpy(ck + n + 1, seq_key->mv_data, 8);
    MDB_val k = {n + 9, ck};
    if (stream_trim_forgotten(s, ev)) {
        int rc = mdb_del(txn, s->log_case, &k, NULL);
        return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
    }
    stream_trim_compact(ev, rec);
    MDB_val v = {rec->len, rec->data};
    return store_rc(mdb_put(txn, s->log_case, &k, &v, 0));
}

/* Deletes the "log_at" rows that point at trimmed events only (seq <=
 * upto): the ones after still say when each kept event came. */
static int stream_trim_ages(stream_t *s, MDB_txn *txn, uint64_t upto)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, s->log_at, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    while ((rc = mdb_cursor_get(c, &k, &v, MDB_FIRST)) == 0) {
        if (v.mv_size != 8 || store_from_be64(v.mv_data) > upto) break;
        if ((rc = mdb_cursor_del(c, 0))) break;
    }
    mdb_cursor_close(c);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int stream_trim_upto(stream_t *s, MDB_txn *txn, uint64_t upto, int64_t cutoff, int max,
                     int *trimmed)
{
    *trimmed = 0;
    uint64_t head;
    int rc = stream_head(s, txn, &head, NULL);
    if (rc) return rc;
    if (upto >= head) upto = head - (head > 0); /* never the newest: the head stays */
    if (upto == 0) return 0;
    MDB_cursor *c;
    if ((rc = store_rc(mdb_cursor_open(txn, s->log, &c)))) return rc;
    buf_t rec = {0};
    uint64_t last = 0;
    MDB_val k, v;
    while (*trimmed < max && (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST)) == 0) {
        if (k.mv_size != 8 || store_from_be64(k.mv_data) > upto) break;
        Legalaid__Event *ev = store_unpacked(txn, &k, &v, &legalaid__event__descriptor, NULL);
        if (!ev) break; /* kept until it opens (stream.c logs it when it is fetched) */
        int old_enough = ev->occurred_at < cutoff;
        if (old_enough) rc = stream_trim_keep_case(s, txn, ev, &k, &rec);
        legalaid__event__free_unpacked(ev, NULL);
        if (!old_enough || rc) break;
        last = store_from_be64(k.mv_data);
        if ((rc = mdb_cursor_del(c, 0))) break;
        (*trimmed)++;
    }
    mdb_cursor_close(c);
    store_wipe(txn);
    buf_free(&rec);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    return last ? stream_trim_ages(s, txn, last) : 0;
}

typedef struct stream_trim_low {
    daemon_t *d;
    MDB_txn *txn;
    uint64_t floor;
    int rc;
} stream_trim_low_t;

/* One consumer that may fetch: its acknowledged seq lowers the floor. */
static int stream_trim_consumer(const char *name, size_t len, void *arg)
{
    stream_trim_low_t *low = arg;
    MDB_val k = {len, (void *)name}, v;
    int rc = mdb_get(low->txn, low->d->stream.consumers, &k, &v);
    uint64_t acked = 0;
    if (rc == 0 && v.mv_size == 16) {
        acked = store_from_be64(v.mv_data);
    } else if (rc == MDB_NOTFOUND) {
        char key[128];
        uint64_t dropped = 0;
        snprintf(key, sizeof key, "stream.dropped.%.*s", (int)(len > 96 ? 96 : len), name);
        rc = store_get_u64(low->txn, low->d->meta, key, &dropped);
        if (rc == 0 && dropped) return 0; /* dropped by staff: does not hold the trim */
    }
    if (rc && rc != MDB_NOTFOUND) {
        low->rc = store_rc(rc);
        return 1;
    }
    if (acked < low->floor) low->floor = acked;
    return 0;
}

int stream_trim_floor(daemon_t *d, MDB_txn *txn, uint64_t *floor)
{
    stream_trim_low_t low = {d, txn, UINT64_MAX, 0};
    fetch_consumer_each(d, stream_trim_consumer, &low);
    *floor = low.floor;
    return low.rc;
}

int stream_trim_tick(daemon_t *d, MDB_txn *txn, int64_t now, int max)
{
    uint64_t floor;
    int rc = stream_trim_floor(d, txn, &floor);
    if (rc || floor == 0) return rc;
    int trimmed;
    rc = stream_trim_upto(&d->stream, txn, floor, now - d->cfg.stream_keep_days * MS_PER_DAY, max,
                          &trimmed);
    if (!rc && trimmed)
        log_debug("stream %s: %d events trimmed (acknowledged by every consumer, older than "
                  "%lld days)",
                  d->stream.name, trimmed, d->cfg.stream_keep_days);
    return rc;
}

int stream_trim_dropped(daemon_t *d, MDB_txn *txn, const char *consumer)
{
    char key[128];
    snprintf(key, sizeof key, "stream.dropped.%.96s", consumer);
    return store_put_u64(txn, d->meta, key, 1);
}
