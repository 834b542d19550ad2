/*
 * notify_template.c - loading, checking and rendering the template files
 * (language in notify_template.h). A file is compiled once into a list of
 * pieces (text, field, open-if, open-unless, close); rendering walks it.
 */
#include "notify_template.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

#define NOTIFY_TEMPLATE_MAX_BYTES 8192
#define NOTIFY_TEMPLATE_NEST 8

typedef enum { PIECE_TEXT, PIECE_FIELD, PIECE_IF, PIECE_UNLESS, PIECE_END } piece_kind_t;

typedef struct piece {
    piece_kind_t kind;
    char *s;      /* the text, or the field's name */
    size_t match; /* PIECE_IF/UNLESS: the index of its PIECE_END */
} piece_t;

typedef struct tmpl {
    char *id;
    piece_t *pieces;
    size_t n;
} tmpl_t;

typedef struct tmpl_set {
    tmpl_t *v;
    size_t n;
} tmpl_set_t;

static tmpl_set_t notify_templates;

static void tmpl_set_free(tmpl_set_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        for (size_t k = 0; k < s->v[i].n; k++) free(s->v[i].pieces[k].s);
        free(s->v[i].pieces);
        free(s->v[i].id);
    }
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static void tmpl_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void tmpl_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int tmpl_field_known(const notify_template_def_t *def, const char *name)
{
    for (const char *const *c = notify_fields_common; *c; c++)
        if (strcmp(*c, name) == 0) return 1;
    for (const char *const *e = def->extra; e && *e; e++)
        if (strcmp(*e, name) == 0) return 1;
    if (!def->body) return 0;
    size_t np = def->body_prefix ? strlen(def->body_prefix) : 0;
    if (np) {
        if (strncmp(name, def->body_prefix, np) != 0 || name[np] != '.') return 0;
        name += np + 1;
    }
    return notify_fields_path_known(def->body, name);
}

static void tmpl_push(tmpl_t *t, size_t *cap, piece_kind_t kind, const char *s, size_t n)
{
    if (t->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        t->pieces = xrealloc(t->pieces, *cap * sizeof *t->pieces);
    }
    piece_t *p = &t->pieces[t->n++];
    p->kind = kind;
    p->match = 0;
    p->s = NULL;
    if (s) {
        p->s = xmalloc(n + 1);
        memcpy(p->s, s, n);
        p->s[n] = 0;
    }
}

/* Compiles the text of path into t. Returns 0 or -1 with err. */
static int tmpl_compile(tmpl_t *t, const notify_template_def_t *def, const char *path,
                        const char *text, char *err, size_t errlen)
{
    size_t cap = 0, open[NOTIFY_TEMPLATE_NEST], nopen = 0;
    int line = 1;
    buf_t lit = {0};
    const char *p = text;
    while (*p) {
        if (*p == '#' && (p == text || p[-1] == '\n')) { /* a comment line */
            while (*p && *p != '\n') p++;
            continue;
        }
        if (*p == '\n' || *p == '\r') {
            if (*p == '\n') line++;
            p++;
            continue;
        }
        if (*p != '{') {
            buf_append(&lit, p, 1);
            p++;
            continue;
        }
        const char *close = strchr(p, '}');
        const char *nl = strchr(p, '\n');
        if (!close || (nl && nl < close)) {
            tmpl_err(err, errlen, "%s:%d: '{' without its '}' on the same line", path, line);
            goto fail;
        }
        if (lit.len) tmpl_push(t, &cap, PIECE_TEXT, (const char *)lit.data, lit.len);
        lit.len = 0;
        const char *name = p + 1;
        size_t n = (size_t)(close - name);
        piece_kind_t kind = PIECE_FIELD;
        if (n == 1 && name[0] == '/') {
            if (nopen == 0) {
                tmpl_err(err, errlen, "%s:%d: {/} closes nothing", path, line);
                goto fail;
            }
            t->pieces[open[--nopen]].match = t->n;
            tmpl_push(t, &cap, PIECE_END, NULL, 0);
            p = close + 1;
            continue;
        }
        if (n && (name[0] == '?' || name[0] == '!')) {
            kind = name[0] == '?' ? PIECE_IF : PIECE_UNLESS;
            name++;
            n--;
        }
        char field[160];
        if (n == 0 || n >= sizeof field) {
            tmpl_err(err, errlen, "%s:%d: empty or overlong field name", path, line);
            goto fail;
        }
        memcpy(field, name, n);
        field[n] = 0;
        if (!tmpl_field_known(def, field)) {
            tmpl_err(err, errlen,
                     "%s:%d: unknown field {%s}: the event behind %s has no such field", path, line,
                     field, def->id);
            goto fail;
        }
        if (kind != PIECE_FIELD) {
            if (nopen == NOTIFY_TEMPLATE_NEST) {
                tmpl_err(err, errlen, "%s:%d: conditional parts nested too deep", path, line);
                goto fail;
            }
            open[nopen++] = t->n;
        }
        tmpl_push(t, &cap, kind, field, n);
        p = close + 1;
    }
    if (nopen) {
        tmpl_err(err, errlen, "%s: a conditional part is not closed with {/}", path);
        goto fail;
    }
    if (lit.len) tmpl_push(t, &cap, PIECE_TEXT, (const char *)lit.data, lit.len);
    buf_free(&lit);
    return 0;
fail:
    buf_free(&lit);
    return -1;
}

