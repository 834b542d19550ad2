/*
 * report.c - the reports made of the daemons' statistics (report.h).
 */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"

/* The measures a table shows, and the dimensions each is counted by (the
 * daemons' *_stats.c and intake_consult.c). */
static const struct {
    const char *measure, *dims;
} report_columns[] = {
    {"applications", " kind category channel centre county station group source "},
    {"aided_cases", " kind category channel centre county station group means_path source "},
    {"aided_persons", " kind category channel centre county station group means_path source "}, /* aided_cases' sum */
    {"assignments", " kind county firm lawyer how "},
    {"concluded", " kind county firm lawyer "},
    {"recovered_yuan", " kind county firm lawyer "}, /* concluded's sum */
    {"consultations", " channel station kind source "},
};
#define REPORT_NCOLUMNS (sizeof report_columns / sizeof report_columns[0])

const char *const report_dims[] = {"kind",  "category",   "county", "station", "channel",
                                   "centre", "firm",      "lawyer", "group",   "means_path",
                                   "source", "month",     NULL};

static const struct {
    const char *code, *title;
} report_titles[] = {
    {"applications", N_("applications")},
    {"aided_cases", N_("aided cases")},
    {"aided_persons", N_("persons aided")},
    {"assignments", N_("assignments")},
    {"concluded", N_("concluded")},
    {"recovered_yuan", N_("recovered (yuan)")},
    {"consultations", N_("consultations")},
    {"value", N_("item")},
    {"kind", N_("kind")},
    {"category", N_("category")},
    {"county", N_("county")},
    {"station", N_("station")},
    {"channel", N_("channel")},
    {"centre", N_("centre")},
    {"firm", N_("firm")},
    {"lawyer", N_("lawyer")},
    {"group", N_("group")},
    {"means_path", N_("means test")},
    {"source", N_("source")},
    {"month", N_("month")},
    {"total", N_("total")},
    {"civil", N_("civil")},
    {"criminal", N_("criminal")},
    {"administrative", N_("administrative")},
    {"legal_help", N_("legal help")},
    {"unknown", N_("not given")},
    {"none", N_("none")},
    {"migrant_worker", N_("migrant workers")},
    {"elderly", N_("elderly")},
    {"disabled", N_("disabled")},
    {"minor_party", N_("minors")},
    {"left_behind_woman", N_("left-behind women")},
    {"left_behind_child", N_("left-behind children")},
    {"military_family", N_("military families")},
    {"veteran", N_("veterans")},
    {"domestic_violence_victim", N_("domestic violence victims")},
    {"seriously_ill", N_("seriously ill")},
    {"excellent", N_("excellent")},
    {"good", N_("good")},
    {"pass", N_("pass")},
    {"fail", N_("fail")},
    {"visit", N_("visit")},
    {"by_telephone", N_("telephone")},
    {"letter", N_("letter")},
    {"internet", N_("internet")},
    {"approved", N_("approved")},
    {"approved_pending_verification", N_("approved on commitment")},
    {"needs_materials", N_("materials awaited")},
    {"refused", N_("refused")},
    {"withdrawn", N_("withdrawn")},
    {"deemed_withdrawn", N_("deemed withdrawn")},
    {"terminated", N_("terminated")},
    {"live", N_("this system")},
    {"history", N_("history imported")},
};

const char *report_title(const char *code)
{
    for (size_t i = 0; i < sizeof report_titles / sizeof report_titles[0]; i++)
        if (strcmp(report_titles[i].code, code) == 0) return _(report_titles[i].title);
    return code;
}

int report_dim_known(const char *dim)
{
    for (const char *const *d = report_dims; *d; d++)
        if (strcmp(*d, dim) == 0) return 1;
    return 0;
}

void report_sums_init(report_sums_t *s)
{
    s->map = json_object();
}

void report_sums_free(report_sums_t *s)
{
    json_decref(s->map);
    s->map = NULL;
}

static void report_key(char *key, size_t size, const char *measure, const char *dim,
                       const char *value)
{
    snprintf(key, size, "%s\x1f%s\x1f%s", measure, dim, value);
}

