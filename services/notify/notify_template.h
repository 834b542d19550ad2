/*
 * notify_template.h - the notification templates: one file per (kind,
 * party) in the configured templates directory, "<kind>.<party>.txt"
 * ("offer.lawyer.txt"), loaded and checked once at start, so that staff edit
 * the wording without a rebuild (a restart loads the new text).
 *
 * The language of a file (UTF-8):
 *   # a comment line
 *   text           copied as it is; line breaks are dropped (an SMS is
 *                  one paragraph), so a long text may span lines
 *   {name}         the value of a field (notify_fields.h)
 *   {?name}...{/}  the part between, only when name is not empty
 *   {!name}...{/}  the part between, only when name is empty
 * Conditional parts nest. A field a template names must be one its event
 * can have: an unknown one is a configuration error naming file:line.
 */
#ifndef LA_NOTIFY_TEMPLATE_H
#define LA_NOTIFY_TEMPLATE_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

#include "arena.h"
#include "notify_fields.h"

/* What one template may name: the paths of body (may be NULL), the common
 * fields, and extra (NULL-terminated, may be NULL). */
typedef struct notify_template_def {
    const char *id; /* "<kind>.<party>" */
    const ProtobufCMessageDescriptor *body;
    const char *body_prefix; /* prefix of body's paths ("" for none) */
    const char *const *extra;
} notify_template_def_t;

/* Loads and checks the templates defs name from dir, replacing the set in
 * use only when every one is good. Returns 0, or -1 with a message in err
 * ("dir/offer.lawyer.txt:3: unknown field {offer.lawer.name}"). */
int notify_template_load(const char *dir, const notify_template_def_t *defs, size_t n, char *err,
                         size_t errlen);
/* 1 once a set is loaded. */
int notify_template_loaded(void);
/* Frees the set in use. */
void notify_template_free(void);

/* Renders template id with f into the arena; NULL when no template has
 * that id (a rule without its file: cannot happen after a good load). */
char *notify_template_render(arena_t *a, const char *id, const notify_fields_t *f);

#endif
