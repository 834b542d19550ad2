/*
 * core.c - the requests every daemon answers, whatever its service:
 * Fetch (its stream; checked and parked by fetch.c), StreamStatus (its
 * queues), Metrics (the same with the daemon's histograms), Daily (its
 * figures by day), CaseEvents (its part of a case's timeline), DeadLetters and
 * RedriveDeadLetter (deadletter.c), Backup (backup.c), Compact (compact.c),
 * ClockControl (tests only) and Ping.
 * The engine (commit.c) asks core_is_query before it looks for a stored
 * reply and core_request before the service's handler.
 */
#include <errno.h>
#include <unistd.h>

#include "clock.h"
#include "daemon_int.h"
#include "log.h"
#include "stream_age.h"
#include "stream_trim.h"
#include "i18n.h"

int core_is_query(daemon_t *d, const Legalaid__Request *req)
{
    (void)d;
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_FETCH:
    case LEGALAID__REQUEST__BODY_STREAM_STATUS:
    case LEGALAID__REQUEST__BODY_CASE_EVENTS:
    case LEGALAID__REQUEST__BODY_CLOCK:
    case LEGALAID__REQUEST__BODY_PING:
    case LEGALAID__REQUEST__BODY_DEAD_LETTERS:
    case LEGALAID__REQUEST__BODY_AUDIT:
    case LEGALAID__REQUEST__BODY_METRICS:
    case LEGALAID__REQUEST__BODY_DAILY:
    case LEGALAID__REQUEST__BODY_STATS:
    case LEGALAID__REQUEST__BODY_BACKUP:
    case LEGALAID__REQUEST__BODY_COMPACT:
        return 1;
    default:
        return 0;
    }
}

/* Each consumer's backlog by age ("backlog.<consumer>", stream_age.h). */
static int core_status_backlog(turn_t *t, Legalaid__StreamStatus *st)
{
    for (size_t i = 0; i < st->n_consumers; i++) {
        const Legalaid__ConsumerPosition *c = st->consumers[i];
        uint64_t buckets[AGEQ_BUCKETS];
        int rc = stream_age_backlog(t->txn, t->d->stream.log_at, c->acked_seq, st->head_seq,
                                    t->now, buckets);
        if (rc) return rc;
        ageq_append(st, t->arena, arena_printf(t->arena, "backlog.%s", c->consumer), buckets,
                    c->oldest_unconsumed_at);
    }
    return 0;
}

static int core_status(turn_t *t, Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    ProtobufCAllocator *al = &t->arena->pb;
    Legalaid__StreamStatus *st =
        ARENA_NEW(t->arena, Legalaid__StreamStatus, legalaid__stream_status__init);
    int rc = stream_status(&d->stream, t->txn, al, st);
    if (rc) return rc;
    st->daemon = (char *)d->svc->name;
    st->now = t->now;
    st->has_now = 1;
    st->dead_letters = store_count(t->txn, d->dead);
    st->has_dead_letters = 1;
    MDB_envinfo info;
    MDB_stat es;
    if (mdb_env_info(d->store.env, &info) == 0 && mdb_env_stat(d->store.env, &es) == 0) {
        st->data_bytes = (uint64_t)(info.me_last_pgno + 1) * es.ms_psize;
        st->has_data_bytes = 1;
        st->map_bytes = info.me_mapsize;
        st->has_map_bytes = 1;
    }
    st->n_upstreams = (size_t)d->n_upstreams;
    st->upstreams = arena_alloc(t->arena, (size_t)(d->n_upstreams + 1) * sizeof *st->upstreams);
    for (int i = 0; i < d->n_upstreams; i++) {
        Legalaid__UpstreamOffset *o =
            ARENA_NEW(t->arena, Legalaid__UpstreamOffset, legalaid__upstream_offset__init);
        o->stream = d->upstreams[i].name;
        store_get_u64(t->txn, d->offsets, o->stream, &o->applied_seq);
        o->has_applied_seq = 1;
        st->upstreams[i] = o;
    }
    epoch_status(d, t->txn, st);
    uint64_t seal[RESEAL_COUNTERS];
    if ((rc = reseal_counters(d, t->txn, seal))) return rc;
    static const char *const seal_names[RESEAL_COUNTERS] = {"seal.key", "seal.keys_in_use",
                                                            "seal.resealing", "seal.moved"};
    for (int i = 0; d->sec.ring && i < RESEAL_COUNTERS; i++)
        turn_counter(t, st, seal_names[i], seal[i]);
    if ((rc = core_status_backlog(t, st))) return rc;
    if (d->svc->counters) {
        rc = d->svc->counters(t, st);
        if (rc) return rc;
    }
    reply->body_case = LEGALAID__REPLY__BODY_STREAM_STATUS;
    reply->stream_status = st;
    return 1;
}

