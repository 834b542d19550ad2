/*
 * notify_deliver.h - the attempts, outside every write transaction: a pump
 * on the daemon's libuv loop reads the due outbox rows (read-only
 * transaction), posts each to the SMS gateway or a webhook through
 * libcurl's multi-socket interface (uv_poll + uv_timer: never blocking the
 * loop), or writes it to the spool directory, and queues each outcome; the
 * service's tick settles the queued outcomes in a write turn
 * (notify_outbox_settle). Until its outcome is settled a notification is
 * "in flight" and not attempted again.
 *
 * Every attempt carries the notification's idempotency key, in the
 * Idempotency-Key header and in the JSON body, so a gateway that saw a
 * first attempt whose answer was lost (timeout, crash) drops the repeat.
 */
#ifndef LA_NOTIFY_DELIVER_H
#define LA_NOTIFY_DELIVER_H

#include <stddef.h>
#include <stdint.h>

#include "daemon.h"

/* start/stop hooks of the service: set up and tear down the pump and the
 * HTTP client on loop (a uv_loop_t *). */
int notify_deliver_start(daemon_t *d, void *loop);
void notify_deliver_stop(daemon_t *d);

typedef struct notify_outcome {
    uint64_t id;
    int ok;
    char error[160];
} notify_outcome_t;

/* Takes up to max queued outcomes (the tick settles them); their
 * notifications leave the in-flight set. Returns how many. */
size_t notify_deliver_take(notify_outcome_t *out, size_t max);

/* Queues an outcome as an attempt would (tests, without a loop). */
void notify_deliver_inject(uint64_t id, int ok, const char *error);

#endif
