/*
 * framescan.c - counts the entries of a request's lists on the wire (see
 * framescan.h), with the descriptors of legalaid.proto to know which
 * fields are the body and which of its fields repeat.
 */
#include "framescan.h"

#include <stdint.h>
#include <string.h>

#include "legalaid.pb-c.h"

/* Body messages have few fields; a body with more is counted for its
 * first FRAMESCAN_FIELDS only (the decode budget bounds the rest). */
#define FRAMESCAN_FIELDS 64

static int framescan_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 64 && *p < end; shift += 7) {
        uint8_t b = *(*p)++;
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return 0;
        }
    }
    return -1;
}

/* Reads one field's tag and value: its number, wire type and, for a
 * length-delimited one, where its bytes are. 0 or -1. */
static int framescan_field(const uint8_t **p, const uint8_t *end, uint32_t *num, unsigned *wt,
                           const uint8_t **val, size_t *vlen)
{
    uint64_t tag, n;
    if (framescan_varint(p, end, &tag) < 0 || (tag >> 3) == 0 || (tag >> 3) > 536870911) return -1;
    *num = (uint32_t)(tag >> 3);
    *wt = (unsigned)(tag & 7);
    *val = *p;
    *vlen = 0;
    switch (*wt) {
    case 0:
        return framescan_varint(p, end, &n);
    case 1:
    case 5: {
        size_t w = *wt == 1 ? 8 : 4;
        if ((size_t)(end - *p) < w) return -1;
        *p += w;
        return 0;
    }
    case 2:
        if (framescan_varint(p, end, &n) < 0 || n > (uint64_t)(end - *p)) return -1;
        *val = *p;
        *vlen = (size_t)n;
        *p += n;
        return 0;
    default:
        return -1; /* groups: legalaid.proto has none */
    }
}

/* The items of a packed repeated scalar of type ty held in [p, p + len). */
static size_t framescan_packed_items(ProtobufCType ty, const uint8_t *p, size_t len)
{
    switch (ty) {
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
        return len / 8;
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_FLOAT:
        return len / 4;
    default: {
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
            if (!(p[i] & 0x80)) n++;
        return n;
    }
    }
}

/* Adds the entries of one occurrence of the body to counts (a body given
 * twice is merged by the decoder: its lists add up). */
static void framescan_body(const ProtobufCMessageDescriptor *desc, const uint8_t *p, size_t len,
                           size_t *counts, framescan_t *out)
{
    const uint8_t *end = p + len;
    while (p < end) {
        uint32_t num;
        unsigned wt;
        const uint8_t *val;
        size_t vlen;
        if (framescan_field(&p, end, &num, &wt, &val, &vlen) < 0) return;
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(desc, num);
        if (!f || f->label != PROTOBUF_C_LABEL_REPEATED) continue;
        size_t i = (size_t)(f - desc->fields);
        if (i >= FRAMESCAN_FIELDS) continue;
        int packed = wt == 2 && f->type != PROTOBUF_C_TYPE_STRING &&
                     f->type != PROTOBUF_C_TYPE_BYTES && f->type != PROTOBUF_C_TYPE_MESSAGE;
        counts[i] += packed ? framescan_packed_items(f->type, val, vlen) : 1;
        if (counts[i] > out->entries) {
            out->entries = counts[i];
            out->list = f->name;
        }
    }
}

int framescan_entries(const void *frame, size_t len, framescan_t *out)
{
    const ProtobufCMessageDescriptor *rd = &legalaid__request__descriptor;
    const uint8_t *p = frame, *end = p + len;
    const ProtobufCFieldDescriptor *bf = NULL;
    size_t counts[FRAMESCAN_FIELDS];
    memset(out, 0, sizeof *out);
    while (p < end) {
        uint32_t num;
        unsigned wt;
        const uint8_t *val;
        size_t vlen;
        if (framescan_field(&p, end, &num, &wt, &val, &vlen) < 0) return -1;
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(rd, num);
        if (f && wt == 2 && f->type == PROTOBUF_C_TYPE_MESSAGE &&
            (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)) {
            if (f != bf) { /* another member of the oneof replaces the body */
                memset(counts, 0, sizeof counts);
                memset(out, 0, sizeof *out);
                bf = f;
                out->body = f->name;
            }
            framescan_body(f->descriptor, val, vlen, counts, out);
        }
    }
    return 0;
}
