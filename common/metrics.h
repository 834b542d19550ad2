/*
 * metrics.h - what a daemon counts in memory for the exporter (the
 * gateway's /metrics): requests by type and result, the size of each
 * group-commit turn and how long its commit (fsync) took, and the domain's
 * own durations (time to decide, time to assign) as histograms.
 *
 * A turn's figures are pending until it commits: metrics_settle() adds
 * them when the commit succeeded, and counts its requests as unavailable
 * when it failed, so a request rolled back is never counted as done.
 */
#ifndef LA_METRICS_H
#define LA_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "legalaid.pb-c.h"

#define METRICS_BODIES 256 /* Request body field numbers below this */
#define METRICS_CODES 10   /* Code values 0..9 */
#define METRICS_BOUNDS_MAX 16
#define METRICS_DOMAIN_MAX 8

typedef struct metrics_hist {
    const char *name;
    const double *bounds;
    int n_bounds;
    uint64_t counts[METRICS_BOUNDS_MAX + 1];
    double sum;
    uint64_t count;
} metrics_hist_t;

typedef struct metrics_pending_request {
    uint16_t body, code;
} metrics_pending_request_t;

typedef struct metrics_pending_obs {
    const char *name; /* a literal */
    double value;
} metrics_pending_obs_t;

typedef struct metrics {
    uint64_t requests[METRICS_BODIES][METRICS_CODES];
    metrics_hist_t turn_size, commit_seconds;
    metrics_hist_t domain[METRICS_DOMAIN_MAX];
    int n_domain;
    metrics_pending_request_t *pend_req;
    size_t n_pend_req, cap_pend_req;
    metrics_pending_obs_t *pend_obs;
    size_t n_pend_obs, cap_pend_obs;
    int64_t started_at;
    uint64_t turns;
    uint64_t turns_redone; /* run again, a child transaction per message (commit.c) */
} metrics_t;

void metrics_init(metrics_t *m, int64_t now_ms);
void metrics_free(metrics_t *m);

/* A request of the turn being applied answered with code (pending). */
void metrics_request(metrics_t *m, int body_case, int code);
/* A domain duration in seconds, under name (a literal: "decision_seconds",
 * "assign_seconds"; its buckets are chosen by name), pending. */
void metrics_observe(metrics_t *m, const char *name, double seconds);
/* Ends a turn of size messages: committed, its figures count (and the
 * commit's duration in seconds); not committed, its requests count as
 * unavailable and its observations are dropped. */
void metrics_settle(metrics_t *m, int committed, size_t size, double commit_seconds);
/* Drops what is pending (a turn run again after the map grew). */
void metrics_discard(metrics_t *m);
/* A turn runs again because a message failed after it wrote (commit.c). */
void metrics_redone(metrics_t *m);

/* Adds one observation to h (for the exporter's own histograms too). */
void metrics_hist_observe(metrics_hist_t *h, double v);

/* The Metrics reply body (status left to the caller), in arena a. */
Legalaid__Metrics *metrics_reply(const metrics_t *m, arena_t *a);

#endif
