/*
 * test-stream.c - the stream log and consumer offsets, through real turns
 * of a small test service: gapless numbering, the case index, exactly-once
 * application of upstream batches (a resent batch changes nothing), dead
 * letters for events that can never apply, consumer positions and lag as
 * operations staff see them, fetch answers, the map growing when full, and
 * a message refused after it wrote leaving nothing (the turn runs again).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "clock.h"
#include "daemon_int.h"
#include "stats.h"
#include "store.h"
#include "testutil.h"

static MDB_dbi sink_rows;
static int sink_bad_is_unknown = 1; /* until "staff" mend the cause */

static int sink_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    return store_table(txn, "rows", &sink_rows);
}

/* Applies an upstream event: one row per event, re-published on its own
 * stream; "bad" cases can never apply. */
static int sink_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    (void)upstream;
    if (ev->case_id && strcmp(ev->case_id, "bad") == 0 && sink_bad_is_unknown)
        return turn_reject(t, "case 'bad' is unknown");
    if (ev->case_id && strcmp(ev->case_id, "toolong") == 0) return -ENAMETOOLONG; /* every time */
    if (ev->case_id && strcmp(ev->case_id, "flaky") == 0) return -EIO;           /* a fault */
    MDB_val k = {strlen(ev->event_id), ev->event_id}, v = {0, ""};
    int rc = store_rc(mdb_put(t->txn, sink_rows, &k, &v, MDB_NOOVERWRITE));
    if (rc) return rc;
    if (ev->case_id && strcmp(ev->case_id, "late") == 0) /* rejected after its write */
        return turn_reject(t, "case 'late' found unknown after its row was written");
    Legalaid__Event *out = turn_event(t);
    return turn_emit(t, ev->case_id, out);
}

/* A request that stores a big value: fills the map quickly. */
static int sink_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    const char *id = req->request_id ? req->request_id : "";
    MDB_val k = {strlen(id), (void *)id}, none = {0, ""};
    if (strncmp(id, "row-", 4) == 0) /* a small row */
        return store_rc(mdb_put(t->txn, sink_rows, &k, &none, 0));
    if (strncmp(id, "late-", 5) == 0) { /* refused after it wrote its row */
        int rc = store_rc(mdb_put(t->txn, sink_rows, &k, &none, 0));
        if (rc == 0) turn_fail(t, reply, LEGALAID__CODE__CONFLICT, NULL, "refused after a write");
        return rc;
    }
    if (strncmp(id, "count-", 6) == 0) /* a figure counted, held for the commit */
        return turn_count(t, "sink", t->now, 1, 10, NULL);
    if (strncmp(id, "counted-late-", 13) == 0) { /* refused after only a figure was counted */
        int rc = turn_count(t, "sink", t->now, 1, 10, NULL);
        if (rc == 0) turn_fail(t, reply, LEGALAID__CODE__CONFLICT, NULL, "refused after a count");
        return rc;
    }
    if (strncmp(id, "early-", 6) == 0) { /* refused before it wrote anything */
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, NULL, "refused first");
        return 0;
    }
    static char big[256 * 1024];
    MDB_val v = {sizeof big, big};
    return store_rc(mdb_put(t->txn, sink_rows, &k, &v, 0));
}

/* A deadline that falls due: the tick publishes it once, at the first tick
 * whose clock has passed it. */
static int64_t sink_deadline;

static int sink_tick_fails;

static int sink_tick(turn_t *t)
{
    if (sink_tick_fails) return -EIO;
    if (!sink_deadline || t->now < sink_deadline) return 0;
    sink_deadline = 0;
    return turn_emit(t, "due", turn_event(t));
}

static const char *const sink_upstreams[] = {"src", NULL};
static const char *const sink_consumers[] = {"notify", NULL};
static const service_t sink_service = {
    .name = "sink", .upstreams = sink_upstreams, .consumers = sink_consumers, .open = sink_open, .apply = sink_apply,
    .handle = sink_handle, .tick = sink_tick,
};

