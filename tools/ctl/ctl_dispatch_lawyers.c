/*
 * ctl_dispatch_lawyers.c - the provider pool at the command line:
 *
 *   `legalaidctl import lawyers FILE` reads JSON Lines or CSV (a file whose
 *   first non-blank line does not open a JSON object is CSV, that line its
 *   header: columns named like the JSON fields, lists separated by ';',
 *   true/false (also yes/no, 1/0, 是/否) for flags, dates YYYY-MM-DD). Each
 *   CSV row becomes the JSON object it stands for and is read by the same
 *   parser as a JSON line, so both formats give the same errors, "line N:
 *   field X: message"; the dates are checked here for both.
 *
 *   `legalaidctl lawyers [ID]` lists the pool with each member's open
 *   cases, offers made by the matcher, fair share of them, manual
 *   assignments, declines and acceptances (LawyersQuery); with an ID, that
 *   member's whole record.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "ctl_csv.h"
#include "dispatch.pb-c.h"
#include "fieldtext.h"
#include "i18n.h"
#include "xalloc.h"

#define CTL_CSV_COLUMNS_MAX 64
#define CTL_CSV_LIST_MAX 64

/* --- reading the file ----------------------------------------------------- */

static void ctl_lawyers_add(ctl_records_t *recs, size_t line, ProtobufCMessage *m)
{
    if (recs->n == recs->cap) {
        recs->cap = recs->cap ? recs->cap * 2 : 256;
        recs->items = xrealloc(recs->items, recs->cap * sizeof *recs->items);
    }
    recs->items[recs->n].line = line;
    recs->items[recs->n].msg = m;
    recs->n++;
}

/* The whole input in a NUL-terminated buffer (malloc'ed), or NULL after
 * saying why. */
static char *ctl_lawyers_slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, _("legalaidctl: cannot read %s: %s\n"), path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    int failed = ferror(f);
    if (f != stdin) fclose(f);
    if (failed) {
        fprintf(stderr, _("legalaidctl: error reading %s\n"), path);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static int ctl_lawyers_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t') return 0;
    return 1;
}

/* A real date written YYYY-MM-DD. */
static int ctl_lawyers_date_ok(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1]) return 0;
    return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* The dates of a lawyer: NULL when they are fine, else the field at fault. */
static const char *ctl_lawyers_bad_date(const Legalaid__Lawyer *l)
{
    if (l->licence_date && l->licence_date[0] && !ctl_lawyers_date_ok(l->licence_date))
        return "licence_date";
    if (l->criminal_defence_since && l->criminal_defence_since[0] &&
        !ctl_lawyers_date_ok(l->criminal_defence_since))
        return "criminal_defence_since";
    if (l->left_judicial_office && l->left_judicial_office[0] &&
        !ctl_lawyers_date_ok(l->left_judicial_office))
        return "left_judicial_office";
    return NULL;
}

/* Keeps a parsed lawyer, or reports its bad date. */
static void ctl_lawyers_keep(ProtobufCMessage *m, size_t line, ctl_records_t *recs,
                             ctl_outcomes_t *out)
{
    const char *bad = ctl_lawyers_bad_date((const Legalaid__Lawyer *)m);
    if (bad)
        ctl_outcomes_add(out, line, 0, bad,
                         _("must be a date written YYYY-MM-DD, like 2019-07-01"));
    else
        ctl_lawyers_add(recs, line, m);
}

/* A flag cell: 1, 0, or -1 when it is not one. */
static int ctl_lawyers_flag(const char *s)
{
    static const char *const yes[] = {"true", "yes", "y", "1", "是", "TRUE", "Yes", "Y"};
    static const char *const no[] = {"false", "no", "n", "0", "否", "FALSE", "No", "N"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcmp(s, yes[i]) == 0) return 1;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(s, no[i]) == 0) return 0;
    return -1;
}

static json_t *ctl_lawyers_not_text(const ProtobufCFieldDescriptor *f, pbjson_error_t *err)
{
    snprintf(err->field, sizeof err->field, "%s", f->name);
    snprintf(err->message, sizeof err->message, "%s",
             _("is not UTF-8 text (save the spreadsheet as CSV UTF-8)"));
    return NULL;
}

