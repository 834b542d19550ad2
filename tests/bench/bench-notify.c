/*
 * bench-notify.c - notify's throughput, in two figures:
 *   rendered/s   upstream events applied in batches through real turns
 *                (rules, template rendering, the outbox row, LMDB with
 *                fsync at every commit), in process;
 *   delivered/s  the real legalaid-notify posting those notifications to
 *                the loopback gateway (http-sink) and settling each one
 *                delivered, from the first event served to the last settled.
 *
 *   bench-notify --bin BUILD_DIR [--events N]
 *
 * A program to run by hand (never a timed test): its figures depend on the
 * machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "notify-harness.h"
#include "notify.h"
#include "notify_config.h"

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Offer i to lawyer i % 50 (the event the pool sees most of). */
static Legalaid__Event *bench_offer(int i, char *buf)
{
    Legalaid__Lawyer *l = calloc(1, sizeof *l);
    legalaid__lawyer__init(l);
    l->id = buf;
    l->name = buf + 32;
    l->phone = buf + 64;
    snprintf(buf, 32, "L-%03d", i % 50);
    snprintf(buf + 32, 32, "律师%d", i % 50);
    snprintf(buf + 64, 32, "139%08d", i % 50);
    snprintf(buf + 96, 32, "BT-2026-%06d", i);
    Legalaid__Offer *o = calloc(1, sizeof *o);
    legalaid__offer__init(o);
    o->lawyer = l;
    o->expires_at = clock_now_ms() + 86400000LL;
    o->has_expires_at = 1;
    Legalaid__LawyerOffered *lo = calloc(1, sizeof *lo);
    legalaid__lawyer_offered__init(lo);
    lo->case_id = buf + 96;
    lo->offer = o;
    Legalaid__Event *ev = calloc(1, sizeof *ev);
    legalaid__event__init(ev);
    ev->case_id = buf + 96;
    ev->body_case = LEGALAID__EVENT__BODY_LAWYER_OFFERED;
    ev->lawyer_offered = lo;
    return ev;
}

static void bench_free(Legalaid__Event *ev)
{
    free(ev->lawyer_offered->offer->lawyer);
    free(ev->lawyer_offered->offer);
    free(ev->lawyer_offered);
    free(ev);
}

static int bench_render(const char *templates, int n)
{
    char dir[] = "/tmp/bench-notify-XXXXXX", err[512];
    if (!mkdtemp(dir) || notify_templates_reload(templates, err, sizeof err)) {
        fprintf(stderr, "bench-notify: %s\n", err);
        return -1;
    }
    daemon_t *d = daemon_open_test(&notify_service, dir);
    if (!d) return -1;
    free(notify_config.sms_url);
    notify_config.sms_url = strdup("http://127.0.0.1:9/sms");
    const int batch = 500;
    char *bufs = calloc((size_t)batch, 128);
    Legalaid__Event **evs = calloc((size_t)batch, sizeof *evs);
    double t0 = bench_now();
    for (int done = 0; done < n; done += batch) {
        int k = n - done < batch ? n - done : batch;
        for (int i = 0; i < k; i++) {
            evs[i] = bench_offer(done + i + 1, bufs + 128 * i);
            evs[i]->seq = (uint64_t)(done + i + 1);
            evs[i]->has_seq = 1;
        }
        if (daemon_feed(d, "dispatch", evs, (size_t)k) != 0) return -1;
        for (int i = 0; i < k; i++) bench_free(evs[i]);
    }
    double secs = bench_now() - t0;
    printf("bench-notify: rendered and recorded %d notifications in %.2f s: %.0f/s "
           "(batches of %d events, fsync per commit)\n",
           n, secs, n / secs, batch);
    free(bufs);
    free(evs);
    daemon_close_test(&d);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return -1;
    return 0;
}

static int bench_deliver(const char *bin, int n)
{
    nh_t h;
    if (nh_setup(&h, bin, NULL) || nh_write_config(&h, "max_inflight = 64\n") || nh_start(&h)) {
        fprintf(stderr, "bench-notify: cannot start notify (see %s)\n", h.dir);
        nh_teardown(&h);
        return -1;
    }
    char buf[128];
    for (int i = 1; i <= n; i++) {
        Legalaid__Event *ev = bench_offer(i, buf);
        nh_append(&h, ev);
        bench_free(ev);
    }
    double t0 = bench_now();
    uint64_t got = 0;
    while (got < (uint64_t)n && bench_now() - t0 < 300) {
        nh_serve(&h, 100);
        got = nh_counter(&h, "outbox.delivered");
        if (got == UINT64_MAX) got = 0;
    }
    double secs = bench_now() - t0;
    printf("bench-notify: delivered %llu of %d notifications to the loopback gateway in %.2f s: "
           "%.0f/s (HTTP POST each, outcome settled in LMDB)\n",
           (unsigned long long)got, n, secs, (double)got / secs);
    int rc = nh_stop(&h) == 0 && got == (uint64_t)n ? 0 : -1;
    h.remove_dir = rc == 0;
    nh_teardown(&h);
    return rc;
}

int main(int argc, char **argv)
{
    const char *bin = NULL;
    int n = 5000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--bin")) bin = argv[i + 1];
        else if (!strcmp(argv[i], "--events")) n = atoi(argv[i + 1]);
    }
    if (!bin || n <= 0) {
        fprintf(stderr, "usage: bench-notify --bin BUILD_DIR [--events N]\n");
        return 2;
    }
    char templates[1024];
    const char *cut = strstr(__FILE__, "tests/bench/");
    snprintf(templates, sizeof templates, "%.*sdeploy/notify-templates",
             cut ? (int)(cut - __FILE__) : 0, __FILE__);
    if (bench_render(templates, n) != 0) return 1;
    return bench_deliver(bin, n) != 0;
}
