/*
 * notify-harness.c - see notify-harness.h.
 */
#include "notify-harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "client.h"
#include "child.h"

#define NH_PARK_MS 300

static int64_t nh_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int nh_setup(nh_t *h, const char *bin, const char *const *sink_args)
{
    memset(h, 0, sizeof *h);
    snprintf(h->bin, sizeof h->bin, "%s", bin);
    snprintf(h->dir, sizeof h->dir, "/tmp/la-notify-XXXXXX");
    if (!mkdtemp(h->dir)) return -1;
    if (sink_start(&h->sink, bin, h->dir, sink_args)) return -1;
    h->zctx = zmq_ctx_new();
    h->producer = zmq_socket(h->zctx, ZMQ_ROUTER);
    int zero = 0;
    zmq_setsockopt(h->producer, ZMQ_LINGER, &zero, sizeof zero);
    char ep[700];
    snprintf(ep, sizeof ep, "ipc://%s/dispatch.sock", h->dir);
    if (zmq_bind(h->producer, ep) != 0) return -1;
    h->parked_id = calloc(1, sizeof(zmq_msg_t));
    return 0;
}

int nh_write_config(nh_t *h, const char *notify_keys)
{
    snprintf(h->config, sizeof h->config, "%s/legalaid.ini", h->dir);
    FILE *f = fopen(h->config, "w");
    if (!f) return -1;
    static const char *const names[] = {"intake", "eligibility", "dispatch", "roster"};
    for (int i = 0; i < 4; i++)
        fprintf(f, "[%s]\nendpoint = ipc://%s/%s.sock\n\n", names[i], h->dir, names[i]);
    const char *cut = strstr(__FILE__, "tests/system/");
    /* The harness plays notify's upstreams with plain sockets: what it
     * tests is delivery, not CURVE (the system tests run with it on). */
    fprintf(f, "[security]\nmode = off\n\n");
    /* The test's own keys first; a default only where the test gives none
     * (a key given twice is a configuration error). */
    const char *keys = notify_keys ? notify_keys : "";
    char defaults[2048];
    snprintf(defaults, sizeof defaults,
             "endpoint = ipc://%s/notify.sock\ndata_dir = %s/data-notify\n"
             "fetch_wait_ms = 200\nfetch_grace_ms = 1000\nsync = true\nconsumers = notify-test\n"
             "templates_dir = %.*sdeploy/notify-templates\n"
             "sms_url = http://127.0.0.1:%d/sms\nwebhook_staff = http://127.0.0.1:%d/staff\n"
             "quiet_hours =\n",
             h->dir, h->dir, cut ? (int)(cut - __FILE__) : 0, __FILE__, h->sink.port, h->sink.port);
    fprintf(f, "[notify]\n%s", keys);
    if (keys[0] && keys[strlen(keys) - 1] != '\n') fputc('\n', f);
    for (char *line = strtok(defaults, "\n"); line; line = strtok(NULL, "\n")) {
        size_t n = strcspn(line, " =");
        int given = 0;
        for (const char *k = keys; *k; k += strcspn(k, "\n"), k += *k == '\n')
            given |= strncmp(k, line, n) == 0 && (k[n] == ' ' || k[n] == '=');
        if (!given) fprintf(f, "%s\n", line);
    }
    fclose(f);
    return 0;
}

int nh_start(nh_t *h)
{
    char exe[700], log[700];
    snprintf(exe, sizeof exe, "%s/legalaid-notify", h->bin);
    snprintf(log, sizeof log, "%s/notify.log", h->dir);
    char *argv[] = {exe, "-c", h->config, NULL};
    h->notify_pid = child_spawn(argv, log);
    if (!h->notify_pid) return -1;
    Legalaid__Ping ping = LEGALAID__PING__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = "ping";
    req.body_case = LEGALAID__REQUEST__BODY_PING;
    req.ping = &ping;
    Legalaid__Reply *r = nh_call(h, &req);
    if (!r) {
        fprintf(stderr, "notify did not answer a ping (see %s)\n", log);
        return -1;
    }
    legalaid__reply__free_unpacked(r, NULL);
    return 0;
}

