/*
 * ageq.c - the ages of a daemon's domain queues (ageq.h).
 */
#include "ageq.h"

#include <errno.h>
#include <string.h>

#include "clock.h"
#include "store.h"

const int64_t ageq_bounds_ms[AGEQ_BUCKETS - 1] = {5 * 60000LL, MS_PER_HOUR, MS_PER_DAY,
                                                   7 * MS_PER_DAY};

#define AGEQ_KEY_MAX (AGEQ_NAME_MAX + 1 + 8 + AGEQ_ID_MAX)

/* "ages_by_id" under keys that begin NUL 1 (ageq_once's marks are text):
 * how many members each queue has (NUL 1 queue -> BE64), kept by
 * ageq_set, so that a status takes a queue's young members by subtraction
 * and walks only those older than the first bucket's bound (a burst left a
 * million notifications waiting for a terminal in la-system, and every
 * status walked them all). NUL 1 alone marks a store whose counts are
 * kept: one from before is counted once when opened. */
#define AGEQ_COUNT_KEY_MAX (2 + AGEQ_NAME_MAX)

static size_t ageq_count_key(const char *queue, size_t nq, unsigned char *out)
{
    out[0] = 0;
    out[1] = 1;
    memcpy(out + 2, queue, nq);
    return 2 + nq;
}

