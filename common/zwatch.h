/*
 * zwatch.h - a ZeroMQ socket watched by a libuv loop.
 *
 * ZMQ_FD is edge-triggered: it signals a change of state, not the presence
 * of messages, and only reading ZMQ_EVENTS re-arms it. So the watcher
 * re-reads ZMQ_EVENTS after every wake-up, and the owner must call
 * zwatch_kick() after every send or receive it does outside the callback.
 * While the socket stays readable the watcher keeps an idle handle
 * running, so the callback is called again on the next loop iteration even
 * though nothing else wakes the loop: a callback may therefore drain at most
 * a bounded number of messages per call (a fair share of one loop turn)
 * without losing the rest.
 */
#ifndef LA_ZWATCH_H
#define LA_ZWATCH_H

#include <stdbool.h>
#include <uv.h>

typedef struct zwatch zwatch_t;
typedef void (*zwatch_cb)(zwatch_t *w);

struct zwatch {
    uv_poll_t poll;
    uv_idle_t idle;
    void *socket;
    zwatch_cb cb;
    void *data;       /* the owner's */
    int closing;      /* handles still to close */
    void (*close_cb)(zwatch_t *w);
};

/* Starts watching socket (not owned). cb is called while it is readable. */
int zwatch_start(uv_loop_t *loop, zwatch_t *w, void *socket, zwatch_cb cb);

/* True when the socket has a message to read (reads ZMQ_EVENTS). */
bool zwatch_readable(zwatch_t *w);

/* Re-reads ZMQ_EVENTS after a send or receive done outside the callback,
 * and schedules the callback if messages are waiting. */
void zwatch_kick(zwatch_t *w);

/* Stops and closes the handles; close_cb (may be NULL) runs once both are
 * closed. The socket is not closed. */
void zwatch_close(zwatch_t *w, void (*close_cb)(zwatch_t *w));

#endif