static Legalaid__Event *mkevent(uint64_t seq, const char *case_id)
{
    Legalaid__Event *e = calloc(1, sizeof *e);
    legalaid__event__init(e);
    e->seq = seq;
    e->has_seq = 1;
    e->event_id = malloc(32);
    snprintf(e->event_id, 32, "src:%llu", (unsigned long long)seq);
    e->case_id = (char *)case_id;
    e->stream = "src";
    return e;
}

static void feed(daemon_t *d, uint64_t from, uint64_t to, const char *case_id)
{
    Legalaid__Event *evs[64];
    size_t n = 0;
    for (uint64_t s = from; s <= to; s++) evs[n++] = mkevent(s, case_id);
    assert_int_equal(daemon_feed(d, "src", evs, n), 0);
    for (size_t i = 0; i < n; i++) {
        free(evs[i]->event_id);
        free(evs[i]);
    }
}

static Legalaid__StreamStatus *status(daemon_t *d, Legalaid__Reply **keep)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    *keep = test_call(d, &req);
    assert_int_equal((*keep)->body_case, LEGALAID__REPLY__BODY_STREAM_STATUS);
    return (*keep)->stream_status;
}

static void test_exactly_once_and_gapless(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&sink_service, dir);
    assert_non_null(d);
    feed(d, 1, 3, "BT-2026-000001");
    feed(d, 2, 5, "BT-2026-000002"); /* 2 and 3 again: a resent batch */
    Legalaid__Batch *b;
    assert_int_equal(daemon_read_stream(d, 0, &b), 0);
    assert_int_equal(b->n_events, 5);
    for (size_t i = 0; i < b->n_events; i++) assert_int_equal(b->events[i]->seq, i + 1);
    assert_string_equal(b->events[3]->case_id, "BT-2026-000002");
    assert_string_equal(b->events[3]->causation_id, "src:4");
    legalaid__batch__free_unpacked(b, NULL);

    /* A gap (seq 7 before 6) is not applied. */
    feed(d, 7, 7, "x");
    Legalaid__Reply *keep;
    Legalaid__StreamStatus *st = status(d, &keep);
    assert_int_equal(st->n_upstreams, 1);
    assert_int_equal(st->upstreams[0]->applied_seq, 5);
    assert_int_equal(st->head_seq, 5);
    legalaid__reply__free_unpacked(keep, NULL);

    /* The case index: the events of one case. */
    Legalaid__CaseEventsQuery cq = LEGALAID__CASE_EVENTS_QUERY__INIT;
    cq.case_id = "BT-2026-000001";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_CASE_EVENTS;
    req.case_events = &cq;
    Legalaid__Reply *r = test_call(d, &req);
    assert_int_equal(r->case_events->n_events, 3);
    legalaid__reply__free_unpacked(r, NULL);

    /* Survives a reopen: the offset was committed with the effects. */
    daemon_close_test(&d);
    d = daemon_open_test(&sink_service, dir);
    feed(d, 1, 6, "BT-2026-000003");
    assert_int_equal(daemon_read_stream(d, 0, &b), 0);
    assert_int_equal(b->n_events, 6);
    legalaid__batch__free_unpacked(b, NULL);
    daemon_close_test(&d);
    test_rmdir(dir);
}

static void test_dead_letters(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&sink_service, dir);
    feed(d, 1, 1, "ok");
    feed(d, 2, 2, "bad");
    feed(d, 3, 3, "ok");
    Legalaid__Reply *keep;
    Legalaid__StreamStatus *st = status(d, &keep);
    assert_int_equal(st->dead_letters, 1);
    assert_int_equal(st->upstreams[0]->applied_seq, 3); /* the stream moved on */
    /* Nothing half-applied: the two good events, and DeadLettered for staff. */
    assert_int_equal(st->head_seq, 3);
    legalaid__reply__free_unpacked(keep, NULL);
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(d, 0, &b), 0);
    assert_int_equal(b->n_events, 3);
    Legalaid__Event *dl = b->events[1];
    assert_int_equal(dl->body_case, LEGALAID__EVENT__BODY_DEAD_LETTERED);
    assert_int_equal(dl->dead_lettered->seq, 2);
    assert_int_equal(dl->dead_lettered->id, 1);
    assert_non_null(dl->dead_lettered->reason);
    assert_non_null(dl->dead_lettered->stream);
    assert_int_not_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_DEAD_LETTERED);
    legalaid__batch__free_unpacked(b, NULL);
    daemon_close_test(&d);
    test_rmdir(dir);
}

