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
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "check.h"
#include "clock.h"
#include "ctl.h"
#include "i18n.h"
#include "pbjson.h"
#include "report.h"

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
            fprintf(stderr, _("legalaidctl report: %s: %s (the report would be incomplete: none printed)\n"),
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
    printf(_("legal aid statistics, %s to %s\n"), json_string_value(json_object_get(y, "from")),
           json_string_value(json_object_get(y, "to")));
    printf(_("  legal aid cases: %lld\n"),
           (long long)json_integer_value(json_object_get(cases, "total")));
    ctl_report_breakdown(_("  of which"), json_object_get(cases, "by_kind"));
    printf(_("  persons aided: %lld times, %lld persons (by ID number, in the year)\n"),
           (long long)json_integer_value(json_object_get(persons, "person_times")),
           (long long)json_integer_value(json_object_get(persons, "distinct")));
    printf(_("  legal consultations: %lld\n"),
           (long long)json_integer_value(json_object_get(consult, "total")));
    ctl_report_breakdown(_("  of which"), json_object_get(consult, "by_channel"));
    printf(_("  economic losses recovered: %s yuan\n"), money);
    ctl_report_breakdown(_("groups (aided cases)"), json_object_get(y, "groups"));
    ctl_report_breakdown(_("closing files graded"), json_object_get(y, "grades"));
    printf(_("  applications %lld, assignments %lld, concluded %lld\n"),
           (long long)json_integer_value(json_object_get(y, "applications")),
           (long long)json_integer_value(json_object_get(y, "assignments")),
           (long long)json_integer_value(json_object_get(y, "concluded")));
    ctl_report_breakdown(_("decisions"), json_object_get(y, "decisions"));
    ctl_report_breakdown(_("refusals (the tests not passed)"), json_object_get(y, "refusals"));
    ctl_report_breakdown(_("aid terminated"), json_object_get(y, "terminated"));
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
    ctl_fmt_cell(report_title(json_string_value(json_object_get(row, "value"))), 24);
    size_t i;
    const json_t *c;
    json_array_foreach(cols, i, c) ctl_report_cell(json_object_get(row, json_string_value(c)));
    printf("\n");
}

static void ctl_report_table_print(const json_t *t)
{
    const json_t *cols = json_object_get(t, "columns");
    printf(_("%s to %s, by %s\n"), json_string_value(json_object_get(t, "from")),
           json_string_value(json_object_get(t, "to")),
           report_title(json_string_value(json_object_get(t, "by"))));
    ctl_fmt_pad("", 24);
    size_t i;
    const json_t *c;
    json_array_foreach(cols, i, c)
    {
        const char *title = report_title(json_string_value(c));
        int money = strcmp(json_string_value(c), "recovered_yuan") == 0;
        printf(" ");
        ctl_fmt_rpad(title, money ? 16 : 12); /* right-aligned over the figures */
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

/* Reads the options into the four values and csv; -1 after the one-line error. */
static int ctl_report_options(int argc, char **argv, const char **year, const char **from,
                              const char **to, const char **by, int *csv)
{
    static const struct option longopts[] = {
        {"year", required_argument, NULL, 1}, {"from", required_argument, NULL, 2},
        {"to", required_argument, NULL, 3},   {"by", required_argument, NULL, 4},
        {"csv", no_argument, NULL, 5},        {NULL, 0, NULL, 0},
    };
    const char *v[5] = {0};
    int first = ctl_args_parse("report", argc, argv, longopts, v, CTL_ARGS_IN_ORDER);
    if (first < 0) return -1;
    if (first < argc) {
        ctl_help_usage_error("report", _("'%s': report takes options only"), argv[first]);
        return -1;
    }
    *year = v[0];
    *from = v[1];
    *to = v[2];
    *by = v[3];
    *csv = v[4] != NULL;
    if (*year && (*from || *to)) {
        ctl_help_usage_error("report", "%s", _("give --year, or --from and --to, not both"));
        return -1;
    }
    if (!*year && (!*from || !*to)) {
        ctl_help_usage_error("report", "%s", _("give --year YYYY, or --from DATE and --to DATE"));
        return -1;
    }
    if (*by && !report_dim_known(*by)) {
        ctl_help_usage_error("report",
                             _("--by %s: give kind, category, county, station, channel, centre, "
                               "firm, lawyer, group, means_path, source or month"),
                             *by);
        return -1;
    }
    return 0;
}

int ctl_report_run(ctl_t *ctl, int argc, char **argv)
{
    const char *year = NULL, *from = NULL, *to = NULL, *by = NULL;
    int csv = 0;
    if (ctl_report_options(argc, argv, &year, &from, &to, &by, &csv) < 0) return CTL_EXIT_FAILURE;
    char from_text[16], to_text[16];
    if (year) {
        char *end;
        long y = strtol(year, &end, 10);
        if (*end || y < 1990 || y > 2200)
            return ctl_help_usage_error("report", _("--year %s: give a year from 1990 to 2200"),
                                        year);
        snprintf(from_text, sizeof from_text, "%ld-01-01", y);
        snprintf(to_text, sizeof to_text, "%ld-12-31", y);
        from = from_text;
        to = to_text;
    }
    int64_t first, last;
    const char *bad = check_date(from, &first) ? "--from" : check_date(to, &last) ? "--to" : NULL;
    if (bad)
        return ctl_help_usage_error("report", _("%s %s: give a date YYYY-MM-DD"), bad,
                                    strcmp(bad, "--from") == 0 ? from : to);
    if (last < first)
        return ctl_help_usage_error("report", _("--to %s: give a date on or after --from"), to);
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
