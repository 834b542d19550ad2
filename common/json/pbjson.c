/*
 * pbjson_json.c - JSON <-> protobuf for legalaidctl, by walking the message
 * descriptors, so that every message of proto/ (and every field added
 * later) reads and prints without code of its own.
 *
 * In: one JSON object per record; keys are the .proto field names; enums
 * take the documented lower-case names (the aliases below, else the .proto
 * value name in any case); int64 fields named "*_at", "at", "*_until" or
 * "*deadline" take ISO 8601 text as well as ms (a date alone is the start of
 * that day, or for "*_until" and "*deadline" its end, 24:00). Every problem names the field path
 * ("applicant.id_number") and says what was expected.
 *
 * Out: a JSON object per message, enums by their .proto value names, times
 * in ms, ID numbers and phones masked on request.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dispatch.pb-c.h"
#include "eligibility.pb-c.h"
#include "fieldtext.h"
#include "i18n.h"
#include "intake.pb-c.h"
#include "mask.h"
#include "pbjson.h"
#include "roster.pb-c.h"

/* The documented names where they differ from the lower-cased .proto
 * value names (FORMATS.md). */
typedef struct pbjson_enum_alias {
    const ProtobufCEnumDescriptor *desc;
    int value;
    const char *text;
} pbjson_enum_alias_t;

static const pbjson_enum_alias_t pbjson_enum_aliases[] = {
    {&legalaid__station_kind__descriptor, LEGALAID__STATION_KIND__COURT_STATION, "court"},
    {&legalaid__station_kind__descriptor, LEGALAID__STATION_KIND__PROCURATORATE_STATION,
     "procuratorate"},
    {&legalaid__station_kind__descriptor, LEGALAID__STATION_KIND__WORKSTATION_STATION,
     "workstation"},
    {&legalaid__shift_role__descriptor, LEGALAID__SHIFT_ROLE__PRIMARY, "A"},
    {&legalaid__shift_role__descriptor, LEGALAID__SHIFT_ROLE__BACKUP, "B"},
    {&legalaid__duty_mode__descriptor, LEGALAID__DUTY_MODE__BY_PHONE, "phone"},
    {&legalaid__duty_mode__descriptor, LEGALAID__DUTY_MODE__ONLINE_DUTY, "online"},
    {&legalaid__consultation_channel__descriptor, LEGALAID__CONSULTATION_CHANNEL__BY_TELEPHONE,
     "telephone"},
    {&legalaid__roll_answer__descriptor, LEGALAID__ROLL_ANSWER__ROLL_YES, "yes"},
    {&legalaid__roll_answer__descriptor, LEGALAID__ROLL_ANSWER__ROLL_NO, "no"},
    {&legalaid__roll_answer__descriptor, LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE, "unavailable"},
    {&legalaid__provider_kind__descriptor, LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER, "lawyer"},
    {&legalaid__provider_kind__descriptor, LEGALAID__PROVIDER_KIND__PROVIDER_GRASSROOTS,
     "grassroots"},
    {&legalaid__provider_kind__descriptor, LEGALAID__PROVIDER_KIND__PROVIDER_VOLUNTEER,
     "volunteer"},
    {&legalaid__provider_kind__descriptor, LEGALAID__PROVIDER_KIND__PROVIDER_STAFF, "staff"},
};
#define PBJSON_N_ALIASES (sizeof pbjson_enum_aliases / sizeof pbjson_enum_aliases[0])

const char *pbjson_enum_text(const ProtobufCEnumDescriptor *desc, int value,
                               char buf[PBJSON_ENUM_MAX])
{
    for (size_t i = 0; i < PBJSON_N_ALIASES; i++)
        if (pbjson_enum_aliases[i].desc == desc && pbjson_enum_aliases[i].value == value) {
            snprintf(buf, PBJSON_ENUM_MAX, "%s", pbjson_enum_aliases[i].text);
            return buf;
        }
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(desc, value);
    if (!v) {
        snprintf(buf, PBJSON_ENUM_MAX, "%d", value);
        return buf;
    }
    size_t i = 0;
    for (; v->name[i] && i < PBJSON_ENUM_MAX - 1; i++)
        buf[i] = (char)tolower((unsigned char)v->name[i]);
    buf[i] = 0;
    return buf;
}

/* --- JSON -> protobuf ----------------------------------------------------- */

typedef struct pbjson_parse {
    int utc_offset_min;
    arena_t *arena;
    pbjson_error_t *err;
} pbjson_parse_t;