static void test_fetch_and_consumer_lag(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&sink_service, dir);
    feed(d, 1, 4, "c");
    Legalaid__Fetch f = LEGALAID__FETCH__INIT;
    f.stream = "sink";
    f.consumer = "notify";
    f.after_seq = 1;
    f.has_after_seq = 1;
    f.max_events = 2;
    f.has_max_events = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = "fetch-1";
    req.body_case = LEGALAID__REQUEST__BODY_FETCH;
    req.fetch = &f;
    Legalaid__Reply *r = test_call(d, &req);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_BATCH);
    assert_string_equal(r->request_id, "fetch-1");
    assert_int_equal(r->batch->head_seq, 4);
    assert_int_equal(r->batch->n_events, 2);
    assert_int_equal(r->batch->events[0]->seq, 2);
    legalaid__reply__free_unpacked(r, NULL);

    Legalaid__Reply *keep;
    Legalaid__StreamStatus *st = status(d, &keep);
    assert_int_equal(st->n_consumers, 1);
    assert_string_equal(st->consumers[0]->consumer, "notify");
    assert_int_equal(st->consumers[0]->acked_seq, 1);
    assert_int_equal(st->consumers[0]->lag, 3);
    assert_true(st->consumers[0]->oldest_unconsumed_at > 0);
    legalaid__reply__free_unpacked(keep, NULL);

    /* Wrong stream, and a position beyond the head, are refused clearly. */
    f.stream = "intake";
    r = test_call(d, &req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "fetch.stream");
    legalaid__reply__free_unpacked(r, NULL);
    f.stream = "sink";
    f.after_seq = 99;
    r = test_call(d, &req);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
    daemon_close_test(&d);
    test_rmdir(dir);
}

static void test_map_grows_when_full(void **state)
{
    (void)state;
    char dir[256], small[300];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&sink_service, dir);
    /* Reopen on a fresh directory with a 1 MiB map. */
    store_close(&d->store);
    snprintf(small, sizeof small, "%s/small", dir);
    free(d->cfg.data_dir);
    d->cfg.data_dir = strdup(small);
    d->cfg.map_size_mb = 1;
    assert_int_equal(daemon_store_open(d, 0), 0);
    size_t before = d->store.map_size;
    for (int i = 0; i < 12; i++) {
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
        req.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION; /* any body the service handles */
        req.get_application = &g;
        Legalaid__Reply *r = test_call_new(d, &req);
        test_assert_code(r, LEGALAID__CODE__OK);
        legalaid__reply__free_unpacked(r, NULL);
    }
    assert_true(d->store.map_size > before);
    MDB_txn *txn;
    mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn);
    assert_int_equal(store_count(txn, sink_rows), 12);
    mdb_txn_abort(txn);
    daemon_close_test(&d);
    test_rmdir(small);
    test_rmdir(dir);
}

static void test_tick_acts_on_what_fell_due(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&sink_service, dir);
    sink_deadline = clock_now_ms() + 7 * MS_PER_DAY;
    assert_int_equal(daemon_tick(d), 0);
    Legalaid__Batch *b;
    assert_int_equal(daemon_read_stream(d, 0, &b), 0);
    assert_int_equal(b->n_events, 0); /* not due yet */
    legalaid__batch__free_unpacked(b, NULL);
    clock_advance_ms(7 * MS_PER_DAY);
    assert_int_equal(daemon_tick(d), 0);
    assert_int_equal(daemon_tick(d), 0);
    assert_int_equal(daemon_read_stream(d, 0, &b), 0);
    assert_int_equal(b->n_events, 1);
    assert_string_equal(b->events[0]->case_id, "due");
    assert_string_equal(b->events[0]->causation_id, "tick");
    legalaid__batch__free_unpacked(b, NULL);
    clock_advance_ms(-7 * MS_PER_DAY);
    daemon_close_test(&d);
    test_rmdir(dir);
}

