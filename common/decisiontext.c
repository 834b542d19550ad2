/*
 * decisiontext.c - a decision's explanation from its codes and params, in
 * the reader's language (see decisiontext.h; the formats:
 * decisiontext_table.c).
 */
#include "decisiontext.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decisiontext_table.h"
#include "i18n.h"

const char decisiontext_nest[] = "@nest";

/* How deep codes may nest in params: a reason made again from a reason
 * made again ... (a record that nests deeper is shown as its code). */
#define DECISIONTEXT_DEPTH 16

decisiontext_t decisiontext_make(arena_t *arena, const char *code, ...)
{
    /* Counted first, then copied: a nested one is its "@code" and its params. */
    size_t n = 0;
    va_list ap;
    va_start(ap, code);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL; n++)
        if (s == decisiontext_nest) {
            const decisiontext_t *x = va_arg(ap, const decisiontext_t *);
            n += x->code ? x->n : 0;
        }
    va_end(ap);
    decisiontext_t out = {code, 0, arena_alloc(arena, (n + 1) * sizeof(char *))};
    va_start(ap, code);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL;) {
        if (s != decisiontext_nest) {
            out.params[out.n++] = (char *)s;
            continue;
        }
        const decisiontext_t *x = va_arg(ap, const decisiontext_t *);
        if (!x->code) { /* nothing to say */
            out.params[out.n++] = "";
            continue;
        }
        out.params[out.n++] = (char *)decisiontext_code(arena, x->code);
        for (size_t i = 0; i < x->n; i++) out.params[out.n++] = x->params[i];
    }
    va_end(ap);
    return out;
}

const char *decisiontext_lit(arena_t *arena, const char *text)
{
    if (!text) return "";
    return text[0] == '@' ? arena_printf(arena, "@%s", text) : text;
}

const char *decisiontext_num(arena_t *arena, long long n)
{
    return arena_printf(arena, "%lld", n);
}

const char *decisiontext_code(arena_t *arena, const char *code)
{
    return arena_printf(arena, "@%s", code);
}

decisiontext_t decisiontext_reason(arena_t *arena, const Legalaid__Decision *d)
{
    if (d->reason_code)
        return (decisiontext_t){d->reason_code, d->n_reason_params, d->reason_params};
    return decisiontext_make(arena, "text", decisiontext_lit(arena, d->reason), NULL);
}

/* How many params the format of code takes: its conversions ("%s",
 * "%N$s": the highest N). */
static size_t decisiontext_arity(const char *format)
{
    size_t n = 0, seq = 0;
    for (const char *p = format; (p = strchr(p, '%')) != NULL;) {
        p++;
        if (*p == '%') {
            p++;
            continue;
        }
        size_t pos = 0;
        while (*p >= '0' && *p <= '9') pos = pos * 10 + (size_t)(*p++ - '0');
        if (*p == '$')
            p++;
        else
            pos = ++seq;
        if (pos > n) n = pos;
    }
    return n;
}

typedef struct decisiontext_out {
    arena_t *arena;
    char *text;
    size_t len, cap;
} decisiontext_out_t;

static void decisiontext_put(decisiontext_out_t *o, const char *s, size_t len)
{
    if (o->len + len + 1 > o->cap) {
        size_t cap = (o->len + len + 1) * 2;
        char *grown = arena_alloc(o->arena, cap);
        if (o->len) memcpy(grown, o->text, o->len);
        o->text = grown;
        o->cap = cap;
    }
    memcpy(o->text + o->len, s, len);
    o->len += len;
    o->text[o->len] = '\0';
}

static char *decisiontext_one(arena_t *arena, char *const *params, size_t n, size_t *at, int depth);

/* The code (without its '@') worded with the params from *at on. */
static char *decisiontext_word(arena_t *arena, const char *code, char *const *params, size_t n,
                               size_t *at, int depth)
{
    const char *format = decisiontext_table_format(code);
    decisiontext_out_t o = {arena, NULL, 0, 0};
    decisiontext_put(&o, "", 0);
    if (!format || depth > DECISIONTEXT_DEPTH) { /* a later version's code */
        decisiontext_put(&o, code, strlen(code));
        for (; *at < n; (*at)++) {
            decisiontext_put(&o, " ", 1);
            decisiontext_put(&o, params[*at], strlen(params[*at]));
        }
        return o.text;
    }
    size_t arity = decisiontext_arity(format);
    char **args = arena_alloc(arena, (arity + 1) * sizeof *args);
    for (size_t i = 0; i < arity; i++) args[i] = decisiontext_one(arena, params, n, at, depth + 1);
    const char *f = _(format), *p;
    size_t seq = 0;
    while ((p = strchr(f, '%')) != NULL) {
        decisiontext_put(&o, f, (size_t)(p - f));
        p++;
        if (*p == '%') {
            decisiontext_put(&o, "%", 1);
            f = p + 1;
            continue;
        }
        size_t pos = 0;
        const char *q = p;
        while (*q >= '0' && *q <= '9') pos = pos * 10 + (size_t)(*q++ - '0');
        if (*q == '$')
            p = q + 1;
        else
            pos = ++seq;
        if (*p == 's') p++;
        if (pos >= 1 && pos <= arity) decisiontext_put(&o, args[pos - 1], strlen(args[pos - 1]));
        f = p;
    }
    decisiontext_put(&o, f, strlen(f));
    return o.text;
}

/* The param at *at: a literal, or a code worded with those after it. */
static char *decisiontext_one(arena_t *arena, char *const *params, size_t n, size_t *at, int depth)
{
    if (*at >= n) return "";
    const char *s = params[(*at)++];
    if (s[0] != '@') return (char *)s;
    if (s[1] == '@') return (char *)s + 1;
    return decisiontext_word(arena, s + 1, params, n, at, depth);
}

char *decisiontext_render(arena_t *arena, const char *code, char *const *params, size_t n)
{
    size_t at = 0;
    return decisiontext_word(arena, code, params, n, &at, 0);
}

void decisiontext_fill(arena_t *arena, Legalaid__Decision *d)
{
    if (d->reason_code)
        d->reason =
            decisiontext_render(arena, d->reason_code, d->reason_params, d->n_reason_params);
    for (size_t i = 0; i < d->n_tests; i++) {
        Legalaid__DecisionTest *t = d->tests[i];
        if (t->code) t->detail = decisiontext_render(arena, t->code, t->params, t->n_params);
    }
}

Legalaid__Decision *decisiontext_compact(arena_t *arena, const Legalaid__Decision *d)
{
    Legalaid__Decision *c = arena_alloc(arena, sizeof *c);
    *c = *d;
    if (c->reason_code) c->reason = NULL;
    if (!d->n_tests) return c;
    c->tests = arena_alloc(arena, d->n_tests * sizeof *c->tests);
    for (size_t i = 0; i < d->n_tests; i++) {
        Legalaid__DecisionTest *t = arena_alloc(arena, sizeof *t);
        *t = *d->tests[i];
        if (t->code) t->detail = NULL;
        c->tests[i] = t;
    }
    return c;
}
