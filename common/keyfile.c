/*
 * keyfile.c - see keyfile.h.
 */
#include "keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

int keyfile_generate(keypair_t *kp)
{
    memset(kp, 0, sizeof *kp);
    return zmq_curve_keypair(kp->public_z85, kp->secret_z85) == 0 ? 0 : -1;
}

int keyfile_z85_valid(const char *text)
{
    uint8_t raw[32];
    return text && strlen(text) == KEYFILE_Z85_LEN && zmq_z85_decode(raw, text) != NULL;
}

int keyfile_save(const char *path, mode_t mode, const char *text, size_t len, char *err,
                 size_t errlen)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    fchmod(fd, mode);
    int bad = write(fd, text, len) != (ssize_t)len || fsync(fd) != 0;
    bad |= close(fd) != 0;
    if (bad || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

char *keyfile_now_text(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    return strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&now, &tm)) ? buf : NULL;
}

/* Writes one certificate to path (mode) via keyfile_save; secret may be 0. */
static int keyfile_put(const char *path, mode_t mode, const keypair_t *kp, int secret,
                       const char *const (*meta)[2], size_t n, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char when[64];
    fprintf(f, "#   ****  Generated on %s by legalaidctl  ****\n",
            keyfile_now_text(when, sizeof when) ? when : "-");
    if (secret)
        fprintf(f, "#   ZeroMQ CURVE **Secret** Certificate\n"
                   "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\n");
    else
        fprintf(f, "#   ZeroMQ CURVE Public Certificate\n"
                   "#   Exchange securely, or use a secure mechanism to verify the contents\n"
                   "#   of this file after exchange. Store public certificates in your home\n"
                   "#   directory, in the .curve subdirectory.\n\n");
    fprintf(f, "metadata\n");
    for (size_t i = 0; i < n; i++) fprintf(f, "    %s = \"%s\"\n", meta[i][0], meta[i][1]);
    fprintf(f, "curve\n    public-key = \"%s\"\n", kp->public_z85);
    if (secret) fprintf(f, "    secret-key = \"%s\"\n", kp->secret_z85);
    fclose(f);
    int rc = keyfile_save(path, mode, text, len, err, errlen);
    free(text);
    return rc;
}

int keyfile_write(const char *base, const keypair_t *kp, const char *const (*meta)[2], size_t n,
                  char *err, size_t errlen)
{
    char pub[4096], sec[4096];
    snprintf(pub, sizeof pub, "%s.key", base);
    snprintf(sec, sizeof sec, "%s.key_secret", base);
    if (access(pub, F_OK) == 0 || access(sec, F_OK) == 0) {
        snprintf(err, errlen, "%s already exists: a key is never overwritten (revoke it, then "
                 "choose another name)", access(sec, F_OK) == 0 ? sec : pub);
        return -1;
    }
    if (keyfile_put(sec, 0600, kp, 1, meta, n, err, errlen) < 0) return -1;
    return keyfile_put(pub, 0644, kp, 0, meta, n, err, errlen);
}

/* The quoted value after "name =" on line, copied into out (41 bytes). */
static int keyfile_value(const char *line, const char *name, char *out)
{
    while (*line == ' ' || *line == '\t') line++;
    size_t n = strlen(name);
    if (strncmp(line, name, n) != 0) return 0;
    line += n;
    while (*line == ' ' || *line == '\t') line++;
    if (*line++ != '=') return 0;
    while (*line == ' ' || *line == '\t') line++;
    if (*line++ != '"') return 0;
    const char *end = strchr(line, '"');
    if (!end || end - line != KEYFILE_Z85_LEN) return -1;
    memcpy(out, line, KEYFILE_Z85_LEN);
    out[KEYFILE_Z85_LEN] = 0;
    return 1;
}

int keyfile_read(const char *path, keypair_t *kp, char *err, size_t errlen)
{
    memset(kp, 0, sizeof *kp);
    FILE *f = fopen(path, "re");
    if (!f) {
        snprintf(err, errlen, "cannot read the key file %s: %s", path, strerror(errno));
        return -1;
    }
    char line[512];
    int in_curve = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        if (line[0] != ' ' && line[0] != '\t') {
            in_curve = strncmp(line, "curve", 5) == 0;
            continue;
        }
        if (!in_curve) continue;
        int rc = keyfile_value(line, "public-key", kp->public_z85);
        if (rc == 0) rc = keyfile_value(line, "secret-key", kp->secret_z85);
        if (rc < 0) bad = 1;
    }
    struct stat st;
    int st_ok = fstat(fileno(f), &st) == 0;
    fclose(f);
    if (bad || !keyfile_z85_valid(kp->public_z85) ||
        (kp->secret_z85[0] && !keyfile_z85_valid(kp->secret_z85))) {
        snprintf(err, errlen,
                 "%s is not a CURVE certificate: expected a \"curve\" section with public-key "
                 "(and secret-key) of 40 Z85 characters each",
                 path);
        return -1;
    }
    if (kp->secret_z85[0]) {
        char derived[KEYFILE_Z85_LEN + 1];
        if (zmq_curve_public(derived, kp->secret_z85) != 0 ||
            strcmp(derived, kp->public_z85) != 0) {
            snprintf(err, errlen, "%s: its secret-key does not belong to its public-key", path);
            return -1;
        }
        if (st_ok && (st.st_mode & 077)) {
            snprintf(err, errlen,
                     "%s holds a secret key but is readable by others (mode %03o): make it 0600 "
                     "(chmod 600) or take a new key, this one may have been read",
                     path, (unsigned)(st.st_mode & 0777));
            return -1;
        }
    }
    return 0;
}

void keyfile_token_new(char out[KEYFILE_TOKEN_LEN + 1])
{
    unsigned char raw[KEYFILE_TOKEN_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, KEYFILE_TOKEN_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

void keyfile_token_hash(const char *token, char out[KEYFILE_TOKEN_HASH_LEN + 1])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    memcpy(out, "blake2b:", 8);
    sodium_bin2hex(out + 8, KEYFILE_TOKEN_HASH_LEN - 8 + 1, h, sizeof h);
}
