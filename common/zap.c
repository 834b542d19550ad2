/*
 * zap.c - a daemon's ZAP handler (ZeroMQ RFC 27) and the watch on its
 * ROUTER's handshakes.
 *
 * libzmq asks the handler, on inproc://zeromq.zap.01 in the daemon's
 * context, about every CURVE handshake on the ROUTER: the handler admits a
 * public key on the allow-list (not revoked) with status 200 and the key as
 * the connection's User-Id, which commit.c maps to the principal at every
 * request (so that a key revoked by a reload is refused on connections
 * already open too). Any other key gets 400.
 *
 * A refused handshake, and one that fails before the handler is asked
 * (another mechanism, a wrong server key), seen by the socket monitor, is
 * queued as an audit entry for the next turn. libzmq drops a connection
 * whose first bytes are not ZMTP (junk, an HTTP probe) without a handshake
 * event, so the monitor also follows each accepted connection by its fd: one
 * that closes before a single request came on it is audited too. A peer that
 * keeps retrying is audited once a minute per key and reason, with the
 * count, so that a loop cannot flood the audit table.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "daemon_int.h"
#include "log.h"
#include "xalloc.h"

#define ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define ZAP_REPEAT_MS 60000

/* Queues an audit entry for a refused connection, unless the same key and
 * reason were queued within the last minute (then it is counted). */
static void zap_refusal(daemon_t *d, const char *address, const char *key, const char *reason)
{
    int64_t now = clock_mono_ms();
    auth_refusal_t *slot = NULL, *oldest = &d->refusals[0];
    for (int i = 0; i < ZAP_RECENT; i++) {
        auth_refusal_t *r = &d->refusals[i];
        if (r->at_mono && !strcmp(r->key, key) && !strcmp(r->reason, reason)) {
            slot = r;
            break;
        }
        if (r->at_mono < oldest->at_mono) oldest = r;
    }
    log_warn("refused a connection from %s: %s", address[0] ? address : "?", reason);
    if (slot && now - slot->at_mono < ZAP_REPEAT_MS) {
        slot->repeats++;
        return;
    }
    if (!slot) slot = oldest;
    unsigned repeats = slot->repeats;
    memset(slot, 0, sizeof *slot);
    slot->at_mono = now;
    snprintf(slot->key, sizeof slot->key, "%s", key);
    snprintf(slot->reason, sizeof slot->reason, "%s", reason);
    if (d->n_pending_refusals == ZAP_PENDING_MAX) return;
    pending_refusal_t *p = &d->pending_refusals[d->n_pending_refusals++];
    p->at = clock_now_ms();
    snprintf(p->address, sizeof p->address, "%s", address);
    if (repeats)
        snprintf(p->detail, sizeof p->detail, "%s (and %u more times in the minute before)",
                 reason, repeats);
    else
        snprintf(p->detail, sizeof p->detail, "%s", reason);
    d->tick_due = 1; /* a turn soon writes it (commit.c calls zap_flush) */
}

/* Receives the frames of one ZAP request into parts (at most n); the
 * number received. */
static int zap_recv(void *s, zmq_msg_t *parts, int n)
{
    int got = 0, more = 1;
    while (more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, s, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            break;
        }
        more = zmq_msg_more(&m);
        if (got < n)
            zmq_msg_move(&parts[got++], &m);
        zmq_msg_close(&m);
    }
    return got;
}

static void zap_send(void *s, zmq_msg_t *request_id, const char *status, const char *text,
                     const char *user)
{
    zmq_send(s, "1.0", 3, ZMQ_SNDMORE);
    zmq_send(s, zmq_msg_data(request_id), zmq_msg_size(request_id), ZMQ_SNDMORE);
    zmq_send(s, status, strlen(status), ZMQ_SNDMORE);
    zmq_send(s, text, strlen(text), ZMQ_SNDMORE);
    zmq_send(s, user, strlen(user), ZMQ_SNDMORE);
    zmq_send(s, "", 0, 0);
}

static void zap_cb(zwatch_t *w)
{
    daemon_t *d = w->data;
    for (int round = 0; round < 64; round++) {
        zmq_msg_t parts[7];
        for (int i = 0; i < 7; i++) zmq_msg_init(&parts[i]);
        int n = zap_recv(d->zap, parts, 7);
        if (n == 0) break;
        char address[64] = "", key[KEYFILE_Z85_LEN + 1] = "", reason[200] = "";
        if (n >= 4)
            snprintf(address, sizeof address, "%.*s", (int)zmq_msg_size(&parts[3]),
                     (char *)zmq_msg_data(&parts[3]));
        const principal_t *p = NULL;
        if (n < 7 || zmq_msg_size(&parts[5]) != 5 || memcmp(zmq_msg_data(&parts[5]), "CURVE", 5)) {
            snprintf(reason, sizeof reason, "handshake without CURVE (plain or another mechanism)");
        } else if (zmq_msg_size(&parts[6]) != 32) {
            snprintf(reason, sizeof reason, "malformed CURVE credentials");
        } else {
            zmq_z85_encode(key, zmq_msg_data(&parts[6]), 32);
            p = principal_find_key(&d->sec.allow, key);
            if (!p)
                snprintf(reason, sizeof reason, "key %s is not on the allow-list", key);
            else if (p->revoked)
                snprintf(reason, sizeof reason, "key %s of %s was revoked", key, p->name);
        }
        if (n >= 2) {
            if (reason[0]) {
                zap_send(d->zap, &parts[1], "400", reason, "");
                zap_refusal(d, address, key, reason);
            } else {
                zap_send(d->zap, &parts[1], "200", "OK", key);
            }
        }
        for (int i = 0; i < 7; i++) zmq_msg_close(&parts[i]);
    }
}

