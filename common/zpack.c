/*
 * zpack.c - values of sealed tables packed with a dictionary of their own
 * table (see zpack.h).
 */
#include "zpack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#define ZSTD_STATIC_LINKING_ONLY /* dictionaries by reference, of raw content */
#include <zstd.h>

#include "clock.h"
#include "log.h"
#include "xalloc.h"
#include "zpack_learn.h"

#define ZPACK_MAX_TABLES 48
#define ZPACK_MAX_SIZE (64u << 20) /* no value of ours is near it */

/* A dictionary held in memory. depth 0: committed; else the depth of the
 * transaction that made it, which may still be undone. */
typedef struct zpack_dict {
    uint32_t id; /* 0: a free slot */
    int depth;
    unsigned char *content; /* its words (zpack_learn_alloc), which cd and dd refer to */
    size_t len;
    ZSTD_CDict *cd; /* made when a value is packed with it */
    ZSTD_DDict *dd; /* made when a value is unpacked with it */
} zpack_dict_t;

typedef struct zpack_table {
    MDB_dbi dbi;
    const char *name;
    int loaded; /* its newest dictionary looked up (cur) */
    int cur;    /* index in dict[], or -1: none yet */
    zpack_learn_t learnt; /* its latest values, once committed */
    uint64_t since; /* values seen since its dictionary was made or loaded */
    uint64_t seen, seen_bytes; /* values packed since the start, and their bytes */
    /* How well its dictionary packs (zpack_drift): bytes in and out of the
     * window of values under way, the share out of in of the first window
     * after the dictionary was made or loaded, and how many windows in a
     * row have since packed worse by ZPACK_DRIFT. */
    uint64_t win_in, win_out;
    uint32_t win_n, drifted;
    double base;
    uint64_t wait; /* values to see before a dictionary is tried again (no slot was free) */
    uint32_t gen;   /* its dictionaries so far (zcurrent) */
} zpack_table_t;

struct zpack {
    MDB_dbi dicts, current;
    const char *owner; /* the place its dictionaries are sealed for */
    zpack_dict_t dict[ZPACK_MAX_DICTS];
    zpack_table_t table[ZPACK_MAX_TABLES];
    int ntables;
    ZSTD_CCtx *cctx;
    ZSTD_DCtx *dctx;
    unsigned char *buf;
    size_t cap;
    zpack_counts_t counts;
};

/* zstd's memory is ours: kept out of core dumps and wiped when freed, for
 * its buffers keep fragments of the last values (zpack_learn.h). */
static const ZSTD_customMem zpack_mem = {zpack_learn_zalloc, zpack_learn_zfree, NULL};

int zpack_open(zpack_t **z, MDB_txn *txn, MDB_dbi dicts, const char *owner)
{
    *z = NULL;
    MDB_dbi current;
    int rc = mdb_dbi_open(txn, "zcurrent", MDB_CREATE, &current);
    if (rc) return rc;
    zpack_t *p = xcalloc(1, sizeof *p);
    p->dicts = dicts;
    p->owner = owner;
    p->current = current;
    p->cctx = ZSTD_createCCtx_advanced(zpack_mem);
    p->dctx = ZSTD_createDCtx_advanced(zpack_mem);
    *z = p;
    if (p->cctx && p->dctx) return 0;
    zpack_free(p);
    *z = NULL;
    return -ENOMEM;
}

static void zpack_dict_free(zpack_dict_t *d)
{
    ZSTD_freeCDict(d->cd);
    ZSTD_freeDDict(d->dd);
    zpack_learn_release(d->content, d->len);
    memset(d, 0, sizeof *d);
}

void zpack_free(zpack_t *z)
{
    if (!z) return;
    for (int i = 0; i < ZPACK_MAX_DICTS; i++) zpack_dict_free(&z->dict[i]);
    for (int i = 0; i < z->ntables; i++) zpack_learn_free(&z->table[i].learnt);
    ZSTD_freeCCtx(z->cctx);
    ZSTD_freeDCtx(z->dctx);
    if (z->buf) sodium_memzero(z->buf, z->cap);
    free(z->buf);
    free(z);
}

