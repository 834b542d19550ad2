/*
 * dispatch_poolmem.c - the pool as the matcher reads it, in memory.
 *
 *   members   each provider's static part, decoded once from "lawyers" and
 *             rebuilt when the meta key "pool.version" (new at each import,
 *             dispatch_import.c) differs from the copy's;
 *   loads     each provider's numbers from "load" (dispatch_pool.c), kept
 *             beside it and written through by dispatch_pool_load_put, with
 *             each firm's summed deficit over its active members;
 *   indexes   the members by specialty, by language and by county served:
 *             what the suitability points ask, so that an offer examines the
 *             few providers of the best group instead of the whole pool
 *             (issue 16: 454 offers/s with 5,000 providers when every offer
 *             read every provider's load from LMDB).
 *
 * The loads are LMDB's as the open transaction sees them. Every change is
 * logged with the old value and the depth of the transaction that made it
 * (store_on_end): a child that commits hands its changes to its parent, one
 * that is undone puts the old values back, a top-level end clears the log
 * (after a failed one the loads are read again). A fair share that grows
 * for each equally suitable provider of an offer is kept back in memory
 * (dispatch_poolmem_defer) and written once per provider per turn, just
 * before the turn commits (dispatch_poolmem_flush, the service's
 * precommit); meanwhile dispatch_pool_load_get answers from here. Outside
 * a counted transaction (store_depth 0: a test's own) a change makes the
 * copy read again.
 */
#include <stdlib.h>
#include <string.h>

#include "dispatch_int.h"
#include "store.h"
#include "store_calls.h"
#include "xalloc.h"

#define POOLMEM_BITS 32
/* Nested transaction depths whose sets are logged once per member. */
#define POOLMEM_DEPTHS 16

#define POOLMEM_DIRTY 1u  /* pm.dirty: kept back, not yet in LMDB */
#define POOLMEM_LISTED 2u /* ... and in dirty_ix until the flush */

typedef struct poolmem_undo {
    uint32_t ix;
    int depth;
    unsigned char was_dirty;
    dispatch_load_t old;
} poolmem_undo_t;

typedef struct poolmem_county {
    const char *county;
    uint32_t ix;
} poolmem_county_t;

static struct {
    int valid;
    uint64_t version;
    MDB_env *env;
    dispatch_poolmem_t pub;
    pool_member_t *m;
    dispatch_load_t *load;
    int64_t *firm_deficit;
    uint32_t *firm_members;
    int loads_valid;
    unsigned char *dirty; /* per member: POOLMEM_ bits */
    uint32_t *dirty_ix;
    size_t n_dirty;
    struct poolmem_undo *log;
    size_t n_log, cap_log;
    /* Per depth and member, the stamp (plus one) of the transaction at that
     * depth that logged the member's value: a later set in the same
     * transaction needs no entry, its first one restores it. */
    uint32_t *logged[POOLMEM_DEPTHS];
    uint32_t stamp[POOLMEM_DEPTHS]; /* bumped as each transaction at a depth ends */
    uint32_t *by_id; /* member indexes sorted by id */
    uint32_t *spec[POOLMEM_BITS], n_spec[POOLMEM_BITS];
    uint32_t *lang[POOLMEM_BITS], n_lang[POOLMEM_BITS];
    poolmem_county_t *county; /* sorted by county */
    uint32_t *county_ix;      /* their member indexes, in the same order */
    size_t n_county;
} pm;

static char **poolmem_strv(char **v, size_t n)
{
    char **out = n ? xcalloc(n, sizeof *out) : NULL;
    for (size_t i = 0; i < n; i++) out[i] = xstrdup(v[i] ? v[i] : "");
    return out;
}

void dispatch_poolmem_fill(pool_member_t *p, const Legalaid__Lawyer *l)
{
    memset(p, 0, sizeof *p);
    p->id = xstrdup(l->id ? l->id : "");
    p->firm = xstrdup(l->firm ? l->firm : "");
    p->county = xstrdup(l->county ? l->county : "");
    p->counties = poolmem_strv(l->counties, l->n_counties);
    p->n_counties = l->n_counties;
    p->conflicts = poolmem_strv(l->conflicts, l->n_conflicts);
    p->n_conflicts = l->n_conflicts;
    p->kind = l->has_kind && l->kind ? (int)l->kind : LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER;
    p->status = (int)l->status;
    p->juvenile = l->juvenile_qualified;
    p->qualified = l->qualified;
    p->capacity = l->capacity;
    p->licence_ms = dispatch_time_date_ms(l->licence_date);
    p->crim_ms = dispatch_time_date_ms(l->criminal_defence_since);
    p->judicial_ms = dispatch_time_date_ms(l->left_judicial_office);
    for (size_t i = 0; i < l->n_specialties; i++)
        if ((unsigned)l->specialties[i] < POOLMEM_BITS) p->specialties |= 1u << l->specialties[i];
    for (size_t i = 0; i < l->n_languages; i++)
        if ((unsigned)l->languages[i] < POOLMEM_BITS) p->languages |= 1u << l->languages[i];
    if (!p->languages) p->languages = 1u << LEGALAID__LANGUAGE__MANDARIN;
}

