/*
 * turns.h - how each daemon of a system run turned: its group-commit
 * turns, the commits among them, the requests and batches a commit took,
 * and how long its commits (each an fsync) held its loop, read from the
 * daemons' own Metrics. la-system --bench prints them beside the latency,
 * to say whether a hop's time went to waiting for the disk or to work
 * (issue 16).
 */
#ifndef LA_SYSTEM_TURNS_H
#define LA_SYSTEM_TURNS_H

#include <stdint.h>

#include "procs.h"

typedef struct turns {
    uint64_t commits[PROCS_N]; /* turns that committed (one that wrote nothing too) */
    double commit_s[PROCS_N];  /* seconds spent in those commits */
    double items[PROCS_N];     /* requests and fetched batches those turns took */
    uint64_t redone[PROCS_N];  /* turns run again, a child transaction per message */
    int64_t at_ms;             /* monotonic, when sampled */
    int ok;                    /* every daemon answered */
} turns_t;

/* Asks every daemon of p for its Metrics. */
void turns_sample(procs_t *p, turns_t *t);

/* Prints, starting with prefix, per daemon between the two samples: its
 * commits per application (apps went through), the requests and batches
 * a commit took, the mean commit and the share of the time between the
 * samples its loop spent committing, and the turns it ran again because
 * a message failed after it wrote. Prints nothing unless both samples
 * are whole. */
void turns_print(const char *prefix, const turns_t *before, const turns_t *after, long apps);

#endif
