/*
 * store.c - LMDB environment and value helpers (see store.h).
 */
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <sodium.h>

#include "log.h"
#include "store_tally.h"
#include "xalloc.h"
#include "zpack.h"

int store_open(store_t *s, const char *dir, size_t map_size, int nosync)
{
    memset(s, 0, sizeof *s);
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) return -errno;
    int rc = mdb_env_create(&s->env);
    if (rc) return store_rc(rc);
    mdb_env_set_userctx(s->env, s);
    mdb_env_set_maxdbs(s->env, STORE_MAX_TABLES);
    mdb_env_set_maxreaders(s->env, 126);
    rc = mdb_env_set_mapsize(s->env, map_size);
    if (!rc) rc = mdb_env_open(s->env, dir, nosync ? MDB_NOSYNC : 0, 0600);
    if (rc) {
        mdb_env_close(s->env);
        s->env = NULL;
        return store_rc(rc);
    }
    /* The map may be larger than configured if it grew in an earlier run. */
    MDB_envinfo info;
    mdb_env_info(s->env, &info);
    s->map_size = info.me_mapsize;
    int dead = 0;
    mdb_reader_check(s->env, &dead);
    if (dead) log_warn("cleared %d stale LMDB readers in %s", dead, dir);
    s->dir = xstrdup(dir);
    return 0;
}

void store_close(store_t *s)
{
    if (s->env) mdb_env_close(s->env);
    s->env = NULL;
    free(s->dir);
    s->dir = NULL;
    if (s->scratch) sodium_memzero(s->scratch, s->scratch_cap);
    free(s->scratch);
    s->scratch = NULL;
    s->scratch_cap = 0;
    if (s->packed) sodium_memzero(s->packed, s->packed_cap);
    free(s->packed);
    s->packed = NULL;
    s->packed_cap = 0;
    zpack_free(s->zpack);
    s->zpack = NULL;
    s->n_sealed = 0;
    s->ring = NULL;
}

void store_seal(store_t *s, const seal_ring_t *ring, const char *owner)
{
    s->ring = ring;
    s->owner = owner;
}

int store_pack(store_t *s, MDB_txn *txn)
{
    if (s->zpack) return 0;
    int rc = store_table_sealed(txn, "zdicts", &s->zdicts);
    if (!rc) rc = store_rc(zpack_open(&s->zpack, txn, s->zdicts, s->owner));
    return rc;
}

static store_t *store_of(MDB_txn *txn)
{
    return mdb_env_get_userctx(mdb_txn_env(txn));
}

/* A buffer of n bytes or more at *buf (cap *cap), wiped before it moves. */
static unsigned char *store_buffer(unsigned char **buf, size_t *cap, size_t n)
{
    if (n > *cap) {
        if (*buf) sodium_memzero(*buf, *cap);
        free(*buf);
        *cap = n < 4096 ? 4096 : n * 2;
        *buf = xmalloc(*cap);
    }
    return *buf;
}

static unsigned char *store_scratch(store_t *s, size_t n)
{
    return store_buffer(&s->scratch, &s->scratch_cap, n);
}

/* The sealed table dbi while sealing (its index in s->sealed), or -1. */
static int store_sealing(const store_t *s, MDB_dbi dbi)
{
    if (!s->ring) return -1;
    for (int i = 0; i < s->n_sealed; i++)
        if (s->sealed[i].dbi == dbi) return i;
    return -1;
}

/* One store per process: one lock for its copies. */
static pthread_mutex_t store_copy_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t store_copy_done = PTHREAD_COND_INITIALIZER;

void store_copy_hold(store_t *s)
{
    pthread_mutex_lock(&store_copy_lock);
    s->copying++;
    pthread_mutex_unlock(&store_copy_lock);
}

void store_copy_release(store_t *s)
{
    pthread_mutex_lock(&store_copy_lock);
    s->copying--;
    pthread_cond_broadcast(&store_copy_done);
    pthread_mutex_unlock(&store_copy_lock);
}