void dispatch_poolmem_free(pool_member_t *p)
{
    free(p->id);
    free(p->firm);
    free(p->county);
    for (size_t i = 0; i < p->n_counties; i++) free(p->counties[i]);
    for (size_t i = 0; i < p->n_conflicts; i++) free(p->conflicts[i]);
    free(p->counties);
    free(p->conflicts);
}

void dispatch_poolmem_changed(void)
{
    for (size_t i = 0; i < pm.pub.n; i++) dispatch_poolmem_free(&pm.m[i]);
    free(pm.m);
    free(pm.load);
    free(pm.dirty);
    free(pm.dirty_ix);
    free(pm.log);
    for (int d = 0; d < POOLMEM_DEPTHS; d++) free(pm.logged[d]);
    free(pm.firm_deficit);
    free(pm.firm_members);
    free(pm.by_id);
    for (int b = 0; b < POOLMEM_BITS; b++) {
        free(pm.spec[b]);
        free(pm.lang[b]);
    }
    free(pm.county);
    free(pm.county_ix);
    memset(&pm, 0, sizeof pm);
}

static int poolmem_firm_cmp(const void *a, const void *b)
{
    const pool_member_t *x = &pm.m[*(const uint32_t *)a], *y = &pm.m[*(const uint32_t *)b];
    return strcmp(x->firm, y->firm);
}

static int poolmem_id_cmp(const void *a, const void *b)
{
    return strcmp(pm.m[*(const uint32_t *)a].id, pm.m[*(const uint32_t *)b].id);
}

static int poolmem_county_cmp(const void *a, const void *b)
{
    const poolmem_county_t *x = a, *y = b;
    int c = strcmp(x->county, y->county);
    return c ? c : (x->ix > y->ix) - (x->ix < y->ix);
}

/* Numbers the firms: members of one firm share a number; a provider with
 * no firm is a firm of its own. */
static void poolmem_number_firms(uint32_t *v)
{
    size_t n = pm.pub.n, nfirms = 0;
    for (size_t i = 0; i < n; i++) v[i] = (uint32_t)i;
    if (n) qsort(v, n, sizeof *v, poolmem_firm_cmp);
    for (size_t i = 0; i < n; i++) {
        const char *firm = pm.m[v[i]].firm;
        if (i == 0 || !firm[0] || strcmp(firm, pm.m[v[i - 1]].firm) != 0) nfirms++;
        pm.m[v[i]].firm_ix = (uint32_t)(nfirms - 1);
    }
    pm.pub.nfirms = nfirms;
}

/* One list of member indexes per bit of mask_of(member). */
static void poolmem_bits_index(uint32_t *lists[], uint32_t counts[], int which)
{
    for (size_t i = 0; i < pm.pub.n; i++) {
        uint32_t mask = which ? pm.m[i].languages : pm.m[i].specialties;
        for (int b = 0; b < POOLMEM_BITS; b++) counts[b] += (mask >> b) & 1u;
    }
    for (int b = 0; b < POOLMEM_BITS; b++) {
        lists[b] = counts[b] ? xcalloc(counts[b], sizeof *lists[b]) : NULL;
        counts[b] = 0;
    }
    for (size_t i = 0; i < pm.pub.n; i++) {
        uint32_t mask = which ? pm.m[i].languages : pm.m[i].specialties;
        for (int b = 0; b < POOLMEM_BITS; b++)
            if ((mask >> b) & 1u) lists[b][counts[b]++] = (uint32_t)i;
    }
}