static void zpack_be32(uint32_t v, unsigned char out[4])
{
    for (int i = 0; i < 4; i++) out[i] = (unsigned char)(v >> (24 - 8 * i));
}

static uint32_t zpack_from_be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static unsigned char *zpack_buf(zpack_t *z, size_t n)
{
    if (n > z->cap) {
        if (z->buf) sodium_memzero(z->buf, z->cap);
        free(z->buf);
        z->cap = n < 4096 ? 4096 : n * 2;
        z->buf = xmalloc(z->cap);
    }
    return z->buf;
}

static int zpack_find(const zpack_t *z, uint32_t id)
{
    for (int i = 0; i < ZPACK_MAX_DICTS; i++)
        if (z->dict[i].id == id) return i;
    return -1;
}

/* Whether a slot is free or may be freed (zpack_slot), freeing none. */
static int zpack_slot_free(const zpack_t *z)
{
    for (int i = 0; i < ZPACK_MAX_DICTS; i++) {
        int used = z->dict[i].id && z->dict[i].depth != 0;
        for (int t = 0; t < z->ntables && !used; t++) used = z->table[t].cur == i;
        if (!used) return 1;
    }
    return 0;
}

/* A free slot, or one freed: a committed dictionary no table packs with.
 * -1 when every slot is new or in use. */
static int zpack_slot(zpack_t *z)
{
    int found = zpack_find(z, 0);
    if (found >= 0) return found;
    for (int i = 0; i < ZPACK_MAX_DICTS; i++) {
        int used = z->dict[i].depth != 0;
        for (int t = 0; t < z->ntables && !used; t++) used = z->table[t].cur == i;
        if (!used) {
            zpack_dict_free(&z->dict[i]);
            return i;
        }
    }
    return -1;
}

/* Gives d (id set) its words from the store, opened into memory of its
 * own. 0, -EBADMSG when the store lacks them, or what the seal says. */
static int zpack_content(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, zpack_dict_t *d)
{
    if (d->content) return 0;
    unsigned char key[4];
    zpack_be32(d->id, key);
    MDB_val k = {4, key}, v;
    int rc = mdb_get(txn, z->dicts, &k, &v);
    if (rc == MDB_NOTFOUND) {
        log_error("a packed value names dictionary %u, which the store lacks", (unsigned)d->id);
        return -EBADMSG;
    }
    if (rc) return rc;
    if (!seal_is_sealed(v.mv_data, v.mv_size) || seal_kind(v.mv_data) != SEAL_CLEAR) return -EBADMSG;
    size_t len = seal_value_len(v.mv_data, v.mv_size);
    unsigned char *content = zpack_learn_alloc(len);
    rc = seal_open(ring, z->owner, key, 4, v.mv_data, v.mv_size, content);
    if (rc) {
        zpack_learn_release(content, len);
        return rc;
    }
    d->content = content;
    d->len = len;
    return 0;
}

/* The packing and unpacking dictionaries of d's words, which they refer
 * to (not copied: one copy to wipe); of raw content, whatever its first
 * bytes (a window of values that began with zstd's dictionary magic would
 * otherwise be read as a dictionary of zstd's own format). */
static ZSTD_CDict *zpack_cdict_of(const zpack_dict_t *d)
{
    ZSTD_compressionParameters cp = ZSTD_getCParams(ZPACK_LEVEL, 1024, d->len);
    return ZSTD_createCDict_advanced(d->content, d->len, ZSTD_dlm_byRef, ZSTD_dct_rawContent, cp,
                                     zpack_mem);
}

static ZSTD_DDict *zpack_ddict_of(const zpack_dict_t *d)
{
    return ZSTD_createDDict_advanced(d->content, d->len, ZSTD_dlm_byRef, ZSTD_dct_rawContent,
                                     zpack_mem);
}

