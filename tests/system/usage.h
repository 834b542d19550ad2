/*
 * usage.h - what the daemons of a system run use, read from /proc and the
 * data directories: CPU time (every thread, the ZeroMQ I/O thread too),
 * anonymous memory, and the disk their LMDB environments hold. la-system
 * --bench and --soak print it per application, so that the figures name
 * the daemon that costs most (issue 16).
 */
#ifndef LA_SYSTEM_USAGE_H
#define LA_SYSTEM_USAGE_H

#include "procs.h"

typedef struct usage {
    double cpu_s[PROCS_N + 1]; /* user + system seconds; [PROCS_N]: this process */
    long anon_kib[PROCS_N];    /* RssAnon */
    long anon_peak_kib[PROCS_N]; /* the highest RssAnon since the sample before (usage_watch) */
    long long disk[PROCS_N];   /* bytes allocated under data-<name> */
    long long written[PROCS_N]; /* bytes given to write calls so far (wchar, /proc/PID/io;
                                   per process: with --kills a restarted daemon counts from 0) */
    /* The block device holding the run's directory, from /proc/diskstats
     * (the whole device: whatever else writes to it counts too). */
    char dev[32];                 /* its name; "" when not found (an overlay) */
    unsigned long long dev_writes, dev_sectors, dev_write_ms, dev_busy_ms, dev_flushes;
    double at_s;                  /* CLOCK_MONOTONIC when sampled */
} usage_t;

/* Starts a thread that reads every daemon's RssAnon every 50 ms, for the
 * peaks usage_sample reports; p must outlive the process. */
void usage_watch(const procs_t *p);

/* Samples every daemon of p (a daemon not running reads 0). */
void usage_sample(const procs_t *p, usage_t *u);

/* Prints, each line starting with prefix: CPU ms per application between
 * the two samples (apps applications went through in between) and the rate
 * two cores could reach at that cost; the memory and the disk per
 * application (total applications held: held) of the later sample; what
 * the block device under the run did in between (write requests and
 * flushes per application and per second, how busy it was, how long a
 * write waited), so that a run says when the disk is what it waits on. */
void usage_print(const char *prefix, const usage_t *before, const usage_t *after, long apps,
                 long held);

#endif
