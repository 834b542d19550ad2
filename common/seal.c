/*
 * seal.c - see seal.h.
 */
#include "seal.h"

#include <errno.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zmq.h>

#include "keyfile.h"

#define SEAL_AEAD_CLEAR 'S'  /* the kinds before format 3 (seal.h) */
#define SEAL_AEAD_PACKED 'Z'
#define SEAL_AEAD_HEADER 27 /* 0x00 kind id nonce(24) */

/* A key's MAC and cipher keys, each BLAKE2b under the key of its own words:
 * neither primitive ever sees the key the other uses. */
static void seal_key_derive(seal_key_t *k)
{
    static const char mac[] = "legalaid seal siv mac", cipher[] = "legalaid seal siv cipher";
    crypto_generichash(k->mac, SEAL_KEY_LEN, (const unsigned char *)mac, sizeof mac - 1, k->key,
                       SEAL_KEY_LEN);
    crypto_generichash(k->cipher, SEAL_KEY_LEN, (const unsigned char *)cipher, sizeof cipher - 1,
                       k->key, SEAL_KEY_LEN);
}

static int seal_z85_key(const char *text, unsigned char out[SEAL_KEY_LEN])
{
    return keyfile_z85_valid(text) && zmq_z85_decode(out, text) ? 0 : -1;
}

/* One "    name = "Z85"" line of the data-key section into *r. 0, or -1
 * with err. */
static int seal_ring_line(seal_ring_t *r, const char *path, int lineno, const char *line,
                          char *err, size_t errlen)
{
    char name[32], value[64];
    if (sscanf(line, " %31[a-z0-9-] = \"%63[^\"]\"", name, value) != 2) {
        snprintf(err, errlen, "%s:%d: expected  name = \"Z85 key\"", path, lineno);
        return -1;
    }
    unsigned char raw[SEAL_KEY_LEN];
    if (seal_z85_key(value, raw) < 0) {
        snprintf(err, errlen, "%s:%d: %s is not a key of 40 Z85 characters", path, lineno, name);
        return -1;
    }
    if (strcmp(name, "index") == 0) {
        memcpy(r->index, raw, sizeof raw);
        return 1;
    }
    char *end;
    long id = strncmp(name, "key-", 4) == 0 ? strtol(name + 4, &end, 10) : 0;
    if (id < 1 || id > 255 || *end) {
        snprintf(err, errlen, "%s:%d: '%s' is not index or key-N (N from 1 to 255)", path, lineno,
                 name);
        return -1;
    }
    if (seal_ring_find(r, (unsigned)id) || r->n == SEAL_MAX_KEYS) {
        snprintf(err, errlen, "%s:%d: key-%ld given twice, or more than %d keys", path, lineno,
                 id, SEAL_MAX_KEYS);
        return -1;
    }
    r->keys[r->n].id = (unsigned)id;
    memcpy(r->keys[r->n].key, raw, sizeof raw);
    seal_key_derive(&r->keys[r->n]);
    r->n++;
    if ((unsigned)id > r->current) r->current = (unsigned)id;
    sodium_memzero(raw, sizeof raw);
    return 0;
}

