/*
 * reseal.c - the data key of a daemon's store (seal.h): the start-up check
 * that the key file is the one the store was sealed with, a new key taken
 * on reload (SIGHUP or ReloadKeys), and the re-seal that moves every
 * sealed value to the newest key in the background, a few hundred values
 * a turn inside the group commit, so service never stops.
 *
 * In the meta table:
 *   seal.index   the index key's fingerprint (seal_check)
 *   seal.key.N   key N's fingerprint, from its first use here
 *   seal.keys    the ids of the keys values may still be sealed under
 *   seal.pass    where the re-seal is: table NUL last key (absent: done)
 *   seal.moved   values re-sealed by the running pass
 *   seal.zdrop   the packing dictionaries to drop when it ends (zpack.h)
 *   seal.zdrop.key  the key that pass moves values to: none is dropped if
 *                another seals by its end, or if a value did not open
 *   seal.form    3: values are sealed in the short form (seal.h)
 *
 * A key file that lacks a key still in seal.keys, or holds another key
 * under the same number or another index key, is refused at start-up and
 * on reload, naming the key: never garbage, never a half-sealed store.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "daemon_int.h"
#include "log.h"
#include "store.h"
#include "zpack.h"

#define RESEAL_MOVE_MAX 256   /* values re-sealed in one turn */
#define RESEAL_VISIT_MAX 4096 /* values looked at in one turn */

/* The fingerprint under meta key, into out; 0, MDB_NOTFOUND or an error. */
static int reseal_meta_get(MDB_txn *txn, MDB_dbi meta, const char *key, MDB_val *out)
{
    MDB_val k = {strlen(key), (void *)key};
    return store_rc(mdb_get(txn, meta, &k, out));
}

static int reseal_meta_put(MDB_txn *txn, MDB_dbi meta, const char *key, const void *v, size_t n)
{
    MDB_val k = {strlen(key), (void *)key}, val = {n, (void *)v};
    return store_rc(mdb_put(txn, meta, &k, &val, 0));
}

static int reseal_pending(MDB_txn *txn, daemon_t *d)
{
    MDB_val v;
    return reseal_meta_get(txn, d->meta, "seal.pass", &v) == 0;
}

/* Whether a sealed table holds anything (a store written without sealing). */
static int reseal_store_used(daemon_t *d, MDB_txn *txn)
{
    for (int i = 0; i < d->store.n_sealed; i++)
        if (store_count(txn, d->store.sealed[i].dbi)) return 1;
    return 0;
}

/* Starts a pass from the first table (seal.moved from 0 unless
 * keep_moved). It writes every value sealed before it again, so the packing
 * dictionaries no table packs with now can go when it ends: planned here
 * (seal.zdrop), dropped in reseal_step. */
/* No dictionary is dropped by this pass (seal.zdrop and its key gone). */
static int reseal_plan_cancel(daemon_t *d, MDB_txn *txn)
{
    const char *keys[] = {"seal.zdrop", "seal.zdrop.key"};
    for (int i = 0; i < 2; i++) {
        MDB_val k = {strlen(keys[i]), (void *)keys[i]};
        int rc = mdb_del(txn, d->meta, &k, NULL);
        if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    }
    return 0;
}

/* Whether every table packed in this store (zcurrent) is one the pass
 * walks: a table of a newer build, unknown here, keeps its dictionaries. */
static int reseal_tables_known(daemon_t *d, MDB_txn *txn)
{
    MDB_dbi current;
    MDB_cursor *c;
    if (mdb_dbi_open(txn, "zcurrent", 0, &current) || mdb_cursor_open(txn, current, &c)) return 0;
    MDB_val k, v;
    int known = 1;
    for (int op = MDB_FIRST; known && mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT) {
        known = 0;
        for (int i = 0; !known && i < d->store.n_sealed; i++)
            known = strlen(d->store.sealed[i].name) == k.mv_size &&
                    memcmp(d->store.sealed[i].name, k.mv_data, k.mv_size) == 0;
    }
    mdb_cursor_close(c);
    return known;
}

