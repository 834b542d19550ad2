/*
 * ctl_outcomes.c - what became of each line of a file, so that every
 * rejection is reported as "line N: field X: message" in line order,
 * whether the file or the daemon refused it (FORMATS.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"
#include "xalloc.h"

void ctl_outcomes_add(ctl_outcomes_t *out, size_t line, int accepted, const char *field,
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

void ctl_outcomes_merge(ctl_outcomes_t *out, const ctl_outcomes_t *other, const char *from)
{
    for (size_t i = 0; i < other->n; i++) {
        const ctl_outcome_t *b = &other->items[i];
        if (b->accepted) continue;
        char *detail = xmalloc(strlen(from) + 2 + (b->detail ? strlen(b->detail) : 0) + 1);
        sprintf(detail, "%s: %s", from, b->detail ? b->detail : "");
        ctl_outcome_t *a = NULL;
        for (size_t k = 0; k < out->n && !a; k++)
            if (out->items[k].line == b->line) a = &out->items[k];
        if (!a) {
            ctl_outcomes_add(out, b->line, 0, b->field, detail);
        } else if (a->accepted) {
            a->accepted = 0;
            out->accepted--;
            out->rejected++;
            free(a->detail);
            free(a->field);
            free(a->note);
            a->note = NULL;
            a->field = b->field ? xstrdup(b->field) : NULL;
            a->detail = xstrdup(detail);
        }
        free(detail);
    }
}

void ctl_outcomes_note(ctl_outcomes_t *out, const char *note)
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
            printf(_("line %zu: field %s: %s\n"), o->line, o->field, ctl_fmt_str(o->detail));
        else if (!o->accepted || o->detail)
            printf(_("line %zu: %s%s%s\n"), o->line, ctl_fmt_str(o->detail), o->note ? " " : "",
                   ctl_fmt_str(o->note));
    }
}

void ctl_outcomes_lang(const ctl_t *ctl)
{
    if (ctl->json) i18n_init("en");
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
