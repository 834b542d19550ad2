/*
 * ctl_config_print.c - `legalaidctl config [--all]`: the effective
 * configuration of every section of the file, after the same check every
 * daemon's -t makes (common/sections). Like `postconf -n`, the keys the
 * file sets; with --all every key, the ones left to their default marked.
 * --json: [{"section", "keys": [{"key", "value", "default"}]}] (a key
 * without a default and not set has value null).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"
#include "sections.h"
#include "xalloc.h"

#define CTL_CONFIG_CMD "config"

typedef struct ctl_config_value {
    char *section, *key, *value;
} ctl_config_value_t;

typedef struct ctl_config_file {
    ctl_config_value_t *v;
    size_t n, cap;
} ctl_config_file_t;

static int ctl_config_print_note(void *user, const char *section, const char *key,
                                 const char *value, int line)
{
    (void)line;
    ctl_config_file_t *f = user;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->v = xrealloc(f->v, f->cap * sizeof *f->v);
    }
    f->v[f->n++] = (ctl_config_value_t){xstrdup(section), xstrdup(key), xstrdup(value)};
    return 0;
}

/* The file's value of section.key (the last one, as a daemon reads it), or NULL. */
static const char *ctl_config_print_find(const ctl_config_file_t *f, const char *section,
                                         const char *key)
{
    for (size_t i = f->n; i-- > 0;)
        if (strcmp(f->v[i].section, section) == 0 && strcmp(f->v[i].key, key) == 0)
            return f->v[i].value;
    return NULL;
}

static int ctl_config_print_has(const ctl_config_file_t *f, const char *section)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i].section, section) == 0) return 1;
    return 0;
}

static void ctl_config_print_text(const ctl_config_file_t *f, const char *path, int all)
{
    printf(all ? _("# %s: every key; \"# default\" marks a value the file leaves to its default\n")
               : _("# %s: the keys the file sets (legalaidctl config --all: every key)\n"),
           path);
    for (const sections_section_t *s = sections_all; s->name; s++) {
        if (!ctl_config_print_has(f, s->name)) continue;
        printf("\n[%s]\n", s->name);
        for (int t = 0; s->keys[t]; t++) {
            for (const cfg_key_t *k = s->keys[t]; k->name; k++) {
                const char *v = ctl_config_print_find(f, s->name, k->name);
                if (v) {
                    int same = k->default_value && strcmp(v, k->default_value) == 0;
                    printf("%s = %s%s\n", k->name, v, same ? _("   # the default") : "");
                } else if (all && k->default_value) {
                    printf("%s = %s   # %s\n", k->name, k->default_value, _("default"));
                } else if (all) {
                    printf("%s =   # %s\n", k->name, _("required, not set"));
                }
            }
        }
    }
}

static void ctl_config_print_json(const ctl_config_file_t *f, int all)
{
    json_t *out = json_array();
    for (const sections_section_t *s = sections_all; s->name; s++) {
        if (!ctl_config_print_has(f, s->name)) continue;
        json_t *keys = json_array();
        for (int t = 0; s->keys[t]; t++) {
            for (const cfg_key_t *k = s->keys[t]; k->name; k++) {
                const char *v = ctl_config_print_find(f, s->name, k->name);
                if (!v && !all) continue;
                const char *shown = v ? v : k->default_value;
                json_array_append_new(
                    keys, json_pack("{s:s, s:o, s:b}", "key", k->name, "value",
                                    shown ? json_string(shown) : json_null(), "default", !v));
            }
        }
        json_array_append_new(out, json_pack("{s:s, s:o}", "section", s->name, "keys", keys));
    }
    ctl_json_print(out);
}

int ctl_config_print_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option longopts[] = {{"all", no_argument, NULL, 1}, {NULL, 0, NULL, 0}};
    const char *all_given = NULL;
    int first = ctl_args_parse(CTL_CONFIG_CMD, argc, argv, longopts, &all_given, CTL_ARGS_IN_ORDER);
    if (first < 0) return CTL_EXIT_FAILURE;
    int all = all_given != NULL;
    if (first < argc)
        return ctl_help_usage_error(CTL_CONFIG_CMD, _("no arguments, only --all and --json"));
    char err[600];
    if (sections_check(ctl->config, err, sizeof err) < 0) {
        fprintf(stderr, "legalaidctl config: %s\n", err);
        return CTL_EXIT_FAILURE;
    }
    ctl_config_file_t f = {0};
    config_each(ctl->config, ctl_config_print_note, &f);
    if (ctl->json)
        ctl_config_print_json(&f, all);
    else
        ctl_config_print_text(&f, ctl->config, all);
    for (size_t i = 0; i < f.n; i++) {
        free(f.v[i].section);
        free(f.v[i].key);
        free(f.v[i].value);
    }
    free(f.v);
    return CTL_EXIT_OK;
}
