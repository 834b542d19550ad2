/*
 * ctl_ops.c - what operations staff ask of every daemon, not of a case:
 *
 *   ping [NAME...]       every daemon (or the named ones) at once: up or
 *                        DOWN, and its pid. Exit status 0 only when every
 *                        one answered: legalaid-local waits on it for
 *                        readiness.
 *   queues               every daemon's stream: the head, each consumer's
 *                        acknowledged position, its lag, how long the
 *                        oldest unconsumed event has waited and when the
 *                        consumer last fetched; per daemon, what it has
 *                        applied of each upstream, its dead letters and its
 *                        counters. A daemon that does not answer is shown
 *                        as DOWN and the others still print.
 *   dead-letters NAME    a daemon's dead letters (most recent first) with
 *                        the event and why it could not be applied
 *   redrive NAME ID      applies one again once its cause is mended
 *   clock NAME advance MS   /   clock NAME set TIME
 *                        moves a daemon's test clock on, or sets it to TIME
 *                        (ISO 8601; test_clock = true only: what a test uses
 *                        to let an offer lapse or to stand on a duty day)
 *
 * notify's own outbox (dead notifications, their redrive) is in
 * ctl_notify.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"

/* --- the words of a command without options -------------------------------- */

int ctl_ops_words(const char *cmd, int argc, char **argv)
{
    static const struct option none[] = {{NULL, 0, NULL, 0}};
    return ctl_args_parse(cmd, argc, argv, none, NULL, CTL_ARGS_IN_ORDER);
}

/* --- ping ----------------------------------------------------------------- */

int ctl_ops_ping_run(ctl_t *ctl, int argc, char **argv)
{
    ctl_ask_t asks[CTL_NDAEMONS];
    Legalaid__Ping ping = LEGALAID__PING__INIT;
    size_t n = 0;
    int first = ctl_ops_words("ping", argc, argv);
    if (first < 0) return CTL_EXIT_FAILURE;
    for (int i = first; i < argc; i++) {
        int d = ctl_config_daemon_find(argv[i]);
        if (d < 0)
            return ctl_help_usage_error(
                "ping", _("'%s' is not a daemon (intake, eligibility, dispatch, roster, notify)"),
                argv[i]);
        if (n == CTL_NDAEMONS) return ctl_help_usage_error("ping", "%s", _("too many daemons"));
        ctl_ask_init(&asks[n++], (ctl_daemon_t)d);
    }
    if (first == argc)
        for (int d = 0; d < CTL_NDAEMONS; d++) ctl_ask_init(&asks[n++], (ctl_daemon_t)d);
    for (size_t i = 0; i < n; i++) {
        asks[i].req.body_case = LEGALAID__REQUEST__BODY_PING;
        asks[i].req.ping = &ping;
    }
    ctl_ask_all(ctl, asks, n);
    int down = 0;
    char why[1024], pid[32];
    json_t *arr = ctl->json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        const char *name = ctl_daemon_names[asks[i].daemon];
        const char *endpoint = ctl->endpoints[asks[i].daemon];
        int up = ctl_ask_ok(&asks[i]) && asks[i].reply->body_case == LEGALAID__REPLY__BODY_PONG;
        if (!up) down++;
        if (arr) {
            json_t *j = json_object();
            json_object_set_new(j, "daemon", json_string(name));
            json_object_set_new(j, "endpoint", json_string(endpoint));
            json_object_set_new(j, "up", json_boolean(up));
            if (up)
                json_object_set_new(j, "pid", json_integer(asks[i].reply->pong->pid));
            else
                json_object_set_new(j, "error",
                                    json_string(ctl_ask_problem(ctl, &asks[i], why, sizeof why)));
            json_array_append_new(arr, j);
            continue;
        }
        ctl_fmt_cell(name, 12);
        printf(" ");
        ctl_fmt_cell(up ? _("up") : _("DOWN"), 5);
        if (up) {
            printf(" ");
            snprintf(pid, sizeof pid, _("pid %d"), asks[i].reply->pong->pid);
            ctl_fmt_cell(pid, 12);
            printf("%s\n", endpoint);
        } else {
            printf(" %s\n", ctl_ask_problem(ctl, &asks[i], why, sizeof why));
        }
    }
    if (arr) ctl_json_print(arr);
    ctl_ask_free(asks, n);
    return down ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
}

/* --- queues --------------------------------------------------------------- */

/* The consumers of a stream: acknowledged position, lag, how long the
 * oldest unconsumed event waited, the last fetch. */
