/*
 * test-stream-trim.c - the stream log keeps an event only until every
 * consumer that counts has acknowledged it and stream_keep_days have passed
 * (common/stream_trim.c), through real turns and ticks of a small service:
 * nothing goes before both hold; exactly the acknowledged old events go,
 * never the newest; a dropped consumer no longer holds it; the head and the
 * numbering stay, across a restart too; the case timeline keeps every step
 * as a compact record (but the kinds its service forgets); a fetch from before the oldest event kept is refused
 * naming the range, and a consumer given that answer halts.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "daemon_int.h"
#include "store.h"
#include "stream_check.h"
#include "testutil.h"

#define T0 1780000000000LL
#define DAY 86400000LL

/* Re-publishes each upstream event on its own stream, as a withdrawal with
 * the reason "why": a body with content that trimming must drop. */
static int trim_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    (void)upstream;
    Legalaid__Event *out = turn_event(t);
    Legalaid__ApplicationWithdrawn *w =
        ARENA_NEW(t->arena, Legalaid__ApplicationWithdrawn, legalaid__application_withdrawn__init);
    w->reason = "why";
    out->body_case = LEGALAID__EVENT__BODY_APPLICATION_WITHDRAWN;
    out->application_withdrawn = w;
    return turn_emit(t, ev->case_id, out);
}

static const char *const trim_upstreams[] = {"src", NULL};
static const char *const trim_consumers[] = {"notify", "dispatch", NULL};
static const service_t trim_service = {
    .name = "trim", .upstreams = trim_upstreams, .consumers = trim_consumers, .apply = trim_apply,
};

/* Feeds upstream events from..to of case_id: the daemon's own events. */
static void feed(daemon_t *d, uint64_t from, uint64_t to, const char *case_id)
{
    for (uint64_t s = from; s <= to; s++) {
        Legalaid__Event ev = LEGALAID__EVENT__INIT;
        ev.case_id = (char *)case_id;
        uint64_t seq = s - 1;
        test_feed(d, "src", &seq, &ev);
    }
}

static void ack(daemon_t *d, const char *consumer, uint64_t after)
{
    Legalaid__Reply *r = test_fetch(d, "trim", consumer, after);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
}

/* The log as legalaidctl queues shows it: events kept, oldest, head. */
static void assert_log(daemon_t *d, uint64_t events, uint64_t oldest, uint64_t head)
{
    Legalaid__Reply *r = test_status(d);
    const Legalaid__StreamStatus *st = r->stream_status;
    assert_int_equal(st->log_events, events);
    assert_int_equal(st->oldest_seq, oldest);
    assert_int_equal(st->head_seq, head);
    legalaid__reply__free_unpacked(r, NULL);
}

static Legalaid__Reply *case_events(daemon_t *d, const char *case_id)
{
    Legalaid__CaseEventsQuery q = LEGALAID__CASE_EVENTS_QUERY__INIT;
    q.case_id = (char *)case_id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_CASE_EVENTS;
    req.case_events = &q;
    Legalaid__Reply *r = test_call_new(d, &req);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_CASE_EVENTS);
    return r;
}

/* Every step of case_id, seq first..last, all at T0; the ones up to
 * trimmed_to as compact records without the body's content. */
static void assert_timeline(daemon_t *d, const char *case_id, uint64_t first, uint64_t last,
                            uint64_t trimmed_to)
{
    Legalaid__Reply *r = case_events(d, case_id);
    const Legalaid__CaseEvents *ce = r->case_events;
    assert_int_equal(ce->n_events, last - first + 1);
    for (size_t i = 0; i < ce->n_events; i++) {
        const Legalaid__Event *ev = ce->events[i];
        char id[32];
        snprintf(id, sizeof id, "trim:%llu", (unsigned long long)(first + i));
        assert_int_equal(ev->seq, first + i);
        assert_string_equal(ev->event_id, id);
        assert_string_equal(ev->case_id, case_id);
        assert_int_equal(ev->occurred_at, T0);
        assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_APPLICATION_WITHDRAWN);
        int trimmed = ev->seq <= trimmed_to;
        assert_int_equal(ev->payload_trimmed, trimmed);
        if (trimmed)
            assert_null(ev->application_withdrawn->reason);
        else
            assert_string_equal(ev->application_withdrawn->reason, "why");
    }
    legalaid__reply__free_unpacked(r, NULL);
}

static void tick(daemon_t *d)
{
    assert_int_equal(daemon_tick(d), 0);
}

