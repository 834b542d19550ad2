/*
 * ctl_dispatch_review.c - the file review at dispatch (一卷二评):
 *
 *   review record CASE REVIEWER INDICATOR=POINTS ... [--comment T]
 *       one reviewer's scores of a closing file
 *   review report [--by firm|county] [--from DATE] [--to DATE]
 *       files graded per firm or county, with the excellent rate
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "dispatch.pb-c.h"
#include "i18n.h"
#include "xalloc.h"

/* review record CASE-ID REVIEWER-ID INDICATOR=POINTS ...: w and n the words
 * after "record". */
static int ctl_review_record(ctl_t *ctl, char **w, int n, const char *comment)
{
    if (n < 3)
        return ctl_help_usage_error("review",
                                    _("record: give CASE-ID, REVIEWER-ID and INDICATOR=POINTS"));
    size_t count = (size_t)n - 2;
    Legalaid__IndicatorScore *scores = xcalloc(count, sizeof *scores);
    Legalaid__IndicatorScore **list = xcalloc(count, sizeof *list);
    for (size_t i = 0; i < count; i++) {
        char *arg = w[2 + i];
        char *eq = strrchr(arg, '=');
        char *end = NULL;
        long points = eq ? strtol(eq + 1, &end, 10) : -1;
        if (!eq || eq == arg || !end || *end || end == eq + 1 || points < 0 || points > 100) {
            free(scores);
            free(list);
            return ctl_help_usage_error(
                "review",
                _("record: '%s' is not INDICATOR=POINTS (like 法律文书=23, points 0-100)"), arg);
        }
        *eq = 0;
        legalaid__indicator_score__init(&scores[i]);
        scores[i].indicator = arg;
        scores[i].has_points = 1;
        scores[i].points = (uint32_t)points;
        list[i] = &scores[i];
    }
    Legalaid__RecordReview rr = LEGALAID__RECORD_REVIEW__INIT;
    rr.case_id = w[0];
    rr.reviewer_id = w[1];
    rr.scores = list;
    rr.n_scores = count;
    rr.comment = (char *)comment;
    int status = ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_RECORD_REVIEW, &rr.base, w[0]);
    free(scores);
    free(list);
    return status;
}

/* The report's columns in display columns: the group left-aligned, the
 * counts right-aligned. */
static const int ctl_review_widths[] = {28, 6, 9, 6, 6, 6, 10, 6};

static void ctl_review_cells(const char *const *cells)
{
    ctl_fmt_pad(cells[0], ctl_review_widths[0]);
    for (int i = 1; i < 8; i++) {
        int pad = ctl_review_widths[i] - i18n_width(cells[i]);
        printf(" %*s%s", pad > 0 ? pad : 0, "", cells[i]);
    }
    printf("\n");
}

static void ctl_review_row(const Legalaid__ReviewReportRow *r, const char *group)
{
    char n[7][24];
    snprintf(n[0], sizeof n[0], "%u", r->files);
    snprintf(n[1], sizeof n[1], "%u", r->excellent);
    snprintf(n[2], sizeof n[2], "%u", r->good);
    snprintf(n[3], sizeof n[3], "%u", r->pass);
    snprintf(n[4], sizeof n[4], "%u", r->fail);
    snprintf(n[5], sizeof n[5], "%u.%u%%", r->excellent_permille / 10, r->excellent_permille % 10);
    snprintf(n[6], sizeof n[6], "%u", r->mean_score);
    const char *cells[] = {group, n[0], n[1], n[2], n[3], n[4], n[5], n[6]};
    ctl_review_cells(cells);
}

static int ctl_review_report(ctl_t *ctl, const char *by, const char *from, const char *to)
{
    Legalaid__ReviewReportQuery q = LEGALAID__REVIEW_REPORT_QUERY__INIT;
    q.has_by = 1;
    if (!by || strcmp(by, "firm") == 0)
        q.by = LEGALAID__REPORT_BY__BY_FIRM;
    else if (strcmp(by, "county") == 0)
        q.by = LEGALAID__REPORT_BY__BY_COUNTY;
    else
        return ctl_help_usage_error("review", _("report: --by '%s' is not firm or county"), by);
    const char *texts[2] = {from, to};
    int64_t *slots[2] = {&q.from, &q.to};
    protobuf_c_boolean *has[2] = {&q.has_from, &q.has_to};
    for (int i = 0; i < 2; i++) {
        if (!texts[i]) continue;
        if (pbjson_text_time(texts[i], ctl->utc_offset_min, slots[i]) < 0)
            return ctl_help_usage_error("review",
                                        _("report: %s '%s' is not a date (YYYY-MM-DD) or a time"),
                                        i ? "--to" : "--from", texts[i]);
        *has[i] = 1;
    }
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_DISPATCH);
    a.req.body_case = LEGALAID__REQUEST__BODY_REVIEW_REPORT;
    a.req.review_report = &q;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) {
        const Legalaid__ReviewReport *rep =
            a.reply->body_case == LEGALAID__REPLY__BODY_REVIEW_REPORT ? a.reply->review_report
                                                                      : NULL;
        if (ctl->json) {
            ctl_json_print(rep ? ctl_json_from_message(&rep->base, 0) : json_object());
        } else {
            const char *head[] = {q.by == LEGALAID__REPORT_BY__BY_COUNTY ? _("county") : _("firm"),
                                  _("files"),
                                  _("excellent"),
                                  _("good"),
                                  _("pass"),
                                  _("fail"),
                                  _("excellent%"),
                                  _("mean")};
            ctl_review_cells(head);
            for (size_t i = 0; rep && i < rep->n_rows; i++)
                ctl_review_row(rep->rows[i], ctl_fmt_str(rep->rows[i]->group));
            if (rep && rep->total) ctl_review_row(rep->total, _("total"));
            if (!rep || rep->n_rows == 0) printf("%s", _("(no file reviewed in the period)\n"));
        }
    }
    ctl_ask_free(&a, 1);
    return status;
}

int ctl_dispatch_review_run(ctl_t *ctl, int argc, char **argv)
{
    enum { COMMENT = 1, BY, FROM, TO };
    static const struct option opts[] = {{"comment", required_argument, NULL, COMMENT},
                                         {"by", required_argument, NULL, BY},
                                         {"from", required_argument, NULL, FROM},
                                         {"to", required_argument, NULL, TO},
                                         {NULL, 0, NULL, 0}};
    const char *v[TO] = {NULL};
    int first = ctl_args_parse("review", argc, argv, opts, v, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    int n = argc - first;
    if (n >= 1 && strcmp(w[0], "record") == 0) {
        if (v[BY - 1] || v[FROM - 1] || v[TO - 1])
            return ctl_help_usage_error("review", _("--by, --from and --to are for review report"));
        return ctl_review_record(ctl, w + 1, n - 1, v[COMMENT - 1]);
    }
    if (n >= 1 && strcmp(w[0], "report") == 0) {
        if (v[COMMENT - 1])
            return ctl_help_usage_error("review", _("--comment is for review record"));
        if (n != 1) return ctl_help_usage_error("review", _("report takes no words, only options"));
        return ctl_review_report(ctl, v[BY - 1], v[FROM - 1], v[TO - 1]);
    }
    return ctl_help_usage_error("review", _("give record or report"));
}
