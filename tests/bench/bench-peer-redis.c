/*
 * bench-peer-redis.c - the peer issue 16 measures legalaid against, on
 * this machine: a four-stage Redis Streams pipeline, what a team that picked
 * Redis as its queue would ship. Not legalaid's code; a yardstick.
 *
 * It starts its own redis-server (Debian's, found on PATH) in a temporary
 * directory, on a unix socket only, with appendonly yes and appendfsync
 * always: Redis writes and fsyncs the append-only file before it sends the
 * replies of an event-loop turn, so every reply follows an fsync, as every
 * legalaid acknowledgement does. Then:
 *
 *   stage 1  CLIENTS submitters: XADD s1 (the application, BYTES bytes),
 *            one round trip each, as legalaid's intake is asked;
 *   stage 2  WORKERS consumers in group g1 on s1: XREADGROUP COUNT 64, then
 *            for the batch one MULTI: XADD s2 per entry, XACK s1, EXEC;
 *   stage 3  the same from s2 to s3;
 *   stage 4  WORKERS consumers in group g3 on s3: XACK (done).
 *
 * No rule runs, nothing is sealed or encrypted, no index is kept: the
 * figure is a ceiling for a pipeline of this shape, not a like-for-like
 * system. It prints the end-to-end rate, each stage's finishing time, the
 * latency from the submitter's reply to the last stage's acknowledgement
 * (p50/p99/p999), redis-server's CPU per application and the append-only
 * file's bytes per application.
 *
 * Usage: bench-peer-redis [--apps N] [--clients C] [--workers W]
 *                         [--bytes B] [--rate R] [--dir DIR]
 *   --rate R submits at a steady R applications a second (the latency
 *   under a paced load; la-system --rate R is legalaid's); without it,
 *   every submitter as fast as its round trips go (a burst).
 *   --dir DIR: where the temporary directory is made (default /tmp; give
 *   the disk legalaid's data_dir is on).
 * Needs redis-server and libhiredis (apt-get install redis-server
 * libhiredis-dev); built only when libhiredis is found. Exits 1 on an error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STAGES 4
#define BATCH 64

typedef struct bench {
    int apps, clients, workers, bytes;
    double rate;
    char dir[4096], sock[4200];
    char *payload;
    pid_t redis;
    int64_t start_ns;
    _Atomic int64_t *replied_ns; /* by application: the submitter's reply */
    _Atomic int64_t *done_ns;    /* by application: the last stage's ack */
    _Atomic int stage_done[STAGES];
    _Atomic int64_t stage_last_ns[STAGES];
    _Atomic int failed;
} bench_t;

typedef struct worker {
    bench_t *b;
    int index;
    int stage; /* 0: a submitter; 1..3: a consumer of s<stage> */
} worker_t;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void bench_fail(bench_t *b, const char *what, const redisContext *c, const redisReply *r)
{
    if (atomic_exchange(&b->failed, 1)) return;
    fprintf(stderr, "bench-peer-redis: %s: %s\n", what,
            r && r->type == REDIS_REPLY_ERROR ? r->str
            : c && c->err                     ? c->errstr
                                              : "unexpected reply");
}

static redisContext *bench_connect(bench_t *b)
{
    redisContext *c = redisConnectUnix(b->sock);
    if (!c || c->err) {
        bench_fail(b, "connect", c, NULL);
        if (c) redisFree(c);
        return NULL;
    }
    return c;
}

static void stage_note(bench_t *b, int stage, int n)
{
    atomic_fetch_add(&b->stage_done[stage], n);
    int64_t t = now_ns() - b->start_ns, seen = atomic_load(&b->stage_last_ns[stage]);
    while (t > seen && !atomic_compare_exchange_weak(&b->stage_last_ns[stage], &seen, t)) {
    }
}

static void *submitter(void *arg)
{
    worker_t *w = arg;
    bench_t *b = w->b;
    redisContext *c = bench_connect(b);
    if (!c) return NULL;
    char j[16];
    for (int app = w->index; app < b->apps && !b->failed; app += b->clients) {
        if (b->rate > 0) {
            int64_t due = b->start_ns + (int64_t)((double)app * 1e9 / b->rate), wait = due - now_ns();
            if (wait > 0) {
                struct timespec ts = {wait / 1000000000, wait % 1000000000};
                nanosleep(&ts, NULL);
            }
        }
        snprintf(j, sizeof j, "%d", app);
        redisReply *r = redisCommand(c, "XADD s1 * j %s p %b", j, b->payload, (size_t)b->bytes);
        if (!r || r->type != REDIS_REPLY_STRING) {
            bench_fail(b, "XADD s1", c, r);
        } else {
            atomic_store(&b->replied_ns[app], now_ns());
            stage_note(b, 0, 1);
        }
        if (r) freeReplyObject(r);
    }
    redisFree(c);
    return NULL;
}

