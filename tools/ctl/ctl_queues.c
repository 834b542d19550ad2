/*
 * ctl_queues.c - `legalaidctl queues`: every daemon's stream as operations
 * staff need to see it. Per stream: the head, each consumer's acknowledged
 * position, its lag, how long the oldest unconsumed event has waited and
 * when the consumer last fetched; per daemon: what it has applied of each
 * upstream, its dead letters and its counters. A daemon that does not
 * answer is shown as DOWN and the others still print.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"

static void ctl_queues_print_status(const ctl_t *ctl, const Legalaid__StreamStatus *st,
                                    const Legalaid__StreamStatus *const *all)
{
    char t[CTL_TIME_MAX], age[CTL_TIME_MAX], fetch[CTL_TIME_MAX];
    int64_t now = st->has_now ? st->now : 0;
    printf("%-12s stream %-12s head %-8llu", ctl_str(st->daemon), ctl_str(st->stream),
           (unsigned long long)st->head_seq);
    if (st->has_head_at && st->head_at)
        printf(" last event %s (%s ago)", ctl_time_format(ctl, st->head_at, t),
               ctl_age_format(now - st->head_at, age));
    printf("  dead letters %llu\n", (unsigned long long)st->dead_letters);
    if (st->n_consumers) {
        printf("  %-14s %10s %8s  %-18s %s\n", "consumer", "acked", "lag", "oldest waiting",
               "last fetch");
        for (size_t i = 0; i < st->n_consumers; i++) {
            const Legalaid__ConsumerPosition *c = st->consumers[i];
            const char *oldest = "-";
            if (c->lag && c->oldest_unconsumed_at)
                oldest = ctl_age_format(now - c->oldest_unconsumed_at, age);
            const char *last = "never";
            if (c->last_fetch_at) {
                ctl_age_format(now - c->last_fetch_at, fetch);
                strncat(fetch, " ago", sizeof fetch - strlen(fetch) - 1);
                last = fetch;
            }
            printf("  %-14s %10llu %8llu  %-18s %s\n", ctl_str(c->consumer),
                   (unsigned long long)c->acked_seq, (unsigned long long)c->lag, oldest, last);
        }
    } else {
        printf("  %-14s (none yet)\n", "consumers");
    }
    for (size_t i = 0; i < st->n_upstreams; i++) {
        const Legalaid__UpstreamOffset *u = st->upstreams[i];
        printf("  %-14s applied %llu", i ? "" : "upstreams", (unsigned long long)u->applied_seq);
        printf(" of %s", ctl_str(u->stream));
        for (int d = 0; d < CTL_NDAEMONS; d++)
            if (all[d] && all[d]->stream && u->stream && strcmp(all[d]->stream, u->stream) == 0 &&
                all[d]->head_seq >= u->applied_seq)
                printf(" (head %llu, behind %llu)", (unsigned long long)all[d]->head_seq,
                       (unsigned long long)(all[d]->head_seq - u->applied_seq));
        printf("\n");
    }
    if (st->n_counters) {
        printf("  %-14s", "counters");
        for (size_t i = 0; i < st->n_counters; i++)
            printf(" %s=%llu", ctl_str(st->counters[i]->name),
                   (unsigned long long)st->counters[i]->value);
        printf("\n");
    }
}

int ctl_queues_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "usage: legalaidctl [--json] queues\n");
        return CTL_EXIT_FAILURE;
    }
    (void)argv;
    ctl_ask_t asks[CTL_NDAEMONS];
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    for (int d = 0; d < CTL_NDAEMONS; d++) {
        ctl_ask_init(&asks[d], (ctl_daemon_t)d);
        asks[d].req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
        asks[d].req.stream_status = &q;
    }
    ctl_asks_run(ctl, asks, CTL_NDAEMONS);
    const Legalaid__StreamStatus *all[CTL_NDAEMONS];
    int down = 0;
    for (int d = 0; d < CTL_NDAEMONS; d++) {
        all[d] =
            ctl_ask_ok(&asks[d]) && asks[d].reply->body_case == LEGALAID__REPLY__BODY_STREAM_STATUS
                ? asks[d].reply->stream_status
                : NULL;
        if (!all[d]) down++;
    }
    char why[1024];
    if (ctl->json) {
        json_t *arr = json_array();
        for (int d = 0; d < CTL_NDAEMONS; d++) {
            json_t *j;
            if (all[d]) {
                j = ctl_json_from_message(&all[d]->base, 1);
                json_object_set_new(j, "up", json_true());
            } else {
                j = json_object();
                json_object_set_new(j, "daemon", json_string(ctl_daemon_names[d]));
                json_object_set_new(j, "up", json_false());
                json_object_set_new(j, "error",
                                    json_string(ctl_ask_problem(ctl, &asks[d], why, sizeof why)));
            }
            json_array_append_new(arr, j);
        }
        ctl_json_print(arr);
    } else {
        for (int d = 0; d < CTL_NDAEMONS; d++) {
            if (all[d])
                ctl_queues_print_status(ctl, all[d], all);
            else
                printf("%-12s DOWN: %s\n", ctl_daemon_names[d],
                       ctl_ask_problem(ctl, &asks[d], why, sizeof why));
        }
    }
    ctl_asks_free(asks, CTL_NDAEMONS);
    return down ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
}
