/*
 * steady.c - see steady.h.
 */
#include "steady.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "clock.h"

int steady_start(steady_t *s, procs_t *p)
{
    memset(s, 0, sizeof *s);
    int clock_set = 0; /* steady_age moves the clocks: test_clock = true, unless given */
    for (int i = 0; i < p->n_extra; i++) clock_set |= strncmp(p->extra[i], "test_clock", 10) == 0;
    if (!clock_set && p->n_extra == (int)(sizeof p->extra / sizeof *p->extra)) {
        fprintf(stderr, "--steady adds test_clock = true to the configuration: too many --set\n");
        return -1;
    }
    if (!clock_set) p->extra[p->n_extra++] = "test_clock = true";
    static const char *const args[] = {"--token", "steady-token", NULL};
    if (sink_start(&s->sink, p->bin_dir, p->dir, args)) return -1;
    int port = s->sink.port;
    /* Every party reached: applicants and lawyers by SMS, the notifying
     * authorities and the staff by webhook; no quiet hours, so that what
     * is delivered does not hang on the hour the run is made at. */
    snprintf(s->lines, sizeof s->lines,
             "sms_url = http://127.0.0.1:%d/sms\nsms_token = steady-token\n"
             "webhook_court = http://127.0.0.1:%d/court\n"
             "webhook_procuratorate = http://127.0.0.1:%d/procuratorate\n"
             "webhook_police = http://127.0.0.1:%d/police\n"
             "webhook_staff = http://127.0.0.1:%d/staff\nwebhook_token = steady-token\n"
             "quiet_hours =\n",
             port, port, port, port, port);
    p->notify_lines = s->lines;
    return 0;
}

typedef struct outbox {
    uint64_t waiting; /* pending, retrying, awaiting a contact */
    uint64_t delivered, unrouted, dead, timers;
} outbox_t;

static uint64_t steady_counter(const Legalaid__StreamStatus *st, const char *name)
{
    for (size_t i = 0; i < st->n_counters; i++)
        if (!strcmp(st->counters[i]->name, name)) return st->counters[i]->value;
    return 0;
}

static int steady_read(procs_t *p, outbox_t *o)
{
    Legalaid__Reply *rep = procs_status(p, 4);
    if (!rep) return -1;
    const Legalaid__StreamStatus *st = rep->stream_status;
    memset(o, 0, sizeof *o);
    o->waiting = steady_counter(st, "outbox.pending");
    for (size_t i = 0; i < st->n_queue_ages; i++) {
        const char *name = st->queue_ages[i]->name;
        if (!strcmp(name, "outbox.pending") || !strcmp(name, "outbox.retrying") ||
            !strcmp(name, "outbox.awaiting_contact"))
            o->waiting += st->queue_ages[i]->total;
    }
    o->delivered = steady_counter(st, "outbox.delivered");
    o->unrouted = steady_counter(st, "outbox.unrouted");
    o->dead = steady_counter(st, "outbox.dead");
    o->timers = steady_counter(st, "timers.pending");
    legalaid__reply__free_unpacked(rep, NULL);
    return 0;
}

static void steady_sleep(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Requests the sink took as new: each delivered notification once. */
static long steady_sink_new(const steady_t *s)
{
    FILE *f = fopen(s->sink.log, "r");
    if (!f) return -1;
    char line[512];
    long n = 0;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "new ", 4)) n++;
    fclose(f);
    return n;
}