static int pbjson_parse_fail(pbjson_parse_t *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int pbjson_parse_fail(pbjson_parse_t *p, const char *path, const char *fmt, ...)
{
    snprintf(p->err->field, sizeof p->err->field, "%s", path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* The names a user may give for desc's values, for an error message. */
static void pbjson_enum_choices(const ProtobufCEnumDescriptor *desc, char *out, size_t size)
{
    size_t used = 0;
    out[0] = 0;
    for (unsigned i = 0; i < desc->n_values; i++) {
        if (desc->values[i].value == 0) continue; /* *_UNSPECIFIED is never a choice */
        char name[PBJSON_ENUM_MAX];
        pbjson_enum_text(desc, desc->values[i].value, name);
        int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "", name);
        if (n < 0 || (size_t)n >= size - used) break;
        used += (size_t)n;
    }
}

static int pbjson_parse_enum(pbjson_parse_t *p, const ProtobufCFieldDescriptor *f, json_t *v,
                          const char *path, int *out)
{
    const ProtobufCEnumDescriptor *desc = f->descriptor;
    char choices[512];
    if (!json_is_string(v)) {
        pbjson_enum_choices(desc, choices, sizeof choices);
        return pbjson_parse_fail(p, path, _("must be one of %s (as a JSON string)"), choices);
    }
    const char *text = json_string_value(v);
    for (size_t i = 0; i < PBJSON_N_ALIASES; i++)
        if (pbjson_enum_aliases[i].desc == desc && strcmp(pbjson_enum_aliases[i].text, text) == 0) {
            *out = pbjson_enum_aliases[i].value;
            return 0;
        }
    for (unsigned i = 0; i < desc->n_values; i++)
        if (desc->values[i].value != 0 && strcasecmp(desc->values[i].name, text) == 0) {
            *out = desc->values[i].value;
            return 0;
        }
    pbjson_enum_choices(desc, choices, sizeof choices);
    return pbjson_parse_fail(p, path, _("'%s' is not one of %s"), text, choices);
}

static int pbjson_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A deadline or an end of validity: a date alone means the end of that day. */
static int pbjson_is_end_field(const char *name)
{
    return pbjson_ends_with(name, "deadline") || pbjson_ends_with(name, "_until");
}

static int pbjson_is_time_field(const char *name)
{
    return strcmp(name, "at") == 0 || pbjson_ends_with(name, "_at") || pbjson_is_end_field(name);
}

/* "2026-12-31": a date without a time of day. */
static int pbjson_is_date_only(const char *text)
{
    return strlen(text) == 10 && text[4] == '-' && text[7] == '-';
}

static int pbjson_parse_int(pbjson_parse_t *p, const ProtobufCFieldDescriptor *f, json_t *v,
                         const char *path, long long min, long long max, long long *out)
{
    if (json_is_string(v) && pbjson_is_time_field(f->name) && f->type != PROTOBUF_C_TYPE_UINT32) {
        int64_t ms;
        if (pbjson_text_time(json_string_value(v), p->utc_offset_min, &ms) < 0)
            return pbjson_parse_fail(p, path,
                                     _("'%s' is not a time: write ISO 8601 like "
                                       "\"2026-03-02T10:00:00+08:00\", or ms since the epoch"),
                                     json_string_value(v));
        /* "valid_until": "2026-12-31" is valid through that day, to 24:00 (as the law
         * counts a period's last day); a time of day is taken as given. */
        if (pbjson_is_end_field(f->name) && pbjson_is_date_only(json_string_value(v))) ms += 86400000;
        *out = ms;
        return 0;
    }
    if (!json_is_integer(v)) {
        if (pbjson_is_time_field(f->name))
            return pbjson_parse_fail(p, path,
                                     _("must be a time: ISO 8601 text like "
                                       "\"2026-03-02T10:00:00+08:00\", or ms since the epoch"));
        return pbjson_parse_fail(p, path, _("must be a whole number"));
    }
    long long n = json_integer_value(v);
    if (n < min || n > max)
        return pbjson_parse_fail(p, path, _("%lld is out of range (%lld to %lld)"), n, min, max);
    *out = n;
    return 0;
}

static ProtobufCMessage *pbjson_parse_message(pbjson_parse_t *p, const ProtobufCMessageDescriptor *desc,
                                           json_t *obj, const char *path);

/* Size of one stored value of field f (an element of a repeated field). */
static size_t pbjson_field_size(const ProtobufCFieldDescriptor *f)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return 8;
    case PROTOBUF_C_TYPE_DOUBLE:
        return sizeof(double);
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
        return sizeof(char *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(ProtobufCMessage *);
    default:
        return 4;
    }
}

/* Stores one JSON value of field f at dst. */
static int pbjson_parse_value(pbjson_parse_t *p, const ProtobufCFieldDescriptor *f, json_t *v,
                           const char *path, void *dst)
{
    long long n;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        if (pbjson_parse_int(p, f, v, path, INT32_MIN, INT32_MAX, &n)) return -1;
        *(int32_t *)dst = (int32_t)n;
        return 0;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        if (pbjson_parse_int(p, f, v, path, 0, UINT32_MAX, &n)) return -1;
        *(uint32_t *)dst = (uint32_t)n;
        return 0;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        if (pbjson_parse_int(p, f, v, path, INT64_MIN, INT64_MAX, &n)) return -1;
        *(int64_t *)dst = n;
        return 0;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        if (pbjson_parse_int(p, f, v, path, 0, INT64_MAX, &n)) return -1;
        *(uint64_t *)dst = (uint64_t)n;
        return 0;
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE:
        if (!json_is_number(v)) return pbjson_parse_fail(p, path, _("must be a number"));
        if (f->type == PROTOBUF_C_TYPE_FLOAT)
            *(float *)dst = (float)json_number_value(v);
        else
            *(double *)dst = json_number_value(v);
        return 0;
    case PROTOBUF_C_TYPE_BOOL:
        if (!json_is_boolean(v)) return pbjson_parse_fail(p, path, _("must be true or false"));
        *(protobuf_c_boolean *)dst = json_is_true(v);
        return 0;
    case PROTOBUF_C_TYPE_ENUM: {
        int e;
        if (pbjson_parse_enum(p, f, v, path, &e)) return -1;
        *(int *)dst = e;
        return 0;
    }
    case PROTOBUF_C_TYPE_STRING:
        if (!json_is_string(v))
            return pbjson_parse_fail(p, path, _("must be a JSON string (in double quotes%s)"),
                                     json_is_integer(v) ? _(", also for numbers like phones") : "");
        *(char **)dst = arena_strdup(p->arena, json_string_value(v));
        return 0;
    case PROTOBUF_C_TYPE_BYTES: {
        if (!json_is_string(v)) return pbjson_parse_fail(p, path, _("must be a JSON string"));
        ProtobufCBinaryData *b = dst;
        b->len = json_string_length(v);
        b->data = arena_alloc(p->arena, b->len + 1);
        memcpy(b->data, json_string_value(v), b->len);
        return 0;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        if (!json_is_object(v)) return pbjson_parse_fail(p, path, _("must be a JSON object {...}"));
        ProtobufCMessage *sub = pbjson_parse_message(p, f->descriptor, v, path);
        if (!sub) return -1;
        *(ProtobufCMessage **)dst = sub;
        return 0;
    }
    }
    return pbjson_parse_fail(p, path, _("has a type legalaidctl cannot read"));
}

