/*
 * fieldtext.c - see fieldtext.h.
 */
#include "fieldtext.h"

#include <stdio.h>
#include <string.h>

#include "la_limits.h"

size_t fieldtext_utf8_bad(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF)
            n = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) lo = 0xA0; /* overlong */
            if (c == 0xED) hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) lo = 0x90; /* overlong */
            if (c == 0xF4) hi = 0x8F; /* past U+10FFFF */
        } else
            return i;
        if (len - i < n || s[i + 1] < lo || s[i + 1] > hi) return i;
        for (size_t k = 2; k < n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
        i += n;
    }
    return len;
}

/* 2000 -> "2,000", as people read a count. */
static const char *fieldtext_count(size_t n, char buf[32])
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%zu", n);
    size_t o = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = 0;
    return buf;
}

void fieldtext_too_long(char *msg, size_t size, size_t max, size_t given)
{
    char a[32], b[32];
    snprintf(msg, size, "longer than %s bytes (%s given; 超过 %s 字节的上限, 一个汉字占 3 字节)",
             fieldtext_count(max, a), fieldtext_count(given, b), a);
}

void fieldtext_not_utf8(char *msg, size_t size, unsigned char byte, size_t offset)
{
    snprintf(msg, size,
             "not valid UTF-8: byte 0x%02X at byte %zu of the text "
             "(不是有效的 UTF-8 文本: 请把文件存为 UTF-8)",
             (unsigned)byte, offset + 1);
}

typedef struct fieldtext_walk {
    fieldtext_limit_fn limit;
    char *field, *msg;
    size_t field_size, msg_size;
} fieldtext_walk_t;

static int fieldtext_message(fieldtext_walk_t *w, const ProtobufCMessage *m, const char *path);

static int fieldtext_fail_path(fieldtext_walk_t *w, const char *path)
{
    snprintf(w->field, w->field_size, "%s", path);
    return -1;
}

/* One string, at path. */
static int fieldtext_string(fieldtext_walk_t *w, const char *s, size_t max, const char *path)
{
    if (!s) return 0;
    size_t len = strlen(s);
    size_t bad = fieldtext_utf8_bad(s, len);
    if (bad < len) {
        fieldtext_not_utf8(w->msg, w->msg_size, (unsigned char)s[bad], bad);
        return fieldtext_fail_path(w, path);
    }
    if (len > max) {
        fieldtext_too_long(w->msg, w->msg_size, max, len);
        return fieldtext_fail_path(w, path);
    }
    return 0;
}

/* One value of field f stored at src (an item of a list, or the field). */
static int fieldtext_value(fieldtext_walk_t *w, const ProtobufCFieldDescriptor *f, const void *src,
                           size_t max, const char *path)
{
    if (f->type == PROTOBUF_C_TYPE_STRING)
        return fieldtext_string(w, *(char *const *)src, max, path);
    if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
        const ProtobufCMessage *sub = *(ProtobufCMessage *const *)src;
        return sub ? fieldtext_message(w, sub, path) : 0;
    }
    return 0;
}

static int fieldtext_field(fieldtext_walk_t *w, const ProtobufCMessage *m,
                           const ProtobufCFieldDescriptor *f, const char *path)
{
    const char *base = (const char *)m;
    fieldtext_limit_t lim = {0, 0};
    if (w->limit) w->limit(m->descriptor, f, &lim);
    size_t max = lim.bytes ? lim.bytes : LA_FIELD_MAX;
    char sub[256];
    snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", f->name);
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t n = *(const size_t *)(base + f->quantifier_offset);
        if (lim.items && n > lim.items) {
            char a[32], b[32];
            snprintf(w->msg, w->msg_size, "more than %s items (%s given; 超过 %s 项的上限)",
                     fieldtext_count(lim.items, a), fieldtext_count(n, b), a);
            return fieldtext_fail_path(w, sub);
        }
        if (f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_MESSAGE) return 0;
        const void *const *items = *(const void *const *const *)(base + f->offset);
        for (size_t i = 0; i < n; i++) {
            char item[sizeof sub + 24];
            snprintf(item, sizeof item, "%s[%zu]", sub, i);
            if (fieldtext_value(w, f, &items[i], max, item)) return -1;
        }
        return 0;
    }
    if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
        *(const uint32_t *)(base + f->quantifier_offset) != f->id)
        return 0; /* another member of the oneof holds the storage */
    return fieldtext_value(w, f, base + f->offset, max, sub);
}

static int fieldtext_message(fieldtext_walk_t *w, const ProtobufCMessage *m, const char *path)
{
    const ProtobufCMessageDescriptor *desc = m->descriptor;
    for (unsigned i = 0; i < desc->n_fields; i++)
        if (fieldtext_field(w, m, &desc->fields[i], path)) return -1;
    return 0;
}

int fieldtext_check(const ProtobufCMessage *m, const char *path, fieldtext_limit_fn limit,
                    char *field, size_t field_size, char *msg, size_t msg_size)
{
    fieldtext_walk_t w = {limit, field, msg, field_size, msg_size};
    return m ? fieldtext_message(&w, m, path ? path : "") : 0;
}