int nh_run_to_exit(nh_t *h, int timeout_ms)
{
    char exe[700], log[700];
    snprintf(exe, sizeof exe, "%s/legalaid-notify", h->bin);
    snprintf(log, sizeof log, "%s/notify.log", h->dir);
    char *argv[] = {exe, "-c", h->config, NULL};
    pid_t pid = child_spawn(argv, log);
    if (!pid) return -1;
    int status = 0;
    for (int waited = 0; waited < timeout_ms; waited += 20) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(20000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

void nh_kill(nh_t *h)
{
    if (h->notify_pid <= 0) return;
    kill(h->notify_pid, SIGKILL);
    waitpid(h->notify_pid, NULL, 0);
    h->notify_pid = 0;
}

int nh_stop(nh_t *h)
{
    if (h->notify_pid <= 0) return -1;
    kill(h->notify_pid, SIGTERM);
    int status = 0;
    waitpid(h->notify_pid, &status, 0);
    h->notify_pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void nh_teardown(nh_t *h)
{
    nh_kill(h);
    sink_stop(&h->sink);
    if (h->parked) zmq_msg_close(h->parked_id);
    free(h->parked_id);
    if (h->producer) zmq_close(h->producer);
    if (h->zctx) zmq_ctx_term(h->zctx);
    for (size_t i = 0; i < h->n_events; i++) free(h->frames[i]);
    free(h->frames);
    free(h->lens);
    if (h->remove_dir && strncmp(h->dir, "/tmp/la-notify-", 15) == 0) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->dir);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", h->dir);
    } else {
        fprintf(stderr, "notify-harness: logs and data kept in %s\n", h->dir);
    }
}

void nh_append(nh_t *h, Legalaid__Event *ev)
{
    if (h->n_events == h->cap_events) {
        h->cap_events = h->cap_events ? h->cap_events * 2 : 256;
        h->frames = realloc(h->frames, h->cap_events * sizeof *h->frames);
        h->lens = realloc(h->lens, h->cap_events * sizeof *h->lens);
    }
    char id[64];
    ev->seq = h->n_events + 1;
    ev->has_seq = 1;
    snprintf(id, sizeof id, "dispatch:%llu", (unsigned long long)ev->seq);
    ev->event_id = id;
    ev->stream = "dispatch";
    size_t len = legalaid__event__get_packed_size(ev);
    h->frames[h->n_events] = malloc(len ? len : 1);
    legalaid__event__pack(ev, h->frames[h->n_events]);
    h->lens[h->n_events] = len;
    h->n_events++;
    ev->event_id = NULL;
}

/* Answers the parked fetch with the events after its after_seq. */
static void nh_answer(nh_t *h, const char *request_id, uint64_t after, uint32_t max)
{
    Legalaid__Batch b = LEGALAID__BATCH__INIT;
    b.stream = "dispatch";
    b.head_seq = h->n_events;
    b.has_head_seq = 1;
    size_t from = after, to = h->n_events;
    if (to > from + max) to = from + max;
    Legalaid__Event **evs = calloc(to > from ? to - from : 1, sizeof *evs);
    for (size_t i = from; i < to; i++)
        evs[b.n_events++] = legalaid__event__unpack(NULL, h->lens[i], h->frames[i]);
    b.events = evs;
    Legalaid__Reply r = LEGALAID__REPLY__INIT;
    r.request_id = (char *)request_id;
    r.code = LEGALAID__CODE__OK;
    r.has_code = 1;
    r.body_case = LEGALAID__REPLY__BODY_BATCH;
    r.batch = &b;
    size_t len = legalaid__reply__get_packed_size(&r);
    uint8_t *out = malloc(len ? len : 1);
    legalaid__reply__pack(&r, out);
    zmq_msg_send(h->parked_id, h->producer, ZMQ_SNDMORE);
    zmq_send(h->producer, out, len, 0);
    h->parked = 0;
    free(out);
    for (size_t i = 0; i < b.n_events; i++) legalaid__event__free_unpacked(evs[i], NULL);
    free(evs);
}

void nh_serve(nh_t *h, int ms)
{
    int64_t end = nh_mono() + ms, parked_at = 0;
    static char request_id[128];
    static uint32_t max = 1000;
    while (nh_mono() < end) {
        zmq_pollitem_t it = {h->producer, 0, ZMQ_POLLIN, 0};
        zmq_poll(&it, 1, 20);
        while (zmq_poll(&it, 1, 0) > 0 && (it.revents & ZMQ_POLLIN)) {
            zmq_msg_t id, part;
            zmq_msg_init(&id);
            zmq_msg_recv(&id, h->producer, 0);
            zmq_msg_init(&part);
            zmq_msg_recv(&part, h->producer, 0);
            while (zmq_msg_more(&part)) { /* a delimiter first: take the last frame */
                zmq_msg_close(&part);
                zmq_msg_init(&part);
                zmq_msg_recv(&part, h->producer, 0);
            }
            Legalaid__Request *req =
                legalaid__request__unpack(NULL, zmq_msg_size(&part), zmq_msg_data(&part));
            if (req && req->body_case == LEGALAID__REQUEST__BODY_FETCH) {
                if (h->parked) zmq_msg_close(h->parked_id);
                zmq_msg_init(h->parked_id);
                zmq_msg_move(h->parked_id, &id);
                h->parked = 1;
                h->parked_after = req->fetch->after_seq;
                max = req->fetch->max_events ? req->fetch->max_events : 1000;
                snprintf(request_id, sizeof request_id, "%s", req->request_id ? req->request_id : "");
                parked_at = nh_mono();
            }
            if (req) legalaid__request__free_unpacked(req, NULL);
            zmq_msg_close(&id);
            zmq_msg_close(&part);
        }
        if (h->parked && (h->n_events > h->parked_after || nh_mono() - parked_at >= NH_PARK_MS))
            nh_answer(h, request_id, h->parked_after, max);
    }
}

Legalaid__Reply *nh_call(nh_t *h, Legalaid__Request *req)
{
    char ep[700];
    snprintf(ep, sizeof ep, "ipc://%s/notify.sock", h->dir);
    client_t *c = client_new(ep, 500, 10000);
    if (!c) return NULL;
    Legalaid__Reply *r = NULL;
    int rc = client_call(c, req, &r);
    client_destroy(&c);
    return rc ? NULL : r;
}

uint64_t nh_counter(nh_t *h, const char *name)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    Legalaid__Reply *r = nh_call(h, &req);
    uint64_t v = UINT64_MAX;
    for (size_t i = 0; r && r->stream_status && i < r->stream_status->n_counters; i++)
        if (!strcmp(r->stream_status->counters[i]->name, name))
            v = r->stream_status->counters[i]->value;
    if (r) legalaid__reply__free_unpacked(r, NULL);
    return v;
}

