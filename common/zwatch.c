/*
 * zwatch.c - see zwatch.h.
 */
#include "zwatch.h"

#include <zmq.h>

#include "log.h"

bool zwatch_readable(zwatch_t *w)
{
    int events = 0;
    size_t len = sizeof events;
    if (zmq_getsockopt(w->socket, ZMQ_EVENTS, &events, &len) != 0) return false;
    return (events & ZMQ_POLLIN) != 0;
}

static void zwatch_idle_cb(uv_idle_t *idle);

void zwatch_kick(zwatch_t *w)
{
    if (w->closing) return;
    if (zwatch_readable(w)) {
        if (!uv_is_active((uv_handle_t *)&w->idle)) uv_idle_start(&w->idle, zwatch_idle_cb);
    } else {
        uv_idle_stop(&w->idle);
    }
}

static void zwatch_idle_cb(uv_idle_t *idle)
{
    zwatch_t *w = idle->data;
    if (zwatch_readable(w)) w->cb(w);
    zwatch_kick(w);
}

static void zwatch_poll_cb(uv_poll_t *poll, int status, int events)
{
    (void)events;
    zwatch_t *w = poll->data;
    if (status < 0) log_warn("zmq fd poll: %s", uv_strerror(status));
    /* Reading ZMQ_EVENTS consumes the edge; the idle handle does the work. */
    if (zwatch_readable(w)) {
        w->cb(w);
    }
    zwatch_kick(w);
}

int zwatch_start(uv_loop_t *loop, zwatch_t *w, void *socket, zwatch_cb cb)
{
    int fd;
    size_t len = sizeof fd;
    if (zmq_getsockopt(socket, ZMQ_FD, &fd, &len) != 0) return -1;
    w->socket = socket;
    w->cb = cb;
    w->closing = 0;
    w->close_cb = NULL;
    int rc = uv_poll_init(loop, &w->poll, fd);
    if (rc) return rc;
    uv_idle_init(loop, &w->idle);
    w->poll.data = w;
    w->idle.data = w;
    rc = uv_poll_start(&w->poll, UV_READABLE, zwatch_poll_cb);
    if (rc) return rc;
    /* Messages may already be queued: the edge for them has passed. */
    zwatch_kick(w);
    return 0;
}

static void zwatch_closed_cb(uv_handle_t *h)
{
    zwatch_t *w = h->data;
    if (--w->closing == 1 && w->close_cb) w->close_cb(w);
}

void zwatch_close(zwatch_t *w, void (*close_cb)(zwatch_t *w))
{
    w->close_cb = close_cb;
    w->closing = 3; /* two handles to close; stays non-zero once closed */
    uv_close((uv_handle_t *)&w->poll, zwatch_closed_cb);
    uv_close((uv_handle_t *)&w->idle, zwatch_closed_cb);
}