static char *tmpl_read(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        tmpl_err(err, errlen, "%s: cannot read the template: %s", path, strerror(errno));
        return NULL;
    }
    char *text = xmalloc(NOTIFY_TEMPLATE_MAX_BYTES + 1);
    size_t n = fread(text, 1, NOTIFY_TEMPLATE_MAX_BYTES + 1, f);
    fclose(f);
    if (n > NOTIFY_TEMPLATE_MAX_BYTES) {
        tmpl_err(err, errlen, "%s: longer than %d bytes", path, NOTIFY_TEMPLATE_MAX_BYTES);
        free(text);
        return NULL;
    }
    text[n] = 0;
    if (strlen(text) != n) {
        tmpl_err(err, errlen, "%s: holds a NUL byte", path);
        free(text);
        return NULL;
    }
    return text;
}

int notify_template_load(const char *dir, const notify_template_def_t *defs, size_t n, char *err,
                         size_t errlen)
{
    tmpl_set_t set = {xcalloc(n ? n : 1, sizeof(tmpl_t)), 0};
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.txt", dir, defs[i].id);
        char *text = tmpl_read(path, err, errlen);
        if (!text) goto fail;
        tmpl_t *t = &set.v[set.n++];
        t->id = xstrdup(defs[i].id);
        int rc = tmpl_compile(t, &defs[i], path, text, err, errlen);
        free(text);
        if (rc) goto fail;
    }
    tmpl_set_free(&notify_templates);
    notify_templates = set;
    return 0;
fail:
    tmpl_set_free(&set);
    return -1;
}

int notify_template_loaded(void)
{
    return notify_templates.n > 0;
}

void notify_template_free(void)
{
    tmpl_set_free(&notify_templates);
}

char *notify_template_render(arena_t *a, const char *id, const notify_fields_t *f)
{
    const tmpl_t *t = NULL;
    for (size_t i = 0; i < notify_templates.n; i++)
        if (strcmp(notify_templates.v[i].id, id) == 0) t = &notify_templates.v[i];
    if (!t) return NULL;
    buf_t b = {0};
    for (size_t i = 0; i < t->n; i++) {
        const piece_t *p = &t->pieces[i];
        const char *v;
        switch (p->kind) {
        case PIECE_TEXT:
            buf_append(&b, p->s, strlen(p->s));
            break;
        case PIECE_FIELD:
            v = notify_fields_get(f, p->s);
            buf_append(&b, v, strlen(v));
            break;
        case PIECE_IF:
        case PIECE_UNLESS:
            v = notify_fields_get(f, p->s);
            if ((p->kind == PIECE_IF) != (v[0] != 0)) i = p->match; /* skip to its end */
            break;
        case PIECE_END:
            break;
        }
    }
    char *s = arena_alloc(a, b.len + 1);
    if (b.len) memcpy(s, b.data, b.len);
    buf_free(&b);
    return s;
}
