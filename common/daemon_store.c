/*
 * daemon_store.c - the daemon's store as a start opens it: LMDB in its
 * data_dir, the skeleton's tables, the stream, the service's tables (its
 * open hook), the upstream offsets, the generation and the data key. A
 * file of its own so that a compaction (compact.c) reopens the store by
 * the same path as a start, from below the loop that calls it.
 */
#include "daemon_int.h"
#include "log.h"
#include "storecheck.h"
#include "stream_check.h"

/* The format of the data (meta "store.format"): 2 since sealed values are
 * packed (zpack.h), 3 since they are sealed in the short form (seal.h), 4
 * since notify keeps a case's delivered notifications in one record
 * (services/notify/notify_store.h; a build of format 3 would give their
 * ids again and list none of them). A
 * store a newer build wrote is refused before anything is read or written
 * in it: this build would misread what it does not know. Builds before
 * format 2 do not look; README "Upgrading" says how to go back past it. */
#define DAEMON_STORE_FORMAT 4

static int daemon_store_format(daemon_t *d, MDB_txn *txn)
{
    uint64_t format;
    int rc = store_get_u64(txn, d->meta, "store.format", &format);
    if (rc) return rc;
    if (format > DAEMON_STORE_FORMAT) {
        log_error("the data in %s was written by a newer build (format %llu; this build reads up "
                  "to %d): run that build, or restore a backup taken before it",
                  d->cfg.data_dir, (unsigned long long)format, DAEMON_STORE_FORMAT);
        return -EPROTONOSUPPORT;
    }
    if (format == DAEMON_STORE_FORMAT) return 0;
    return store_put_u64(txn, d->meta, "store.format", DAEMON_STORE_FORMAT);
}

int daemon_store_open(daemon_t *d, size_t map_size)
{
    if (!map_size) map_size = (size_t)d->cfg.map_size_mb << 20;
    int rc = store_open(&d->store, d->cfg.data_dir, map_size, !d->cfg.sync);
    if (rc) return rc;
    /* Opened again (a compaction): no event read from the environment
     * before is answered from memory. */
    stream_cache_clear(&d->fetch_cache);
    /* Before the first page is read: a damaged file is a line, not a crash. */
    if (storecheck_env(d->store.env, d->damaged, sizeof d->damaged) < 0) return MDB_CORRUPTED;
    MDB_txn *txn;
    rc = store_begin(d->store.env, NULL, &txn);
    if (rc) return rc;
    /* Sealing from the first table on (a service's open may read sealed
     * values); reseal_open below checks the key before anything commits. */
    store_seal(&d->store, d->sec.ring, d->svc->name);
    rc = store_table(txn, "meta", &d->meta);
    if (!rc) rc = daemon_store_format(d, txn);
    if (!rc) rc = store_pack(&d->store, txn);
    if (!rc) rc = store_table_brief(txn, "replies", &d->replies);
    if (!rc) rc = store_table(txn, "replies_by_time", &d->replies_by_time);
    if (!rc) rc = store_table_brief(txn, "reply_hashes", &d->reply_hashes);
    if (!rc) rc = store_table(txn, "offsets", &d->offsets);
    if (!rc) rc = store_table_brief(txn, "dead", &d->dead);
    if (!rc) rc = daily_open(txn, &d->daily, &d->daily_empty);
    if (!rc) rc = stats_open(txn, &d->stats, &d->stats_empty);
    if (!rc) rc = audit_open(d, txn);
    if (!rc) rc = stream_open(&d->stream, txn, d->svc->name);
    d->stream.forget = d->svc->trim_forgets;
    /* A log whose head, sequence and positions disagree is damaged too. */
    if (!rc && (rc = stream_check(&d->stream, txn, d->damaged, sizeof d->damaged)) < 0)
        rc = MDB_CORRUPTED;
    if (!rc && d->svc->open) rc = d->svc->open(d, txn);
    if (!rc) rc = upstream_load_offsets(d, txn);
    if (!rc) rc = epoch_load(d, txn);
    if (!rc) rc = reseal_open(d, txn);
    if (rc) {
        store_undo(txn);
        return rc;
    }
    return store_commit(txn);
}
