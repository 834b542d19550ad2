/*
 * fieldtext.h - the texts of a message checked field by field, by walking
 * its descriptor: every string (and every item of a repeated string) must
 * be valid UTF-8 (protobuf-c does not check it) and within its limit, every
 * list within its count. The one place for it: each daemon checks every
 * request with it before its own rules (commit.c), legalaidctl checks each
 * line of a file before sending it (tools/ctl/ctl_limits.c), so that a bad
 * field is named ("matter", "applicant.name") instead of failing a frame.
 */
#ifndef LA_FIELDTEXT_H
#define LA_FIELDTEXT_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

/* The limits of one field: bytes of each text, items of a list; 0 for
 * none of its own (a text then gets LA_FIELD_MAX, a list no count). */
typedef struct fieldtext_limit {
    size_t bytes;
    size_t items;
} fieldtext_limit_t;

/* Fills *lim for field f of messages of type desc (left zero: no own limit). */
typedef void (*fieldtext_limit_fn)(const ProtobufCMessageDescriptor *desc,
                                   const ProtobufCFieldDescriptor *f, fieldtext_limit_t *lim);

/* The offset of the first byte of s[0, len) that does not start a valid
 * UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF, no cut sequence), or len when the whole is valid. */
size_t fieldtext_utf8_bad(const char *s, size_t len);

/* Checks every text and list of m and of the messages within it. path is
 * the field path of m itself ("" or "application"); the paths given back
 * read "application.applicant.name", "related_cases[2]". limit may be NULL
 * (every text LA_FIELD_MAX). Returns 0, or -1 with the first bad field's
 * path in field and what is wrong with it in msg. */
int fieldtext_check(const ProtobufCMessage *m, const char *path, fieldtext_limit_fn limit,
                    char *field, size_t field_size, char *msg, size_t msg_size);

/* The phrases of the checks, for a caller that checks a text itself:
 * "longer than 2,000 bytes (2,097,152 given; ...)" and
 * "not valid UTF-8: byte 0xFF at byte 12 of the text (...)" (offset
 * counts from 0: the 12th byte is offset 11). */
void fieldtext_too_long(char *msg, size_t size, size_t max, size_t given);
void fieldtext_not_utf8(char *msg, size_t size, unsigned char byte, size_t offset);

#endif