int store_copy_fd(store_t *s, int fd)
{
    store_copy_hold(s);
    int rc = mdb_env_copyfd2(s->env, fd, MDB_CP_COMPACT);
    store_copy_release(s);
    return store_rc(rc);
}

int store_last_txnid(store_t *s, uint64_t *txnid)
{
    store_copy_hold(s);
    MDB_envinfo info;
    int rc = mdb_env_info(s->env, &info);
    if (!rc) *txnid = (uint64_t)info.me_last_txnid;
    store_copy_release(s);
    return store_rc(rc);
}

int store_grow(store_t *s)
{
    size_t next = s->map_size * 2;
    pthread_mutex_lock(&store_copy_lock);
    if (s->copying) log_info("LMDB map full while a backup copy runs: growing after it");
    while (s->copying) pthread_cond_wait(&store_copy_done, &store_copy_lock);
    /* Held across the remap: a copy that began now would read the map
     * while it moves. */
    int rc = mdb_env_set_mapsize(s->env, next);
    if (!rc) s->map_size = next; /* read by a copy's worker (store_repack) */
    pthread_mutex_unlock(&store_copy_lock);
    if (rc) return store_rc(rc);
    log_info("LMDB map grown dir=%s map_size=%zu", s->dir, next);
    return 0;
}

int store_table(MDB_txn *txn, const char *name, MDB_dbi *dbi)
{
    return store_rc(mdb_dbi_open(txn, name, MDB_CREATE, dbi));
}

static int store_table_sealed_as(MDB_txn *txn, const char *name, MDB_dbi *dbi, int brief)
{
    int rc = store_table(txn, name, dbi);
    store_t *s = store_of(txn);
    if (rc || !s) return rc;
    for (int i = 0; i < s->n_sealed; i++)
        if (s->sealed[i].dbi == *dbi) return 0;
    if (s->n_sealed == STORE_MAX_TABLES) return -ENOSPC;
    s->sealed[s->n_sealed].name = name;
    s->sealed[s->n_sealed].dbi = *dbi;
    s->sealed[s->n_sealed].brief = brief;
    s->n_sealed++;
    return 0;
}

int store_table_sealed(MDB_txn *txn, const char *name, MDB_dbi *dbi)
{
    return store_table_sealed_as(txn, name, dbi, 0);
}

int store_table_brief(MDB_txn *txn, const char *name, MDB_dbi *dbi)
{
    return store_table_sealed_as(txn, name, dbi, 1);
}

int store_table_drop(MDB_txn *txn, const char *name, size_t *dropped)
{
    if (dropped) *dropped = 0;
    MDB_dbi dbi;
    int rc = mdb_dbi_open(txn, name, 0, &dbi);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    MDB_stat st;
    rc = mdb_stat(txn, dbi, &st);
    if (!rc && dropped) *dropped = st.ms_entries;
    if (!rc) rc = mdb_drop(txn, dbi, 1);
    return store_rc(rc);
}

int store_disk_full(const store_t *s, int rc)
{
    if (rc == -ENOSPC || rc == -EDQUOT) return 1;
    if (rc != -EIO || !s->dir) return 0;
    struct statvfs fs;
    return statvfs(s->dir, &fs) == 0 && (uint64_t)fs.f_bavail * fs.f_frsize < STORE_FULL_BYTES;
}

static uint64_t store_undone_count;
static int store_depth_now;
static size_t store_write_txnid;
static void (*store_end_fn)(int undone, int depth);

int store_begin(MDB_env *env, MDB_txn *parent, MDB_txn **txn)
{
    /* The parent's tallies first: a child must not take them with it. */
    int rc = parent ? store_tally_child(parent) : 0;
    if (!rc) rc = store_rc(mdb_txn_begin(env, parent, 0, txn));
    if (rc) return rc;
    store_tally_begin(*txn, parent);
    if (!parent) store_write_txnid = mdb_txn_id(*txn);
    store_depth_now++;
    return rc;
}

static void store_end(int undone)
{
    int depth = store_depth_now > 0 ? store_depth_now-- : 0;
    if (undone) store_undone_count++;
    if (store_end_fn && depth > 0) store_end_fn(undone, depth);
}

