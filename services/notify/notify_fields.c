/*
 * notify_fields.c - template fields: a small name -> value set, and the
 * reflection that reads a field of any protobuf-c message when a template
 * asks for it (see notify_fields.h for how each kind of value reads).
 */
#include "notify_fields.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "clock.h"
#include "notify_render.h"

#define NOTIFY_FIELDS_DEPTH 6

static const char *fields_resolve(arena_t *a, const ProtobufCMessage *m, const char *path);

const char *const notify_fields_common[] = {"case_id", "recipient", "today", NULL};

void notify_fields_init(notify_fields_t *f, arena_t *a)
{
    f->a = a;
    f->v = NULL;
    f->n = f->cap = f->n_msgs = 0;
    memset(f->head, 0, sizeof f->head);
}

/* FNV-1a of name, folded to a bucket. */
static size_t fields_bucket(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) h = (h ^ *p) * 16777619u;
    return h & (NOTIFY_FIELDS_BUCKETS - 1);
}

/* The field named name, or NULL. */
static notify_field_t *fields_find(const notify_fields_t *f, const char *name, size_t bucket)
{
    for (size_t i = f->head[bucket]; i; i = f->v[i - 1].next)
        if (strcmp(f->v[i - 1].name, name) == 0) return &f->v[i - 1];
    return NULL;
}

void notify_fields_set(notify_fields_t *f, const char *name, const char *value)
{
    size_t bucket = fields_bucket(name);
    notify_field_t *same = fields_find(f, name, bucket);
    if (same) {
        same->value = value ? value : "";
        return;
    }
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 32;
        notify_field_t *grown = arena_alloc(f->a, f->cap * sizeof *grown);
        if (f->n) memcpy(grown, f->v, f->n * sizeof *grown);
        f->v = grown;
    }
    f->v[f->n].name = name;
    f->v[f->n].value = value ? value : "";
    f->v[f->n].next = f->head[bucket];
    f->head[bucket] = ++f->n;
}

const char *notify_fields_get(const notify_fields_t *f, const char *name)
{
    const notify_field_t *field = fields_find(f, name, fields_bucket(name));
    if (field) return field->value;
    for (size_t i = f->n_msgs; i-- > 0;) {
        const char *path = name, *prefix = f->prefixes[i];
        size_t n = strlen(prefix);
        if (n) {
            if (strncmp(name, prefix, n) != 0 || name[n] != '.') continue;
            path = name + n + 1;
        }
        const char *v = fields_resolve(f->a, f->msgs[i], path);
        if (v) return v;
    }
    return "";
}

static int fields_is_time(const ProtobufCFieldDescriptor *fd)
{
    size_t n = strlen(fd->name);
    return (fd->type == PROTOBUF_C_TYPE_INT64 || fd->type == PROTOBUF_C_TYPE_SINT64 ||
            fd->type == PROTOBUF_C_TYPE_SFIXED64) &&
           n > 3 && strcmp(fd->name + n - 3, "_at") == 0;
}

/* Is the non-repeated field fd present in m? Strings and messages:
 * non-NULL; scalars: their has_ flag (or oneof case). A list has no
 * presence (fields_value). */
static int fields_present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd)
{
    const char *base = (const char *)m;
    if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        return *(const uint32_t *)(base + fd->quantifier_offset) == fd->id;
    if (fd->type == PROTOBUF_C_TYPE_STRING || fd->type == PROTOBUF_C_TYPE_MESSAGE)
        return *(void *const *)(base + fd->offset) != NULL;
    if (fd->label == PROTOBUF_C_LABEL_OPTIONAL && fd->quantifier_offset)
        return *(const protobuf_c_boolean *)(base + fd->quantifier_offset) != 0;
    return 1;
}

