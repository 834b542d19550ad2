/*
 * security.h - CURVE on every socket between processes (DESIGN.md
 * "Security"): the [security] section of the configuration, this
 * process's own key pair, the allow-list, and the socket options of a
 * CURVE server (a daemon's ROUTER, whose ZAP handler is zap.c) and client
 * (a daemon's upstream DEALER, legalaidctl, tests).
 *
 *   [security]
 *   mode = curve                        ; curve (default) or off
 *   allow_list = /etc/legalaid/principals
 *   keys_dir =                          ; this host's secret keys; empty:
 *                                       ; $CREDENTIALS_DIRECTORY (systemd
 *                                       ; LoadCredential=), else /etc/legalaid/keys
 *   client_key =                        ; legalaidctl's key on this host
 *   data_key =                          ; the data key file (seal.h); empty:
 *                                       ; KEYS_DIR/data.key with mode = curve,
 *                                       ; no sealing with mode = off; "off":
 *                                       ; no sealing (a warning at every start)
 *
 * A daemon's own key is KEYS_DIR/NAME.key_secret; its public key is in the
 * allow-list as the peer NAME, which is where its clients find the server
 * key to connect with. mode = off (plain sockets, every peer acting with
 * every role) exists to measure what security costs; a daemon logs a
 * warning at every start with it.
 */
#ifndef LA_SECURITY_H
#define LA_SECURITY_H

#include <stddef.h>

#include "config.h"
#include "keyfile.h"
#include "principal.h"
#include "seal.h"

typedef struct security {
    char *mode, *allow_list, *keys_dir, *client_key, *data_key; /* the [security] keys */
    int on;
    keypair_t self;
    allowlist_t allow;
    char *data_key_path; /* the data key file a daemon reads; NULL: no sealing */
    seal_ring_t *ring;   /* its keys (a daemon's; NULL for legalaidctl) */
} security_t;

extern const cfg_key_t security_config_keys[];

/* Loads [security] of config_path, the allow-list and this process's key:
 * self_key when not NULL, else KEYS_DIR/self_name.key_secret. With mode
 * off, reads neither. 0, or -1 with the problem (file, key) in err. */
int security_load(security_t *s, const char *config_path, const char *self_name,
                  const char *self_key, char *err, size_t errlen);
/* Reads the data key file into *ring (a daemon checks it against its
 * store before it takes it: reseal.c). 0, or -1 with err. */
int security_ring_read(const security_t *s, seal_ring_t *ring, char *err, size_t errlen);
/* Re-reads the allow-list; on error keeps the old one. 0 or -1 with err. */
int security_reload(security_t *s, char *err, size_t errlen);
void security_free(security_t *s);

/* The path of legalaidctl's key: key_opt, else $LEGALAID_KEY, else
 * [security] client_key; NULL when none is set. */
const char *security_client_key_path(const security_t *s, const char *key_opt);

/* Makes socket a CURVE server under the ZAP domain "legalaid" (before it
 * binds). Nothing with mode off. 0 or -1. */
int security_server(const security_t *s, void *socket);
/* Makes socket a CURVE client of the daemon named server (its key is the
 * peer of that name in the allow-list), before it connects. Nothing with
 * mode off. 0, or -1 with err. */
int security_client(const security_t *s, void *socket, const char *server, char *err,
                    size_t errlen);

/* A client of the daemon named daemon at endpoint (client_new), made a
 * CURVE client with s's own key when s is on. NULL with the reason in err. */
struct client;
struct client *security_client_new(const security_t *s, const char *daemon, const char *endpoint,
                                   int resend_ms, int deadline_ms, char *err, size_t errlen);

#endif
