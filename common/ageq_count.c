/*
 * ageq_count.c - the counts kept beside a daemon's domain queues
 * (ageq_count.h): each queue's total and its members by day, hour and
 * minute of entry, so that a status never walks a backlog (a burst left a
 * million notifications waiting for a terminal in la-system, and every
 * status walked them all; then every one older than five minutes).
 */
#include "ageq_count.h"

#include <string.h>

#include "clock.h"
#include "store.h"
#include "store_tally.h"

#define AGEQ_LEVELS 3
static const int64_t ageq_count_slot_ms[AGEQ_LEVELS] = {MS_PER_DAY, MS_PER_HOUR, 60000};

#define AGEQ_COUNT_KEY_MAX (2 + AGEQ_NAME_MAX + 2 + 8)

/* NUL 1 queue: the total's key. */
static size_t ageq_count_total_key(const char *queue, size_t nq, unsigned char *out)
{
    out[0] = 0;
    out[1] = 1;
    memcpy(out + 2, queue, nq);
    return 2 + nq;
}

/* NUL 2 queue NUL level slot: a slot's key (level 1 to AGEQ_LEVELS). */
static size_t ageq_count_slot_key(const char *queue, size_t nq, int level, int64_t slot,
                                  unsigned char *out)
{
    out[0] = 0;
    out[1] = 2;
    memcpy(out + 2, queue, nq);
    out[2 + nq] = 0;
    out[3 + nq] = (unsigned char)level;
    store_be64((uint64_t)slot, out + 4 + nq);
    return 12 + nq;
}

static int64_t ageq_count_slot(int64_t at, int level)
{
    return at < 0 ? 0 : at / ageq_count_slot_ms[level - 1];
}

static int ageq_count_get(MDB_txn *txn, const ageq_t *q, const unsigned char *key, size_t n,
                          uint64_t *out)
{
    MDB_val k = {n, (void *)key}, v;
    int rc = store_tally_flush(txn);
    if (rc) return rc;
    rc = mdb_get(txn, q->by_id, &k, &v);
    *out = rc == 0 && v.mv_size == 8 ? store_from_be64(v.mv_data) : 0;
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* Sets the count under key to value; a count of 0 is not kept. */
static int ageq_count_put(MDB_txn *txn, const ageq_t *q, const unsigned char *key, size_t n,
                          uint64_t value)
{
    MDB_val k = {n, (void *)key};
    if (value == 0) {
        int rc = mdb_del(txn, q->by_id, &k, NULL);
        return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
    }
    unsigned char be[8];
    store_be64(value, be);
    MDB_val v = {8, be};
    return store_rc(mdb_put(txn, q->by_id, &k, &v, 0));
}

/* Each move of a member adds to four counts (the queue's total, its
 * day, hour and minute): held for the turn (store_tally.h), so that a
 * turn's hundred notifications write each count once. */
int ageq_count_add(MDB_txn *txn, const ageq_t *q, const char *queue, size_t nq, int64_t at,
                   int delta)
{
    unsigned char key[AGEQ_COUNT_KEY_MAX];
    int64_t d = delta < 0 ? -1 : 1;
    int rc = store_tally_add(txn, q->by_id, key, ageq_count_total_key(queue, nq, key), 1, &d,
                             STORE_TALLY_COUNT);
    for (int level = 1; !rc && level <= AGEQ_LEVELS; level++)
        rc = store_tally_add(txn, q->by_id, key,
                             ageq_count_slot_key(queue, nq, level, ageq_count_slot(at, level), key),
                             1, &d, STORE_TALLY_COUNT);
    return rc;
}

int ageq_count_total(MDB_txn *txn, const ageq_t *q, const char *queue, size_t nq, uint64_t *n)
{
    unsigned char key[AGEQ_COUNT_KEY_MAX];
    return ageq_count_get(txn, q, key, ageq_count_total_key(queue, nq, key), n);
}

int ageq_count_before(MDB_txn *txn, const ageq_t *q, const char *queue, size_t nq,
                      int64_t before, uint64_t *n)
{
    *n = 0;
    if (before <= 0) return 0;
    MDB_cursor *c;
    int rc = store_tally_flush(txn);
    if (!rc) rc = store_rc(mdb_cursor_open(txn, q->by_id, &c));
    if (rc) return rc;
    int64_t from = 0; /* the start of the slot the level above ends in */
    for (int level = 1; level <= AGEQ_LEVELS && (rc == 0 || rc == MDB_NOTFOUND); level++) {
        int64_t len = ageq_count_slot_ms[level - 1], end = ageq_count_slot(before, level);
        unsigned char key[AGEQ_COUNT_KEY_MAX];
        MDB_val k = {ageq_count_slot_key(queue, nq, level, from / len, key), key}, v;
        for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
             rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
            if (k.mv_size != 12 + nq || memcmp(k.mv_data, key, 4 + nq) != 0) break;
            if ((int64_t)store_from_be64((const unsigned char *)k.mv_data + 4 + nq) >= end) break;
            if (v.mv_size == 8) *n += store_from_be64(v.mv_data);
        }
        from = end * len;
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    /* The minute `before` falls in: its members walked. */
    if ((rc = store_rc(mdb_cursor_open(txn, q->by_age, &c))) != 0) return rc;
    unsigned char start[AGEQ_NAME_MAX + 9];
    memcpy(start, queue, nq);
    start[nq] = 0;
    store_be64((uint64_t)from, start + nq + 1);
    MDB_val k = {nq + 9, start}, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size < nq + 9 || memcmp(k.mv_data, start, nq + 1) != 0) break;
        if ((int64_t)store_from_be64((const unsigned char *)k.mv_data + nq + 1) >= before) break;
        (*n)++;
    }
    mdb_cursor_close(c);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* The sum of the totals (NUL 1 queue) and of the day slots (NUL 2 queue
 * NUL 1 day): each queue's day slots are read, its hours and minutes
 * skipped. 0 or a store error. */
