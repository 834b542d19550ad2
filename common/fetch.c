/*
 * fetch.c - the producer side of a long-poll fetch (the consumer side is
 * upstream.c): a consumer's Fetch is checked and its offset acknowledged in
 * the turn, parked after the commit (one per consumer; a newer fetch
 * replaces the older), and answered with a batch as soon as the stream
 * passes after_seq, or with an empty batch (the heartbeat) when its wait
 * runs out.
 *
 *   Fetch --fetch_request (in the turn)--> to park --commit--> parked
 *   parked --stream head > after_seq, or wait over--> Batch sent, forgotten
 *   parked --a newer Fetch of the same consumer--> replaced, never answered
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "daemon_int.h"
#include "i18n.h"
#include "log.h"
#include "xalloc.h"

int fetch_consumer_each(const daemon_t *d, int (*each)(const char *name, size_t len, void *arg),
                        void *arg)
{
    int rc = 0;
    for (const char *const *c = d->svc->consumers; !rc && c && *c; c++)
        rc = each(*c, strlen(*c), arg);
    for (const char *p = d->cfg.consumers; !rc && p && *p;) {
        p += strspn(p, ", \t");
        size_t len = strcspn(p, ", \t");
        if (len) rc = each(p, len, arg);
        p += len;
    }
    return rc;
}

static int fetch_consumer_is(const char *name, size_t len, void *wanted)
{
    return len == strlen(wanted) && strncmp(name, wanted, len) == 0;
}

int fetch_consumer_known(const daemon_t *d, const char *name)
{
    return fetch_consumer_each(d, fetch_consumer_is, (void *)name);
}

/* The names that may consume d's stream, for a refusal: "eligibility,
 * notify" (in the arena). */
static const char *fetch_consumer_list(turn_t *t)
{
    const daemon_t *d = t->d;
    const char *list = "";
    for (const char *const *c = d->svc->consumers; c && *c; c++)
        list = arena_printf(t->arena, "%s%s%s", list, list[0] ? ", " : "", *c);
    if (d->cfg.consumers && d->cfg.consumers[0])
        list = arena_printf(t->arena, "%s%s%s", list, list[0] ? ", " : "", d->cfg.consumers);
    return list[0] ? list : "(none)";
}

/* Only a consumer of the stream keeps a position on it, and only its own
 * principal moves it (with security off, or in tests acting as no one in
 * particular, every peer is "local" and the name alone is checked). 1 after
 * a FORBIDDEN reply. */
static int fetch_consumer_refused(turn_t *t, const char *consumer, Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    if (!fetch_consumer_known(d, consumer)) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "fetch.consumer",
                  _("'%s' is not a consumer of the stream '%s' (its consumers: %s); no position "
                    "is kept for it"),
                  consumer, d->stream.name, fetch_consumer_list(t));
        return 1;
    }
    int anyone = d->test_mode ? d->test_principal == &d->anyone : !d->sec.on;
    if (!anyone && strcmp(t->who->name, consumer) != 0) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "fetch.consumer",
                  _("only the principal %s may fetch as the consumer %s and move its position "
                    "(this key is %s)"),
                  consumer, consumer, t->who->name);
        return 1;
    }
    return 0;
}

/* A consumer ahead of the head, or of another generation: this stream was
 * restored from a backup (or the consumer's data is not this system's).
 * Its position is not recorded; an empty batch with the generation goes
 * back at once, and the consumer decides (epoch.c). Ahead of the head, the
 * answer is also a CONFLICT, for a person reading it. */
static int fetch_other_generation(turn_t *t, const Legalaid__Fetch *f, uint64_t head,
                                  Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    if (f->after_seq > head)
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "fetch.after_seq",
                  _("after_seq %llu is beyond the head of '%s' (%llu): restored from a backup, or "
                    "the wrong data directory?"),
                  (unsigned long long)f->after_seq, d->stream.name, (unsigned long long)head);
    /* Once per consumer and position: a halted consumer asks every
     * fetch_wait_ms, and says so itself (epoch.c). */
    static char told[8][160];
    static int next;
    char now[160];
    snprintf(now, sizeof now, "%s %llu %llu", f->consumer, (unsigned long long)f->after_seq,
             (unsigned long long)f->epoch);
    int seen = 0;
    for (int i = 0; i < 8; i++) seen |= strcmp(told[i], now) == 0;
    if (!seen) {
        snprintf(told[next], sizeof told[next], "%s", now);
        next = (next + 1) % 8;
        log_warn("consumer %s fetched after seq=%llu of generation %llu; %s is at seq=%llu of "
                 "generation %llu: answered with the generation, position not recorded",
                 f->consumer, (unsigned long long)f->after_seq, (unsigned long long)f->epoch,
                 d->stream.name, (unsigned long long)head, (unsigned long long)d->stream.epoch);
    }
    Legalaid__Batch *b = ARENA_NEW(t->arena, Legalaid__Batch, legalaid__batch__init);
    b->stream = (char *)d->stream.name;
    b->head_seq = head;
    b->has_head_seq = 1;
    b->epoch = d->stream.epoch;
    b->has_epoch = 1;
    b->restored_seq = d->stream.restored_seq;
    b->has_restored_seq = d->stream.restored_seq != 0;
    reply->body_case = LEGALAID__REPLY__BODY_BATCH;
    reply->batch = b;
    return 1;
}

