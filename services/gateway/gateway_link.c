/*
 * gateway_link.c - the gateway as a client of the five daemons, on the
 * loop: one DEALER per daemon (a CURVE client under the gateway's own key
 * when security is on), calls matched to replies by request_id, a timer
 * that resends the silent ones (the same request_id: a daemon that
 * restarted answers with its stored first reply and changes nothing twice)
 * and gives up at each call's deadline. Nothing here blocks: a daemon that
 * is down costs its callers their deadline, and no one else anything.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "client.h"
#include "clock.h"
#include "config.h"
#include "gateway_int.h"
#include "la_limits.h"
#include "log.h"
#include "security.h"
#include "xalloc.h"
#include "zwatch.h"

const char *const gateway_link_names[GW_NDAEMONS] = {"intake", "eligibility", "dispatch", "roster",
                                                     "notify"};

#define GATEWAY_LINK_RESEND_MS 1000
#define GATEWAY_LINK_TIMER_MS 50

typedef struct gateway_call {
    char id[LA_REQUEST_ID_MAX + 1];
    int daemon;
    buf_t frame;
    int64_t deadline_mono, resend_mono;
    int resend;
    gateway_link_cb cb;
    void *ctx;
    struct gateway_call *next;
} gateway_call_t;

typedef struct gateway_peer {
    char endpoint[512];
    void *socket;
    zwatch_t watch;
    int watching;
} gateway_peer_t;

static gateway_peer_t gateway_link_peers[GW_NDAEMONS];
static gateway_call_t *gateway_link_calls;
static size_t gateway_link_n;
static uv_timer_t gateway_link_timer;
static int gateway_link_timer_on;

static void gateway_link_send(gateway_call_t *c)
{
    gateway_peer_t *p = &gateway_link_peers[c->daemon];
    if (!p->socket) return;
    if (zmq_send(p->socket, c->frame.data, c->frame.len, ZMQ_DONTWAIT) < 0)
        log_debug("request to %s not sent now (%s); sent again in a second",
                  gateway_link_names[c->daemon], zmq_strerror(errno));
    zwatch_kick(&p->watch);
}

/* Takes c off the list and calls its callback once. */
static void gateway_link_finish(gateway_call_t *c, const Legalaid__Reply *reply)
{
    for (gateway_call_t **pp = &gateway_link_calls; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    gateway_link_n--;
    c->cb(c->ctx, reply);
    buf_free(&c->frame);
    free(c);
}

static gateway_call_t *gateway_link_find(const char *id)
{
    for (gateway_call_t *c = gateway_link_calls; c; c = c->next)
        if (strcmp(c->id, id) == 0) return c;
    return NULL;
}

static void gateway_link_readable(zwatch_t *w)
{
    gateway_peer_t *p = w->data;
    for (int i = 0; i < 256; i++) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, p->socket, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            break;
        }
        Legalaid__Reply *r = legalaid__reply__unpack(NULL, zmq_msg_size(&m), zmq_msg_data(&m));
        zmq_msg_close(&m);
        if (!r) {
            log_warn("a reply that does not decode came from %s; dropped", p->endpoint);
            continue;
        }
        gateway_call_t *c = r->request_id ? gateway_link_find(r->request_id) : NULL;
        int temporary = r->has_code && (r->code == LEGALAID__CODE__UNAVAILABLE ||
                                        r->code == LEGALAID__CODE__INTERNAL);
        if (c && temporary && c->resend) {
            c->resend_mono = clock_mono_ms() + GATEWAY_LINK_RESEND_MS; /* try again */
        } else if (c) {
            gateway_link_finish(c, r);
        }
        legalaid__reply__free_unpacked(r, NULL);
    }
}

static void gateway_link_tick(uv_timer_t *h)
{
    (void)h;
    int64_t now = clock_mono_ms();
    gateway_call_t *c = gateway_link_calls;
    while (c) {
        gateway_call_t *next = c->next;
        if (now >= c->deadline_mono) {
            gateway_link_finish(c, NULL);
        } else if (c->resend && now >= c->resend_mono) {
            c->resend_mono = now + GATEWAY_LINK_RESEND_MS;
            gateway_link_send(c);
        }
        c = next;
    }
}

