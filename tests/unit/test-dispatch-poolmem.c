/*
 * test-dispatch-poolmem.c - the pool's loads kept in memory
 * (dispatch_poolmem.c) follow LMDB's transactions: a fair share kept back
 * in a child that commits is written by the flush before the turn commits;
 * what a child that is undone changed — kept back or written — is put back;
 * a turn undone as a whole leaves only what LMDB has. Checked against the
 * "load" table read from LMDB in a read-only transaction of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatch_int.h"
#include "dispatchkit.h"
#include "store.h"
#include "testutil.h"

#define T_START 1772416800000LL

typedef struct fixture {
    test_daemon_t td;
    dk_pool_t pool;
    arena_t arena;
} fixture_t;

static int setup(void **state)
{
    test_fixture_setup(state, sizeof(fixture_t), &dispatch_service, T_START);
    fixture_t *f = *state;
    dk_lawyer(&f->pool, "L-1", "甲律师事务所");
    dk_lawyer(&f->pool, "L-2", "甲律师事务所");
    dk_lawyer(&f->pool, "L-3", "乙律师事务所");
    dk_import_ok(f->td.d, &f->pool);
    arena_init(&f->arena);
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    arena_destroy(&f->arena);
    test_daemon_close(&f->td);
    free(f);
    return 0;
}

/* The load of a lawyer as committed in LMDB, read from the table itself
 * in a read-only transaction (dispatch_pool_load_get would answer from the
 * copy while a write transaction is open... and must not: checked too). */
static dispatch_load_t committed(fixture_t *f, const char *id)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(daemon_env(f->td.d), NULL, MDB_RDONLY, &txn), 0);
    dispatch_load_t l = {0}, via_get;
    MDB_val k = {strlen(id), (void *)id}, v;
    int rc = mdb_get(txn, dispatch_load, &k, &v);
    assert_true(rc == 0 || rc == MDB_NOTFOUND);
    if (rc == 0) dispatch_load_decode(&v, &l);
    assert_int_equal(dispatch_pool_load_get(txn, id, &via_get), 0);
    assert_memory_equal(&l, &via_get, sizeof l);
    mdb_txn_abort(txn);
    return l;
}

/* Member index of id in the pool as the copy has it. */
static uint32_t member(const dispatch_poolmem_t *p, const char *id)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->m[i].id, id) == 0) return (uint32_t)i;
    fail_msg("%s not in the pool", id);
    return 0;
}

static const dispatch_poolmem_t *pool_in(fixture_t *f, MDB_txn *txn, turn_t *t)
{
    *t = (turn_t){f->td.d, txn, &f->arena, clock_now_ms(), "test", NULL, NULL, NULL};
    const dispatch_poolmem_t *p;
    assert_int_equal(dispatch_poolmem_get(t, &p), 0);
    return p;
}

