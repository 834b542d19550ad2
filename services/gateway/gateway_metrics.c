/*
 * gateway_metrics.c - GET /metrics in the Prometheus text format: the
 * gateway asks every daemon MetricsQuery at once, as an exporter does, and
 * answers when all have replied or [gateway] metrics_timeout_ms has passed
 * (well under a second): a daemon that is down is legalaid_up 0, and
 * nothing else of it is shown. Each family is written once, with every
 * daemon's samples under it (the format wants a family's lines together).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "gateway_int.h"
#include "log.h"

typedef struct gateway_scrape {
    gateway_req_t *r;
    Legalaid__Metrics *m[GW_NDAEMONS]; /* heap copies; NULL: no answer */
    int waiting;
} gateway_scrape_t;

/* A label value with \, " and newline escaped. */
static const char *gateway_metrics_label(const char *s, char *out, size_t size)
{
    size_t o = 0;
    for (; s && *s && o + 3 < size; s++) {
        if (*s == '\\' || *s == '"') out[o++] = '\\';
        if (*s == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
            continue;
        }
        out[o++] = *s;
    }
    out[o] = 0;
    return out;
}

static void gateway_metrics_family(buf_t *b, const char *name, const char *type, const char *help)
{
    buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void gateway_metrics_double(buf_t *b, double v)
{
    if (isinf(v))
        buf_printf(b, "%s", v > 0 ? "+Inf" : "-Inf");
    else
        buf_printf(b, "%.9g", v);
}

/* One histogram's lines under family name, with labels ("daemon=\"x\""). */
static void gateway_metrics_hist(buf_t *b, const char *name, const char *labels,
                                 const double *bounds, size_t n_bounds, const uint64_t *counts,
                                 size_t n_counts, double sum, uint64_t count)
{
    uint64_t cum = 0;
    for (size_t i = 0; i <= n_bounds && i < n_counts; i++) {
        cum += counts[i];
        buf_printf(b, "%s_bucket{%s%sle=\"", name, labels, *labels ? "," : "");
        if (i == n_bounds)
            buf_printf(b, "+Inf");
        else
            gateway_metrics_double(b, bounds[i]);
        buf_printf(b, "\"} %llu\n", (unsigned long long)cum);
    }
    buf_printf(b, "%s_sum{%s} ", name, labels);
    gateway_metrics_double(b, sum);
    buf_printf(b, "\n%s_count{%s} %llu\n", name, labels, (unsigned long long)count);
}

static const Legalaid__Histogram *gateway_metrics_find(const Legalaid__Metrics *m, const char *n)
{
    for (size_t i = 0; m && i < m->n_histograms; i++)
        if (m->histograms[i]->name && strcmp(m->histograms[i]->name, n) == 0)
            return m->histograms[i];
    return NULL;
}

static const char *const gateway_metrics_help[][2] = {
    {"turn_size", "Requests and upstream batches applied in one group-commit turn."},
    {"commit_seconds", "Duration of each turn's LMDB commit (with fsync)."},
    {"decision_seconds", "From receipt to the first eligibility decision (art. 43)."},
    {"assign_seconds", "From approval to the lawyer's assignment (art. 36, 43)."},
};

static void gateway_metrics_daemons(buf_t *b, gateway_scrape_t *s)
{
    char lab[512], v1[256], v2[256];
    int64_t now = clock_now_ms();

    gateway_metrics_family(b, "legalaid_up", "gauge",
                           "1 when the daemon answered this scrape in time, else 0.");
    for (int i = 0; i < GW_NDAEMONS; i++)
        buf_printf(b, "legalaid_up{daemon=\"%s\"} %d\n", gateway_link_names[i],
                               s->m[i] ? 1 : 0);

    gateway_metrics_family(b, "legalaid_process_start_time_seconds", "gauge",
                           "When the daemon's process started (Unix time).");
    for (int i = 0; i < GW_NDAEMONS; i++)
        if (s->m[i])
            buf_printf(b, "legalaid_process_start_time_seconds{daemon=\"%s\"} %.3f\n",
                                   gateway_link_names[i], (double)s->m[i]->started_at / 1000.0);

    gateway_metrics_family(b, "legalaid_turns_total", "counter",
                           "Group-commit turns run since the daemon started.");
    for (int i = 0; i < GW_NDAEMONS; i++)
        if (s->m[i])
            buf_printf(b, "legalaid_turns_total{daemon=\"%s\"} %llu\n",
                                   gateway_link_names[i], (unsigned long long)s->m[i]->turns);

    gateway_metrics_family(b, "legalaid_turns_redone_total", "counter",
                           "Turns run again, a child transaction per message, because a request "
                           "or event failed after it had written.");
    for (int i = 0; i < GW_NDAEMONS; i++)
        if (s->m[i])
            buf_printf(b, "legalaid_turns_redone_total{daemon=\"%s\"} %llu\n",
                                   gateway_link_names[i], (unsigned long long)s->m[i]->turns_redone);

    gateway_metrics_family(b, "legalaid_requests_total", "counter",
                           "Requests answered, by type and result code.");
    for (int i = 0; i < GW_NDAEMONS; i++)
        for (size_t k = 0; s->m[i] && k < s->m[i]->n_requests; k++) {
            const Legalaid__RequestTally *t = s->m[i]->requests[k];
            buf_printf(
                b, "legalaid_requests_total{daemon=\"%s\",type=\"%s\",result=\"%s\"} %llu\n",
                gateway_link_names[i], gateway_metrics_label(t->type, v1, sizeof v1),
                gateway_metrics_label(t->result, v2, sizeof v2), (unsigned long long)t->count);
        }

    /* Histograms: the known ones first, in a fixed order. */
    for (size_t h = 0; h < sizeof gateway_metrics_help / sizeof gateway_metrics_help[0]; h++) {
        const char *hn = gateway_metrics_help[h][0];
        int any = 0;
        for (int i = 0; i < GW_NDAEMONS; i++) any |= gateway_metrics_find(s->m[i], hn) != NULL;
        if (!any) continue;
        char family[96];
        snprintf(family, sizeof family, "legalaid_%s", hn);
        gateway_metrics_family(b, family, "histogram", gateway_metrics_help[h][1]);
        for (int i = 0; i < GW_NDAEMONS; i++) {
            const Legalaid__Histogram *x = gateway_metrics_find(s->m[i], hn);
            if (!x) continue;
            snprintf(lab, sizeof lab, "daemon=\"%s\"", gateway_link_names[i]);
            gateway_metrics_hist(b, family, lab, x->bounds, x->n_bounds, x->counts, x->n_counts,
                                 x->sum, x->count);
        }
    }

    gateway_metrics_family(b, "legalaid_stream_head_seq", "gauge",
                           "The last sequence number of the daemon's durable stream.");
    for (int i = 0; i < GW_NDAEMONS; i++)
        if (s->m[i] && s->m[i]->status)
            buf_printf(b, "legalaid_stream_head_seq{daemon=\"%s\"} %llu\n",
                                   gateway_link_names[i],
                                   (unsigned long long)s->m[i]->status->head_seq);

    gateway_metrics_family(b, "legalaid_consumer_lag", "gauge",
                           "Events of the stream its consumer has not yet acknowledged.");
    for (int i = 0; i < GW_NDAEMONS; i++)
        for (size_t k = 0; s->m[i] && s->m[i]->status && k < s->m[i]->status->n_consumers; k++) {
            const Legalaid__ConsumerPosition *c = s->m[i]->status->consumers[k];
            buf_printf(b, "legalaid_consumer_lag{daemon=\"%s\",consumer=\"%s\"} %llu\n",
                                   gateway_link_names[i],
                                   gateway_metrics_label(c->consumer, v1, sizeof v1),
                                   (unsigned long long)c->lag);
        }
    gateway_metrics_family(b, "legalaid_consumer_oldest_waiting_seconds", "gauge",
                           "Age of the oldest event its consumer has not acknowledged (0: none).");
    for (int i = 0; i < GW_NDAEMONS; i++)
        for (size_t k = 0; s->m[i] && s->m[i]->status && k < s->m[i]->status->n_consumers; k++) {
            const Legalaid__ConsumerPosition *c = s->m[i]->status->consumers[k];
            double age = c->lag && c->oldest_unconsumed_at && now > c->oldest_unconsumed_at
                             ? (double)(now - c->oldest_unconsumed_at) / 1000.0
                             : 0.0;
            buf_printf(
                b, "legalaid_consumer_oldest_waiting_seconds{daemon=\"%s\",consumer=\"%s\"} %.3f\n",
                gateway_link_names[i], gateway_metrics_label(c->consumer, v1, sizeof v1), age);
        }

    gateway_metrics_family(b, "legalaid_dead_letters", "gauge",
                           "Upstream events put aside because they could not be applied.");
    for (int i = 0; i < GW_NDAEMONS; i++)
        if (s->m[i] && s->m[i]->status)
            buf_printf(b, "legalaid_dead_letters{daemon=\"%s\"} %llu\n",
                                   gateway_link_names[i],
                                   (unsigned long long)s->m[i]->status->dead_letters);

    gateway_metrics_family(b, "legalaid_queue", "gauge",
                           "The daemon's domain queues and counts, as legalaidctl queues shows "
                           "them (needs_materials, offered_now, needs_staff, assignment_overdue, "
                           "outbox.pending, duty_requests_open, coverage_gaps_now ...).");
    for (int i = 0; i < GW_NDAEMONS; i++)
        for (size_t k = 0; s->m[i] && s->m[i]->status && k < s->m[i]->status->n_counters; k++) {
            const Legalaid__Counter *c = s->m[i]->status->counters[k];
            buf_printf(b, "legalaid_queue{daemon=\"%s\",queue=\"%s\"} %llu\n",
                                   gateway_link_names[i],
                                   gateway_metrics_label(c->name, v1, sizeof v1),
                                   (unsigned long long)c->value);
        }

    /* The qshape view (common/ageq.h): each queue's members by how long
     * they have waited; "backlog.<consumer>" a stream's unconsumed events,
     * "overdue" notify's deadlines past due by how late. */
    gateway_metrics_family(b, "legalaid_queue_age", "gauge",
                           "Members of each queue by how long they have waited (bucket le_5m, "
                           "le_1h, le_1d, le_1w, older), as legalaidctl queues shows them.");
    static const char *const age_buckets[] = {"le_5m", "le_1h", "le_1d", "le_1w", "older"};
    for (int i = 0; i < GW_NDAEMONS; i++)
        for (size_t k = 0; s->m[i] && s->m[i]->status && k < s->m[i]->status->n_queue_ages; k++) {
            const Legalaid__QueueAge *q = s->m[i]->status->queue_ages[k];
            for (size_t bk = 0; bk < q->n_buckets && bk < 5; bk++)
                buf_printf(b, "legalaid_queue_age{daemon=\"%s\",queue=\"%s\",bucket=\"%s\"} %llu\n",
                           gateway_link_names[i], gateway_metrics_label(q->name, v1, sizeof v1),
                           age_buckets[bk], (unsigned long long)q->buckets[bk]);
        }

    gateway_metrics_family(b, "legalaid_deadlines_overdue", "gauge",
                           "Legal deadlines past due and not met, by kind (decision, assignment, "
                           "agreement, closing_file, file_review, objection, verification, answer "
                           "...), from notify's timers.");
    for (int i = 0; i < GW_NDAEMONS; i++)
        for (size_t k = 0; s->m[i] && s->m[i]->status && k < s->m[i]->status->n_counters; k++) {
            const Legalaid__Counter *c = s->m[i]->status->counters[k];
            if (!c->name || strncmp(c->name, "overdue.", 8) != 0) continue;
            buf_printf(b, "legalaid_deadlines_overdue{daemon=\"%s\",kind=\"%s\"} %llu\n",
                       gateway_link_names[i], gateway_metrics_label(c->name + 8, v1, sizeof v1),
                       (unsigned long long)c->value);
        }
}

/* The gateway's own figures. */
static void gateway_metrics_self(buf_t *b)
{
    size_t n;
    const gateway_http_tally_t *t = gateway_http_tallies(&n);
    gateway_metrics_family(b, "legalaid_gateway_http_requests_total", "counter",
                           "HTTP requests the gateway answered, by route and status.");
    for (size_t i = 0; i < n; i++)
        buf_printf(b,
                               "legalaid_gateway_http_requests_total{route=\"%s\",status=\"%u\"} "
                               "%llu\n",
                               t[i].route, t[i].status, (unsigned long long)t[i].count);
    const metrics_hist_t *h = gateway_http_durations();
    gateway_metrics_family(b, "legalaid_gateway_http_request_seconds", "histogram",
                           "From a request's first byte to its answer.");
    gateway_metrics_hist(b, "legalaid_gateway_http_request_seconds", "", h->bounds,
                         (size_t)h->n_bounds, h->counts, (size_t)h->n_bounds + 1, h->sum,
                         h->count);
    gateway_metrics_family(b, "legalaid_gateway_open_connections", "gauge",
                           "HTTP requests the gateway holds now.");
    buf_printf(b, "legalaid_gateway_open_connections %zu\n",
                           gateway_http_open_connections());
    gateway_metrics_family(b, "legalaid_gateway_daemon_calls_waiting", "gauge",
                           "Requests to the daemons waiting for their reply.");
    buf_printf(b, "legalaid_gateway_daemon_calls_waiting %zu\n", gateway_link_waiting());
    gateway_metrics_family(b, "legalaid_gateway_agencies", "gauge",
                           "Agencies in the agencies file.");
    buf_printf(b, "legalaid_gateway_agencies %zu\n", gateway_agency_count());
}

static void gateway_metrics_reply(void *ctx, const Legalaid__Reply *reply);

typedef struct gateway_scrape_call {
    gateway_scrape_t *s;
    int daemon;
} gateway_scrape_call_t;

static void gateway_metrics_reply(void *ctx, const Legalaid__Reply *reply)
{
    gateway_scrape_call_t *c = ctx;
    gateway_scrape_t *s = c->s;
    if (reply && reply->code == LEGALAID__CODE__OK && reply->metrics) {
        size_t len = legalaid__metrics__get_packed_size(reply->metrics);
        uint8_t *p = malloc(len ? len : 1);
        if (p) {
            legalaid__metrics__pack(reply->metrics, p);
            s->m[c->daemon] = legalaid__metrics__unpack(NULL, len, p);
            free(p);
        }
    } else if (reply) {
        log_warn("metrics: %s answered %d: %s", gateway_link_names[c->daemon], (int)reply->code,
                 reply->error ? reply->error : "");
    }
    if (--s->waiting > 0) return;
    buf_t b = {0};
    gateway_metrics_daemons(&b, s);
    gateway_metrics_self(&b);
    for (int i = 0; i < GW_NDAEMONS; i++)
        if (s->m[i]) legalaid__metrics__free_unpacked(s->m[i], NULL);
    gateway_http_answer(s->r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data ? (const char *)b.data : "",
                        b.len);
    buf_free(&b);
}

void gateway_metrics_scrape(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_scrape_t *s = arena_alloc(&r->arena, sizeof *s);
    memset(s, 0, sizeof *s);
    s->r = r;
    s->waiting = GW_NDAEMONS;
    for (int i = 0; i < GW_NDAEMONS; i++) {
        gateway_scrape_call_t *c = arena_alloc(&r->arena, sizeof *c);
        c->s = s;
        c->daemon = i;
        Legalaid__MetricsQuery q = LEGALAID__METRICS_QUERY__INIT;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.body_case = LEGALAID__REQUEST__BODY_METRICS;
        req.metrics = &q;
        gateway_link_call(i, &req, (int)gateway_config.metrics_timeout_ms, 0, gateway_metrics_reply,
                          c);
    }
    gateway_http_suspend(r);
}