/* DailyQuery: the figures the daemon keeps by day (daily.h). */
static int core_daily(turn_t *t, const Legalaid__DailyQuery *q, Legalaid__Reply *reply)
{
    Legalaid__DailyFigures *f =
        ARENA_NEW(t->arena, Legalaid__DailyFigures, legalaid__daily_figures__init);
    f->daemon = (char *)t->d->svc->name;
    const char *err = NULL;
    int rc = daily_figures(t->txn, t->d->daily, q, t->now, f, t->arena, &err);
    if (rc == -EINVAL) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "daily", _("%s"), err);
        return 1;
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_DAILY;
    reply->daily = f;
    return 1;
}

/* StatsQuery: the statistics the daemon keeps (stats.h). */
static int core_stats(turn_t *t, const Legalaid__StatsQuery *q, Legalaid__Reply *reply)
{
    Legalaid__StatsFigures *f =
        ARENA_NEW(t->arena, Legalaid__StatsFigures, legalaid__stats_figures__init);
    f->daemon = (char *)t->d->svc->name;
    const char *err = NULL;
    int rc = stats_figures(t->txn, t->d->stats, q, f, t->arena, &err);
    if (rc == -EINVAL) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "stats", _("%s"), err);
        return 1;
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_STATS;
    reply->stats = f;
    return 1;
}

/* MetricsQuery: the status, and what the daemon counted since it started. */
static int core_metrics(turn_t *t, Legalaid__Reply *reply)
{
    int rc = core_status(t, reply);
    if (rc < 0) return rc;
    Legalaid__Metrics *m = metrics_reply(&t->d->metrics, t->arena);
    m->status = reply->stream_status;
    reply->body_case = LEGALAID__REPLY__BODY_METRICS;
    reply->metrics = m;
    return 1;
}

static int core_case_events(turn_t *t, const Legalaid__CaseEventsQuery *q, Legalaid__Reply *reply)
{
    if (!q->case_id || !q->case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "case_events.case_id",
                  _("case_events.case_id is required"));
        return 1;
    }
    Legalaid__CaseEvents *ce =
        ARENA_NEW(t->arena, Legalaid__CaseEvents, legalaid__case_events__init);
    int rc = stream_case_events(&t->d->stream, t->txn, q->case_id, &t->arena->pb, ce);
    if (rc) return rc;
    for (size_t i = 0; t->d->svc->shown && i < ce->n_events; i++)
        t->d->svc->shown(t->arena, ce->events[i]);
    reply->body_case = LEGALAID__REPLY__BODY_CASE_EVENTS;
    reply->case_events = ce;
    return 1;
}

static int core_clock(turn_t *t, const Legalaid__ClockControl *c, Legalaid__Reply *reply)
{
    if ((c->has_set_ms || c->has_advance_ms) && !t->d->cfg.test_clock) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "clock",
                  _("clock control is disabled: set test_clock = true in [%s] (tests only)"),
                  t->d->svc->name);
        return 1;
    }
    if (c->has_set_ms) clock_set_ms(c->set_ms);
    if (c->has_advance_ms) clock_advance_ms(c->advance_ms);
    if (c->has_set_ms || c->has_advance_ms)
        log_info("test clock moved offset_ms=%lld", (long long)clock_offset_ms());
    Legalaid__ClockState *cs =
        ARENA_NEW(t->arena, Legalaid__ClockState, legalaid__clock_state__init);
    cs->now_ms = clock_now_ms();
    cs->has_now_ms = 1;
    cs->offset_ms = clock_offset_ms();
    cs->has_offset_ms = 1;
    reply->body_case = LEGALAID__REPLY__BODY_CLOCK;
    reply->clock = cs;
    return 1;
}

/* ReloadKeys: re-reads the allow-list and the data key file, as SIGHUP
 * does. */
/* DropConsumer: staff forget a position on the stream (a name left by a
 * peer before fetches were checked, fetch.c). */
