/*
 * buf.c - see buf.h.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void buf_reserve(buf_t *b, size_t extra)
{
    if (b->len + extra <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra) cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void buf_append(buf_t *b, const void *data, size_t len)
{
    buf_reserve(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

void buf_printf(buf_t *b, const char *fmt, ...)
{
    /* Formats straight into the spare room; when it does not fit, makes room
     * for the length vsnprintf reported and formats again. */
    buf_reserve(b, 64);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf((char *)b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= b->cap - b->len) {
        buf_reserve(b, (size_t)n + 1);
        va_start(ap, fmt);
        vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void buf_free(buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void buf_put_varint(buf_t *b, uint64_t v)
{
    buf_reserve(b, 10);
    while (v >= 0x80) {
        b->data[b->len++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    b->data[b->len++] = (unsigned char)v;
}

void buf_put_bytes_field(buf_t *b, unsigned field, const void *data, size_t len)
{
    buf_put_varint(b, (uint64_t)field << 3 | 2);
    buf_put_varint(b, len);
    buf_append(b, data, len);
}

void buf_put_varint_field(buf_t *b, unsigned field, uint64_t v)
{
    buf_put_varint(b, (uint64_t)field << 3);
    buf_put_varint(b, v);
}

static size_t buf_varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

size_t buf_bytes_field_size(unsigned field, size_t len)
{
    return buf_varint_size((uint64_t)field << 3 | 2) + buf_varint_size(len) + len;
}
