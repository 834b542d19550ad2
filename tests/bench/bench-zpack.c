/*
 * bench-zpack.c - what packing sealed values costs and saves (common/
 * zpack.c), on the records of a real run: every value of the tables each
 * daemon packs (those holding packed values: not the brief ones) in the
 * stores `la-system --keep` left, opened with its
 * data key and written again into a fresh store twice, sealed as they are
 * and packed, then read back. Prints per daemon the values, their clear
 * bytes, the bytes a value keeps sealed and packed, the pages the tables
 * take, and the microseconds a put (pack and seal) and a read (open and
 * unpack) cost.
 *
 * Usage: bench-zpack RUN_DIR (from `la-system --bin build --apps 5000
 * --keep`). A benchmark, not a test: it prints.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "seal.h"
#include "store.h"
#include "xalloc.h"
#include "zpack.h"

#define BENCH_TABLES 48

typedef struct value {
    char *key, *clear;
    size_t klen, n;
} value_t;

typedef struct table {
    char name[64];
    value_t *v;
    size_t n, cap;
} table_t;

typedef struct figures {
    size_t stored, pages;
    double put_us, read_us;
} figures_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void keep(table_t *t, const MDB_val *k, const MDB_val *v)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    value_t *e = &t->v[t->n++];
    e->klen = k->mv_size;
    e->n = v->mv_size;
    e->key = xmalloc(e->klen + 1);
    e->clear = xmalloc(e->n + 1);
    memcpy(e->key, k->mv_data, e->klen);
    memcpy(e->clear, v->mv_data, e->n);
}

static void free_table(table_t *t)
{
    for (size_t e = 0; e < t->n; e++) {
        free(t->v[e].key);
        free(t->v[e].clear);
    }
    free(t->v);
    memset(t, 0, sizeof *t);
}

/* Every sealed value of the store in dir, opened: into t (*n tables). */
static int read_sealed(const char *dir, const char *owner, const seal_ring_t *ring, table_t *t,
                       int *n)
{
    store_t s;
    MDB_txn *txn;
    MDB_dbi main;
    MDB_cursor *c;
    if (store_open(&s, dir, 1u << 30, 1)) return -1;
    store_seal(&s, ring, owner);
    if (store_begin(s.env, NULL, &txn) || store_pack(&s, txn)) return -1;
    mdb_dbi_open(txn, NULL, 0, &main);
    mdb_cursor_open(txn, main, &c);
    MDB_val k, v;
    for (int op = MDB_FIRST; *n < BENCH_TABLES && mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT) {
        table_t *e = &t[*n];
        memset(e, 0, sizeof *e);
        snprintf(e->name, sizeof e->name, "%.*s", (int)k.mv_size, (const char *)k.mv_data);
        MDB_dbi dbi;
        MDB_cursor *tc;
        if (strcmp(e->name, "zdicts") == 0 || mdb_dbi_open(txn, e->name, 0, &dbi)) continue;
        mdb_cursor_open(txn, dbi, &tc);
        MDB_val tk, tv;
        int packed = 0;
        for (int top = MDB_FIRST; mdb_cursor_get(tc, &tk, &tv, top) == 0; top = MDB_NEXT) {
            if (!seal_is_sealed(tv.mv_data, tv.mv_size)) continue;
            packed |= seal_kind(tv.mv_data) == SEAL_PACKED;
            if (store_value(txn, &tk, &tv) == 0) keep(e, &tk, &tv);
        }
        mdb_cursor_close(tc);
        /* The tables the daemon packs: a brief one (store_table_brief) holds none packed. */
        if (e->n && packed) ++*n;
        else free_table(e);
    }
    mdb_cursor_close(c);
    store_undo(txn);
    store_close(&s);
    return 0;
}

/* Writes the tables into a fresh store (packing or not), 500 values a
 * transaction, then reads every value back. */
