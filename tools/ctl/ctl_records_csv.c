/*
 * ctl_records_csv.c - a CSV file with a header read as the JSON Lines it
 * stands for (tools/ctl/FORMATS.md "CSV"): each column is named by a
 * field's path in the record ("received_at", "applicant.id_number",
 * "history.lawyer_name"), each row becomes the JSON object those paths
 * make and is read by the same parser, with the same checks and messages,
 * as a line of JSON. The type of a cell is the field's: digits for a
 * number field are a number (anything else, such as a date, is given as
 * text for the parser to read), "true"/"false"/"是"/"否"/"1"/"0" a bool, and
 * a repeated field is a list "a; b". An empty cell is a field left out.
 * A field that is a list of messages has no column: use JSON Lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "ctl_csv.h"
#include "i18n.h"
#include "pbjson.h"
#include "xalloc.h"

#define CSV_COLUMNS_MAX 128
#define CSV_LIST_MAX 64

/* The field at path (dotted) under desc, or NULL; *why says why not. */
static const ProtobufCFieldDescriptor *csv_field(const ProtobufCMessageDescriptor *desc,
                                                 const char *path, const char **why)
{
    char part[128];
    const ProtobufCFieldDescriptor *f = NULL;
    for (const char *p = path; desc;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n == 0 || n >= sizeof part) break;
        memcpy(part, p, n);
        part[n] = 0;
        f = protobuf_c_message_descriptor_get_field_by_name(desc, part);
        if (!f) break;
        if (!dot) return f;
        if (f->type != PROTOBUF_C_TYPE_MESSAGE || f->label == PROTOBUF_C_LABEL_REPEATED) {
            *why = _("goes inside a field that is not one message");
            return NULL;
        }
        desc = f->descriptor;
        p = dot + 1;
    }
    *why = _("is not a field of the record");
    return NULL;
}

static int csv_digits(const char *s)
{
    if (*s == '-') s++;
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* One cell's JSON value for field f. */
static json_t *csv_value(const ProtobufCFieldDescriptor *f, const char *cell)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_BOOL:
        if (strcmp(cell, "true") == 0 || strcmp(cell, "1") == 0 || strcmp(cell, "是") == 0)
            return json_true();
        if (strcmp(cell, "false") == 0 || strcmp(cell, "0") == 0 || strcmp(cell, "否") == 0)
            return json_false();
        return json_string(cell); /* the parser names the field */
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_ENUM:
    case PROTOBUF_C_TYPE_BYTES:
        return json_string(cell);
    default:
        return csv_digits(cell) ? json_integer(strtoll(cell, NULL, 10)) : json_string(cell);
    }
}

/* Sets path (dotted) of obj to v, making the objects on the way. */
static void csv_set(json_t *obj, const char *path, json_t *v)
{
    const char *dot = strchr(path, '.');
    if (!dot) {
        json_object_set_new(obj, path, v);
        return;
    }
    char key[128];
    size_t n = (size_t)(dot - path) < sizeof key - 1 ? (size_t)(dot - path) : sizeof key - 1;
    memcpy(key, path, n);
    key[n] = 0;
    json_t *inner = json_object_get(obj, key);
    if (!inner) {
        inner = json_object();
        json_object_set_new(obj, key, inner);
    }
    csv_set(inner, dot + 1, v);
}

typedef struct csv_header {
    char *names[CSV_COLUMNS_MAX];
    const ProtobufCFieldDescriptor *fields[CSV_COLUMNS_MAX];
    int n;
} csv_header_t;

static int csv_header_read(char *line, const ProtobufCMessageDescriptor *desc, csv_header_t *h)
{
    char *cells[CSV_COLUMNS_MAX];
    const char *why = NULL;
    int n = ctl_csv_split(line, cells, CSV_COLUMNS_MAX, &why);
    if (n < 0 || n > CSV_COLUMNS_MAX) {
        fprintf(stderr, _("legalaidctl: line 1: the header: %s\n"),
                n < 0 ? why : _("it has more than 128 columns"));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        h->fields[i] = csv_field(desc, cells[i], &why);
        if (!h->fields[i]) {
            fprintf(stderr, _("legalaidctl: line 1: column %d '%s' %s\n"), i + 1, cells[i], why);
            return -1;
        }
        h->names[i] = xstrdup(cells[i]);
        h->n = i + 1; /* what the caller frees, also when a later column is refused */
    }
    return 0;
}

/* One row as the JSON text of a line, or NULL with *why. */
static char *csv_row_json(char *line, const csv_header_t *h, const char **why)
{
    char *cells[CSV_COLUMNS_MAX + 1];
    int n = ctl_csv_split(line, cells, CSV_COLUMNS_MAX + 1, why);
    if (n < 0) return NULL;
    if (n > h->n) {
        *why = _("the row has more cells than the header has columns");
        return NULL;
    }
    json_t *obj = json_object();
    for (int i = 0; i < n; i++) {
        if (!cells[i][0]) continue;
        const ProtobufCFieldDescriptor *f = h->fields[i];
        json_t *v;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            char *items[CSV_LIST_MAX];
            int k = ctl_csv_list(cells[i], items, CSV_LIST_MAX);
            v = json_array();
            for (int j = 0; j < k && j < CSV_LIST_MAX; j++)
                json_array_append_new(v, csv_value(f, items[j]));
        } else {
            v = csv_value(f, cells[i]);
        }
        csv_set(obj, h->names[i], v);
    }
    char *text = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    return text;
}

/* Shared with ctl_records.c, which reads JSON Lines. */
void ctl_records_csv_add(ctl_records_t *recs, size_t line, ProtobufCMessage *m)
{
    if (recs->n == recs->cap) {
        recs->cap = recs->cap ? recs->cap * 2 : 256;
        recs->items = xrealloc(recs->items, recs->cap * sizeof *recs->items);
    }
    recs->items[recs->n].line = line;
    recs->items[recs->n].msg = m;
    recs->n++;
}

int ctl_records_csv(const ctl_t *ctl, FILE *f, const ProtobufCMessageDescriptor *desc,
                    arena_t *arena, ctl_records_t *recs, ctl_outcomes_t *out)
{
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    csv_header_t h = {.n = 0};
    int rc = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t n = (size_t)len;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        char *text = line;
        if (lineno == 1 && n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3;
        if (lineno == 1) {
            if ((rc = csv_header_read(text, desc, &h)) < 0) break;
            continue;
        }
        if (!text[0]) continue;
        const char *why = NULL;
        char *json = csv_row_json(text, &h, &why);
        if (!json) {
            ctl_outcomes_add(out, lineno, 0, NULL, why);
            continue;
        }
        pbjson_error_t err;
        ProtobufCMessage *m = pbjson_parse(json, desc, ctl->utc_offset_min, arena, &err);
        free(json);
        if (!m) {
            ctl_outcomes_add(out, lineno, 0, err.field, err.message);
            continue;
        }
        ctl_records_csv_add(recs, lineno, m);
    }
    for (int i = 0; i < h.n; i++) free(h.names[i]);
    free(line);
    return rc;
}