/* Puts a request and an upstream batch in one turn, as the loop would. */
static void turn_with(daemon_t *d, Legalaid__Request *req, Legalaid__Event **events, size_t n,
                      Legalaid__Reply **reply)
{
    size_t len = legalaid__request__get_packed_size(req);
    inbound_t *in = &d->inbound[0];
    zmq_msg_init_size(&in->identity, 4);
    memcpy(zmq_msg_data(&in->identity), "peer", 4);
    zmq_msg_init_size(&in->body, len);
    legalaid__request__pack(req, zmq_msg_data(&in->body));
    in->up = NULL;
    in->delimiter = in->bad_frames = 0;
    d->n_inbound = 1;
    if (events) {
        Legalaid__Batch batch = LEGALAID__BATCH__INIT;
        batch.stream = "src";
        batch.events = events;
        batch.n_events = n;
        Legalaid__Reply r = LEGALAID__REPLY__INIT;
        r.body_case = LEGALAID__REPLY__BODY_BATCH;
        r.batch = &batch;
        inbound_t *up = &d->inbound[1];
        zmq_msg_init(&up->identity);
        zmq_msg_init_size(&up->body, legalaid__reply__get_packed_size(&r));
        legalaid__reply__pack(&r, zmq_msg_data(&up->body));
        up->up = &d->upstreams[0];
        d->n_inbound = 2;
    }
    assert_int_equal(commit_run(d), 0);
    assert_true(d->n_outbound >= 1);
    *reply = legalaid__reply__unpack(NULL, d->outbound[0].body.len, d->outbound[0].body.data);
    for (int i = 0; i < d->n_outbound; i++) {
        zmq_msg_close(&d->outbound[i].identity);
        buf_free(&d->outbound[i].body);
    }
    d->n_outbound = 0;
}

/* One turn of the requests named ids (each a GetApplication, which the
 * sink handles by its id), as the loop would take them; their replies'
 * codes in codes. */
static void turn_of(daemon_t *d, const char *const *ids, int n, int *codes)
{
    for (int i = 0; i < n; i++) {
        Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.request_id = (char *)ids[i];
        req.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
        req.get_application = &g;
        inbound_t *in = &d->inbound[i];
        zmq_msg_init_size(&in->identity, 4);
        memcpy(zmq_msg_data(&in->identity), "peer", 4);
        zmq_msg_init_size(&in->body, legalaid__request__get_packed_size(&req));
        legalaid__request__pack(&req, zmq_msg_data(&in->body));
        in->up = NULL;
        in->delimiter = in->bad_frames = 0;
    }
    d->n_inbound = n;
    assert_int_equal(commit_run(d), 0);
    assert_int_equal(d->n_outbound, n);
    for (int i = 0; i < n; i++) {
        Legalaid__Reply *r =
            legalaid__reply__unpack(NULL, d->outbound[i].body.len, d->outbound[i].body.data);
        assert_non_null(r);
        assert_string_equal(r->request_id, ids[i]);
        codes[i] = r->has_code ? (int)r->code : LEGALAID__CODE__OK;
        legalaid__reply__free_unpacked(r, NULL);
        zmq_msg_close(&d->outbound[i].identity);
        buf_free(&d->outbound[i].body);
    }
    d->n_outbound = 0;
}

static int row_is_there(daemon_t *d, const char *key)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    MDB_val k = {strlen(key), (void *)key}, v;
    int rc = mdb_get(txn, sink_rows, &k, &v);
    mdb_txn_abort(txn);
    return rc == 0;
}

/* A turn applies its messages in its own transaction, no child each: one
 * refused after it wrote leaves nothing behind (the turn runs again, a
 * child per message, counted in the metrics); one refused before it wrote
 * costs no second run; the others of the turn are kept either way. */