static void ctl_queues_print_consumers(const Legalaid__StreamStatus *st, int64_t now)
{
    char age[CTL_TIME_MAX], fetch[CTL_TIME_MAX + 32], num[32];
    ctl_fmt_row(_("consumer"));
    printf(" ");
    ctl_fmt_rpad(_("acked"), 10);
    printf(" ");
    ctl_fmt_rpad(_("lag"), 8);
    printf("  ");
    ctl_fmt_cell(_("oldest waiting"), 18);
    printf(" %s\n", _("last fetch"));
    for (size_t i = 0; i < st->n_consumers; i++) {
        const Legalaid__ConsumerPosition *c = st->consumers[i];
        const char *oldest = "-";
        if (c->lag && c->oldest_unconsumed_at)
            oldest = ctl_fmt_age(now - c->oldest_unconsumed_at, age);
        const char *last = _("never");
        if (c->last_fetch_at) {
            char a[CTL_TIME_MAX];
            snprintf(fetch, sizeof fetch, _("%s ago"), ctl_fmt_age(now - c->last_fetch_at, a));
            last = fetch;
        }
        ctl_fmt_row(ctl_fmt_str(c->consumer));
        snprintf(num, sizeof num, " %10llu %8llu  ", (unsigned long long)c->acked_seq,
                 (unsigned long long)c->lag);
        printf("%s", num);
        ctl_fmt_cell(oldest, 18);
        printf(" %s\n", last);
    }
}

/* What a daemon applied of each upstream, and how far behind its head. */
static void ctl_queues_print_upstreams(const Legalaid__StreamStatus *st,
                                       const Legalaid__StreamStatus *const *all)
{
    for (size_t i = 0; i < st->n_upstreams; i++) {
        const Legalaid__UpstreamOffset *u = st->upstreams[i];
        ctl_fmt_row(i ? "" : _("upstreams"));
        printf(_(" applied %llu of %s"), (unsigned long long)u->applied_seq,
               ctl_fmt_str(u->stream));
        uint64_t oldest = 0;
        for (int d = 0; d < CTL_NDAEMONS; d++) {
            if (!all[d] || !all[d]->stream || !u->stream || strcmp(all[d]->stream, u->stream) != 0)
                continue;
            oldest = all[d]->oldest_seq;
            if (all[d]->head_seq >= u->applied_seq)
                printf(_(" (head %llu, behind %llu)"), (unsigned long long)all[d]->head_seq,
                       (unsigned long long)(all[d]->head_seq - u->applied_seq));
        }
        /* A restored upstream, or one trimmed past what was applied here
         * (epoch.c): never a silent gap. */
        if (u->halted && oldest > u->applied_seq + 1)
            printf(_(" HALTED: %s no longer keeps the events after %llu (trimmed after "
                     "stream_keep_days): restore this daemon from a newer backup"),
                   ctl_fmt_str(u->stream), (unsigned long long)u->applied_seq);
        else if (u->halted)
            printf(_(" HALTED: %s was restored from a backup behind what was applied here"),
                   ctl_fmt_str(u->stream));
        if (u->lost_to)
            printf(_(" LOST seq %llu..%llu (see README \"Backup and restore\")"),
                   (unsigned long long)u->lost_from, (unsigned long long)u->lost_to);
        printf("\n");
    }
}

/* The row "storage": the environment's size and what the log keeps. */
static void ctl_queues_print_storage(const ctl_t *ctl, const Legalaid__StreamStatus *st)
{
    if (!st->has_data_bytes) return; /* a daemon from before issue 16 */
    ctl_fmt_row(_("storage"));
    printf(_(" data %.1f MB of a %.0f MB map; the stream log keeps %llu events"),
           (double)st->data_bytes / 1e6, (double)st->map_bytes / 1e6,
           (unsigned long long)st->log_events);
    if (st->has_oldest_seq) {
        char t[CTL_TIME_MAX];
        printf(_(", the oldest seq %llu of %s"), (unsigned long long)st->oldest_seq,
               ctl_fmt_time(ctl, st->oldest_at, t));
    }
    printf("\n");
}

