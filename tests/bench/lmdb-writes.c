/*
 * lmdb-writes.c - which tables a daemon's commits write, for issue 16's
 * question of what a commit's pages are (an LMDB commit writes every page
 * it copied, each where its free list puts it).
 *
 * A library to preload into the daemons of a benchmark run, never into a
 * service: LD_PRELOAD=build/tests/liblmdb-writes.so LMDB_WRITES_DIR=DIR
 * build/tests/la-system ... --keep. For each top-level write transaction
 * that commits, it appends to DIR/<program>-<pid>.txt a line "COMMIT",
 * then one line per put or delete the transaction made (a nested
 * transaction's only if it committed too): P or D, the table's name, the
 * key's length and its first 40 bytes in hex; with LMDB_WRITES_FROM=N, from
 * the N+1st such commit on (a long run's last part). Keys of test data
 * only: a key can hold a case number or a lawyer's id.
 * tests/bench/lmdb-writes.py reads
 * the files beside the environments the run kept and prints, per table,
 * the puts and deletes of a commit and the pages they copy.
 *
 * It follows the first environment the process writes to, the daemon's
 * own, which has one writer, so one transaction is open for writing at a
 * time: the state below is the process's, under a lock. Another
 * environment (a compaction's copy) is left alone, and once the followed
 * one is closed (a compaction swapped it) nothing more is logged: a trace
 * is read of a run without compactions. Nesting deeper than NESTED (more
 * than the daemons nest) is not followed. Only calls the daemon makes are
 * seen: Debian's liblmdb binds its own calls within itself (-Bsymbolic),
 * so mdb_put's call of mdb_cursor_put is not counted twice. LMDB writes a
 * run of adjacent pages in one call and a page apart in one of its own.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char *program_invocation_short_name;

#define TABLES 256
#define NESTED 16
#define KEY_SHOWN 40

static char table_name[TABLES][64];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *out;
static char *ops;           /* the open transaction's lines */
static size_t ops_len, ops_cap;
static MDB_txn *top;        /* the open write transaction */
static MDB_txn *nested[NESTED];
static size_t nested_at[NESTED]; /* ops_len when each began */
static int depth;
static MDB_env *followed; /* the daemon's environment */
static int closed;        /* it was closed: nothing more logged */
static long commits;      /* top-level commits so far */