/* One batch of stage w->stage: the next stream's entries and the acks in
 * one MULTI (pipelined: one round trip), or the acks alone at the end. */
static int consume_batch(worker_t *w, redisContext *c, const redisReply *entries)
{
    bench_t *b = w->b;
    int s = w->stage, last = s == STAGES - 1;
    size_t n = entries->elements;
    const char **argv = calloc(n + 3, sizeof *argv);
    size_t *lens = calloc(n + 3, sizeof *lens);
    int *apps = calloc(n, sizeof *apps);
    char from[8], group[8];
    snprintf(from, sizeof from, "s%d", s);
    snprintf(group, sizeof group, "g%d", s);
    argv[0] = "XACK", argv[1] = from, argv[2] = group;
    for (int i = 0; i < 3; i++) lens[i] = strlen(argv[i]);
    for (size_t i = 0; i < n; i++) {
        const redisReply *e = entries->element[i], *f = e->element[1];
        argv[3 + i] = e->element[0]->str;
        lens[3 + i] = e->element[0]->len;
        if (f->type != REDIS_REPLY_ARRAY || f->elements < 2) {
            bench_fail(b, "an entry without its fields", c, NULL);
            free(argv);
            free(lens);
            free(apps);
            return 0;
        }
        apps[i] = atoi(f->element[1]->str);
    }
    int pending = 0;
    if (!last) {
        redisAppendCommand(c, "MULTI");
        pending++;
        for (size_t i = 0; i < n; i++) {
            const redisReply *f = entries->element[i]->element[1];
            redisAppendCommand(c, "XADD s%d * j %b p %b", s + 1, f->element[1]->str,
                               f->element[1]->len, b->payload, (size_t)b->bytes);
            pending++;
        }
    }
    redisAppendCommandArgv(c, (int)(n + 3), argv, lens);
    pending++;
    if (!last) {
        redisAppendCommand(c, "EXEC");
        pending++;
    }
    int ok = 1;
    for (int i = 0; i < pending; i++) {
        redisReply *r = NULL;
        int bad = redisGetReply(c, (void **)&r) != REDIS_OK || !r || r->type == REDIS_REPLY_ERROR;
        if (!bad && !last && i == pending - 1) { /* EXEC: each command's own reply */
            bad = r->type != REDIS_REPLY_ARRAY;
            for (size_t k = 0; !bad && k < r->elements; k++)
                bad = r->element[k]->type == REDIS_REPLY_ERROR;
        }
        if (bad) {
            bench_fail(b, last ? "XACK" : "MULTI XADD XACK EXEC", c, r);
            ok = 0;
        }
        if (r) freeReplyObject(r);
        if (!r) break;
    }
    if (ok) {
        if (last) {
            int64_t t = now_ns();
            for (size_t i = 0; i < n; i++)
                if (apps[i] >= 0 && apps[i] < b->apps) atomic_store(&b->done_ns[apps[i]], t);
        }
        stage_note(b, s, (int)n);
    }
    free(argv);
    free(lens);
    free(apps);
    return ok;
}

static void *consumer(void *arg)
{
    worker_t *w = arg;
    bench_t *b = w->b;
    redisContext *c = bench_connect(b);
    if (!c) return NULL;
    char name[32];
    snprintf(name, sizeof name, "c%d-%d", w->stage, w->index);
    while (!b->failed && atomic_load(&b->stage_done[STAGES - 1]) < b->apps) {
        redisReply *r = redisCommand(c, "XREADGROUP GROUP g%d %s COUNT %d BLOCK 50 STREAMS s%d >",
                                     w->stage, name, BATCH, w->stage);
        if (!r || r->type == REDIS_REPLY_ERROR) {
            bench_fail(b, "XREADGROUP", c, r);
        } else if (r->type == REDIS_REPLY_ARRAY && r->elements == 1) {
            const redisReply *entries = r->element[0]->element[1];
            if (entries->elements) consume_batch(w, c, entries);
        }
        if (r) freeReplyObject(r);
    }
    redisFree(c);
    return NULL;
}

