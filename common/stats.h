/*
 * stats.h - the statistics a legal-aid centre reports (issue 14: the
 * bureau's yearly figures, `legalaidctl report`), kept as the work happens:
 * counters by period and by the dimensions staff ask for, written in the
 * same transaction as the change they count (added up through the turn
 * and written at its commit: store_tally.h), so that a report reads
 * counters, never cases, and a turn that fails counts nothing.
 *
 * One table in every daemon, opened by the skeleton:
 *   "stats"  'D' BE32(local day) measure NUL dim NUL value -> count, sum
 *            'S' BE32(year) set NUL keyed hash              -> empty
 * Each thing counted adds to its day's row, for the dimension "all"
 * (value "") and for each dimension given; a report over a year reads the
 * year's rows in one range (a year of a million cases: 365 days of some
 * 65 rows, about a tenth of a millisecond). Month rows kept beside them
 * were measured to double the cost of counting for no need.
 * count is how many (cases, persons, consultations), sum the amount the
 * measure carries (fen recovered), both summed over the period.
 *
 * 'S' rows are the sets that make a distinct count: a person aided is
 * counted once a calendar year (on the day first aided that year) by a
 * keyed hash of the ID number (store_hash), never the number itself.
 */
#ifndef LA_STATS_H
#define LA_STATS_H

#include <lmdb.h>
#include <stdint.h>

#include "arena.h"
#include "intake.pb-c.h"
#include "legalaid.pb-c.h"

#define STATS_MEASURE_MAX 32
#define STATS_DIM_MAX 24
#define STATS_VALUE_MAX 160
#define STATS_DIMS_MAX 24

/* One dimension of a thing counted: ("kind", "civil"), ("county", ...). */
typedef struct stats_dim {
    const char *dim, *value;
} stats_dim_t;

/* The dimensions of one thing, built up before it is counted. */
typedef struct stats_dims {
    stats_dim_t d[STATS_DIMS_MAX];
    size_t n;
} stats_dims_t;

/* Adds (dim, value) to ds; a NULL or empty value is counted as "unknown",
 * so that the rows of a dimension always add up to its "all". A full ds
 * keeps what it has (STATS_DIMS_MAX is above any caller's need). */
void stats_dim(stats_dims_t *ds, const char *dim, const char *value);

/* The kind of a case as the bureau reports it (civil, criminal,
 * administrative; legal help is the duty lawyers' own count): the
 * Legal Aid Law's matters of art. 24-25 (criminal: defence, victims, and
 * compulsory medical treatment, art. 28), art. 31 (civil, labour
 * arbitration) and administrative matters with state compensation
 * (art. 31(1)-(2) 国家赔偿, claimed against the state). */
const char *stats_kind(Legalaid__MatterCategory category);
/* The kind of a case that may be one of the previous system's: its legal
 * help by a duty lawyer (art. 30) is "legal_help", as roster counts the
 * duty lawyers' own. */
const char *stats_case_kind(Legalaid__MatterCategory category, const Legalaid__HistoryRecord *h);

/* An enum value's code, its name in lower case ("labour_arbitration",
 * "migrant_worker"), in arena a; "unknown" for 0 or a value not listed. */
const char *stats_code(arena_t *a, const ProtobufCEnumDescriptor *e, int value);

int stats_open(MDB_txn *txn, MDB_dbi *dbi, int *empty);

/* Counts count things of measure on the local day of at, with sum added
 * to the measure's amount, for "all" and each of ds (may be NULL).
 * 0, -EINVAL for a measure, dimension or value too long, or a store error. */
int stats_add(MDB_txn *txn, MDB_dbi dbi, const char *measure, int64_t at, uint64_t count,
              int64_t sum, const stats_dims_t *ds);

/* Whether the hash (of n bytes) is new to set in the calendar year of at:
 * 1 (and it is recorded), 0 already seen, or a store error. */
int stats_first_in_year(MDB_txn *txn, MDB_dbi dbi, const char *set, int64_t at, const void *hash,
                        size_t n);

/* Answers a StatsQuery: the rows summed over the local days from q->from
 * to q->to (inclusive), in arena a, sorted by measure, dimension, value.
 * 0, -EINVAL with *err naming what is wrong, or a store error. */
int stats_figures(MDB_txn *txn, MDB_dbi dbi, const Legalaid__StatsQuery *q,
                  Legalaid__StatsFigures *out, arena_t *a, const char **err);

#endif
