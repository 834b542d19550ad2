/*
 * store_repack.c - a copy of the environment with its pages full, for a
 * compaction (compact.c; store.h says what each function promises).
 *
 * Why. LMDB splits a full leaf in two halves. A table whose entries come
 * in key order at its end (a log, the waiting notifications by id) fills its pages;
 * one whose entries come at scattered places (an index by case, by keyed
 * hash, a timer per case) keeps them between half and two thirds full,
 * and its pages never fill again. MDB_CP_COMPACT drops the free pages but
 * copies each page in use as it is. Here every entry of every table is put
 * again, in key order with MDB_APPEND, into a new file: each page is
 * filled before the next begins. On the stores of a 20,000-application run
 * at 2,000/s this took the tables kept for good from 4,592 bytes an
 * application to 3,684 (README "Compaction").
 *
 * The copy reads one snapshot of the environment (a read transaction of
 * the calling thread) and writes a new environment at path (MDB_NOSUBDIR,
 * no lock file: nothing else opens it), without a sync at each of its
 * commits, then once, forced, at the end. The tables' handles are the
 * ones store_repack_tables opened on the thread that writes: LMDB forbids opening
 * a handle while another transaction of the process opens one, and a
 * worker thread cannot know that the loop will not.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

/* Puts in one write transaction of the copy: its dirty pages stay few. */
#define REPACK_TXN_PUTS 20000

/* The flags of a table that say how its keys compare (no table of this
 * code has one; a table with duplicate keys is not copied here at all). */
#define REPACK_KEY_FLAGS (MDB_REVERSEKEY | MDB_INTEGERKEY)

int store_repack_tables(store_t *s, store_table_ref_t *refs, int max, int *n)
{
    *n = 0;
    MDB_txn *txn;
    MDB_cursor *c;
    MDB_dbi main;
    int rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn);
    if (rc) return store_rc(rc);
    rc = mdb_dbi_open(txn, NULL, 0, &main);
    if (!rc) rc = mdb_cursor_open(txn, main, &c);
    if (rc) {
        mdb_txn_abort(txn);
        return store_rc(rc);
    }
    MDB_val k, v;
    for (int op = MDB_FIRST; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        if (*n == max || k.mv_size >= sizeof refs->name) {
            rc = -E2BIG;
            break;
        }
        store_table_ref_t *r = &refs[(*n)++];
        memcpy(r->name, k.mv_data, k.mv_size);
        r->name[k.mv_size] = 0;
        if (strlen(r->name) != k.mv_size) { /* a NUL inside: not a name this code gave */
            rc = -EINVAL;
            break;
        }
        rc = mdb_dbi_open(txn, r->name, 0, &r->dbi); /* MDB_INCOMPATIBLE: not a table */
        if (rc) break;
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) {
        mdb_txn_abort(txn);
        *n = 0;
        return store_rc(rc);
    }
    return store_rc(mdb_txn_commit(txn)); /* the handles stay open */
}

/* The ref of the table named k, or NULL. */
static const store_table_ref_t *repack_ref(const MDB_val *k, const store_table_ref_t *refs, int n)
{
    for (int i = 0; i < n; i++)
        if (strlen(refs[i].name) == k->mv_size && memcmp(refs[i].name, k->mv_data, k->mv_size) == 0)
            return &refs[i];
    return NULL;
}

typedef struct repack {
    MDB_env *out;
    MDB_txn *wt; /* the copy's open write transaction, or NULL */
    size_t puts; /* in wt */
} repack_t;

static int repack_txn(repack_t *p)
{
    if (p->wt && p->puts < REPACK_TXN_PUTS) return 0;
    if (p->wt) {
        int rc = mdb_txn_commit(p->wt);
        p->wt = NULL;
        if (rc) return rc;
    }
    p->puts = 0;
    return mdb_txn_begin(p->out, NULL, 0, &p->wt);
}

/* Every entry of the table ref, as rt sees it, put again in key order,
 * each after the last (MDB_APPEND on a cursor of the copy: no search from
 * the root). -EINVAL for a table with duplicate keys (MDB_DUPSORT: none in
 * this code), left to the page copy. */
static int repack_table(repack_t *p, MDB_txn *rt, const store_table_ref_t *ref)
{
    unsigned flags;
    MDB_dbi to;
    MDB_cursor *from, *into = NULL;
    int rc = mdb_dbi_flags(rt, ref->dbi, &flags);
    if (!rc && (flags & MDB_DUPSORT)) rc = -EINVAL;
    if (!rc) rc = repack_txn(p);
    if (!rc) rc = mdb_dbi_open(p->wt, ref->name, MDB_CREATE | (flags & REPACK_KEY_FLAGS), &to);
    if (!rc) rc = mdb_cursor_open(rt, ref->dbi, &from);
    if (rc) return rc;
    MDB_val k, v;
    for (int op = MDB_FIRST; (rc = mdb_cursor_get(from, &k, &v, op)) == 0; op = MDB_NEXT) {
        if (p->puts >= REPACK_TXN_PUTS || !into) { /* a new transaction: a new cursor */
            if (into) mdb_cursor_close(into);
            into = NULL;
            rc = repack_txn(p);
            if (!rc) rc = mdb_cursor_open(p->wt, to, &into);
        }
        if (!rc) rc = mdb_cursor_put(into, &k, &v, MDB_APPEND);
        if (rc) break;
        p->puts++;
    }
    if (into) mdb_cursor_close(into);
    mdb_cursor_close(from);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_repack(store_t *s, const char *path, const store_table_ref_t *refs, int n)
{
    repack_t p = {NULL, NULL, 0};
    MDB_txn *rt = NULL;
    MDB_cursor *c = NULL;
    MDB_dbi main;
    store_copy_hold(s);
    int rc = mdb_env_create(&p.out);
    if (!rc) rc = mdb_env_set_maxdbs(p.out, STORE_MAX_TABLES);
    if (!rc) rc = mdb_env_set_mapsize(p.out, s->map_size);
    if (!rc) {
        unlink(path); /* a copy a stopped compaction left */
        rc = mdb_env_open(p.out, path, MDB_NOSUBDIR | MDB_NOLOCK | MDB_NOSYNC, 0600);
    }
    if (!rc) rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &rt);
    if (!rc) rc = mdb_dbi_open(rt, NULL, 0, &main);
    if (!rc) rc = mdb_cursor_open(rt, main, &c);
    MDB_val k, v;
    for (int op = MDB_FIRST; !rc && (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        const store_table_ref_t *ref = repack_ref(&k, refs, n);
        rc = ref ? repack_table(&p, rt, ref) : -EAGAIN; /* a table made since store_repack_tables */
    }
    if (rc == MDB_NOTFOUND) rc = 0;
    if (c) mdb_cursor_close(c);
    if (rt) mdb_txn_abort(rt);
    store_copy_release(s);
    if (p.wt && rc)
        mdb_txn_abort(p.wt);
    else if (p.wt)
        rc = mdb_txn_commit(p.wt);
    if (!rc) rc = mdb_env_sync(p.out, 1);
    if (p.out) mdb_env_close(p.out);
    if (rc) unlink(path);
    return store_rc(rc);
}