static int core_drop_consumer(turn_t *t, const Legalaid__DropConsumer *q, Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    if (!q->consumer || !q->consumer[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "drop_consumer.consumer",
                  _("name the consumer whose position to drop"));
        return 1;
    }
    uint64_t acked = 0;
    int rc = stream_consumer_drop(&d->stream, t->txn, q->consumer, &acked);
    if (rc && rc != MDB_NOTFOUND) return rc;
    if (rc == 0 || fetch_consumer_known(d, q->consumer)) {
        /* It no longer holds the stream log's trim (stream_trim.h). */
        int trc = stream_trim_dropped(d, t->txn, q->consumer);
        if (trc) return trc;
    }
    Legalaid__ConsumerDropped *r =
        ARENA_NEW(t->arena, Legalaid__ConsumerDropped, legalaid__consumer_dropped__init);
    r->stream = (char *)d->stream.name;
    r->consumer = q->consumer;
    r->dropped = rc == 0;
    r->acked_seq = acked;
    r->configured = fetch_consumer_known(d, q->consumer);
    r->has_dropped = r->has_acked_seq = r->has_configured = 1;
    if (r->dropped)
        log_info("consumer %s dropped from the stream %s by %s (it had acknowledged %llu)",
                 q->consumer, d->stream.name, turn_who(t), (unsigned long long)acked);
    reply->body_case = LEGALAID__REPLY__BODY_CONSUMER_DROPPED;
    reply->consumer_dropped = r;
    return 1;
}

static int core_reload_keys(turn_t *t, Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    char err[600];
    if (!d->sec.on) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, NULL,
                  _("%s runs with [security] mode = off: there is no allow-list to reload"),
                  d->svc->name);
        return 1;
    }
    if (security_reload(&d->sec, err, sizeof err) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, NULL,
                  _("允许名单有误, 未重新加载, 旧名单继续有效 (the allow-list was not reloaded, the "
                  "old one stays): %s"),
                  err);
        return 1;
    }
    if (reseal_reload(d, t->txn, err, sizeof err) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, NULL,
                  _("数据密钥文件未重新加载, 旧密钥继续有效 (the data key file was not reloaded, "
                  "the old keys stay; the allow-list was): %s"),
                  err);
        return 1;
    }
    Legalaid__KeysReloaded *k =
        ARENA_NEW(t->arena, Legalaid__KeysReloaded, legalaid__keys_reloaded__init);
    for (size_t i = 0; i < d->sec.allow.n; i++) {
        if (d->sec.allow.entries[i].revoked)
            k->revoked++;
        else
            k->principals++;
    }
    k->has_principals = k->has_revoked = 1;
    k->data_key = d->sec.ring ? d->sec.ring->current : 0;
    k->resealing = d->reseal_due;
    k->has_data_key = k->has_resealing = 1;
    log_info("allow-list reloaded by %s principals=%u revoked=%u", turn_who(t), k->principals,
             k->revoked);
    reply->body_case = LEGALAID__REPLY__BODY_KEYS_RELOADED;
    reply->keys_reloaded = k;
    return 1;
}

int core_request(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply, parked_t *park)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_FETCH:
        return fetch_request(t, req->fetch, reply, park);
    case LEGALAID__REQUEST__BODY_STREAM_STATUS:
        return core_status(t, reply);
    case LEGALAID__REQUEST__BODY_METRICS:
        return core_metrics(t, reply);
    case LEGALAID__REQUEST__BODY_DAILY:
        return core_daily(t, req->daily, reply);
    case LEGALAID__REQUEST__BODY_STATS:
        return core_stats(t, req->stats, reply);
    case LEGALAID__REQUEST__BODY_CASE_EVENTS:
        return core_case_events(t, req->case_events, reply);
    case LEGALAID__REQUEST__BODY_CLOCK:
        return core_clock(t, req->clock, reply);
    case LEGALAID__REQUEST__BODY_DEAD_LETTERS:
        return deadletter_list(t, req->dead_letters, reply);
    case LEGALAID__REQUEST__BODY_REDRIVE_DEAD_LETTER:
        return deadletter_redrive(t, req->redrive_dead_letter, reply);
    case LEGALAID__REQUEST__BODY_AUDIT:
        return audit_query(t, req->audit, reply);
    case LEGALAID__REQUEST__BODY_RELOAD_KEYS:
        return core_reload_keys(t, reply);
    case LEGALAID__REQUEST__BODY_DROP_CONSUMER:
        return core_drop_consumer(t, req->drop_consumer, reply);
    case LEGALAID__REQUEST__BODY_BACKUP:
        return backup_request(t, req->backup, reply);
    case LEGALAID__REQUEST__BODY_COMPACT:
        return compact_request(t, req->compact, reply);
    case LEGALAID__REQUEST__BODY_PING: {
        Legalaid__Pong *p = ARENA_NEW(t->arena, Legalaid__Pong, legalaid__pong__init);
        p->daemon = (char *)t->d->svc->name;
        p->pid = (int32_t)getpid();
        p->has_pid = 1;
        p->now = t->now;
        p->has_now = 1;
        reply->body_case = LEGALAID__REPLY__BODY_PONG;
        reply->pong = p;
        return 1;
    }
    default:
        return 0;
    }
}
