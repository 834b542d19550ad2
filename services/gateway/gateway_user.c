/*
 * gateway_user.c - the people who sign in to the pages, from the file
 * [gateway] users names (common/webuser.h: NAME ROLES $argon2id$...
 * [BINDING]). A password is checked by libsodium's argon2id in libuv's
 * thread pool, never on the loop: a sign-in costs tens of milliseconds and
 * 64 MB, which would stall every agency's request if done in line. A name
 * that fails [gateway] signin_failures_max times in a row is locked for
 * signin_lock_s; an unknown name costs the same work as a known one, so
 * the answer's time does not tell which names exist.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "gateway_int.h"
#include "log.h"
#include "xalloc.h"

typedef struct gateway_user {
    webuser_t u;
    int failures;
    int64_t locked_until_mono;
} gateway_user_t;

static gateway_user_t *gateway_users;
static size_t gateway_n_users;
static uv_loop_t *gateway_user_loop;
static char gateway_user_dummy[WEBUSER_HASH_MAX]; /* verified against for unknown names */

int gateway_user_load(uv_loop_t *loop, const char *path, char *err, size_t errlen)
{
    gateway_user_loop = loop;
    if (!gateway_user_dummy[0]) {
        webuser_t d;
        char pw[24];
        randombytes_buf(pw, sizeof pw - 1);
        for (size_t i = 0; i + 1 < sizeof pw; i++) pw[i] = (char)('a' + (unsigned char)pw[i] % 26);
        pw[sizeof pw - 1] = 0;
        if (webuser_hash(&d, pw)) {
            snprintf(err, errlen, "not enough memory for argon2id");
            return -1;
        }
        memcpy(gateway_user_dummy, d.hash, sizeof gateway_user_dummy);
    }
    if (!path[0]) return 0; /* no pages to sign in to: the API only */
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read the users file %s: %s", path, strerror(errno));
        return -1;
    }
    gateway_user_t *list = NULL;
    size_t n = 0, cap = 0;
    char line[1024], why[400];
    int lineno = 0, bad = 0;
    while (!bad && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = line + strspn(line, " \t");
        if (*s == '#' || *s == '\n' || *s == '\r' || !*s) continue;
        if (n == cap) list = xrealloc(list, (cap = cap ? cap * 2 : 16) * sizeof *list);
        memset(&list[n], 0, sizeof list[n]);
        if (webuser_parse_line(s, &list[n].u, why, sizeof why)) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
            bad = 1;
            break;
        }
        for (size_t i = 0; i < n && !bad; i++)
            if (strcmp(list[i].u.name, list[n].u.name) == 0) {
                snprintf(err, errlen, "%s:%d: %s is listed twice", path, lineno, list[n].u.name);
                bad = 1;
            }
        n++;
    }
    fclose(f);
    if (bad) {
        free(list);
        return -1;
    }
    gateway_user_free();
    gateway_users = list;
    gateway_n_users = n;
    return 0;
}

void gateway_user_free(void)
{
    if (gateway_users) sodium_memzero(gateway_users, gateway_n_users * sizeof *gateway_users);
    free(gateway_users);
    gateway_users = NULL;
    gateway_n_users = 0;
}

size_t gateway_user_count(void)
{
    return gateway_n_users;
}

static gateway_user_t *gateway_user_find(const char *name)
{
    for (size_t i = 0; i < gateway_n_users; i++)
        if (strcmp(gateway_users[i].u.name, name) == 0) return &gateway_users[i];
    return NULL;
}

typedef struct gateway_user_work {
    uv_work_t w;
    char name[PRINCIPAL_NAME_MAX];
    char hash[WEBUSER_HASH_MAX];
    char password[256];
    int ok;
    gateway_user_cb cb;
    void *ctx;
} gateway_user_work_t;

static void gateway_user_verify(uv_work_t *w)
{
    gateway_user_work_t *k = w->data;
    k->ok = crypto_pwhash_str_verify(k->hash, k->password, strlen(k->password)) == 0;
    sodium_memzero(k->password, sizeof k->password);
}

static void gateway_user_verified(uv_work_t *w, int status)
{
    gateway_user_work_t *k = w->data;
    gateway_user_t *u = gateway_user_find(k->name); /* the file may have been reloaded */
    int ok = status == 0 && k->ok && u && strcmp(u->u.hash, k->hash) == 0;
    if (u && ok) u->failures = 0;
    if (u && !ok && ++u->failures >= gateway_config.signin_failures_max) {
        u->locked_until_mono = clock_mono_ms() + gateway_config.signin_lock_s * 1000;
        u->failures = 0;
        log_warn("gateway: %s locked for %lld s after %lld failed sign-ins", u->u.name,
                 gateway_config.signin_lock_s, gateway_config.signin_failures_max);
    }
    k->cb(k->ctx, ok ? &u->u : NULL, 0);
    free(k);
}

void gateway_user_check(const char *name, const char *password, gateway_user_cb cb, void *ctx)
{
    gateway_user_t *u = name ? gateway_user_find(name) : NULL;
    int64_t now = clock_mono_ms();
    if (u && u->locked_until_mono > now) {
        cb(ctx, NULL, (int)((u->locked_until_mono - now + 999) / 1000));
        return;
    }
    gateway_user_work_t *k = xcalloc(1, sizeof *k);
    k->w.data = k;
    k->cb = cb;
    k->ctx = ctx;
    snprintf(k->name, sizeof k->name, "%s", u ? u->u.name : "");
    snprintf(k->hash, sizeof k->hash, "%s", u ? u->u.hash : gateway_user_dummy);
    snprintf(k->password, sizeof k->password, "%s", password ? password : "");
    if (uv_queue_work(gateway_user_loop, &k->w, gateway_user_verify, gateway_user_verified)) {
        sodium_memzero(k->password, sizeof k->password);
        cb(ctx, NULL, 0);
        free(k);
    }
}
