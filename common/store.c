/*
 * store.c - LMDB environment and value helpers (see store.h).
 */
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "xalloc.h"

#define STORE_MAX_TABLES 32

int store_open(store_t *s, const char *dir, size_t map_size, int nosync)
{
    memset(s, 0, sizeof *s);
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) return -errno;
    int rc = mdb_env_create(&s->env);
    if (rc) return store_rc(rc);
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
}

int store_grow(store_t *s)
{
    size_t next = s->map_size * 2;
    int rc = mdb_env_set_mapsize(s->env, next);
    if (rc) return store_rc(rc);
    log_info("LMDB map grown dir=%s map_size=%zu", s->dir, next);
    s->map_size = next;
    return 0;
}

int store_table(MDB_txn *txn, const char *name, MDB_dbi *dbi)
{
    return store_rc(mdb_dbi_open(txn, name, MDB_CREATE, dbi));
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
    MDB_val k = {keylen, (void *)key}, v = {len, NULL};
    int rc = mdb_put(txn, dbi, &k, &v, flags | MDB_RESERVE);
    if (rc) return store_rc(rc);
    protobuf_c_message_pack(m, v.mv_data);
    return 0;
}

int store_get_pb(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t keylen,
                 const ProtobufCMessageDescriptor *desc, ProtobufCAllocator *allocator,
                 ProtobufCMessage **out)
{
    MDB_val k = {keylen, (void *)key}, v;
    int rc = mdb_get(txn, dbi, &k, &v);
    if (rc) return store_rc(rc);
    *out = protobuf_c_message_unpack(desc, allocator, v.mv_size, v.mv_data);
    return *out ? 0 : -EBADMSG;
}

uint64_t store_count(MDB_txn *txn, MDB_dbi dbi)
{
    MDB_stat st;
    if (mdb_stat(txn, dbi, &st)) return 0;
    return st.ms_entries;
}

int store_next_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t *next)
{
    int rc = store_get_u64(txn, dbi, key, next);
    if (rc) return rc;
    ++*next;
    return store_put_u64(txn, dbi, key, *next);
}