static int bench_start_redis(bench_t *b)
{
    char conf[4300];
    snprintf(conf, sizeof conf, "%s/redis.conf", b->dir);
    FILE *f = fopen(conf, "w");
    if (!f) return fprintf(stderr, "bench-peer-redis: %s: %s\n", conf, strerror(errno)), -1;
    fprintf(f,
            "port 0\nunixsocket %s\nunixsocketperm 700\ndir %s\nappendonly yes\n"
            "appendfsync always\nauto-aof-rewrite-percentage 0\nsave \"\"\ndaemonize no\n"
            "logfile %s/redis.log\n",
            b->sock, b->dir, b->dir);
    fclose(f);
    b->redis = fork();
    if (b->redis == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* not left running if this program is killed */
        execlp("redis-server", "redis-server", conf, (char *)NULL);
        fprintf(stderr, "bench-peer-redis: redis-server: %s (apt-get install redis-server)\n",
                strerror(errno));
        _exit(127);
    }
    if (b->redis < 0) return -1;
    for (int i = 0; i < 500; i++) { /* 5 s */
        redisContext *c = redisConnectUnix(b->sock);
        int up = c && !c->err;
        if (c) redisFree(c);
        if (up) return 0;
        if (waitpid(b->redis, NULL, WNOHANG) == b->redis) {
            b->redis = 0; /* reaped: its pid is no longer its own */
            break;
        }
        usleep(10000);
    }
    fprintf(stderr, "bench-peer-redis: redis-server did not answer on %s (see %s/redis.log)\n",
            b->sock, b->dir);
    return -1;
}

static int bench_groups(bench_t *b)
{
    redisContext *c = bench_connect(b);
    if (!c) return -1;
    int rc = 0;
    for (int s = 1; s < STAGES && !rc; s++) {
        redisReply *r = redisCommand(c, "XGROUP CREATE s%d g%d $ MKSTREAM", s, s);
        if (!r || r->type == REDIS_REPLY_ERROR) bench_fail(b, "XGROUP CREATE", c, r), rc = -1;
        if (r) freeReplyObject(r);
    }
    redisFree(c);
    return rc;
}

