/*
 * turn.c - one loop turn: apply everything that is ready in one LMDB write
 * transaction, commit once, then reply (see daemon.h for the contract).
 *
 *   collect (zwatch callbacks)  ->  apply (one write txn; a child txn per
 *   request or event)  ->  commit (fsync)  ->  send replies, answer parked
 *   fetches, send upstream fetches  ->  re-read ZMQ_EVENTS (zwatch_kick).
 *
 * MDB_MAP_FULL anywhere aborts the whole transaction, grows the map and
 * applies the same messages again: they are still in memory, nothing was
 * sent. Any other storage failure answers every request UNAVAILABLE (the
 * client retries with the same request_id) and re-fetches upstream batches
 * from the committed offset.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "clock.h"
#include "daemon_int.h"
#include "log.h"
#include "xalloc.h"

#define REQUEST_ID_MAX 128

Legalaid__Event *turn_event(turn_t *t)
{
    return ARENA_NEW(t->arena, Legalaid__Event, legalaid__event__init);
}

int turn_emit(turn_t *t, const char *case_id, Legalaid__Event *ev)
{
    ev->case_id = (char *)case_id;
    if (!ev->causation_id && t->causation) ev->causation_id = (char *)t->causation;
    char *id = arena_alloc(t->arena, 64);
    return stream_append(&t->d->stream, t->txn, ev, t->now, id);
}

void turn_fail(turn_t *t, Legalaid__Reply *reply, Legalaid__Code code, const char *field,
               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    reply->has_code = 1;
    reply->code = code;
    reply->error = arena_strdup(t->arena, msg);
    reply->field = field ? arena_strdup(t->arena, field) : NULL;
    reply->body_case = LEGALAID__REPLY__BODY__NOT_SET;
}

void turn_counter(turn_t *t, Legalaid__StreamStatus *status, const char *name, uint64_t value)
{
    Legalaid__Counter **grown =
        arena_alloc(t->arena, (status->n_counters + 1) * sizeof *status->counters);
    if (status->n_counters) memcpy(grown, status->counters, status->n_counters * sizeof *grown);
    Legalaid__Counter *c = ARENA_NEW(t->arena, Legalaid__Counter, legalaid__counter__init);
    c->name = arena_strdup(t->arena, name);
    c->value = value;
    c->has_value = 1;
    grown[status->n_counters++] = c;
    status->counters = grown;
}

Legalaid__ImportResult *turn_import_result(turn_t *t, size_t n)
{
    Legalaid__ImportResult *res =
        ARENA_NEW(t->arena, Legalaid__ImportResult, legalaid__import_result__init);
    res->rejected = arena_alloc(t->arena, (n + 1) * sizeof *res->rejected);
    res->has_accepted = 1;
    return res;
}

void turn_import_reject(turn_t *t, Legalaid__ImportResult *res, const char *list, size_t index,
                        const char *field, const char *message)
{
    Legalaid__ImportError *e = ARENA_NEW(t->arena, Legalaid__ImportError, legalaid__import_error__init);
    e->index = (uint32_t)index;
    e->has_index = 1;
    e->field = arena_printf(t->arena, "%s[%zu].%s", list, index, field);
    e->message = arena_strdup(t->arena, message);
    res->rejected[res->n_rejected++] = e;
}

Legalaid__Deadline *turn_deadline(turn_t *t, Legalaid__Event *ev, const char *key, int64_t due_at,
                                  Legalaid__Party owner, const char *owner_id, const char *what,
                                  const char *article)
{
    Legalaid__Deadline *dl = ARENA_NEW(t->arena, Legalaid__Deadline, legalaid__deadline__init);
    dl->key = (char *)key;
    dl->due_at = due_at;
    dl->has_due_at = 1;
    dl->owner = owner;
    dl->has_owner = 1;
    dl->owner_id = (char *)owner_id;
    dl->what = (char *)what;
    dl->article = (char *)article;
    if (ev) {
        Legalaid__Deadline **v = arena_alloc(t->arena, (ev->n_deadlines + 1) * sizeof *v);
        if (ev->n_deadlines) memcpy(v, ev->deadlines, ev->n_deadlines * sizeof *v);
        v[ev->n_deadlines++] = dl;
        ev->deadlines = v;
    }
    return dl;
}

void turn_deadline_met(turn_t *t, Legalaid__Event *ev, const char *key)
{
    char **v = arena_alloc(t->arena, (ev->n_deadlines_met + 1) * sizeof *v);
    if (ev->n_deadlines_met) memcpy(v, ev->deadlines_met, ev->n_deadlines_met * sizeof *v);
    v[ev->n_deadlines_met++] = (char *)key;
    ev->deadlines_met = v;
}

int turn_reject(turn_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    t->reject_reason = arena_strdup(t->arena, msg);
    return LA_EREJECT;
}

void turn_outbound_add(daemon_t *d, zmq_msg_t *identity, int delimiter, buf_t *body)
{
    if (d->n_outbound == d->cap_outbound) {
        d->cap_outbound = d->cap_outbound ? d->cap_outbound * 2 : 64;
        d->outbound = xrealloc(d->outbound, (size_t)d->cap_outbound * sizeof *d->outbound);
    }
    outbound_t *o = &d->outbound[d->n_outbound++];
    zmq_msg_init(&o->identity);
    if (identity) zmq_msg_copy(&o->identity, identity);
    o->delimiter = delimiter;
    o->body = *body;
    memset(body, 0, sizeof *body);
}

static void turn_pack_reply(const Legalaid__Reply *reply, buf_t *out)
{
    size_t len = legalaid__reply__get_packed_size(reply);
    out->len = 0;
    buf_reserve(out, len);
    legalaid__reply__pack(reply, out->data);
    out->len = len;
}

static int turn_reply_is_final(const Legalaid__Reply *r)
{
    return !r->has_code || (r->code != LEGALAID__CODE__UNAVAILABLE && r->code != LEGALAID__CODE__INTERNAL);
}

static int turn_request_id_valid(const char *id)
{
    return check_key_text(id, REQUEST_ID_MAX) == NULL;
}

/* Reads field 1 (request_id) from the front of a frame that will not be
 * decoded (too large, or malformed) so the error reply still reaches the
 * right waiting request. protobuf-c packs fields in number order, so a
 * request_id, when present, comes first. Bounded: looks at most at 140 bytes. */