int steady_wait(steady_t *s, procs_t *p, const char *prefix, int timeout_ms, int aged)
{
    int64_t t0 = clock_mono_ms(), deadline = t0 + timeout_ms;
    outbox_t o = {0};
    long taken = 0;
    int calm = 0;
    /* Settled: nothing waits in the outbox, the sink has taken as many as
     * notify counts delivered and (a month on) no timer is still due, on
     * two reads in a row: notify fires due timers a batch a tick, so one
     * read between two ticks is not enough. */
    while (calm < 2 && clock_mono_ms() < deadline) {
        int ok = steady_read(p, &o) == 0 && o.waiting == 0 && (!aged || o.timers == 0);
        if (ok) {
            taken = steady_sink_new(s);
            ok = taken == (long)o.delivered;
        }
        calm = ok ? calm + 1 : 0;
        if (calm < 2) steady_sleep(200);
    }
    printf("%s the outbox %s %.1f s after the run settled: delivered %llu, unrouted %llu, "
           "dead %llu, still waiting %llu; deadline timers still pending %llu\n",
           prefix, calm >= 2 ? "drained" : "had not drained", (clock_mono_ms() - t0) / 1000.0,
           (unsigned long long)o.delivered, (unsigned long long)o.unrouted,
           (unsigned long long)o.dead, (unsigned long long)o.waiting, (unsigned long long)o.timers);
    fflush(stdout);
    if (calm < 2) {
        fprintf(stderr, "within %d ms: %llu messages still waiting, notify counts %llu delivered "
                        "and the sink took %ld, %llu deadline timers still pending%s\n",
                timeout_ms, (unsigned long long)o.waiting, (unsigned long long)o.delivered, taken,
                (unsigned long long)o.timers, aged ? " a month on (none should be)" : "");
        return -1;
    }
    if (o.unrouted || o.dead) {
        fprintf(stderr, "every party has a route and the sink takes all: none should be unrouted or dead\n");
        return -1;
    }
    return 0;
}

/* Moves daemon i's clock delta_ms on (test_clock = true). */
static int steady_move(procs_t *p, int i, int64_t delta_ms)
{
    Legalaid__ClockControl cc = LEGALAID__CLOCK_CONTROL__INIT;
    cc.has_advance_ms = 1;
    cc.advance_ms = delta_ms;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = "steady-clock";
    req.body_case = LEGALAID__REQUEST__BODY_CLOCK;
    req.clock = &cc;
    Legalaid__Reply *rep = procs_ask(p, i, &req, LEGALAID__REPLY__BODY_CLOCK);
    int ok = rep != NULL;
    if (!ok) fprintf(stderr, "%s did not move its clock (test_clock = true?)\n", procs_names[i]);
    if (rep) legalaid__reply__free_unpacked(rep, NULL);
    return ok ? 0 : -1;
}

int steady_age(steady_t *s, procs_t *p, int days, const char *prefix, int timeout_ms)
{
    (void)s;
    int64_t before = clock_now_ms(), t0 = clock_mono_ms();
    for (int i = 0; i < PROCS_N; i++)
        if (steady_move(p, i, days * MS_PER_DAY)) return -1;
    uint64_t kept[PROCS_N] = {0};
    int done = 0;
    while (!done && clock_mono_ms() < t0 + timeout_ms) {
        done = 1;
        for (int i = 0; i < PROCS_N; i++) {
            Legalaid__Reply *rep = procs_status(p, i);
            if (!rep) {
                done = 0;
                continue;
            }
            const Legalaid__StreamStatus *st = rep->stream_status;
            /* Nothing left from before the move (each event then is more
             * than stream_keep_days old now) but the newest, which the
             * log always keeps (stream_trim.c). */
            if (st->log_events && st->oldest_at < before &&
                !(st->log_events == 1 && st->oldest_seq == st->head_seq))
                done = 0;
            kept[i] = st->log_events;
            legalaid__reply__free_unpacked(rep, NULL);
        }
        if (!done) steady_sleep(200);
    }
    printf("%s every clock moved %d days on: the stream logs %s from before in %.1f s (events kept: the "
           "newest and those made since: intake %llu, eligibility %llu, dispatch %llu, roster %llu, notify %llu)\n",
           prefix, days, done ? "trimmed of every event" : "NOT trimmed of every event",
           (clock_mono_ms() - t0) / 1000.0, (unsigned long long)kept[0], (unsigned long long)kept[1],
           (unsigned long long)kept[2], (unsigned long long)kept[3], (unsigned long long)kept[4]);
    fflush(stdout);
    if (!done) fprintf(stderr, "the stream logs were not trimmed within %d ms\n", timeout_ms);
    return done ? 0 : -1;
}

void steady_stop(steady_t *s)
{
    sink_stop(&s->sink);
}
