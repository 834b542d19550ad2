/*
 * seal.h - personal data sealed at rest (DESIGN.md "Security", issue 11
 * item 4): values are sealed with XChaCha20-Poly1305 under a numbered data
 * key, and what must be found by a personal value (an ID number, a party's
 * name) is found by its keyed hash (BLAKE2b under the index key), so no
 * look-up needs the clear value.
 *
 * The data key file (mode 0600; under systemd a LoadCredential=):
 *
 *   #   legalaid data key, generated on 2026-12-04 08:00:00 UTC by legalaidctl
 *   #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.
 *
 *   data-key
 *       index = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
 *       key-1 = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
 *       key-2 = "..."
 *
 * The highest numbered key seals; the older ones only open what the
 * background re-seal (reseal.c) has not yet moved to the newest. The index
 * key is not rotated: the keyed hashes are the tables' keys.
 *
 * A sealed value: 0x00 KIND ID SIV(16) CIPHERTEXT, 19 bytes more than the
 * value (format 3, since 2026-12-06). KIND is 's' when the ciphertext holds
 * the value's own bytes, 'z' when it holds them packed (zpack.h). It is
 * sealed as a synthetic-IV construction (Rogaway and Shrimpton's SIV):
 *
 *   SIV        = BLAKE2b-128 under key ID's MAC key, over the header
 *                (0x00 KIND ID), the length of PLACE, PLACE (the store's
 *                owner: the daemon's name), the length of AD, AD (the
 *                record's key) and the value
 *   CIPHERTEXT = the value XOR XChaCha20 under key ID's cipher key, with
 *                the nonce SIV followed by eight zero bytes
 *
 * Opening deciphers, computes the SIV again and compares: a changed byte,
 * kind or key id does not open, nor a value moved to another key or to
 * another daemon's store (a host's daemons share the data key). The SIV is the tag and
 * the nonce at once, so no nonce is stored beside it (24 bytes a value
 * fewer than XChaCha20-Poly1305's). The same value under the same record
 * key of the same daemon seals to the same bytes: a reader of the file,
 * or of two of its copies (a backup), can tell that a record holds bytes it
 * held before, or that two tables of one daemon hold the same bytes under
 * one key; never what they are. Both keys are derived from the data key
 * (seal_key_t).
 *
 * Values sealed before format 3: 0x00 KIND ID NONCE(24) CIPHERTEXT TAG(16),
 * XChaCha20-Poly1305 with AD, KIND 'S' (under the data key) or 'Z' (packed,
 * under a key derived from it). They still open; the re-seal moves them to
 * the short form (reseal.c). A protobuf message never starts with a zero
 * byte, so a clear value (written before sealing was switched on) is told
 * apart and sealed by the re-seal.
 */
#ifndef LA_SEAL_H
#define LA_SEAL_H

#include <stddef.h>

#define SEAL_KEY_LEN 32
#define SEAL_MAX_KEYS 32
#define SEAL_HEADER 19   /* 0x00 kind id SIV: what sealing adds to a value */
#define SEAL_OVERHEAD 19 /* the ciphertext is as long as the value */
#define SEAL_OVERHEAD_AEAD 43 /* of a value sealed before format 3 */
#define SEAL_HASH_LEN 16 /* a look-up key */
#define SEAL_CHECK_LEN 16
#define SEAL_CLEAR 's'  /* the kinds of sealed value: the value's bytes */
#define SEAL_PACKED 'z' /* or the value packed (zpack.h) */

typedef struct seal_key {
    unsigned id; /* 1..255 */
    unsigned char key[SEAL_KEY_LEN];
    unsigned char mac[SEAL_KEY_LEN];    /* derived from key: the SIV's */
    unsigned char cipher[SEAL_KEY_LEN]; /* and XChaCha20's */
} seal_key_t;

typedef struct seal_ring {
    unsigned char index[SEAL_KEY_LEN];
    seal_key_t keys[SEAL_MAX_KEYS];
    int n;
    unsigned current; /* the id that seals: the highest */
} seal_ring_t;

/* Reads a data key file. Refuses a file readable by group or others, a
 * missing index or key, a key number outside 1..255 or given twice. 0, or
 * -1 with the problem in err. */
int seal_ring_load(seal_ring_t *r, const char *path, char *err, size_t errlen);
/* Writes r to path (0600, through a temporary file renamed into place). 0,
 * or -1 with err. */
int seal_ring_save(const seal_ring_t *r, const char *path, char *err, size_t errlen);
/* A fresh ring: a random index key and key 1. */
void seal_ring_new(seal_ring_t *r);
/* Adds key current+1 (random), which then seals. 0, or -1 when the ring is
 * full or at key 255. */
int seal_ring_rotate(seal_ring_t *r);
/* Drops every key but the current one (after the re-seal). */
void seal_ring_retire(seal_ring_t *r);
const seal_key_t *seal_ring_find(const seal_ring_t *r, unsigned id);
/* Overwrites the keys in memory. */
void seal_ring_wipe(seal_ring_t *r);

/* Whether v (n bytes) is a sealed value, of which kind (SEAL_CLEAR,
 * SEAL_PACKED, whatever its form), under which key id, and how long its
 * value is (n less its overhead). */
int seal_is_sealed(const void *v, size_t n);
int seal_kind(const void *v);
unsigned seal_key_id(const void *v);
size_t seal_value_len(const void *v, size_t n);
/* Whether the sealed value v is sealed as seal_value seals now: under r's
 * current key, in the short form. The re-seal moves the others. */
int seal_is_current(const seal_ring_t *r, const void *v, size_t n);

/* Seals clear (n bytes) into out (n + SEAL_OVERHEAD bytes) under the
 * current key, bound to place (the store's owner, a C string) and ad (the
 * record's key): a value moved to another record or store does not open. */
void seal_value(const seal_ring_t *r, const char *place, const void *ad, size_t adlen,
                const void *clear, size_t n, void *out);
/* As seal_value, of the kind given (SEAL_PACKED: clear is packed). */
void seal_value_as(const seal_ring_t *r, int kind, const char *place, const void *ad, size_t adlen,
                   const void *clear, size_t n, void *out);
/* Opens sealed (n bytes) into out (seal_value_len bytes). 0, -ENOKEY
 * when the ring lacks its key, -EBADMSG when it does not open (tampered,
 * moved, or another key of the same number). A value sealed before format
 * 3 is bound to ad alone. */
int seal_open(const seal_ring_t *r, const char *place, const void *ad, size_t adlen,
              const void *sealed, size_t n, void *out);

/* The keyed hash of data under the index key, in the domain ("id_number",
 * "party"): the look-up key of a personal value. r NULL (sealing off): the
 * same hash without a key, so the tables keep one layout. */
void seal_hash(const seal_ring_t *r, const char *domain, const void *data, size_t n,
               unsigned char out[SEAL_HASH_LEN]);
/* A key's fingerprint, kept in each store to tell a wrong key file at
 * start-up from a right one. */
void seal_check(const unsigned char key[SEAL_KEY_LEN], unsigned char out[SEAL_CHECK_LEN]);

#endif