static void test_refused_after_a_write_leaves_nothing(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&sink_service, dir);
    int codes[3];

    const char *const a[] = {"row-1", "late-1", "row-2"};
    turn_of(d, a, 3, codes);
    assert_int_equal(codes[0], LEGALAID__CODE__OK);
    assert_int_equal(codes[1], LEGALAID__CODE__CONFLICT);
    assert_int_equal(codes[2], LEGALAID__CODE__OK);
    assert_true(row_is_there(d, "row-1"));
    assert_false(row_is_there(d, "late-1"));
    assert_true(row_is_there(d, "row-2"));
    assert_int_equal(d->metrics.turns_redone, 1);
    assert_int_equal(d->isolate, 0); /* the next turn starts in one transaction again */

    const char *const b[] = {"row-3", "early-1", "row-4"};
    turn_of(d, b, 3, codes);
    assert_int_equal(codes[1], LEGALAID__CODE__CONFLICT);
    assert_true(row_is_there(d, "row-3"));
    assert_true(row_is_there(d, "row-4"));
    assert_int_equal(d->metrics.turns_redone, 1); /* nothing to undo: no second run */

    /* An event rejected after its row was written: to the dead letters,
     * its row undone; the events around it applied. */
    Legalaid__Event *evs[3] = {mkevent(1, "ok"), mkevent(2, "late"), mkevent(3, "ok")};
    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = "row-5";
    req.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    req.get_application = &g;
    Legalaid__Reply *r = NULL;
    turn_with(d, &req, evs, 3, &r);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    assert_true(row_is_there(d, "row-5"));
    assert_true(row_is_there(d, "src:1"));
    assert_false(row_is_there(d, "src:2"));
    assert_true(row_is_there(d, "src:3"));
    assert_int_equal(d->upstreams[0].applied, 3);
    assert_int_equal(d->metrics.turns_redone, 2);
    for (int i = 0; i < 3; i++) {
        free(evs[i]->event_id);
        free(evs[i]);
    }
    Legalaid__Reply *keep;
    Legalaid__StreamStatus *st = status(d, &keep);
    assert_int_equal(st->dead_letters, 1);
    legalaid__reply__free_unpacked(keep, NULL);
    daemon_close_test(&d);
    test_rmdir(dir);
}

/* The figure "sink" of today, as a report reads it: count and sum. */
static void sink_figure(daemon_t *d, uint64_t *count, int64_t *sum)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    Legalaid__StatsQuery q = LEGALAID__STATS_QUERY__INIT;
    /* The day before to the day after: a run across midnight still reads
     * the day the turn counted in. */
    q.from = clock_now_ms() - MS_PER_DAY;
    q.to = clock_now_ms() + MS_PER_DAY;
    q.has_from = q.has_to = 1;
    Legalaid__StatsFigures out = LEGALAID__STATS_FIGURES__INIT;
    arena_t a;
    arena_init(&a);
    const char *err = NULL;
    assert_int_equal(stats_figures(txn, d->stats, &q, &out, &a, &err), 0);
    *count = 0;
    *sum = 0;
    for (size_t i = 0; i < out.n_rows; i++)
        if (!strcmp(out.rows[i]->measure, "sink") && !strcmp(out.rows[i]->dim, "all")) {
            *count = out.rows[i]->count;
            *sum = out.rows[i]->sum;
        }
    arena_destroy(&a);
    mdb_txn_abort(txn);
}

/* Figures a turn counts are held for its commit (store_tally.h): one
 * request refused after it counted leaves no count behind (held counts
 * are writes: the turn runs again isolated), the others' are kept. */
static void test_refused_after_a_count_leaves_nothing(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&sink_service, dir);
    int codes[3];
    const char *const a[] = {"count-1", "counted-late-1", "count-2"};
    turn_of(d, a, 3, codes);
    assert_int_equal(codes[0], LEGALAID__CODE__OK);
    assert_int_equal(codes[1], LEGALAID__CODE__CONFLICT);
    assert_int_equal(codes[2], LEGALAID__CODE__OK);
    assert_int_equal(d->metrics.turns_redone, 1);
    uint64_t count;
    int64_t sum;
    sink_figure(d, &count, &sum);
    assert_int_equal(count, 2);
    assert_int_equal(sum, 20);
    const char *const b[] = {"count-3", "count-4"};
    turn_of(d, b, 2, codes);
    sink_figure(d, &count, &sum);
    assert_int_equal(count, 4);
    assert_int_equal(d->metrics.turns_redone, 1);
    daemon_close_test(&d);
    test_rmdir(dir);
}