static zpack_table_t *zpack_table(zpack_t *z, MDB_dbi dbi, const char *name)
{
    for (int i = 0; i < z->ntables; i++)
        if (z->table[i].dbi == dbi) return &z->table[i];
    if (z->ntables == ZPACK_MAX_TABLES) return NULL;
    zpack_table_t *t = &z->table[z->ntables++];
    memset(t, 0, sizeof *t);
    t->dbi = dbi;
    t->name = name;
    t->cur = -1;
    return t;
}

/* A table's dictionary new or looked up again: its packing measured anew. */
static void zpack_drift_reset(zpack_table_t *t)
{
    t->win_in = t->win_out = 0;
    t->win_n = t->drifted = 0;
    t->base = 0;
}

/* A value of in bytes packed into out (in: kept as it is) with t's
 * dictionary. Records change (a month on, a case gets messages that no
 * value of its first days had; a new court, new rules): when two windows
 * in a row pack worse than the dictionary's first by ZPACK_DRIFT, the
 * next is due, without waiting for ZPACK_AGAIN values. */
static int zpack_drift(zpack_t *z, MDB_txn *txn, zpack_table_t *t, size_t in, size_t out)
{
    t->win_in += in;
    t->win_out += out;
    if (++t->win_n < ZPACK_DRIFT_VALUES) return 0;
    double share = (double)t->win_out / (double)t->win_in;
    t->win_in = t->win_out = 0;
    t->win_n = 0;
    if (t->base != 0) {
        t->drifted = share > ZPACK_DRIFT * t->base ? t->drifted + 1 : 0;
        return 0;
    }
    t->base = share;
    /* Kept beside the dictionary's number in zcurrent (undone with the
     * turn: measured again by the next process). */
    MDB_val k = {strlen(t->name), (void *)t->name}, v;
    int rc = mdb_get(txn, z->current, &k, &v);
    if (rc || v.mv_size < 8) return rc == MDB_NOTFOUND ? 0 : rc;
    unsigned char cur[12];
    memcpy(cur, v.mv_data, 8);
    zpack_be32((uint32_t)(share * ZPACK_BASE_ONE), cur + 8);
    v.mv_size = sizeof cur;
    v.mv_data = cur;
    return mdb_put(txn, z->current, &k, &v, 0);
}

/* Looks up t's newest dictionary (zcurrent) as txn sees it. */
static int zpack_load(zpack_t *z, MDB_txn *txn, zpack_table_t *t)
{
    MDB_val k = {strlen(t->name), (void *)t->name}, v;
    int rc = mdb_get(txn, z->current, &k, &v);
    t->cur = -1;
    if (rc == MDB_NOTFOUND) {
        t->loaded = 1;
        return 0;
    }
    if (rc) return rc;
    if (v.mv_size < 4) { /* learnt again: every value names its own */
        log_warn("table %s: its newest dictionary is named by %zu bytes, not 8: a new one is made",
                 t->name, v.mv_size);
        t->loaded = 1;
        return 0;
    }
    uint32_t id = zpack_from_be32(v.mv_data);
    if (id == 0) { /* no dictionary has number 0 (a free slot's) */
        log_warn("table %s: its newest dictionary is named 0: a new one is made", t->name);
        t->loaded = 1;
        return 0;
    }
    t->gen = v.mv_size >= 8 ? zpack_from_be32((const unsigned char *)v.mv_data + 4) : 1;
    /* Its first window's share, kept from the process that made it: a
     * restart does not measure the baseline anew with a dictionary that
     * may no longer fit. Builds before it read the first 8 bytes only. */
    uint32_t base = v.mv_size >= 12 ? zpack_from_be32((const unsigned char *)v.mv_data + 8) : 0;
    int i = zpack_find(z, id);
    if (i < 0 && (i = zpack_slot(z)) < 0) return 0; /* not now: kept as they are */
    z->dict[i].id = id;
    t->cur = i;
    t->loaded = 1;
    t->since = 0;
    zpack_drift_reset(t);
    t->base = base / ZPACK_BASE_ONE;
    return 0;
}