#define REAL(f)                                                                                   \
    static __typeof__(f) *real_##f;                                                               \
    if (!real_##f) real_##f = (__typeof__(f) *)dlsym(RTLD_NEXT, #f)

static void ops_add(const char *s, size_t n)
{
    if (ops_len + n + 1 > ops_cap) {
        size_t cap = (ops_len + n + 1) * 2;
        char *grown = realloc(ops, cap);
        if (!grown) return; /* a line lost, not the daemon */
        ops = grown;
        ops_cap = cap;
    }
    memcpy(ops + ops_len, s, n);
    ops_len += n;
}

static void note(MDB_txn *txn, MDB_dbi dbi, char what, const MDB_val *k)
{
    char line[64 + 64 + 2 * KEY_SHOWN + 32];
    int n = snprintf(line, sizeof line, "%c %s %zu ", what,
                     dbi < TABLES && table_name[dbi][0] ? table_name[dbi] : "?",
                     k ? k->mv_size : 0);
    for (size_t i = 0; k && i < k->mv_size && i < KEY_SHOWN; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, "%02x", ((unsigned char *)k->mv_data)[i]);
    line[n++] = '\n';
    pthread_mutex_lock(&lock);
    if (top && mdb_txn_env(txn) == followed) ops_add(line, (size_t)n);
    pthread_mutex_unlock(&lock);
}

int mdb_dbi_open(MDB_txn *txn, const char *name, unsigned int flags, MDB_dbi *dbi)
{
    REAL(mdb_dbi_open);
    int rc = real_mdb_dbi_open(txn, name, flags, dbi);
    pthread_mutex_lock(&lock);
    if (!followed && !closed) followed = mdb_txn_env(txn);
    int ours = followed == mdb_txn_env(txn);
    pthread_mutex_unlock(&lock);
    if (!rc && ours && *dbi < TABLES) snprintf(table_name[*dbi], sizeof table_name[0], "%s", name ? name : "main");
    return rc;
}

int mdb_txn_begin(MDB_env *env, MDB_txn *parent, unsigned int flags, MDB_txn **txn)
{
    REAL(mdb_txn_begin);
    int rc = real_mdb_txn_begin(env, parent, flags, txn);
    if (rc || (flags & MDB_RDONLY)) return rc;
    pthread_mutex_lock(&lock);
    if (!followed && !closed) followed = env;
    if (env != followed) {
        /* another environment's: not followed */
    } else if (!parent) {
        top = *txn;
        ops_len = 0;
        depth = 0;
    } else if (depth < NESTED) {
        nested[depth] = *txn;
        nested_at[depth++] = ops_len;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

int mdb_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v, unsigned int flags)
{
    REAL(mdb_put);
    note(txn, dbi, 'P', k);
    return real_mdb_put(txn, dbi, k, v, flags);
}

int mdb_del(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, MDB_val *v)
{
    REAL(mdb_del);
    note(txn, dbi, 'D', k);
    return real_mdb_del(txn, dbi, k, v);
}

int mdb_cursor_put(MDB_cursor *c, MDB_val *k, MDB_val *v, unsigned int flags)
{
    REAL(mdb_cursor_put);
    note(mdb_cursor_txn(c), mdb_cursor_dbi(c), 'P', k);
    return real_mdb_cursor_put(c, k, v, flags);
}

int mdb_cursor_del(MDB_cursor *c, unsigned int flags)
{
    REAL(mdb_cursor_del);
    REAL(mdb_cursor_get);
    MDB_val k = {0, NULL}, v;
    if (real_mdb_cursor_get(c, &k, &v, MDB_GET_CURRENT)) k.mv_size = 0;
    note(mdb_cursor_txn(c), mdb_cursor_dbi(c), 'D', &k);
    return real_mdb_cursor_del(c, flags);
}

/* A nested transaction ended: its lines kept (committed) or cut (undone).
 * 1 when txn was one. Under the lock. */
static int nested_end(MDB_txn *txn, int undone)
{
    for (int i = depth - 1; i >= 0; i--)
        if (nested[i] == txn) {
            if (undone) ops_len = nested_at[i];
            depth = i;
            return 1;
        }
    return 0;
}

/* 1 when txn is one of the open nested transactions. Under the lock. */
static int nested_is(MDB_txn *txn)
{
    for (int i = 0; i < depth; i++)
        if (nested[i] == txn) return 1;
    return 0;
}

int mdb_txn_commit(MDB_txn *txn)
{
    REAL(mdb_txn_commit);
    pthread_mutex_lock(&lock);
    int was_top = txn == top, was_nested = !was_top && nested_is(txn);
    pthread_mutex_unlock(&lock);
    int rc = real_mdb_txn_commit(txn);
    if (!was_top && !was_nested) return rc;
    pthread_mutex_lock(&lock);
    if (was_nested) {
        nested_end(txn, rc != 0); /* a failed commit undid it */
        pthread_mutex_unlock(&lock);
        return rc;
    }
    if (!out && !closed) {
        char path[512];
        const char *dir = getenv("LMDB_WRITES_DIR");
        snprintf(path, sizeof path, "%s/%s-%d.txt", dir ? dir : ".", program_invocation_short_name,
                 (int)getpid());
        out = fopen(path, "w");
        if (!out) {
            fprintf(stderr, "lmdb-writes: cannot write %s: nothing will be logged\n", path);
            closed = 1;
        }
    }
    const char *from = getenv("LMDB_WRITES_FROM");
    if (out && ops_len && rc == 0 && ++commits > (from ? atol(from) : 0)) {
        fprintf(out, "COMMIT\n");
        fwrite(ops, 1, ops_len, out);
        fflush(out);
    }
    top = NULL;
    ops_len = 0;
    pthread_mutex_unlock(&lock);
    return rc;
}

void mdb_txn_abort(MDB_txn *txn)
{
    REAL(mdb_txn_abort);
    pthread_mutex_lock(&lock);
    if (!nested_end(txn, 1) && txn == top) {
        top = NULL;
        ops_len = 0;
    }
    pthread_mutex_unlock(&lock);
    real_mdb_txn_abort(txn);
}

void mdb_env_close(MDB_env *env)
{
    REAL(mdb_env_close);
    pthread_mutex_lock(&lock);
    if (env == followed) {
        followed = NULL;
        closed = 1;
    }
    pthread_mutex_unlock(&lock);
    real_mdb_env_close(env);
}
