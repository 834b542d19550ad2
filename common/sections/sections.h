/*
 * sections.h - every section of legalaid.ini and its keys, so that every
 * binary knows the whole file: a daemon's -t (and its start) checks every
 * section, not just its own; legalaidctl config prints them all.
 *
 * A folder of its own above the services, as common/json is: it knows
 * each service's key table (each in the service's small *_config.c), which
 * common/ itself never does. Linked by each daemon's main and legalaidctl.
 */
#ifndef LA_SECTIONS_H
#define LA_SECTIONS_H

#include <stddef.h>

#include "config.h"

typedef struct sections_section {
    const char *name;                       /* the INI section */
    const cfg_key_t *const keys[CONFIG_CHECK_TABLES]; /* NULL-terminated */
} sections_section_t;

/* [security], then the five daemons and the gateway; ended by name NULL. */
extern const sections_section_t sections_all[];

/* The section called name, or NULL. */
const sections_section_t *sections_find(const char *name);

/* Checks every section of path: a section that is not one of
 * sections_all, and in each one present an unknown key, a value of the
 * wrong type or out of range, are errors (a required key may be absent:
 * a host's file may hold only another host's endpoint). Returns 0, or -1
 * with "file:line: [section] ..." in err. The signature of
 * daemon_main's file check (daemon.h). */
int sections_check(const char *path, char *err, size_t errlen);

#endif
