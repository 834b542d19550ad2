/*
 * metrics.c - see metrics.h.
 */
#include "metrics.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Turns: how many requests and events one commit carries. */
static const double metrics_turn_bounds[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
/* A commit with fsync: from a page cache write to a slow disk. */
static const double metrics_commit_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                               0.05,   0.1,   0.25,   0.5,   1,    2.5};
/* Time to decide (art. 43: seven days once the application is complete):
 * from an hour to a month. */
static const double metrics_decision_bounds[] = {3600,   6 * 3600,   86400,      2 * 86400,
                                                 3 * 86400, 5 * 86400, 7 * 86400, 10 * 86400,
                                                 14 * 86400, 30 * 86400};
/* Time to assign (art. 35 and DOMAIN R-ASSIGN: three working days; a
 * notified defence at once): from ten minutes to a week. */
static const double metrics_assign_bounds[] = {600,       3600,      6 * 3600,  86400,
                                               2 * 86400, 3 * 86400, 5 * 86400, 7 * 86400};

#define METRICS_N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void metrics_hist_init(metrics_hist_t *h, const char *name, const double *b, int n)
{
    memset(h, 0, sizeof *h);
    h->name = name;
    h->bounds = b;
    h->n_bounds = n;
}

void metrics_init(metrics_t *m, int64_t now_ms)
{
    memset(m, 0, sizeof *m);
    metrics_hist_init(&m->turn_size, "turn_size", metrics_turn_bounds,
                      METRICS_N(metrics_turn_bounds));
    metrics_hist_init(&m->commit_seconds, "commit_seconds", metrics_commit_bounds,
                      METRICS_N(metrics_commit_bounds));
    m->started_at = now_ms;
}

void metrics_free(metrics_t *m)
{
    free(m->pend_req);
    free(m->pend_obs);
    m->pend_req = NULL;
    m->pend_obs = NULL;
    m->n_pend_req = m->n_pend_obs = m->cap_pend_req = m->cap_pend_obs = 0;
}

void metrics_hist_observe(metrics_hist_t *h, double v)
{
    int i = 0;
    while (i < h->n_bounds && v > h->bounds[i]) i++;
    h->counts[i]++;
    h->sum += v;
    h->count++;
}

void metrics_request(metrics_t *m, int body_case, int code)
{
    if (body_case < 0 || body_case >= METRICS_BODIES) body_case = 0;
    if (code < 0 || code >= METRICS_CODES) code = LEGALAID__CODE__INTERNAL;
    if (m->n_pend_req == m->cap_pend_req) {
        m->cap_pend_req = m->cap_pend_req ? m->cap_pend_req * 2 : 64;
        m->pend_req = xrealloc(m->pend_req, m->cap_pend_req * sizeof *m->pend_req);
    }
    m->pend_req[m->n_pend_req++] = (metrics_pending_request_t){(uint16_t)body_case, (uint16_t)code};
}

void metrics_observe(metrics_t *m, const char *name, double seconds)
{
    if (m->n_pend_obs == m->cap_pend_obs) {
        m->cap_pend_obs = m->cap_pend_obs ? m->cap_pend_obs * 2 : 16;
        m->pend_obs = xrealloc(m->pend_obs, m->cap_pend_obs * sizeof *m->pend_obs);
    }
    m->pend_obs[m->n_pend_obs++] = (metrics_pending_obs_t){name, seconds};
}

static metrics_hist_t *metrics_domain(metrics_t *m, const char *name)
{
    for (int i = 0; i < m->n_domain; i++)
        if (strcmp(m->domain[i].name, name) == 0) return &m->domain[i];
    if (m->n_domain == METRICS_DOMAIN_MAX) return NULL;
    metrics_hist_t *h = &m->domain[m->n_domain++];
    if (strcmp(name, "decision_seconds") == 0)
        metrics_hist_init(h, name, metrics_decision_bounds, METRICS_N(metrics_decision_bounds));
    else
        metrics_hist_init(h, name, metrics_assign_bounds, METRICS_N(metrics_assign_bounds));
    return h;
}

void metrics_redone(metrics_t *m)
{
    m->turns_redone++;
}