static void poolmem_index(void)
{
    size_t n = pm.pub.n;
    pm.by_id = xcalloc(n + 1, sizeof *pm.by_id);
    poolmem_number_firms(pm.by_id);
    for (size_t i = 0; i < n; i++) pm.by_id[i] = (uint32_t)i;
    if (n) qsort(pm.by_id, n, sizeof *pm.by_id, poolmem_id_cmp);
    poolmem_bits_index(pm.spec, pm.n_spec, 0);
    poolmem_bits_index(pm.lang, pm.n_lang, 1);
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) nc += 1 + pm.m[i].n_counties;
    pm.county = xcalloc(nc + 1, sizeof *pm.county);
    for (size_t i = 0; i < n; i++) {
        const pool_member_t *p = &pm.m[i];
        if (p->county[0]) pm.county[pm.n_county++] = (poolmem_county_t){p->county, (uint32_t)i};
        for (size_t j = 0; j < p->n_counties; j++)
            if (p->counties[j][0])
                pm.county[pm.n_county++] = (poolmem_county_t){p->counties[j], (uint32_t)i};
    }
    if (pm.n_county) qsort(pm.county, pm.n_county, sizeof *pm.county, poolmem_county_cmp);
    pm.county_ix = xcalloc(pm.n_county + 1, sizeof *pm.county_ix);
    for (size_t i = 0; i < pm.n_county; i++) pm.county_ix[i] = pm.county[i].ix;
}

static int poolmem_members_load(MDB_txn *txn)
{
    size_t cap = store_count(txn, dispatch_lawyers) + 1;
    pm.m = xcalloc(cap, sizeof *pm.m);
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(txn, dispatch_lawyers, &cur));
    if (rc) return rc;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && pm.pub.n < cap;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        Legalaid__Lawyer *l = store_unpacked(txn, &k, &v, &legalaid__lawyer__descriptor, NULL);
        if (!l) continue; /* unreadable record: never chosen */
        if (l->id) dispatch_poolmem_fill(&pm.m[pm.pub.n++], l);
        legalaid__lawyer__free_unpacked(l, NULL);
    }
    mdb_cursor_close(cur);
    if (rc != MDB_NOTFOUND && rc != 0) return store_rc(rc);
    poolmem_index();
    pm.load = xcalloc(pm.pub.n + 1, sizeof *pm.load);
    pm.dirty = xcalloc(pm.pub.n + 1, sizeof *pm.dirty);
    pm.dirty_ix = xcalloc(pm.pub.n + 1, sizeof *pm.dirty_ix);
    pm.firm_deficit = xcalloc(pm.pub.nfirms + 1, sizeof *pm.firm_deficit);
    pm.firm_members = xcalloc(pm.pub.nfirms + 1, sizeof *pm.firm_members);
    return 0;
}

static long poolmem_find(const char *id, size_t len)
{
    size_t lo = 0, hi = pm.pub.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *mid_id = pm.m[pm.by_id[mid]].id;
        size_t mlen = strlen(mid_id);
        int c = memcmp(mid_id, id, mlen < len ? mlen : len);
        if (c == 0) c = (mlen > len) - (mlen < len);
        if (c == 0) return (long)pm.by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int poolmem_active(size_t ix)
{
    return pm.m[ix].status == LEGALAID__LAWYER_STATUS__ACTIVE;
}

static int poolmem_loads_load(MDB_txn *txn)
{
    memset(pm.load, 0, (pm.pub.n + 1) * sizeof *pm.load);
    memset(pm.dirty, 0, (pm.pub.n + 1) * sizeof *pm.dirty);
    pm.n_dirty = 0;
    pm.n_log = 0;
    for (int d = 0; d < POOLMEM_DEPTHS; d++) pm.stamp[d]++; /* nothing is logged now */
    memset(pm.firm_deficit, 0, (pm.pub.nfirms + 1) * sizeof *pm.firm_deficit);
    memset(pm.firm_members, 0, (pm.pub.nfirms + 1) * sizeof *pm.firm_members);
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(txn, dispatch_load, &cur));
    if (rc) return rc;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        long ix = poolmem_find(k.mv_data, k.mv_size);
        if (ix >= 0) dispatch_load_decode(&v, &pm.load[ix]);
    }
    mdb_cursor_close(cur);
    if (rc != MDB_NOTFOUND && rc != 0) return store_rc(rc);
    for (size_t i = 0; i < pm.pub.n; i++) {
        if (!poolmem_active(i)) continue;
        pm.firm_deficit[pm.m[i].firm_ix] += dispatch_load_deficit(&pm.load[i]);
        pm.firm_members[pm.m[i].firm_ix]++;
    }
    pm.loads_valid = 1;
    return 0;
}