static void test_children_commit_and_undo(void **state)
{
    fixture_t *f = *state;
    MDB_env *env = daemon_env(f->td.d);
    MDB_txn *top, *child;
    turn_t t;
    assert_int_equal(store_begin(env, NULL, &top), 0);
    const dispatch_poolmem_t *p = pool_in(f, top, &t);
    uint32_t l1 = member(p, "L-1"), l2 = member(p, "L-2");

    /* A child keeps back L-1's share and commits: the parent sees it. */
    assert_int_equal(store_begin(env, top, &child), 0);
    dispatch_load_t l = p->load[l1];
    l.ideal_micro += 500000;
    assert_true(dispatch_poolmem_defer(l1, &l));
    assert_int_equal(store_commit(child), 0);

    /* A child keeps back L-2's share, writes L-3's offer, and is undone. */
    assert_int_equal(store_begin(env, top, &child), 0);
    l = p->load[l2];
    l.ideal_micro += 700000;
    assert_true(dispatch_poolmem_defer(l2, &l));
    dispatch_load_t offer = {0};
    offer.offers = offer.offers_open = 1;
    assert_int_equal(dispatch_pool_load_put(child, "L-3", &offer), 0);
    int64_t firm_before_undo = p->firm_deficit[p->m[l2].firm_ix];
    store_undo(child);

    dispatch_load_t got;
    assert_int_equal(dispatch_pool_load_get(top, "L-1", &got), 0);
    assert_int_equal(got.ideal_micro, 500000);
    assert_int_equal(dispatch_pool_load_get(top, "L-2", &got), 0);
    assert_int_equal(got.ideal_micro, 0);
    assert_int_equal(dispatch_pool_load_get(top, "L-3", &got), 0);
    assert_int_equal(got.offers, 0);
    /* The firm's summed deficit is put back with it: only L-1's share. */
    assert_true(p->firm_deficit[p->m[l2].firm_ix] < firm_before_undo);
    assert_int_equal(p->firm_deficit[p->m[l1].firm_ix], 500000);

    /* Kept back until the flush: LMDB has nothing yet. */
    assert_int_equal(committed(f, "L-1").ideal_micro, 0);
    assert_int_equal(dispatch_poolmem_flush(f->td.d, top), 0);
    assert_int_equal(store_commit(top), 0);
    assert_int_equal(committed(f, "L-1").ideal_micro, 500000);
    assert_int_equal(committed(f, "L-2").ideal_micro, 0);
    assert_int_equal(committed(f, "L-3").offers, 0);
}

/* A member set many times in one transaction is logged once (the first
 * value restores it): each undo still puts back what was there when that
 * transaction began, at every depth. */
static void test_sets_logged_once_undone_right(void **state)
{
    fixture_t *f = *state;
    MDB_env *env = daemon_env(f->td.d);
    MDB_txn *top, *child, *grandchild;
    turn_t t;
    assert_int_equal(store_begin(env, NULL, &top), 0);
    const dispatch_poolmem_t *p = pool_in(f, top, &t);
    uint32_t l1 = member(p, "L-1");
    dispatch_load_t l = p->load[l1], got;
    int64_t firm0 = p->firm_deficit[p->m[l1].firm_ix];

    assert_int_equal(store_begin(env, top, &child), 0); /* A: 100k, 200k; kept */
    for (int i = 1; i <= 2; i++) {
        l.ideal_micro = 100000u * (unsigned)i;
        assert_true(dispatch_poolmem_defer(l1, &l));
    }
    assert_int_equal(store_commit(child), 0);
    assert_int_equal(store_begin(env, top, &child), 0); /* B: 300k, 400k; undone */
    for (int i = 3; i <= 4; i++) {
        l.ideal_micro = 100000u * (unsigned)i;
        assert_true(dispatch_poolmem_defer(l1, &l));
    }
    /* ...with a grandchild that sets it again, and L-2 that B never set,
     * and commits into B: undoing B puts back both. */
    uint32_t l2 = member(p, "L-2");
    dispatch_load_t l2_before = p->load[l2], m = l2_before;
    assert_int_equal(store_begin(env, child, &grandchild), 0);
    l.ideal_micro = 450000;
    assert_true(dispatch_poolmem_defer(l1, &l));
    m.ideal_micro += 250000;
    assert_true(dispatch_poolmem_defer(l2, &m));
    m.ideal_micro += 250000;
    assert_true(dispatch_poolmem_defer(l2, &m));
    assert_int_equal(store_commit(grandchild), 0);
    assert_int_equal(dispatch_pool_load_get(top, "L-2", &got), 0);
    assert_int_equal(got.ideal_micro, l2_before.ideal_micro + 500000);
    store_undo(child);
    assert_int_equal(dispatch_pool_load_get(top, "L-1", &got), 0);
    assert_int_equal(got.ideal_micro, 200000);
    assert_int_equal(dispatch_pool_load_get(top, "L-2", &got), 0);
    assert_int_equal(got.ideal_micro, l2_before.ideal_micro);
    assert_int_equal(store_begin(env, top, &child), 0); /* C: 500k, 600k; undone */
    for (int i = 5; i <= 6; i++) {
        l.ideal_micro = 100000u * (unsigned)i;
        assert_true(dispatch_poolmem_defer(l1, &l));
    }
    store_undo(child);
    assert_int_equal(dispatch_pool_load_get(top, "L-1", &got), 0);
    assert_int_equal(got.ideal_micro, 200000);
    assert_int_equal(p->firm_deficit[p->m[l1].firm_ix], firm0 + 200000);
    /* D commits 700k over A's merged entry: the parent keeps A's, older. */
    assert_int_equal(store_begin(env, top, &child), 0);
    l.ideal_micro = 700000;
    assert_true(dispatch_poolmem_defer(l1, &l));
    assert_int_equal(store_commit(child), 0);
    assert_int_equal(dispatch_pool_load_get(top, "L-1", &got), 0);
    assert_int_equal(got.ideal_micro, 700000);
    /* The turn undone as a whole: LMDB's value, nothing of A or D. */
    store_undo(top);
    assert_int_equal(committed(f, "L-1").ideal_micro, 0);
    assert_int_equal(store_begin(env, NULL, &top), 0);
    p = pool_in(f, top, &t);
    assert_int_equal(p->load[member(p, "L-1")].ideal_micro, 0);
    assert_int_equal(p->firm_deficit[p->m[member(p, "L-1")].firm_ix], firm0);
    store_undo(top);
}