static int reseal_start(daemon_t *d, MDB_txn *txn, int keep_moved, const seal_ring_t *ring)
{
    int rc = reseal_meta_put(txn, d->meta, "seal.pass", "", 1);
    if (!rc && !keep_moved) rc = store_put_u64(txn, d->meta, "seal.moved", 0);
    if (rc || !d->store.zpack || !reseal_tables_known(d, txn))
        return rc ? rc : reseal_plan_cancel(d, txn);
    /* The key the pass moves values to: were another to seal by its end,
     * values it skipped as current might name a planned dictionary, and
     * none is dropped. */
    unsigned char id = (unsigned char)ring->current;
    rc = store_rc(zpack_retire_plan(d->store.zpack, txn, d->meta, "seal.zdrop"));
    return rc ? rc : reseal_meta_put(txn, d->meta, "seal.zdrop.key", &id, 1);
}

/* The form values are sealed in (meta seal.form): 3 since the short form
 * (seal.h). A store sealed before it gets a pass that moves every value to
 * the short form, packing it on the way where its table is packed. A pass
 * an older build left half done (a rotation) starts again from the first
 * table: the values it moved are under the newest key, but in the old
 * form. */
#define RESEAL_FORM 3

static int reseal_form(daemon_t *d, MDB_txn *txn, const seal_ring_t *ring)
{
    uint64_t form;
    int rc = store_get_u64(txn, d->meta, "seal.form", &form);
    if (rc || form >= RESEAL_FORM) return rc;
    if ((rc = store_put_u64(txn, d->meta, "seal.form", RESEAL_FORM))) return rc;
    if (!reseal_store_used(d, txn)) return 0;
    if ((rc = reseal_start(d, txn, reseal_pending(txn, d), ring))) return rc;
    log_info("data key: re-sealing the values sealed before format 3 in the shorter form, in "
             "the background");
    return 0;
}

/* Checks ring against the store: 0, -1 with err (nothing written), or a
 * store error. With 0, the meta records ring's current key, and a pass is
 * started when values may be sealed under another. */
