/*
 * test-compact.c - a compaction whose copy does not open (common/
 * compact.c): the old data.mdb goes back into place and is opened again,
 * the daemon serves on it with every table reopened, nothing is left
 * beside it, and the reply says "failed" and names the step and the
 * reason. A compaction writes every table again in key order, so that a
 * table filled at scattered places takes fewer pages, each entry as it
 * was; a table made after it began is copied all the same, its pages as
 * they are.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon_int.h"
#include "store.h"
#include "testutil.h"

/* The service's own table, opened again by each open of the store. */
static MDB_dbi vault_things;
/* Opens of the store still to fail, each as a damaged copy would. */
static int vault_open_fails;

static int vault_open(daemon_t *d, MDB_txn *txn)
{
    if (vault_open_fails > 0) {
        vault_open_fails--;
        snprintf(d->damaged, sizeof d->damaged, "table things of the copy unreadable");
        return MDB_CORRUPTED;
    }
    return store_table(txn, "things", &vault_things);
}

static const service_t vault_service = {
    .name = "vault",
    .open = vault_open,
};

static void vault_put(daemon_t *d, const char *key, const char *value)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, 0, &txn), 0);
    MDB_val k = {strlen(key), (void *)key}, v = {strlen(value), (void *)value};
    assert_int_equal(mdb_put(txn, vault_things, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
}

/* The value of key, or "" (static storage). */
static const char *vault_get(daemon_t *d, const char *key)
{
    static char out[64];
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    MDB_val k = {strlen(key), (void *)key}, v;
    out[0] = 0;
    if (mdb_get(txn, vault_things, &k, &v) == 0)
        snprintf(out, sizeof out, "%.*s", (int)v.mv_size, (const char *)v.mv_data);
    mdb_txn_abort(txn);
    return out;
}

/* What the last Compact reply said beside its state. */
static int compact_repacked;
static char compact_not_repacked[128];

/* A Compact request with request_id id (status: how the last one stands)
 * in a turn of d's; the state, or the code's name if refused, and its
 * error in err. */
static const char *compact_as(daemon_t *d, const char *id, int status, char *err, size_t errlen)
{
    static char state[16];
    arena_t a;
    arena_init(&a);
    turn_t t = {.d = d, .arena = &a, .causation = id};
    Legalaid__Compact req = LEGALAID__COMPACT__INIT;
    req.status = status;
    Legalaid__Reply reply = LEGALAID__REPLY__INIT;
    d->test_mode = 0; /* a test's daemon is refused: this one has its loop */
    compact_request(&t, &req, &reply);
    d->test_mode = 1;
    if (d->compact_due) compact_start(d); /* as the loop's check handle does after a turn */
    if (reply.has_code && reply.code == LEGALAID__CODE__CONFLICT) {
        snprintf(err, errlen, "%s", reply.error);
        arena_destroy(&a);
        return "CONFLICT";
    }
    assert_non_null(reply.compact);
    snprintf(state, sizeof state, "%s", reply.compact->state);
    snprintf(err, errlen, "%s", reply.compact->error ? reply.compact->error : "");
    compact_repacked = reply.compact->repacked;
    snprintf(compact_not_repacked, sizeof compact_not_repacked, "%s",
             reply.compact->not_repacked ? reply.compact->not_repacked : "");
    arena_destroy(&a);
    return state;
}

static const char *compact(daemon_t *d, int status, char *err, size_t errlen)
{
    static unsigned n;
    char id[32];
    snprintf(id, sizeof id, "test-compact-%u", ++n);
    return compact_as(d, id, status, err, errlen);
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_ino : 0;
}

static void test_copy_that_does_not_open(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &vault_service, 1780000000000);
    daemon_t *d = td.d;
    vault_put(d, "BT-2026-000001", "before");
    char data[512], path[600], err[256];
    snprintf(data, sizeof data, "%s/data.mdb", td.dir);
    ino_t inode = inode_of(data);
    size_t map = d->store.map_size;
    assert_true(uv_loop_init(&d->loop) == 0);

    assert_string_equal(compact(d, 0, err, sizeof err), "running");
    assert_int_equal(d->compacting, 1);
    vault_open_fails = 1; /* the copy's open; the old one opens */
    uv_run(&d->loop, UV_RUN_DEFAULT);
    assert_int_equal(vault_open_fails, 0);

    /* The reply: failed, at the reopen, for what is damaged in the copy
     * (not LMDB's words for any damage). */
    assert_string_equal(compact(d, 1, err, sizeof err), "failed");
    assert_string_equal(err, "reopen: table things of the copy unreadable");
    /* The old file is data.mdb again, nothing beside it. */
    assert_int_equal(d->compacting, 0);
    assert_true(inode == inode_of(data));
    snprintf(path, sizeof path, "%s.old", data);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s.compact", data);
    assert_int_equal(access(path, F_OK), -1);
    /* Served on it, every table open again: the service's and the
     * skeleton's (a request's turn), nothing of the copy's damage kept. */
    assert_int_equal(d->damaged[0], 0);
    assert_int_equal(d->store.map_size, map);
    assert_string_equal(vault_get(d, "BT-2026-000001"), "before");
    vault_put(d, "BT-2026-000002", "after");
    assert_string_equal(vault_get(d, "BT-2026-000002"), "after");
    Legalaid__Reply *r = test_status(d);
    legalaid__reply__free_unpacked(r, NULL);

    /* Once the copy opens, it compacts. */
    assert_string_equal(compact(d, 0, err, sizeof err), "running");
    uv_run(&d->loop, UV_RUN_DEFAULT);
    assert_string_equal(compact(d, 1, err, sizeof err), "done");
    assert_true(inode != inode_of(data));
    assert_string_equal(vault_get(d, "BT-2026-000002"), "after");
    assert_int_equal(uv_loop_close(&d->loop), 0);
    test_daemon_close(&td);
}