static void ctl_queues_print_status(const ctl_t *ctl, const Legalaid__StreamStatus *st,
                                    const Legalaid__StreamStatus *const *all)
{
    char t[CTL_TIME_MAX], age[CTL_TIME_MAX], head[32];
    int64_t now = st->has_now ? st->now : 0;
    ctl_fmt_cell(ctl_fmt_str(st->daemon), 12);
    printf(" %s ", _("stream"));
    ctl_fmt_cell(ctl_fmt_str(st->stream), 12);
    snprintf(head, sizeof head, "%llu", (unsigned long long)st->head_seq);
    printf(" %s ", _("head"));
    ctl_fmt_cell(head, 8);
    if (st->has_head_at && st->head_at)
        printf(_(" last event %s (%s ago)"), ctl_fmt_time(ctl, st->head_at, t),
               ctl_fmt_age(now - st->head_at, age));
    if (st->restored_seq)
        printf(_(" restored at seq %llu, generation %llu"), (unsigned long long)st->restored_seq,
               (unsigned long long)st->epoch);
    if (st->lost_to)
        printf(_(" LOST seq %llu..%llu in the restore"), (unsigned long long)st->lost_from,
               (unsigned long long)st->lost_to);
    printf(_("  dead letters %llu\n"), (unsigned long long)st->dead_letters);
    ctl_queues_print_storage(ctl, st);
    if (st->n_consumers) {
        ctl_queues_print_consumers(st, now);
    } else {
        ctl_fmt_row(_("consumers"));
        printf(" %s\n", _("(none yet)"));
    }
    ctl_queues_print_upstreams(st, all);
    if (st->n_counters) {
        ctl_fmt_row(_("counters"));
        for (size_t i = 0; i < st->n_counters; i++)
            printf(" %s=%llu", ctl_fmt_str(st->counters[i]->name),
                   (unsigned long long)st->counters[i]->value);
        printf("\n");
    }
    /* How long each domain queue's members have waited (qshape's view). */
    for (size_t i = 0; i < st->n_queue_ages; i++) {
        const Legalaid__QueueAge *q = st->queue_ages[i];
        static const char *const bounds[] = {"<=5m", "<=1h", "<=1d", "<=1w", N_("older")};
        ctl_fmt_row(i ? "" : _("waited"));
        printf(" ");
        ctl_fmt_cell(ctl_fmt_str(q->name), 26);
        for (size_t b = 0; b < q->n_buckets && b < 5; b++)
            printf(" %s %-4llu", b == 4 ? _(bounds[b]) : bounds[b],
                   (unsigned long long)q->buckets[b]);
        printf(_(" total %llu\n"), (unsigned long long)q->total);
    }
}

int ctl_ops_queues_run(ctl_t *ctl, int argc, char **argv)
{
    int first = ctl_ops_words("queues", argc, argv);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (first < argc)
        return ctl_help_usage_error("queues", _("'%s': queues takes no words"), argv[first]);
    ctl_ask_t asks[CTL_NDAEMONS];
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    for (int d = 0; d < CTL_NDAEMONS; d++) {
        ctl_ask_init(&asks[d], (ctl_daemon_t)d);
        asks[d].req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
        asks[d].req.stream_status = &q;
    }
    ctl_ask_all(ctl, asks, CTL_NDAEMONS);
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
            if (all[d]) {
                ctl_queues_print_status(ctl, all[d], all);
                continue;
            }
            ctl_fmt_cell(ctl_daemon_names[d], 12);
            printf(_(" DOWN: %s\n"), ctl_ask_problem(ctl, &asks[d], why, sizeof why));
        }
    }
    ctl_ask_free(asks, CTL_NDAEMONS);
    return down ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
}

/* --- dead-letters, redrive ------------------------------------------------ */

static int ctl_dead_daemon(const char *name, const char *cmd)
{
    int d = name ? ctl_config_daemon_find(name) : -1;
    if (d < 0)
        ctl_help_usage_error(
            cmd, _("'%s' is not a daemon (intake, eligibility, dispatch, roster, notify)"),
            name ? name : "");
    return d;
}

static void ctl_dead_print(const ctl_t *ctl, const char *daemon, const Legalaid__DeadLetterList *l)
{
    if (ctl->json) {
        ctl_json_print(ctl_json_from_message(&l->base, 1));
        return;
    }
    printf(l->total == 1 ? _("%s: %llu dead letter\n") : _("%s: %llu dead letters\n"), daemon,
           (unsigned long long)l->total);
    for (size_t i = 0; i < l->n_dead_letters; i++) {
        const Legalaid__DeadLetter *dl = l->dead_letters[i];
        char when[CTL_TIME_MAX];
        printf(_("  %-6llu %s  %s:%llu  case %s\n         %s\n"), (unsigned long long)dl->id,
               ctl_fmt_time(ctl, dl->at, when), dl->stream ? dl->stream : "-",
               (unsigned long long)dl->seq,
               dl->event && dl->event->case_id && dl->event->case_id[0] ? dl->event->case_id : "-",
               dl->reason ? dl->reason : "-");
    }
}

