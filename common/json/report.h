/*
 * report.h - the reports made of the daemons' statistics (common/stats.h,
 * issue 14): `legalaidctl report` and the gateway's /api/report give the
 * same JSON, made here, and the same CSV.
 *
 * Each daemon counts what it sees (eligibility the cases and persons
 * aided, roster the duty lawyers' legal help, dispatch the assignments,
 * conclusions and amounts recovered, intake the consultations); a report
 * adds the StatsFigures of all of them, so a measure two daemons count
 * (aided_cases: eligibility's appointments, roster's legal help) is one
 * total.
 *
 * The yearly report, in the shape of the bureau's own (DOMAIN.md: cases by
 * kind, people aided, consultations, money recovered, priority groups,
 * file grades), keys in English:
 *   {"from","to","cases":{"total","by_kind":{..}},"persons":{"person_times",
 *    "distinct"},"consultations":{"total","by_channel"},"recovered_fen",
 *    "groups":{..},"grades":{..},"applications","decisions":{..},
 *    "refusals":{..},"assignments","concluded","terminated":{..}}
 * A table by one dimension:
 *   {"from","to","by","columns":[..],"rows":[{"value", column: n|null ..}],
 *    "total":{..}}
 * null where the dimension is not one that measure is counted by.
 */
#ifndef LA_REPORT_H
#define LA_REPORT_H

#include <jansson.h>

#include "buf.h"
#include "legalaid.pb-c.h"

/* The figures of several daemons, added up. */
typedef struct report_sums {
    json_t *map; /* "measure\x1f" "dim\x1f" "value" -> [count, sum] */
} report_sums_t;

void report_sums_init(report_sums_t *s);
void report_sums_free(report_sums_t *s);
void report_sums_add(report_sums_t *s, const Legalaid__StatsFigures *f);
uint64_t report_count(const report_sums_t *s, const char *measure, const char *dim,
                      const char *value);
int64_t report_sum(const report_sums_t *s, const char *measure, const char *dim,
                   const char *value);

/* The dimensions a table may be by (NULL-terminated), "month" among them. */
extern const char *const report_dims[];
int report_dim_known(const char *dim);

/* The yearly report of s over from..to (YYYY-MM-DD). A new reference. */
json_t *report_year_json(const report_sums_t *s, const char *from, const char *to);

/* A table by dim: one row for each value any measure counted. A new
 * reference; report_table_row adds a row of the "all" figures of s under
 * label (for a table by month, one report_sums_t a month). */
json_t *report_table_json(const report_sums_t *s, const char *dim, const char *from,
                          const char *to);
json_t *report_table_new(const char *dim, const char *from, const char *to);
void report_table_row(json_t *table, const char *label, const report_sums_t *s);
/* Sets the table's "total" to the "all" figures of s. */
void report_table_total(json_t *table, const report_sums_t *s);

/* The table as CSV for a spreadsheet: UTF-8 with a byte-order mark (so
 * that WPS and Excel read the Chinese), a header of the columns' Chinese
 * titles, one line a row, the total last. */
void report_table_csv(const json_t *table, buf_t *out);
/* The yearly report as CSV: item, value lines under the same mark. */
void report_year_csv(const json_t *year, buf_t *out);

/* The title people read of a column or code, in their language (i18n.h):
 * "aided cases" or 援助案件 for "aided_cases", "civil" or 民事 for "civil";
 * the code itself when it has none. For tables and CSV headers, never JSON. */
const char *report_title(const char *code);

#endif
