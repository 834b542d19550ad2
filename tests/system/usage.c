/*
 * usage.c - see usage.h.
 */
#include "usage.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* utime + stime of /proc/PID/stat (fields 14 and 15, after the comm). */
static double usage_cpu(pid_t pid)
{
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = 0;
    const char *s = strrchr(line, ')');
    unsigned long ut = 0, st = 0;
    if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return 0;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static long usage_anon(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kib = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "RssAnon: %ld", &kib) == 1) break;
    fclose(f);
    return kib;
}

/* Bytes the process handed to write calls (wchar of /proc/PID/io):
 * LMDB's pages at each commit, the meta page, its log lines. (write_bytes
 * there counted five times what the disk took in a run.) */
static long long usage_written(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/io", (int)pid);
    FILE *f = fopen(path, "r");
    long long bytes = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "wchar: %lld", &bytes) == 1) break;
    fclose(f);
    return bytes;
}

/* Bytes allocated to the files of a data directory (LMDB's files and the
 * daemon's lock). */
static long long usage_disk(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    long long bytes = 0;
    struct dirent *e;
    char path[1200];
    while ((e = readdir(d))) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            bytes += (long long)st.st_blocks * 512;
    }
    closedir(d);
    return bytes;
}

/* The highest RssAnon of each daemon since the last usage_sample, read
 * every 50 ms by usage_watch's thread: a turn's peak lasts less than a
 * round, and the 32 MiB is a ceiling, not an end state. */
static pthread_mutex_t usage_lock = PTHREAD_MUTEX_INITIALIZER;
static long usage_peak[PROCS_N];

static void *usage_watcher(void *arg)
{
    const procs_t *p = arg;
    for (;;) {
        for (int i = 0; i < PROCS_N; i++) {
            /* The main thread restarts daemons (--kills): a pid read
             * whole; one reaped a moment ago reads no memory. */
            pid_t pid = __atomic_load_n(&p->pid[i], __ATOMIC_RELAXED);
            long kib = pid > 0 ? usage_anon(pid) : 0;
            pthread_mutex_lock(&usage_lock);
            if (kib > usage_peak[i]) usage_peak[i] = kib;
            pthread_mutex_unlock(&usage_lock);
        }
        usleep(50000);
    }
    return NULL;
}

/* The counters of the block device holding dir (/proc/diskstats: writes
 * completed, sectors written, ms writing, ms busy, flushes completed). */
static void usage_device(const char *dir, usage_t *u)
{
    struct stat st;
    FILE *f = stat(dir, &st) == 0 ? fopen("/proc/diskstats", "r") : NULL;
    if (!f) return;
    char line[512], name[32];
    unsigned maj, min;
    unsigned long long v[17];
    while (fgets(line, sizeof line, f)) {
        memset(v, 0, sizeof v);
        int n = sscanf(line,
                       " %u %u %31s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
                       "%llu %llu %llu %llu",
                       &maj, &min, name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
                       &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14], &v[15], &v[16]);
        if (n < 14 || maj != major(st.st_dev) || min != minor(st.st_dev)) continue;
        snprintf(u->dev, sizeof u->dev, "%s", name);
        u->dev_writes = v[4];
        u->dev_sectors = v[6];
        u->dev_write_ms = v[7];
        u->dev_busy_ms = v[9];
        u->dev_flushes = n >= 19 ? v[15] : 0;
        break;
    }
    fclose(f);
}

void usage_watch(const procs_t *p)
{
    pthread_t t;
    if (pthread_create(&t, NULL, usage_watcher, (void *)p) == 0) pthread_detach(t);
}

void usage_sample(const procs_t *p, usage_t *u)
{
    memset(u, 0, sizeof *u);
    for (int i = 0; i < PROCS_N; i++) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s/data-%s", p->dir, procs_names[i]);
        u->disk[i] = usage_disk(dir);
        if (p->pid[i] <= 0) continue;
        u->cpu_s[i] = usage_cpu(p->pid[i]);
        u->anon_kib[i] = usage_anon(p->pid[i]);
        u->written[i] = usage_written(p->pid[i]);
    }
    pthread_mutex_lock(&usage_lock);
    for (int i = 0; i < PROCS_N; i++) {
        u->anon_peak_kib[i] = usage_peak[i] > u->anon_kib[i] ? usage_peak[i] : u->anon_kib[i];
        usage_peak[i] = 0;
    }
    pthread_mutex_unlock(&usage_lock);
    u->cpu_s[PROCS_N] = usage_cpu(getpid());
    usage_device(p->dir, u);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    u->at_s = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the device did between the samples, per application and per second. */
static void usage_print_device(const char *prefix, const usage_t *b, const usage_t *a, long apps)
{
    double dt = a->at_s - b->at_s;
    if (!a->dev[0] || strcmp(a->dev, b->dev) != 0 || dt <= 0 || apps <= 0) {
        printf("%s the disk: no block device under the run's directory in /proc/diskstats\n", prefix);
        return;
    }
    double w = (double)(a->dev_writes - b->dev_writes), kb = (double)(a->dev_sectors - b->dev_sectors) / 2;
    double fl = (double)(a->dev_flushes - b->dev_flushes);
    double busy = (double)(a->dev_busy_ms - b->dev_busy_ms), wait = (double)(a->dev_write_ms - b->dev_write_ms);
    printf("%s the disk (%s, the whole device, %.1f s): write requests %.1f an application (%.0f/s), "
           "%.1f KB an application (%.1f MB/s), flushes %.2f an application (%.0f/s); busy %.0f %% of "
           "the time, a write waited %.2f ms on average\n",
           prefix, a->dev, dt, w / (double)apps, w / dt, kb / (double)apps, kb / 1024 / dt,
           fl / (double)apps, fl / dt, busy / dt / 10, w > 0 ? wait / w : 0);
}

void usage_print(const char *prefix, const usage_t *before, const usage_t *after, long apps,
                 long held)
{
    double total = 0;
    printf("%s CPU per application (ms, every thread):", prefix);
    for (int i = 0; i <= PROCS_N; i++) {
        double ms = apps ? (after->cpu_s[i] - before->cpu_s[i]) * 1000.0 / (double)apps : 0;
        if (i < PROCS_N) total += ms;
        printf(" %s %.3f;", i < PROCS_N ? procs_names[i] : "this client", ms);
    }
    printf(" the five daemons %.3f: two cores busy all the time would reach %.0f applications/s\n",
           total, total > 0 ? 2000.0 / total : 0);
    printf("%s anonymous memory (MiB, at the end / the highest read every 50 ms):", prefix);
    for (int i = 0; i < PROCS_N; i++)
        printf("%s %s %.1f / %.1f", i ? ";" : "", procs_names[i], (double)after->anon_kib[i] / 1024.0,
               (double)after->anon_peak_kib[i] / 1024.0);
    printf("\n%s written per application (KB, by write calls: LMDB's pages, the log):", prefix);
    for (int i = 0; i < PROCS_N; i++) {
        long long w = after->written[i] - before->written[i];
        printf("%s %s %.1f", i ? ";" : "", procs_names[i],
               apps && w > 0 ? (double)w / 1024.0 / (double)apps : 0.0);
    }
    long long disk = 0;
    printf("\n%s disk per application (bytes):", prefix);
    for (int i = 0; i < PROCS_N; i++) {
        disk += after->disk[i];
        printf(" %s %lld;", procs_names[i], held ? after->disk[i] / held : 0);
    }
    printf(" all %lld (%.1f MB for %ld applications)\n", held ? disk / held : 0, (double)disk / 1e6,
           held);
    usage_print_device(prefix, before, after, apps);
}