static void test_turn_undone_whole(void **state)
{
    fixture_t *f = *state;
    MDB_env *env = daemon_env(f->td.d);
    MDB_txn *top, *child;
    turn_t t;
    assert_int_equal(store_begin(env, NULL, &top), 0);
    const dispatch_poolmem_t *p = pool_in(f, top, &t);
    uint32_t l1 = member(p, "L-1");
    assert_int_equal(store_begin(env, top, &child), 0);
    dispatch_load_t l = p->load[l1];
    l.ideal_micro = 900000;
    assert_true(dispatch_poolmem_defer(l1, &l));
    assert_int_equal(store_commit(child), 0);
    assert_int_equal(dispatch_poolmem_flush(f->td.d, top), 0);
    store_undo(top); /* e.g. the disk was full at the commit */

    assert_int_equal(store_begin(env, NULL, &top), 0);
    p = pool_in(f, top, &t);
    assert_int_equal(p->load[member(p, "L-1")].ideal_micro, 0);
    dispatch_load_t got;
    assert_int_equal(dispatch_pool_load_get(top, "L-1", &got), 0);
    assert_int_equal(got.ideal_micro, 0);
    store_undo(top);
    assert_int_equal(committed(f, "L-1").ideal_micro, 0);
}

/* Through the daemon: offers made in turns leave the shares in LMDB, and a
 * daemon opened again on the same directory reads the same. */
static void test_shares_written_by_turns(void **state)
{
    fixture_t *f = *state;
    uint64_t seq = 0;
    for (int i = 0; i < 6; i++) {
        dk_case_t c;
        char id[32];
        snprintf(id, sizeof id, "PM-%d", i);
        dk_case_init(&c, id, LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
        dk_feed(f->td.d, &seq, &c.d);
    }
    uint64_t ideal = 0, offers = 0;
    const char *ids[] = {"L-1", "L-2", "L-3"};
    for (int i = 0; i < 3; i++) {
        dispatch_load_t l = committed(f, ids[i]);
        ideal += l.ideal_micro;
        offers += l.offers;
    }
    assert_int_equal(offers, 6);
    assert_true(ideal <= 6000000 && ideal >= 6000000 - 6 * 3); /* each offer shared out once */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_children_commit_and_undo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sets_logged_once_undone_right, setup, teardown),
        cmocka_unit_test_setup_teardown(test_turn_undone_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shares_written_by_turns, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
