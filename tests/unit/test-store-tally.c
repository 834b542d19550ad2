/*
 * test-store-tally.c - counters held through a turn (common/store_tally.c):
 * written once at the commit, forgotten by an undo, written into a parent
 * before its child begins, never taken away by a child's undo; a count
 * never below zero and deleted at zero; a held add counted as a write; a
 * transaction not begun by store_begin written straight away; tens of
 * thousands of keys held in one turn, and the next turn small again; a
 * commit whose writes do not fit the map fails whole; and the
 * figures a status and a report read in the middle of a turn include what
 * the turn added (ageq_count.c, stats.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ageq.h"
#include "ageq_count.h"
#include "arena.h"
#include "clock.h"
#include "stats.h"
#include "store.h"
#include "store_calls.h"
#include "store_tally.h"
#include "testutil.h"

typedef struct fixture {
    char *dir;
    MDB_env *env;
    MDB_dbi dbi;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = test_tmpdir();
    assert_int_equal(mdb_env_create(&f->env), 0);
    assert_int_equal(mdb_env_set_maxdbs(f->env, 8), 0);
    assert_int_equal(mdb_env_open(f->env, f->dir, 0, 0600), 0);
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(f->env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "counts", MDB_CREATE, &f->dbi), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    mdb_env_close(f->env);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

static int add1(MDB_txn *txn, fixture_t *f, const char *key, int64_t n)
{
    return store_tally_add(txn, f->dbi, key, strlen(key), 1, &n, STORE_TALLY_COUNT);
}

/* The count under key as txn sees it in the table: -1 when absent. */
static int64_t stored(MDB_txn *txn, fixture_t *f, const char *key)
{
    MDB_val k = {strlen(key), (void *)key}, v;
    int rc = mdb_get(txn, f->dbi, &k, &v);
    if (rc == MDB_NOTFOUND) return -1;
    assert_int_equal(rc, 0);
    assert_int_equal(v.mv_size, 8);
    return (int64_t)store_from_be64(v.mv_data);
}

/* The count under key as a new read-only transaction sees it. */
static int64_t committed(fixture_t *f, const char *key)
{
    MDB_txn *r;
    assert_int_equal(mdb_txn_begin(f->env, NULL, MDB_RDONLY, &r), 0);
    int64_t n = stored(r, f, key);
    mdb_txn_abort(r);
    return n;
}

static void test_held_until_commit(void **state)
{
    fixture_t *f = *state;
    MDB_txn *txn;
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    uint64_t writes = store_calls_writes();
    for (int i = 0; i < 100; i++) assert_int_equal(add1(txn, f, i % 2 ? "odd" : "even", 1), 0);
    /* Two keys held, nothing in the table yet, but each add a write. */
    assert_int_equal(store_tally_held(), 2);
    assert_int_equal(stored(txn, f, "odd"), -1);
    assert_int_equal(store_calls_writes() - writes, 100);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(store_tally_held(), 0);
    assert_int_equal(committed(f, "odd"), 50);
    assert_int_equal(committed(f, "even"), 50);
}

static void test_undo_forgets(void **state)
{
    fixture_t *f = *state;
    MDB_txn *txn;
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    assert_int_equal(add1(txn, f, "k", 5), 0);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    assert_int_equal(add1(txn, f, "k", 7), 0);
    store_undo(txn);
    assert_int_equal(store_tally_held(), 0);
    /* The next turn starts from nothing held (LMDB gives it the same
     * MDB_txn as the one undone). */
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    assert_int_equal(add1(txn, f, "k", 1), 0);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(committed(f, "k"), 6);
}

static void test_flush_lets_a_read_see(void **state)
{
    fixture_t *f = *state;
    MDB_txn *txn;
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    assert_int_equal(add1(txn, f, "k", 3), 0);
    assert_int_equal(store_tally_flush(txn), 0);
    assert_int_equal(stored(txn, f, "k"), 3);
    assert_int_equal(store_tally_held(), 0);
    assert_int_equal(add1(txn, f, "k", 2), 0); /* held again, on top */
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(committed(f, "k"), 5);
}

static void test_child_never_takes_the_parents(void **state)
{
    fixture_t *f = *state;
    MDB_txn *txn, *child;
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    assert_int_equal(add1(txn, f, "k", 10), 0);
    /* The child begins: the parent's 10 are written into the parent. */
    assert_int_equal(store_begin(f->env, txn, &child), 0);
    assert_int_equal(store_tally_held(), 0);
    assert_int_equal(stored(child, f, "k"), 10);
    /* In the child an add is written straight into it ... */
    assert_int_equal(add1(child, f, "k", 4), 0);
    assert_int_equal(store_tally_held(), 0);
    assert_int_equal(stored(child, f, "k"), 14);
    /* ... and goes with its undo. */
    store_undo(child);
    assert_int_equal(store_begin(f->env, txn, &child), 0);
    assert_int_equal(add1(child, f, "k", 1), 0);
    assert_int_equal(store_commit(child), 0);
    /* Back in the parent, adds are held again. */
    assert_int_equal(add1(txn, f, "k", 100), 0);
    assert_int_equal(store_tally_held(), 1);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(committed(f, "k"), 111);
}