static int zpack_due(const zpack_table_t *t)
{
    if (t->since < t->wait) return 0;
    /* Three windows at least (the first, two worse) and ZPACK_AGAIN / 100
     * values since the last: a mix that swings back and forth keeps a
     * dictionary a few thousand values at most. Waiting longer let the
     * month-on reminders be written with the one made before they began
     * (10,000: the case records at 440 bytes in two runs of five, 300 in
     * the others). */
    if (t->cur >= 0 && t->drifted >= 2 && t->since >= ZPACK_AGAIN / 100) return 1;
    if (t->cur < 0)
        return zpack_learn_bytes(&t->learnt) >= ZPACK_FIRST_BYTES || t->since >= ZPACK_FIRST_VALUES;
    /* The first was learnt from a table's first few dozen values (an
     * import of old records, a first day's demo): again soon, then rarely. */
    return t->since >= (t->gen <= 1 ? ZPACK_AGAIN / 100 : t->gen == 2 ? ZPACK_AGAIN / 10 : ZPACK_AGAIN);
}

static int zpack_make_of(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, zpack_table_t *t,
                         int depth, const unsigned char *content, size_t len);

/* Adds the value v of key k, opened (and unpacked), to the sample s.
 * A value that does not open (damaged, its key or dictionary gone) is
 * left out: its own reader says what is wrong with it. 0 once s is full. */
static int zpack_sample_add(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring,
                            zpack_learn_sample_t *s, const MDB_val *k, const MDB_val *v)
{
    if (!seal_is_sealed(v->mv_data, v->mv_size)) return 1;
    size_t n = seal_value_len(v->mv_data, v->mv_size);
    if (n > ZPACK_LEARN_SAMPLE_MAX) return 1;
    unsigned char *opened = zpack_learn_sample_work(s), *clear = opened + ZPACK_LEARN_SAMPLE_MAX;
    int more = 1;
    if (seal_open(ring, z->owner, k->mv_data, k->mv_size, v->mv_data, v->mv_size, opened)) {
        /* left out */
    } else if (seal_kind(v->mv_data) != SEAL_PACKED) {
        more = zpack_learn_sample_add(s, opened, n);
    } else {
        long size = zpack_size(opened, n);
        if (size > 0 && size <= ZPACK_LEARN_SAMPLE_MAX &&
            !zpack_unpack(z, txn, ring, opened, n, clear, (size_t)size))
            more = zpack_learn_sample_add(s, clear, (size_t)size);
    }
    return more;
}

/* A sample of the values t holds as txn sees them, taken at a stride
 * over its keys that would gather ZPACK_LEARN_SAMPLE_CAP bytes (twice
 * their share) were the values held the size of those written so far.
 * A walk of the table's keys, 1-20 ms on 20,000 records: dictionaries are
 * made rarely. 0 or an LMDB code. */
