/*
 * notify_fields.h - the named values a template may insert: every field of
 * an event's body by its path ("offer.lawyer.name", "assignment.lawyer.firm",
 * "reason"), found by protobuf-c reflection, so that a new event kind needs
 * no code to expose its fields; plus the values a rule computes (the
 * decision's wording, an article in Chinese) and the common ones (case_id,
 * recipient).
 *
 * How a value reads: strings as they are; enums by their name
 * ("REPLACEMENT"); bools "1" or ""; int64 fields ending in "_at" as a local
 * time "2026年3月5日 14:00" and, under "<path>.date", "2026年3月5日";
 * repeated fields joined with "、"; a citation (a string field "article",
 * or the repeated "articles") in Chinese, "《法律援助法》第36条", by
 * notify_render_article whatever form the daemon wrote it in. An absent
 * field reads as "". Enums read as codes: a template inserts their
 * Chinese words from a rule's computed field instead. A field
 * named "...id_number" is no field at all: ID numbers never go into a text
 * (a template naming one is an unknown-field error at start).
 */
#ifndef LA_NOTIFY_FIELDS_H
#define LA_NOTIFY_FIELDS_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

#include "arena.h"

typedef struct notify_field {
    const char *name;
    const char *value;
    size_t next; /* the next field in its bucket, plus one; 0 ends */
} notify_field_t;

/* Buckets of a set's index, by the hash of a name (a power of two). */
#define NOTIFY_FIELDS_BUCKETS 64

/* Messages a set reads its fields from (notify_fields_add_message). */
#define NOTIFY_FIELDS_MESSAGES 4

/* A set of fields for one rendering, in arena memory: the values set by
 * name, indexed by name, and the messages whose fields are read when a
 * template asks for them. (Every field of an event's body was once copied
 * in, a hundred and more for a decision, each by a scan of those before
 * it: 9 % of notify's CPU in a profile, for the five or ten a text uses.) */
typedef struct notify_fields {
    arena_t *a;
    notify_field_t *v;
    size_t n, cap;
    size_t head[NOTIFY_FIELDS_BUCKETS]; /* the first field of each bucket, plus one */
    const ProtobufCMessage *msgs[NOTIFY_FIELDS_MESSAGES];
    const char *prefixes[NOTIFY_FIELDS_MESSAGES];
    size_t n_msgs;
} notify_fields_t;

/* The fields every template may name, whatever its event. */
extern const char *const notify_fields_common[];

void notify_fields_init(notify_fields_t *f, arena_t *a);
/* Sets name to value (both must outlive f: string constants or arena);
 * NULL reads as "". A later set of the same name wins, and a set value
 * wins over a message's field of the same path. */
void notify_fields_set(notify_fields_t *f, const char *name, const char *value);
/* The value of name: as set, else the field at that path of the latest
 * message added that has one (formatted in f's arena); "" when neither.
 * A message has a field its type defines unless it is an optional one
 * whose has_ flag or pointer says absent, or a sub-message on its path is
 * absent: those fall through to an earlier message. A list (repeated
 * field) has no presence on the wire, empty or never set alike, so the
 * latest message whose type defines it gives it, "" when empty: a list
 * emptied since is never read from an older message. */
const char *notify_fields_get(const notify_fields_t *f, const char *name);

/* Adds every field of m under prefix ("" for none), as described above;
 * m must outlive f. Fields are read when asked for (at most
 * NOTIFY_FIELDS_MESSAGES messages). */
void notify_fields_add_message(notify_fields_t *f, const char *prefix, const ProtobufCMessage *m);

/* 1 if name is a path desc defines (with the ".date" form of an "_at"
 * int64), else 0. Used to check templates at start. */
int notify_fields_path_known(const ProtobufCMessageDescriptor *desc, const char *name);

/* The member at path inside m (a sub-message or a string); NULL when absent
 * or when path names something else. */
const ProtobufCMessage *notify_fields_message_at(const ProtobufCMessage *m, const char *path);
const char *notify_fields_string_at(const ProtobufCMessage *m, const char *path);

#endif
