/*
 * sections.c - every section of legalaid.ini and its keys (see sections.h).
 */
#include "sections.h"

#include <stdio.h>
#include <string.h>

/* The tables, each declared in its service's internal header. */
extern const cfg_key_t security_config_keys[], daemon_config_keys[], intake_config_keys[],
    eligibility_config_keys[], dispatch_config_keys[], roster_config_keys[],
    notify_config_keys[], gateway_config_keys[];

const sections_section_t sections_all[] = {
    {"security", {security_config_keys, NULL}},
    {"intake", {daemon_config_keys, intake_config_keys, NULL}},
    {"eligibility", {daemon_config_keys, eligibility_config_keys, NULL}},
    {"dispatch", {daemon_config_keys, dispatch_config_keys, NULL}},
    {"roster", {daemon_config_keys, roster_config_keys, NULL}},
    {"notify", {daemon_config_keys, notify_config_keys, NULL}},
    {"gateway", {daemon_config_keys, gateway_config_keys, NULL}},
    {NULL, {NULL}},
};

#define SECTIONS_N (sizeof sections_all / sizeof sections_all[0] - 1)

const sections_section_t *sections_find(const char *name)
{
    for (const sections_section_t *s = sections_all; s->name; s++)
        if (strcmp(s->name, name) == 0) return s;
    return NULL;
}

typedef struct sections_seen {
    int present[SECTIONS_N];
    char *err;
    size_t errlen;
    const char *path;
    int failed;
} sections_seen_t;

static int sections_note(void *user, const char *section, const char *key, const char *value,
                         int line)
{
    (void)key;
    (void)value;
    sections_seen_t *seen = user;
    const sections_section_t *s = sections_find(section);
    if (s) {
        seen->present[s - sections_all] = 1;
        return 0;
    }
    snprintf(seen->err, seen->errlen,
             "%s:%d: [%s] unknown section (the sections are security, intake, eligibility, "
             "dispatch, roster, notify, gateway)",
             seen->path, line, section);
    seen->failed = 1;
    return 1;
}

int sections_check(const char *path, char *err, size_t errlen)
{
    sections_seen_t seen = {{0}, err, errlen, path, 0};
    int rc = config_each(path, sections_note, &seen);
    if (seen.failed) return -1;
    if (rc < 0) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    if (rc > 0) {
        snprintf(err, errlen, "%s:%d: not a valid INI line", path, rc);
        return -1;
    }
    for (size_t i = 0; i < SECTIONS_N; i++)
        if (seen.present[i] && config_check(path, sections_all[i].name, sections_all[i].keys, err,
                                            errlen) < 0)
            return -1;
    return 0;
}