/* One bad message never fails the others of its turn: a query with an
 * impossible case number, an event that can never apply, an event that
 * meets a storage fault, a failing tick. */
static void test_one_failure_stays_alone(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&sink_service, dir);
    char longid[400];
    memset(longid, 'X', sizeof longid - 1);
    longid[sizeof longid - 1] = 0;
    Legalaid__CaseEventsQuery cq = LEGALAID__CASE_EVENTS_QUERY__INIT;
    cq.case_id = longid;
    Legalaid__Request q = LEGALAID__REQUEST__INIT;
    q.request_id = "q-long";
    q.body_case = LEGALAID__REQUEST__BODY_CASE_EVENTS;
    q.case_events = &cq;

    /* Event 1 can never apply (dead letter), event 2 meets a fault: the
     * stream stops before it and fetches again later. */
    Legalaid__Event *evs[2] = {mkevent(1, "toolong"), mkevent(2, "flaky")};
    Legalaid__Reply *r = NULL;
    turn_with(d, &q, evs, 2, &r);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->case_events->n_events, 0);
    assert_string_equal(r->request_id, "q-long");
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(d->upstreams[0].applied, 1);
    assert_true(d->upstreams[0].retry_mono > 0);
    assert_int_equal(d->upstreams[0].fetch_due, 0);
    for (int i = 0; i < 2; i++) {
        free(evs[i]->event_id);
        free(evs[i]);
    }

    Legalaid__Reply *keep;
    Legalaid__StreamStatus *st = status(d, &keep);
    assert_int_equal(st->dead_letters, 1);
    assert_int_equal(st->upstreams[0]->applied_seq, 1);
    legalaid__reply__free_unpacked(keep, NULL);

    /* A failing tick: the request of the same turn still commits. */
    sink_tick_fails = 1;
    d->tick_due = 1;
    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    Legalaid__Request w = LEGALAID__REQUEST__INIT;
    w.request_id = "write-1";
    w.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    w.get_application = &g;
    turn_with(d, &w, NULL, 0, &r);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(d->tick_due, 0);
    sink_tick_fails = 0;
    MDB_txn *txn;
    mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn);
    MDB_val k = {7, "write-1"}, v;
    assert_int_equal(mdb_get(txn, sink_rows, &k, &v), 0);
    mdb_txn_abort(txn);

    assert_string_equal(store_strerror(MDB_NOTFOUND), mdb_strerror(MDB_NOTFOUND));
    daemon_close_test(&d);
    test_rmdir(dir);
}

static Legalaid__Reply *dead_letters(daemon_t *d)
{
    Legalaid__DeadLettersQuery q = LEGALAID__DEAD_LETTERS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DEAD_LETTERS;
    req.dead_letters = &q;
    Legalaid__Reply *r = test_call(d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_DEAD_LETTER_LIST);
    return r;
}

static Legalaid__Reply *redrive(daemon_t *d, uint64_t id)
{
    Legalaid__RedriveDeadLetter rd = LEGALAID__REDRIVE_DEAD_LETTER__INIT;
    rd.id = id;
    rd.has_id = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REDRIVE_DEAD_LETTER;
    req.redrive_dead_letter = &rd;
    return test_call_new(d, &req);
}

/* Staff see a dead letter with its reason, and once the cause is mended
 * the event is applied from it, exactly once. */
