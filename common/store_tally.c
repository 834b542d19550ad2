/*
 * store_tally.c - counters held through a turn, written at its commit
 * (store_tally.h). The keys held sit in a table of this thread's own,
 * open addressing over offsets into one growing block, both kept from
 * turn to turn; written in key order, one read and one write a key.
 */
#include "store_tally.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_calls.h"
#include "xalloc.h"

/* One key held: its table, its lanes' deltas, then its klen bytes. */
typedef struct tally_key {
    MDB_dbi dbi;
    uint16_t klen;
    uint8_t lanes, flags;
    int64_t delta[STORE_TALLY_LANES];
    unsigned char key[];
} tally_key_t;

typedef struct tally {
    MDB_txn *top;    /* the top-level write transaction whose adds are held */
    size_t top_id;   /* its mdb_txn_id: LMDB reuses one MDB_txn for every
                      * top-level write transaction, and the id tells a later
                      * one from this once this has committed (not after an
                      * abort, which leaves the id as it was: a transaction of
                      * store_begin ends by store_commit or store_undo) */
    int children;    /* its children open (store_tally_child/end) */
    unsigned char *mem;
    size_t used, cap; /* bytes of mem */
    uint32_t *slots;  /* offset + 1 of a key in mem, 0 free */
    size_t nslots, n; /* a power of two; keys held */
} tally_t;

static __thread tally_t tally;

static tally_key_t *tally_at(uint32_t slot)
{
    return (tally_key_t *)(void *)(tally.mem + slot - 1);
}