static int pbjson_parse_field(pbjson_parse_t *p, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                           json_t *v, const char *path)
{
    char *base = (char *)m;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        if (!json_is_array(v)) return pbjson_parse_fail(p, path, _("must be a JSON array [...]"));
        size_t n = json_array_size(v), size = pbjson_field_size(f);
        char *items = arena_alloc(p->arena, (n ? n : 1) * size);
        for (size_t i = 0; i < n; i++) {
            char item_path[sizeof p->err->field + 24];
            snprintf(item_path, sizeof item_path, "%s[%zu]", path, i);
            if (pbjson_parse_value(p, f, json_array_get(v, i), item_path, items + i * size)) return -1;
        }
        *(size_t *)(base + f->quantifier_offset) = n;
        *(void **)(base + f->offset) = items;
        return 0;
    }
    if (pbjson_parse_value(p, f, v, path, base + f->offset)) return -1;
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        *(uint32_t *)(base + f->quantifier_offset) = f->id;
    else if (f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_MESSAGE &&
             f->label == PROTOBUF_C_LABEL_OPTIONAL)
        *(protobuf_c_boolean *)(base + f->quantifier_offset) = 1;
    return 0;
}

static ProtobufCMessage *pbjson_parse_message(pbjson_parse_t *p, const ProtobufCMessageDescriptor *desc,
                                           json_t *obj, const char *path)
{
    ProtobufCMessage *m = arena_alloc(p->arena, desc->sizeof_message);
    desc->message_init(m);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        char field_path[sizeof p->err->field];
        snprintf(field_path, sizeof field_path, "%s%s%s", path, path[0] ? "." : "", key);
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field_by_name(desc, key);
        if (!f) {
            char names[512];
            size_t used = 0;
            names[0] = 0;
            for (unsigned i = 0; i < desc->n_fields; i++) {
                int w = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
                                 desc->fields[i].name);
                if (w < 0 || (size_t)w >= sizeof names - used) break;
                used += (size_t)w;
            }
            pbjson_parse_fail(p, field_path, _("unknown field (expected one of: %s)"), names);
            return NULL;
        }
        if (json_is_null(v)) continue; /* null: the field is absent */
        if (pbjson_parse_field(p, m, f, v, field_path)) return NULL;
    }
    return m;
}

