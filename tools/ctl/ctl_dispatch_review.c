/*
 * ctl_dispatch_review.c - the file review at dispatch (一卷二评):
 *
 *   review record CASE REVIEWER INDICATOR=POINTS ... [--comment T]
 *       one reviewer's scores of a closing file
 *   review report [--by firm|county] [--from DATE] [--to DATE]
 *       files graded per firm or county, with the excellent rate
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "dispatch.pb-c.h"
#include "xalloc.h"

static int ctl_review_record_usage(void)
{
    fprintf(stderr, "usage: legalaidctl review record CASE-ID REVIEWER-ID INDICATOR=POINTS ...\n"
                    "         [--comment TEXT]   (points are whole numbers; the total is 0-100;\n"
                    "         the indicators are [dispatch] review_indicators, by default\n"
                    "         案卷材料 办案程序 法律文书 办案效果 受援人评价)\n"
                    "       legalaidctl review report [--by firm|county] [--from DATE] "
                    "[--to DATE]\n");
    return CTL_EXIT_FAILURE;
}

static int ctl_review_record(ctl_t *ctl, int argc, char **argv)
{
    const char *comment = NULL;
    argc = ctl_option_take(argc, argv, "--comment", &comment);
    if (argc < 4) return ctl_review_record_usage();
    size_t n = (size_t)argc - 3;
    Legalaid__IndicatorScore *scores = xcalloc(n, sizeof *scores);
    Legalaid__IndicatorScore **list = xcalloc(n, sizeof *list);
    for (size_t i = 0; i < n; i++) {
        char *arg = argv[3 + i];
        char *eq = strrchr(arg, '=');
        char *end = NULL;
        long points = eq ? strtol(eq + 1, &end, 10) : -1;
        if (!eq || eq == arg || !end || *end || end == eq + 1 || points < 0 || points > 100) {
            fprintf(stderr,
                    "legalaidctl: review record: '%s' is not INDICATOR=POINTS (like 法律文书=23, "
                    "points 0-100)\n",
                    arg);
            free(scores);
            free(list);
            return CTL_EXIT_FAILURE;
        }
        *eq = 0;
        legalaid__indicator_score__init(&scores[i]);
        scores[i].indicator = arg;
        scores[i].has_points = 1;
        scores[i].points = (uint32_t)points;
        list[i] = &scores[i];
    }
    Legalaid__RecordReview rr = LEGALAID__RECORD_REVIEW__INIT;
    rr.case_id = argv[1];
    rr.reviewer_id = argv[2];
    rr.scores = list;
    rr.n_scores = n;
    rr.comment = (char *)comment;
    int status = ctl_dispatch_send(ctl, LEGALAID__REQUEST__BODY_RECORD_REVIEW, &rr.base, argv[1]);
    free(scores);
    free(list);
    return status;
}

static void ctl_review_row(const Legalaid__ReviewReportRow *r, const char *group)
{
    ctl_fmt_pad(group, 28);
    printf(" %6u %9u %6u %6u %6u %8u.%u%% %6u\n", r->files, r->excellent, r->good, r->pass, r->fail,
           r->excellent_permille / 10, r->excellent_permille % 10, r->mean_score);
}

static int ctl_review_report(ctl_t *ctl, int argc, char **argv)
{
    const char *by = NULL, *from = NULL, *to = NULL;
    argc = ctl_option_take(argc, argv, "--by", &by);
    if (argc >= 0) argc = ctl_option_take(argc, argv, "--from", &from);
    if (argc >= 0) argc = ctl_option_take(argc, argv, "--to", &to);
    if (argc != 1) return ctl_review_record_usage();
    Legalaid__ReviewReportQuery q = LEGALAID__REVIEW_REPORT_QUERY__INIT;
    q.has_by = 1;
    if (!by || strcmp(by, "firm") == 0)
        q.by = LEGALAID__REPORT_BY__BY_FIRM;
    else if (strcmp(by, "county") == 0)
        q.by = LEGALAID__REPORT_BY__BY_COUNTY;
    else {
        fprintf(stderr, "legalaidctl: review report: --by '%s' is not firm or county\n", by);
        return CTL_EXIT_FAILURE;
    }
    const char *texts[2] = {from, to};
    int64_t *slots[2] = {&q.from, &q.to};
    protobuf_c_boolean *has[2] = {&q.has_from, &q.has_to};
    for (int i = 0; i < 2; i++) {
        if (!texts[i]) continue;
        if (pbjson_text_time(texts[i], ctl->utc_offset_min, slots[i]) < 0) {
            fprintf(stderr,
                    "legalaidctl: review report: %s '%s' is not a date (YYYY-MM-DD) or a time\n",
                    i ? "--to" : "--from", texts[i]);
            return CTL_EXIT_FAILURE;
        }
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
            printf("%-28s %6s %9s %6s %6s %6s %10s %6s\n",
                   q.by == LEGALAID__REPORT_BY__BY_COUNTY ? "county" : "firm", "files", "excellent",
                   "good", "pass", "fail", "excellent%", "mean");
            for (size_t i = 0; rep && i < rep->n_rows; i++)
                ctl_review_row(rep->rows[i], ctl_fmt_str(rep->rows[i]->group));
            if (rep && rep->total) ctl_review_row(rep->total, "total");
            if (!rep || rep->n_rows == 0) printf("(no file reviewed in the period)\n");
        }
    }
    ctl_ask_free(&a, 1);
    return status;
}

int ctl_dispatch_review_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "record") == 0)
        return ctl_review_record(ctl, argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "report") == 0)
        return ctl_review_report(ctl, argc - 1, argv + 1);
    return ctl_review_record_usage();
}
