/*
 * security.c - see security.h.
 */
#include "security.h"

#include "client.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define OFF(f) offsetof(security_t, f)
const cfg_key_t security_config_keys[] = {
    {"mode", CFG_STRING, "curve", 0, 0, OFF(mode),
     "curve: every socket encrypted and authenticated; off: plain (only to measure the cost)"},
    {"allow_list", CFG_STRING, "", 0, 0, OFF(allow_list),
     "the allow-list: public key, principal, roles, binding (required with curve)"},
    {"keys_dir", CFG_STRING, "", 0, 0, OFF(keys_dir),
     "this host's secret keys; empty: $CREDENTIALS_DIRECTORY, else /etc/legalaid/keys"},
    {"client_key", CFG_STRING, "", 0, 0, OFF(client_key),
     "legalaidctl's secret key file on this host (--key and $LEGALAID_KEY win)"},
    {"data_key", CFG_STRING, "", 0, 0, OFF(data_key),
     "the data key file that seals personal data at rest; empty: KEYS_DIR/data.key with "
     "curve, none with off; off: no sealing"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

/* The keys directory: [security] keys_dir, else $CREDENTIALS_DIRECTORY,
 * else /etc/legalaid/keys. */
static const char *security_keys_dir(const security_t *s)
{
    const char *dir = s->keys_dir[0] ? s->keys_dir : getenv("CREDENTIALS_DIRECTORY");
    return dir ? dir : "/etc/legalaid/keys";
}

/* Sets data_key_path from [security] data_key (NULL: no sealing). */
static void security_data_key_path(security_t *s)
{
    if (strcmp(s->data_key, "off") == 0) return;
    if (s->data_key[0]) {
        s->data_key_path = xstrdup(s->data_key);
        return;
    }
    if (strcmp(s->mode, "off") == 0) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/data.key", security_keys_dir(s));
    s->data_key_path = xstrdup(path);
}

int security_load(security_t *s, const char *config_path, const char *self_name,
                  const char *self_key, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    cfg_table_t t = {security_config_keys, s};
    if (config_load(config_path, "security", &t, 1, err, errlen) < 0) return -1;
    if (self_name) security_data_key_path(s);
    if (s->data_key_path) {
        s->ring = xcalloc(1, sizeof *s->ring);
        if (security_ring_read(s, s->ring, err, errlen) < 0) return -1;
    }
    if (strcmp(s->mode, "off") == 0) return 0;
    if (strcmp(s->mode, "curve") != 0) {
        snprintf(err, errlen, "%s: [security] mode: '%s' is not curve or off", config_path,
                 s->mode);
        return -1;
    }
    s->on = 1;
    if (!s->allow_list[0]) {
        snprintf(err, errlen,
                 "%s: [security] allow_list: required with mode = curve (the file of public "
                 "keys and principals: see legalaidctl keys new)",
                 config_path);
        return -1;
    }
    if (principal_list_load(s->allow_list, &s->allow, err, errlen) < 0) return -1;
    if (!self_key && !self_name) return 0;
    char path[4096];
    if (!self_key) {
        snprintf(path, sizeof path, "%s/%s.key_secret", security_keys_dir(s), self_name);
        self_key = path;
    }
    if (keyfile_read(self_key, &s->self, err, errlen) < 0) return -1;
    if (!s->self.secret_z85[0]) {
        snprintf(err, errlen, "%s holds only a public key: the secret key file (.key_secret) is "
                 "needed here", self_key);
        return -1;
    }
    return 0;
}

int security_ring_read(const security_t *s, seal_ring_t *ring, char *err, size_t errlen)
{
    char why[600];
    if (seal_ring_load(ring, s->data_key_path, why, sizeof why) == 0) return 0;
    snprintf(err, errlen,
             "数据密钥文件不可用 (the data key file cannot be used): %s. A new one: legalaidctl "
             "keys data-key new --file %s",
             why, s->data_key_path);
    return -1;
}

int security_reload(security_t *s, char *err, size_t errlen)
{
    if (!s->on) return 0;
    allowlist_t fresh;
    if (principal_list_load(s->allow_list, &fresh, err, errlen) < 0) return -1;
    principal_list_free(&s->allow);
    s->allow = fresh;
    return 0;
}

void security_free(security_t *s)
{
    cfg_table_t t = {security_config_keys, s};
    config_free(&t, 1);
    principal_list_free(&s->allow);
    memset(&s->self, 0, sizeof s->self);
    if (s->ring) seal_ring_wipe(s->ring);
    free(s->ring);
    free(s->data_key_path);
    s->ring = NULL;
    s->data_key_path = NULL;
}

const char *security_client_key_path(const security_t *s, const char *key_opt)
{
    if (key_opt && *key_opt) return key_opt;
    const char *env = getenv("LEGALAID_KEY");
    if (env && *env) return env;
    return s->client_key && s->client_key[0] ? s->client_key : NULL;
}

int security_server(const security_t *s, void *socket)
{
    if (!s->on) return 0;
    int one = 1;
    if (zmq_setsockopt(socket, ZMQ_CURVE_SERVER, &one, sizeof one) < 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, s->self.secret_z85, KEYFILE_Z85_LEN) < 0 ||
        zmq_setsockopt(socket, ZMQ_ZAP_DOMAIN, "legalaid", 8) < 0)
        return -1;
#ifdef ZMQ_ZAP_ENFORCE_DOMAIN
    zmq_setsockopt(socket, ZMQ_ZAP_ENFORCE_DOMAIN, &one, sizeof one);
#endif
    return 0;
}

int security_client(const security_t *s, void *socket, const char *server, char *err,
                    size_t errlen)
{
    if (!s->on) return 0;
    const principal_t *p = principal_find_name(&s->allow, server, ROLE_PEER);
    if (!p) {
        snprintf(err, errlen,
                 "the allow-list %s has no peer named %s: its public key is needed to connect",
                 s->allow_list, server);
        return -1;
    }
    if (zmq_setsockopt(socket, ZMQ_CURVE_SERVERKEY, p->key, KEYFILE_Z85_LEN) < 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_PUBLICKEY, s->self.public_z85, KEYFILE_Z85_LEN) < 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, s->self.secret_z85, KEYFILE_Z85_LEN) < 0) {
        snprintf(err, errlen, "CURVE is not available in this libzmq: %s", zmq_strerror(errno));
        return -1;
    }
    return 0;
}

client_t *security_client_new(const security_t *s, const char *daemon, const char *endpoint,
                              int resend_ms, int deadline_ms, char *err, size_t errlen)
{
    client_t *c = NULL;
    if (!s || !s->on) {
        c = client_new(endpoint, resend_ms, deadline_ms);
    } else {
        const principal_t *p = principal_find_name(&s->allow, daemon, ROLE_PEER);
        if (!p) {
            snprintf(err, errlen,
                     "the allow-list %s has no peer named %s: its public key is needed to "
                     "connect",
                     s->allow_list, daemon);
            return NULL;
        }
        c = client_new_curve(endpoint, p->key, &s->self, resend_ms, deadline_ms);
    }
    if (!c) snprintf(err, errlen, "cannot connect to %s at %s (is the endpoint well-formed?)",
                     daemon, endpoint);
    return c;
}
