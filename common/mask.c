/*
 * mask.c - see mask.h.
 */
#include "mask.h"

#include <stdio.h>
#include <string.h>

char *mask_id(const char *id, char *buf, size_t size)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    if (n <= 10) {
        snprintf(buf, size, "%.*s%s", n > 2 ? 2 : 0, id, "****");
        return buf;
    }
    char stars[32];
    size_t hidden = n - 10 < sizeof stars - 1 ? n - 10 : sizeof stars - 1;
    memset(stars, '*', hidden);
    stars[hidden] = 0;
    snprintf(buf, size, "%.6s%s%s", id, stars, id + n - 4);
    return buf;
}

char *mask_name(const char *name, char *buf, size_t size)
{
    if (!name || !name[0]) {
        snprintf(buf, size, "-");
        return buf;
    }
    size_t n = 1;
    while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80) n++;
    snprintf(buf, size, "%.*s**", (int)n, name);
    return buf;
}

char *mask_phone(const char *phone, char *buf, size_t size)
{
    size_t n = phone ? strlen(phone) : 0;
    if (n == 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    if (strchr(phone, '*') || strcspn(phone, "0123456789") == n) {
        snprintf(buf, size, "%s", phone); /* masked already, or no number ("-") */
        return buf;
    }
    if (n < 8) {
        snprintf(buf, size, "****%s", n > 2 ? phone + n - 2 : "");
        return buf;
    }
    snprintf(buf, size, "%.3s****%s", phone, phone + n - 4);
    return buf;
}

char *mask_address(const char *address, char *buf, size_t size)
{
    if (!address || !*address) {
        snprintf(buf, size, "-");
        return buf;
    }
    if (strchr(address, '*') || strstr(address, "…")) { /* masked already */
        snprintf(buf, size, "%s", address);
        return buf;
    }
    /* The first 6 characters: a UTF-8 character starts at any byte but a
     * continuation byte (top two bits 1 and 0). */
    size_t i = 0;
    for (int chars = 0; address[i] && chars <= 6; i++)
        if (((unsigned char)address[i] & 0xc0) != 0x80 && ++chars > 6) break;
    snprintf(buf, size, "%.*s%s", (int)i, address, address[i] ? "…" : "");
    return buf;
}

/* Which masking a field takes by its name: 'i' an ID number, 'p' a phone,
 * 'a' an address, 0 none. */
static int mask_kind(const char *name)
{
    size_t n = strlen(name);
    if (strcmp(name, "id_number") == 0 || strcmp(name, "person_id_number") == 0) return 'i';
    if (n >= 5 && strcmp(name + n - 5, "phone") == 0) return 'p';
    if (strcmp(name, "address") == 0) return 'a';
    return 0;
}

size_t mask_message(ProtobufCMessage *m, arena_t *a)
{
    if (!m) return 0;
    size_t masked = 0;
    const ProtobufCMessageDescriptor *desc = m->descriptor;
    for (unsigned i = 0; i < desc->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &desc->fields[i];
        char *at = (char *)m + f->offset;
        if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
            if (f->label == PROTOBUF_C_LABEL_REPEATED) {
                size_t n = *(size_t *)((char *)m + f->quantifier_offset);
                ProtobufCMessage **items = *(ProtobufCMessage ***)at;
                for (size_t j = 0; j < n; j++) masked += mask_message(items[j], a);
            } else if (!(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) ||
                       *(uint32_t *)((char *)m + f->quantifier_offset) == f->id) {
                masked += mask_message(*(ProtobufCMessage **)at, a);
            }
            continue;
        }
        int kind = f->type == PROTOBUF_C_TYPE_STRING && f->label != PROTOBUF_C_LABEL_REPEATED
                       ? mask_kind(f->name)
                       : 0;
        char **text = (char **)at;
        if (!kind || !*text || !**text) continue;
        char buf[256];
        *text = arena_strdup(a, kind == 'i'   ? mask_id(*text, buf, sizeof buf)
                                : kind == 'p' ? mask_phone(*text, buf, sizeof buf)
                                              : mask_address(*text, buf, sizeof buf));
        masked++;
    }
    return masked;
}
