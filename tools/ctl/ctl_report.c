/*
 * ctl_report.c - `legalaidctl report`: the centre's statistics over a
 * period (issue 14), added up from every daemon's counters (common/
 * stats.h) by common/json/report.c, the same as the gateway's
 * /api/report. Without --by, the yearly report in the bureau's shape;
 * with --by, a table by one dimension. Printed as an aligned table, or
 * --json, or --csv (UTF-8 with a byte-order mark, for WPS and Excel).
 * A daemon that does not answer makes the report fail: a total missing
 * one daemon's part would be wrong without saying so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "check.h"
#include "clock.h"
#include "ctl.h"
#include "pbjson.h"
#include "report.h"

static int ctl_report_usage(void)
{
    fprintf(stderr, "usage: legalaidctl [--json] report (--year YYYY | --from DATE --to DATE) "
                    "[--by kind|category|county|station|channel|centre|firm|lawyer|group|"
                    "means_path|source|month] [--csv]\n");
    return CTL_EXIT_FAILURE;
}

/* Adds every daemon's figures for the local days first..last into s. */
static int ctl_report_ask(ctl_t *ctl, int64_t first, int64_t last, report_sums_t *s)
{
    Legalaid__StatsQuery q = LEGALAID__STATS_QUERY__INIT;
    q.from = clock_local_midnight(first);
    q.to = clock_local_midnight(last);
    q.has_from = q.has_to = 1;
    ctl_ask_t asks[CTL_NDAEMONS];
    for (int d = 0; d < CTL_NDAEMONS; d++) {
        ctl_ask_init(&asks[d], (ctl_daemon_t)d);
        asks[d].req.body_case = LEGALAID__REQUEST__BODY_STATS;
        asks[d].req.stats = &q;
    }
    ctl_ask_all(ctl, asks, CTL_NDAEMONS);
    int rc = 0;
    char why[1024];
    for (int d = 0; d < CTL_NDAEMONS; d++) {
        const Legalaid__Reply *r = ctl_ask_reply(&asks[d], LEGALAID__REPLY__BODY_STATS);
        if (!r) {
            fprintf(stderr, "legalaidctl: report: %s: %s (报表不完整，未输出)\n",
                    ctl_daemon_names[d], ctl_ask_problem(ctl, &asks[d], why, sizeof why));
            rc = -1;
            continue;
        }
        report_sums_add(s, r->stats);
    }
    ctl_ask_free(asks, CTL_NDAEMONS);
    return rc;
}