void report_sums_add(report_sums_t *s, const Legalaid__StatsFigures *f)
{
    for (size_t i = 0; f && i < f->n_rows; i++) {
        const Legalaid__StatsRow *r = f->rows[i];
        if (!r->measure || !r->dim) continue;
        char key[512];
        report_key(key, sizeof key, r->measure, r->dim, r->value ? r->value : "");
        json_t *cell = json_object_get(s->map, key);
        json_int_t count = (json_int_t)r->count, sum = (json_int_t)r->sum;
        if (cell) {
            count += json_integer_value(json_array_get(cell, 0));
            sum += json_integer_value(json_array_get(cell, 1));
        }
        json_object_set_new(s->map, key, json_pack("[II]", count, sum));
    }
}

static json_t *report_cell(const report_sums_t *s, const char *measure, const char *dim,
                           const char *value)
{
    char key[512];
    report_key(key, sizeof key, measure, dim, value);
    return json_object_get(s->map, key);
}

uint64_t report_count(const report_sums_t *s, const char *measure, const char *dim,
                      const char *value)
{
    return (uint64_t)json_integer_value(json_array_get(report_cell(s, measure, dim, value), 0));
}

int64_t report_sum(const report_sums_t *s, const char *measure, const char *dim, const char *value)
{
    return (int64_t)json_integer_value(json_array_get(report_cell(s, measure, dim, value), 1));
}

/* {value: count} of every row of measure by dim; sums instead when sum. */
static json_t *report_breakdown(const report_sums_t *s, const char *measure, const char *dim,
                                int sum)
{
    json_t *out = json_object();
    char prefix[128];
    int n = snprintf(prefix, sizeof prefix, "%s\x1f%s\x1f", measure, dim);
    const char *key;
    json_t *cell;
    json_object_foreach(s->map, key, cell)
    {
        if (strncmp(key, prefix, (size_t)n) != 0) continue;
        json_object_set_new(out, key + n, json_integer(json_integer_value(json_array_get(cell, sum))));
    }
    return out;
}

static json_int_t report_all(const report_sums_t *s, const char *measure)
{
    return (json_int_t)report_count(s, measure, "all", "");
}

json_t *report_year_json(const report_sums_t *s, const char *from, const char *to)
{
    json_t *y = json_object();
    json_object_set_new(y, "from", json_string(from));
    json_object_set_new(y, "to", json_string(to));
    json_object_set_new(y, "cases",
                        json_pack("{sIso}", "total", report_all(s, "aided_cases"), "by_kind",
                                  report_breakdown(s, "aided_cases", "kind", 0)));
    json_object_set_new(y, "persons",
                        json_pack("{sIsI}", "person_times",
                                  (json_int_t)report_sum(s, "aided_cases", "all", ""),
                                  "distinct", report_all(s, "aided_distinct")));
    json_object_set_new(y, "consultations",
                        json_pack("{sIso}", "total", report_all(s, "consultations"), "by_channel",
                                  report_breakdown(s, "consultations", "channel", 0)));
    json_object_set_new(y, "recovered_fen",
                        json_integer((json_int_t)report_sum(s, "concluded", "all", "")));
    json_object_set_new(y, "groups", report_breakdown(s, "aided_cases", "group", 0));
    json_object_set_new(y, "grades", report_breakdown(s, "reviewed", "grade", 0));
    json_object_set_new(y, "applications", json_integer(report_all(s, "applications")));
    json_object_set_new(y, "decisions", report_breakdown(s, "decisions", "outcome", 0));
    json_object_set_new(y, "refusals", report_breakdown(s, "decisions", "refusal", 0));
    json_object_set_new(y, "assignments", json_integer(report_all(s, "assignments")));
    json_object_set_new(y, "concluded", json_integer(report_all(s, "concluded")));
    json_object_set_new(y, "terminated", report_breakdown(s, "terminated", "reason", 0));
    return y;
}

json_t *report_table_new(const char *dim, const char *from, const char *to)
{
    json_t *cols = json_array();
    for (size_t c = 0; c < REPORT_NCOLUMNS; c++)
        json_array_append_new(cols, json_string(report_columns[c].measure));
    return json_pack("{sssssssoso}", "from", from, "to", to, "by", dim, "columns", cols, "rows",
                     json_array());
}

/* The row of value under dim: a column's figure, or null when the column
 * is not counted by dim. */