static int ageq_count_get(MDB_txn *txn, const ageq_t *q, const char *queue, size_t nq,
                          uint64_t *n)
{
    unsigned char key[AGEQ_COUNT_KEY_MAX];
    MDB_val k = {ageq_count_key(queue, nq, key), key}, v;
    int rc = mdb_get(txn, q->by_id, &k, &v);
    *n = rc == 0 && v.mv_size == 8 ? store_from_be64(v.mv_data) : 0;
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

static int ageq_count_put(MDB_txn *txn, const ageq_t *q, const char *queue, size_t nq, uint64_t n)
{
    unsigned char key[AGEQ_COUNT_KEY_MAX], be[8];
    store_be64(n, be);
    MDB_val k = {ageq_count_key(queue, nq, key), key}, v = {8, be};
    return store_rc(mdb_put(txn, q->by_id, &k, &v, 0));
}

static int ageq_count_add(MDB_txn *txn, const ageq_t *q, const char *queue, size_t nq, int delta)
{
    uint64_t n;
    int rc = ageq_count_get(txn, q, queue, nq, &n);
    if (rc) return rc;
    return ageq_count_put(txn, q, queue, nq, delta < 0 && n == 0 ? 0 : n + (uint64_t)(int64_t)delta);
}

/* The sum of the counts kept (0 or a store error). */
static int ageq_count_sum(MDB_txn *txn, const ageq_t *q, uint64_t *sum)
{
    unsigned char from[2] = {0, 1};
    MDB_val k = {2, from}, v;
    MDB_cursor *c;
    *sum = 0;
    int rc = store_rc(mdb_cursor_open(txn, q->by_id, &c));
    if (rc) return rc;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        const unsigned char *kb = k.mv_data;
        if (k.mv_size < 2 || kb[0] != 0 || kb[1] != 1) break;
        if (k.mv_size > 2 && v.mv_size == 8) *sum += store_from_be64(v.mv_data);
    }
    mdb_cursor_close(c);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* Counts every queue's members, for a store from before the counts, or
 * one whose counts no longer add up to the members there (a build from
 * before them ran on it in between): they are counted again. */
static int ageq_count_all(MDB_txn *txn, const ageq_t *q)
{
    unsigned char mark[2] = {0, 1};
    MDB_val mk = {2, mark}, v;
    int rc = mdb_get(txn, q->by_id, &mk, &v);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    if (rc == 0) {
        uint64_t sum;
        if ((rc = ageq_count_sum(txn, q, &sum)) != 0) return rc;
        if (sum == (uint64_t)store_count(txn, q->by_age)) return 0;
        MDB_cursor *old;
        if ((rc = store_rc(mdb_cursor_open(txn, q->by_id, &old))) != 0) return rc;
        for (;;) { /* the marker and every count go; each seek finds the next */
            MDB_val k = {2, mark};
            if ((rc = mdb_cursor_get(old, &k, &v, MDB_SET_RANGE)) != 0) break;
            const unsigned char *kb = k.mv_data;
            if (k.mv_size < 2 || kb[0] != 0 || kb[1] != 1) break;
            if ((rc = mdb_cursor_del(old, 0)) != 0) break;
        }
        mdb_cursor_close(old);
        if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    }
    MDB_cursor *c;
    rc = store_rc(mdb_cursor_open(txn, q->by_age, &c));
    if (rc) return rc;
    char queue[AGEQ_NAME_MAX + 1] = "";
    size_t nq = 0;
    uint64_t n = 0;
    MDB_val k;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        const char *kq = k.mv_data;
        const char *nul = memchr(kq, 0, k.mv_size);
        size_t len = nul ? (size_t)(nul - kq) : 0;
        if (!nul || len > AGEQ_NAME_MAX) continue;
        if (n && (len != nq || memcmp(kq, queue, nq) != 0)) {
            if ((rc = ageq_count_put(txn, q, queue, nq, n)) != 0) break;
            n = 0;
        }
        memcpy(queue, kq, len);
        nq = len;
        n++;
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    if (n && (rc = ageq_count_put(txn, q, queue, nq, n)) != 0) return rc;
    MDB_val none = {0, ""};
    return store_rc(mdb_put(txn, q->by_id, &mk, &none, 0));
}

int ageq_open(MDB_txn *txn, ageq_t *q, int *empty)
{
    /* New: the tables did not exist before this transaction. An existing
     * table that holds nothing (no case waiting) is kept up to date by
     * every write and is not new: filling it again from the records at
     * every start took dispatch 2.5 s on a million cases. */
    MDB_dbi probe;
    int fresh = mdb_dbi_open(txn, "ages_by_id", 0, &probe) == MDB_NOTFOUND;
    int rc = store_table(txn, "ages", &q->by_age);
    if (!rc) rc = store_table(txn, "ages_by_id", &q->by_id);
    if (!rc) rc = ageq_count_all(txn, q);
    if (!rc && empty) *empty = fresh;
    return rc;
}

/* queue NUL at(BE64) [id]: the key's length. */
static size_t ageq_key(const char *queue, size_t nq, int64_t at, const char *id, size_t ni,
                       unsigned char *out)
{
    memcpy(out, queue, nq);
    out[nq] = 0;
    store_be64((uint64_t)at, out + nq + 1);
    if (ni) memcpy(out + nq + 9, id, ni);
    return nq + 9 + ni;
}

int ageq_set(MDB_txn *txn, const ageq_t *q, const char *id, const char *queue, int64_t at)
{
    size_t ni = strlen(id), nq = queue ? strlen(queue) : 0;
    if (!ni || ni > AGEQ_ID_MAX || nq > AGEQ_NAME_MAX || (queue && !nq)) return -EINVAL;
    MDB_val k = {ni, (void *)id}, v;
    int rc = mdb_get(txn, q->by_id, &k, &v);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    unsigned char key[AGEQ_KEY_MAX];
    if (rc == 0 && v.mv_size > 9) {
        const char *was = v.mv_data;
        size_t nw = v.mv_size - 9;
        if (queue && nw == nq && memcmp(was, queue, nq) == 0) return 0; /* still there */
        int64_t since = (int64_t)store_from_be64((const unsigned char *)v.mv_data + nw + 1);
        MDB_val old = {ageq_key(was, nw, since, id, ni, key), key};
        rc = mdb_del(txn, q->by_age, &old, NULL);
        if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
        if (rc == 0 && (rc = ageq_count_add(txn, q, was, nw, -1)) != 0) return rc;
    }
    if (!queue) {
        rc = mdb_del(txn, q->by_id, &k, NULL);
        return rc && rc != MDB_NOTFOUND ? store_rc(rc) : 0;
    }
    MDB_val entry = {ageq_key(queue, nq, at, id, ni, key), key}, none = {0, ""};
    rc = mdb_put(txn, q->by_age, &entry, &none, 0);
    if (rc) return store_rc(rc);
    if ((rc = ageq_count_add(txn, q, queue, nq, 1)) != 0) return rc;
    MDB_val where = {nq + 9, key};
    return store_rc(mdb_put(txn, q->by_id, &k, &where, 0));
}

int ageq_once(MDB_txn *txn, const ageq_t *q, const char *mark, int *first)
{
    unsigned char key[1 + AGEQ_NAME_MAX];
    size_t n = strlen(mark);
    if (n > AGEQ_NAME_MAX) return -EINVAL;
    key[0] = 0;
    memcpy(key + 1, mark, n);
    MDB_val k = {n + 1, key}, v;
    int rc = mdb_get(txn, q->by_id, &k, &v);
    *first = rc == MDB_NOTFOUND;
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    if (!*first) return 0;
    MDB_val none = {0, ""};
    return store_rc(mdb_put(txn, q->by_id, &k, &none, 0));
}

size_t ageq_bucket(int64_t age_ms)
{
    size_t b = 0;
    while (b < AGEQ_BUCKETS - 1 && age_ms > ageq_bounds_ms[b]) b++;
    return b;
}

static Legalaid__QueueAge *ageq_new(Legalaid__StreamStatus *st, arena_t *a, const char *name)
{
    Legalaid__QueueAge *qa = ARENA_NEW(a, Legalaid__QueueAge, legalaid__queue_age__init);
    qa->name = arena_strdup(a, name);
    qa->buckets = arena_alloc(a, AGEQ_BUCKETS * sizeof *qa->buckets);
    memset(qa->buckets, 0, AGEQ_BUCKETS * sizeof *qa->buckets);
    qa->n_buckets = AGEQ_BUCKETS;
    qa->has_total = qa->has_oldest_at = 1;
    Legalaid__QueueAge **all = arena_alloc(a, (st->n_queue_ages + 1) * sizeof *all);
    if (st->n_queue_ages) memcpy(all, st->queue_ages, st->n_queue_ages * sizeof *all);
    all[st->n_queue_ages++] = qa;
    st->queue_ages = all;
    return qa;
}

void ageq_append(Legalaid__StreamStatus *st, arena_t *a, const char *name,
                 const uint64_t buckets[AGEQ_BUCKETS], int64_t oldest_at)
{
    Legalaid__QueueAge *qa = ageq_new(st, a, name);
    for (size_t b = 0; b < AGEQ_BUCKETS; b++) {
        qa->buckets[b] = buckets[b];
        qa->total += buckets[b];
    }
    qa->oldest_at = qa->total ? oldest_at : 0;
}

/* One queue's buckets: its members older than the first bucket's bound,
 * walked oldest first; the rest, however many, are the first bucket's. */
static int ageq_one(MDB_txn *txn, const ageq_t *q, const char *queue, int64_t now,
                    Legalaid__QueueAge *qa)
{
    size_t nq = strlen(queue);
    if (!nq || nq > AGEQ_NAME_MAX) return -EINVAL;
    uint64_t total, older = 0;
    int rc = ageq_count_get(txn, q, queue, nq, &total);
    if (rc) return rc;
    MDB_cursor *c;
    rc = store_rc(mdb_cursor_open(txn, q->by_age, &c));
    if (rc) return rc;
    MDB_val k = {nq + 1, (void *)queue}, v; /* queue NUL: the strlen's NUL */
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size < nq + 9 || memcmp(k.mv_data, queue, nq + 1) != 0) break;
        int64_t at = (int64_t)store_from_be64((const unsigned char *)k.mv_data + nq + 1);
        if (!older && !qa->total) qa->oldest_at = at;
        qa->total = 1; /* a member seen */
        size_t b = ageq_bucket(now - at);
        if (b == 0) break; /* entered in order: every later one is as young */
        qa->buckets[b]++;
        older++;
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND && rc != 0) return store_rc(rc);
    if (!qa->total) total = 0; /* none there, whatever the count says */
    if (total < older) total = older;
    qa->buckets[0] = total - older;
    qa->total = total;
    return 0;
}

