/*
 * ctl_records.c - reads a JSON Lines file into messages, one per line, and
 * keeps what became of each line, so that a bad line never stops the good
 * ones and every rejection is reported as "line N: field X: message" in
 * line order, whether the file or the daemon refused it (FORMATS.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "xalloc.h"

void ctl_outcome_add(ctl_outcomes_t *out, size_t line, int accepted, const char *field,
                     const char *detail)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 256;
        out->items = xrealloc(out->items, out->cap * sizeof *out->items);
    }
    ctl_outcome_t *o = &out->items[out->n++];
    o->line = line;
    o->accepted = accepted;
    o->field = field && field[0] ? xstrdup(field) : NULL;
    o->detail = detail ? xstrdup(detail) : NULL;
    o->note = NULL;
    if (accepted)
        out->accepted++;
    else
        out->rejected++;
}

void ctl_outcome_note(ctl_outcomes_t *out, const char *note)
{
    if (out->n == 0 || !note) return;
    ctl_outcome_t *o = &out->items[out->n - 1];
    free(o->note);
    o->note = xstrdup(note);
}

static int ctl_outcome_cmp(const void *a, const void *b)
{
    const ctl_outcome_t *x = a, *y = b;
    return x->line < y->line ? -1 : x->line > y->line;
}

static void ctl_outcome_print_json(const ctl_outcomes_t *out, const ctl_outcome_t *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "line", json_integer((json_int_t)o->line));
    json_object_set_new(j, "status", json_string(o->accepted ? "accepted" : "rejected"));
    if (o->field) json_object_set_new(j, "field", json_string(o->field));
    if (o->detail) {
        json_t *d = json_string(o->detail);
        const char *key = out->detail_key ? out->detail_key : "case_id";
        json_object_set_new(j, o->accepted ? key : "error", d ? d : json_string("(not UTF-8)"));
    }
    if (o->note) {
        json_t *d = json_string(o->note);
        json_object_set_new(j, "note", d ? d : json_string("(not UTF-8)"));
    }
    json_dumpf(j, stdout, JSON_COMPACT);
    fputc('\n', stdout);
    json_decref(j);
}

void ctl_outcomes_print(const ctl_t *ctl, ctl_outcomes_t *out)
{
    /* Each line has one outcome: the file's and the daemon's merge by line number. */
    if (out->n > 1) qsort(out->items, out->n, sizeof *out->items, ctl_outcome_cmp);
    for (size_t i = 0; i < out->n; i++) {
        const ctl_outcome_t *o = &out->items[i];
        if (ctl->json)
            ctl_outcome_print_json(out, o);
        else if (!o->accepted && o->field)
            printf("line %zu: field %s: %s\n", o->line, o->field, ctl_str(o->detail));
        else if (!o->accepted || o->detail)
            printf("line %zu: %s%s%s\n", o->line, ctl_str(o->detail), o->note ? " " : "",
                   ctl_str(o->note));
    }
}

void ctl_outcomes_free(ctl_outcomes_t *out)
{
    for (size_t i = 0; i < out->n; i++) {
        free(out->items[i].field);
        free(out->items[i].detail);
        free(out->items[i].note);
    }
    free(out->items);
    memset(out, 0, sizeof *out);
}

static int ctl_line_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
    return 1;
}

int ctl_records_read(const ctl_t *ctl, const char *path, const ProtobufCMessageDescriptor *desc,
                     arena_t *arena, ctl_records_t *recs, ctl_outcomes_t *out)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "legalaidctl: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t n = (size_t)len;
        if (lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            memmove(line, line + 3, n - 2); /* a byte-order mark from a spreadsheet export */
            n -= 3;
        }
        if (strlen(line) != n) {
            ctl_outcome_add(out, lineno, 0, NULL,
                            "the line contains a NUL byte: is this a text file?");
            continue;
        }
        if (ctl_line_blank(line)) continue;
        ctl_field_error_t err;
        ProtobufCMessage *m = ctl_json_parse_record(line, desc, ctl->utc_offset_min, arena, &err);
        if (!m) {
            ctl_outcome_add(out, lineno, 0, err.field, err.message);
            continue;
        }
        if (recs->n == recs->cap) {
            recs->cap = recs->cap ? recs->cap * 2 : 256;
            recs->items = xrealloc(recs->items, recs->cap * sizeof *recs->items);
        }
        recs->items[recs->n].line = lineno;
        recs->items[recs->n].msg = m;
        recs->n++;
    }
    int failed = ferror(f);
    free(line);
    if (f != stdin) fclose(f);
    if (failed) {
        fprintf(stderr, "legalaidctl: error reading %s\n", path);
        return -1;
    }
    return 0;
}

void ctl_records_free(ctl_records_t *recs)
{
    free(recs->items);
    memset(recs, 0, sizeof *recs);
}