static size_t tally_hash(MDB_dbi dbi, const unsigned char *key, size_t klen)
{
    uint64_t h = 1469598103934665603ull ^ dbi; /* FNV-1a */
    for (size_t i = 0; i < klen; i++) h = (h ^ key[i]) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

/* Whether txn is the top-level transaction, no child of it open. */
static int tally_holding(MDB_txn *txn)
{
    return txn == tally.top && tally.children == 0 && mdb_txn_id(txn) == tally.top_id;
}

/* What a turn keeps for the next (a fill of counts at startup may hold
 * hundreds of thousands of keys once; the turns after it hold tens). */
#define TALLY_SLOTS_KEPT 4096
#define TALLY_BYTES_KEPT (1 << 20)

static void tally_forget(void)
{
    if (tally.nslots > TALLY_SLOTS_KEPT || tally.cap > TALLY_BYTES_KEPT) {
        free(tally.slots);
        free(tally.mem);
        tally.slots = NULL;
        tally.mem = NULL;
        tally.nslots = tally.cap = 0;
    } else if (tally.n) {
        memset(tally.slots, 0, tally.nslots * sizeof *tally.slots);
    }
    tally.used = tally.n = 0;
}

static size_t tally_size(size_t klen)
{
    return (sizeof(tally_key_t) + klen + 7) & ~(size_t)7;
}

/* The value under key with delta added, written (or deleted: a count all
 * zero). 0 or a store error. */
static int tally_write(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen, size_t lanes,
                       const int64_t *delta, unsigned flags)
{
    MDB_val k = {klen, (void *)key}, v;
    uint64_t lane[STORE_TALLY_LANES] = {0};
    int rc = mdb_get(txn, dbi, &k, &v);
    if (rc == 0 && v.mv_size == lanes * 8) {
        for (size_t i = 0; i < lanes; i++)
            lane[i] = store_from_be64((const unsigned char *)v.mv_data + 8 * i);
    } else if (rc && rc != MDB_NOTFOUND) {
        return store_rc(rc);
    }
    int zero = 1;
    for (size_t i = 0; i < lanes; i++) {
        uint64_t d = (uint64_t)delta[i];
        if ((flags & STORE_TALLY_COUNT) && delta[i] < 0)
            lane[i] = 0 - d > lane[i] ? 0 : lane[i] + d;
        else
            lane[i] += d;
        zero &= lane[i] == 0;
    }
    if ((flags & STORE_TALLY_COUNT) && zero)
        return rc == 0 ? store_rc(mdb_del(txn, dbi, &k, NULL)) : 0;
    unsigned char be[STORE_TALLY_LANES * 8];
    for (size_t i = 0; i < lanes; i++) store_be64(lane[i], be + 8 * i);
    MDB_val nv = {lanes * 8, be};
    return store_rc(mdb_put(txn, dbi, &k, &nv, 0));
}

static void tally_grow_slots(void)
{
    size_t n = tally.nslots ? tally.nslots * 2 : 256;
    uint32_t *slots = xcalloc(n, sizeof *slots);
    for (size_t i = 0; i < tally.nslots; i++) {
        if (!tally.slots[i]) continue;
        tally_key_t *e = tally_at(tally.slots[i]);
        size_t j = tally_hash(e->dbi, e->key, e->klen) & (n - 1);
        while (slots[j]) j = (j + 1) & (n - 1);
        slots[j] = tally.slots[i];
    }
    free(tally.slots);
    tally.slots = slots;
    tally.nslots = n;
}

/* Holds the add: into the key's entry, or a new one. */
static void tally_hold(MDB_dbi dbi, const unsigned char *key, size_t klen, size_t lanes,
                       const int64_t *delta, unsigned flags)
{
    if ((tally.n + 1) * 2 > tally.nslots) tally_grow_slots();
    size_t j = tally_hash(dbi, key, klen) & (tally.nslots - 1);
    for (; tally.slots[j]; j = (j + 1) & (tally.nslots - 1)) {
        tally_key_t *e = tally_at(tally.slots[j]);
        if (e->dbi == dbi && e->klen == klen && memcmp(e->key, key, klen) == 0) {
            for (size_t i = 0; i < lanes && i < e->lanes; i++)
                e->delta[i] = (int64_t)((uint64_t)e->delta[i] + (uint64_t)delta[i]);
            return;
        }
    }
    size_t need = tally_size(klen);
    if (tally.used + need > tally.cap) {
        tally.cap = tally.cap ? tally.cap * 2 : 16384;
        while (tally.used + need > tally.cap) tally.cap *= 2;
        tally.mem = xrealloc(tally.mem, tally.cap);
    }
    tally_key_t *e = (tally_key_t *)(void *)(tally.mem + tally.used);
    memset(e, 0, sizeof *e);
    e->dbi = dbi;
    e->klen = (uint16_t)klen;
    e->lanes = (uint8_t)lanes;
    e->flags = (uint8_t)flags;
    memcpy(e->delta, delta, lanes * sizeof *delta);
    memcpy(e->key, key, klen);
    tally.slots[j] = (uint32_t)tally.used + 1;
    tally.used += need;
    tally.n++;
}

int store_tally_add(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen, size_t lanes,
                    const int64_t *delta, unsigned flags)
{
    if (klen == 0 || klen > STORE_TALLY_KEY_MAX || lanes == 0 || lanes > STORE_TALLY_LANES)
        return -EINVAL;
    if (!tally_holding(txn) || tally.used + tally_size(klen) >= UINT32_MAX)
        return tally_write(txn, dbi, key, klen, lanes, delta, flags);
    tally_hold(dbi, key, klen, lanes, delta, flags);
    store_calls_changed();
    return 0;
}

static int tally_order(const void *pa, const void *pb)
{
    const tally_key_t *a = *(tally_key_t *const *)pa, *b = *(tally_key_t *const *)pb;
    if (a->dbi != b->dbi) return a->dbi < b->dbi ? -1 : 1;
    size_t n = a->klen < b->klen ? a->klen : b->klen;
    int c = memcmp(a->key, b->key, n);
    return c ? c : (int)a->klen - (int)b->klen;
}

int store_tally_flush(MDB_txn *txn)
{
    if (tally.n == 0 || !tally_holding(txn)) return 0;
    tally_key_t **order = xmalloc(tally.n * sizeof *order);
    size_t n = 0;
    for (size_t off = 0; off < tally.used; off += tally_size(order[n - 1]->klen))
        order[n++] = (tally_key_t *)(void *)(tally.mem + off);
    qsort(order, n, sizeof *order, tally_order);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = tally_write(txn, order[i]->dbi, order[i]->key, order[i]->klen, order[i]->lanes,
                         order[i]->delta, order[i]->flags);
    free(order);
    tally_forget(); /* written, or the transaction fails with rc */
    return rc;
}

int store_tally_child(MDB_txn *parent)
{
    return store_tally_flush(parent);
}

void store_tally_begin(MDB_txn *txn, MDB_txn *parent)
{
    if (!parent) {
        tally_forget();
        tally.top = txn;
        tally.top_id = mdb_txn_id(txn);
        tally.children = 0;
    } else if (tally.top) {
        tally.children++;
    }
}

int store_tally_end(MDB_txn *txn, int commit)
{
    if (txn != tally.top) {
        if (tally.top && tally.children > 0) tally.children--;
        return 0;
    }
    int rc = commit ? store_tally_flush(txn) : 0;
    tally_forget();
    tally.top = NULL;
    tally.children = 0;
    return rc;
}

size_t store_tally_held(void)
{
    return tally.n;
}
