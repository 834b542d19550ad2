/*
 * procs.h - the daemons a system test starts: by pid, in its own temporary
 * directory on ipc:// endpoints; stopped (or killed) by pid, never by name.
 */
#ifndef LA_SYSTEM_PROCS_H
#define LA_SYSTEM_PROCS_H

#include <sys/types.h>

#include "client.h"
#include "security.h"

#define PROCS_N 5

typedef struct procs {
    char bin_dir[512];
    char dir[512];
    char config[600];
    pid_t pid[PROCS_N];
    int restarts[PROCS_N];
    int security_off; /* set before procs_write_config: [security] mode = off */
    /* The gateway too (set before procs_write_config): legalaid-gateway on
     * a free loopback port, its key the role edge; empty agencies and
     * users files (no agency, no page user: the run checks it lives). */
    int gateway;
    int gw_port;
    pid_t gw_pid;
    int gw_restarts;
    const char *extra[8]; /* KEY=VALUE lines for every daemon's section (la-system --set) */
    int n_extra;
    const char *notify_lines; /* more lines for notify's section alone (la-system --steady) */
    int sealing_off;  /* CURVE on, but data_key = off: personal data in clear */
    security_t sec;   /* the test's own key ("tester", every unbound role) */
} procs_t;

extern const char *const procs_names[PROCS_N];

/* Writes dir/legalaid.ini (sync on: fsync at every commit) and, unless
 * security_off, dir/keys: a key per daemon and the tester's, and the
 * allow-list; loads the tester's key into p->sec. 0 or -1. */
int procs_write_config(procs_t *p);
/* Starts daemon i; its stderr goes to dir/<name>.log. */
int procs_start(procs_t *p, int i);
/* Waits until every daemon answers Ping (timeout_ms); returns 0 or -1. */
int procs_wait_ready(procs_t *p, int timeout_ms);
/* SIGKILLs daemon i and reaps it. */
void procs_kill(procs_t *p, int i);
/* SIGTERMs every daemon; returns how many did not exit with status 0. */
int procs_stop_all(procs_t *p);
/* A client of daemon i with the tester's key (client_new's arguments);
 * NULL after saying why on stderr. */
client_t *procs_client(procs_t *p, int i, int resend_ms, int deadline_ms);
/* Sends req to daemon i (a client of procs_client's, 5 s at most) and
 * returns its reply when its body is body (a LEGALAID__REPLY__BODY_*), to
 * be freed with legalaid__reply__free_unpacked; else NULL. */
Legalaid__Reply *procs_ask(procs_t *p, int i, Legalaid__Request *req, int body);
/* Daemon i's StreamStatus reply (procs_ask), or NULL. */
Legalaid__Reply *procs_status(procs_t *p, int i);
/* The gateway (when p->gateway): start it, SIGKILL and reap it, and GET
 * path on it; procs_gateway_get returns the HTTP status (0: no answer)
 * with up to size - 1 bytes of the body in body (may be NULL). */
int procs_gateway_start(procs_t *p);
void procs_gateway_kill(procs_t *p);
int procs_gateway_get(procs_t *p, const char *path, char *body, size_t size);
/* Waits until GET /healthz answers 200 (timeout_ms); 0 or -1. */
int procs_gateway_wait_ready(procs_t *p, int timeout_ms);
/* The endpoint of daemon i. */
const char *procs_endpoint(procs_t *p, int i, char *buf, int size);

#endif