static int zpack_sample(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, zpack_table_t *t,
                        zpack_learn_sample_t *s)
{
    MDB_stat st;
    int rc = mdb_stat(txn, t->dbi, &st);
    if (rc || st.ms_entries == 0) return rc;
    double avg = t->seen ? (double)t->seen_bytes / (double)t->seen : 1024;
    double want = (double)ZPACK_LEARN_SAMPLE_CAP / (avg > 1 ? avg : 1);
    size_t stride = want >= (double)st.ms_entries ? 1 : (size_t)((double)st.ms_entries / want);
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(txn, t->dbi, &c))) return rc;
    MDB_val k, v;
    size_t next = stride / 2;
    for (size_t i = 0; (rc = mdb_cursor_get(c, &k, &v, i ? MDB_NEXT : MDB_FIRST)) == 0; i++) {
        if (i != next) continue;
        next += stride;
        if (zpack_sample_add(z, txn, ring, s, &k, &v)) continue;
        /* Full before the end (the values held are larger than those
         * written): every other one kept, the stride doubled, and the walk
         * goes on to the last key; this one tried again. */
        zpack_learn_sample_thin(s);
        stride *= 2;
        next = i + stride;
        zpack_sample_add(z, txn, ring, s, &k, &v);
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Makes t's next dictionary, in txn at depth: an even share of what t
 * holds, then its latest values as fit (zpack_learn_sample_words). */
static int zpack_make(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, zpack_table_t *t,
                      int depth)
{
    size_t latestlen, len;
    const unsigned char *latest = zpack_learn_latest(&t->learnt, &latestlen);
    if (!latest || !latestlen) return 0; /* nothing learnt yet */
    if (!zpack_slot_free(z)) { /* tried again later, not at each value: a walk each */
        t->since = 0;
        t->wait = ZPACK_AGAIN / 100;
        return 0;
    }
    zpack_learn_sample_t sample = {0};
    int64_t t0 = clock_mono_us();
    int rc = zpack_sample(z, txn, ring, t, &sample);
    size_t sampled = 0;
    unsigned char *content = rc ? NULL : zpack_learn_alloc(ZPACK_DICT_BYTES);
    len = rc ? 0 : zpack_learn_sample_words(&sample, latest, latestlen, content, &sampled);
    zpack_learn_sample_free(&sample);
    uint64_t made = z->counts.dicts;
    if (!rc) rc = zpack_make_of(z, txn, ring, t, depth, content, len);
    zpack_learn_release(content, ZPACK_DICT_BYTES);
    if (!rc && z->counts.dicts > made)
        log_info("table %s: dictionary %u made of %zu of its values and its latest, %zu bytes, "
                 "in %.1f ms",
                 t->name, (unsigned)z->dict[t->cur].id, sampled, len,
                 (double)(clock_mono_us() - t0) / 1000.0);
    return rc;
}

/* Makes t's next dictionary of content (len bytes, copied), in txn at
 * depth: kept sealed in the store, named t's newest. */
static int zpack_make_of(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, zpack_table_t *t,
                         int depth, const unsigned char *content, size_t len)
{
    int slot = zpack_slot(z); /* after the sample, whose unpacking takes slots */
    if (slot < 0) return 0;
    unsigned char key[4];
    uint32_t id;
    MDB_val k = {4, key}, v;
    int rc;
    do { /* a number no dictionary of the store has, nor one in memory */
        id = randombytes_random();
        zpack_be32(id, key);
        rc = id && zpack_find(z, id) < 0 ? mdb_get(txn, z->dicts, &k, &v) : 0;
    } while (rc == 0);
    if (rc != MDB_NOTFOUND) return rc;
    v.mv_size = len + SEAL_OVERHEAD;
    v.mv_data = NULL;
    rc = mdb_put(txn, z->dicts, &k, &v, MDB_RESERVE);
    if (rc) return rc;
    seal_value(ring, z->owner, key, 4, content, len, v.mv_data);
    unsigned char cur[8];
    memcpy(cur, key, 4);
    zpack_be32(t->cur < 0 ? 1 : t->gen + 1, cur + 4);
    MDB_val name = {strlen(t->name), (void *)t->name}, num = {8, cur};
    rc = mdb_put(txn, z->current, &name, &num, 0);
    if (rc) return rc;
    zpack_dict_t *d = &z->dict[slot];
    d->id = id;
    d->depth = depth;
    d->content = zpack_learn_alloc(len);
    d->len = len;
    memcpy(d->content, content, len);
    d->cd = zpack_cdict_of(d); /* NULL: made again when used */
    t->gen = zpack_from_be32(cur + 4);
    t->cur = slot;
    t->since = 0;
    t->wait = 0;
    zpack_drift_reset(t);
    z->counts.dicts++;
    return 0;
}

/* The packing dictionary of t's current, made from the store when not yet. */
static ZSTD_CDict *zpack_cdict(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, zpack_table_t *t)
{
    zpack_dict_t *d = &z->dict[t->cur];
    if (d->cd) return d->cd;
    if (zpack_content(z, txn, ring, d)) return NULL;
    d->cd = zpack_cdict_of(d);
    return d->cd; /* NULL (out of memory): the value is kept as it is */
}

int zpack_pack(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, MDB_dbi dbi, const char *name,
               const void *clear, size_t n, const void **out, size_t *outlen, int depth)
{
    /* depth 0: a write transaction not begun by store_begin, whose undo
     * zpack_end would never hear of: nothing is packed in it. */
    if (!z || !ring || depth < 1 || dbi == z->dicts || n < ZPACK_MIN || n > ZPACK_MAX_SIZE)
        return 0;
    zpack_table_t *t = zpack_table(z, dbi, name);
    if (!t) return 0;
    int rc = t->loaded ? 0 : zpack_load(z, txn, t);
    if (rc) return rc;
    zpack_learn_add(&t->learnt, clear, n, depth);
    t->since++;
    t->seen++;
    t->seen_bytes += n;
    if (zpack_due(t) && (rc = zpack_make(z, txn, ring, t, depth))) return rc;
    ZSTD_CDict *cd = t->cur >= 0 ? zpack_cdict(z, txn, ring, t) : NULL;
    if (!cd) {
        z->counts.kept++;
        return 0;
    }
    size_t bound = ZSTD_compressBound(n);
    unsigned char *buf = zpack_buf(z, ZPACK_HEAD + bound);
    size_t zn = ZSTD_compress_usingCDict(z->cctx, buf + ZPACK_HEAD, bound, clear, n, cd);
    if (ZSTD_isError(zn) || ZPACK_HEAD + zn >= n) {
        sodium_memzero(buf, ZPACK_HEAD + (ZSTD_isError(zn) ? 0 : zn));
        z->counts.kept++;
        return zpack_drift(z, txn, t, n, n);
    }
    if ((rc = zpack_drift(z, txn, t, n, ZPACK_HEAD + zn))) {
        sodium_memzero(buf, ZPACK_HEAD + zn);
        return rc;
    }
    zpack_be32(z->dict[t->cur].id, buf);
    *out = buf;
    *outlen = ZPACK_HEAD + zn;
    z->counts.packed++;
    z->counts.in_bytes += n;
    z->counts.out_bytes += *outlen;
    return 1;
}

long zpack_size(const void *packed, size_t n)
{
    if (n <= ZPACK_HEAD) return -EBADMSG;
    unsigned long long size =
        ZSTD_getFrameContentSize((const unsigned char *)packed + ZPACK_HEAD, n - ZPACK_HEAD);
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > ZPACK_MAX_SIZE)
        return -EBADMSG;
    return (long)size;
}