int store_commit(MDB_txn *txn)
{
    store_t *s = store_of(txn);
    int rc = store_tally_end(txn, 1);
    if (rc)
        mdb_txn_abort(txn);
    else
        rc = store_rc(mdb_txn_commit(txn));
    /* a failed commit: LMDB has freed it, nothing written */
    if (s) zpack_end(s->zpack, rc != 0, store_depth_now);
    store_end(rc != 0);
    return rc;
}

void store_undo(MDB_txn *txn)
{
    store_t *s = store_of(txn);
    store_tally_end(txn, 0);
    mdb_txn_abort(txn);
    if (s) zpack_end(s->zpack, 1, store_depth_now);
    store_end(1);
}

uint64_t store_undone(void)
{
    return store_undone_count;
}

int store_depth(void)
{
    return store_depth_now;
}

size_t store_write_id(void)
{
    return store_depth_now > 0 ? store_write_txnid : 0;
}

void store_on_end(void (*fn)(int undone, int depth))
{
    store_end_fn = fn;
}

const char *store_strerror(int rc)
{
    if (rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE) return mdb_strerror(rc);
    return strerror(rc < 0 ? -rc : rc);
}

int store_get_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t *value)
{
    MDB_val k = {strlen(key), (void *)key}, v;
    int rc = mdb_get(txn, dbi, &k, &v);
    if (rc == MDB_NOTFOUND) {
        *value = 0;
        return 0;
    }
    if (rc) return store_rc(rc);
    if (v.mv_size != 8) return -EBADMSG;
    *value = store_from_be64(v.mv_data);
    return 0;
}

int store_put_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t value)
{
    unsigned char buf[8];
    store_be64(value, buf);
    MDB_val k = {strlen(key), (void *)key}, v = {8, buf};
    return store_rc(mdb_put(txn, dbi, &k, &v, 0));
}

int store_put_pb(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t keylen,
                 const ProtobufCMessage *m, unsigned flags)
{
    size_t len = protobuf_c_message_get_packed_size(m);
    store_t *s = store_of(txn);
    if (s && store_sealing(s, dbi) >= 0) {
        unsigned char *clear = store_scratch(s, len);
        protobuf_c_message_pack(m, clear);
        int rc = store_put_value(txn, dbi, key, keylen, clear, len, flags);
        sodium_memzero(clear, len);
        return rc;
    }
    MDB_val k = {keylen, (void *)key}, v = {len, NULL};
    int rc = mdb_put(txn, dbi, &k, &v, flags | MDB_RESERVE);
    if (rc) return store_rc(rc);
    protobuf_c_message_pack(m, v.mv_data);
    return 0;
}

int store_put_value(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t keylen, const void *data,
                    size_t n, unsigned flags)
{
    store_t *s = store_of(txn);
    MDB_val k = {keylen, (void *)key}, v = {n, (void *)data};
    int i = s ? store_sealing(s, dbi) : -1;
    if (i < 0) return store_rc(mdb_put(txn, dbi, &k, &v, flags));
    const void *packed = NULL;
    size_t pn = 0;
    int rc = s->sealed[i].brief ? 0
                                : zpack_pack(s->zpack, txn, s->ring, dbi, s->sealed[i].name, data,
                                             n, &packed, &pn, store_depth_now);
    if (rc < 0) return store_rc(rc);
    int kind = rc == 1 ? SEAL_PACKED : SEAL_CLEAR;
    if (rc == 1) {
        data = packed;
        n = pn;
    }
    v.mv_size = n + SEAL_OVERHEAD;
    v.mv_data = NULL;
    rc = mdb_put(txn, dbi, &k, &v, flags | MDB_RESERVE);
    if (!rc) seal_value_as(s->ring, kind, s->owner, key, keylen, data, n, v.mv_data);
    if (kind == SEAL_PACKED) sodium_memzero((void *)packed, pn);
    return store_rc(rc);
}

