/*
 * client.c - see client.h.
 */
#include "client.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "clock.h"
#include "keyfile.h"
#include "xalloc.h"

struct client {
    void *ctx;
    void *socket;
    char *endpoint;
    int resend_ms, deadline_ms;
    size_t max_frame; /* 0: no limit known */
    int curve;        /* client_set_curve: connect as a CURVE client */
    char server_key[KEYFILE_Z85_LEN + 1];
    keypair_t self;
    void *monitor; /* PAIR on the socket's monitor: a refused handshake */
    int pace;      /* client_pace: requests a second, 0: as the window allows */
};

static int client_monitor_seq;

static client_t *client_start(client_t *c);
static client_t *client_alloc(const char *endpoint, int resend_ms, int deadline_ms);

static int client_connect(client_t *c)
{
    c->socket = zmq_socket(c->ctx, ZMQ_DEALER);
    if (!c->socket) return -errno;
    int zero = 0, hwm = 100000;
    zmq_setsockopt(c->socket, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(c->socket, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(c->socket, ZMQ_RCVHWM, &hwm, sizeof hwm);
    if (c->curve) {
        if (zmq_setsockopt(c->socket, ZMQ_CURVE_SERVERKEY, c->server_key, KEYFILE_Z85_LEN) < 0 ||
            zmq_setsockopt(c->socket, ZMQ_CURVE_PUBLICKEY, c->self.public_z85, KEYFILE_Z85_LEN) < 0 ||
            zmq_setsockopt(c->socket, ZMQ_CURVE_SECRETKEY, c->self.secret_z85, KEYFILE_Z85_LEN) < 0)
            return -errno;
        /* The daemon's ZAP handler answers a key it does not admit with 400:
         * the monitor sees it, so the caller hears "refused", not silence. */
        char ep[64];
        snprintf(ep, sizeof ep, "inproc://client-monitor-%d", ++client_monitor_seq);
        if (zmq_socket_monitor(c->socket, ep, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) == 0) {
            c->monitor = zmq_socket(c->ctx, ZMQ_PAIR);
            zmq_setsockopt(c->monitor, ZMQ_LINGER, &zero, sizeof zero);
            if (zmq_connect(c->monitor, ep) < 0) {
                zmq_close(c->monitor);
                c->monitor = NULL;
            }
        }
    }
    if (zmq_connect(c->socket, c->endpoint) < 0) return -errno;
    return 0;
}

static void client_disconnect(client_t *c)
{
    if (c->monitor) {
        zmq_socket_monitor(c->socket, NULL, 0);
        zmq_close(c->monitor);
        c->monitor = NULL;
    }
    if (c->socket) zmq_close(c->socket);
    c->socket = NULL;
}

client_t *client_new_curve(const char *endpoint, const char *server_public,
                           const keypair_t *self, int resend_ms, int deadline_ms)
{
    client_t *c = client_alloc(endpoint, resend_ms, deadline_ms);
    if (!c) return NULL;
    c->curve = 1;
    snprintf(c->server_key, sizeof c->server_key, "%s", server_public);
    c->self = *self;
    return client_start(c);
}

/* True when the monitor reports that the daemon refused our key. */
static int client_refused(client_t *c)
{
    if (!c->monitor) return 0;
    int refused = 0;
    zmq_msg_t m;
    zmq_msg_init(&m);
    while (zmq_msg_recv(&m, c->monitor, ZMQ_DONTWAIT) >= 0) {
        if (zmq_msg_size(&m) == 6) {
            uint16_t ev;
            memcpy(&ev, zmq_msg_data(&m), 2);
            if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) refused = 1;
        }
        zmq_msg_close(&m);
        zmq_msg_init(&m);
    }
    zmq_msg_close(&m);
    return refused;
}

static client_t *client_alloc(const char *endpoint, int resend_ms, int deadline_ms)
{
    if (sodium_init() < 0) return NULL;
    client_t *c = xcalloc(1, sizeof *c);
    c->ctx = zmq_ctx_new();
    c->endpoint = xstrdup(endpoint);
    c->resend_ms = resend_ms;
    c->deadline_ms = deadline_ms;
    return c;
}

client_t *client_new(const char *endpoint, int resend_ms, int deadline_ms)
{
    client_t *c = client_alloc(endpoint, resend_ms, deadline_ms);
    return c ? client_start(c) : NULL;
}

static client_t *client_start(client_t *c)
{
    if (client_connect(c) < 0) {
        client_destroy(&c);
        errno = EINVAL;
        return NULL;
    }
    return c;
}

void client_destroy(client_t **cp)
{
    client_t *c = *cp;
    if (!c) return;
    client_disconnect(c);
    zmq_ctx_term(c->ctx);
    free(c->endpoint);
    free(c);
    *cp = NULL;
}

void client_set_max_frame(client_t *c, size_t max_frame)
{
    c->max_frame = max_frame;
}

/* Answers a frame over the max frame without sending it: TOO_LARGE. */
static void client_refuse_large(const client_t *c, size_t len, char *request_id, client_reply_cb cb,
                                void *ctx, size_t index)
{
    char msg[300];
    snprintf(msg, sizeof msg,
             "a request of %zu bytes is larger than the daemon accepts (max_frame_bytes=%zu): "
             "not sent, nothing was applied (请求过大, 未发送, 未生效)",
             len, c->max_frame);
    Legalaid__Reply r = LEGALAID__REPLY__INIT;
    r.request_id = request_id;
    r.has_code = 1;
    r.code = LEGALAID__CODE__TOO_LARGE;
    r.error = msg;
    cb(ctx, index, &r);
}

void client_request_id(char out[33])
{
    /* [ms: 6 bytes][sequence: 2 bytes], big-endian, then 8 random bytes,
     * in hex: a process's ids sort in the order it made them, by time and
     * within a millisecond, so a daemon keeps a turn's replies in its
     * "replies" tree's last leaf and prunes them from its first
     * (replies.h), where random ids put every reply and every pruning in a
     * leaf of its own (issue 16). The stamp only goes up, even when the
     * clock is set back. 64 random bits keep them past guessing (another
     * party's id would take about 2^63 tries: replies.h). */
    static uint64_t last;
    uint64_t now = (uint64_t)clock_now_ms() << 16, was = __atomic_load_n(&last, __ATOMIC_RELAXED),
             stamp;
    do
        stamp = now > was ? now : was + 1;
    while (!__atomic_compare_exchange_n(&last, &was, stamp, 0, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED));
    unsigned char raw[16];
    for (int i = 7; i >= 0; i--, stamp >>= 8) raw[i] = (unsigned char)stamp;
    randombytes_buf(raw + 8, sizeof raw - 8);
    sodium_bin2hex(out, 33, raw, sizeof raw);
}

/* Packs any message into out (replacing what out held). */
static void client_pack_message(const ProtobufCMessage *m, buf_t *out)
{
    size_t len = protobuf_c_message_get_packed_size(m);
    out->len = 0;
    buf_reserve(out, len);
    protobuf_c_message_pack(m, out->data);
    out->len = len;
}

void client_pack(const Legalaid__Request *req, buf_t *out)
{
    client_pack_message(&req->base, out);
}

void client_pack_reply(const Legalaid__Reply *r, buf_t *out)
{
    client_pack_message(&r->base, out);
}

/* In-flight requests by request_id: open addressing over indexes. */
typedef struct slot_table {
    long *slots; /* index into the pipeline, -1 empty, -2 deleted */
    size_t size;
} slot_table_t;

static size_t slot_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (size_t)h;
}