/* user + system CPU of a process, in seconds. */
static double proc_cpu_s(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    unsigned long long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return 0;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static uint64_t dir_bytes(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "du -sb '%s/appendonlydir' 2>/dev/null", dir);
    FILE *p = popen(cmd, "r");
    unsigned long long n = 0;
    if (p) {
        if (fscanf(p, "%llu", &n) != 1) n = 0;
        pclose(p);
    }
    return n;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void bench_report(bench_t *b, double redis_cpu, double own_cpu)
{
    double end_s = (double)atomic_load(&b->stage_last_ns[STAGES - 1]) / 1e9;
    static const char *names[STAGES] = {"submitted", "stage 2 (s1->s2)", "stage 3 (s2->s3)",
                                        "stage 4 (acked)"};
    printf("peer: %d applications through a four-stage Redis Streams pipeline (redis-server, "
           "appendfsync always), %d submitters, %d consumers a stage, %d bytes an entry\n",
           b->apps, b->clients, b->workers, b->bytes);
    if (b->rate > 0) printf("peer: offered at a steady %.0f applications/s\n", b->rate);
    printf("peer: end to end %.2f s: %.0f applications/s\n", end_s, b->apps / end_s);
    printf("peer: each stage done (its last, from the first submission):");
    for (int s = 0; s < STAGES; s++) {
        double t = (double)atomic_load(&b->stage_last_ns[s]) / 1e9;
        printf("%s %s %.2f s (%.0f/s)", s ? ";" : "", names[s], t, b->apps / t);
    }
    printf("\n");
    int64_t *lat = calloc((size_t)b->apps, sizeof *lat);
    int n = 0;
    for (int i = 0; i < b->apps; i++) {
        int64_t r = atomic_load(&b->replied_ns[i]), d = atomic_load(&b->done_ns[i]);
        /* The last stage can ack before its submitter's thread notes the
         * reply's time: counted as 0. */
        if (r && d) lat[n++] = d > r ? d - r : 0;
    }
    qsort(lat, (size_t)n, sizeof *lat, cmp_i64);
    if (n)
        printf("peer: latency submitter's reply -> last stage's ack: p50 %.1f ms, p99 %.1f ms, "
               "p999 %.1f ms, max %.1f ms (%d applications)\n",
               lat[n / 2] / 1e6, lat[(size_t)n * 99 / 100] / 1e6, lat[(size_t)n * 999 / 1000] / 1e6,
               lat[n - 1] / 1e6, n);
    free(lat);
    printf("peer: CPU per application (ms): redis-server %.3f; this program (%d submitters, %d "
           "consumers) %.3f\n",
           redis_cpu * 1e3 / b->apps, b->clients, b->workers * (STAGES - 1), own_cpu * 1e3 / b->apps);
    printf("peer: append-only file %.0f bytes per application (every stream kept, nothing "
           "trimmed)\n",
           (double)dir_bytes(b->dir) / b->apps);
}

int main(int argc, char **argv)
{
    bench_t b = {.apps = 20000, .clients = 32, .workers = 4, .bytes = 600};
    const char *base = "/tmp";
    static const struct option opts[] = {
        {"apps", required_argument, 0, 'n'}, {"clients", required_argument, 0, 'c'},
        {"workers", required_argument, 0, 'w'}, {"bytes", required_argument, 0, 'b'},
        {"rate", required_argument, 0, 'r'}, {"dir", required_argument, 0, 'd'},
        {0, 0, 0, 0}};
    for (int o; (o = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (o) {
        case 'n': b.apps = atoi(optarg); break;
        case 'c': b.clients = atoi(optarg); break;
        case 'w': b.workers = atoi(optarg); break;
        case 'b': b.bytes = atoi(optarg); break;
        case 'r': b.rate = atof(optarg); break;
        case 'd': base = optarg; break;
        default:
            fprintf(stderr, "usage: bench-peer-redis [--apps N] [--clients C] [--workers W] "
                            "[--bytes B] [--rate R] [--dir DIR]\n");
            return 1;
        }
    }
    if (b.apps < 1 || b.clients < 1 || b.workers < 1 || b.bytes < 1 || b.bytes > 1 << 20 ||
        b.rate < 0) {
        fprintf(stderr, "bench-peer-redis: --apps, --clients, --workers and --bytes take "
                        "numbers above 0 (--bytes at most 1 MiB), --rate one of 0 or more\n");
        return 1;
    }
    if (strchr(base, '\'')) { /* the directory goes into shell commands (du, rm) in quotes */
        fprintf(stderr, "bench-peer-redis: --dir %s: a path without a ' please\n", base);
        return 1;
    }
    snprintf(b.dir, sizeof b.dir, "%s/bench-peer-redis.XXXXXX", base); /* mkdtemp's template */
    if (!mkdtemp(b.dir)) return fprintf(stderr, "bench-peer-redis: %s: %s\n", b.dir, strerror(errno)), 1;
    snprintf(b.sock, sizeof b.sock, "%s/redis.sock", b.dir);
    if (strlen(b.sock) >= sizeof ((struct sockaddr_un *)0)->sun_path) {
        fprintf(stderr, "bench-peer-redis: %s is too long for a unix socket: give a shorter --dir\n",
                b.sock);
        rmdir(b.dir);
        return 1;
    }
    b.payload = malloc((size_t)b.bytes);
    for (int i = 0; i < b.bytes; i++) b.payload[i] = (char)('a' + i % 26);
    b.replied_ns = calloc((size_t)b.apps, sizeof *b.replied_ns);
    b.done_ns = calloc((size_t)b.apps, sizeof *b.done_ns);
    int rc = 1;
    if (bench_start_redis(&b) == 0 && bench_groups(&b) == 0) {
        int nthreads = b.clients + b.workers * (STAGES - 1);
        pthread_t *threads = calloc((size_t)nthreads, sizeof *threads);
        worker_t *ws = calloc((size_t)nthreads, sizeof *ws);
        int *started = calloc((size_t)nthreads, sizeof *started);
        double cpu0 = proc_cpu_s(b.redis);
        struct rusage ru0, ru1;
        getrusage(RUSAGE_SELF, &ru0);
        b.start_ns = now_ns();
        for (int i = 0; i < nthreads; i++) {
            ws[i].b = &b;
            ws[i].stage = i < b.clients ? 0 : 1 + (i - b.clients) / b.workers;
            ws[i].index = i < b.clients ? i : (i - b.clients) % b.workers;
            started[i] = pthread_create(&threads[i], NULL, ws[i].stage ? consumer : submitter,
                                        &ws[i]) == 0;
            if (!started[i]) bench_fail(&b, "no thread left", NULL, NULL);
        }
        for (int i = 0; i < nthreads; i++) {
            if (started[i]) pthread_join(threads[i], NULL);
            /* The submitters are done: a failed one leaves the stages
             * waiting for what never comes, so they stop too. */
            if (i == b.clients - 1 && atomic_load(&b.stage_done[0]) < b.apps) b.failed = 1;
        }
        getrusage(RUSAGE_SELF, &ru1);
        double own = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
                     (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6 +
                     (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
                     (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
        if (!b.failed) {
            bench_report(&b, proc_cpu_s(b.redis) - cpu0, own);
            rc = 0;
        }
        free(threads);
        free(ws);
        free(started);
    }
    if (b.redis > 0) {
        kill(b.redis, SIGTERM);
        waitpid(b.redis, NULL, 0);
    }
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", b.dir);
    if (system(cmd) != 0) fprintf(stderr, "bench-peer-redis: could not remove %s\n", b.dir);
    free(b.payload);
    free(b.replied_ns);
    free(b.done_ns);
    return rc;
}