static void test_count_floor_and_delete(void **state)
{
    fixture_t *f = *state;
    MDB_txn *txn;
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    assert_int_equal(add1(txn, f, "k", 2), 0);
    assert_int_equal(add1(txn, f, "gone", 1), 0);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    assert_int_equal(add1(txn, f, "k", -5), 0);    /* 2 - 5: 0, not a wrap */
    assert_int_equal(add1(txn, f, "gone", -1), 0); /* 0: deleted */
    assert_int_equal(add1(txn, f, "never", -1), 0);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(committed(f, "k"), -1);
    assert_int_equal(committed(f, "gone"), -1);
    assert_int_equal(committed(f, "never"), -1);
}

static void test_sums_wrap_and_lanes(void **state)
{
    fixture_t *f = *state;
    MDB_txn *txn;
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    int64_t d[2] = {1, 500}, back[2] = {1, -800};
    assert_int_equal(store_tally_add(txn, f->dbi, "s", 1, 2, d, 0), 0);
    assert_int_equal(store_tally_add(txn, f->dbi, "s", 1, 2, back, 0), 0);
    assert_int_equal(store_commit(txn), 0);
    MDB_txn *r;
    assert_int_equal(mdb_txn_begin(f->env, NULL, MDB_RDONLY, &r), 0);
    MDB_val k = {1, "s"}, v;
    assert_int_equal(mdb_get(r, f->dbi, &k, &v), 0);
    assert_int_equal(v.mv_size, 16);
    assert_int_equal(store_from_be64(v.mv_data), 2);
    assert_int_equal((int64_t)store_from_be64((const unsigned char *)v.mv_data + 8), -300);
    mdb_txn_abort(r);
    /* Bad lanes and keys are refused, nothing held. */
    assert_int_equal(store_tally_add(NULL, f->dbi, "s", 1, 0, d, 0), -EINVAL);
    assert_int_equal(store_tally_add(NULL, f->dbi, "s", 1, STORE_TALLY_LANES + 1, d, 0), -EINVAL);
    assert_int_equal(store_tally_add(NULL, f->dbi, "", 0, 1, d, 0), -EINVAL);
}

static void test_other_transactions_written_straight(void **state)
{
    fixture_t *f = *state;
    MDB_txn *txn;
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    assert_int_equal(add1(txn, f, "k", 1), 0);
    assert_int_equal(store_commit(txn), 0);
    /* A top-level transaction not begun by store_begin: LMDB hands it the
     * same MDB_txn, yet nothing is held for it. */
    assert_int_equal(mdb_txn_begin(f->env, NULL, 0, &txn), 0);
    assert_int_equal(add1(txn, f, "k", 1), 0);
    assert_int_equal(store_tally_held(), 0);
    assert_int_equal(stored(txn, f, "k"), 2);
    assert_int_equal(mdb_txn_commit(txn), 0);
    assert_int_equal(committed(f, "k"), 2);
}

/* A turn that holds 20,000 keys (a fill of counts at startup) writes each;
 * the next turn holds again from nothing. */
static void test_many_keys(void **state)
{
    fixture_t *f = *state;
    MDB_txn *txn;
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    char key[32];
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 20000; i++) {
            snprintf(key, sizeof key, "slot-%06d", i);
            assert_int_equal(add1(txn, f, key, i % 7 + 1), 0);
        }
    assert_int_equal(store_tally_held(), 20000);
    assert_int_equal(store_commit(txn), 0);
    for (int i = 0; i < 20000; i += 997) {
        snprintf(key, sizeof key, "slot-%06d", i);
        assert_int_equal(committed(f, key), 3 * (i % 7 + 1));
    }
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    assert_int_equal(add1(txn, f, "slot-000000", 1), 0);
    assert_int_equal(store_tally_held(), 1);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(committed(f, "slot-000000"), 4);
}

/* A child of a child: each level's adds go with its own undo. */
static void test_grandchild(void **state)
{
    fixture_t *f = *state;
    MDB_txn *txn, *child, *grand;
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    assert_int_equal(add1(txn, f, "k", 1), 0);
    assert_int_equal(store_begin(f->env, txn, &child), 0);
    assert_int_equal(add1(child, f, "k", 10), 0);
    assert_int_equal(store_begin(f->env, child, &grand), 0);
    assert_int_equal(add1(grand, f, "k", 100), 0);
    store_undo(grand);
    assert_int_equal(store_begin(f->env, child, &grand), 0);
    assert_int_equal(add1(grand, f, "k", 1000), 0);
    assert_int_equal(store_commit(grand), 0);
    assert_int_equal(store_tally_held(), 0);
    assert_int_equal(store_commit(child), 0);
    assert_int_equal(add1(txn, f, "k", 10000), 0); /* held again once no child is open */
    assert_int_equal(store_tally_held(), 1);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(committed(f, "k"), 11011);
}

