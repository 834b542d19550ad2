/*
 * framescan.h - how many entries the lists of a request frame hold, read
 * from the wire before it is decoded. protobuf-c decodes an empty entry of
 * two bytes into a message of a hundred and more, so that a frame within
 * max_frame_bytes can ask for hundreds of megabytes (issue 18: one 1 MB
 * import of 520,000 empty lawyers); the daemon refuses a frame whose body
 * lists more than max_request_entries (commit.c) without decoding it.
 */
#ifndef LA_FRAMESCAN_H
#define LA_FRAMESCAN_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

typedef struct framescan {
    size_t entries;     /* the most entries of one repeated field of the body */
    const char *body;   /* the body's field name in Request ("import_lawyers") */
    const char *list;   /* that repeated field's name ("lawyers"); NULL: none */
} framescan_t;

/* Scans frame[0, len), a legalaid.Request as it came off the wire: the
 * body (the last field of the oneof, as protobuf-c takes it) and, in it,
 * the entries of each repeated field (a packed one counted by its items).
 * 0 with *out filled, or -1 when the frame does not scan (the decoder then
 * refuses it). Allocates nothing. */
int framescan_entries(const void *frame, size_t len, framescan_t *out);

#endif