static json_t *report_row(const report_sums_t *s, const char *dim, const char *value,
                          const char *label)
{
    json_t *row = json_pack("{ss}", "value", label);
    char want[40];
    snprintf(want, sizeof want, " %s ", dim);
    for (size_t c = 0; c < REPORT_NCOLUMNS; c++) {
        const char *m = report_columns[c].measure;
        int money = strcmp(m, "recovered_yuan") == 0, persons = strcmp(m, "aided_persons") == 0;
        if (strcmp(dim, "all") != 0 && !strstr(report_columns[c].dims, want)) {
            json_object_set_new(row, m, json_null());
            continue;
        }
        if (money)
            json_object_set_new(row, m,
                                json_real((double)report_sum(s, "concluded", dim, value) / 100.0));
        else if (persons)
            json_object_set_new(row, m,
                                json_integer((json_int_t)report_sum(s, "aided_cases", dim, value)));
        else
            json_object_set_new(row, m, json_integer((json_int_t)report_count(s, m, dim, value)));
    }
    return row;
}

void report_table_row(json_t *table, const char *label, const report_sums_t *s)
{
    json_array_append_new(json_object_get(table, "rows"), report_row(s, "all", "", label));
}

void report_table_total(json_t *table, const report_sums_t *s)
{
    json_object_set_new(table, "total", report_row(s, "all", "", "total"));
}

json_t *report_table_json(const report_sums_t *s, const char *dim, const char *from,
                          const char *to)
{
    json_t *table = report_table_new(dim, from, to);
    /* Every value any measure counted under dim, in the map's order. */
    json_t *values = json_object();
    char mid[40];
    int n = snprintf(mid, sizeof mid, "\x1f%s\x1f", dim);
    const char *key;
    json_t *cell;
    json_object_foreach(s->map, key, cell)
    {
        const char *at = strstr(key, mid);
        if (at) json_object_set_new(values, at + n, json_true());
    }
    json_t *rows = json_object_get(table, "rows");
    json_object_foreach(values, key, cell) json_array_append_new(rows, report_row(s, dim, key, key));
    json_decref(values);
    report_table_total(table, s);
    return table;
}

/* A CSV cell: quoted when it holds a comma, quote or line break. */
static void report_csv_cell(buf_t *out, const char *text)
{
    if (!strpbrk(text, ",\"\r\n")) {
        buf_printf(out, "%s", text);
        return;
    }
    buf_printf(out, "\"");
    for (const char *p = text; *p; p++) buf_printf(out, *p == '"' ? "\"\"" : "%c", *p);
    buf_printf(out, "\"");
}

static void report_csv_value(buf_t *out, const json_t *v)
{
    if (json_is_integer(v))
        buf_printf(out, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        buf_printf(out, "%.2f", json_real_value(v));
    else if (json_is_string(v))
        report_csv_cell(out, report_title(json_string_value(v)));
}

static void report_csv_row(buf_t *out, const json_t *cols, const json_t *row)
{
    report_csv_value(out, json_object_get(row, "value"));
    size_t i;
    const json_t *c;
    json_array_foreach(cols, i, c)
    {
        buf_printf(out, ",");
        report_csv_value(out, json_object_get(row, json_string_value(c)));
    }
    buf_printf(out, "\r\n");
}

void report_table_csv(const json_t *table, buf_t *out)
{
    const json_t *cols = json_object_get(table, "columns");
    buf_printf(out, "\xEF\xBB\xBF");
    report_csv_cell(out, report_title(json_string_value(json_object_get(table, "by"))));
    size_t i;
    const json_t *c;
    json_array_foreach(cols, i, c)
    {
        buf_printf(out, ",");
        report_csv_cell(out, report_title(json_string_value(c)));
    }
    buf_printf(out, "\r\n");
    const json_t *row;
    json_array_foreach(json_object_get(table, "rows"), i, row) report_csv_row(out, cols, row);
    const json_t *total = json_object_get(table, "total");
    if (total) report_csv_row(out, cols, total);
}

/* One "item,value" line per leaf of j, items named by their path. */
static void report_year_lines(buf_t *out, const char *path, const json_t *j)
{
    if (json_is_object(j)) {
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)j, key, v)
        {
            char sub[256];
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", key);
            report_year_lines(out, sub, v);
        }
        return;
    }
    report_csv_cell(out, path);
    buf_printf(out, ",");
    report_csv_value(out, j);
    buf_printf(out, "\r\n");
}

void report_year_csv(const json_t *year, buf_t *out)
{
    buf_printf(out, "\xEF\xBB\xBF");
    report_csv_cell(out, _("item"));
    buf_printf(out, ",");
    report_csv_cell(out, _("value"));
    buf_printf(out, "\r\n");
    report_year_lines(out, "", year);
}