static int ageq_count_sums(MDB_txn *txn, const ageq_t *q, uint64_t *totals, uint64_t *days)
{
    *totals = *days = 0;
    MDB_cursor *c;
    int rc = store_tally_flush(txn);
    if (!rc) rc = store_rc(mdb_cursor_open(txn, q->by_id, &c));
    if (rc) return rc;
    unsigned char seek[AGEQ_COUNT_KEY_MAX] = {0, 1};
    MDB_val k = {2, seek}, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;) {
        const unsigned char *kb = k.mv_data;
        if (k.mv_size < 2 || kb[0] != 0 || kb[1] < 1 || kb[1] > 2) break;
        if (kb[1] == 1) {
            if (k.mv_size > 2 && v.mv_size == 8) *totals += store_from_be64(v.mv_data);
            rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
            continue;
        }
        const unsigned char *nul = k.mv_size > 2 ? memchr(kb + 2, 0, k.mv_size - 2) : NULL;
        size_t nq = nul ? (size_t)(nul - kb - 2) : 0;
        if (!nul || nq > AGEQ_NAME_MAX || k.mv_size != 12 + nq) { /* the marker */
            rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
            continue;
        }
        if (kb[3 + nq] == 1) {
            if (v.mv_size == 8) *days += store_from_be64(v.mv_data);
            rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
            continue;
        }
        /* Past this queue's days: on to the next queue. */
        memcpy(seek, kb, 3 + nq);
        seek[3 + nq] = 0xff;
        k.mv_size = 4 + nq;
        k.mv_data = seek;
        rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    }
    mdb_cursor_close(c);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* Deletes every key that begins NUL 1, NUL 2 or NUL 3 (the counts, the marks). */