#define SCATTERED 26000 /* past one write transaction of the copy (REPACK_TXN_PUTS) */

/* A digest of every table of env (name, flags, every key and value, in
 * order) as txn sees it: what a copy must keep byte for byte. */
static unsigned long long tables_digest(MDB_txn *txn, size_t *entries)
{
    unsigned long long h = 1469598103934665603ull;
#define MIX(p, n)                                                                                  \
    for (size_t b_ = 0; b_ < (n); b_++) h = (h ^ ((const unsigned char *)(p))[b_]) * 1099511628211ull
    MDB_dbi main;
    MDB_cursor *mc;
    assert_int_equal(mdb_dbi_open(txn, NULL, 0, &main), 0);
    assert_int_equal(mdb_cursor_open(txn, main, &mc), 0);
    MDB_val name, rec;
    *entries = 0;
    while (mdb_cursor_get(mc, &name, &rec, MDB_NEXT) == 0) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.*s", (int)name.mv_size, (const char *)name.mv_data);
        MDB_dbi dbi;
        unsigned flags;
        assert_int_equal(mdb_dbi_open(txn, buf, 0, &dbi), 0);
        assert_int_equal(mdb_dbi_flags(txn, dbi, &flags), 0);
        MIX(buf, strlen(buf) + 1);
        MIX(&flags, sizeof flags);
        MDB_cursor *c;
        MDB_val k, v;
        assert_int_equal(mdb_cursor_open(txn, dbi, &c), 0);
        while (mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0) {
            MIX(&k.mv_size, sizeof k.mv_size);
            MIX(k.mv_data, k.mv_size);
            MIX(&v.mv_size, sizeof v.mv_size);
            MIX(v.mv_data, v.mv_size);
            ++*entries;
        }
        mdb_cursor_close(c);
    }
    mdb_cursor_close(mc);
#undef MIX
    return h;
}

static unsigned long long store_digest(daemon_t *d, size_t *entries)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    unsigned long long h = tables_digest(txn, entries);
    mdb_txn_abort(txn);
    return h;
}

/* The key of entry i of a table filled at scattered places: a keyed hash's
 * order, not i's (the same for every i on every call). */
static void scattered_key(int i, char key[24])
{
    unsigned long long x = (unsigned long long)i + 0x9e3779b97f4a7c15ull; /* splitmix64 */
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    x ^= x >> 31;
    snprintf(key, 24, "%08x-%05d", (unsigned)(x >> 32), i);
}

/* Leaf and overflow pages of the service's table. */
static size_t things_pages(daemon_t *d)
{
    MDB_txn *txn;
    MDB_stat st;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_stat(txn, vault_things, &st), 0);
    mdb_txn_abort(txn);
    return st.ms_leaf_pages + st.ms_overflow_pages;
}

static void test_tables_written_again_full(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &vault_service, 1780000000000);
    daemon_t *d = td.d;
    MDB_txn *txn;
    char key[24], value[48];
    for (int i = 0; i < SCATTERED; i++) { /* 40 a commit, as turns put them */
        if (i % 40 == 0) assert_int_equal(mdb_txn_begin(d->store.env, NULL, 0, &txn), 0);
        scattered_key(i, key);
        snprintf(value, sizeof value, "case %d", i);
        MDB_val k = {strlen(key), key}, v = {strlen(value), value};
        assert_int_equal(mdb_put(txn, vault_things, &k, &v, 0), 0);
        if (i % 40 == 39 || i == SCATTERED - 1) assert_int_equal(mdb_txn_commit(txn), 0);
    }
    size_t before = things_pages(d), entries, entries_after;
    unsigned long long digest = store_digest(d, &entries);
    assert_true(entries > SCATTERED);
    char err[256];
    assert_true(uv_loop_init(&d->loop) == 0);
    assert_string_equal(compact(d, 0, err, sizeof err), "running");
    uv_run(&d->loop, UV_RUN_DEFAULT);
    assert_string_equal(compact(d, 1, err, sizeof err), "done");
    assert_true(compact_repacked);
    assert_string_equal(compact_not_repacked, "");
    /* The file from before, removed on a worker before "done". */
    char old[600];
    snprintf(old, sizeof old, "%s/data.mdb.old", td.dir);
    assert_int_equal(access(old, F_OK), -1);
    /* Half-full pages filled: at most four fifths of them (about 69 % full
     * before, by LMDB's splits at scattered places). */
    size_t after = things_pages(d);
    fprintf(stderr, "things: %zu pages -> %zu\n", before, after);
    assert_true(after * 5 <= before * 4);
    /* Every table, every entry and its bytes as they were, none more;
     * the store goes on. */
    assert_true(store_digest(d, &entries_after) == digest);
    assert_int_equal(entries_after, entries);
    for (int i = 0; i < SCATTERED; i += 7) {
        scattered_key(i, key);
        snprintf(value, sizeof value, "case %d", i);
        assert_string_equal(vault_get(d, key), value);
    }
    vault_put(d, "BT-2026-000003", "after");
    assert_string_equal(vault_get(d, "BT-2026-000003"), "after");
    Legalaid__Reply *r = test_status(d);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(uv_loop_close(&d->loop), 0);
    test_daemon_close(&td);
}