/* One scalar value at p as text (arena). */
static const char *fields_scalar(arena_t *a, const ProtobufCFieldDescriptor *fd, const void *p)
{
    switch (fd->type) {
    case PROTOBUF_C_TYPE_STRING:
        return *(char *const *)p;
    case PROTOBUF_C_TYPE_BOOL:
        return *(const protobuf_c_boolean *)p ? "1" : "";
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumValue *ev =
            protobuf_c_enum_descriptor_get_value(fd->descriptor, *(const int *)p);
        return ev ? ev->name : arena_printf(a, "%d", *(const int *)p);
    }
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        return arena_printf(a, "%" PRId32, *(const int32_t *)p);
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        return arena_printf(a, "%" PRIu32, *(const uint32_t *)p);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        if (fields_is_time(fd)) {
            char buf[CLOCK_TEXT_MAX];
            return notify_render_time(a, *(const int64_t *)p, buf);
        }
        return arena_printf(a, "%" PRId64, *(const int64_t *)p);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return arena_printf(a, "%" PRIu64, *(const uint64_t *)p);
    case PROTOBUF_C_TYPE_DOUBLE:
        return arena_printf(a, "%g", *(const double *)p);
    case PROTOBUF_C_TYPE_FLOAT:
        return arena_printf(a, "%g", (double)*(const float *)p);
    default:
        return NULL;
    }
}

static size_t fields_scalar_size(const ProtobufCFieldDescriptor *fd)
{
    switch (fd->type) {
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(void *);
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_ENUM:
        return sizeof(int);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
        return 8;
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    default:
        return 4;
    }
}

/* An ID number (a person's id_number, a detainee's person_id_number) is
 * never a template field: no text carries one, whatever a template says. */
static int fields_secret(const ProtobufCFieldDescriptor *fd)
{
    size_t n = strlen(fd->name);
    return n >= 9 && strcmp(fd->name + n - 9, "id_number") == 0;
}

/* A citation ("article", "articles"): every one reads in Chinese,
 * through the one converter (notify_render_article). */
static int fields_citation(const ProtobufCFieldDescriptor *fd)
{
    return fd->type == PROTOBUF_C_TYPE_STRING &&
           (strcmp(fd->name, "article") == 0 || strcmp(fd->name, "articles") == 0);
}

/* The value of the non-message field fd of m as a template reads it, or
 * NULL when m has none (an optional field absent) or fd is no template
 * field (bytes, an ID number, a list of messages). A list is never absent:
 * the wire cannot tell an empty one from one never set (a repeated field
 * is zero or more entries in proto2 and proto3 alike, no has_ flag), and a
 * list emptied on purpose (no material missing any more) must not read as
 * an earlier message's, so an empty list reads "" (notify_fields_get). */
static const char *fields_value(arena_t *a, const ProtobufCMessage *m,
                                const ProtobufCFieldDescriptor *fd)
{
    const char *base = (const char *)m;
    if (fd->type == PROTOBUF_C_TYPE_BYTES || fields_secret(fd)) return NULL;
    if (fd->label == PROTOBUF_C_LABEL_REPEATED && fd->type == PROTOBUF_C_TYPE_MESSAGE) return NULL;
    if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t n = *(const size_t *)(base + fd->quantifier_offset);
        const char *arr = *(const char *const *)(base + fd->offset);
        if (fields_citation(fd)) return notify_render_articles(a, (char *const *)arr, n);
        const char *joined = "";
        for (size_t k = 0; k < n; k++) {
            const char *v = fields_scalar(a, fd, arr + k * fields_scalar_size(fd));
            joined = k ? arena_printf(a, "%s、%s", joined, v ? v : "") : (v ? v : "");
        }
        return joined;
    }
    if (!fields_present(m, fd)) return NULL;
    if (fields_citation(fd)) return notify_render_article(a, *(char *const *)(base + fd->offset));
    const char *v = fields_scalar(a, fd, base + fd->offset);
    return v ? v : "";
}

/* The field of desc named by the first segment of path (up to its first
 * '.', which *dot gets, or NULL at the last), or NULL. */
static const ProtobufCFieldDescriptor *fields_segment(const ProtobufCMessageDescriptor *desc,
                                                      const char *path, const char **dot)
{
    *dot = strchr(path, '.');
    size_t n = *dot ? (size_t)(*dot - path) : strlen(path);
    char seg[128];
    if (n == 0 || n >= sizeof seg) return NULL;
    memcpy(seg, path, n);
    seg[n] = 0;
    return protobuf_c_message_descriptor_get_field_by_name(desc, seg);
}