static void slot_put(slot_table_t *t, char *const *ids, long index)
{
    size_t h = slot_hash(ids[index], strlen(ids[index])) & (t->size - 1);
    while (t->slots[h] >= 0) h = (h + 1) & (t->size - 1);
    t->slots[h] = index;
}


static long slot_take(slot_table_t *t, char *const *ids, const char *id)
{
    if (!id) return -1;
    size_t len = strlen(id);
    size_t h = slot_hash(id, len) & (t->size - 1);
    for (size_t probes = 0; probes < t->size && t->slots[h] != -1; probes++) {
        long i = t->slots[h];
        if (i >= 0 && strcmp(ids[i], id) == 0) {
            t->slots[h] = -2;
            return i;
        }
        h = (h + 1) & (t->size - 1);
    }
    return -1;
}

/* A reply that says "try again" (storage trouble, a failed turn): the
 * request is resent with the same request_id, like a lost one. */
static int client_reply_final(const Legalaid__Reply *r)
{
    return !r->has_code ||
           (r->code != LEGALAID__CODE__UNAVAILABLE && r->code != LEGALAID__CODE__INTERNAL);
}

void client_pace(client_t *c, int per_second)
{
    c->pace = per_second > 0 ? per_second : 0;
}

int client_pipeline(client_t *c, const buf_t *frames, char *const *request_ids, size_t n,
                    size_t window, client_reply_cb cb, void *ctx)
{
    if (window == 0) window = 1;
    slot_table_t table = {NULL, 16};
    while (table.size < window * 4) table.size *= 2;
    table.slots = xmalloc(table.size * sizeof *table.slots);
    for (size_t i = 0; i < table.size; i++) table.slots[i] = -1;
    int64_t *sent_at = xcalloc(n ? n : 1, sizeof *sent_at);
    int64_t *first_sent = xcalloc(n ? n : 1, sizeof *first_sent);
    unsigned char *done = xcalloc(n ? n : 1, 1);
    /* The last "nothing was written" reply of each request still retried
     * (packed): what it gets at the deadline instead of silence. */
    buf_t *unwritten = xcalloc(n ? n : 1, sizeof *unwritten);
    size_t next = 0, answered = 0, inflight = 0;
    /* The last sign of life of the connection: a reply, or its creation. */
    int64_t alive_at = clock_mono_ms(), began = alive_at;
    int rc = 0;

    while (answered < n) {
        int64_t now = clock_mono_ms();
        while (inflight < window && next < n) {
            if (c->pace > 0 && now < began + (int64_t)next * 1000 / c->pace) break; /* not due */
            if (c->max_frame && frames[next].len > c->max_frame) {
                done[next] = 1;
                answered++;
                client_refuse_large(c, frames[next].len, request_ids[next], cb, ctx, next);
                next++;
                continue;
            }
            zmq_send(c->socket, frames[next].data, frames[next].len, 0);
            sent_at[next] = first_sent[next] = now;
            slot_put(&table, request_ids, (long)next);
            next++;
            inflight++;
        }
        if (answered == n) break; /* the last ones were too large to send */
        zmq_pollitem_t items[2] = {{c->socket, 0, ZMQ_POLLIN, 0}, {c->monitor, 0, ZMQ_POLLIN, 0}};
        long wait_ms = 50;
        if (c->pace > 0 && next < n && inflight < window) {
            int64_t due = began + (int64_t)next * 1000 / c->pace - clock_mono_ms();
            wait_ms = due < 0 ? 0 : due < wait_ms ? (long)due : wait_ms;
        }
        int prc = zmq_poll(items, c->monitor ? 2 : 1, wait_ms);
        if (prc < 0 && errno != EINTR) {
            rc = -errno;
            break;
        }
        if (c->monitor && (items[1].revents & ZMQ_POLLIN) && client_refused(c)) {
            rc = -EACCES;
            break;
        }
        zmq_pollitem_t item = items[0];
        while (item.revents & ZMQ_POLLIN) {
            zmq_msg_t msg;
            zmq_msg_init(&msg);
            if (zmq_msg_recv(&msg, c->socket, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&msg);
                break;
            }
            alive_at = clock_mono_ms();
            Legalaid__Reply *reply =
                legalaid__reply__unpack(NULL, zmq_msg_size(&msg), zmq_msg_data(&msg));
            zmq_msg_close(&msg);
            if (!reply) continue;
            long i = slot_take(&table, request_ids, reply->request_id);
            if (i >= 0 && !done[i]) {
                if (client_reply_final(reply)) {
                    done[i] = 1;
                    answered++;
                    inflight--;
                    cb(ctx, (size_t)i, reply);
                } else {
                    if (reply->has_nothing_written && reply->nothing_written)
                        client_pack_reply(reply, &unwritten[i]);
                    slot_put(&table, request_ids, i); /* resent after resend_ms */
                }
            }
            legalaid__reply__free_unpacked(reply, NULL);
        }
        now = clock_mono_ms();
        /* Resend the silent ones (same request_id: the daemon dedupes). */
        int reconnected = 0;
        for (size_t i = 0; i < next; i++) {
            if (done[i] || now - sent_at[i] < c->resend_ms) continue;
            if (now - first_sent[i] > c->deadline_ms && unwritten[i].len) {
                /* The daemon said it wrote nothing (a full disk): that is
                 * the answer, not "not known whether it went in". */
                Legalaid__Reply *said =
                    legalaid__reply__unpack(NULL, unwritten[i].len, unwritten[i].data);
                slot_take(&table, request_ids, request_ids[i]);
                done[i] = 1;
                answered++;
                inflight--;
                if (said) {
                    cb(ctx, i, said);
                    legalaid__reply__free_unpacked(said, NULL);
                }
                continue;
            }
            if (now - first_sent[i] > c->deadline_ms) {
                rc = -ETIMEDOUT;
                break;
            }
            if (!reconnected && now - alive_at >= c->resend_ms) {
                /* Nothing at all came back for a while: perhaps the daemon
                 * restarted; start a fresh connection. A merely slow reply
                 * keeps the connection, so other replies are not lost. */
                client_disconnect(c);
                client_connect(c);
                alive_at = now;
                reconnected = 1;
            }
            zmq_send(c->socket, frames[i].data, frames[i].len, 0);
            sent_at[i] = now;
        }
        if (rc) break;
    }
    for (size_t i = 0; i < n; i++) buf_free(&unwritten[i]);
    free(unwritten);
    free(table.slots);
    free(sent_at);
    free(first_sent);
    free(done);
    return rc;
}

typedef struct call_ctx {
    Legalaid__Reply *reply;
} call_ctx_t;

static void client_call_cb(void *ctx, size_t index, const Legalaid__Reply *reply)
{
    (void)index;
    call_ctx_t *cc = ctx;
    /* Re-pack to hand the caller a reply it owns. */
    size_t len = legalaid__reply__get_packed_size(reply);
    unsigned char *tmp = xmalloc(len ? len : 1);
    legalaid__reply__pack(reply, tmp);
    cc->reply = legalaid__reply__unpack(NULL, len, tmp);
    free(tmp);
}

int client_call(client_t *c, Legalaid__Request *req, Legalaid__Reply **reply)
{
    char id[33];
    if (!req->request_id) {
        client_request_id(id);
        req->request_id = id;
    }
    buf_t frame = {0};
    client_pack(req, &frame);
    char *ids[1] = {req->request_id};
    call_ctx_t cc = {NULL};
    int rc = client_pipeline(c, &frame, ids, 1, 1, client_call_cb, &cc);
    buf_free(&frame);
    if (req->request_id == id) req->request_id = NULL;
    if (rc == 0 && !cc.reply) rc = -EBADMSG;
    *reply = cc.reply;
    return rc;
}
