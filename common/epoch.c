/*
 * epoch.c - the generation of a stream, and what a consumer does when its
 * upstream comes back from a backup (README "Backup and restore").
 *
 * A stream's generation starts at 1; legalaidctl restore gives the
 * restored copy a new one and records the head the copy had
 * (restored_seq). Every batch carries both. A consumer remembers, per
 * upstream, the generation it last saw and the highest head announced in
 * it. Seen from the consumer (A: the offset it applied, H: the head it
 * knew, base: the head the restored log starts again from):
 *
 *   same generation, head >= H and >= A   --> apply (the usual case)
 *   new generation, A <= base             --> take the new generation and
 *        apply; seq base+1..H, seen but no longer in the log, are recorded
 *        as lost and logged (never silently)
 *   new generation, A > base; or the same --> halted: nothing applied, the
 *        generation with head < H or < A      range lost recorded, one error
 *        (a copy put back by hand)            line, "HALTED" in queues;
 *                                             fetched again every
 *                                             fetch_wait_ms until an operator
 *                                             restores this daemon too
 *
 * A producer that trimmed its log (stream_trim.h) past what this daemon
 * applied answers CONFLICT with the oldest seq it keeps: the events between
 * are gone for good, and this daemon halts the same way (lost range
 * recorded, one error line, "HALTED" in queues).
 *
 * Halting is the documented answer: the restored daemon would number new
 * events (and case numbers) again from base+1, so a consumer that applied
 * the lost ones cannot tell a new event from an old one with the same seq.
 */
#include <stdio.h>
#include <string.h>

#include "backup_read.h"
#include "daemon_int.h"
#include "log.h"

static int epoch_get(MDB_txn *txn, MDB_dbi meta, const char *stream, const char *what,
                     uint64_t *v)
{
    char key[160];
    snprintf(key, sizeof key, "upstream.%s.%s", stream, what);
    return store_get_u64(txn, meta, key, v);
}

static int epoch_put(MDB_txn *txn, MDB_dbi meta, const char *stream, const char *what, uint64_t v)
{
    char key[160];
    snprintf(key, sizeof key, "upstream.%s.%s", stream, what);
    return store_put_u64(txn, meta, key, v);
}

int epoch_load(daemon_t *d, MDB_txn *txn)
{
    int rc = store_get_u64(txn, d->meta, BACKUP_READ_EPOCH, &d->stream.epoch);
    if (!rc) rc = store_get_u64(txn, d->meta, BACKUP_READ_RESTORED, &d->stream.restored_seq);
    if (rc) return rc;
    if (d->stream.epoch == 0) d->stream.epoch = 1;
    uint64_t from = 0, to = 0;
    if (!rc) rc = store_get_u64(txn, d->meta, BACKUP_READ_LOST_FROM, &from);
    if (!rc) rc = store_get_u64(txn, d->meta, BACKUP_READ_LOST_TO, &to);
    if (!rc && to)
        log_warn("stream %s was restored from a backup at seq %llu: seq %llu..%llu of the data it "
                 "replaced are not in it (kept in data.mdb.before-restore-*; README \"Backup and "
                 "restore\")",
                 d->stream.name, (unsigned long long)d->stream.restored_seq,
                 (unsigned long long)from, (unsigned long long)to);
    for (int i = 0; i < d->n_upstreams && !rc; i++) {
        upstream_t *up = &d->upstreams[i];
        rc = epoch_get(txn, d->meta, up->name, "epoch", &up->epoch);
        if (!rc) rc = epoch_get(txn, d->meta, up->name, "seen", &up->seen_head);
        if (!rc) rc = epoch_get(txn, d->meta, up->name, "lost_from", &up->lost_from);
        if (!rc) rc = epoch_get(txn, d->meta, up->name, "lost_to", &up->lost_to);
        if (!rc && up->lost_to)
            log_warn("upstream %s: seq %llu..%llu of an earlier generation were applied or seen "
                      "here and are not in its restored log (README \"Backup and restore\")",
                      up->name, (unsigned long long)up->lost_from, (unsigned long long)up->lost_to);
    }
    return rc;
}

static int epoch_record(MDB_txn *txn, daemon_t *d, upstream_t *up)
{
    int rc = epoch_put(txn, d->meta, up->name, "epoch", up->epoch);
    if (!rc) rc = epoch_put(txn, d->meta, up->name, "seen", up->seen_head);
    if (!rc) rc = epoch_put(txn, d->meta, up->name, "lost_from", up->lost_from);
    if (!rc) rc = epoch_put(txn, d->meta, up->name, "lost_to", up->lost_to);
    return rc;
}

/* The upstream no longer keeps the events after what this daemon applied
 * (trimmed, stream_trim.h): halted as for a restore behind it, the range
 * recorded as lost. 0 or a store error. */