void metrics_discard(metrics_t *m)
{
    m->n_pend_req = m->n_pend_obs = 0;
}

void metrics_settle(metrics_t *m, int committed, size_t size, double commit_seconds)
{
    for (size_t i = 0; i < m->n_pend_req; i++) {
        int code = committed ? m->pend_req[i].code : LEGALAID__CODE__UNAVAILABLE;
        m->requests[m->pend_req[i].body][code]++;
    }
    if (committed) {
        for (size_t i = 0; i < m->n_pend_obs; i++) {
            metrics_hist_t *h = metrics_domain(m, m->pend_obs[i].name);
            if (h) metrics_hist_observe(h, m->pend_obs[i].value);
        }
        if (size) metrics_hist_observe(&m->turn_size, (double)size);
        metrics_hist_observe(&m->commit_seconds, commit_seconds);
    }
    m->turns++;
    metrics_discard(m);
}

static Legalaid__Histogram *metrics_hist_reply(const metrics_hist_t *h, arena_t *a)
{
    Legalaid__Histogram *out = ARENA_NEW(a, Legalaid__Histogram, legalaid__histogram__init);
    out->name = (char *)h->name;
    out->n_bounds = (size_t)h->n_bounds;
    out->bounds = arena_alloc(a, (size_t)(h->n_bounds + 1) * sizeof *out->bounds);
    memcpy(out->bounds, h->bounds, (size_t)h->n_bounds * sizeof *out->bounds);
    out->n_counts = (size_t)h->n_bounds + 1;
    out->counts = arena_alloc(a, out->n_counts * sizeof *out->counts);
    memcpy(out->counts, h->counts, out->n_counts * sizeof *out->counts);
    out->sum = h->sum;
    out->count = h->count;
    out->has_sum = out->has_count = 1;
    return out;
}

/* "SUBMIT_APPLICATION" -> "submit_application" in the arena. */
static char *metrics_lower(arena_t *a, const char *s)
{
    size_t n = strlen(s);
    char *out = arena_alloc(a, n + 1);
    for (size_t i = 0; i <= n; i++) out[i] = (char)tolower((unsigned char)s[i]);
    return out;
}

Legalaid__Metrics *metrics_reply(const metrics_t *m, arena_t *a)
{
    Legalaid__Metrics *out = ARENA_NEW(a, Legalaid__Metrics, legalaid__metrics__init);
    size_t n = 0;
    for (int b = 0; b < METRICS_BODIES; b++)
        for (int c = 0; c < METRICS_CODES; c++) n += m->requests[b][c] != 0;
    out->requests = arena_alloc(a, (n + 1) * sizeof *out->requests);
    for (int b = 0; b < METRICS_BODIES; b++) {
        const ProtobufCFieldDescriptor *f =
            b ? protobuf_c_message_descriptor_get_field(&legalaid__request__descriptor, (unsigned)b)
              : NULL;
        for (int c = 0; c < METRICS_CODES; c++) {
            if (!m->requests[b][c]) continue;
            Legalaid__RequestTally *r =
                ARENA_NEW(a, Legalaid__RequestTally, legalaid__request_tally__init);
            r->type = (char *)(f ? f->name : "none");
            const ProtobufCEnumValue *v =
                protobuf_c_enum_descriptor_get_value(&legalaid__code__descriptor, c);
            r->result = metrics_lower(a, v ? v->name : "unknown");
            r->count = m->requests[b][c];
            r->has_count = 1;
            out->requests[out->n_requests++] = r;
        }
    }
    out->histograms = arena_alloc(a, (size_t)(2 + m->n_domain) * sizeof *out->histograms);
    out->histograms[out->n_histograms++] = metrics_hist_reply(&m->turn_size, a);
    out->histograms[out->n_histograms++] = metrics_hist_reply(&m->commit_seconds, a);
    for (int i = 0; i < m->n_domain; i++)
        out->histograms[out->n_histograms++] = metrics_hist_reply(&m->domain[i], a);
    out->started_at = m->started_at;
    out->turns = m->turns;
    out->turns_redone = m->turns_redone;
    out->has_started_at = out->has_turns = out->has_turns_redone = 1;
    return out;
}
