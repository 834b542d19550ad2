/*
 * due.c - the due-time index (see due.h): one key layout and one tick for
 * the deadlines of dispatch, eligibility, roster and notify.
 */
#include "due.h"

#include <errno.h>
#include <string.h>

#include "store.h"

#define DUE_HEAD 9 /* due_at BE64 | kind */

static int due_key(unsigned char key[DUE_HEAD + DUE_ID_MAX], int64_t due_at, int kind,
                   const void *id, size_t len, MDB_val *k)
{
    if (!id || len == 0 || len > DUE_ID_MAX) return -EINVAL;
    store_be64((uint64_t)due_at, key);
    key[8] = (unsigned char)kind;
    memcpy(key + DUE_HEAD, id, len);
    k->mv_size = DUE_HEAD + len;
    k->mv_data = key;
    return 0;
}

int due_put(MDB_txn *txn, MDB_dbi dbi, int64_t due_at, int kind, const void *id, size_t len)
{
    unsigned char key[DUE_HEAD + DUE_ID_MAX];
    MDB_val k, v = {0, ""};
    if (due_at <= 0) return 0;
    int rc = due_key(key, due_at, kind, id, len, &k);
    if (rc) return rc;
    return store_rc(mdb_put(txn, dbi, &k, &v, 0));
}

int due_del(MDB_txn *txn, MDB_dbi dbi, int64_t due_at, int kind, const void *id, size_t len)
{
    unsigned char key[DUE_HEAD + DUE_ID_MAX];
    MDB_val k;
    if (due_at <= 0) return 0;
    int rc = due_key(key, due_at, kind, id, len, &k);
    if (rc) return rc;
    rc = mdb_del(txn, dbi, &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int due_tick(turn_t *t, MDB_dbi dbi, size_t max, due_fire_cb fire, void *arg, size_t *fired)
{
    size_t n = 0;
    int rc = 0;
    if (max == 0) max = DUE_TICK_MAX;
    while (n < max) {
        /* The callback writes to this and other tables: the cursor is
         * opened afresh and positioned at the first entry each time. */
        MDB_cursor *cur;
        rc = store_rc(mdb_cursor_open(t->txn, dbi, &cur));
        if (rc) break;
        MDB_val k, v;
        rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
        if (rc) {
            mdb_cursor_close(cur);
            rc = rc == MDB_NOTFOUND ? 0 : store_rc(rc);
            break;
        }
        if (k.mv_size <= DUE_HEAD || k.mv_size > DUE_HEAD + DUE_ID_MAX) {
            rc = store_rc(mdb_cursor_del(cur, 0));
            mdb_cursor_close(cur);
            if (rc) break;
            continue;
        }
        int64_t due_at = (int64_t)store_from_be64(k.mv_data);
        if (due_at > t->now) {
            mdb_cursor_close(cur);
            break;
        }
        int kind = ((const unsigned char *)k.mv_data)[8];
        size_t len = k.mv_size - DUE_HEAD;
        char id[DUE_ID_MAX + 1];
        memcpy(id, (const unsigned char *)k.mv_data + DUE_HEAD, len);
        id[len] = 0;
        rc = store_rc(mdb_cursor_del(cur, 0));
        mdb_cursor_close(cur);
        if (rc) break;
        n++;
        rc = fire(t, due_at, kind, id, len, arg);
        if (rc) break;
    }
    if (fired) *fired = n;
    return rc;
}

uint64_t due_count(MDB_txn *txn, MDB_dbi dbi)
{
    return store_count(txn, dbi);
}
