/*
 * mask.h - personal values shown masked (DESIGN.md "Security"): an ID
 * number keeps its first 6 and last 4 characters, a phone its first 3 and
 * last 4, an address its first 6 characters; and a reply's every such
 * field masked in place, found by name (id_number, person_id_number,
 * phone, *_phone, address), so a new message is masked without a list to
 * keep up.
 */
#ifndef LA_MASK_H
#define LA_MASK_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

#include "arena.h"

/* "150203********1234"; "-" for none; masked text stays as it is. */
char *mask_id(const char *id, char *buf, size_t size);
/* "139****1234"; "-" for none; masked text or no number stays as it is. */
char *mask_phone(const char *phone, char *buf, size_t size);
/* "周**": the first character (UTF-8 aware) of a name, for a page that
 * shows who before the reader may know; "-" for none. */
char *mask_name(const char *name, char *buf, size_t size);
/* "包头市昆都仑…" (6 characters, UTF-8 aware); "-" for none. */
char *mask_address(const char *address, char *buf, size_t size);

/* Masks every personal field of m and the messages inside it, with the
 * masked texts in the arena. Returns how many fields it masked. */
size_t mask_message(ProtobufCMessage *m, arena_t *a);

#endif