/* The unpacking dictionary id, kept in memory when a slot is free (else
 * in *temp, which the caller frees with its words). */
static int zpack_ddict(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, uint32_t id,
                       ZSTD_DDict **dd, zpack_dict_t *temp)
{
    int i = zpack_find(z, id), fresh = i < 0;
    memset(temp, 0, sizeof *temp);
    if (fresh && (i = zpack_slot(z)) >= 0) z->dict[i].id = id; /* committed: it was read */
    zpack_dict_t *d = i >= 0 ? &z->dict[i] : temp;
    d->id = id;
    if (!d->dd) {
        int rc = zpack_content(z, txn, ring, d);
        if (rc) {
            if (fresh && i >= 0) zpack_dict_free(d); /* the slot back */
            return rc;
        }
        d->dd = zpack_ddict_of(d);
        if (!d->dd) return -ENOMEM;
    }
    *dd = d->dd;
    return 0;
}

int zpack_unpack(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, const void *packed, size_t n,
                 void *out, size_t size)
{
    if (!z || n <= ZPACK_HEAD) return -EBADMSG;
    ZSTD_DDict *dd;
    zpack_dict_t temp;
    int rc = zpack_ddict(z, txn, ring, zpack_from_be32(packed), &dd, &temp);
    if (rc) {
        zpack_dict_free(&temp);
        return rc;
    }
    size_t got = ZSTD_decompress_usingDDict(z->dctx, out, size,
                                            (const unsigned char *)packed + ZPACK_HEAD,
                                            n - ZPACK_HEAD, dd);
    zpack_dict_free(&temp);
    return ZSTD_isError(got) || got != size ? -EBADMSG : 0;
}