static int reseal_check(daemon_t *d, MDB_txn *txn, const seal_ring_t *ring, const char *file,
                        char *err, size_t errlen)
{
    const char *dir = d->cfg.data_dir;
    unsigned char fp[SEAL_CHECK_LEN];
    MDB_val v;
    int rc = reseal_meta_get(txn, d->meta, "seal.index", &v);
    if (rc && rc != MDB_NOTFOUND) return rc;
    if (!ring) {
        if (rc == 0) {
            snprintf(err, errlen,
                     "%s 中的个人数据已加密, 但未配置数据密钥 (personal data in %s is sealed, "
                     "but no data key is configured: set [security] data_key)",
                     dir, dir);
            return -1;
        }
        return 0;
    }
    seal_check(ring->index, fp);
    if (rc == MDB_NOTFOUND) {
        if (reseal_store_used(d, txn)) {
            snprintf(err, errlen,
                     "%s 中有未加密的记录 (%s holds records written without sealing; their "
                     "look-up keys are not hashed, so a data key cannot be switched on for it: "
                     "start this daemon on a new data_dir with the key, or without data_key)",
                     dir, dir);
            return -1;
        }
        if ((rc = reseal_meta_put(txn, d->meta, "seal.index", fp, sizeof fp))) return rc;
    } else if (v.mv_size != sizeof fp || memcmp(v.mv_data, fp, sizeof fp) != 0) {
        snprintf(err, errlen,
                 "数据密钥文件 %s 不是 %s 的密钥 (the data key file %s is not the one %s was "
                 "sealed with: its index key differs)",
                 file, dir, file, dir);
        return -1;
    }
    /* Every key values may be sealed under must be there, and be the same. */
    unsigned char ids[SEAL_MAX_KEYS + 1];
    size_t n = 0;
    rc = reseal_meta_get(txn, d->meta, "seal.keys", &v);
    if (rc && rc != MDB_NOTFOUND) return rc;
    if (rc == 0) {
        n = v.mv_size < SEAL_MAX_KEYS ? v.mv_size : SEAL_MAX_KEYS;
        memcpy(ids, v.mv_data, n);
    }
    int current_listed = 0;
    for (size_t i = 0; i <= n; i++) {
        unsigned id = i < n ? ids[i] : ring->current;
        if (i < n && id == ring->current) current_listed = 1;
        const seal_key_t *key = seal_ring_find(ring, id);
        if (!key) {
            snprintf(err, errlen,
                     "%s 中还有用 key-%u 加密的记录, 但 %s 里没有 key-%u (values in %s are still "
                     "sealed under key-%u, which %s no longer holds: put key-%u back until "
                     "legalaidctl stats shows the re-seal done)",
                     dir, id, file, id, dir, id, file, id);
            return -1;
        }
        char name[32];
        snprintf(name, sizeof name, "seal.key.%u", id);
        seal_check(key->key, fp);
        rc = reseal_meta_get(txn, d->meta, name, &v);
        if (rc == MDB_NOTFOUND) {
            if ((rc = reseal_meta_put(txn, d->meta, name, fp, sizeof fp))) return rc;
        } else if (rc) {
            return rc;
        } else if (v.mv_size != sizeof fp || memcmp(v.mv_data, fp, sizeof fp) != 0) {
            snprintf(err, errlen,
                     "%s 里的 key-%u 不是加密 %s 的那把 key-%u (key-%u in %s is not the key-%u "
                     "that sealed %s)",
                     file, id, dir, id, id, file, id, dir);
            return -1;
        }
    }
    if ((rc = reseal_form(d, txn, ring))) return rc;
    if (current_listed) return 0;
    ids[n++] = (unsigned char)ring->current;
    if ((rc = reseal_meta_put(txn, d->meta, "seal.keys", ids, n))) return rc;
    if (n > 1) {
        /* Values under the older keys: move them (from the first table). */
        if ((rc = reseal_start(d, txn, 0, ring))) return rc;
        log_info("data key: key-%u seals from now on; re-sealing the values under the older "
                 "keys in the background",
                 ring->current);
    }
    return 0;
}

int reseal_open(daemon_t *d, MDB_txn *txn)
{
    char err[1200];
    int rc = reseal_check(d, txn, d->sec.ring, d->sec.data_key_path, err, sizeof err);
    if (rc == -1) {
        log_error("data key: %s", err);
        return -EKEYREJECTED;
    }
    if (rc) return rc;
    store_seal(&d->store, d->sec.ring, d->svc->name);
    d->reseal_due = d->sec.ring && reseal_pending(txn, d);
    if (!d->sec.ring && !d->test_mode)
        log_warn("[security] data_key: none, personal data is stored in clear (only to measure "
                 "what sealing costs; never with real data)");
    return 0;
}

int reseal_reload(daemon_t *d, MDB_txn *txn, char *err, size_t errlen)
{
    if (!d->sec.ring) return 0;
    seal_ring_t fresh;
    if (security_ring_read(&d->sec, &fresh, err, errlen) < 0) return -1;
    int rc = reseal_check(d, txn, &fresh, d->sec.data_key_path, err, errlen);
    if (rc == 0) {
        unsigned before = d->sec.ring->current;
        *d->sec.ring = fresh; /* the store keeps pointing at d->sec.ring */
        d->reseal_due = reseal_pending(txn, d);
        if (before != fresh.current) log_info("data key: key-%u replaces key-%u", fresh.current, before);
    } else if (rc > 0 || rc < -1) {
        snprintf(err, errlen, "storage: %s", store_strerror(rc));
    }
    seal_ring_wipe(&fresh);
    return rc == 0 ? 0 : -1;
}

