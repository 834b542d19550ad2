/*
 * webuser.h - the people who sign in to the gateway's pages, from the file
 * [gateway] users names: one a line,
 *
 *     NAME  ROLES  $argon2id$...  [station=CODE | lawyer=ID]
 *
 * ROLES among staff, officer, station, lawyer, operations, admin (the roles
 * the gateway may act for: its delegate=), bound as the allow-list binds
 * them; the password only as libsodium's argon2id string (crypto_pwhash_str),
 * never itself. `legalaidctl keys web-user` writes the lines.
 */
#ifndef LA_WEBUSER_H
#define LA_WEBUSER_H

#include <stddef.h>

#include "principal.h"

#define WEBUSER_HASH_MAX 128

typedef struct webuser {
    char name[PRINCIPAL_NAME_MAX];
    unsigned roles;
    char station[PRINCIPAL_BINDING_MAX];
    char lawyer[PRINCIPAL_BINDING_MAX];
    char hash[WEBUSER_HASH_MAX];
} webuser_t;

/* One line (not a comment) into u: 0, or -1 saying what is wrong in err. */
int webuser_parse_line(const char *line, webuser_t *u, char *err, size_t errlen);
/* u as a line of the file (no newline). */
void webuser_line(const webuser_t *u, char *buf, size_t size);
/* u->hash := argon2id of password (libsodium's interactive limits): 0, or
 * -1 when memory is short. */
int webuser_hash(webuser_t *u, const char *password);

#endif
