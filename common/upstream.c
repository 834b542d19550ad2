/*
 * upstream.c - the consumer side of a stream: one DEALER per upstream
 * daemon, long-poll fetches, offsets committed with the effects.
 *
 * States of one upstream (lazy pirate):
 *
 *   idle --send Fetch--> inflight --Batch applied + committed--> idle
 *   inflight --silent for wait_ms + grace--> reconnect: new socket, Fetch
 *                                            again from the committed offset
 *
 * Each reconnect doubles the grace (up to UPSTREAM_GRACE_MAX_MS) until a
 * reply comes: on a machine so loaded that replies take longer than the
 * grace, reconnecting at a fixed pace only adds handshakes and abandoned
 * replies to the load, and every stream stayed silent for minutes (CI,
 * fault/sigkill-5000 under ASan beside another test).
 *
 * A batch is applied for at most UPSTREAM_APPLY_BUDGET_MS: the events past
 * it wait for the next fetch, which asks for about as many as fitted. A
 * daemon catching up on a long history otherwise spent one turn on a whole
 * fetch_max_events batch, seconds on a loaded machine, and answered no ping
 * or request meanwhile (CI: a restarted eligibility under ASan).
 *
 * The offset ("offsets" table, key = upstream stream name) advances in the
 * same write transaction as the effects of the events, so after a crash
 * either both are there or neither is: each event takes effect once. In
 * memory, tentative is the offset reached by the turn being applied and
 * applied the committed one: the engine (commit.c) says when the turn
 * committed (upstream_after_commit) or failed (upstream_discard), and lets
 * this file send the fetches that fell due (upstream_send_due); it never
 * touches an upstream_t itself.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "daemon_int.h"
#include "store_calls.h"
#include "log.h"
#include "xalloc.h"

#define UPSTREAM_GRACE_MAX_MS 30000
#define UPSTREAM_APPLY_BUDGET_MS 200

static void upstream_recv_cb(zwatch_t *w)
{
    upstream_t *up = w->data;
    daemon_t *d = up->d;
    while (d->n_inbound < d->cfg.batch_max) {
        inbound_t *in = &d->inbound[d->n_inbound];
        zmq_msg_init(&in->identity);
        zmq_msg_init(&in->body);
        if (zmq_msg_recv(&in->body, up->socket, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&in->identity);
            zmq_msg_close(&in->body);
            break;
        }
        int more = zmq_msg_more(&in->body);
        while (more) { /* a DEALER peer of ours never sends more; drop extras */
            zmq_msg_t extra;
            zmq_msg_init(&extra);
            zmq_msg_recv(&extra, up->socket, 0);
            more = zmq_msg_more(&extra);
            zmq_msg_close(&extra);
        }
        in->up = up;
        in->delimiter = 0;
        in->bad_frames = 0;
        up->inflight = 0;
        up->grace_ms = 0; /* the producer answers: back to the configured grace */
        d->n_inbound++;
    }
}

static void upstream_free_watch(zwatch_t *w)
{
    free(w);
}