/* The JSON value of one CSV cell for field f, or NULL with err filled. */
static json_t *ctl_lawyers_cell(const ProtobufCFieldDescriptor *f, char *cell,
                                pbjson_error_t *err)
{
    size_t len = strlen(cell), bad = fieldtext_utf8_bad(cell, len);
    if (bad < len) { /* the column names the field, as a JSON line's key would */
        snprintf(err->field, sizeof err->field, "%s", f->name);
        fieldtext_not_utf8(err->message, sizeof err->message, (unsigned char)cell[bad], bad);
        return NULL;
    }
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        char *items[CTL_CSV_LIST_MAX];
        int n = ctl_csv_list(cell, items, CTL_CSV_LIST_MAX);
        if (n > CTL_CSV_LIST_MAX) {
            snprintf(err->field, sizeof err->field, "%s", f->name);
            snprintf(err->message, sizeof err->message, _("%d items; at most %d"), n,
                     CTL_CSV_LIST_MAX);
            return NULL;
        }
        json_t *a = json_array();
        for (int i = 0; i < n; i++) {
            json_t *item = json_string(items[i]);
            if (!item) {
                json_decref(a);
                return ctl_lawyers_not_text(f, err);
            }
            json_array_append_new(a, item);
        }
        return a;
    }
    switch (f->type) {
    case PROTOBUF_C_TYPE_BOOL: {
        int v = ctl_lawyers_flag(cell);
        if (v < 0) {
            snprintf(err->field, sizeof err->field, "%s", f->name);
            snprintf(err->message, sizeof err->message,
                     _("'%s' is not true or false (also yes/no, 1/0, 是/否)"), cell);
            return NULL;
        }
        return json_boolean(v);
    }
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_UINT64: {
        char *end;
        errno = 0;
        long long v = strtoll(cell, &end, 10);
        if (*end || end == cell || errno) {
            snprintf(err->field, sizeof err->field, "%s", f->name);
            snprintf(err->message, sizeof err->message, _("'%s' is not a whole number"), cell);
            return NULL;
        }
        return json_integer(v);
    }
    default: {
        json_t *v = json_string(cell);
        return v ? v : ctl_lawyers_not_text(f, err);
    }
    }
}

/* The header: the field of each column. -1 after saying why. */
static int ctl_lawyers_header(const char *path, size_t line, char *text,
                              const ProtobufCFieldDescriptor **cols, int *ncols)
{
    char *names[CTL_CSV_COLUMNS_MAX];
    const char *why;
    int n = ctl_csv_split(text, names, CTL_CSV_COLUMNS_MAX, &why);
    if (n < 0 || n > CTL_CSV_COLUMNS_MAX) {
        fprintf(stderr, _("legalaidctl: %s: line %zu: the CSV header: %s\n"), path, line,
                n < 0 ? why : _("it has too many columns"));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        cols[i] = protobuf_c_message_descriptor_get_field_by_name(&legalaid__lawyer__descriptor,
                                                                  names[i]);
        if (!cols[i]) {
            fprintf(stderr,
                    _("legalaidctl: %s: line %zu: column '%s' is not a field of a lawyer; the "
                      "columns are named like the JSON fields (tools/ctl/FORMATS.md): id, "
                      "name, firm, phone, status, capacity, county, kind, licence_date, "
                      "criminal_defence_since, specialties, languages, counties, "
                      "juvenile_qualified, conflicts, disciplinary_record, qualified, "
                      "left_judicial_office\n"),
                    path, line, names[i]);
            return -1;
        }
        for (int k = 0; k < i; k++)
            if (cols[k] == cols[i]) {
                fprintf(stderr, _("legalaidctl: %s: line %zu: column '%s' is given twice\n"), path,
                        line, names[i]);
                return -1;
            }
    }
    *ncols = n;
    return 0;
}