void zpack_end(zpack_t *z, int undone, int depth)
{
    if (!z) return;
    for (int t = 0; t < z->ntables; t++) zpack_learn_end(&z->table[t].learnt, undone, depth);
    for (int i = 0; i < ZPACK_MAX_DICTS; i++) {
        zpack_dict_t *d = &z->dict[i];
        if (!d->id || d->depth < depth) continue;
        if (!undone) {
            d->depth = depth - 1;
            continue;
        }
        for (int t = 0; t < z->ntables; t++)
            if (z->table[t].cur == i) { /* looked up again: its older one, or none */
                z->table[t].cur = -1;
                z->table[t].loaded = 0;
            }
        zpack_dict_free(d);
    }
}

/* Whether id is some table's newest in txn (zcurrent). */
static int zpack_is_newest(zpack_t *z, MDB_txn *txn, uint32_t id, int *newest)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, z->current, &c);
    if (rc) return rc;
    MDB_val k, v;
    *newest = 0;
    for (int op = MDB_FIRST; !*newest && (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT)
        *newest = v.mv_size >= 4 && zpack_from_be32(v.mv_data) == id;
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : rc;
}

int zpack_retire_plan(zpack_t *z, MDB_txn *txn, MDB_dbi meta, const char *key)
{
    size_t n = 0, cap = 64;
    unsigned char *ids = xmalloc(cap);
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, z->dicts, &c);
    if (rc) {
        free(ids);
        return rc;
    }
    MDB_val k, v;
    int op = MDB_FIRST, newest;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != 4) continue;
        if ((rc = zpack_is_newest(z, txn, zpack_from_be32(k.mv_data), &newest))) break;
        if (newest) continue;
        if (n + 4 > cap) ids = xrealloc(ids, cap *= 2);
        memcpy(ids + n, k.mv_data, 4);
        n += 4;
    }
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND) rc = 0;
    MDB_val mk = {strlen(key), (void *)key}, mv = {n, ids};
    if (!rc) rc = mdb_put(txn, meta, &mk, &mv, 0);
    free(ids);
    return rc;
}

int zpack_retire(zpack_t *z, MDB_txn *txn, MDB_dbi meta, const char *key, size_t *dropped)
{
    *dropped = 0;
    MDB_val mk = {strlen(key), (void *)key}, mv;
    int rc = mdb_get(txn, meta, &mk, &mv);
    if (rc) return rc == MDB_NOTFOUND ? 0 : rc;
    size_t n = mv.mv_size / 4;
    unsigned char *ids = xmalloc(n * 4 + 1);
    memcpy(ids, mv.mv_data, n * 4);
    for (size_t j = 0; !rc && j < n; j++) {
        uint32_t id = zpack_from_be32(ids + 4 * j);
        int newest, i = zpack_find(z, id);
        /* A plan never names a newest; were one named, keeping it is safe. */
        if (id == 0 || (rc = zpack_is_newest(z, txn, id, &newest)) || newest) continue;
        MDB_val k = {4, ids + 4 * j};
        rc = mdb_del(txn, z->dicts, &k, NULL);
        if (rc == MDB_NOTFOUND) rc = 0;
        else if (!rc) ++*dropped;
        for (int t = 0; i >= 0 && t < z->ntables; t++)
            if (z->table[t].cur == i) i = -1; /* in use after all: left to zpack_slot */
        if (i >= 0 && z->dict[i].depth == 0) zpack_dict_free(&z->dict[i]); /* wiped */
    }
    free(ids);
    if (!rc) rc = mdb_del(txn, meta, &mk, NULL);
    return rc;
}

void zpack_counts(const zpack_t *z, zpack_counts_t *out)
{
    memset(out, 0, sizeof *out);
    if (z) *out = z->counts;
}