static void write_read(const table_t *t, int n, const seal_ring_t *ring, int pack, figures_t *f)
{
    char dir[] = "/tmp/bench-zpack.XXXXXX";
    if (!mkdtemp(dir)) exit(1);
    store_t s;
    MDB_txn *txn;
    MDB_dbi dbi[BENCH_TABLES];
    memset(f, 0, sizeof *f);
    store_open(&s, dir, 1u << 30, 1);
    store_seal(&s, ring, "bench");
    store_begin(s.env, NULL, &txn);
    if (pack) store_pack(&s, txn);
    for (int i = 0; i < n; i++) store_table_sealed(txn, t[i].name, &dbi[i]);
    store_commit(txn);
    size_t values = 0;
    double t0 = now_s();
    for (int i = 0; i < n; i++)
        for (size_t j = 0; j < t[i].n; j += 500) {
            store_begin(s.env, NULL, &txn);
            for (size_t e = j; e < t[i].n && e < j + 500; e++, values++)
                store_put_value(txn, dbi[i], t[i].v[e].key, t[i].v[e].klen, t[i].v[e].clear,
                                t[i].v[e].n, 0);
            store_commit(txn);
        }
    f->put_us = (now_s() - t0) * 1e6 / (double)(values ? values : 1);
    mdb_txn_begin(s.env, NULL, MDB_RDONLY, &txn);
    t0 = now_s();
    for (int i = 0; i < n; i++) {
        MDB_stat st;
        mdb_stat(txn, dbi[i], &st);
        f->pages += st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages;
        for (size_t e = 0; e < t[i].n; e++) {
            MDB_val k = {t[i].v[e].klen, t[i].v[e].key}, v;
            if (mdb_get(txn, dbi[i], &k, &v)) continue;
            f->stored += v.mv_size;
            if (store_value(txn, &k, &v) || v.mv_size != t[i].v[e].n ||
                memcmp(v.mv_data, t[i].v[e].clear, v.mv_size) != 0) {
                fprintf(stderr, "bench-zpack: %s: a value did not read back\n", t[i].name);
                exit(1);
            }
        }
    }
    f->read_us = (now_s() - t0) * 1e6 / (double)(values ? values : 1);
    mdb_txn_abort(txn);
    store_close(&s);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench-zpack: %s left behind\n", dir);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench-zpack RUN_DIR (left by la-system --keep)\n");
        return 2;
    }
    char path[600], err[1200];
    seal_ring_t ring;
    snprintf(path, sizeof path, "%s/keys/data.key", argv[1]);
    if (seal_ring_load(&ring, path, err, sizeof err)) {
        fprintf(stderr, "bench-zpack: %s\n", err);
        return 1;
    }
    const char *daemons[] = {"intake", "eligibility", "dispatch", "roster", "notify"};
    printf("bench-zpack: every value of the packed tables of %s written again into a fresh store, sealed as it "
           "is and packed (zstd level %d, a dictionary of its table's latest %d KB)\n",
           argv[1], ZPACK_LEVEL, ZPACK_DICT_BYTES / 1024);
    for (size_t d = 0; d < sizeof daemons / sizeof daemons[0]; d++) {
        static table_t t[BENCH_TABLES];
        int n = 0;
        snprintf(path, sizeof path, "%s/data-%s", argv[1], daemons[d]);
        if (read_sealed(path, daemons[d], &ring, t, &n) || n == 0) continue;
        size_t values = 0, clear = 0;
        for (int i = 0; i < n; i++)
            for (size_t e = 0; e < t[i].n; e++, values++) clear += t[i].v[e].n;
        figures_t plain, packed;
        write_read(t, n, &ring, 0, &plain);
        write_read(t, n, &ring, 1, &packed);
        printf("bench-zpack: %s: %zu values in %d packed tables, %zu clear bytes a value; kept "
               "sealed %zu bytes a value, packed %zu; pages %zu -> %zu; a put %.2f -> %.2f us, a "
               "read %.2f -> %.2f us\n",
               daemons[d], values, n, clear / values, plain.stored / values,
               packed.stored / values, plain.pages, packed.pages, plain.put_us, packed.put_us,
               plain.read_us, packed.read_us);
        fflush(stdout);
        for (int i = 0; i < n; i++) free_table(&t[i]);
    }
    seal_ring_wipe(&ring);
    return 0;
}