/* Re-seals the value under k in dbi with the current key. 0, 1 when it
 * does not open (left as it is, logged), or a store error. */
static int reseal_one(daemon_t *d, MDB_txn *txn, const char *table, MDB_dbi dbi, MDB_val *k)
{
    MDB_val v;
    int rc = store_rc(mdb_get(txn, dbi, k, &v));
    if (rc) return rc == MDB_NOTFOUND ? 0 : rc;
    rc = store_value(txn, k, &v);
    if (rc) {
        log_error("re-seal: a value in table %s does not open (%s): left as it is", table,
                  store_strerror(rc));
        /* It may name a planned dictionary: this pass drops none. */
        rc = reseal_plan_cancel(d, txn);
        return rc ? rc : 1;
    }
    unsigned char *clear = arena_alloc(&d->arena, v.mv_size + 1);
    memcpy(clear, v.mv_data, v.mv_size);
    store_wipe(txn);
    rc = store_put_value(txn, dbi, k->mv_data, k->mv_size, clear, v.mv_size, 0);
    sodium_memzero(clear, v.mv_size);
    return rc;
}

/* Looks at the values of table i after `after` (NULL: from the first), and
 * re-seals those not under the current key, within the turn's budgets.
 * Sets *last to the last key looked at (arena), NULL when the table ended. */
static int reseal_table(daemon_t *d, MDB_txn *txn, int i, const MDB_val *after, MDB_val *last,
                        size_t *visited, size_t *moved)
{
    MDB_dbi dbi = d->store.sealed[i].dbi;
    MDB_val *moving = arena_alloc(&d->arena, RESEAL_MOVE_MAX * sizeof *moving);
    size_t n = 0;
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(txn, dbi, &c));
    if (rc) return rc;
    MDB_val k = after ? *after : (MDB_val){0, NULL}, v;
    int op = after ? MDB_SET_RANGE : MDB_FIRST;
    last->mv_data = NULL;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (after && k.mv_size == after->mv_size && memcmp(k.mv_data, after->mv_data, k.mv_size) == 0)
            continue;
        if (*visited >= RESEAL_VISIT_MAX || n == RESEAL_MOVE_MAX) break;
        ++*visited;
        *last = k;
        if (seal_is_current(d->sec.ring, v.mv_data, v.mv_size))
            continue;
        moving[n].mv_size = k.mv_size;
        moving[n].mv_data = arena_alloc(&d->arena, k.mv_size ? k.mv_size : 1);
        memcpy(moving[n].mv_data, k.mv_data, k.mv_size);
        n++;
    }
    int ended = rc == MDB_NOTFOUND;
    if (last->mv_data) {
        void *copy = arena_alloc(&d->arena, last->mv_size ? last->mv_size : 1);
        memcpy(copy, last->mv_data, last->mv_size);
        last->mv_data = copy;
    }
    mdb_cursor_close(c);
    if (rc && !ended) return store_rc(rc);
    if (ended) last->mv_data = NULL;
    for (size_t j = 0; j < n; j++) {
        rc = reseal_one(d, txn, d->store.sealed[i].name, dbi, &moving[j]);
        if (rc < 0 || rc > 1) return rc;
        if (rc == 0) ++*moved;
    }
    if (!ended && !last->mv_data) { /* nothing looked at yet: from its first again */
        last->mv_data = (void *)"";
        last->mv_size = 0;
    }
    return 0;
}

