/*
 * notify-harness.h - notify as a process for the system, fault and
 * benchmark tests: a temporary directory, the loopback HTTP sink
 * (http-sink), the real legalaid-notify on ipc:// endpoints, and a stand-in
 * for dispatch's stream (a ROUTER that answers notify's fetches with the
 * events the test appends). Every process is started and stopped by its
 * pid, never by name.
 */
#ifndef LA_NOTIFY_HARNESS_H
#define LA_NOTIFY_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "legalaid.pb-c.h"
#include "sink.h"

typedef struct nh {
    char bin[512];
    char dir[512];
    char config[600];
    sink_t sink;
    pid_t notify_pid;
    void *zctx, *producer;
    uint8_t **frames; /* packed events of the stand-in stream, seq = index + 1 */
    size_t *lens, n_events, cap_events;
    int parked;       /* a fetch waits */
    void *parked_id;  /* its routing id (zmq_msg_t) */
    uint64_t parked_after;
    int remove_dir;   /* nh_teardown removes the directory (set after a success) */
} nh_t;

/* Makes the directory, starts the sink with sink_args (NULL-terminated
 * extra arguments) and binds the stand-in dispatch stream. 0 or -1. */
int nh_setup(nh_t *h, const char *bin, const char *const *sink_args);
/* Writes the configuration: every daemon's endpoint, and [notify] with
 * notify_keys (lines "key = value\n") after the sink's URL keys. */
int nh_write_config(nh_t *h, const char *notify_keys);
/* Starts legalaid-notify and waits until it answers a ping. 0 or -1. */
int nh_start(nh_t *h);
/* Starts legalaid-notify expecting it to exit (a bad configuration):
 * returns its exit status, or -1 when it still ran after timeout_ms (then
 * it is killed). */
int nh_run_to_exit(nh_t *h, int timeout_ms);
/* SIGKILLs notify and reaps it. */
void nh_kill(nh_t *h);
/* SIGTERMs notify; returns its exit status (0: a clean stop). */
int nh_stop(nh_t *h);
/* Stops everything; removes the directory only when remove_dir is set
 * (after a failure it stays for a look). */
void nh_teardown(nh_t *h);

/* Appends ev to the stand-in dispatch stream (seq and event_id set here). */
void nh_append(nh_t *h, Legalaid__Event *ev);
/* Answers notify's fetches for ms milliseconds. */
void nh_serve(nh_t *h, int ms);

/* One counter of notify's status (UINT64_MAX when it does not answer). */
uint64_t nh_counter(nh_t *h, const char *name);
/* Sends req to notify; the reply is malloc'ed (NULL on timeout). */
Legalaid__Reply *nh_call(nh_t *h, Legalaid__Request *req);
/* Sets notify's test clock; returns its new now. */
int64_t nh_clock(nh_t *h, int64_t set_ms);
/* Events of kind on notify's own stream (and how many of them breached,
 * for DeadlineDue). */
size_t nh_stream_count(nh_t *h, Legalaid__Event__BodyCase kind, size_t *breached);

/* Lines of the sink's log whose first word is what ("new", "dup", "fail")
 * and whose key contains part (NULL: any). */
size_t nh_sink_count(nh_t *h, const char *what, const char *part);
/* 1 when no key appears twice as "new" in the sink's log. */
int nh_sink_new_unique(nh_t *h);

#endif
