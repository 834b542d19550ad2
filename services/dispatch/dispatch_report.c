/*
 * dispatch_report.c - the file-review report (R-QUAL-04, Legal Aid Law
 * art. 58: quality results are published): the files graded in a period,
 * per firm or per county of the handling lawyer, with the count of each
 * grade, the excellent rate in permille and the mean final score, and a
 * total row.
 *
 * It reads only the "graded" table written by dispatch_review.c:
 *   reviewed_at (BE64) | case_id -> grade (1 byte) | final_score (1 byte) |
 *                                   firm | 0 | county
 * so a period is one range scan in time order, however many cases
 * dispatch holds.
 */
#include <stdlib.h>
#include <string.h>

#include "dispatch_int.h"
#include "i18n.h"
#include "store.h"

#define REPORT_NO_GROUP "(none)"

typedef struct report_file {
    const char *group; /* arena */
    Legalaid__Grade grade;
    uint32_t score;
} report_file_t;

typedef struct report_files {
    report_file_t *v;
    size_t n, cap;
} report_files_t;

static void report_files_add(turn_t *t, report_files_t *files, const report_file_t *f)
{
    if (files->n == files->cap) {
        size_t cap = files->cap ? files->cap * 2 : 64;
        report_file_t *v = arena_alloc(t->arena, cap * sizeof *v);
        if (files->n) memcpy(v, files->v, files->n * sizeof *v);
        files->v = v;
        files->cap = cap;
    }
    files->v[files->n++] = *f;
}

static int report_file_cmp(const void *x, const void *y)
{
    return strcmp(((const report_file_t *)x)->group, ((const report_file_t *)y)->group);
}

/* Reads the graded files of [from, to) (to 0: no end) into files. */
static int report_files_read(turn_t *t, int64_t from, int64_t to, Legalaid__ReportBy by,
                             report_files_t *files)
{
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(t->txn, dispatch_graded, &cur));
    if (rc) return rc;
    unsigned char start[8];
    store_be64((uint64_t)from, start);
    MDB_val k = {sizeof start, start}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size < 8 || v.mv_size < 3) continue; /* not a graded row */
        int64_t at = (int64_t)store_from_be64(k.mv_data);
        if (to && at >= to) break;
        const unsigned char *p = v.mv_data;
        const char *firm = (const char *)p + 2;
        const unsigned char *nul = memchr(firm, 0, v.mv_size - 2);
        if (!nul) continue;
        size_t flen = (size_t)((const char *)nul - firm);
        size_t clen = v.mv_size - 3 - flen;
        report_file_t f = {.grade = (Legalaid__Grade)p[0], .score = p[1]};
        const char *name = by == LEGALAID__REPORT_BY__BY_COUNTY ? (const char *)nul + 1 : firm;
        size_t len = by == LEGALAID__REPORT_BY__BY_COUNTY ? clen : flen;
        if (len) {
            char *group = arena_alloc(t->arena, len + 1); /* zeroed: terminated */
            memcpy(group, name, len);
            f.group = group;
        } else {
            f.group = REPORT_NO_GROUP;
        }
        report_files_add(t, files, &f);
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

static Legalaid__ReviewReportRow *report_row_new(turn_t *t, const char *group)
{
    Legalaid__ReviewReportRow *row =
        ARENA_NEW(t->arena, Legalaid__ReviewReportRow, legalaid__review_report_row__init);
    row->group = (char *)group;
    row->has_files = row->has_excellent = row->has_good = row->has_pass = row->has_fail = 1;
    row->has_excellent_permille = row->has_mean_score = 1;
    return row;
}

static void report_row_count(Legalaid__ReviewReportRow *row, const report_file_t *f,
                             uint64_t *score_sum)
{
    row->files++;
    *score_sum += f->score;
    switch (f->grade) {
    case LEGALAID__GRADE__EXCELLENT:
        row->excellent++;
        break;
    case LEGALAID__GRADE__GOOD:
        row->good++;
        break;
    case LEGALAID__GRADE__PASS:
        row->pass++;
        break;
    default:
        row->fail++;
        break;
    }
}

/* The rates, each rounded half up. */
static void report_row_finish(Legalaid__ReviewReportRow *row, uint64_t score_sum)
{
    if (!row->files) return;
    row->excellent_permille =
        (uint32_t)(((uint64_t)row->excellent * 1000 + row->files / 2) / row->files);
    row->mean_score = (uint32_t)((score_sum + row->files / 2) / row->files);
}

int dispatch_report_review(turn_t *t, const Legalaid__ReviewReportQuery *q, Legalaid__Reply *reply)
{
    Legalaid__ReportBy by = q->has_by ? q->by : LEGALAID__REPORT_BY__REPORT_BY_UNSPECIFIED;
    if (by == LEGALAID__REPORT_BY__REPORT_BY_UNSPECIFIED) by = LEGALAID__REPORT_BY__BY_FIRM;
    if (by != LEGALAID__REPORT_BY__BY_FIRM && by != LEGALAID__REPORT_BY__BY_COUNTY) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "review_report.by",
                  _("by %d is neither BY_FIRM nor BY_COUNTY"), (int)by);
        return 0;
    }
    int64_t from = q->has_from ? q->from : 0, to = q->has_to ? q->to : 0;
    if (from < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "review_report.from",
                  _("from is a time in ms since 1970, not %lld"), (long long)from);
        return 0;
    }
    if (to < 0 || (to && to <= from)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "review_report.to",
                  _("to (%lld) must come after from (%lld), or be 0 for no end"), (long long)to,
                  (long long)from);
        return 0;
    }
    report_files_t files = {0};
    int rc = report_files_read(t, from, to, by, &files);
    if (rc) return rc;
    if (files.n) qsort(files.v, files.n, sizeof *files.v, report_file_cmp);

    Legalaid__ReviewReport *rep =
        ARENA_NEW(t->arena, Legalaid__ReviewReport, legalaid__review_report__init);
    rep->by = by;
    rep->has_by = 1;
    rep->total = report_row_new(t, "total");
    rep->rows = arena_alloc(t->arena, (files.n ? files.n : 1) * sizeof *rep->rows);
    uint64_t total_sum = 0, group_sum = 0;
    Legalaid__ReviewReportRow *row = NULL;
    for (size_t i = 0; i < files.n; i++) {
        const report_file_t *f = &files.v[i];
        if (!row || strcmp(row->group, f->group)) {
            if (row) report_row_finish(row, group_sum);
            row = report_row_new(t, f->group);
            rep->rows[rep->n_rows++] = row;
            group_sum = 0;
        }
        report_row_count(row, f, &group_sum);
        report_row_count(rep->total, f, &total_sum);
    }
    if (row) report_row_finish(row, group_sum);
    report_row_finish(rep->total, total_sum);
    reply->body_case = LEGALAID__REPLY__BODY_REVIEW_REPORT;
    reply->review_report = rep;
    return 0;
}