/* One CSV row into a lawyer. */
static void ctl_lawyers_row(const ctl_t *ctl, size_t line, char *text,
                            const ProtobufCFieldDescriptor *const *cols, int ncols, arena_t *arena,
                            ctl_records_t *recs, ctl_outcomes_t *out)
{
    char *cells[CTL_CSV_COLUMNS_MAX];
    const char *why;
    int n = ctl_csv_split(text, cells, CTL_CSV_COLUMNS_MAX, &why);
    if (n < 0) {
        ctl_outcomes_add(out, line, 0, NULL, why);
        return;
    }
    if (n > ncols) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 _("%d fields, but the header names %d columns (quote a field that holds a comma)"),
                 n, ncols);
        ctl_outcomes_add(out, line, 0, NULL, msg);
        return;
    }
    json_t *obj = json_object();
    pbjson_error_t err;
    for (int i = 0; i < n; i++) {
        if (!cells[i][0]) continue; /* an empty cell: the field is not given */
        json_t *v = ctl_lawyers_cell(cols[i], cells[i], &err);
        if (!v) {
            ctl_outcomes_add(out, line, 0, err.field, err.message);
            json_decref(obj);
            return;
        }
        json_object_set_new(obj, cols[i]->name, v);
    }
    char *json = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (!json) {
        ctl_outcomes_add(out, line, 0, NULL, _("the row is not valid UTF-8 text"));
        return;
    }
    ProtobufCMessage *m = pbjson_parse(json, &legalaid__lawyer__descriptor,
                                                ctl->utc_offset_min, arena, &err);
    free(json);
    if (!m)
        ctl_outcomes_add(out, line, 0, err.field, err.message);
    else
        ctl_lawyers_keep(m, line, recs, out);
}

int ctl_dispatch_lawyers_read(const ctl_t *ctl, const char *path, arena_t *arena,
                              ctl_records_t *recs, ctl_outcomes_t *out)
{
    size_t len;
    char *buf = ctl_lawyers_slurp(path, &len);
    if (!buf) return -1;
    char *text = buf;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3; /* a spreadsheet's BOM */
    int csv = -1; /* not known until the first non-blank line */
    const ProtobufCFieldDescriptor *cols[CTL_CSV_COLUMNS_MAX];
    int ncols = 0, rc = 0;
    size_t lineno = 0;
    char *p = text, *end = buf + len;
    while (p < end && rc == 0) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *next = nl ? nl + 1 : end;
        size_t n = (size_t)((nl ? nl : end) - p);
        p[n] = 0;
        if (n && p[n - 1] == '\r') p[--n] = 0;
        lineno++;
        char *line = p;
        p = next;
        if (strlen(line) != n) {
            ctl_outcomes_add(out, lineno, 0, NULL,
                             _("the line contains a NUL byte: is this a text file?"));
            continue;
        }
        if (ctl_lawyers_blank(line)) continue;
        if (csv < 0) {
            const char *s = line;
            while (*s == ' ' || *s == '\t') s++;
            csv = *s != '{';
            if (csv) {
                rc = ctl_lawyers_header(path, lineno, line, cols, &ncols);
                continue;
            }
        }
        if (csv) {
            ctl_lawyers_row(ctl, lineno, line, cols, ncols, arena, recs, out);
            continue;
        }
        pbjson_error_t err;
        ProtobufCMessage *m = pbjson_parse(line, &legalaid__lawyer__descriptor,
                                                    ctl->utc_offset_min, arena, &err);
        if (!m)
            ctl_outcomes_add(out, lineno, 0, err.field, err.message);
        else
            ctl_lawyers_keep(m, lineno, recs, out);
    }
    free(buf);
    return rc;
}

/* --- legalaidctl lawyers [ID] ----------------------------------------------- */

static const char *ctl_lawyers_kind(const Legalaid__Lawyer *l)
{
    switch (l->kind) {
    case LEGALAID__PROVIDER_KIND__PROVIDER_GRASSROOTS:
        return _("grassroots");
    case LEGALAID__PROVIDER_KIND__PROVIDER_VOLUNTEER:
        return _("volunteer");
    case LEGALAID__PROVIDER_KIND__PROVIDER_STAFF:
        return _("staff");
    default:
        return _("lawyer");
    }
}

