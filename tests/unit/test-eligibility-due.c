/*
 * test-eligibility-due.c - eligibility's deadlines table
 * (eligibility_due.c): an installation that ran the version before
 * common/due.h kept its open deadlines in table "due" as due_at | case_id
 * -> kind; at open they move into "deadlines" (due_at | kind | case_id)
 * and "due" is deleted, so the tick still acts on each, once: the
 * materials deadline deems the application withdrawn (art. 43(2)), the
 * bureau's date reports the objection overdue (art. 49).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "eligibilitykit.h"
#include "store.h"
#include "testutil.h"

/* Beijing time (UTC+8). */
#define T_0302_1000 1772416800000LL /* 2026-03-02 10:00: receipt */
#define T_0309_2400 1773072000000LL /* 2026-03-09 24:00: the bureau's 5 days, past a weekend */
#define T_0317_2400 1773763200000LL /* 2026-03-17 24:00: receipt + 15 days */

/* Rewrites every entry of "deadlines" in the older layout into "due", as
 * the version before common/due.h left them, with the daemon stopped;
 * *(size_t *)arg gets how many. */
static void old_layout(const char *dir, void *arg)
{
    store_t s;
    assert_int_equal(store_open(&s, dir, 64u << 20, 1), 0);
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(s.env, NULL, 0, &txn), 0);
    MDB_dbi now, old;
    assert_int_equal(mdb_dbi_open(txn, "deadlines", 0, &now), 0);
    assert_int_equal(mdb_dbi_open(txn, "due", MDB_CREATE, &old), 0);
    MDB_cursor *c;
    assert_int_equal(mdb_cursor_open(txn, now, &c), 0);
    MDB_val k, v;
    size_t n = 0;
    while (mdb_cursor_get(c, &k, &v, MDB_FIRST) == 0) {
        unsigned char key[8 + 64];
        assert_true(k.mv_size > 9 && k.mv_size <= 9 + 64);
        memcpy(key, k.mv_data, 8);
        memcpy(key + 8, (const unsigned char *)k.mv_data + 9, k.mv_size - 9);
        char kind = ((const char *)k.mv_data)[8];
        MDB_val ok = {k.mv_size - 1, key}, ov = {1, &kind};
        assert_int_equal(mdb_put(txn, old, &ok, &ov, 0), 0);
        assert_int_equal(mdb_cursor_del(c, 0), 0);
        n++;
    }
    mdb_cursor_close(c);
    assert_int_equal(mdb_txn_commit(txn), 0);
    store_close(&s);
    *(size_t *)arg = n;
}

/* Whether table "due" exists in the daemon's directory (daemon stopped):
 * *(int *)arg. */
static void old_table_exists(const char *dir, void *arg)
{
    store_t s;
    assert_int_equal(store_open(&s, dir, 64u << 20, 1), 0);
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(s.env, NULL, MDB_RDONLY, &txn), 0);
    MDB_dbi dbi;
    int rc = mdb_dbi_open(txn, "due", 0, &dbi);
    mdb_txn_abort(txn);
    store_close(&s);
    assert_true(rc == 0 || rc == MDB_NOTFOUND);
    *(int *)arg = rc == 0;
}

static void test_old_layout_converted_at_open(void **state)
{
    ek_fixture_t *f = *state;
    /* A case awaiting materials (due 03-17) and a refusal objected to (the
     * bureau's date 03-09). */
    test_received_t p;
    test_received_init(&p, "BT-2026-000901", "15020319800101011");
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    eligibility_config.income_standards = "2022-01-01:1500";
    test_received_t q;
    test_received_init(&q, "BT-2026-000902", "15020319750305021");
    q.app.has_household_income_fen = 1;
    q.app.household_income_fen = 5000000;
    ek_feed(f, &q);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__REFUSED);
    Legalaid__Reply *r = ek_file_objection(f, "BT-2026-000902", "收入计算有误");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->due_at, T_0309_2400);
    legalaid__reply__free_unpacked(r, NULL);
    legalaid__batch__free_unpacked(ek_published(f), NULL);
    assert_int_equal(test_counter(f->td.d, "deadlines_open"), 2);

    /* Stopped, its deadlines put back as the older version kept them, and
     * started again: both deadlines are open in the new table. */
    size_t moved = 0;
    ek_restart(f, old_layout, &moved);
    assert_int_equal(moved, 2);
    assert_int_equal(test_counter(f->td.d, "deadlines_open"), 2);
    /* "due" is gone: the next start has nothing to convert. */
    int exists = 1;
    ek_restart(f, old_table_exists, &exists);
    assert_false(exists);
    assert_int_equal(test_counter(f->td.d, "deadlines_open"), 2);

    /* ... and the tick acts on each when it falls due, once. */
    clock_set_ms(T_0309_2400 + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(test_counter(f->td.d, "objections_overdue"), 1);
    ek_assert_nothing_published(f);
    clock_set_ms(T_0317_2400 + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__DEEMED_WITHDRAWN);
    assert_int_equal(daemon_tick(f->td.d), 0);
    ek_assert_nothing_published(f);
    assert_int_equal(test_counter(f->td.d, "objections_overdue"), 1);
    assert_int_equal(test_counter(f->td.d, "deadlines_open"), 0);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_old_layout_converted_at_open, ek_setup, ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