static void test_trim_waits_for_every_consumer_and_the_days(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &trim_service, T0);
    daemon_t *d = td.d;
    assert_int_equal(d->cfg.stream_keep_days, 30);
    feed(d, 1, 3, "LA-1");
    feed(d, 4, 6, "LA-2");
    assert_log(d, 6, 1, 6);

    /* Old enough, but no consumer has fetched yet: each holds it at 0. */
    clock_advance_ms(31 * DAY);
    tick(d);
    assert_log(d, 6, 1, 6);

    /* Acknowledged by both, but not old enough. */
    clock_set_ms(T0 + 29 * DAY);
    ack(d, "notify", 4);
    ack(d, "dispatch", 2);
    tick(d);
    assert_log(d, 6, 1, 6);

    /* Both hold: up to the lowest acknowledgement (dispatch's 2). */
    clock_set_ms(T0 + 30 * DAY + 1);
    tick(d);
    assert_log(d, 4, 3, 6);

    /* A position of a name that may not fetch holds nothing. */
    MDB_txn *txn;
    assert_int_equal(store_begin(d->store.env, NULL, &txn), 0);
    assert_int_equal(stream_consumer_ack(&d->stream, txn, "old-tool", 0, T0), 0);
    assert_int_equal(store_commit(txn), 0);

    /* Staff drop dispatch: only notify's 4 holds now. */
    Legalaid__Reply *r = test_consumer_drop(d, "dispatch");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    tick(d);
    assert_log(d, 2, 5, 6);

    /* Everything acknowledged: all but the newest, which keeps the head. */
    ack(d, "notify", 6);
    tick(d);
    assert_log(d, 1, 6, 6);

    /* The timeline still has every step, the trimmed ones compact. */
    assert_timeline(d, "LA-1", 1, 3, 3);
    assert_timeline(d, "LA-2", 4, 6, 5);

    /* dispatch back from an old backup: refused, never a silent gap. */
    r = test_fetch(d, "trim", "dispatch", 2);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "fetch.after_seq");
    assert_non_null(strstr(r->error, "no longer keeps seq 3..5 (its log starts at 6"));
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_BATCH);
    assert_int_equal(r->batch->oldest_seq, 6);
    assert_int_equal(r->batch->n_events, 0);
    legalaid__reply__free_unpacked(r, NULL);
    ack(d, "dispatch", 5); /* from just before the oldest: served */

    /* The trimmed log passes the stream check; the numbering goes on. */
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    char why[256] = "";
    assert_int_equal(stream_check(&d->stream, txn, why, sizeof why), 0);
    mdb_txn_abort(txn);
    feed(d, 7, 7, "LA-3");
    assert_log(d, 2, 6, 7);

    /* After a restart too. */
    daemon_close_test(&td.d);
    d = td.d = daemon_open_test(&trim_service, td.dir);
    assert_non_null(d);
    assert_log(d, 2, 6, 7);
    feed(d, 8, 8, "LA-3");
    assert_log(d, 3, 6, 8);
    assert_timeline(d, "LA-1", 1, 3, 3);
    test_daemon_close(&td);
}

/* Publishes a delivery for case LA-D (a kind its service forgets once
 * trimmed, as notify does) and a withdrawal for any other. */
static int forget_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    if (strcmp(ev->case_id, "LA-D") != 0) return trim_apply(t, upstream, ev);
    Legalaid__Event *out = turn_event(t);
    Legalaid__NotificationDelivered *nd =
        ARENA_NEW(t->arena, Legalaid__NotificationDelivered, legalaid__notification_delivered__init);
    nd->case_id = ev->case_id;
    out->body_case = LEGALAID__EVENT__BODY_NOTIFICATION_DELIVERED;
    out->notification_delivered = nd;
    return turn_emit(t, ev->case_id, out);
}

static const int forget_kinds[] = {LEGALAID__EVENT__BODY_NOTIFICATION_DELIVERED, 0};
static const service_t forget_service = {
    .name = "trim", .upstreams = trim_upstreams, .consumers = trim_consumers,
    .apply = forget_apply, .trim_forgets = forget_kinds,
};

/* The kinds a service names in trim_forgets leave no compact record when
 * trimmed (their "log_case" entry goes with them); the others keep theirs,
 * and an event of a forgotten kind not yet trimmed is still listed whole. */
static void test_trim_forgets_the_kinds_the_service_keeps_itself(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &forget_service, T0);
    daemon_t *d = td.d;
    feed(d, 1, 2, "LA-1");
    feed(d, 3, 5, "LA-D");
    Legalaid__Reply *r = case_events(d, "LA-D");
    assert_int_equal(r->case_events->n_events, 3);
    legalaid__reply__free_unpacked(r, NULL);

    clock_set_ms(T0 + 31 * DAY);
    ack(d, "notify", 5);
    ack(d, "dispatch", 5);
    tick(d);
    assert_log(d, 1, 5, 5);
    assert_timeline(d, "LA-1", 1, 2, 2);
    r = case_events(d, "LA-D"); /* 3 and 4 forgotten; 5, the head, kept whole */
    assert_int_equal(r->case_events->n_events, 1);
    assert_int_equal(r->case_events->events[0]->seq, 5);
    assert_int_equal(r->case_events->events[0]->body_case,
                     LEGALAID__EVENT__BODY_NOTIFICATION_DELIVERED);
    assert_false(r->case_events->events[0]->payload_trimmed);
    legalaid__reply__free_unpacked(r, NULL);

    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(store_count(txn, d->stream.log_case), 3); /* LA-1's two, LA-D's head */
    char why[256] = "";
    assert_int_equal(stream_check(&d->stream, txn, why, sizeof why), 0);
    mdb_txn_abort(txn);
    test_daemon_close(&td);
}

/* A consumer told that its upstream trimmed past what it applied halts,
 * with the range it lost, instead of skipping it. */
static void test_a_consumer_behind_the_trim_halts(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &trim_service, T0);
    daemon_t *d = td.d;
    feed(d, 1, 3, "LA-1");
    Legalaid__Batch b = LEGALAID__BATCH__INIT;
    b.stream = "src";
    b.head_seq = 12;
    b.has_head_seq = 1;
    b.epoch = 1;
    b.has_epoch = 1;
    b.oldest_seq = 8;
    b.has_oldest_seq = 1;
    assert_int_equal(daemon_feed_batch(d, &b), 0);
    Legalaid__Reply *r = test_status(d);
    const Legalaid__UpstreamOffset *o = r->stream_status->upstreams[0];
    assert_true(o->halted);
    assert_int_equal(o->applied_seq, 3);
    assert_int_equal(o->lost_from, 4);
    assert_int_equal(o->lost_to, 7);
    legalaid__reply__free_unpacked(r, NULL);
    test_daemon_close(&td);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim_waits_for_every_consumer_and_the_days),
        cmocka_unit_test(test_a_consumer_behind_the_trim_halts),
        cmocka_unit_test(test_trim_forgets_the_kinds_the_service_keeps_itself),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
