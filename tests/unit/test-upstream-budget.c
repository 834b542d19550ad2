/*
 * test-upstream-budget.c - a batch is applied for at most
 * UPSTREAM_APPLY_BUDGET_MS (upstream.c): a consumer whose events are slow
 * to apply stops inside a long batch, commits what it applied, asks the
 * next fetch for about as many events as fitted, and takes the rest from
 * the batch sent again, each event once; quick batches ask for more again.
 *
 * The slow apply sleeps 30 ms an event: on a loaded machine a sleep only
 * lasts longer, so "fewer than the whole batch" holds however busy CI is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon_int.h"
#include "store.h"
#include "testutil.h"

#define N_EVENTS 40

static MDB_dbi budget_rows;
static int budget_slow;

static int budget_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    return store_table(txn, "rows", &budget_rows);
}

/* One row per event applied (a second one for the same seq is refused:
 * MDB_NOOVERWRITE), after 30 ms when slow. */
static int budget_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    (void)upstream;
    if (budget_slow) {
        struct timespec ts = {0, 30 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    char key[32];
    snprintf(key, sizeof key, "%08llu", (unsigned long long)ev->seq);
    MDB_val k = {strlen(key), key}, v = {0, ""};
    int rc = mdb_put(t->txn, budget_rows, &k, &v, MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) fail_msg("seq %llu applied twice", (unsigned long long)ev->seq);
    return store_rc(rc);
}

static const char *const budget_upstreams[] = {"src", NULL};
static const char *const budget_consumers[] = {"notify", NULL};
static const service_t budget_service = {
    .name = "sink", .upstreams = budget_upstreams, .consumers = budget_consumers,
    .open = budget_open, .apply = budget_apply,
};

/* The producer's batch: events from..N_EVENTS, head N_EVENTS. */
static void feed(daemon_t *d, uint64_t from)
{
    test_feed_range(d, "src", from, N_EVENTS, N_EVENTS, 1, 0);
}

static uint64_t rows(daemon_t *d)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    uint64_t n = store_count(txn, budget_rows);
    mdb_txn_abort(txn);
    return n;
}

static void test_slow_batch_cut_and_resumed(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&budget_service, dir);
    assert_non_null(d);
    upstream_t *up = &d->upstreams[0];

    budget_slow = 1;
    feed(d, 1);
    uint64_t first = up->applied;
    /* 200 ms at 30 ms an event: seven at most, at least one. */
    assert_true(first >= 1);
    assert_true(first <= 7);
    assert_int_equal(rows(d), first);
    assert_int_equal(up->fetch_events, first); /* the next fetch asks for what fitted */

    /* The producer answers the next fetch from the committed offset; a batch
     * sent again from the start is skipped up to it (each event once). */
    int feeds = 1;
    while (up->applied < N_EVENTS && feeds < 4 * N_EVENTS) {
        feed(d, feeds % 2 ? up->applied + 1 : 1);
        feeds++;
    }
    assert_int_equal(up->applied, N_EVENTS);
    assert_int_equal(rows(d), N_EVENTS);
    assert_true(feeds > 1);

    /* Quick again: each whole batch applied within half the budget doubles
     * what the next fetch asks for, back to fetch_max_events (0). */
    budget_slow = 0;
    uint32_t before = up->fetch_events;
    feed(d, N_EVENTS + 1); /* an empty batch: applied at once */
    assert_int_equal(up->fetch_events, before * 2 >= (uint32_t)d->cfg.fetch_max_events ? 0 : before * 2);
    for (int i = 0; i < 12 && up->fetch_events; i++) feed(d, N_EVENTS + 1);
    assert_int_equal(up->fetch_events, 0);

    daemon_close_test(&d);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slow_batch_cut_and_resumed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