static char *turn_peek_request_id(arena_t *a, const unsigned char *p, size_t len)
{
    if (len < 2 || p[0] != 0x0a) return NULL;
    size_t n = p[1];
    if (n == 0 || n > REQUEST_ID_MAX || n + 2 > len) return NULL;
    for (size_t i = 0; i < n; i++)
        if (p[2 + i] < 0x21 || p[2 + i] > 0x7e) return NULL;
    char *id = arena_alloc(a, n + 1);
    memcpy(id, p + 2, n);
    return id;
}

static int turn_is_query(daemon_t *d, const Legalaid__Request *req)
{
    if (core_is_query(d, req)) return 1;
    for (const int *q = d->svc->queries; q && *q; q++)
        if ((int)req->body_case == *q) return 1;
    return 0;
}

/* Parks the fetch for answering after the commit; one per consumer. */
static void turn_park(daemon_t *d, inbound_t *in, parked_t *p)
{
    for (int i = 0; i < d->n_parked; i++) {
        if (strcmp(d->parked[i].consumer, p->consumer) == 0) {
            zmq_msg_close(&d->parked[i].identity);
            d->parked[i] = d->parked[--d->n_parked];
            break;
        }
    }
    d->parked = xrealloc(d->parked, (size_t)(d->n_parked + 1) * sizeof *d->parked);
    parked_t *slot = &d->parked[d->n_parked++];
    *slot = *p;
    zmq_msg_init(&slot->identity);
    zmq_msg_copy(&slot->identity, &in->identity);
    slot->delimiter = in->delimiter;
    d->answer_parked = 1;
}