ProtobufCMessage *pbjson_parse(const char *text, const ProtobufCMessageDescriptor *desc,
                                        int utc_offset_min, arena_t *arena, pbjson_error_t *err)
{
    pbjson_parse_t p = {utc_offset_min, arena, err};
    size_t len = strlen(text), bad = fieldtext_utf8_bad(text, len);
    if (bad < len) {
        pbjson_text_explain(text, bad, err);
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (jerr.position >= (int)strcspn(text, "\r\n"))
            pbjson_parse_fail(&p, "",
                              _("not valid JSON: the line ends before the object is complete "
                                "(a missing } or \"?)"));
        else
            pbjson_parse_fail(&p, "", _("not valid JSON at column %d: %s"), jerr.column, jerr.text);
        return NULL;
    }
    ProtobufCMessage *m = NULL;
    if (!json_is_object(root))
        pbjson_parse_fail(&p, "", _("a line must be one JSON object {...}"));
    else
        m = pbjson_parse_message(&p, desc, root, "");
    json_decref(root);
    if (m && pbjson_limits_check(m, err) < 0) return NULL;
    return m;
}

/* --- protobuf -> JSON ----------------------------------------------------- */

static int pbjson_is_phone_field(const char *name)
{
    size_t n = strlen(name);
    return n >= 5 && strcmp(name + n - 5, "phone") == 0;
}

static json_t *pbjson_json_string(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("(not UTF-8)");
}

static json_t *pbjson_json_value(const ProtobufCFieldDescriptor *f, const void *src, int mask)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        return json_integer(*(const int32_t *)src);
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        return json_integer(*(const uint32_t *)src);
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        return json_integer(*(const int64_t *)src);
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: {
        uint64_t u = *(const uint64_t *)src;
        return json_integer(u > INT64_MAX ? INT64_MAX : (json_int_t)u);
    }
    case PROTOBUF_C_TYPE_FLOAT:
        return json_real(*(const float *)src);
    case PROTOBUF_C_TYPE_DOUBLE:
        return json_real(*(const double *)src);
    case PROTOBUF_C_TYPE_BOOL:
        return json_boolean(*(const protobuf_c_boolean *)src);
    case PROTOBUF_C_TYPE_ENUM: {
        int value = *(const int *)src;
        const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(f->descriptor, value);
        return ev ? json_string(ev->name) : json_integer(value);
    }
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)src;
        char masked[128];
        if (mask && strcmp(f->name, "id_number") == 0)
            s = mask_id(s, masked, sizeof masked);
        if (mask && pbjson_is_phone_field(f->name)) s = mask_phone(s, masked, sizeof masked);
        return pbjson_json_string(s);
    }
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *b = src;
        json_t *j = json_stringn(b->len ? (const char *)b->data : "", b->len);
        return j ? j : json_string("(binary)");
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *sub = *(ProtobufCMessage *const *)src;
        return sub ? pbjson_from_message(sub, mask) : json_null();
    }
    }
    return json_null();
}

/* 1 when an optional or oneof field holds a value. */
static int pbjson_field_present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    const char *base = (const char *)m;
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        return *(const uint32_t *)(base + f->quantifier_offset) == f->id;
    if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE)
        return *(void *const *)(base + f->offset) != NULL;
    if (f->label == PROTOBUF_C_LABEL_OPTIONAL)
        return *(const protobuf_c_boolean *)(base + f->quantifier_offset) != 0;
    return 1; /* required, or proto3 implicit presence */
}

json_t *pbjson_from_message(const ProtobufCMessage *m, int mask)
{
    json_t *obj = json_object();
    const ProtobufCMessageDescriptor *desc = m->descriptor;
    const char *base = (const char *)m;
    for (unsigned i = 0; i < desc->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &desc->fields[i];
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)(base + f->quantifier_offset);
            if (n == 0) continue;
            const char *items = *(char *const *)(base + f->offset);
            json_t *arr = json_array();
            for (size_t k = 0; k < n; k++)
                json_array_append_new(arr, pbjson_json_value(f, items + k * pbjson_field_size(f), mask));
            json_object_set_new(obj, f->name, arr);
            continue;
        }
        if (!pbjson_field_present(m, f)) continue;
        json_object_set_new(obj, f->name, pbjson_json_value(f, base + f->offset, mask));
    }
    return obj;
}