static void zap_fd_mark(daemon_t *d, int fd, unsigned char state)
{
    if (fd < 0 || fd > 1 << 20) return;
    if (fd >= d->fd_cap) {
        int cap = d->fd_cap ? d->fd_cap : 256;
        while (cap <= fd) cap *= 2;
        d->fd_spoke = xrealloc(d->fd_spoke, (size_t)cap);
        memset(d->fd_spoke + d->fd_cap, 0, (size_t)(cap - d->fd_cap));
        d->fd_cap = cap;
    }
    d->fd_spoke[fd] = state;
}

void zap_spoke(daemon_t *d, int fd)
{
    if (fd >= 0 && fd < d->fd_cap && d->fd_spoke[fd]) d->fd_spoke[fd] = 2;
}

/* A connection closed: one accepted that never carried a request. */
static void zap_closed(daemon_t *d, int fd)
{
    if (fd < 0 || fd >= d->fd_cap) return;
    if (d->fd_spoke[fd] == 1)
        zap_refusal(d, "", "",
                    "a connection closed without a single request: junk bytes, a port scan, or "
                    "a refused handshake (see the entries around it)");
    d->fd_spoke[fd] = 0;
}

/* A handshake that failed before or outside the ZAP handler. */
static void zap_monitor_cb(zwatch_t *w)
{
    daemon_t *d = w->data;
    for (int round = 0; round < 64; round++) {
        zmq_msg_t ev, addr;
        zmq_msg_init(&ev);
        zmq_msg_init(&addr);
        if (zmq_msg_recv(&ev, d->monitor, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&ev);
            zmq_msg_close(&addr);
            break;
        }
        if (zmq_msg_more(&ev)) zmq_msg_recv(&addr, d->monitor, 0);
        if (zmq_msg_size(&ev) == 6) {
            uint16_t id;
            uint32_t value;
            memcpy(&id, zmq_msg_data(&ev), 2);
            memcpy(&value, (char *)zmq_msg_data(&ev) + 2, 4);
            const char *why =
                value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH
                    ? "handshake refused: a client without a CURVE key (plain ZeroMQ)"
                : value == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC ||
                        value == ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE
                    ? "handshake refused: CURVE that does not decrypt (the client has a wrong "
                      "server key)"
                    : "handshake refused: bytes that are not ZeroMQ (junk, or another program)";
            if (id == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) zap_refusal(d, "", "", why);
            if (id == ZMQ_EVENT_ACCEPTED) zap_fd_mark(d, (int)value, 1);
            if (id == ZMQ_EVENT_DISCONNECTED) zap_closed(d, (int)value);
        }
        zmq_msg_close(&ev);
        zmq_msg_close(&addr);
    }
}

int zap_start(daemon_t *d)
{
    if (!d->sec.on) return 0;
    d->zap = zmq_socket(d->zctx, ZMQ_REP);
    int zero = 0;
    zmq_setsockopt(d->zap, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_bind(d->zap, ZAP_ENDPOINT) < 0) {
        log_error("cannot bind the ZAP handler: %s", zmq_strerror(errno));
        return -1;
    }
    d->zap_watch.data = d;
    if (zwatch_start(&d->loop, &d->zap_watch, d->zap, zap_cb) < 0) return -1;
    if (zmq_socket_monitor(d->router, "inproc://legalaid-router-monitor",
                           ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_ACCEPTED |
                               ZMQ_EVENT_DISCONNECTED) < 0)
        return 0; /* the ZAP handler still audits refused keys */
    d->monitor = zmq_socket(d->zctx, ZMQ_PAIR);
    zmq_setsockopt(d->monitor, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_connect(d->monitor, "inproc://legalaid-router-monitor") < 0) return 0;
    d->monitor_watch.data = d;
    return zwatch_start(&d->loop, &d->monitor_watch, d->monitor, zap_monitor_cb);
}

void zap_close(daemon_t *d)
{
    if (d->zap) zwatch_close(&d->zap_watch, NULL);
    if (d->monitor) zwatch_close(&d->monitor_watch, NULL);
}

int zap_flush(daemon_t *d, MDB_txn *txn)
{
    for (int i = 0; i < d->n_pending_refusals; i++) {
        pending_refusal_t *p = &d->pending_refusals[i];
        Legalaid__AuditEntry e = LEGALAID__AUDIT_ENTRY__INIT;
        e.at = p->at;
        e.has_at = 1;
        e.principal = "-";
        e.action = "connect";
        e.code = LEGALAID__CODE__FORBIDDEN;
        e.has_code = 1;
        e.detail = p->detail;
        e.address = p->address;
        int rc = audit_append(d, txn, &e);
        if (rc) return rc;
    }
    return 0; /* commit_run empties the queue once the turn has committed */
}