/* The field at path inside m, read when a template asks for it: the
 * sub-messages along the path, then a scalar (or the ".date" of a time).
 * NULL when m has no such field, or it (an optional one, or a message on
 * its path) is absent: an earlier message may have it (notify_fields_get).
 * A list in m, even empty, is m's (fields_value). */
static const char *fields_resolve(arena_t *a, const ProtobufCMessage *m, const char *path)
{
    for (int depth = 0; m && depth <= NOTIFY_FIELDS_DEPTH; depth++) {
        const char *dot;
        const ProtobufCFieldDescriptor *fd = fields_segment(m->descriptor, path, &dot);
        if (!fd) return NULL;
        if (fd->type == PROTOBUF_C_TYPE_MESSAGE && fd->label != PROTOBUF_C_LABEL_REPEATED) {
            if (!dot || !fields_present(m, fd)) return NULL;
            m = *(const ProtobufCMessage *const *)((const char *)m + fd->offset);
            path = dot + 1;
            continue;
        }
        if (!dot) return fields_value(a, m, fd);
        if (strcmp(dot + 1, "date") != 0 || !fields_is_time(fd) ||
            fd->label == PROTOBUF_C_LABEL_REPEATED || fields_secret(fd))
            return NULL;
        if (!fields_present(m, fd)) return NULL;
        return notify_render_date(a, *(const int64_t *)((const char *)m + fd->offset));
    }
    return NULL;
}

void notify_fields_add_message(notify_fields_t *f, const char *prefix, const ProtobufCMessage *m)
{
    if (!m || f->n_msgs == NOTIFY_FIELDS_MESSAGES) return;
    f->msgs[f->n_msgs] = m;
    f->prefixes[f->n_msgs++] = prefix ? prefix : "";
}

int notify_fields_path_known(const ProtobufCMessageDescriptor *desc, const char *name)
{
    const char *p = name;
    for (int depth = 0; desc && depth <= NOTIFY_FIELDS_DEPTH; depth++) {
        const char *dot;
        const ProtobufCFieldDescriptor *fd = fields_segment(desc, p, &dot);
        if (!fd || fd->type == PROTOBUF_C_TYPE_BYTES || fields_secret(fd)) return 0;
        if (fd->type != PROTOBUF_C_TYPE_MESSAGE)
            /* A scalar ends the path, but for the ".date" of a time. */
            return !dot || (fields_is_time(fd) && strcmp(dot + 1, "date") == 0);
        if (fd->label == PROTOBUF_C_LABEL_REPEATED || !dot) return 0;
        desc = fd->descriptor;
        p = dot + 1;
    }
    return 0;
}

const ProtobufCMessage *notify_fields_message_at(const ProtobufCMessage *m, const char *path)
{
    const char *p = path;
    while (m) {
        const char *dot;
        const ProtobufCFieldDescriptor *fd = fields_segment(m->descriptor, p, &dot);
        if (!fd || fd->type != PROTOBUF_C_TYPE_MESSAGE || fd->label == PROTOBUF_C_LABEL_REPEATED)
            return NULL;
        if (!fields_present(m, fd)) return NULL;
        m = *(const ProtobufCMessage *const *)((const char *)m + fd->offset);
        if (!dot) return m;
        p = dot + 1;
    }
    return NULL;
}

const char *notify_fields_string_at(const ProtobufCMessage *m, const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot) {
        char head[256];
        size_t n = (size_t)(dot - path);
        if (n >= sizeof head) return NULL;
        memcpy(head, path, n);
        head[n] = 0;
        m = notify_fields_message_at(m, head);
        path = dot + 1;
    }
    if (!m) return NULL;
    const ProtobufCFieldDescriptor *fd =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, path);
    if (!fd || fd->type != PROTOBUF_C_TYPE_STRING || fd->label == PROTOBUF_C_LABEL_REPEATED)
        return NULL;
    return *(char *const *)((const char *)m + fd->offset);
}
