/*
 * pbjson.h - JSON <-> protobuf by walking the message descriptors, so that
 * every message of proto/ reads and prints without code of its own: the
 * records legalaidctl reads from files, and the bodies other agencies'
 * systems post to the gateway. Field names are the .proto names; every
 * problem names the field path and says what was expected, in words a
 * person can act on.
 */
#ifndef LA_PBJSON_H
#define LA_PBJSON_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* Why a record could not be read: the field path ("applicant.id_number",
 * empty for the line as a whole) and a plain-language message. */
typedef struct pbjson_error {
    char field[128];
    char message[384];
} pbjson_error_t;

/* Parses one JSON object text into a new message of desc, allocated from
 * arena (valid until the arena is reset). Field names are the .proto names;
 * enums take the documented lower-case names ("window", "court", "A");
 * *_at fields take ISO 8601 text or ms. Every text is checked against its
 * limit (pbjson_limits_check); a byte that is not UTF-8 is told in the field
 * holding it. Returns the message, or NULL with *err filled in. */
ProtobufCMessage *pbjson_parse(const char *text, const ProtobufCMessageDescriptor *desc,
                                        int utc_offset_min, arena_t *arena, pbjson_error_t *err);

/* pbjson_limits.c. Checks every text and list of a record read from a line
 * against the limits the daemons apply (la_limits.h) and for UTF-8, with
 * common/fieldtext.c. Returns 0, or -1 with *err naming the field
 * ("matter", "co_defendants[1].name"). */
int pbjson_limits_check(const ProtobufCMessage *m, pbjson_error_t *err);

/* pbjson_text.c. text holds a byte that is not UTF-8 at offset bad:
 * fills *err naming the field whose value (or name) holds it, or the
 * line's column when the line is not JSON even so. */
void pbjson_text_explain(const char *text, size_t bad, pbjson_error_t *err);

/* Converts a message to JSON (enums by their .proto names, times in ms).
 * With mask, ID numbers and phones are masked. The caller owns the result. */
json_t *pbjson_from_message(const ProtobufCMessage *m, int mask);

#define PBJSON_ENUM_MAX 64

/* Writes the documented lower-case name of an enum value ("court" for
 * COURT_STATION, "A" for PRIMARY, "approved" for APPROVED) into buf, or
 * the number when the value is unknown; returns buf. */
const char *pbjson_enum_text(const ProtobufCEnumDescriptor *desc, int value,
                               char buf[PBJSON_ENUM_MAX]);


/* pbjson_text.c. Parses "2026-03-02T10:00:00+08:00" (also Z, +0800, no seconds, fractions,
 * a space for T, a date alone, or no offset: utc_offset_min), or ms digits.
 * The date is read as check_date reads it (years 1900-2200). Returns 0, or
 * -1 when text is not a time. */
int pbjson_text_time(const char *text, int utc_offset_min, int64_t *ms);

#endif
