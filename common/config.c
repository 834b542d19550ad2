/*
 * config.c - typed INI loading (see config.h).
 */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

/* libinih as Debian builds it passes no line number to handlers: a reader
 * that counts lines gives us one for error messages. */
typedef struct config_reader {
    FILE *file;
    int line;
} config_reader_t;

static char *config_read_line(char *str, int num, void *stream)
{
    config_reader_t *r = stream;
    char *s = fgets(str, num, r->file);
    if (s) r->line++;
    return s;
}

static int config_parse_path(const char *path, ini_handler handler, void *user, config_reader_t *r)
{
    r->file = fopen(path, "r");
    r->line = 0;
    if (!r->file) return -1;
    int rc = ini_parse_stream(config_read_line, r, handler, user);
    fclose(r->file);
    return rc;
}

typedef struct config_parse {
    config_reader_t reader;
    const char *path;
    const char *section;
    const cfg_table_t *tables;
    int ntables;
    char *err;
    size_t errlen;
    int failed;
    int *seen; /* per key, tables laid end to end: the line it was set on, or 0 */
} config_parse_t;

static int config_set(const cfg_key_t *key, void *target, const char *value, char *why,
                      size_t whylen)
{
    char *slot = (char *)target + key->offset;
    switch (key->type) {
    case CFG_STRING: {
        char **s = (char **)(void *)slot;
        free(*s);
        *s = strdup(value);
        return 0;
    }
    case CFG_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (errno || end == value || *end != '\0') {
            snprintf(why, whylen, "'%s' is not a whole number", value);
            return -1;
        }
        if (v < key->min || v > key->max) {
            snprintf(why, whylen, "%lld is outside %lld..%lld", v, key->min, key->max);
            return -1;
        }
        *(long long *)(void *)slot = v;
        return 0;
    }
    case CFG_BOOL: {
        int *b = (int *)(void *)slot;
        if (!strcasecmp(value, "true") || !strcasecmp(value, "yes") || !strcmp(value, "1")) {
            *b = 1;
        } else if (!strcasecmp(value, "false") || !strcasecmp(value, "no") || !strcmp(value, "0")) {
            *b = 0;
        } else {
            snprintf(why, whylen, "'%s' is not true or false", value);
            return -1;
        }
        return 0;
    }
    }
    return -1;
}

static int config_handler(void *user, const char *section, const char *name, const char *value)
{
    config_parse_t *p = user;
    int lineno = p->reader.line;
    if (p->failed || strcmp(section, p->section) != 0) return 1;
    int index = 0;
    for (int t = 0; t < p->ntables; t++) {
        for (const cfg_key_t *k = p->tables[t].keys; k->name; k++, index++) {
            if (strcmp(k->name, name) != 0) continue;
            /* A key given twice is a mistake, not "the last one wins": the
             * person who added the second line meant one of the two. */
            if (p->seen[index]) {
                snprintf(p->err, p->errlen,
                         "%s:%d: [%s] %s given twice (first on line %d): keep one of the two",
                         p->path, lineno, section, name, p->seen[index]);
                p->failed = 1;
                return 0;
            }
            char why[160];
            if (config_set(k, p->tables[t].target, value, why, sizeof why) < 0) {
                snprintf(p->err, p->errlen, "%s:%d: [%s] %s: %s", p->path, lineno, section, name,
                         why);
                p->failed = 1;
                return 0;
            }
            p->seen[index] = lineno > 0 ? lineno : 1;
            return 1;
        }
    }
    snprintf(p->err, p->errlen, "%s:%d: [%s] unknown key '%s'", p->path, lineno, section, name);
    p->failed = 1;
    return 0;
}

int config_defaults(const cfg_table_t *tables, int ntables, char *err, size_t errlen)
{
    for (int t = 0; t < ntables; t++) {
        for (const cfg_key_t *k = tables[t].keys; k->name; k++) {
            if (!k->default_value) continue;
            char why[160];
            if (config_set(k, tables[t].target, k->default_value, why, sizeof why) < 0) {
                snprintf(err, errlen, "default of %s: %s", k->name, why);
                return -1;
            }
        }
    }
    return 0;
}

