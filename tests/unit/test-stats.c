/*
 * test-stats.c - the statistics kept as the work happens (common/stats.c):
 * a period's sums are those of the days it holds, whole months, ragged
 * ends and across a year's end; each
 * dimension's values add up to "all"; a person is counted once a calendar
 * year; bad names and periods are refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "clock.h"
#include "stats.h"
#include "testutil.h"

typedef struct fixture {
    test_lmdb_t db; /* first: test_lmdb_setup */
    MDB_dbi dbi;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = test_lmdb_setup(state, sizeof *f);
    int empty = 0;
    assert_int_equal(stats_open(f->db.txn, &f->dbi, &empty), 0);
    assert_true(empty);
    return 0;
}

static int64_t day_of(const char *date)
{
    int64_t day = 0;
    assert_null(check_date(date, &day));
    return day;
}

/* Noon of a local day. */
static int64_t noon(int64_t day)
{
    return clock_local_midnight(day) + 12 * 3600 * 1000LL;
}

static const Legalaid__StatsRow *row_of(const Legalaid__StatsFigures *out, const char *measure,
                                        const char *dim, const char *value)
{
    for (size_t i = 0; i < out->n_rows; i++)
        if (!strcmp(out->rows[i]->measure, measure) && !strcmp(out->rows[i]->dim, dim) &&
            !strcmp(out->rows[i]->value, value))
            return out->rows[i];
    return NULL;
}

static uint64_t count_of(fixture_t *f, int64_t d0, int64_t d1, const char *dim, const char *value)
{
    Legalaid__StatsQuery q = LEGALAID__STATS_QUERY__INIT;
    q.from = noon(d0);
    q.to = noon(d1);
    q.has_from = q.has_to = 1;
    Legalaid__StatsFigures out = LEGALAID__STATS_FIGURES__INIT;
    const char *err = NULL;
    assert_int_equal(stats_figures(f->db.txn, f->dbi, &q, &out, &f->db.arena, &err), 0);
    const Legalaid__StatsRow *r = row_of(&out, "aided_cases", dim, value);
    return r ? r->count : 0;
}

/* One case a day from 2021-11-15 to 2022-02-14 (92 days), every third
 * civil, the others criminal: any period reads as the days it holds. */
static void test_periods_add_up(void **state)
{
    fixture_t *f = *state;
    int64_t first = day_of("2021-11-15"), last = day_of("2022-02-14");
    for (int64_t d = first; d <= last; d++) {
        stats_dims_t ds = {.n = 0};
        stats_dim(&ds, "kind", (d - first) % 3 == 0 ? "civil" : "criminal");
        stats_dim(&ds, "county", NULL);
        assert_int_equal(stats_add(f->db.txn, f->dbi, "aided_cases", noon(d), 1, 100, &ds), 0);
    }
    /* Whole months, ragged ends, across the year's end, one day. */
    static const char *const periods[][2] = {
        {"2021-12-01", "2021-12-31"}, {"2021-11-20", "2022-01-10"}, {"2021-11-01", "2022-12-31"},
        {"2022-01-01", "2022-01-31"}, {"2021-12-31", "2022-01-01"}, {"2022-02-14", "2022-02-14"},
        {"2021-11-30", "2022-02-01"},
    };
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
        int64_t d0 = day_of(periods[i][0]), d1 = day_of(periods[i][1]);
        uint64_t want = 0, civil = 0;
        for (int64_t d = d0; d <= d1; d++)
            if (d >= first && d <= last) {
                want++;
                civil += (d - first) % 3 == 0;
            }
        assert_int_equal(count_of(f, d0, d1, "all", ""), want);
        assert_int_equal(count_of(f, d0, d1, "kind", "civil"), civil);
        assert_int_equal(count_of(f, d0, d1, "kind", "civil") + count_of(f, d0, d1, "kind", "criminal"),
                         want);
        /* A value not recorded is "unknown", so the dimension adds up. */
        assert_int_equal(count_of(f, d0, d1, "county", "unknown"), want);
    }
}

static void test_distinct_a_year(void **state)
{
    fixture_t *f = *state;
    unsigned char h1[16] = {1}, h2[16] = {2};
    int64_t y22 = noon(day_of("2022-03-01")), y22b = noon(day_of("2022-11-30"));
    int64_t y23 = noon(day_of("2023-01-02"));
    assert_int_equal(stats_first_in_year(f->db.txn, f->dbi, "aided", y22, h1, 16), 1);
    assert_int_equal(stats_first_in_year(f->db.txn, f->dbi, "aided", y22b, h1, 16), 0);
    assert_int_equal(stats_first_in_year(f->db.txn, f->dbi, "aided", y22b, h2, 16), 1);
    assert_int_equal(stats_first_in_year(f->db.txn, f->dbi, "aided", y23, h1, 16), 1);
}

static void test_refused(void **state)
{
    fixture_t *f = *state;
    char longname[STATS_MEASURE_MAX + 2];
    memset(longname, 'm', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    assert_int_equal(stats_add(f->db.txn, f->dbi, longname, noon(1), 1, 0, NULL), -EINVAL);
    assert_int_equal(stats_add(f->db.txn, f->dbi, "", noon(1), 1, 0, NULL), -EINVAL);
    Legalaid__StatsQuery q = LEGALAID__STATS_QUERY__INIT;
    Legalaid__StatsFigures out = LEGALAID__STATS_FIGURES__INIT;
    const char *err = NULL;
    assert_int_equal(stats_figures(f->db.txn, f->dbi, &q, &out, &f->db.arena, &err), -EINVAL);
    assert_non_null(strstr(err, "required"));
    q.from = noon(day_of("2022-02-01"));
    q.to = noon(day_of("2022-01-01"));
    q.has_from = q.has_to = 1;
    assert_int_equal(stats_figures(f->db.txn, f->dbi, &q, &out, &f->db.arena, &err), -EINVAL);
    assert_non_null(strstr(err, "before"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_periods_add_up, setup, test_lmdb_teardown),
        cmocka_unit_test_setup_teardown(test_distinct_a_year, setup, test_lmdb_teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, test_lmdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
