/*
 * outbound.c - the replies of a turn on their way out: queued while the
 * turn applies, discarded if it fails to commit, sent on the ROUTER (or
 * left for daemon_call in test mode) only after the commit. Also sends the
 * frames of an answered long-poll fetch (fetch.c). A send never blocks: a
 * reply that cannot go now is dropped, and the client's retry with the same
 * request_id gets the stored one.
 */
#include <errno.h>
#include <string.h>

#include "daemon_int.h"
#include "log.h"
#include "xalloc.h"

void outbound_add(daemon_t *d, zmq_msg_t *identity, int delimiter, buf_t *body)
{
    if (d->n_outbound == d->cap_outbound) {
        d->cap_outbound = d->cap_outbound ? d->cap_outbound * 2 : 64;
        d->outbound = xrealloc(d->outbound, (size_t)d->cap_outbound * sizeof *d->outbound);
    }
    outbound_t *o = &d->outbound[d->n_outbound++];
    zmq_msg_init(&o->identity);
    if (identity) zmq_msg_copy(&o->identity, identity);
    o->delimiter = delimiter;
    o->body = *body;
    memset(body, 0, sizeof *body);
}

int outbound_send_frames(daemon_t *d, zmq_msg_t *identity, int delimiter, buf_t *body)
{
    if (!d->router) return 0; /* test mode: daemon_call collects the outbound itself */
    zmq_msg_t id;
    zmq_msg_init(&id);
    zmq_msg_copy(&id, identity);
    if (zmq_msg_send(&id, d->router, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&id);
        return -errno;
    }
    if (delimiter && zmq_send(d->router, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) return -errno;
    if (zmq_send(d->router, body->data, body->len, ZMQ_DONTWAIT) < 0) return -errno;
    return 0;
}

void outbound_send_all(daemon_t *d)
{
    if (!d->router) return;
    for (int i = 0; i < d->n_outbound; i++) {
        outbound_t *o = &d->outbound[i];
        int rc = outbound_send_frames(d, &o->identity, o->delimiter, &o->body);
        if (rc == -EHOSTUNREACH)
            log_debug("reply dropped: the peer is gone (a retry gets the stored reply)");
        else if (rc < 0)
            log_warn("reply dropped: %s (a retry gets the stored reply)", zmq_strerror(-rc));
        zmq_msg_close(&o->identity);
        buf_free(&o->body);
    }
    d->n_outbound = 0;
    zwatch_kick(&d->router_watch);
}

void outbound_discard(daemon_t *d)
{
    for (int i = 0; i < d->n_outbound; i++) {
        zmq_msg_close(&d->outbound[i].identity);
        buf_free(&d->outbound[i].body);
    }
    d->n_outbound = 0;
}