/* A fresh DEALER for peer i (also after a daemon restarts: ZeroMQ
 * reconnects by itself, the socket stays). */
static int gateway_link_open(daemon_t *d, uv_loop_t *loop, int i)
{
    gateway_peer_t *p = &gateway_link_peers[i];
    char err[600];
    p->socket = zmq_socket(daemon_zmq_context(d), ZMQ_DEALER);
    if (!p->socket) return -1;
    int linger = 0, hwm = 100000;
    zmq_setsockopt(p->socket, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(p->socket, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(p->socket, ZMQ_RCVHWM, &hwm, sizeof hwm);
    if (security_client(daemon_security(d), p->socket, gateway_link_names[i], err, sizeof err)) {
        log_error("[gateway] cannot be a client of %s: %s", gateway_link_names[i], err);
        return -1;
    }
    if (zmq_connect(p->socket, p->endpoint) != 0) {
        log_error("[gateway] cannot connect to %s at %s: %s", gateway_link_names[i], p->endpoint,
                  zmq_strerror(errno));
        return -1;
    }
    if (zwatch_start(loop, &p->watch, p->socket, gateway_link_readable)) return -1;
    p->watch.data = p;
    p->watching = 1;
    return 0;
}

int gateway_link_start(daemon_t *d, uv_loop_t *loop)
{
    for (int i = 0; i < GW_NDAEMONS; i++) {
        gateway_peer_t *p = &gateway_link_peers[i];
        if (config_lookup(daemon_config_path(d), gateway_link_names[i], "endpoint", p->endpoint,
                          sizeof p->endpoint) != 0 ||
            !p->endpoint[0]) {
            log_warn("[%s] has no endpoint: the gateway cannot reach %s", gateway_link_names[i],
                     gateway_link_names[i]);
            p->endpoint[0] = 0;
            continue;
        }
        if (gateway_link_open(d, loop, i)) return -1;
        log_info("gateway reaches %s at %s", gateway_link_names[i], p->endpoint);
    }
    uv_timer_init(loop, &gateway_link_timer);
    uv_timer_start(&gateway_link_timer, gateway_link_tick, GATEWAY_LINK_TIMER_MS,
                   GATEWAY_LINK_TIMER_MS);
    gateway_link_timer_on = 1;
    return 0;
}

void gateway_link_stop(void)
{
    while (gateway_link_calls) gateway_link_finish(gateway_link_calls, NULL);
    if (gateway_link_timer_on) uv_close((uv_handle_t *)&gateway_link_timer, NULL);
    gateway_link_timer_on = 0;
    for (int i = 0; i < GW_NDAEMONS; i++) {
        gateway_peer_t *p = &gateway_link_peers[i];
        if (p->watching) zwatch_close(&p->watch, NULL);
        if (p->socket) zmq_close(p->socket);
        p->socket = NULL;
        p->watching = 0;
    }
}

int gateway_link_configured(int daemon)
{
    return gateway_link_peers[daemon].socket != NULL;
}

size_t gateway_link_waiting(void)
{
    return gateway_link_n;
}

void gateway_link_call(int daemon, Legalaid__Request *req, int deadline_ms, int resend,
                       gateway_link_cb cb, void *ctx)
{
    if (!gateway_link_peers[daemon].socket) {
        cb(ctx, NULL);
        return;
    }
    gateway_call_t *c = xcalloc(1, sizeof *c);
    if (req->request_id && req->request_id[0])
        snprintf(c->id, sizeof c->id, "%s", req->request_id);
    else
        client_request_id(c->id);
    char *was = req->request_id;
    req->request_id = c->id;
    client_pack(req, &c->frame);
    req->request_id = was;
    int64_t now = clock_mono_ms();
    c->daemon = daemon;
    c->deadline_mono = now + deadline_ms;
    c->resend_mono = now + GATEWAY_LINK_RESEND_MS;
    c->resend = resend;
    c->cb = cb;
    c->ctx = ctx;
    c->next = gateway_link_calls;
    gateway_link_calls = c;
    gateway_link_n++;
    gateway_link_send(c);
}