static void test_dead_letter_redriven(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&sink_service, dir);
    feed(d, 1, 1, "bad");
    Legalaid__Reply *r = dead_letters(d);
    assert_int_equal(r->dead_letter_list->total, 1);
    Legalaid__DeadLetter *dl = r->dead_letter_list->dead_letters[0];
    assert_int_equal(dl->seq, 1);
    assert_string_equal(dl->stream, "src");
    assert_string_equal(dl->reason, "case 'bad' is unknown");
    assert_string_equal(dl->event->case_id, "bad");
    uint64_t id = dl->id;
    legalaid__reply__free_unpacked(r, NULL);

    r = redrive(d, id); /* the cause is still there */
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "still cannot be applied: case 'bad' is unknown"));
    legalaid__reply__free_unpacked(r, NULL);

    sink_bad_is_unknown = 0;
    r = redrive(d, id);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->dead_letter_list->total, 0);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    assert_int_equal(daemon_read_stream(d, 0, &b), 0);
    /* DeadLettered when it was put aside, then the event applied, once. */
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_DEAD_LETTERED);
    assert_int_not_equal(b->events[1]->body_case, LEGALAID__EVENT__BODY_DEAD_LETTERED);
    assert_string_equal(b->events[1]->case_id, "bad");
    legalaid__batch__free_unpacked(b, NULL);
    r = redrive(d, id);
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    legalaid__reply__free_unpacked(r, NULL);
    sink_bad_is_unknown = 1;
    daemon_close_test(&d);
    test_rmdir(dir);
}

/* A stored reply answers retries for reply_keep_days, then is forgotten. */
static void test_replies_forgotten_after_keep_days(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&sink_service, dir);
    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    Legalaid__Request w = LEGALAID__REQUEST__INIT;
    w.request_id = "keep-1";
    w.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    w.get_application = &g;
    Legalaid__Reply *r = test_call(d, &w);
    legalaid__reply__free_unpacked(r, NULL);
    MDB_txn *txn;
    mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn);
    assert_int_equal(store_count(txn, d->replies), 1);
    assert_int_equal(store_count(txn, d->replies_by_time), 1);
    mdb_txn_abort(txn);

    clock_advance_ms(29 * MS_PER_DAY);
    assert_int_equal(daemon_tick(d), 0);
    r = test_call(d, &w); /* still remembered: replayed */
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn);
    assert_int_equal(store_count(txn, d->replies), 1);
    mdb_txn_abort(txn);

    clock_advance_ms(2 * MS_PER_DAY);
    assert_int_equal(daemon_tick(d), 0);
    mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn);
    assert_int_equal(store_count(txn, d->replies), 0);
    assert_int_equal(store_count(txn, d->replies_by_time), 0);
    mdb_txn_abort(txn);
    clock_advance_ms(-31 * MS_PER_DAY);
    daemon_close_test(&d);
    test_rmdir(dir);
}

/* Our clients' request ids sort in the order they were made (client.h),
 * within a millisecond too and when the clock is set back, so a daemon
 * keeps a turn's replies in one leaf of "replies" and prunes the oldest
 * from its first leaf. */
static void test_request_ids_sort_by_time(void **state)
{
    (void)state;
    /* A day ahead of every id the tests before made with the running clock. */
    int64_t t0 = clock_now_ms() + MS_PER_DAY;
    clock_hold(t0);
    char prev[33], id[33], want[13];
    client_request_id(prev);
    assert_int_equal(strlen(prev), 32);
    snprintf(want, sizeof want, "%012llx", (unsigned long long)t0);
    assert_memory_equal(prev, want, 12);
    for (int i = 0; i < 300; i++) {
        if (i % 3 == 0) clock_advance_ms(i < 200 ? 1 + i % 5 : -60000); /* then set back */
        client_request_id(id);
        assert_true(strcmp(prev, id) < 0);
        /* the random half: two processes' ids of one millisecond differ */
        assert_memory_not_equal(prev + 16, id + 16, 16);
        memcpy(prev, id, sizeof id);
    }
    clock_release();
    clock_set_ms(1772416800000LL);
}

int main(void)
{
    clock_set_ms(1772416800000LL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exactly_once_and_gapless),
        cmocka_unit_test(test_dead_letters),
        cmocka_unit_test(test_fetch_and_consumer_lag),
        cmocka_unit_test(test_map_grows_when_full),
        cmocka_unit_test(test_tick_acts_on_what_fell_due),
        cmocka_unit_test(test_one_failure_stays_alone),
        cmocka_unit_test(test_refused_after_a_write_leaves_nothing),
        cmocka_unit_test(test_refused_after_a_count_leaves_nothing),
        cmocka_unit_test(test_dead_letter_redriven),
        cmocka_unit_test(test_replies_forgotten_after_keep_days),
        cmocka_unit_test(test_request_ids_sort_by_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