/* Stores a final reply under its request_id, with the time, and indexes it
 * by time ("replies_by_time": ms big-endian, request_id) for pruning. */
static int turn_reply_keep(daemon_t *d, MDB_txn *txn, const char *request_id, int64_t now,
                           const buf_t *reply)
{
    size_t n = strlen(request_id);
    MDB_val k = {n, (void *)request_id}, v = {8 + reply->len, NULL};
    int rc = store_rc(mdb_put(txn, d->replies, &k, &v, MDB_RESERVE));
    if (rc) return rc;
    store_be64((uint64_t)now, v.mv_data);
    memcpy((char *)v.mv_data + 8, reply->data, reply->len);
    unsigned char tk[8 + REQUEST_ID_MAX];
    store_be64((uint64_t)now, tk);
    memcpy(tk + 8, request_id, n);
    MDB_val ik = {8 + n, tk}, iv = {0, ""};
    return store_rc(mdb_put(txn, d->replies_by_time, &ik, &iv, 0));
}

/* Forgets stored replies older than reply_keep_days, at most `max` of them
 * per tick: a client retries within minutes, not months. */
static int turn_replies_prune(daemon_t *d, MDB_txn *txn, int64_t now, int max)
{
    int64_t cutoff = now - d->cfg.reply_keep_days * MS_PER_DAY;
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(txn, d->replies_by_time, &c));
    if (rc) return rc;
    MDB_val k, v;
    int pruned = 0;
    while (pruned < max && (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST)) == 0) {
        if (k.mv_size < 8 || (int64_t)store_from_be64(k.mv_data) >= cutoff) break;
        MDB_val rk = {k.mv_size - 8, (char *)k.mv_data + 8};
        rc = mdb_del(txn, d->replies, &rk, NULL);
        if (rc && rc != MDB_NOTFOUND) break;
        rc = mdb_cursor_del(c, 0);
        if (rc) break;
        pruned++;
    }
    mdb_cursor_close(c);
    if (pruned) log_debug("forgot %d stored replies older than %lld days", pruned,
                          d->cfg.reply_keep_days);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* Applies one request; queues its reply (or parks a fetch) in *park_out. */
