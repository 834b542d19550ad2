/*
 * test-daily.c - the figures by day behind the board's charts (daily.h):
 * things counted on their local day (a minute before and after local
 * midnight fall on two days); the day's median and 90th percentile read
 * from the histogram, never above the largest; 90 days answered with the
 * empty days included; every name kept listed when none is asked for; a
 * bad query refused by name. Then through a real eligibility daemon: an
 * application received two days before its first decision is counted as
 * one application on the day received and one decision taking two days,
 * and a store from before the table is counted from its records at open.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "daily.h"
#include "eligibilitykit.h"
#include "store.h"
#include "testutil.h"

/* Beijing time (UTC+8). */
#define T_0101_2359 1767283140000LL /* 2026-01-01 23:59 */
#define MIN 60000LL
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

typedef struct fixture {
    test_lmdb_t db; /* first: test_lmdb_setup */
    MDB_dbi dbi;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = test_lmdb_setup(state, sizeof *f);
    int empty = 0;
    assert_int_equal(daily_open(f->db.txn, &f->dbi, &empty), 0);
    assert_true(empty);
    return 0;
}

static void test_days_and_percentiles(void **state)
{
    fixture_t *f = *state;
    /* Ten decisions of 1 to 10 hours on 1 January (local), one of 30 days
     * a minute after midnight: the 2nd. */
    for (int i = 1; i <= 10; i++)
        assert_int_equal(daily_add(f->db.txn, f->dbi, "decision_seconds", T_0101_2359, i * HOUR), 0);
    assert_int_equal(daily_add(f->db.txn, f->dbi, "decision_seconds", T_0101_2359 + 2 * MIN, 30 * DAY),
                     0);
    assert_int_equal(daily_add(f->db.txn, f->dbi, "applications", T_0101_2359, -1), 0);

    daily_row_t row;
    int64_t jan1 = clock_local_day(T_0101_2359);
    assert_int_equal(daily_get(f->db.txn, f->dbi, "decision_seconds", jan1, &row), 0);
    assert_int_equal(row.count, 10);
    assert_int_equal(row.timed, 10);
    assert_int_equal(row.max_ms, 10 * HOUR);
    /* The 5th of ten is 5 h: the bucket (4 h, 8 h] holds 5, 6, 7 and 8 h,
     * so the median reads a quarter into it; the 9th lies in (8 h, 12 h],
     * which holds 9 and 10 h and is read no higher than the largest,
     * 10 h: halfway, 9 h. */
    assert_int_equal(daily_quantile(&row, 0.5), 5 * HOUR);
    assert_int_equal(daily_quantile(&row, 0.9), 9 * HOUR);
    assert_int_equal(daily_get(f->db.txn, f->dbi, "decision_seconds", jan1 + 1, &row), 0);
    assert_int_equal(row.count, 1);
    assert_int_equal(daily_quantile(&row, 0.5), 30 * DAY);
    /* Counted without a duration: no percentile. */
    assert_int_equal(daily_get(f->db.txn, f->dbi, "applications", jan1, &row), 0);
    assert_int_equal(row.count, 1);
    assert_int_equal(row.timed, 0);
    assert_int_equal(daily_quantile(&row, 0.5), 0);
    /* A day with nothing reads as zeros. */
    assert_int_equal(daily_get(f->db.txn, f->dbi, "applications", jan1 - 40, &row), 0);
    assert_int_equal(row.count, 0);

    /* 90 days to 2 January: the 88 empty ones included, oldest first. */
    Legalaid__DailyQuery q = LEGALAID__DAILY_QUERY__INIT;
    Legalaid__DailyFigures out = LEGALAID__DAILY_FIGURES__INIT;
    const char *err = NULL;
    assert_int_equal(daily_figures(f->db.txn, f->dbi, &q, T_0101_2359 + DAY, &out, &f->db.arena, &err),
                     0);
    assert_int_equal(out.n_series, 2); /* every name kept, in order */
    assert_string_equal(out.series[0]->name, "applications");
    const Legalaid__DailySeries *s = out.series[1];
    assert_string_equal(s->name, "decision_seconds");
    assert_int_equal(s->n_points, 90);
    assert_string_equal(s->points[0]->day, "2025-10-05");
    assert_string_equal(s->points[88]->day, "2026-01-01");
    assert_string_equal(s->points[89]->day, "2026-01-02");
    assert_int_equal(s->points[87]->count, 0);
    assert_int_equal(s->points[88]->count, 10);
    assert_int_equal(s->points[88]->p50_ms, 5 * HOUR);
    assert_int_equal(s->points[89]->count, 1);
    assert_int_equal(s->count, 11);
    assert_int_equal(s->p50_ms, 6 * HOUR); /* the 6th of 11: halfway into (4 h, 8 h] */

    /* One name, seven days to 1 January. */
    char *names[] = {"applications"};
    q.names = names;
    q.n_names = 1;
    q.days = 7;
    q.has_days = 1;
    q.until = T_0101_2359;
    q.has_until = 1;
    Legalaid__DailyFigures one = LEGALAID__DAILY_FIGURES__INIT;
    assert_int_equal(daily_figures(f->db.txn, f->dbi, &q, 0, &one, &f->db.arena, &err), 0);
    assert_int_equal(one.n_series, 1);
    assert_int_equal(one.series[0]->n_points, 7);
    assert_string_equal(one.series[0]->points[6]->day, "2026-01-01");
    assert_int_equal(one.series[0]->count, 1);
}