/* Loads [section] into the tables' targets; required: a key without a
 * default must be set. */
static int config_load_tables(const char *path, const char *section, const cfg_table_t *tables,
                              int ntables, int required, char *err, size_t errlen)
{
    int nkeys = 0;
    for (int t = 0; t < ntables; t++)
        for (const cfg_key_t *k = tables[t].keys; k->name; k++) nkeys++;
    if (config_defaults(tables, ntables, err, errlen) < 0) return -1;
    config_parse_t p = {
        {NULL, 0}, path, section, tables, ntables, err, errlen, 0, xcalloc((size_t)nkeys + 1, sizeof(int))};
    int rc = config_parse_path(path, config_handler, &p, &p.reader);
    if (rc == -1) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        free(p.seen);
        return -1;
    }
    if (p.failed) {
        free(p.seen);
        return -1;
    }
    if (rc > 0) {
        snprintf(err, errlen, "%s:%d: not a valid INI line", path, rc);
        free(p.seen);
        return -1;
    }
    int index = 0;
    for (int t = 0; t < ntables && required; t++) {
        for (const cfg_key_t *k = tables[t].keys; k->name; k++, index++) {
            if (!k->default_value && !p.seen[index]) {
                snprintf(err, errlen, "%s: [%s] %s is required", path, section, k->name);
                free(p.seen);
                return -1;
            }
        }
    }
    free(p.seen);
    return 0;
}

int config_load(const char *path, const char *section, const cfg_table_t *tables, int ntables,
                char *err, size_t errlen)
{
    return config_load_tables(path, section, tables, ntables, 1, err, errlen);
}

int config_check(const char *path, const char *section, const cfg_key_t *const *keys, char *err,
                 size_t errlen)
{
    cfg_table_t tables[CONFIG_CHECK_TABLES] = {{NULL, NULL}};
    int ntables = 0;
    for (; keys[ntables] && ntables < CONFIG_CHECK_TABLES; ntables++) {
        size_t size = sizeof(long long);
        for (const cfg_key_t *k = keys[ntables]; k->name; k++)
            if (k->offset + sizeof(long long) > size) size = k->offset + sizeof(long long);
        tables[ntables].keys = keys[ntables];
        tables[ntables].target = xcalloc(1, size); /* a scratch target: only checked */
    }
    int rc = config_load_tables(path, section, tables, ntables, 0, err, errlen);
    config_free(tables, ntables);
    for (int t = 0; t < ntables; t++) free(tables[t].target);
    return rc;
}

typedef struct config_walk {
    config_reader_t reader;
    config_each_fn fn;
    void *user;
} config_walk_t;

static int config_walk_handler(void *user, const char *section, const char *name,
                               const char *value)
{
    config_walk_t *w = user;
    return w->fn(w->user, section, name, value, w->reader.line) == 0;
}

int config_each(const char *path, config_each_fn fn, void *user)
{
    config_walk_t w = {{NULL, 0}, fn, user};
    int rc = config_parse_path(path, config_walk_handler, &w, &w.reader);
    if (rc == -1) return -EIO;
    return rc > 0 ? rc : 0;
}

void config_free(const cfg_table_t *tables, int ntables)
{
    for (int t = 0; t < ntables; t++) {
        for (const cfg_key_t *k = tables[t].keys; k->name; k++) {
            if (k->type != CFG_STRING) continue;
            char **s = (char **)(void *)((char *)tables[t].target + k->offset);
            free(*s);
            *s = NULL;
        }
    }
}

typedef struct config_find {
    const char *section, *key;
    char *buf;
    size_t size;
    int found;
} config_find_t;

static int config_find_handler(void *user, const char *section, const char *name, const char *value)
{
    config_find_t *f = user;
    if (!strcmp(section, f->section) && !strcmp(name, f->key)) {
        snprintf(f->buf, f->size, "%s", value);
        f->found = 1;
    }
    return 1;
}

int config_lookup(const char *path, const char *section, const char *key, char *buf, size_t size)
{
    config_find_t f = {section, key, buf, size, 0};
    config_reader_t r;
    if (config_parse_path(path, config_find_handler, &f, &r) == -1) return -EIO;
    return f.found ? 0 : -ENOENT;
}