static int ageq_count_drop(MDB_txn *txn, const ageq_t *q)
{
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(txn, q->by_id, &c));
    if (rc) return rc;
    unsigned char from[2] = {0, 1};
    for (;;) { /* each seek finds the next, the one before deleted */
        MDB_val k = {2, from}, v;
        if ((rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE)) != 0) break;
        const unsigned char *kb = k.mv_data;
        if (k.mv_size < 2 || kb[0] != 0 || kb[1] < 1 || kb[1] > 3) break;
        if ((rc = mdb_cursor_del(c, 0)) != 0) break;
    }
    mdb_cursor_close(c);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* A run of members of one queue in one slot (or in the queue: level 0). */
typedef struct ageq_run {
    int64_t slot;
    uint64_t n;
} ageq_run_t;

static int ageq_count_flush(MDB_txn *txn, const ageq_t *q, const char *queue, size_t nq,
                            int level, ageq_run_t *run)
{
    if (!run->n) return 0;
    unsigned char key[AGEQ_COUNT_KEY_MAX];
    size_t n = level ? ageq_count_slot_key(queue, nq, level, run->slot, key)
                     : ageq_count_total_key(queue, nq, key);
    int rc = ageq_count_put(txn, q, key, n, run->n);
    run->n = 0;
    return rc;
}

/* Counts every member again, in one walk of the queues in order. */
static int ageq_count_all(MDB_txn *txn, const ageq_t *q)
{
    int rc = ageq_count_drop(txn, q);
    MDB_cursor *c;
    if (!rc) rc = store_rc(mdb_cursor_open(txn, q->by_age, &c));
    if (rc) return rc;
    char queue[AGEQ_NAME_MAX + 1] = "";
    size_t nq = 0;
    ageq_run_t run[1 + AGEQ_LEVELS] = {{0, 0}};
    MDB_val k, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        const char *kq = k.mv_data;
        const char *nul = memchr(kq, 0, k.mv_size);
        size_t len = nul ? (size_t)(nul - kq) : 0;
        if (!nul || !len || len > AGEQ_NAME_MAX || k.mv_size < len + 9) continue;
        int64_t at = (int64_t)store_from_be64((const unsigned char *)k.mv_data + len + 1);
        int other = run[0].n && (len != nq || memcmp(kq, queue, nq) != 0);
        for (int level = 0; level <= AGEQ_LEVELS && rc == 0; level++) {
            int64_t slot = level ? ageq_count_slot(at, level) : 0;
            if (other || (run[level].n && run[level].slot != slot))
                rc = ageq_count_flush(txn, q, queue, nq, level, &run[level]);
            run[level].slot = slot;
            run[level].n++;
        }
        if (rc) break;
        memcpy(queue, kq, len);
        nq = len;
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    rc = 0;
    for (int level = 0; level <= AGEQ_LEVELS && !rc; level++)
        rc = ageq_count_flush(txn, q, queue, nq, level, &run[level]);
    if (rc) return rc;
    unsigned char mark[2] = {0, 3};
    MDB_val mk = {2, mark}, none = {0, ""};
    return store_rc(mdb_put(txn, q->by_id, &mk, &none, 0));
}

int ageq_count_check(MDB_txn *txn, const ageq_t *q)
{
    /* Kept by this build: its mark NUL 3, and no NUL 1 mark. The build
     * before (totals only) writes NUL 1 whenever it opens a store without
     * it, then moves members without the slots: one member moved from a
     * queue to another leaves every sum right and the slots wrong. */
    int kept = store_tally_flush(txn);
    if (kept) return kept;
    kept = 1;
    for (unsigned char m = 1; m <= 3 && kept; m += 2) {
        unsigned char mark[2] = {0, m};
        MDB_val mk = {2, mark}, v;
        int rc = mdb_get(txn, q->by_id, &mk, &v);
        if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
        kept = m == 3 ? rc == 0 : rc == MDB_NOTFOUND;
    }
    if (kept) {
        uint64_t totals, days, members = (uint64_t)store_count(txn, q->by_age);
        int rc = ageq_count_sums(txn, q, &totals, &days);
        if (rc) return rc;
        if (totals == members && days == members) return 0;
    }
    return ageq_count_all(txn, q);
}