/* Opens the packed value v into the scratch (zpack.h). */
static int store_unpacked_value(store_t *s, MDB_txn *txn, const MDB_val *k, MDB_val *v)
{
    size_t n = seal_value_len(v->mv_data, v->mv_size);
    unsigned char *packed = store_buffer(&s->packed, &s->packed_cap, n + 1);
    int rc = seal_open(s->ring, s->owner, k->mv_data, k->mv_size, v->mv_data, v->mv_size, packed);
    long size = rc ? rc : zpack_size(packed, n);
    if (size < 0) rc = (int)size;
    unsigned char *clear = rc ? NULL : store_scratch(s, (size_t)size + 1);
    if (!rc) rc = zpack_unpack(s->zpack, txn, s->ring, packed, n, clear, (size_t)size);
    sodium_memzero(packed, n);
    if (rc && clear) sodium_memzero(clear, (size_t)size); /* what a failed unpack left */
    if (rc) return rc;
    v->mv_data = clear;
    v->mv_size = (size_t)size;
    return 0;
}

int store_value(MDB_txn *txn, const MDB_val *k, MDB_val *v)
{
    if (!seal_is_sealed(v->mv_data, v->mv_size)) return 0;
    store_t *s = store_of(txn);
    if (seal_kind(v->mv_data) == SEAL_PACKED) return store_unpacked_value(s, txn, k, v);
    size_t n = seal_value_len(v->mv_data, v->mv_size);
    unsigned char *clear = store_scratch(s, n + 1);
    int rc = seal_open(s->ring, s->owner, k->mv_data, k->mv_size, v->mv_data, v->mv_size, clear);
    if (rc) return rc;
    v->mv_data = clear;
    v->mv_size = n;
    return 0;
}

int store_unpack(MDB_txn *txn, const MDB_val *k, const MDB_val *v,
                 const ProtobufCMessageDescriptor *desc, ProtobufCAllocator *allocator,
                 ProtobufCMessage **out)
{
    MDB_val clear = *v;
    *out = NULL;
    int rc = store_value(txn, k, &clear);
    if (rc) return rc;
    *out = protobuf_c_message_unpack(desc, allocator, clear.mv_size, clear.mv_data);
    if (clear.mv_data != v->mv_data) sodium_memzero(clear.mv_data, clear.mv_size);
    return *out ? 0 : -EBADMSG;
}

size_t store_hash(MDB_txn *txn, const char *domain, const void *data, size_t n,
                  unsigned char out[SEAL_HASH_LEN])
{
    store_t *s = store_of(txn);
    seal_hash(s ? s->ring : NULL, domain, data, n, out);
    return SEAL_HASH_LEN;
}

void store_wipe(MDB_txn *txn)
{
    store_t *s = store_of(txn);
    if (s && s->scratch) sodium_memzero(s->scratch, s->scratch_cap);
}

int store_get_pb(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t keylen,
                 const ProtobufCMessageDescriptor *desc, ProtobufCAllocator *allocator,
                 ProtobufCMessage **out)
{
    MDB_val k = {keylen, (void *)key}, v;
    int rc = mdb_get(txn, dbi, &k, &v);
    if (rc) return store_rc(rc);
    return store_unpack(txn, &k, &v, desc, allocator, out);
}

uint64_t store_count(MDB_txn *txn, MDB_dbi dbi)
{
    MDB_stat st;
    if (mdb_stat(txn, dbi, &st)) return 0;
    return st.ms_entries;
}

int store_each_pb(MDB_txn *txn, MDB_dbi dbi, const ProtobufCMessageDescriptor *desc,
                  store_each_fn fn, void *ctx)
{
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(txn, dbi, &cur));
    if (rc) return rc;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        ProtobufCMessage *m = store_unpacked(txn, &k, &v, desc, NULL);
        if (!m) continue;
        int frc = fn(txn, m, ctx);
        protobuf_c_message_free_unpacked(m, NULL);
        if (frc) {
            mdb_cursor_close(cur);
            return frc;
        }
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int store_next_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t *next)
{
    int rc = store_get_u64(txn, dbi, key, next);
    if (rc) return rc;
    ++*next;
    return store_put_u64(txn, dbi, key, *next);
}