int seal_ring_load(seal_ring_t *r, const char *path, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (sodium_init() < 0) { /* picks the CPU's fastest cipher and hash code */
        snprintf(err, errlen, "libsodium cannot start (no random source?)");
        return -1;
    }
    FILE *f = fopen(path, "re");
    if (!f) {
        snprintf(err, errlen, "cannot read the data key file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077)) {
        fclose(f);
        snprintf(err, errlen,
                 "%s is readable by others (mode %03o): make it 0600, or take a new data key "
                 "and rotate (legalaidctl keys data-key rotate), this one may have been read",
                 path, (unsigned)(st.st_mode & 0777));
        return -1;
    }
    char line[512];
    int in_section = 0, lineno = 0, has_index = 0, rc = 0;
    while (rc >= 0 && fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        if (line[0] != ' ' && line[0] != '\t') {
            in_section = strncmp(line, "data-key", 8) == 0;
            continue;
        }
        if (!in_section) continue;
        rc = seal_ring_line(r, path, lineno, line, err, errlen);
        if (rc == 1) has_index = 1;
    }
    fclose(f);
    if (rc >= 0 && (!has_index || !r->n)) {
        snprintf(err, errlen,
                 "%s is not a data key file: expected a \"data-key\" section with index and "
                 "key-1 (legalaidctl keys data-key new writes one)",
                 path);
        rc = -1;
    }
    if (rc < 0) seal_ring_wipe(r);
    return rc < 0 ? -1 : 0;
}

int seal_ring_save(const seal_ring_t *r, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char z85[KEYFILE_Z85_LEN + 1];
    fprintf(m, "#   ****  Generated on %s by legalaidctl  ****\n"
               "#   legalaid data key: seals personal data at rest.\n"
               "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n"
               "#   The highest numbered key seals; keep the older ones until\n"
               "#   legalaidctl stats shows the re-seal done in every daemon.\n\n",
             keyfile_now_text(z85, sizeof z85) ? z85 : "-");
    fprintf(m, "data-key\n    index = \"%s\"\n", zmq_z85_encode(z85, r->index, SEAL_KEY_LEN));
    for (int i = 0; i < r->n; i++)
        fprintf(m, "    key-%u = \"%s\"\n", r->keys[i].id,
                zmq_z85_encode(z85, r->keys[i].key, SEAL_KEY_LEN));
    fclose(m);
    int rc = keyfile_save(path, 0600, text, len, err, errlen);
    sodium_memzero(text, len);
    free(text);
    return rc;
}

void seal_ring_new(seal_ring_t *r)
{
    memset(r, 0, sizeof *r);
    if (sodium_init() < 0) abort(); /* no random source: no key can be made */
    randombytes_buf(r->index, sizeof r->index);
    r->keys[0].id = 1;
    randombytes_buf(r->keys[0].key, SEAL_KEY_LEN);
    seal_key_derive(&r->keys[0]);
    r->n = 1;
    r->current = 1;
}

int seal_ring_rotate(seal_ring_t *r)
{
    if (r->n == SEAL_MAX_KEYS || r->current >= 255) return -1;
    r->keys[r->n].id = r->current + 1;
    randombytes_buf(r->keys[r->n].key, SEAL_KEY_LEN);
    seal_key_derive(&r->keys[r->n]);
    r->current++;
    r->n++;
    return 0;
}

void seal_ring_retire(seal_ring_t *r)
{
    int kept = 0;
    for (int i = 0; i < r->n; i++) {
        if (r->keys[i].id == r->current) r->keys[kept++] = r->keys[i];
    }
    sodium_memzero(&r->keys[kept], sizeof r->keys[0] * (size_t)(r->n - kept));
    r->n = kept;
}

const seal_key_t *seal_ring_find(const seal_ring_t *r, unsigned id)
{
    for (int i = 0; i < r->n; i++)
        if (r->keys[i].id == id) return &r->keys[i];
    return NULL;
}

void seal_ring_wipe(seal_ring_t *r)
{
    sodium_memzero(r, sizeof *r);
}

/* What sealing added to a value of this kind byte; 0: not a kind. */
static size_t seal_overhead_of(int kind)
{
    switch (kind) {
    case SEAL_CLEAR:
    case SEAL_PACKED:
        return SEAL_OVERHEAD;
    case SEAL_AEAD_CLEAR:
    case SEAL_AEAD_PACKED:
        return SEAL_OVERHEAD_AEAD;
    default:
        return 0;
    }
}

int seal_is_sealed(const void *v, size_t n)
{
    const unsigned char *b = v;
    size_t over = n >= 2 && b[0] == 0 ? seal_overhead_of(b[1]) : 0;
    return over && n >= over;
}

int seal_kind(const void *v)
{
    int kind = ((const unsigned char *)v)[1];
    if (kind == SEAL_AEAD_CLEAR) return SEAL_CLEAR;
    return kind == SEAL_AEAD_PACKED ? SEAL_PACKED : kind;
}

unsigned seal_key_id(const void *v)
{
    return ((const unsigned char *)v)[2];
}

size_t seal_value_len(const void *v, size_t n)
{
    return n - seal_overhead_of(((const unsigned char *)v)[1]);
}

int seal_is_current(const seal_ring_t *r, const void *v, size_t n)
{
    const unsigned char *b = v;
    return seal_is_sealed(v, n) && (b[1] == SEAL_CLEAR || b[1] == SEAL_PACKED) &&
           b[2] == r->current;
}

static void seal_le64(uint64_t v, unsigned char out[8])
{
    for (int i = 0; i < 8; i++) out[i] = (unsigned char)(v >> (8 * i));
}

/* The SIV of a value: header (0x00 kind id), the length of place, place,
 * the length of ad, ad, clear. */
static void seal_siv(const seal_key_t *k, const unsigned char header[3], const char *place,
                     const void *ad, size_t adlen, const void *clear, size_t n,
                     unsigned char out[16])
{
    crypto_generichash_state st;
    unsigned char len[8];
    size_t plen = place ? strlen(place) : 0;
    crypto_generichash_init(&st, k->mac, SEAL_KEY_LEN, 16);
    crypto_generichash_update(&st, header, 3);
    seal_le64(plen, len);
    crypto_generichash_update(&st, len, sizeof len);
    crypto_generichash_update(&st, (const unsigned char *)place, plen);
    seal_le64(adlen, len);
    crypto_generichash_update(&st, len, sizeof len);
    crypto_generichash_update(&st, ad, adlen);
    crypto_generichash_update(&st, clear, n);
    crypto_generichash_final(&st, out, 16);
    sodium_memzero(&st, sizeof st);
}

static void seal_siv_nonce(const unsigned char siv[16],
                           unsigned char nonce[crypto_stream_xchacha20_NONCEBYTES])
{
    memcpy(nonce, siv, 16);
    memset(nonce + 16, 0, crypto_stream_xchacha20_NONCEBYTES - 16);
}

void seal_value(const seal_ring_t *r, const char *place, const void *ad, size_t adlen,
                const void *clear, size_t n, void *out)
{
    seal_value_as(r, SEAL_CLEAR, place, ad, adlen, clear, n, out);
}

void seal_value_as(const seal_ring_t *r, int kind, const char *place, const void *ad, size_t adlen,
                   const void *clear, size_t n, void *out)
{
    unsigned char *o = out, nonce[crypto_stream_xchacha20_NONCEBYTES];
    const seal_key_t *k = seal_ring_find(r, r->current);
    o[0] = 0;
    o[1] = (unsigned char)kind;
    o[2] = (unsigned char)k->id;
    seal_siv(k, o, place, ad, adlen, clear, n, o + 3);
    seal_siv_nonce(o + 3, nonce);
    crypto_stream_xchacha20_xor(o + SEAL_HEADER, clear, n, nonce, k->cipher);
}

/* Opens a value sealed before format 3 (seal.h): XChaCha20-Poly1305 under
 * the key itself ('S') or a key derived from it ('Z'). */
static int seal_open_aead(const seal_key_t *k, const void *ad, size_t adlen,
                          const unsigned char *s, size_t n, void *out)
{
    static const char what[] = "legalaid packed value";
    unsigned char derived[SEAL_KEY_LEN];
    const unsigned char *key = k->key;
    if (s[1] == SEAL_AEAD_PACKED) {
        crypto_generichash(derived, SEAL_KEY_LEN, (const unsigned char *)what, sizeof what - 1,
                           k->key, SEAL_KEY_LEN);
        key = derived;
    }
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, s + SEAL_AEAD_HEADER,
                                                        n - SEAL_AEAD_HEADER, ad, adlen, s + 3,
                                                        key)
                 ? -EBADMSG
                 : 0;
    sodium_memzero(derived, sizeof derived);
    return rc;
}