int ctl_ops_dead_letters_run(ctl_t *ctl, int argc, char **argv)
{
    int first = ctl_ops_words("dead-letters", argc, argv);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 1)
        return ctl_help_usage_error("dead-letters", "%s",
                                    _("give one daemon: intake, eligibility, dispatch, roster or notify"));
    argv += first - 1;
    int d = ctl_dead_daemon(argv[1], "dead-letters");
    if (d < 0) return CTL_EXIT_FAILURE;
    Legalaid__DeadLettersQuery q = LEGALAID__DEAD_LETTERS_QUERY__INIT;
    ctl_ask_t a;
    ctl_ask_init(&a, (ctl_daemon_t)d);
    a.req.body_case = LEGALAID__REQUEST__BODY_DEAD_LETTERS;
    a.req.dead_letters = &q;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK && a.reply->body_case == LEGALAID__REPLY__BODY_DEAD_LETTER_LIST)
        ctl_dead_print(ctl, argv[1], a.reply->dead_letter_list);
    ctl_ask_free(&a, 1);
    return status;
}

int ctl_ops_redrive_run(ctl_t *ctl, int argc, char **argv)
{
    int first = ctl_ops_words("redrive", argc, argv);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 2)
        return ctl_help_usage_error("redrive", "%s",
                                    _("give a daemon and a dead letter's id (from dead-letters NAME)"));
    argv += first - 1;
    int d = ctl_dead_daemon(argv[1], "redrive");
    if (d < 0) return CTL_EXIT_FAILURE;
    char *end;
    unsigned long long id = strtoull(argv[2], &end, 10);
    if (*end || end == argv[2] || id == 0)
        return ctl_help_usage_error("redrive", _("'%s' is not a dead letter's id"), argv[2]);
    Legalaid__RedriveDeadLetter r = LEGALAID__REDRIVE_DEAD_LETTER__INIT;
    r.id = id;
    r.has_id = 1;
    ctl_ask_t a;
    ctl_ask_init(&a, (ctl_daemon_t)d);
    a.req.body_case = LEGALAID__REQUEST__BODY_REDRIVE_DEAD_LETTER;
    a.req.redrive_dead_letter = &r;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) {
        if (!ctl->json) printf(_("%s: dead letter %llu applied\n"), argv[1], id);
        if (a.reply->body_case == LEGALAID__REPLY__BODY_DEAD_LETTER_LIST)
            ctl_dead_print(ctl, argv[1], a.reply->dead_letter_list);
    }
    ctl_ask_free(&a, 1);
    return status;
}

/* --- clock ------------------------------------------------------------------ */

int ctl_ops_clock_run(ctl_t *ctl, int argc, char **argv)
{
    char *end = NULL;
    int first = ctl_ops_words("clock", argc, argv);
    if (first < 0) return CTL_EXIT_FAILURE;
    argv += first - 1;
    argc -= first - 1;
    if (argc != 4 || (strcmp(argv[2], "set") != 0 && strcmp(argv[2], "advance") != 0))
        return ctl_help_usage_error("clock", "%s",
                                    _("give a daemon, then advance MS or set TIME"));
    int set = strcmp(argv[2], "set") == 0;
    int64_t ms = 0;
    if (set) {
        if (pbjson_text_time(argv[3], ctl->utc_offset_min, &ms) < 0) ms = 0;
    } else {
        ms = strtoll(argv[3], &end, 10);
        if (!end || *end) ms = 0;
    }
    if (ms <= 0)
        return ctl_help_usage_error(
            "clock", set ? _("set %s: give a time like 2026-03-02T10:00:00+08:00")
                         : _("advance %s: give a number of milliseconds above 0"),
            argv[3]);
    int d = ctl_dead_daemon(argv[1], "clock");
    if (d < 0) return CTL_EXIT_FAILURE;
    Legalaid__ClockControl c = LEGALAID__CLOCK_CONTROL__INIT;
    if (set) {
        c.set_ms = ms;
        c.has_set_ms = 1;
    } else {
        c.advance_ms = ms;
        c.has_advance_ms = 1;
    }
    ctl_ask_t a;
    ctl_ask_init(&a, (ctl_daemon_t)d);
    a.req.body_case = LEGALAID__REQUEST__BODY_CLOCK;
    a.req.clock = &c;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK && a.reply->body_case == LEGALAID__REPLY__BODY_CLOCK)
        printf(_("%s: clock now %lld (offset %lld ms)\n"), argv[1], (long long)a.reply->clock->now_ms,
               (long long)a.reply->clock->offset_ms);
    ctl_ask_free(&a, 1);
    return status;
}