static void test_refused(void **state)
{
    fixture_t *f = *state;
    Legalaid__DailyQuery q = LEGALAID__DAILY_QUERY__INIT;
    Legalaid__DailyFigures out = LEGALAID__DAILY_FIGURES__INIT;
    const char *err = NULL;
    q.days = 401;
    q.has_days = 1;
    assert_int_equal(daily_figures(f->db.txn, f->dbi, &q, T_0101_2359, &out, &f->db.arena, &err),
                     -EINVAL);
    assert_non_null(strstr(err, "days"));
    q.days = 7;
    char *names[] = {""};
    q.names = names;
    q.n_names = 1;
    assert_int_equal(daily_figures(f->db.txn, f->dbi, &q, T_0101_2359, &out, &f->db.arena, &err),
                     -EINVAL);
    assert_non_null(strstr(err, "names"));
    char longname[80];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    assert_int_equal(daily_add(f->db.txn, f->dbi, longname, T_0101_2359, -1), -EINVAL);
    assert_int_equal(store_count(f->db.txn, f->dbi), 0);
}

/* --- through a real eligibility daemon ------------------------------------ */

static const Legalaid__DailySeries *ek_series(ek_fixture_t *f, Legalaid__Reply **r,
                                              const char *name)
{
    Legalaid__DailyQuery q = LEGALAID__DAILY_QUERY__INIT;
    q.days = 7;
    q.has_days = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DAILY;
    req.daily = &q;
    *r = test_call_new(f->td.d, &req);
    test_assert_code(*r, LEGALAID__CODE__OK);
    assert_int_equal((*r)->body_case, LEGALAID__REPLY__BODY_DAILY);
    assert_string_equal((*r)->daily->daemon, "eligibility");
    for (size_t i = 0; i < (*r)->daily->n_series; i++)
        if (strcmp((*r)->daily->series[i]->name, name) == 0) return (*r)->daily->series[i];
    fail_msg("no series %s", name);
    return NULL;
}

static void ek_check_counted(ek_fixture_t *f)
{
    Legalaid__Reply *r;
    const Legalaid__DailySeries *s = ek_series(f, &r, "applications");
    /* Received on 28 February (two days before EK_T0, 2 March): the 7 days
     * to 2 March are 24 February .. 2 March. */
    assert_string_equal(s->points[4]->day, "2026-02-28");
    assert_int_equal(s->points[4]->count, 1);
    assert_int_equal(s->count, 1);
    legalaid__reply__free_unpacked(r, NULL);
    s = ek_series(f, &r, "decision_seconds");
    assert_string_equal(s->points[6]->day, "2026-03-02");
    assert_int_equal(s->points[6]->count, 1);
    /* Two days in the (36 h, 2 d] bucket: its top, the largest seen. */
    assert_int_equal(s->points[6]->p50_ms, 2 * DAY);
    assert_int_equal(s->points[6]->max_ms, 2 * DAY);
    legalaid__reply__free_unpacked(r, NULL);
}

/* A store from before the "daily" table. */
static void drop_daily(const char *dir, void *arg)
{
    (void)arg;
    test_drop_table(dir, "daily");
}

static void test_eligibility_counts(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000501", "15020319800101011");
    p.app.received_at = EK_T0 - 2 * DAY;
    ek_feed(f, &p);
    ek_check_counted(f);
    /* A query changes nothing; the same figures from an older store's
     * records once the table is gone. */
    ek_restart(f, drop_daily, NULL);
    ek_check_counted(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_days_and_percentiles, setup, test_lmdb_teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, test_lmdb_teardown),
        cmocka_unit_test_setup_teardown(test_eligibility_counts, ek_setup, ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