static int upstream_socket(upstream_t *up)
{
    daemon_t *d = up->d;
    up->socket = zmq_socket(d->zctx, ZMQ_DEALER);
    if (!up->socket) return -errno;
    int zero = 0, ivl = 2000, ttl = 6000;
    int64_t maxmsg = d->cfg.max_frame_bytes * 4 + 4096;
    zmq_setsockopt(up->socket, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(up->socket, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(up->socket, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl);
    zmq_setsockopt(up->socket, ZMQ_HEARTBEAT_TIMEOUT, &ttl, sizeof ttl);
    char why[600];
    if (security_client(&d->sec, up->socket, up->name, why, sizeof why) < 0) {
        log_error("upstream %s: %s", up->name, why);
        zmq_close(up->socket);
        up->socket = NULL;
        return -EINVAL;
    }
    if (zmq_connect(up->socket, up->endpoint) < 0) {
        int err = errno;
        zmq_close(up->socket);
        up->socket = NULL;
        return -err;
    }
    up->watch = xcalloc(1, sizeof *up->watch);
    up->watch->data = up;
    int rc = zwatch_start(&d->loop, up->watch, up->socket, upstream_recv_cb);
    if (rc) return rc;
    return 0;
}

int upstream_connect(upstream_t *up)
{
    int rc = upstream_socket(up);
    if (rc) {
        log_error("cannot connect to upstream %s at %s: %s", up->name, up->endpoint,
                  zmq_strerror(-rc));
        return rc;
    }
    log_info("consuming stream=%s endpoint=%s from_seq=%llu", up->name, up->endpoint,
             (unsigned long long)up->applied);
    upstream_send_fetch(up);
    return 0;
}

void upstream_close(upstream_t *up)
{
    if (up->watch) zwatch_close(up->watch, upstream_free_watch);
    up->watch = NULL;
    if (up->socket) zmq_close(up->socket);
    up->socket = NULL;
}

void upstream_send_fetch(upstream_t *up)
{
    daemon_t *d = up->d;
    if (!up->socket) return;
    char request_id[64];
    snprintf(request_id, sizeof request_id, "fetch:%s:%llu", d->svc->name,
             (unsigned long long)up->applied);
    Legalaid__Fetch f = LEGALAID__FETCH__INIT;
    f.stream = up->name;
    f.consumer = (char *)d->svc->name;
    f.after_seq = up->applied;
    f.has_after_seq = 1;
    uint32_t most = (uint32_t)d->cfg.fetch_max_events;
    f.max_events = up->fetch_events && up->fetch_events < most ? up->fetch_events : most;
    f.has_max_events = 1;
    f.wait_ms = (uint32_t)d->cfg.fetch_wait_ms;
    f.has_wait_ms = 1;
    f.epoch = up->epoch;
    f.has_epoch = up->epoch != 0;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = request_id;
    req.body_case = LEGALAID__REQUEST__BODY_FETCH;
    req.fetch = &f;
    unsigned char frame[512];
    size_t len = legalaid__request__pack(&req, frame);
    up->fetch_due = 0;
    up->retry_mono = 0;
    up->sent_mono = clock_mono_ms();
    if (zmq_send(up->socket, frame, len, ZMQ_DONTWAIT) < 0) {
        /* Not connected yet or the pipe is full: the timeout path retries. */
        log_debug("fetch to %s not sent: %s", up->name, zmq_strerror(errno));
    }
    up->inflight = 1;
    zwatch_kick(up->watch);
}

void upstream_check_timeout(upstream_t *up, int64_t now_mono)
{
    daemon_t *d = up->d;
    if (up->retry_mono && now_mono >= up->retry_mono && !up->inflight) {
        up->retry_mono = 0;
        upstream_send_fetch(up);
        return;
    }
    if (!up->inflight) return;
    int64_t grace = up->grace_ms ? up->grace_ms : (int64_t)d->cfg.fetch_grace_ms;
    if (now_mono - up->sent_mono < (int64_t)d->cfg.fetch_wait_ms + grace) return;
    up->reconnects++;
    up->grace_ms = grace * 2 < UPSTREAM_GRACE_MAX_MS ? grace * 2 : UPSTREAM_GRACE_MAX_MS;
    log_warn("upstream %s silent for %lld ms: reconnecting and fetching after seq=%llu "
             "(next wait %lld ms)",
             up->name, (long long)(now_mono - up->sent_mono), (unsigned long long)up->applied,
             (long long)((int64_t)d->cfg.fetch_wait_ms + up->grace_ms));
    upstream_close(up);
    up->inflight = 0;
    upstream_connect(up);
}

int upstream_load_offsets(daemon_t *d, MDB_txn *txn)
{
    for (int i = 0; i < d->n_upstreams; i++) {
        upstream_t *up = &d->upstreams[i];
        int rc = store_get_u64(txn, d->offsets, up->name, &up->applied);
        if (rc) return rc;
        up->tentative = up->applied;
    }
    return 0;
}

/* Errors that the same event will meet every time: dead-letter it. */
static int upstream_error_permanent(int rc)
{
    return rc == MDB_BAD_VALSIZE || rc == MDB_KEYEXIST || rc == MDB_NOTFOUND ||
           rc == -ENAMETOOLONG || rc == -EBADMSG || rc == -EINVAL || rc == -ERANGE;
}

void upstream_fetch_later(upstream_t *up)
{
    up->fetch_due = 0;
    up->inflight = 0;
    up->retry_mono = clock_mono_ms() + up->d->cfg.fetch_wait_ms;
}

int upstream_apply_batch(daemon_t *d, MDB_txn *txn, upstream_t *up, const Legalaid__Batch *batch)
{
    if (!batch->stream || strcmp(batch->stream, up->name) != 0) {
        log_warn("upstream %s sent a batch of stream '%s'; ignored", up->name,
                 batch->stream ? batch->stream : "");
        return 0;
    }
    int go = epoch_check_batch(d, txn, up, batch);
    if (go < 0) return go;
    if (go == 0) { /* halted: asked again every fetch_wait_ms */
        upstream_fetch_later(up);
        return 0;
    }
    int64_t start = clock_mono_ms();
    uint32_t done = 0;
    int cut = 0;
    for (size_t i = 0; i < batch->n_events; i++) {
        const Legalaid__Event *ev = batch->events[i];
        if (done > 0 && clock_mono_ms() - start >= UPSTREAM_APPLY_BUDGET_MS) {
            /* The rest comes with the next fetch, sized to what fitted. */
            log_debug("upstream %s: %u events applied in %lld ms; the other %zu next turn",
                      up->name, done, (long long)(clock_mono_ms() - start),
                      batch->n_events - i);
            up->fetch_events = done;
            cut = 1;
            break;
        }
        if (ev->seq <= up->tentative) continue; /* already applied: a resent batch */
        if (ev->seq != up->tentative + 1) {
            log_error("upstream %s skipped from seq=%llu to %llu; fetching again", up->name,
                      (unsigned long long)up->tentative, (unsigned long long)ev->seq);
            break;
        }
        /* In the turn's transaction; once the turn runs again isolated
         * (commit_run), in a child of it that a failure undoes. */
        MDB_txn *child = txn;
        uint64_t writes = store_calls_writes();
        int rc = d->isolate ? store_begin(d->store.env, txn, &child) : 0;
        if (rc) return rc;
        turn_t t = {d, child, &d->arena, clock_now_ms(), ev->event_id, NULL, NULL, NULL};
        rc = d->svc->apply ? d->svc->apply(&t, up->name, ev) : 0;
        if (rc != LA_EREJECT) rc = store_rc(rc);
        if (!d->isolate) {
            /* Rejected having written nothing: to the dead letters below.
             * Failed after a write, or a storage error: the turn again. */
            if (rc == MDB_MAP_FULL) return rc;
            if (rc && (rc != LA_EREJECT || store_calls_writes() != writes)) return COMMIT_REDO;
        } else if (rc == 0) {
            rc = store_commit(child);
        } else {
            store_undo(child);
        }
        if (rc == MDB_MAP_FULL) return rc; /* the whole turn grows the map and runs again */
        if (rc && rc != LA_EREJECT && !upstream_error_permanent(rc)) {
            /* A storage fault, perhaps passing: stop this stream here without
             * failing the other work of the turn, and fetch again later from
             * the last event applied. */
            log_error("upstream %s seq=%llu case=%s not applied: %s; trying again later", up->name,
                      (unsigned long long)ev->seq, ev->case_id ? ev->case_id : "-",
                      store_strerror(rc));
            upstream_fetch_later(up);
            break;
        }
        if (rc) {
            /* This event can never apply: kept for staff, the stream moves on. */
            const char *why = rc == LA_EREJECT ? (t.reject_reason ? t.reject_reason : "rejected")
                                               : store_strerror(rc);
            rc = deadletter_put(d, txn, up->name, ev, why);
            if (rc) return rc;
        }
        up->tentative = ev->seq;
        d->events_applied++;
        done++;
    }
    if (up->fetch_events && !cut &&
        clock_mono_ms() - start < UPSTREAM_APPLY_BUDGET_MS / 2) {
        /* Quick again: ask for more next time, back up to fetch_max_events. */
        up->fetch_events = up->fetch_events > UINT32_MAX / 2 ? 0 : up->fetch_events * 2;
        if (up->fetch_events >= (uint32_t)d->cfg.fetch_max_events) up->fetch_events = 0;
    }
    /* An empty batch (the heartbeat of a stream at its head) writes
     * nothing: an idle daemon commits nothing. */
    uint64_t stored;
    if (!done && store_get_u64(txn, d->offsets, up->name, &stored) == 0 && stored == up->tentative)
        return 0;
    return store_put_u64(txn, d->offsets, up->name, up->tentative);
}

int upstream_apply_reply(upstream_t *up, MDB_txn *txn, const void *frame, size_t len)
{
    daemon_t *d = up->d;
    Legalaid__Reply *reply = legalaid__reply__unpack(&d->arena.pb, len, frame);
    /* A refusal or garbage is not retried at once: that would spin both
     * daemons. The fetch goes out again after fetch_wait_ms. */
    if (!reply) {
        log_warn("upstream %s sent %zu bytes that are not a Reply; fetching again later", up->name,
                 len);
        upstream_fetch_later(up);
        return 0;
    }
    if (reply->has_code && reply->code == LEGALAID__CODE__CONFLICT &&
        reply->body_case == LEGALAID__REPLY__BODY_BATCH) {
        /* Ahead of the upstream's head: restored behind us (epoch.c says). */
        int rc = epoch_check_batch(d, txn, up, reply->batch);
        upstream_fetch_later(up);
        return rc < 0 ? rc : 0;
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
    if (backup_holding(d)) { /* offsets frozen for a backup set: fetched again later */
        upstream_fetch_later(up);
        return 0;
    }
    up->fetch_due = 1;
    return upstream_apply_batch(d, txn, up, reply->batch);
}

void upstream_after_commit(daemon_t *d)
{
    for (int i = 0; i < d->n_upstreams; i++) d->upstreams[i].applied = d->upstreams[i].tentative;
}

void upstream_discard(daemon_t *d)
{
    for (int i = 0; i < d->n_upstreams; i++) d->upstreams[i].tentative = d->upstreams[i].applied;
}

void upstream_send_due(daemon_t *d)
{
    for (int i = 0; i < d->n_upstreams; i++) {
        upstream_t *up = &d->upstreams[i];
        if (up->fetch_due && !up->inflight) upstream_send_fetch(up);
    }
}
