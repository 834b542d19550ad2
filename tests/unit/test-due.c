/*
 * test-due.c - the one due-time index of common/ (due.h), through real
 * ticks of a small test service: entries fire in due order (time, then
 * kind, then id) and only once, only when the clock has reached them, at
 * most a bounded number per tick, an entry added by a callback is seen in
 * the same tick, a failing callback leaves the index as it was, and bad
 * ids are refused without writing anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "due.h"
#include "store.h"
#include "testutil.h"

#define T0 1767225600000LL /* 2026-01-01T00:00:00Z */
#define MIN 60000LL

static MDB_dbi due_table;

typedef struct fired {
    int64_t due_at;
    int kind;
    char id[64];
} fired_t;

static fired_t fired[1024];
static size_t nfired;
static size_t tick_max;  /* passed to due_tick */
static int fail_on_kind; /* the callback fails on this kind */
static int readd_kind;   /* the callback adds an entry of this kind, due now */

static int due_fire(turn_t *t, int64_t due_at, int kind, const char *id, size_t len, void *arg)
{
    (void)arg;
    assert_int_equal(strlen(id), len); /* NUL-terminated copy */
    if (kind == fail_on_kind) return -EIO;
    if (nfired < sizeof fired / sizeof *fired) {
        fired[nfired].due_at = due_at;
        fired[nfired].kind = kind;
        snprintf(fired[nfired].id, sizeof fired[nfired].id, "%s", id);
        nfired++;
    }
    if (kind == readd_kind) return due_put(t->txn, due_table, due_at, 'z', "again", 5);
    return 0;
}

static int sched_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    return store_table(txn, "due", &due_table);
}

static int sched_tick(turn_t *t)
{
    return due_tick(t, due_table, tick_max, due_fire, NULL, NULL);
}

static const service_t sched_service = {.name = "sched", .open = sched_open, .tick = sched_tick};

static void put(daemon_t *d, int64_t at, int kind, const char *id)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(daemon_env(d), NULL, 0, &txn), 0);
    assert_int_equal(due_put(txn, due_table, at, kind, id, strlen(id)), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
}

static uint64_t count(daemon_t *d)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(daemon_env(d), NULL, MDB_RDONLY, &txn), 0);
    uint64_t n = due_count(txn, due_table);
    mdb_txn_abort(txn);
    return n;
}

static int setup(void **state)
{
    nfired = 0;
    tick_max = 0;
    fail_on_kind = -1;
    readd_kind = -1;
    return test_fixture_setup(state, sizeof(test_daemon_t), &sched_service, T0);
}

static void test_fires_in_due_order_once(void **state)
{
    test_daemon_t *td = *state;
    put(td->d, T0 + 3 * MIN, 'a', "BT-2026-000003");
    put(td->d, T0 + 1 * MIN, 'b', "BT-2026-000001");
    put(td->d, T0 + 1 * MIN, 'a', "BT-2026-000002");
    put(td->d, T0 + 2 * MIN, 'a', "BT-2026-000001");
    put(td->d, T0 + 600 * MIN, 'a', "BT-2026-000009"); /* ten hours on */
    put(td->d, T0 + 2 * MIN, 'a', "BT-2026-000001");   /* the same entry again */
    assert_int_equal(count(td->d), 5);

    assert_int_equal(daemon_tick(td->d), 0); /* nothing due yet */
    assert_int_equal(nfired, 0);

    clock_set_ms(T0 + 5 * MIN);
    assert_int_equal(daemon_tick(td->d), 0);
    assert_int_equal(nfired, 4);
    assert_true(fired[0].due_at == T0 + MIN && fired[0].kind == 'a');
    assert_string_equal(fired[0].id, "BT-2026-000002");
    assert_true(fired[1].due_at == T0 + MIN && fired[1].kind == 'b');
    assert_true(fired[2].due_at == T0 + 2 * MIN);
    assert_true(fired[3].due_at == T0 + 3 * MIN);
    assert_string_equal(fired[3].id, "BT-2026-000003");
    assert_int_equal(count(td->d), 1); /* the ten-hour one waits */

    assert_int_equal(daemon_tick(td->d), 0); /* fired once only */
    assert_int_equal(nfired, 4);
}