static int epoch_trimmed(daemon_t *d, MDB_txn *txn, upstream_t *up, uint64_t oldest)
{
    uint64_t from = up->tentative + 1, to = oldest - 1;
    /* One range is kept per upstream (queues shows it): one recorded
     * before (a restore's) is named in the log before it is replaced, so
     * that no loss is ever forgotten without a word. */
    if (up->lost_to && !(from <= up->lost_from && up->lost_to <= to)) /* not the same loss grown */
        log_warn("upstream %s: the seqs recorded as lost before (%llu..%llu) are replaced in "
                 "queues by those trimmed now (%llu..%llu); both are lost",
                 up->name, (unsigned long long)up->lost_from, (unsigned long long)up->lost_to,
                 (unsigned long long)from, (unsigned long long)to);
    up->lost_from = from;
    up->lost_to = to;
    if (!up->halted)
        log_error("upstream %s no longer keeps seq %llu..%llu (trimmed: its log starts at %llu) "
                  "but this daemon applied only up to %llu: not applying %s until this daemon "
                  "is restored from a newer backup (README \"Backup and restore\")",
                  up->name, (unsigned long long)up->lost_from, (unsigned long long)up->lost_to,
                  (unsigned long long)oldest, (unsigned long long)up->tentative, up->name);
    up->halted = 1;
    int rc = epoch_record(txn, d, up);
    return rc < 0 ? rc : 0;
}

int epoch_check_batch(daemon_t *d, MDB_txn *txn, upstream_t *up, const Legalaid__Batch *batch)
{
    if (batch->oldest_seq > up->tentative + 1) return epoch_trimmed(d, txn, up, batch->oldest_seq);
    /* A batch without a head (none from a daemon) says nothing of it. */
    uint64_t gen = batch->epoch ? batch->epoch : 1, head = batch->head_seq;
    int restored = 0;
    uint64_t base = head;
    if (up->epoch && gen != up->epoch) {
        restored = 1;
        base = batch->restored_seq < head ? batch->restored_seq : head;
    } else if (batch->has_head_seq && (head < up->seen_head || head < up->tentative)) {
        restored = 1; /* the same generation went back: a copy put in place by hand */
    }
    if (!restored) {
        if (up->epoch == gen && head <= up->seen_head) return 1;
        up->epoch = gen;
        if (head > up->seen_head) up->seen_head = head;
        up->halted = 0;
        int rc = epoch_record(txn, d, up);
        return rc < 0 ? rc : 1;
    }
    uint64_t known = up->tentative > up->seen_head ? up->tentative : up->seen_head;
    if (known > base) {
        up->lost_from = base + 1;
        up->lost_to = known;
    }
    if (up->tentative > base) {
        if (!up->halted)
            log_error("upstream %s was restored from a backup (generation %llu -> %llu, its log "
                      "ends at seq %llu) but this daemon applied up to %llu: seq %llu..%llu are "
                      "lost from %s; not applying %s until this daemon is restored from the same "
                      "backup set (README \"Backup and restore\")",
                      up->name, (unsigned long long)up->epoch, (unsigned long long)gen,
                      (unsigned long long)base, (unsigned long long)up->tentative,
                      (unsigned long long)up->lost_from, (unsigned long long)up->lost_to, up->name,
                      up->name);
        up->halted = 1;
        int rc = epoch_record(txn, d, up);
        return rc < 0 ? rc : 0;
    }
    if (known > base)
        log_error("upstream %s was restored from a backup (generation %llu -> %llu, its log ends "
                  "at seq %llu): seq %llu..%llu, announced before, are lost from it; continuing "
                  "from seq %llu (README \"Backup and restore\")",
                  up->name, (unsigned long long)up->epoch, (unsigned long long)gen,
                  (unsigned long long)base, (unsigned long long)up->lost_from,
                  (unsigned long long)up->lost_to, (unsigned long long)up->tentative);
    else
        log_warn("upstream %s was restored from a backup (generation %llu -> %llu, its log ends at "
                 "seq %llu): nothing applied here is missing; continuing from seq %llu",
                 up->name, (unsigned long long)up->epoch, (unsigned long long)gen,
                 (unsigned long long)base, (unsigned long long)up->tentative);
    up->epoch = gen;
    up->seen_head = head;
    up->halted = 0;
    int rc = epoch_record(txn, d, up);
    return rc < 0 ? rc : 1;
}

void epoch_status(daemon_t *d, MDB_txn *txn, Legalaid__StreamStatus *st)
{
    uint64_t from = 0, to = 0;
    if (store_get_u64(txn, d->meta, BACKUP_READ_LOST_FROM, &from) == 0 &&
        store_get_u64(txn, d->meta, BACKUP_READ_LOST_TO, &to) == 0 && to) {
        st->lost_from = from;
        st->lost_to = to;
        st->has_lost_from = st->has_lost_to = 1;
    }
    for (size_t i = 0; i < st->n_upstreams && i < (size_t)d->n_upstreams; i++) {
        const upstream_t *up = &d->upstreams[i];
        Legalaid__UpstreamOffset *o = st->upstreams[i];
        o->epoch = up->epoch;
        o->has_epoch = up->epoch != 0;
        o->seen_head = up->seen_head;
        o->has_seen_head = 1;
        o->halted = up->halted != 0;
        o->has_halted = 1;
        o->lost_from = up->lost_from;
        o->lost_to = up->lost_to;
        o->has_lost_from = o->has_lost_to = up->lost_to != 0;
    }
}