static const char *ctl_lawyers_status(const Legalaid__Lawyer *l)
{
    if (!l->has_status) return _("active");
    switch (l->status) {
    case LEGALAID__LAWYER_STATUS__SUSPENDED:
        return _("suspended");
    case LEGALAID__LAWYER_STATUS__LEFT:
        return _("left");
    default:
        return _("active");
    }
}

/* "  LABEL                 " : a label of the record, padded to 22 columns. */
static void ctl_lawyers_label(const char *label)
{
    printf("  ");
    ctl_fmt_pad(label, 22);
}

/* "CIVIL;CRIMINAL_DEFENCE" style lists of enum values, lower-case. */
static void ctl_lawyers_enums(const char *label, const ProtobufCEnumDescriptor *desc,
                              const int *values, size_t n)
{
    if (!n) return;
    ctl_lawyers_label(label);
    for (size_t i = 0; i < n; i++) {
        char e[PBJSON_ENUM_MAX];
        printf("%s%s", i ? ", " : "", pbjson_enum_text(desc, values[i], e));
    }
    printf("\n");
}

static void ctl_lawyers_strings(const char *label, char *const *items, size_t n)
{
    if (!n) return;
    ctl_lawyers_label(label);
    for (size_t i = 0; i < n; i++) printf("%s%s", i ? ", " : "", ctl_fmt_str(items[i]));
    printf("\n");
}

/* One line of the record: its label and its value. */
static void ctl_lawyers_line(const char *label, const char *value)
{
    ctl_lawyers_label(label);
    printf("%s\n", value);
}

static void ctl_lawyers_show_one(const Legalaid__LawyerLoad *ld)
{
    const Legalaid__Lawyer *l = ld->lawyer;
    char phone[64], text[160];
    printf(_("lawyer %s %s\n"), ctl_fmt_str(l->id), ctl_fmt_str(l->name));
    ctl_lawyers_line(_("kind"), ctl_lawyers_kind(l));
    ctl_lawyers_line(_("firm"), ctl_fmt_str(l->firm));
    if (l->phone) ctl_lawyers_line(_("phone"), ctl_fmt_mask_phone(l->phone, phone, sizeof phone));
    ctl_lawyers_line(_("status"), ctl_lawyers_status(l));
    if (l->county) ctl_lawyers_line(_("county"), l->county);
    ctl_lawyers_strings(_("also serves"), l->counties, l->n_counties);
    if (l->licence_date) ctl_lawyers_line(_("practising since"), l->licence_date);
    if (l->criminal_defence_since)
        ctl_lawyers_line(_("criminal defence since"), l->criminal_defence_since);
    ctl_lawyers_enums(_("specialties"), &legalaid__matter_category__descriptor,
                      (const int *)l->specialties, l->n_specialties);
    ctl_lawyers_enums(_("languages"), &legalaid__language__descriptor, (const int *)l->languages,
                      l->n_languages);
    if (l->has_juvenile_qualified && l->juvenile_qualified)
        ctl_lawyers_line(_("juvenile"), _("qualified (Minors Protection Law art. 104)"));
    if (l->has_qualified && l->qualified) ctl_lawyers_line(_("qualification"), _("yes (art. 13)"));
    if (l->left_judicial_office)
        ctl_lawyers_line(_("left judicial office"), l->left_judicial_office);
    ctl_lawyers_strings(_("declared conflicts"), l->conflicts, l->n_conflicts);
    snprintf(text, sizeof text, _("%u of %u"), ld->open_cases, l->capacity);
    ctl_lawyers_line(_("open cases"), text);
    snprintf(text, sizeof text, _("%u (fair share %u.%03u)"), ld->offers, ld->ideal_milli / 1000,
             ld->ideal_milli % 1000);
    ctl_lawyers_line(_("offers by the matcher"), text);
    snprintf(text, sizeof text, _("%u accepted, %u declined, %u assigned by staff"), ld->accepted,
             ld->declined, ld->manual);
    ctl_lawyers_line(_("answers"), text);
}

