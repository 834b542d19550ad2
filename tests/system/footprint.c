/*
 * footprint.c - each daemon's tables and the pages they hold (see
 * footprint.h).
 */
#include "footprint.h"

#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FOOTPRINT_MAX 64
#define FOOTPRINT_TOP 8

typedef struct footprint_table {
    char name[64];
    int daemon;
    long long bytes;
} footprint_table_t;

/* The tables trimmed by age: the stream log and its indexes, the stored
 * replies and theirs. Not "log_case", the log's index by case: a trimmed
 * event leaves its compact record there for the case's timeline
 * (stream_trim.c; all but the kinds its service names in trim_forgets),
 * so it is kept for good. */
static int footprint_trimmed(const char *name)
{
    static const char *const trimmed[] = {"log", "log_at", "replies", "replies_by_time",
                                          "reply_hashes"};
    for (size_t i = 0; i < sizeof trimmed / sizeof trimmed[0]; i++)
        if (strcmp(name, trimmed[i]) == 0) return 1;
    return 0;
}

/* Adds the tables of dir's environment to t (*n of them). */
static void footprint_read(const char *dir, int daemon, footprint_table_t *t, int *n)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi main;
    MDB_cursor *c;
    if (mdb_env_create(&env)) return;
    mdb_env_set_maxdbs(env, FOOTPRINT_MAX);
    if (mdb_env_open(env, dir, MDB_RDONLY, 0600) || mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) {
        mdb_env_close(env);
        return;
    }
    if (mdb_dbi_open(txn, NULL, 0, &main) == 0 && mdb_cursor_open(txn, main, &c) == 0) {
        MDB_val k, v;
        for (int op = MDB_FIRST; *n < FOOTPRINT_MAX && mdb_cursor_get(c, &k, &v, op) == 0;
             op = MDB_NEXT) {
            footprint_table_t *e = &t[*n];
            size_t len = k.mv_size < sizeof e->name - 1 ? k.mv_size : sizeof e->name - 1;
            memcpy(e->name, k.mv_data, len);
            e->name[len] = 0;
            MDB_dbi dbi;
            MDB_stat st;
            if (mdb_dbi_open(txn, e->name, 0, &dbi) || mdb_stat(txn, dbi, &st)) continue;
            e->daemon = daemon;
            e->bytes = (long long)(st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages) *
                       st.ms_psize;
            ++*n;
        }
        mdb_cursor_close(c);
    }
    mdb_txn_abort(txn);
    mdb_env_close(env);
}

static int footprint_larger(const void *a, const void *b)
{
    long long x = ((const footprint_table_t *)a)->bytes, y = ((const footprint_table_t *)b)->bytes;
    return x < y ? 1 : x > y ? -1 : 0;
}

void footprint_print(const char *prefix, const procs_t *p, long held)
{
    static footprint_table_t t[PROCS_N * FOOTPRINT_MAX];
    int n = 0;
    long long kept[PROCS_N] = {0}, trimmed[PROCS_N] = {0}, all = 0;
    if (held <= 0) return;
    for (int i = 0; i < PROCS_N; i++) {
        char dir[600];
        int from = n, count = 0;
        snprintf(dir, sizeof dir, "%s/data-%s", p->dir, procs_names[i]);
        footprint_read(dir, i, t + from, &count);
        n += count;
        for (int j = from; j < n; j++) {
            if (footprint_trimmed(t[j].name))
                trimmed[i] += t[j].bytes;
            else
                kept[i] += t[j].bytes;
        }
        all += kept[i];
    }
    printf("%s tables kept for good / the stream log and stored replies until trimmed "
           "(bytes per application):",
           prefix);
    for (int i = 0; i < PROCS_N; i++)
        printf("%s %s %lld / %lld", i ? ";" : "", procs_names[i], kept[i] / held, trimmed[i] / held);
    printf("; kept for good in all %lld\n", all / held);
    qsort(t, (size_t)n, sizeof t[0], footprint_larger);
    printf("%s the largest tables kept for good (bytes per application):", prefix);
    for (int j = 0, shown = 0; j < n && shown < FOOTPRINT_TOP; j++) {
        if (footprint_trimmed(t[j].name)) continue;
        printf("%s %s %s %lld", shown++ ? ";" : "", procs_names[t[j].daemon], t[j].name,
               t[j].bytes / held);
    }
    printf("\n");
}