int ageq_each(MDB_txn *txn, const ageq_t *q, const char *queue, int64_t after_at,
              const char *after_id, ageq_each_fn fn, void *ctx)
{
    size_t nq = strlen(queue), na = after_id ? strlen(after_id) : 0;
    if (nq > AGEQ_NAME_MAX || na > AGEQ_ID_MAX) return -EINVAL;
    unsigned char start[AGEQ_KEY_MAX];
    MDB_val k = {after_id ? ageq_key(queue, nq, after_at, after_id, na, start) : nq + 1, start}, v;
    if (!after_id) memcpy(start, queue, nq + 1);
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(txn, q->by_age, &c));
    if (rc) return rc;
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    if (rc == 0 && after_id && k.mv_size == nq + 9 + na && memcmp(k.mv_data, start, k.mv_size) == 0)
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT); /* strictly after */
    int stop = 0;
    for (; rc == 0 && !stop; rc = stop ? 0 : mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size < nq + 9 || memcmp(k.mv_data, queue, nq + 1) != 0) break;
        const unsigned char *kb = k.mv_data;
        stop = fn((const char *)kb + nq + 9, k.mv_size - nq - 9,
                  (int64_t)store_from_be64(kb + nq + 1), ctx);
    }
    mdb_cursor_close(c);
    if (stop) return stop;
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int ageq_status(MDB_txn *txn, const ageq_t *q, const char *const *queues, int64_t now,
                Legalaid__StreamStatus *st, arena_t *a)
{
    for (size_t i = 0; queues[i]; i++) {
        int rc = ageq_one(txn, q, queues[i], now, ageq_new(st, a, queues[i]));
        if (rc) return rc;
    }
    return 0;
}
