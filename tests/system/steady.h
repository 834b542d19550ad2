/*
 * steady.h - la-system --steady: the system as it stands between the
 * runs of a working centre, so that what it keeps is measured in steady
 * state (issue 16, point 3) and not with every message and deadline of
 * the run still open. Notify delivers to a loopback HTTP sink standing in
 * for the SMS gateway and the agencies' webhooks (no message waits in the
 * outbox), and the lawyers' desk signs each agreement as its case is
 * assigned (程序规定 art. 27: the agreement deadline is met, its timer
 * gone). steady_wait then waits until the outbox has drained, and
 * steady_age moves the clocks past the logs' retention.
 */
#ifndef LA_SYSTEM_STEADY_H
#define LA_SYSTEM_STEADY_H

#include "procs.h"
#include "sink.h"

typedef struct steady {
    sink_t sink;
    char lines[1024]; /* notify's routes to the sink (procs' notify_lines) */
} steady_t;

/* Starts the sink in p->dir and points notify's routes at it (before
 * procs_write_config). 0 or -1. */
int steady_start(steady_t *s, procs_t *p);
/* Waits until notify's outbox holds nothing waiting to be delivered (no
 * pending, retrying or contact-less message), twice in a row, for at most
 * timeout_ms; prints what was delivered and what stayed, a line starting
 * with prefix. Drained: no message waiting, notify's count of delivered
 * messages the sink's and (aged: after steady_age) none of notify's
 * deadline timers still pending (an overdue one is counted apart). 0, or
 * -1 when it did not drain in time or a message is unrouted or dead. */
int steady_wait(steady_t *s, procs_t *p, const char *prefix, int timeout_ms, int aged);
/* Moves every daemon's clock days on (more than stream_keep_days), as if
 * the centre had run that long after the run, and waits (timeout_ms)
 * until no stream log keeps an event from before (but its newest, which
 * a log always keeps): the logs trimmed. The stored replies are forgotten
 * on the same ticks (not waited for); the deadlines that fell due are acted
 * on meanwhile (steady_wait with aged waits for them). Prints
 * a line starting with prefix. 0, or -1 when the logs were not trimmed. */
int steady_age(steady_t *s, procs_t *p, int days, const char *prefix, int timeout_ms);
/* Stops the sink. */
void steady_stop(steady_t *s);

#endif
