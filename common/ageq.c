/*
 * ageq.c - the ages of a daemon's domain queues (ageq.h).
 */
#include "ageq.h"

#include <errno.h>
#include <string.h>

#include "ageq_count.h"
#include "clock.h"
#include "store.h"

const int64_t ageq_bounds_ms[AGEQ_BUCKETS - 1] = {5 * 60000LL, MS_PER_HOUR, MS_PER_DAY,
                                                   7 * MS_PER_DAY};

#define AGEQ_KEY_MAX (AGEQ_NAME_MAX + 1 + 8 + AGEQ_ID_MAX)

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
    if (!rc) rc = ageq_count_check(txn, q);
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
    if (at < 0) at = 0; /* keys in time order, and every slot's (ageq_count.c) */
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
        if (rc == 0 && (rc = ageq_count_add(txn, q, was, nw, since, -1)) != 0) return rc;
    }
    if (!queue) {
        rc = mdb_del(txn, q->by_id, &k, NULL);
        return rc && rc != MDB_NOTFOUND ? store_rc(rc) : 0;
    }
    MDB_val entry = {ageq_key(queue, nq, at, id, ni, key), key}, none = {0, ""};
    rc = mdb_put(txn, q->by_age, &entry, &none, 0);
    if (rc) return store_rc(rc);
    if ((rc = ageq_count_add(txn, q, queue, nq, at, 1)) != 0) return rc;
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

/* One queue's buckets, from the counts kept (ageq_count.h): how many
 * entered before each bound's time, and the oldest member's time (one seek). */
static int ageq_one(MDB_txn *txn, const ageq_t *q, const char *queue, int64_t now,
                    Legalaid__QueueAge *qa)
{
    size_t nq = strlen(queue);
    if (!nq || nq > AGEQ_NAME_MAX) return -EINVAL;
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(txn, q->by_age, &c));
    if (rc) return rc;
    MDB_val k = {nq + 1, (void *)queue}, v; /* queue NUL: the strlen's NUL */
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    int any = rc == 0 && k.mv_size >= nq + 9 && memcmp(k.mv_data, queue, nq + 1) == 0;
    if (any) qa->oldest_at = (int64_t)store_from_be64((const unsigned char *)k.mv_data + nq + 1);
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND && rc != 0) return store_rc(rc);
    if (!any) return 0; /* none there, whatever a count says */
    uint64_t total, older[AGEQ_BUCKETS - 1];
    if ((rc = ageq_count_total(txn, q, queue, nq, &total)) != 0) return rc;
    for (size_t b = 0; b < AGEQ_BUCKETS - 1; b++) {
        /* Older than the bound: entered before now - bound. */
        if ((rc = ageq_count_before(txn, q, queue, nq, now - ageq_bounds_ms[b], &older[b])) != 0)
            return rc;
        if (older[b] > (b ? older[b - 1] : total)) older[b] = b ? older[b - 1] : total;
    }
    qa->buckets[0] = total - older[0];
    for (size_t b = 1; b < AGEQ_BUCKETS - 1; b++) qa->buckets[b] = older[b - 1] - older[b];
    qa->buckets[AGEQ_BUCKETS - 1] = older[AGEQ_BUCKETS - 2];
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
