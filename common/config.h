/*
 * config.h - typed INI configuration over libinih.
 *
 * A section's keys are declared in tables (name, type, default, range,
 * where to store). Loading a section applies the defaults, then the file;
 * in that section an unknown key, a key given twice, a value of the wrong
 * type or out of range is an error that names the file, line and key.
 * config_check checks another section the same way without storing it (a daemon's -t
 * checks every section of the file: common/sections), and config_each
 * walks every key of the file (legalaidctl config).
 *
 * The functions are config_*, after the file; the key-table types and the
 * key types keep the short cfg_ prefix (cfg_key_t, cfg_table_t, CFG_INT)
 * that every service's table of keys is written with.
 */
#ifndef LA_CONFIG_H
#define LA_CONFIG_H

#include <stddef.h>

typedef enum { CFG_STRING, CFG_INT, CFG_BOOL } cfg_type_t;

typedef struct cfg_key {
    const char *name;
    cfg_type_t type;
    const char *default_value; /* text, parsed like a value from the file; NULL: required */
    long long min, max;        /* CFG_INT range, inclusive */
    size_t offset;             /* where in the target struct: char *, long long or int */
    const char *help;          /* one line for the configuration reference */
} cfg_key_t;

typedef struct cfg_table {
    const cfg_key_t *keys; /* terminated by an entry with name == NULL */
    void *target;
} cfg_table_t;

/* Loads [section] of path into the tables' targets. Strings are strdup'ed
 * and owned by the target (config_free releases them). Returns 0, or -1 with a
 * message in err naming the file, line and key at fault. */
int config_load(const char *path, const char *section, const cfg_table_t *tables, int ntables,
                char *err, size_t errlen);

/* At most this many key tables per section for config_check. */
#define CONFIG_CHECK_TABLES 4

/* Checks [section] of path against keys (a NULL-terminated list of at most
 * CONFIG_CHECK_TABLES key tables) as config_load does, but stores nothing
 * and requires no key: a file may hold only the endpoint of another
 * host's daemon. Returns 0, or -1 with "file:line: [section] key:
 * problem" in err. */
int config_check(const char *path, const char *section, const cfg_key_t *const *keys, char *err,
                 size_t errlen);

/* Called for each key of the file in order: its section, name, value and
 * line; returns 0 to go on, else the walk stops. */
typedef int (*config_each_fn)(void *user, const char *section, const char *key,
                              const char *value, int line);
/* Walks every key of path. Returns 0, -EIO when the file cannot be read,
 * the line number of a line that is not INI, or stops early when fn
 * returned non-zero (returns the line then, as libinih does). */
int config_each(const char *path, config_each_fn fn, void *user);

/* Applies only the defaults (keys without one are left as they are); strings
 * are strdup'ed into the targets as config_load does. Returns 0, or -1 with
 * a message in err when a default does not parse (a programmer's mistake). */
int config_defaults(const cfg_table_t *tables, int ntables, char *err, size_t errlen);

/* Frees the strings config_load (or config_defaults) stored in the tables'
 * targets and sets each to NULL; the targets stay the caller's. */
void config_free(const cfg_table_t *tables, int ntables);

/* Copies the value of key in [section] of path into buf (size bytes, always
 * NUL-terminated, cut if longer). Reads the file each call and checks
 * nothing else in it. Returns 0, -ENOENT when the key is absent, -EIO when
 * the file cannot be read. */
int config_lookup(const char *path, const char *section, const char *key, char *buf, size_t size);

#endif