int seal_open(const seal_ring_t *r, const char *place, const void *ad, size_t adlen,
              const void *sealed, size_t n, void *out)
{
    const unsigned char *s = sealed;
    if (!seal_is_sealed(sealed, n)) return -EBADMSG; /* too short, or a kind unknown */
    const seal_key_t *k = r ? seal_ring_find(r, s[2]) : NULL;
    if (!k) return -ENOKEY;
    if (s[1] == SEAL_AEAD_CLEAR || s[1] == SEAL_AEAD_PACKED)
        return seal_open_aead(k, ad, adlen, s, n, out);
    unsigned char nonce[crypto_stream_xchacha20_NONCEBYTES], siv[16];
    size_t len = n - SEAL_HEADER;
    seal_siv_nonce(s + 3, nonce);
    crypto_stream_xchacha20_xor(out, s + SEAL_HEADER, len, nonce, k->cipher);
    seal_siv(k, s, place, ad, adlen, out, len, siv);
    int rc = sodium_memcmp(siv, s + 3, sizeof siv) ? -EBADMSG : 0;
    if (rc) sodium_memzero(out, len); /* what did not open is never seen */
    sodium_memzero(siv, sizeof siv);
    return rc;
}

void seal_hash(const seal_ring_t *r, const char *domain, const void *data, size_t n,
               unsigned char out[SEAL_HASH_LEN])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, r ? r->index : NULL, r ? SEAL_KEY_LEN : 0, SEAL_HASH_LEN);
    crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
    crypto_generichash_update(&st, data, n);
    crypto_generichash_final(&st, out, SEAL_HASH_LEN);
}

void seal_check(const unsigned char key[SEAL_KEY_LEN], unsigned char out[SEAL_CHECK_LEN])
{
    static const char what[] = "legalaid data key check";
    crypto_generichash(out, SEAL_CHECK_LEN, (const unsigned char *)what, sizeof what - 1, key,
                       SEAL_KEY_LEN);
}
