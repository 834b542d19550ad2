/*
 * stream_age.c - the age of each consumer's backlog (stream_age.h).
 */
#include "stream_age.h"

#include "log.h"
#include "store.h"

/* The last row: (at, seq), or 0, 0 when none. */
static int stream_age_last(MDB_txn *txn, MDB_dbi log_at, int64_t *at, uint64_t *seq)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, log_at, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    *at = 0;
    *seq = 0;
    if (rc == 0 && k.mv_size == 8 && v.mv_size == 8) {
        *at = (int64_t)store_from_be64(k.mv_data);
        *seq = store_from_be64(v.mv_data);
    }
    mdb_cursor_close(c);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int stream_age_note(MDB_txn *txn, MDB_dbi log_at, uint64_t seq, int64_t now)
{
    int64_t last;
    uint64_t last_seq;
    int rc = stream_age_last(txn, log_at, &last, &last_seq);
    if (rc) return rc;
    if (now < last) now = last; /* never back: the rows stay in seq order */
    unsigned char key[8], val[8];
    store_be64((uint64_t)now, key);
    store_be64(seq, val);
    MDB_val k = {8, key}, v = {8, val};
    return store_rc(mdb_put(txn, log_at, &k, &v, 0));
}

int stream_age_open(MDB_txn *txn, MDB_dbi log, MDB_dbi *log_at)
{
    MDB_dbi probe;
    int fresh = mdb_dbi_open(txn, "log_at", 0, &probe) == MDB_NOTFOUND;
    int rc = store_table(txn, "log_at", log_at);
    if (rc || !fresh || store_count(txn, log) == 0) return rc;
    /* A log from before the table: its events by their occurred_at, once. */
    MDB_cursor *c;
    rc = mdb_cursor_open(txn, log, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    uint64_t n = 0;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 8) continue;
        Legalaid__Event *ev = store_unpacked(txn, &k, &v, &legalaid__event__descriptor, NULL);
        int64_t at = ev ? ev->occurred_at : 0;
        legalaid__event__free_unpacked(ev, NULL);
        if ((rc = stream_age_note(txn, *log_at, store_from_be64(k.mv_data), at))) break;
        n++;
    }
    mdb_cursor_close(c);
    store_wipe(txn);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    log_info("stream backlog ages: %llu events indexed once (log_at)", (unsigned long long)n);
    return 0;
}

/* The last seq appended at or before at (0: none). */
static int stream_age_seq_by(MDB_cursor *c, int64_t at, uint64_t *seq)
{
    *seq = 0;
    if (at < 0) return 0;
    unsigned char key[8];
    store_be64((uint64_t)at + 1, key);
    MDB_val k = {8, key}, v;
    int rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); /* the first row after at */
    rc = mdb_cursor_get(c, &k, &v, rc == 0 ? MDB_PREV : MDB_LAST);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    if (v.mv_size == 8) *seq = store_from_be64(v.mv_data);
    return 0;
}

int stream_age_backlog(MDB_txn *txn, MDB_dbi log_at, uint64_t acked, uint64_t head, int64_t now,
                       uint64_t buckets[AGEQ_BUCKETS])
{
    for (size_t b = 0; b < AGEQ_BUCKETS; b++) buckets[b] = 0;
    if (head <= acked) return 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, log_at, &c);
    if (rc) return store_rc(rc);
    /* older[b]: the backlog appended more than bound b ago. */
    uint64_t older[AGEQ_BUCKETS - 1], lag = head - acked;
    for (size_t b = 0; !rc && b < AGEQ_BUCKETS - 1; b++) {
        uint64_t seq;
        rc = stream_age_seq_by(c, now - ageq_bounds_ms[b] - 1, &seq);
        if (seq > head) seq = head;
        older[b] = seq > acked ? seq - acked : 0;
    }
    mdb_cursor_close(c);
    if (rc) return rc;
    buckets[0] = lag - older[0];
    for (size_t b = 1; b < AGEQ_BUCKETS - 1; b++) buckets[b] = older[b - 1] - older[b];
    buckets[AGEQ_BUCKETS - 1] = older[AGEQ_BUCKETS - 2];
    return 0;
}