static void test_table_made_after_the_start(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &vault_service, 1780000000000);
    daemon_t *d = td.d;
    vault_put(d, "BT-2026-000004", "before");
    /* store_repack alone: a table its refs lack fails it, and no file is left. */
    store_table_ref_t refs[STORE_MAX_TABLES];
    int n;
    assert_int_equal(store_repack_tables(&d->store, refs, STORE_MAX_TABLES, &n), 0);
    assert_true(n > 3);
    char path[600];
    snprintf(path, sizeof path, "%s/repacked.mdb", td.dir);
    assert_int_equal(store_repack(&d->store, path, refs, n - 1), -EAGAIN);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(store_repack(&d->store, path, refs, n), 0);
    /* The copy holds what the store holds, byte for byte. */
    size_t entries, copied;
    unsigned long long digest = store_digest(d, &entries);
    MDB_env *env;
    MDB_txn *ctxn;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, STORE_MAX_TABLES), 0);
    assert_int_equal(mdb_env_open(env, path, MDB_NOSUBDIR | MDB_RDONLY | MDB_NOLOCK, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &ctxn), 0);
    assert_true(tables_digest(ctxn, &copied) == digest);
    assert_int_equal(copied, entries);
    mdb_txn_abort(ctxn);
    mdb_env_close(env);
    unlink(path);

    /* A compaction: a table made once it began is in the copy all the same. */
    char err[256];
    assert_true(uv_loop_init(&d->loop) == 0);
    assert_string_equal(compact(d, 0, err, sizeof err), "running");
    MDB_txn *txn;
    MDB_dbi late;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "late", MDB_CREATE, &late), 0);
    MDB_val k = {4, "late"}, v = {4, "here"};
    assert_int_equal(mdb_put(txn, late, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    uv_run(&d->loop, UV_RUN_DEFAULT);
    assert_string_equal(compact(d, 1, err, sizeof err), "done");
    assert_false(compact_repacked);
    assert_string_equal(compact_not_repacked, "a table was made after the compaction began");
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "late", 0, &late), 0);
    assert_int_equal(mdb_get(txn, late, &k, &v), 0);
    assert_int_equal(v.mv_size, 4);
    assert_memory_equal(v.mv_data, "here", 4);
    mdb_txn_abort(txn);
    assert_string_equal(vault_get(d, "BT-2026-000004"), "before");
    assert_int_equal(uv_loop_close(&d->loop), 0);
    test_daemon_close(&td);
}

/* legalaidctl resends a request unanswered after a second, on a new
 * connection when nothing came back at all: the first reply is lost with
 * the old one. The resend of the request that started a compaction is
 * told how it stands; another request is refused while it runs; the
 * resend after it is done starts nothing. */
static void test_a_resend_is_told_how_its_compaction_stands(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &vault_service, 1780000000000);
    daemon_t *d = td.d;
    vault_put(d, "BT-2026-000001", "before");
    char err[256];
    assert_true(uv_loop_init(&d->loop) == 0);

    assert_string_equal(compact_as(d, "ops-1", 0, err, sizeof err), "running");
    assert_string_equal(compact_as(d, "ops-1", 0, err, sizeof err), "running");
    assert_string_equal(compact_as(d, "ops-2", 0, err, sizeof err), "CONFLICT");
    assert_non_null(strstr(err, "running"));
    uv_run(&d->loop, UV_RUN_DEFAULT);
    assert_int_equal(d->compacting, 0);

    /* Done: its resend is told so, and starts no second one. */
    assert_string_equal(compact_as(d, "ops-1", 0, err, sizeof err), "done");
    assert_int_equal(d->compacting, 0);
    /* A new request compacts again. */
    assert_string_equal(compact_as(d, "ops-3", 0, err, sizeof err), "running");
    uv_run(&d->loop, UV_RUN_DEFAULT);
    assert_string_equal(compact_as(d, "ops-4", 1, err, sizeof err), "done");
    assert_string_equal(vault_get(d, "BT-2026-000001"), "before");
    assert_int_equal(uv_loop_close(&d->loop), 0);
    test_daemon_close(&td);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_that_does_not_open),
        cmocka_unit_test(test_tables_written_again_full),
        cmocka_unit_test(test_table_made_after_the_start),
        cmocka_unit_test(test_a_resend_is_told_how_its_compaction_stands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