static int turn_apply_request(daemon_t *d, MDB_txn *parent, inbound_t *in, buf_t *out,
                              parked_t *park)
{
    Legalaid__Reply reply = LEGALAID__REPLY__INIT;
    turn_t t = {d, parent, &d->arena, clock_now_ms(), NULL, NULL};
    size_t len = zmq_msg_size(&in->body);
    park->used = 0;

    if (in->bad_frames) {
        turn_fail(&t, &reply, LEGALAID__CODE__BAD_REQUEST, NULL,
                  "expected one frame holding a legalaid.Request, got %d frames", in->bad_frames);
        turn_pack_reply(&reply, out);
        return 0;
    }
    if (len > (size_t)d->cfg.max_frame_bytes) {
        turn_fail(&t, &reply, LEGALAID__CODE__TOO_LARGE, NULL,
                  "frame of %zu bytes exceeds max_frame_bytes=%lld", len, d->cfg.max_frame_bytes);
        reply.request_id = turn_peek_request_id(&d->arena, zmq_msg_data(&in->body), len);
        turn_pack_reply(&reply, out);
        return 0;
    }
    Legalaid__Request *req = legalaid__request__unpack(&d->arena.pb, len, zmq_msg_data(&in->body));
    if (!req) {
        turn_fail(&t, &reply, LEGALAID__CODE__BAD_REQUEST, NULL,
                  "malformed frame: %zu bytes that do not decode as a legalaid.Request", len);
        reply.request_id = turn_peek_request_id(&d->arena, zmq_msg_data(&in->body), len);
        turn_pack_reply(&reply, out);
        return 0;
    }
    d->requests++;
    reply.request_id = req->request_id;
    t.causation = req->request_id;
    if (req->body_case == LEGALAID__REQUEST__BODY__NOT_SET) {
        turn_fail(&t, &reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "the request carries no body that %s knows (unknown message type?)",
                  d->svc->name);
        reply.request_id = req->request_id;
        turn_pack_reply(&reply, out);
        return 0;
    }
    int query = turn_is_query(d, req);
    if (!query) {
        if (!turn_request_id_valid(req->request_id)) {
            turn_fail(&t, &reply, LEGALAID__CODE__BAD_REQUEST, "request_id",
                      "request_id is required: 1 to %d printable ASCII characters, chosen by "
                      "the client and reused when it retries",
                      REQUEST_ID_MAX);
            reply.request_id = req->request_id;
            turn_pack_reply(&reply, out);
            return 0;
        }
        MDB_val k = {strlen(req->request_id), req->request_id}, v;
        int rc = mdb_get(parent, d->replies, &k, &v);
        if (rc == 0 && v.mv_size >= 8) {
            /* A retry: the first reply, and nothing changes twice. (The
             * value is the time it was stored, then the reply.) */
            out->len = 0;
            buf_append(out, (char *)v.mv_data + 8, v.mv_size - 8);
            log_debug("replayed reply request_id=%s", req->request_id);
            return 0;
        }
        if (rc != MDB_NOTFOUND) return store_rc(rc);
    }

    MDB_txn *child;
    int rc = mdb_txn_begin(d->store.env, parent, 0, &child);
    if (rc) return store_rc(rc);
    t.txn = child;
    rc = core_request(&t, req, &reply, park);
    if (rc == 0) {
        if (!d->svc->handle)
            turn_fail(&t, &reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                      "%s does not take this kind of request", d->svc->name);
        else
            rc = store_rc(d->svc->handle(&t, req, &reply));
    } else if (rc > 0) {
        rc = 0; /* handled by the core */
    }
    reply.request_id = req->request_id;
    if (rc == 0 && (!reply.has_code || reply.code == LEGALAID__CODE__OK)) {
        rc = store_rc(mdb_txn_commit(child));
    } else {
        mdb_txn_abort(child);
    }
    if (rc == MDB_MAP_FULL) return rc; /* the whole turn grows the map and runs again */
    if (rc) {
        /* This request alone fails; the others of the turn go on. Not stored:
         * a retry with the same request_id runs it again. */
        log_error("request failed request_id=%s: %s", req->request_id ? req->request_id : "-",
                  store_strerror(rc));
        park->used = 0;
        turn_fail(&t, &reply, LEGALAID__CODE__INTERNAL, NULL,
                  "%s could not apply this request (%s); nothing was changed, retry with the same "
                  "request_id",
                  d->svc->name, store_strerror(rc));
        reply.request_id = req->request_id;
    }
    if (park->used) return 0;
    turn_pack_reply(&reply, out);
    if (!query && turn_reply_is_final(&reply)) {
        rc = turn_reply_keep(d, parent, req->request_id, t.now, out);
        if (rc) return rc;
    }
    return 0;
}

static int turn_apply_upstream(daemon_t *d, MDB_txn *txn, inbound_t *in)
{
    upstream_t *up = in->up;
    size_t len = zmq_msg_size(&in->body);
    Legalaid__Reply *reply = legalaid__reply__unpack(&d->arena.pb, len, zmq_msg_data(&in->body));
    /* A refusal or garbage is not retried at once: that would spin both
     * daemons. The fetch goes out again after fetch_wait_ms. */
    if (!reply) {
        log_warn("upstream %s sent %zu bytes that are not a Reply; fetching again later", up->name,
                 len);
        upstream_fetch_later(up);
        return 0;
    }
    if (reply->has_code && reply->code != LEGALAID__CODE__OK) {
        log_warn("upstream %s refused our fetch: %s", up->name, reply->error ? reply->error : "?");
        upstream_fetch_later(up);
        return 0;
    }
    if (reply->body_case != LEGALAID__REPLY__BODY_BATCH) {
        log_warn("upstream %s answered a fetch without a batch; fetching again later", up->name);
        upstream_fetch_later(up);
        return 0;
    }
    up->fetch_due = 1;
    return upstream_apply_batch(d, txn, up, reply->batch);
}