static void test_delete(void **state)
{
    test_daemon_t *td = *state;
    put(td->d, T0 + MIN, 'o', "BT-2026-000001");
    put(td->d, T0 + MIN, 'o', "BT-2026-000002");
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(daemon_env(td->d), NULL, 0, &txn), 0);
    assert_int_equal(due_del(txn, due_table, T0 + MIN, 'o', "BT-2026-000001", 14), 0);
    assert_int_equal(due_del(txn, due_table, T0 + MIN, 'o', "BT-2026-000001", 14), 0); /* absent */
    assert_int_equal(due_del(txn, due_table, T0 + MIN, 'x', "BT-2026-000002", 14),
                     0); /* other kind */
    assert_int_equal(mdb_txn_commit(txn), 0);
    assert_int_equal(count(td->d), 1);
    clock_set_ms(T0 + 2 * MIN);
    assert_int_equal(daemon_tick(td->d), 0);
    assert_int_equal(nfired, 1);
    assert_string_equal(fired[0].id, "BT-2026-000002");
}

static void test_bounded_per_tick(void **state)
{
    test_daemon_t *td = *state;
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(daemon_env(td->d), NULL, 0, &txn), 0);
    for (int i = 0; i < 300; i++) {
        char id[32];
        int n = snprintf(id, sizeof id, "BT-2026-%06d", i);
        assert_int_equal(due_put(txn, due_table, T0 + i, 'a', id, (size_t)n), 0);
    }
    assert_int_equal(mdb_txn_commit(txn), 0);
    clock_set_ms(T0 + MIN);
    assert_int_equal(daemon_tick(td->d), 0);
    assert_int_equal(nfired, DUE_TICK_MAX);
    assert_int_equal(count(td->d), 300 - DUE_TICK_MAX);
    tick_max = 10;
    assert_int_equal(daemon_tick(td->d), 0);
    assert_int_equal(nfired, DUE_TICK_MAX + 10);
    tick_max = 0;
    assert_int_equal(daemon_tick(td->d), 0);
    assert_int_equal(nfired, 300);
    assert_string_equal(fired[299].id, "BT-2026-000299");
    assert_int_equal(count(td->d), 0);
}

static void test_callback_adds_and_fails(void **state)
{
    test_daemon_t *td = *state;
    /* An entry added by a callback and already due fires in the same tick. */
    readd_kind = 'r';
    put(td->d, T0 + MIN, 'r', "first");
    clock_set_ms(T0 + 2 * MIN);
    assert_int_equal(daemon_tick(td->d), 0);
    assert_int_equal(nfired, 2);
    assert_int_equal(fired[1].kind, 'z');
    assert_string_equal(fired[1].id, "again");
    assert_int_equal(count(td->d), 0);

    /* A callback that fails fails the tick: the entry stays for the next. */
    fail_on_kind = 'f';
    put(td->d, T0 + MIN, 'f', "BT-2026-000007");
    daemon_tick(td->d);
    assert_int_equal(count(td->d), 1);
    fail_on_kind = -1;
    assert_int_equal(daemon_tick(td->d), 0);
    assert_int_equal(count(td->d), 0);
    assert_string_equal(fired[nfired - 1].id, "BT-2026-000007");
}

static void test_bad_entries(void **state)
{
    test_daemon_t *td = *state;
    MDB_txn *txn;
    char longid[DUE_ID_MAX + 2];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = 0;
    assert_int_equal(mdb_txn_begin(daemon_env(td->d), NULL, 0, &txn), 0);
    assert_int_equal(due_put(txn, due_table, T0, 'a', "", 0), -EINVAL);
    assert_int_equal(due_put(txn, due_table, T0, 'a', longid, DUE_ID_MAX + 1), -EINVAL);
    assert_int_equal(due_put(txn, due_table, T0, 'a', longid, DUE_ID_MAX), 0); /* the longest */
    assert_int_equal(due_put(txn, due_table, 0, 'a', "no deadline", 11), 0);   /* nothing */
    /* A key not written by due_put (too short) is dropped by the tick. */
    MDB_val k = {5, "short"}, v = {0, ""};
    assert_int_equal(mdb_put(txn, due_table, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    assert_int_equal(count(td->d), 2);
    clock_set_ms(T0 + MIN);
    assert_int_equal(daemon_tick(td->d), 0);
    assert_int_equal(nfired, 1);
    assert_int_equal(strlen(fired[0].id), sizeof fired[0].id - 1); /* copied (truncated here) */
    assert_int_equal(count(td->d), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fires_in_due_order_once, setup, test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_bounded_per_tick, setup, test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_callback_adds_and_fails, setup, test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_bad_entries, setup, test_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
