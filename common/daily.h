/*
 * daily.h - figures by local day, kept as data (issue 13's charts,
 * `legalaidctl daily`): how many of a kind of thing a daemon counted each
 * day (applications received, first decisions, assignments) and, when the
 * thing has a duration (time to decision, time to assign), a histogram of
 * the durations from which the day's percentiles are read.
 *
 * One table in every daemon, opened by the skeleton:
 *   "daily"  name NUL day (BE64, local days since 1970) ->
 *            count, timed, max_ms (BE64 each), then DAILY_BUCKETS BE32
 *            counts of the durations by bucket
 * written through turn_observe in the same transaction as the record
 * counted, so 90 days cost 90 reads of a series whatever a year holds, and
 * a turn that fails counts nothing.
 *
 * A percentile is read from the histogram: the bucket holding the rank,
 * interpolated linearly within it, never above the largest duration seen.
 * The buckets are narrow where the law's deadlines fall (hours to three
 * days for an assignment, days to a month for a decision), so the error is
 * a fraction of a bucket: at worst a few hours around a week.
 */
#ifndef LA_DAILY_H
#define LA_DAILY_H

#include <lmdb.h>
#include <stdint.h>

#include "arena.h"
#include "legalaid.pb-c.h"

#define DAILY_BUCKETS 23
/* The buckets' upper bounds in ms (the last is open). */
extern const int64_t daily_bounds_ms[DAILY_BUCKETS - 1];
#define DAILY_NAME_MAX 48
#define DAILY_DAYS_DEFAULT 90
#define DAILY_DAYS_MAX 400

/* One day of one series, as read from the table. */
typedef struct daily_row {
    uint64_t count, timed;
    int64_t max_ms;
    uint32_t hist[DAILY_BUCKETS];
} daily_row_t;

/* Opens (creates) the table; *empty is set when it holds nothing, so that
 * a service may fill it from the records of an older store. */
int daily_open(MDB_txn *txn, MDB_dbi *dbi, int *empty);

/* Counts one thing named name on the local day of at; ms >= 0 is its
 * duration, ms < 0 none. 0, -EINVAL for a name empty or too long, or a
 * store error. */
int daily_add(MDB_txn *txn, MDB_dbi dbi, const char *name, int64_t at, int64_t ms);

/* Reads one day (zeros when nothing was counted). 0 or a store error. */
int daily_get(MDB_txn *txn, MDB_dbi dbi, const char *name, int64_t day, daily_row_t *row);

/* The q-th quantile (0 < q < 1) of the durations of row; 0 when none. */
int64_t daily_quantile(const daily_row_t *row, double q);

/* Answers a DailyQuery for the local day of now: out->series filled in
 * arena a. 0, -EINVAL with *err naming what is wrong, or a store error. */
int daily_figures(MDB_txn *txn, MDB_dbi dbi, const Legalaid__DailyQuery *q, int64_t now,
                  Legalaid__DailyFigures *out, arena_t *a, const char **err);

#endif