static void turn_discard(daemon_t *d, parked_t *parks, int n_parks)
{
    for (int i = 0; i < d->n_outbound; i++) {
        zmq_msg_close(&d->outbound[i].identity);
        buf_free(&d->outbound[i].body);
    }
    d->n_outbound = 0;
    (void)parks;
    (void)n_parks;
    for (int i = 0; i < d->n_upstreams; i++) d->upstreams[i].tentative = d->upstreams[i].applied;
}

/* The service's tick, in a child transaction of the turn. */
static int turn_apply_tick(daemon_t *d, MDB_txn *txn)
{
    MDB_txn *child;
    int rc = store_rc(mdb_txn_begin(d->store.env, txn, 0, &child));
    if (rc) return rc;
    turn_t t = {d, child, &d->arena, clock_now_ms(), "tick", NULL};
    rc = store_rc(d->svc->tick(&t));
    if (rc == 0) {
        rc = store_rc(mdb_txn_commit(child));
    } else {
        mdb_txn_abort(child);
    }
    if (rc == MDB_MAP_FULL) return rc;
    if (rc) log_error("tick failed, tried again at the next one: %s", store_strerror(rc));
    d->tick_due = 0; /* a failing tick never holds the turn's requests hostage */
    return 0;
}

static int turn_apply_all(daemon_t *d, MDB_txn *txn, parked_t *parks, int *n_parks)
{
    *n_parks = 0;
    if (d->tick_due) {
        int rc = turn_replies_prune(d, txn, clock_now_ms(), 1000);
        if (rc < 0) return rc;
        if (d->svc->tick) {
            rc = turn_apply_tick(d, txn);
            if (rc < 0) return rc;
        }
        d->tick_due = 0;
    }
    for (int i = 0; i < d->n_inbound; i++) {
        inbound_t *in = &d->inbound[i];
        int rc;
        if (in->up) {
            rc = turn_apply_upstream(d, txn, in);
        } else {
            buf_t out = {0};
            parked_t *park = &parks[*n_parks];
            rc = turn_apply_request(d, txn, in, &out, park);
            if (rc == 0) {
                if (park->used) {
                    park->used = i + 1; /* remember which inbound it came from */
                    (*n_parks)++;
                } else {
                    turn_outbound_add(d, &in->identity, in->delimiter, &out);
                }
            }
            buf_free(&out);
        }
        if (rc != 0) return rc < 0 ? rc : -rc;
    }
    return 0;
}

void turn_release_inbound(daemon_t *d)
{
    for (int i = 0; i < d->n_inbound; i++) {
        zmq_msg_close(&d->inbound[i].identity);
        zmq_msg_close(&d->inbound[i].body);
    }
    d->n_inbound = 0;
}

int turn_run(daemon_t *d)
{
    if (d->n_inbound == 0 && !d->tick_due) return 0;
    parked_t *parks = xcalloc((size_t)d->n_inbound + 1, sizeof *parks);
    int n_parks = 0, rc = 0;
    for (int attempt = 0;; attempt++) {
        MDB_txn *txn;
        rc = store_rc(mdb_txn_begin(d->store.env, NULL, 0, &txn));
        if (rc == 0) {
            rc = turn_apply_all(d, txn, parks, &n_parks);
            if (rc == 0)
                rc = store_rc(mdb_txn_commit(txn));
            else
                mdb_txn_abort(txn);
        }
        if (rc == 0) break;
        turn_discard(d, parks, n_parks);
        if (rc == MDB_MAP_FULL && attempt < 16 && store_grow(&d->store) == 0) continue;
        break;
    }
    d->turns++;
    if (rc == 0) {
        d->tick_due = 0;
        for (int i = 0; i < d->n_upstreams; i++) d->upstreams[i].applied = d->upstreams[i].tentative;
        for (int i = 0; i < n_parks; i++) turn_park(d, &d->inbound[parks[i].used - 1], &parks[i]);
        d->answer_parked = 1;
    } else {
        log_error("write transaction failed, %d messages answered UNAVAILABLE: %s", d->n_inbound,
                  store_strerror(rc));
        for (int i = 0; i < d->n_inbound; i++) {
            inbound_t *in = &d->inbound[i];
            if (in->up) {
                upstream_fetch_later(in->up);
                continue;
            }
            Legalaid__Reply reply = LEGALAID__REPLY__INIT;
            turn_t t = {d, NULL, &d->arena, 0, NULL, NULL};
            turn_fail(&t, &reply, LEGALAID__CODE__UNAVAILABLE, NULL,
                      "storage failure (%s); retry with the same request_id", store_strerror(rc));
            reply.request_id =
                turn_peek_request_id(&d->arena, zmq_msg_data(&in->body), zmq_msg_size(&in->body));
            buf_t out = {0};
            turn_pack_reply(&reply, &out);
            turn_outbound_add(d, &in->identity, in->delimiter, &out);
        }
    }
    free(parks);
    turn_release_inbound(d);
    turn_send_outbound(d);
    if (d->answer_parked) turn_answer_parked(d, 0);
    for (int i = 0; i < d->n_upstreams; i++) {
        upstream_t *up = &d->upstreams[i];
        if (up->fetch_due && !up->inflight) upstream_send_fetch(up);
    }
    arena_reset(&d->arena);
    return rc;
}

