/*
 * buf.h - a growable byte buffer, and the few protobuf wire-format writes
 * needed to build a Batch reply straight from stored event bytes.
 */
#ifndef LA_BUF_H
#define LA_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct buf {
    unsigned char *data;
    size_t len, cap;
} buf_t;

/* A buf_t starts zeroed ({0}: empty, nothing allocated) and owns data. */

/* Makes room for extra more bytes after len (aborts when out of memory);
 * data may move. */
void buf_reserve(buf_t *b, size_t extra);
/* Appends len bytes of data. */
void buf_append(buf_t *b, const void *data, size_t len);
/* Frees data and leaves b empty, ready for use again. */
void buf_free(buf_t *b);

/* Appends printf-formatted text (no terminating NUL counted in len, but one
 * is always written after it). */
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Protobuf wire format, appended to b: a varint; a length-delimited field
 * (tag, length, bytes); a varint field (tag, varint). */
void buf_put_varint(buf_t *b, uint64_t v);
void buf_put_bytes_field(buf_t *b, unsigned field, const void *data, size_t len);
void buf_put_varint_field(buf_t *b, unsigned field, uint64_t v);
/* Size of a length-delimited field of len bytes. */
size_t buf_bytes_field_size(unsigned field, size_t len);

#endif
