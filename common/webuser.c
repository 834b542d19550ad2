/*
 * webuser.c - see webuser.h.
 */
#include "webuser.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int webuser_parse_line(const char *line, webuser_t *u, char *err, size_t errlen)
{
    memset(u, 0, sizeof *u);
    char copy[1024], *save = NULL, *tok[5] = {0};
    int n = 0;
    if (strlen(line) >= sizeof copy) {
        snprintf(err, errlen, "line longer than %zu bytes", sizeof copy - 1);
        return -1;
    }
    strcpy(copy, line);
    for (char *t = strtok_r(copy, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == 5) {
            snprintf(err, errlen, "too many fields: expected NAME ROLES HASH [BINDING]");
            return -1;
        }
        tok[n++] = t;
    }
    if (n < 3) {
        snprintf(err, errlen, "expected NAME ROLES $argon2id$... [station=CODE|lawyer=ID]");
        return -1;
    }
    if (strlen(tok[0]) >= sizeof u->name || strpbrk(tok[0], "/\"<>&'")) {
        snprintf(err, errlen, "name '%s': at most %zu bytes, without / \" < > & '", tok[0],
                 sizeof u->name - 1);
        return -1;
    }
    strcpy(u->name, tok[0]);
    if (principal_roles_parse(tok[1], &u->roles, err, errlen) < 0) return -1;
    if (u->roles & ~(unsigned)PRINCIPAL_DELEGABLE) {
        snprintf(err, errlen, "%s: a person signs in as staff, officer, station, lawyer, "
                              "operations or admin only", u->name);
        return -1;
    }
    if (strncmp(tok[2], "$argon2id$", 10) != 0 || strlen(tok[2]) >= sizeof u->hash) {
        snprintf(err, errlen, "%s: the password must be an argon2id hash ($argon2id$...: "
                              "legalaidctl keys web-user makes one)", u->name);
        return -1;
    }
    strcpy(u->hash, tok[2]);
    for (int i = 3; i < n; i++) {
        char *dst = strncmp(tok[i], "station=", 8) == 0  ? u->station
                    : strncmp(tok[i], "lawyer=", 7) == 0 ? u->lawyer
                                                         : NULL;
        const char *v = dst ? strchr(tok[i], '=') + 1 : NULL;
        if (!dst || !*v || strlen(v) >= PRINCIPAL_BINDING_MAX) {
            snprintf(err, errlen, "'%s' is not station=CODE or lawyer=ID", tok[i]);
            return -1;
        }
        strcpy(dst, v);
    }
    if (!(u->roles & ROLE_STATION) != !u->station[0] || !(u->roles & ROLE_LAWYER) != !u->lawyer[0]) {
        snprintf(err, errlen, "%s: role station needs station=CODE, role lawyer needs lawyer=ID, "
                              "and each binding its role", u->name);
        return -1;
    }
    return 0;
}

void webuser_line(const webuser_t *u, char *buf, size_t size)
{
    char roles[200];
    snprintf(buf, size, "%s %s %s%s%s%s%s", u->name, principal_roles_text(u->roles, roles, sizeof roles),
             u->hash, u->station[0] ? " station=" : "", u->station, u->lawyer[0] ? " lawyer=" : "",
             u->lawyer);
}

int webuser_hash(webuser_t *u, const char *password)
{
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13))
        return -1;
    if (strlen(out) >= sizeof u->hash) return -1;
    strcpy(u->hash, out);
    return 0;
}