/* Whether the transaction now at depth logged member ix already. */
static int poolmem_logged(int depth, uint32_t ix)
{
    return depth > 0 && depth < POOLMEM_DEPTHS && pm.logged[depth] &&
           pm.logged[depth][ix] == pm.stamp[depth] + 1;
}

static void poolmem_mark(int depth, uint32_t ix)
{
    if (depth <= 0 || depth >= POOLMEM_DEPTHS) return;
    if (!pm.logged[depth]) pm.logged[depth] = xcalloc(pm.pub.n + 1, sizeof *pm.logged[depth]);
    pm.logged[depth][ix] = pm.stamp[depth] + 1;
}

/* Sets member ix's load (in LMDB already, or kept back: dirty), logged. */
static void poolmem_set(uint32_t ix, const dispatch_load_t *load, int dirty)
{
    /* Once per member and transaction: an offer shares out to every
     * member of its tier, and logging each set made a turn of 256 offers
     * over a pool of 2,500 log half a million entries (a 75 MB log kept
     * at its peak, found by a soak). */
    int depth = store_depth();
    store_calls_changed(); /* undone with the transaction: a failure after it undoes the turn */
    if (!poolmem_logged(depth, ix)) {
        if (pm.n_log == pm.cap_log) {
            pm.cap_log = pm.cap_log ? pm.cap_log * 2 : 1024;
            pm.log = xrealloc(pm.log, pm.cap_log * sizeof *pm.log);
        }
        pm.log[pm.n_log++] =
            (poolmem_undo_t){ix, depth, pm.dirty[ix] & POOLMEM_DIRTY, pm.load[ix]};
        poolmem_mark(depth, ix);
    }
    if (poolmem_active(ix))
        pm.firm_deficit[pm.m[ix].firm_ix] +=
            dispatch_load_deficit(load) - dispatch_load_deficit(&pm.load[ix]);
    pm.load[ix] = *load;
    if (dirty && !(pm.dirty[ix] & POOLMEM_LISTED)) {
        pm.dirty_ix[pm.n_dirty++] = ix;
        pm.dirty[ix] |= POOLMEM_LISTED;
    }
    pm.dirty[ix] = (unsigned char)((pm.dirty[ix] & POOLMEM_LISTED) | (dirty ? POOLMEM_DIRTY : 0));
}

/* Drops the loads: read again from LMDB at the next match. */
static void poolmem_loads_drop(void)
{
    if (pm.dirty)
        for (size_t i = 0; i < pm.n_dirty; i++) pm.dirty[pm.dirty_ix[i]] = 0;
    pm.loads_valid = 0;
    pm.n_log = 0;
    pm.n_dirty = 0;
}

/* A child at depth committed: its entries (the log's tail) become its
 * parent's, but only for members the parent has not logged itself (the
 * parent's older entry restores them), and each member once, its oldest
 * entry: every offer is a child, and its shares touch the whole tier. */
static void poolmem_log_merge(int depth)
{
    size_t from = pm.n_log;
    while (from > 0 && pm.log[from - 1].depth >= depth) from--;
    int parent = depth - 1;
    size_t out = from;
    for (size_t i = from; i < pm.n_log; i++) {
        uint32_t ix = pm.log[i].ix;
        if (poolmem_logged(parent, ix)) continue; /* the parent's older entry restores it */
        pm.log[i].depth = parent;
        pm.log[out++] = pm.log[i];
        poolmem_mark(parent, ix);
    }
    pm.n_log = out;
}

/* store_on_end: a transaction of depth `depth` ended. */
static void poolmem_txn_end(int undone, int depth)
{
    /* The next transaction at this depth is another: its sets are logged. */
    if (depth > 0 && depth < POOLMEM_DEPTHS) pm.stamp[depth]++;
    if (!pm.loads_valid) return;
    if (depth <= 1) {
        /* A top-level end: committed, what was kept back was written by
         * the flush; undone, LMDB holds the truth. */
        if (undone || pm.n_dirty) poolmem_loads_drop();
        pm.n_log = 0;
        return;
    }
    if (!undone) { /* the child's changes are its parent's now */
        poolmem_log_merge(depth);
        return;
    }
    while (pm.n_log > 0 && pm.log[pm.n_log - 1].depth >= depth) {
        poolmem_undo_t *u = &pm.log[pm.n_log - 1];
        uint32_t ix = u->ix;
        if (poolmem_active(ix))
            pm.firm_deficit[pm.m[ix].firm_ix] +=
                dispatch_load_deficit(&u->old) - dispatch_load_deficit(&pm.load[ix]);
        pm.load[ix] = u->old;
        pm.dirty[ix] = (unsigned char)((pm.dirty[ix] & POOLMEM_LISTED) | u->was_dirty);
        pm.n_log--;
    }
}

