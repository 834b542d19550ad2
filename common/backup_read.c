/*
 * backup_read.c - the summary of a copy (see backup_read.h). Only the
 * tables that are never sealed are read (keys of "log", "consumers",
 * "offsets", "meta"), so no data key is needed.
 */
#include "backup_read.h"

#include <stdio.h>
#include <string.h>

#include "store.h"

static void backup_read_name(const MDB_val *k, char out[BACKUP_READ_NAME])
{
    size_t n = k->mv_size < BACKUP_READ_NAME - 1 ? k->mv_size : BACKUP_READ_NAME - 1;
    memcpy(out, k->mv_data, n);
    out[n] = 0;
}

/* Each key of table with the big-endian u64 at the start of its value. */
static int backup_read_positions(MDB_txn *txn, const char *table, backup_read_position_t *out,
                                 size_t *n, int *truncated)
{
    MDB_dbi dbi;
    *n = 0;
    int rc = mdb_dbi_open(txn, table, 0, &dbi);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(txn, dbi, &c))) return store_rc(rc);
    MDB_val k, v;
    for (int op = MDB_FIRST; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        if (v.mv_size < 8) continue;
        if (*n == BACKUP_READ_ENTRIES) {
            *truncated = 1;
            break;
        }
        backup_read_name(&k, out[*n].name);
        out[*n].seq = store_from_be64(v.mv_data);
        (*n)++;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

static int backup_read_meta(MDB_txn *txn, MDB_dbi meta, const char *key, uint64_t *value)
{
    MDB_val k = {strlen(key), (void *)key}, v;
    *value = 0;
    int rc = mdb_get(txn, meta, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    if (v.mv_size == 8) *value = store_from_be64(v.mv_data);
    return 0;
}

/* meta upstream.<name>.lost_from / .lost_to, name by name. */
static int backup_read_lost(MDB_txn *txn, MDB_dbi meta, backup_summary_t *out)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, meta, &c);
    if (rc) return store_rc(rc);
    static const char prefix[] = "upstream.", suffix[] = ".lost_from";
    MDB_val k = {sizeof prefix - 1, (void *)prefix}, v;
    for (int op = MDB_SET_RANGE; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        if (k.mv_size < sizeof prefix - 1 || memcmp(k.mv_data, prefix, sizeof prefix - 1)) break;
        size_t n = k.mv_size - (sizeof prefix - 1), s = sizeof suffix - 1;
        const char *name = (const char *)k.mv_data + sizeof prefix - 1;
        if (n <= s || n - s >= BACKUP_READ_NAME || memcmp(name + n - s, suffix, s) ||
            v.mv_size != 8 || store_from_be64(v.mv_data) == 0)
            continue;
        if (out->n_lost == BACKUP_READ_ENTRIES) {
            out->truncated = 1;
            break;
        }
        backup_read_lost_t *l = &out->lost[out->n_lost++];
        memcpy(l->name, name, n - s);
        l->name[n - s] = 0;
        l->from = store_from_be64(v.mv_data);
        char key[BACKUP_READ_NAME + 32];
        snprintf(key, sizeof key, "upstream.%s.lost_to", l->name);
        MDB_val tk = {strlen(key), key}, tv;
        if (mdb_get(txn, meta, &tk, &tv) == 0 && tv.mv_size == 8)
            l->to = store_from_be64(tv.mv_data);
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int backup_read_txn(MDB_txn *txn, backup_summary_t *out)
{
    memset(out, 0, sizeof *out);
    MDB_dbi dbi;
    int rc = mdb_dbi_open(txn, "log", 0, &dbi);
    if (rc == 0) {
        MDB_cursor *c;
        if ((rc = mdb_cursor_open(txn, dbi, &c))) return store_rc(rc);
        MDB_val k, v;
        rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
        if (rc == 0 && k.mv_size == 8) out->head = store_from_be64(k.mv_data);
        mdb_cursor_close(c);
    }
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    rc = mdb_dbi_open(txn, "meta", 0, &dbi);
    if (rc == 0) rc = backup_read_meta(txn, dbi, BACKUP_READ_EPOCH, &out->epoch);
    if (rc == 0) rc = backup_read_meta(txn, dbi, BACKUP_READ_RESTORED, &out->restored_seq);
    if (rc == 0) rc = backup_read_meta(txn, dbi, BACKUP_READ_LOST_FROM, &out->lost_from);
    if (rc == 0) rc = backup_read_meta(txn, dbi, BACKUP_READ_LOST_TO, &out->lost_to);
    if (rc == 0) rc = backup_read_lost(txn, dbi, out);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    if (out->epoch == 0) out->epoch = 1;
    rc = backup_read_positions(txn, "consumers", out->consumers, &out->n_consumers,
                               &out->truncated);
    if (!rc)
        rc = backup_read_positions(txn, "offsets", out->upstreams, &out->n_upstreams,
                                   &out->truncated);
    return rc;
}

int backup_read_summary(const char *path, int single_file, backup_summary_t *out)
{
    MDB_env *env;
    int rc = mdb_env_create(&env);
    if (rc) return store_rc(rc);
    mdb_env_set_maxdbs(env, 64);
    unsigned flags = MDB_RDONLY | MDB_NOLOCK | (single_file ? MDB_NOSUBDIR : 0);
    rc = mdb_env_open(env, path, flags, 0600);
    MDB_txn *txn = NULL;
    if (!rc) rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
    if (!rc) {
        rc = backup_read_txn(txn, out);
        mdb_txn_abort(txn);
    }
    mdb_env_close(env);
    return store_rc(rc);
}