/* A consumer asking from before the oldest event the log keeps: the
 * events between were trimmed (stream_trim.h) after every consumer that
 * counted had acknowledged them, and it can never have them. CONFLICT
 * naming the range, with the batch's oldest_seq for the consumer (epoch.c
 * halts it), its position not recorded: never a silent gap. */
static int fetch_trimmed(turn_t *t, const Legalaid__Fetch *f, uint64_t head, uint64_t oldest,
                         Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "fetch.after_seq",
              _("'%s' no longer keeps seq %llu..%llu (its log starts at %llu: trimmed after every "
                "consumer acknowledged them and stream_keep_days passed); %s asked after %llu: "
                "restore it from a newer backup"),
              d->stream.name, (unsigned long long)f->after_seq + 1,
              (unsigned long long)oldest - 1, (unsigned long long)oldest, f->consumer,
              (unsigned long long)f->after_seq);
    Legalaid__Batch *b = ARENA_NEW(t->arena, Legalaid__Batch, legalaid__batch__init);
    b->stream = (char *)d->stream.name;
    b->head_seq = head;
    b->has_head_seq = 1;
    b->epoch = d->stream.epoch ? d->stream.epoch : 1;
    b->has_epoch = 1;
    b->oldest_seq = oldest;
    b->has_oldest_seq = 1;
    reply->body_case = LEGALAID__REPLY__BODY_BATCH;
    reply->batch = b;
    return 1;
}

int fetch_request(turn_t *t, const Legalaid__Fetch *f, Legalaid__Reply *reply, parked_t *park)
{
    daemon_t *d = t->d;
    if (!f->stream || strcmp(f->stream, d->stream.name) != 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "fetch.stream",
                  _("this daemon serves the stream '%s', not '%s'"), d->stream.name,
                  f->stream ? f->stream : "");
        return 1;
    }
    size_t n = f->consumer ? strlen(f->consumer) : 0;
    if (n == 0 || n >= sizeof park->consumer) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "fetch.consumer",
                  _("fetch.consumer must name the consuming daemon (1 to %zu characters)"),
                  sizeof park->consumer - 1);
        return 1;
    }
    if (fetch_consumer_refused(t, f->consumer, reply)) return 1;
    uint64_t head;
    int rc = stream_head(&d->stream, t->txn, &head, NULL);
    if (rc) return rc;
    if (f->after_seq > head || (f->epoch && f->epoch != d->stream.epoch))
        return fetch_other_generation(t, f, head, reply);
    uint64_t oldest;
    if ((rc = stream_oldest(&d->stream, t->txn, &oldest))) return rc;
    if (oldest && f->after_seq + 1 < oldest) return fetch_trimmed(t, f, head, oldest, reply);
    rc = stream_consumer_ack(&d->stream, t->txn, f->consumer, f->after_seq, t->now);
    if (rc) return rc;
    park->used = 1;
    memcpy(park->consumer, f->consumer, n + 1);
    snprintf(park->request_id, sizeof park->request_id, "%s", t->causation ? t->causation : "");
    park->after_seq = f->after_seq;
    uint32_t max_events = f->max_events ? f->max_events : (uint32_t)d->cfg.fetch_max_events;
    if (max_events > (uint32_t)d->cfg.fetch_max_events)
        max_events = (uint32_t)d->cfg.fetch_max_events;
    park->max_events = max_events;
    uint32_t wait = f->wait_ms;
    if (wait > 60000) wait = 60000;
    park->deadline_mono = clock_mono_ms() + wait;
    return 1;
}

/* Parks the fetch for answering after the commit; one per consumer. */
void fetch_park(daemon_t *d, inbound_t *in, parked_t *p)
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

void fetch_answer_parked(daemon_t *d, int expire_only)
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
        int n = stream_encode_batch_reply(&d->stream, txn, &d->fetch_cache, p->request_id,
                                          p->after_seq, p->max_events, max_bytes, &out);
        if (n >= 0) {
            if (d->router) {
                int rc = outbound_send_frames(d, &p->identity, p->delimiter, &out);
                if (rc < 0) log_debug("batch for %s dropped: %s", p->consumer, zmq_strerror(-rc));
            } else {
                outbound_add(d, &p->identity, p->delimiter, &out);
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

void fetch_answer_now(daemon_t *d)
{
    for (int i = 0; i < d->n_parked; i++) d->parked[i].deadline_mono = 0;
    fetch_answer_parked(d, 0);
}

void fetch_release(daemon_t *d)
{
    for (int i = 0; i < d->n_parked; i++) zmq_msg_close(&d->parked[i].identity);
    d->n_parked = 0;
}