int dispatch_poolmem_get(turn_t *t, const dispatch_poolmem_t **out)
{
    *out = NULL;
    uint64_t version;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), "pool.version", &version);
    if (rc) return rc;
    MDB_env *env = mdb_txn_env(t->txn);
    if (!pm.valid || pm.version != version || pm.env != env) {
        dispatch_poolmem_changed();
        rc = poolmem_members_load(t->txn);
        if (rc) {
            dispatch_poolmem_changed();
            return rc;
        }
        pm.version = version;
        pm.env = env;
        pm.valid = 1;
        store_on_end(poolmem_txn_end);
    }
    if (!pm.loads_valid || store_depth() == 0) {
        poolmem_loads_drop();
        rc = poolmem_loads_load(t->txn);
        if (rc) return rc;
        if (store_depth() == 0) pm.loads_valid = 0; /* good for this match only */
    }
    pm.pub.m = pm.m;
    pm.pub.load = pm.load;
    pm.pub.firm_deficit = pm.firm_deficit;
    pm.pub.firm_members = pm.firm_members;
    *out = &pm.pub;
    return 0;
}

/* The member the copy keeps for lawyer_id in txn, or -1. */
static long poolmem_member_of(MDB_txn *txn, const char *lawyer_id)
{
    if (!pm.valid || !pm.loads_valid || pm.env != mdb_txn_env(txn) || store_depth() == 0 ||
        mdb_txn_id(txn) != store_write_id())
        return -1; /* not the write transaction the copy follows */
    return poolmem_find(lawyer_id, strlen(lawyer_id));
}

void dispatch_poolmem_note(MDB_txn *txn, const char *lawyer_id, const dispatch_load_t *load)
{
    long ix = poolmem_member_of(txn, lawyer_id);
    if (ix >= 0) {
        poolmem_set((uint32_t)ix, load, 0);
    } else if (pm.loads_valid && store_depth() == 0) {
        poolmem_loads_drop(); /* a change the log cannot follow */
    }
}

int dispatch_poolmem_lookup(MDB_txn *txn, const char *lawyer_id, dispatch_load_t *load)
{
    long ix = poolmem_member_of(txn, lawyer_id);
    if (ix < 0) return 0;
    *load = pm.load[ix];
    return 1;
}

int dispatch_poolmem_defer(uint32_t ix, const dispatch_load_t *load)
{
    if (!pm.valid || !pm.loads_valid || store_depth() == 0 || ix >= pm.pub.n) return 0;
    poolmem_set(ix, load, 1);
    return 1;
}

int dispatch_poolmem_flush(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    for (size_t i = 0; i < pm.n_dirty; i++) {
        uint32_t ix = pm.dirty_ix[i];
        int dirty = pm.dirty[ix] & POOLMEM_DIRTY;
        pm.dirty[ix] = 0;
        if (!dirty) continue; /* written since, or undone */
        unsigned char buf[DISPATCH_LOAD_FIELDS * 8];
        dispatch_load_encode(&pm.load[ix], buf);
        MDB_val k = {strlen(pm.m[ix].id), pm.m[ix].id}, v = {sizeof buf, buf};
        int rc = store_rc(mdb_put(txn, dispatch_load, &k, &v, 0));
        if (rc) return rc; /* the turn fails and is undone: read again */
    }
    pm.n_dirty = 0;
    return 0;
}

size_t dispatch_poolmem_with_specialty(uint32_t category, const uint32_t **ix)
{
    *ix = category < POOLMEM_BITS ? pm.spec[category] : NULL;
    return category < POOLMEM_BITS ? pm.n_spec[category] : 0;
}

size_t dispatch_poolmem_with_language(uint32_t language, const uint32_t **ix)
{
    *ix = language < POOLMEM_BITS ? pm.lang[language] : NULL;
    return language < POOLMEM_BITS ? pm.n_lang[language] : 0;
}

size_t dispatch_poolmem_serving(const char *county, const uint32_t **ix)
{
    size_t lo = 0, hi = pm.n_county;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(pm.county[mid].county, county) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < pm.n_county && strcmp(pm.county[end].county, county) == 0) end++;
    *ix = pm.county_ix + lo;
    return end - lo;
}
