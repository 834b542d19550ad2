/*
 * keyfile.h - CURVE key pairs in the CurveZMQ certificate format (the ZPL
 * text CZMQ's zcert writes): NAME.key holds the public key and may be
 * handed to anyone; NAME.key_secret holds both keys and is mode 0600.
 *
 *   #   ****  Generated on 2026-12-04 08:00:00 UTC by legalaidctl  ****
 *   #   ZeroMQ CURVE **Secret** Certificate
 *   #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.
 *
 *   metadata
 *       name = "court-03"
 *       role = "station"
 *   curve
 *       public-key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
 *       secret-key = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
 *
 * Keys are Z85 text (40 characters for 32 bytes).
 */
#ifndef LA_KEYFILE_H
#define LA_KEYFILE_H

#include <stddef.h>
#include <sys/types.h>

#define KEYFILE_Z85_LEN 40

typedef struct keypair {
    char public_z85[KEYFILE_Z85_LEN + 1];
    char secret_z85[KEYFILE_Z85_LEN + 1]; /* "" when read from a public file */
} keypair_t;

/* A fresh key pair (libsodium's random source). 0, or -1 when CURVE is not
 * available in this libzmq. */
int keyfile_generate(keypair_t *kp);

/* Writes base.key (0644: the public key) and base.key_secret (0600: both),
 * each through a temporary file renamed into place, with the metadata
 * pairs meta[i][0] = meta[i][1] (n pairs; values without '"'). Refuses to
 * overwrite an existing key. 0, or -1 with the reason in err. */
int keyfile_write(const char *base, const keypair_t *kp, const char *const (*meta)[2], size_t n,
                  char *err, size_t errlen);

/* Reads a certificate: public-key always, secret-key when the file holds
 * one. A file holding a secret key must not be readable by group or others
 * (0600 or 0400): else it is refused, as a key others could have read.
 * 0, or -1 with what is wrong with which file in err. */
int keyfile_read(const char *path, keypair_t *kp, char *err, size_t errlen);

/* True when text is a 40-character Z85 key that decodes. */
int keyfile_z85_valid(const char *text);

/* Writes text (len bytes) to path with mode, through path.tmp synced and
 * renamed into place: a reader sees the old file or the new, never half. 0,
 * or -1 with err. */
int keyfile_save(const char *path, mode_t mode, const char *text, size_t len, char *err,
                 size_t errlen);
/* The time now as "2026-12-04 08:00:00 UTC" into buf; NULL if too small. */
char *keyfile_now_text(char *buf, size_t size);

/* Agencies' bearer tokens (the gateway): a new token, 64 hex digits of 32
 * random bytes, and its stored form "blake2b:" + 64 hex digits (a token is
 * random, so a fast hash is enough; argon2id is for passwords people
 * choose). The gateway keeps only the stored form. */
#define KEYFILE_TOKEN_LEN 64
#define KEYFILE_TOKEN_HASH_LEN (8 + 64)
void keyfile_token_new(char out[KEYFILE_TOKEN_LEN + 1]);
void keyfile_token_hash(const char *token, char out[KEYFILE_TOKEN_HASH_LEN + 1]);

#endif