/* Held adds that do not fit the map: the commit fails whole, nothing of
 * the turn is kept, and the next turn starts from nothing held. */
static void test_commit_that_does_not_fit(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_mapsize(env, 256 << 10), 0);
    assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
    assert_int_equal(store_begin(env, NULL, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
    char key[200];
    memset(key, 'k', sizeof key);
    int64_t one = 1;
    for (int i = 0; i < 4000; i++) {
        snprintf(key, sizeof key, "%06d", i);
        key[6] = 'k';
        assert_int_equal(store_tally_add(txn, dbi, key, sizeof key, 1, &one, 0), 0);
    }
    assert_int_equal(store_commit(txn), MDB_MAP_FULL);
    assert_int_equal(store_tally_held(), 0);
    assert_int_equal(store_begin(env, NULL, &txn), 0);
    assert_int_equal(store_tally_add(txn, dbi, "small", 5, 1, &one, 0), 0);
    assert_int_equal(store_commit(txn), 0);
    MDB_stat st;
    assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_stat(txn, dbi, &st), 0);
    assert_int_equal(st.ms_entries, 1);
    mdb_txn_abort(txn);
    mdb_env_close(env);
    test_rmdir(dir);
}

/* What a status and a report read mid-turn includes the turn's adds. */
static void test_readers_see_the_turn(void **state)
{
    fixture_t *f = *state;
    MDB_txn *txn;
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    ageq_t q;
    MDB_dbi stats;
    int empty = 0;
    assert_int_equal(ageq_open(txn, &q, &empty), 0);
    assert_int_equal(stats_open(txn, &stats, &empty), 0);
    assert_int_equal(store_commit(txn), 0);

    int64_t now = 1767225600000LL; /* 2026-01-01 00:00 UTC */
    assert_int_equal(store_begin(f->env, NULL, &txn), 0);
    char id[16];
    for (int i = 0; i < 30; i++) {
        snprintf(id, sizeof id, "n%d", i);
        assert_int_equal(ageq_set(txn, &q, id, "due", now + i * 1000), 0);
    }
    for (int i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "n%d", i);
        assert_int_equal(ageq_set(txn, &q, id, "sent", now + i * 1000), 0);
    }
    stats_dims_t ds = {.n = 0};
    stats_dim(&ds, "kind", "civil");
    for (int i = 0; i < 7; i++)
        assert_int_equal(stats_add(txn, stats, "applications", now, 1, 100, &ds), 0);
    assert_true(store_tally_held() > 0);
    uint64_t n = 0;
    assert_int_equal(ageq_count_total(txn, &q, "due", 3, &n), 0);
    assert_int_equal(n, 20);
    assert_int_equal(ageq_count_before(txn, &q, "due", 3, now + 15 * 1000, &n), 0);
    assert_int_equal(n, 5); /* n10 .. n14 */
    /* Held again after those reads wrote what was held. */
    for (int i = 0; i < 3; i++)
        assert_int_equal(stats_add(txn, stats, "applications", now, 1, 100, &ds), 0);
    assert_true(store_tally_held() > 0);
    Legalaid__StatsQuery sq = LEGALAID__STATS_QUERY__INIT;
    sq.from = sq.to = now;
    sq.has_from = sq.has_to = 1;
    Legalaid__StatsFigures out = LEGALAID__STATS_FIGURES__INIT;
    arena_t a;
    arena_init(&a);
    const char *err = NULL;
    assert_int_equal(stats_figures(txn, stats, &sq, &out, &a, &err), 0);
    int seen = 0;
    for (size_t i = 0; i < out.n_rows; i++)
        if (!strcmp(out.rows[i]->measure, "applications") && !strcmp(out.rows[i]->dim, "kind")) {
            assert_int_equal(out.rows[i]->count, 10);
            assert_int_equal(out.rows[i]->sum, 1000);
            seen = 1;
        }
    assert_true(seen);
    arena_destroy(&a);
    assert_int_equal(ageq_count_check(txn, &q), 0); /* the counts agree with the members */
    assert_int_equal(store_commit(txn), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_held_until_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undo_forgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flush_lets_a_read_see, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_never_takes_the_parents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_floor_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sums_wrap_and_lanes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_transactions_written_straight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grandchild, setup, teardown),
        cmocka_unit_test(test_commit_that_does_not_fit),
        cmocka_unit_test_setup_teardown(test_readers_see_the_turn, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
