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

int ageq_open(MDB_txn *txn, ageq_t *q, int *empty)
{
    int rc = store_table(txn, "ages", &q->by_age);
    if (!rc) rc = store_table(txn, "ages_by_id", &q->by_id);
    if (!rc && empty) *empty = store_count(txn, q->by_id) == 0;
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
    if (!ni || ni > AGEQ_ID_MAX || nq > AGEQ_NAME_MAX) return -EINVAL;
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
    }
    if (!queue) {
        rc = mdb_del(txn, q->by_id, &k, NULL);
        return rc && rc != MDB_NOTFOUND ? store_rc(rc) : 0;
    }
    MDB_val entry = {ageq_key(queue, nq, at, id, ni, key), key}, none = {0, ""};
    rc = mdb_put(txn, q->by_age, &entry, &none, 0);
    if (rc) return store_rc(rc);
    MDB_val where = {nq + 9, key};
    return store_rc(mdb_put(txn, q->by_id, &k, &where, 0));
}

/* One queue's buckets: a walk of its members in the order they entered. */
static int ageq_one(MDB_txn *txn, const ageq_t *q, const char *queue, int64_t now,
                    Legalaid__QueueAge *qa)
{
    size_t nq = strlen(queue);
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(txn, q->by_age, &c));
    if (rc) return rc;
    MDB_val k = {nq + 1, (void *)queue}, v; /* queue NUL: the strlen's NUL */
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size < nq + 9 || memcmp(k.mv_data, queue, nq + 1) != 0) break;
        int64_t at = (int64_t)store_from_be64((const unsigned char *)k.mv_data + nq + 1);
        if (!qa->total) qa->oldest_at = at;
        int64_t age = now - at;
        size_t b = 0;
        while (b < AGEQ_BUCKETS - 1 && age > ageq_bounds_ms[b]) b++;
        qa->buckets[b]++;
        qa->total++;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int ageq_status(MDB_txn *txn, const ageq_t *q, const char *const *queues, int64_t now,
                Legalaid__StreamStatus *st, arena_t *a)
{
    size_t n = 0;
    while (queues[n]) n++;
    Legalaid__QueueAge **all = arena_alloc(a, (st->n_queue_ages + n) * sizeof *all);
    if (st->n_queue_ages) memcpy(all, st->queue_ages, st->n_queue_ages * sizeof *all);
    for (size_t i = 0; i < n; i++) {
        Legalaid__QueueAge *qa = ARENA_NEW(a, Legalaid__QueueAge, legalaid__queue_age__init);
        qa->name = arena_strdup(a, queues[i]);
        qa->buckets = arena_alloc(a, AGEQ_BUCKETS * sizeof *qa->buckets);
        memset(qa->buckets, 0, AGEQ_BUCKETS * sizeof *qa->buckets);
        qa->n_buckets = AGEQ_BUCKETS;
        qa->has_total = qa->has_oldest_at = 1;
        int rc = ageq_one(txn, q, queues[i], now, qa);
        if (rc) return rc;
        all[st->n_queue_ages + i] = qa;
    }
    st->queue_ages = all;
    st->n_queue_ages += n;
    return 0;
}