static void ctl_report_money(json_int_t fen, char *buf, size_t size)
{
    snprintf(buf, size, "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
}

static void ctl_report_breakdown(const char *title, const json_t *obj)
{
    const char *key;
    json_t *v;
    printf("  %s", title);
    if (!json_object_size(obj)) printf(" -");
    json_object_foreach((json_t *)obj, key, v)
        printf("  %s %lld", report_title(key), (long long)json_integer_value(v));
    printf("\n");
}

static void ctl_report_year_print(const json_t *y)
{
    const json_t *cases = json_object_get(y, "cases"), *persons = json_object_get(y, "persons");
    const json_t *consult = json_object_get(y, "consultations");
    char money[48];
    ctl_report_money(json_integer_value(json_object_get(y, "recovered_fen")), money, sizeof money);
    printf("法律援助统计 %s 至 %s\n", json_string_value(json_object_get(y, "from")),
           json_string_value(json_object_get(y, "to")));
    printf("  办理法律援助案件 %lld 件\n", (long long)json_integer_value(json_object_get(cases, "total")));
    ctl_report_breakdown("  其中", json_object_get(cases, "by_kind"));
    printf("  受援人次 %lld，受援人数（按身份证号去重，每年） %lld\n",
           (long long)json_integer_value(json_object_get(persons, "person_times")),
           (long long)json_integer_value(json_object_get(persons, "distinct")));
    printf("  法律咨询 %lld 人次\n", (long long)json_integer_value(json_object_get(consult, "total")));
    ctl_report_breakdown("  其中", json_object_get(consult, "by_channel"));
    printf("  挽回经济损失 %s 元\n", money);
    ctl_report_breakdown("重点人群（援助案件）", json_object_get(y, "groups"));
    ctl_report_breakdown("案卷质量评查", json_object_get(y, "grades"));
    printf("  申请 %lld，指派 %lld，结案 %lld\n",
           (long long)json_integer_value(json_object_get(y, "applications")),
           (long long)json_integer_value(json_object_get(y, "assignments")),
           (long long)json_integer_value(json_object_get(y, "concluded")));
    ctl_report_breakdown("审查决定", json_object_get(y, "decisions"));
    ctl_report_breakdown("不予援助（未通过的审查项）", json_object_get(y, "refusals"));
    ctl_report_breakdown("终止援助", json_object_get(y, "terminated"));
}

static void ctl_report_cell(const json_t *v)
{
    if (json_is_integer(v))
        printf(" %12lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        printf(" %16.2f", json_real_value(v));
    else
        printf(" %12s", "-");
}

static void ctl_report_table_row(const json_t *cols, const json_t *row)
{
    ctl_fmt_pad(report_title(json_string_value(json_object_get(row, "value"))), 24);
    size_t i;
    const json_t *c;
    json_array_foreach(cols, i, c) ctl_report_cell(json_object_get(row, json_string_value(c)));
    printf("\n");
}

static void ctl_report_table_print(const json_t *t)
{
    const json_t *cols = json_object_get(t, "columns");
    printf("%s 至 %s，按 %s\n", json_string_value(json_object_get(t, "from")),
           json_string_value(json_object_get(t, "to")), json_string_value(json_object_get(t, "by")));
    ctl_fmt_pad("", 24);
    size_t i;
    const json_t *c;
    json_array_foreach(cols, i, c)
    {
        const char *title = report_title(json_string_value(c));
        int money = strcmp(json_string_value(c), "recovered_yuan") == 0;
        printf(" ");
        /* Right-aligned over the figures: pad to the column's width. */
        int w = money ? 16 : 12, cols_used = 0;
        for (const unsigned char *p = (const unsigned char *)title; *p; p++)
            if ((*p & 0xC0) != 0x80) cols_used += *p >= 0x80 ? 2 : 1;
        for (int k = cols_used; k < w; k++) printf(" ");
        printf("%s", title);
    }
    printf("\n");
    const json_t *row;
    json_array_foreach(json_object_get(t, "rows"), i, row) ctl_report_table_row(cols, row);
    const json_t *total = json_object_get(t, "total");
    if (total) ctl_report_table_row(cols, total);
}

/* The table by month: one ask a month, each month's "all" figures a row. */
static int ctl_report_months(ctl_t *ctl, int64_t first, int64_t last, json_t *table,
                             report_sums_t *all)
{
    for (int64_t day = first; day <= last;) {
        int y, m, d;
        calendar_day_ymd(day, &y, &m, &d);
        char next_text[32];
        snprintf(next_text, sizeof next_text, "%04d-%02d-01", m == 12 ? y + 1 : y,
                 m == 12 ? 1 : m + 1);
        int64_t next = 0;
        check_date(next_text, &next);
        int64_t end = next - 1 < last ? next - 1 : last;
        report_sums_t s;
        report_sums_init(&s);
        int rc = ctl_report_ask(ctl, day, end, &s);
        char label[32];
        snprintf(label, sizeof label, "%04d-%02d", y, m);
        if (!rc) report_table_row(table, label, &s);
        report_sums_free(&s);
        if (rc) return rc;
        day = next;
    }
    return ctl_report_ask(ctl, first, last, all);
}

int ctl_report_run(ctl_t *ctl, int argc, char **argv)
{
    const char *year = NULL, *from = NULL, *to = NULL, *by = NULL;
    argc = ctl_option_take(argc, argv, "--year", &year);
    if (argc > 0) argc = ctl_option_take(argc, argv, "--from", &from);
    if (argc > 0) argc = ctl_option_take(argc, argv, "--to", &to);
    if (argc > 0) argc = ctl_option_take(argc, argv, "--by", &by);
    int csv = 0;
    if (argc == 2 && strcmp(argv[1], "--csv") == 0) {
        csv = 1;
        argc = 1;
    }
    if (argc != 1 || (year && (from || to)) || (!year && (!from || !to)) ||
        (by && !report_dim_known(by)))
        return ctl_report_usage();
    char from_text[16], to_text[16];
    if (year) {
        char *end;
        long y = strtol(year, &end, 10);
        if (*end || y < 1990 || y > 2200) {
            fprintf(stderr, "legalaidctl: report: --year %s is not a year (1990-2200)\n", year);
            return CTL_EXIT_FAILURE;
        }
        snprintf(from_text, sizeof from_text, "%ld-01-01", y);
        snprintf(to_text, sizeof to_text, "%ld-12-31", y);
        from = from_text;
        to = to_text;
    }
    int64_t first, last;
    const char *bad = check_date(from, &first) ? "--from" : check_date(to, &last) ? "--to" : NULL;
    if (bad || last < first) {
        fprintf(stderr, "legalaidctl: report: %s is not a date YYYY-MM-DD%s\n",
                bad ? bad : "--to", bad ? "" : " on or after --from");
        return CTL_EXIT_FAILURE;
    }
    report_sums_t s;
    report_sums_init(&s);
    json_t *out = NULL;
    int rc;
    if (by && strcmp(by, "month") == 0) {
        out = report_table_new(by, from, to);
        rc = ctl_report_months(ctl, first, last, out, &s);
        if (!rc) report_table_total(out, &s);
    } else {
        rc = ctl_report_ask(ctl, first, last, &s);
        if (!rc)
            out = by ? report_table_json(&s, by, from, to) : report_year_json(&s, from, to);
    }
    report_sums_free(&s);
    if (rc) {
        json_decref(out);
        return CTL_EXIT_FAILURE;
    }
    if (csv) {
        buf_t b = {0};
        if (by)
            report_table_csv(out, &b);
        else
            report_year_csv(out, &b);
        fwrite(b.data, 1, b.len, stdout);
        buf_free(&b);
    } else if (ctl->json) {
        ctl_json_print(json_incref(out));
    } else if (by) {
        ctl_report_table_print(out);
    } else {
        ctl_report_year_print(out);
    }
    json_decref(out);
    return CTL_EXIT_OK;
}