static int turn_send_frames(daemon_t *d, zmq_msg_t *identity, int delimiter, buf_t *body)
{
    if (!d->router) return 0; /* test mode: daemon_call collects the outbound itself */
    zmq_msg_t id;
    zmq_msg_init(&id);
    zmq_msg_copy(&id, identity);
    if (zmq_msg_send(&id, d->router, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&id);
        return -errno;
    }
    if (delimiter && zmq_send(d->router, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) return -errno;
    if (zmq_send(d->router, body->data, body->len, ZMQ_DONTWAIT) < 0) return -errno;
    return 0;
}

void turn_send_outbound(daemon_t *d)
{
    if (!d->router) return;
    for (int i = 0; i < d->n_outbound; i++) {
        outbound_t *o = &d->outbound[i];
        int rc = turn_send_frames(d, &o->identity, o->delimiter, &o->body);
        if (rc == -EHOSTUNREACH)
            log_debug("reply dropped: the peer is gone (a retry gets the stored reply)");
        else if (rc < 0)
            log_warn("reply dropped: %s (a retry gets the stored reply)", zmq_strerror(-rc));
        zmq_msg_close(&o->identity);
        buf_free(&o->body);
    }
    d->n_outbound = 0;
    zwatch_kick(&d->router_watch);
}

void turn_answer_parked(daemon_t *d, int expire_only)
{
    if (d->n_parked == 0) {
        d->answer_parked = 0;
        return;
    }
    MDB_txn *txn;
    if (mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn)) return;
    uint64_t head = 0;
    stream_head(&d->stream, txn, &head, NULL);
    int64_t now = clock_mono_ms();
    buf_t out = {0};
    for (int i = 0; i < d->n_parked;) {
        parked_t *p = &d->parked[i];
        int ready = head > p->after_seq && !expire_only;
        if (!ready && now < p->deadline_mono) {
            i++;
            continue;
        }
        size_t max_bytes = (size_t)d->cfg.max_frame_bytes / 2;
        int n = stream_encode_batch_reply(&d->stream, txn, p->request_id, p->after_seq,
                                          p->max_events, max_bytes, &out);
        if (n >= 0) {
            if (d->router) {
                int rc = turn_send_frames(d, &p->identity, p->delimiter, &out);
                if (rc < 0) log_debug("batch for %s dropped: %s", p->consumer, zmq_strerror(-rc));
            } else {
                turn_outbound_add(d, &p->identity, p->delimiter, &out);
            }
        }
        zmq_msg_close(&p->identity);
        d->parked[i] = d->parked[--d->n_parked];
    }
    buf_free(&out);
    mdb_txn_abort(txn);
    d->answer_parked = 0;
    if (d->router) zwatch_kick(&d->router_watch);
}