/* The table's columns: width (negative: right-aligned), in display columns. */
static const int ctl_lawyers_widths[] = {-8, -10, -22, -10, -9, 9, 6, 8, 6, 8, 8};
#define CTL_LAWYERS_COLS (sizeof ctl_lawyers_widths / sizeof ctl_lawyers_widths[0])

static void ctl_lawyers_cells(const char *const *cells)
{
    for (size_t i = 0; i < CTL_LAWYERS_COLS; i++) {
        int w = ctl_lawyers_widths[i];
        if (i) putchar(' ');
        if (w < 0) {
            ctl_fmt_pad(cells[i], -w);
        } else {
            printf("%*s%s", w > i18n_width(cells[i]) ? w - i18n_width(cells[i]) : 0, "", cells[i]);
        }
    }
    printf("\n");
}

static void ctl_lawyers_table(const Legalaid__LawyerList *list)
{
    const char *head[] = {_("id"),     _("name"),     _("firm"),    _("kind"),
                          _("status"), _("open/cap"), _("offers"),  _("fair"),
                          _("manual"), _("declined"), _("accepted")};
    ctl_lawyers_cells(head);
    for (size_t i = 0; i < list->n_lawyers; i++) {
        const Legalaid__LawyerLoad *ld = list->lawyers[i];
        const Legalaid__Lawyer *l = ld->lawyer;
        if (!l) continue;
        char load[24], fair[24], offers[12], manual[12], declined[12], accepted[12];
        snprintf(load, sizeof load, "%u/%u", ld->open_cases, l->capacity);
        snprintf(fair, sizeof fair, "%u.%03u", ld->ideal_milli / 1000, ld->ideal_milli % 1000);
        snprintf(offers, sizeof offers, "%u", ld->offers);
        snprintf(manual, sizeof manual, "%u", ld->manual);
        snprintf(declined, sizeof declined, "%u", ld->declined);
        snprintf(accepted, sizeof accepted, "%u", ld->accepted);
        const char *row[] = {ctl_fmt_str(l->id),
                             ctl_fmt_str(l->name),
                             ctl_fmt_str(l->firm),
                             ctl_lawyers_kind(l),
                             ctl_lawyers_status(l),
                             load,
                             offers,
                             fair,
                             manual,
                             declined,
                             accepted};
        ctl_lawyers_cells(row);
    }
    printf(_("%zu in the pool\n"), list->n_lawyers);
}

int ctl_dispatch_lawyers_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    int first = ctl_args_parse("lawyers", argc, argv, opts, NULL, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first > 1)
        return ctl_help_usage_error("lawyers", _("give one lawyer's ID, or none"));
    if (argc - first == 1 && !argv[first][0])
        return ctl_help_usage_error("lawyers", _("the ID is empty"));
    const char *id = argc - first == 1 ? argv[first] : NULL;
    Legalaid__LawyersQuery q = LEGALAID__LAWYERS_QUERY__INIT;
    q.id = (char *)id;
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_DISPATCH);
    a.req.body_case = LEGALAID__REQUEST__BODY_LAWYERS;
    a.req.lawyers = &q;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) {
        const Legalaid__LawyerList *list =
            a.reply->body_case == LEGALAID__REPLY__BODY_LAWYERS ? a.reply->lawyers : NULL;
        if (ctl->json) {
            ctl_json_print(list ? ctl_json_from_message(&list->base, 1) : json_object());
        } else if (!list || list->n_lawyers == 0) {
            if (id)
                printf(_("no lawyer %s in the pool\n"), id);
            else
                printf("%s", _("the pool is empty\n"));
            status = id ? CTL_EXIT_REJECTED : CTL_EXIT_OK;
        } else if (id) {
            for (size_t i = 0; i < list->n_lawyers; i++)
                if (list->lawyers[i]->lawyer) ctl_lawyers_show_one(list->lawyers[i]);
        } else {
            ctl_lawyers_table(list);
        }
    }
    ctl_ask_free(&a, 1);
    return status;
}