int reseal_step(daemon_t *d, MDB_txn *txn)
{
    if (!d->reseal_due || !d->sec.ring) return 0;
    MDB_val pass;
    int rc = reseal_meta_get(txn, d->meta, "seal.pass", &pass);
    if (rc == MDB_NOTFOUND) {
        d->reseal_due = 0;
        return 0;
    }
    if (rc) return rc;
    /* "table NUL last key", or "" at the start. */
    const char *name = pass.mv_data;
    size_t nlen = strnlen(name, pass.mv_size);
    int i = 0;
    MDB_val after = {0, NULL}, *from = NULL;
    if (nlen && nlen < pass.mv_size) {
        for (i = 0; i < d->store.n_sealed; i++)
            if (strlen(d->store.sealed[i].name) == nlen &&
                memcmp(d->store.sealed[i].name, name, nlen) == 0)
                break;
        after.mv_size = pass.mv_size - nlen - 1;
        after.mv_data = arena_alloc(&d->arena, after.mv_size + 1);
        memcpy(after.mv_data, name + nlen + 1, after.mv_size);
        from = after.mv_size ? &after : NULL;
        if (i == d->store.n_sealed) i = 0, from = NULL; /* a table this version lacks */
    }
    size_t visited = 0, moved = 0;
    MDB_val last = {0, NULL};
    while (i < d->store.n_sealed && visited < RESEAL_VISIT_MAX && moved < RESEAL_MOVE_MAX) {
        rc = reseal_table(d, txn, i, from, &last, &visited, &moved);
        if (rc) return rc;
        if (last.mv_data) break; /* the budget ran out inside table i */
        i++;
        from = NULL;
    }
    uint64_t total;
    if ((rc = store_get_u64(txn, d->meta, "seal.moved", &total))) return rc;
    total += moved;
    if ((rc = store_put_u64(txn, d->meta, "seal.moved", total))) return rc;
    if (i < d->store.n_sealed) {
        if (!last.mv_data) last.mv_size = 0; /* table i from its first value */
        const char *tn = d->store.sealed[i].name;
        size_t tl = strlen(tn);
        unsigned char *p = arena_alloc(&d->arena, tl + 1 + last.mv_size);
        memcpy(p, tn, tl + 1);
        if (last.mv_size) memcpy(p + tl + 1, last.mv_data, last.mv_size);
        return reseal_meta_put(txn, d->meta, "seal.pass", p, tl + 1 + last.mv_size);
    }
    /* Done: only the current key seals anything here now. */
    unsigned char id = (unsigned char)d->sec.ring->current;
    if ((rc = reseal_meta_put(txn, d->meta, "seal.keys", &id, 1))) return rc;
    MDB_val pk = {9, "seal.pass"};
    if ((rc = store_rc(mdb_del(txn, d->meta, &pk, NULL)))) return rc;
    size_t dropped = 0;
    MDB_val planned;
    rc = reseal_meta_get(txn, d->meta, "seal.zdrop.key", &planned);
    if (rc && rc != MDB_NOTFOUND) return rc;
    if (rc || planned.mv_size != 1 || *(const unsigned char *)planned.mv_data != id || !d->store.zpack)
        rc = reseal_plan_cancel(d, txn);
    else if (!(rc = store_rc(zpack_retire(d->store.zpack, txn, d->meta, "seal.zdrop", &dropped))))
        rc = reseal_plan_cancel(d, txn); /* the key the plan was for */
    if (rc) return rc;
    if (dropped)
        log_info("re-seal: %zu packing dictionaries that no value names any more dropped", dropped);
    d->reseal_done = 1;
    log_info("re-seal done: %llu values moved to key-%u; the older keys may now leave the key "
             "file (legalaidctl keys data-key retire)",
             (unsigned long long)total, d->sec.ring->current);
    return 0;
}

int reseal_counters(daemon_t *d, MDB_txn *txn, uint64_t out[RESEAL_COUNTERS])
{
    memset(out, 0, RESEAL_COUNTERS * sizeof *out);
    if (!d->sec.ring) return 0;
    MDB_val v;
    out[0] = d->sec.ring->current;
    int rc = reseal_meta_get(txn, d->meta, "seal.keys", &v);
    if (rc && rc != MDB_NOTFOUND) return rc;
    out[1] = rc ? 0 : v.mv_size;
    out[2] = reseal_pending(txn, d);
    return store_get_u64(txn, d->meta, "seal.moved", &out[3]);
}
