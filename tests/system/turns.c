/*
 * turns.c - each daemon's turns and commits, from its Metrics (turns.h).
 */
#include "turns.h"

#include <stdio.h>
#include <string.h>

#include "client.h"
#include "clock.h"
#include "legalaid.pb-c.h"

static void turns_read(const Legalaid__Metrics *m, turns_t *t, int i)
{
    t->redone[i] = m->turns_redone;
    for (size_t h = 0; h < m->n_histograms; h++) {
        const Legalaid__Histogram *hg = m->histograms[h];
        if (!hg->name) continue;
        if (!strcmp(hg->name, "commit_seconds")) {
            t->commits[i] = hg->count;
            t->commit_s[i] = hg->sum;
        } else if (!strcmp(hg->name, "turn_size")) {
            t->items[i] = hg->sum;
        }
    }
}

void turns_sample(procs_t *p, turns_t *t)
{
    memset(t, 0, sizeof *t);
    t->ok = 1;
    for (int i = 0; i < PROCS_N; i++) {
        Legalaid__MetricsQuery q = LEGALAID__METRICS_QUERY__INIT;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.request_id = "metrics";
        req.body_case = LEGALAID__REQUEST__BODY_METRICS;
        req.metrics = &q;
        Legalaid__Reply *rep = procs_ask(p, i, &req, LEGALAID__REPLY__BODY_METRICS);
        if (rep) {
            turns_read(rep->metrics, t, i);
            legalaid__reply__free_unpacked(rep, NULL);
        } else {
            t->ok = 0;
        }
    }
    t->at_ms = clock_mono_ms();
}

void turns_print(const char *prefix, const turns_t *before, const turns_t *after, long apps)
{
    double span_s = (double)(after->at_ms - before->at_ms) / 1000.0;
    if (!before->ok || !after->ok || apps <= 0 || span_s <= 0) return;
    printf("%s turns (one write transaction each) per application, requests and batches a turn "
           "took, its commit's mean, the time committing, turns run again:",
           prefix);
    for (int i = 0; i < PROCS_N; i++) {
        double commits = (double)(after->commits[i] - before->commits[i]);
        double secs = after->commit_s[i] - before->commit_s[i];
        double items = after->items[i] - before->items[i];
        printf("%s %s %.2f, %.1f, %.2f ms, %.0f %%, %llu", i ? ";" : "", procs_names[i],
               commits / (double)apps, commits > 0 ? items / commits : 0.0,
               commits > 0 ? secs * 1000.0 / commits : 0.0, 100.0 * secs / span_s,
               (unsigned long long)(after->redone[i] - before->redone[i]));
    }
    printf("\n");
}