int64_t nh_clock(nh_t *h, int64_t set_ms)
{
    Legalaid__ClockControl cc = LEGALAID__CLOCK_CONTROL__INIT;
    if (set_ms) {
        cc.set_ms = set_ms;
        cc.has_set_ms = 1;
    }
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_CLOCK;
    req.clock = &cc;
    Legalaid__Reply *r = nh_call(h, &req);
    int64_t now = r && r->clock ? r->clock->now_ms : 0;
    if (r) legalaid__reply__free_unpacked(r, NULL);
    return now;
}

size_t nh_stream_count(nh_t *h, Legalaid__Event__BodyCase kind, size_t *breached)
{
    size_t n = 0;
    uint64_t after = 0;
    if (breached) *breached = 0;
    for (;;) {
        Legalaid__Fetch f = LEGALAID__FETCH__INIT;
        f.stream = "notify";
        f.consumer = "notify-test";
        f.after_seq = after;
        f.has_after_seq = 1;
        f.max_events = 1000;
        f.has_max_events = 1;
        f.wait_ms = 0;
        f.has_wait_ms = 1;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.body_case = LEGALAID__REQUEST__BODY_FETCH;
        req.fetch = &f;
        Legalaid__Reply *r = nh_call(h, &req);
        if (!r || !r->batch || r->batch->n_events == 0) {
            if (r) legalaid__reply__free_unpacked(r, NULL);
            return n;
        }
        for (size_t i = 0; i < r->batch->n_events; i++) {
            const Legalaid__Event *ev = r->batch->events[i];
            after = ev->seq;
            if (ev->body_case != kind) continue;
            n++;
            if (breached && kind == LEGALAID__EVENT__BODY_DEADLINE_DUE && ev->deadline_due->breached)
                (*breached)++;
        }
        legalaid__reply__free_unpacked(r, NULL);
    }
}

size_t nh_sink_count(nh_t *h, const char *what, const char *part)
{
    FILE *f = fopen(h->sink.log, "r");
    if (!f) return 0;
    char line[1024];
    size_t n = 0, wl = strlen(what);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, what, wl) == 0 && line[wl] == ' ' && (!part || strstr(line + wl, part)))
            n++;
    fclose(f);
    return n;
}

static int nh_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int nh_sink_new_unique(nh_t *h)
{
    FILE *f = fopen(h->sink.log, "r");
    if (!f) return 1;
    char line[1024], **keys = NULL;
    size_t n = 0, cap = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "new ", 4) != 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            keys = realloc(keys, cap * sizeof *keys);
        }
        line[strcspn(line + 4, " \n") + 4] = 0;
        keys[n++] = strdup(line + 4);
    }
    fclose(f);
    qsort(keys, n, sizeof *keys, nh_cmp);
    int unique = 1;
    for (size_t i = 1; i < n; i++)
        if (!strcmp(keys[i - 1], keys[i])) {
            fprintf(stderr, "key sent as new twice: %s\n", keys[i]);
            unique = 0;
        }
    for (size_t i = 0; i < n; i++) free(keys[i]);
    free(keys);
    return unique;
}
