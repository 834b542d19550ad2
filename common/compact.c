/*
 * compact.c - Compact: a compacted copy of the daemon's environment put in
 * the place of data.mdb while the daemon keeps its socket (README
 * "Compaction"). LMDB never gives freed pages back to the file system:
 * once old replies and events are pruned, data.mdb stays as large as it
 * ever was; a copy with MDB_CP_COMPACT holds only the pages in use.
 *
 *   none/done/failed --Compact{}--> running: after that turn, every
 *        table's handle opened (compact_start), a worker thread writes
 *        <data_dir>/data.mdb.compact with every table's entries put again
 *        in key order, its pages full (store_repack; should that fail, the
 *        pages as they are: mdb_env_copyfd2 MDB_CP_COMPACT, as Backup
 *        does) and syncs it; the loop keeps turning meanwhile
 *   running --worker ends--> the swap on the loop's thread, then done
 *        (sizes before and after, how long the loop was held, the map) or
 *        failed (the step and why: nothing changed, the old file in use)
 *   running --Compact{}--> CONFLICT, nothing started
 *   Compact{} with the request_id that started the last one (a client's
 *        resend: its first reply may be lost with a connection it closed)
 *        --> how that one stands; nothing started, no CONFLICT
 *   Compact{status} --> how the last one stands
 *
 * Why no acknowledged write is lost. The worker notes the environment's
 * last committed transaction before its copy begins; the copy's snapshot
 * is that one or a later one. The swap runs in the worker's after-callback,
 * on the loop's thread between two turns: no write transaction is open and
 * none begins until it returns (only that thread writes). If the last
 * committed transaction is still the one noted, nothing committed since
 * the copy began: the copy holds every commit, so every acknowledged reply
 * (a reply is sent only after its commit, commit.c). If it moved, turns
 * committed during the copy: the worker copies again (up to
 * COMPACT_WORKER_COPIES in all, the loop turning), and if writes still came
 * the copy is taken once more in the swap, on the loop's thread, where no
 * write can overtake it (the loop held for that copy too). So the loop is
 * held only for the swap when a worker's copy saw no write come after it,
 * and for one more copy on a daemon written to all the time; never is a
 * copy used that could miss a write. The reply counts the copies.
 *
 * The swap: data.mdb linked to data.mdb.old (the way back), the
 * environment closed, data.mdb.compact renamed over data.mdb, the directory
 * fsynced, and the environment reopened by the path a start takes
 * (daemon_store_open: the check of the file, the skeleton's tables, the
 * stream, the service's open hook, the offsets, the generation, the data
 * key), so every MDB_dbi the skeleton and the service keep is opened again
 * on the new environment. The map keeps the size it had (map_size_mb, or
 * more if it grew). If the reopen fails, data.mdb.old goes back into place
 * and is opened again; data.mdb.old and any .compact file are gone once
 * the daemon runs on one of them. Should the old one not open again (it
 * ran a moment ago), the daemon exits EXIT_TEMPFAIL and starts again on
 * it.
 *
 * A daemon stopped in the middle (killed, power lost) left data.mdb either
 * the old file or the whole copy, each holding every commit (none happens
 * during the swap); compact_clean removes what is left beside it at the
 * next start.
 *
 * One copy of the environment at a time: Compact waits for a Backup copy
 * to end and the other way round (the swap closes the environment the
 * backup's worker reads).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "daemon_int.h"
#include "i18n.h"
#include "la_limits.h"
#include "log.h"
#include "storecheck.h"
#include "xalloc.h"

/* Copies on the worker before the swap copies with the loop held. */
#define COMPACT_WORKER_COPIES 3

typedef struct compact_job {
    daemon_t *d;
    uv_work_t work;
    char data[PATH_MAX], copy[PATH_MAX + 16], old[PATH_MAX + 16];
    int running;
    char request_id[LA_REQUEST_ID_MAX + 1]; /* the request that started it */
    int rc; /* 0, an LMDB code or -errno (store_strerror) */
    const char *step;
    char why[512]; /* what is damaged in a copy that does not open, else "" */
    size_t txnid; /* the last committed when the first copy began */
    unsigned copies;
    int held_copy; /* the last copy was taken with the loop held */
    /* The tables (store_repack_tables, on the loop's thread when it starts) that
     * the copies write again in key order; nrefs 0: the pages are copied
     * as they are, for the reason in repack_rc. */
    store_table_ref_t refs[STORE_MAX_TABLES];
    int nrefs;
    int repack_rc;
    int64_t started_at, finished_at;
    uint64_t bytes_before, bytes_after, pages_before, pages_after, map_bytes;
    int64_t copy_us, held_us;
} compact_job_t;

static uint64_t compact_file_bytes(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Why the tables were not written again in key order (store_repack). */
static const char *compact_repack_why(int rc)
{
    switch (rc) {
    case -EAGAIN:
        return _("a table was made after the compaction began");
    case -E2BIG:
        return _("more tables, or a longer name, than a copy holds");
    case MDB_INCOMPATIBLE:
    case -EINVAL:
        return _("the environment holds an entry or a table of a kind this code does not write");
    default:
        return store_strerror(rc);
    }
}

/* The pages as they are (MDB_CP_COMPACT) into job->copy, synced. */
static int compact_copy_pages(compact_job_t *job)
{
    job->step = "create";
    int fd = open(job->copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return -errno;
    job->step = "copy";
    int rc = store_copy_fd(&job->d->store, fd);
    if (!rc) {
        job->step = "fdatasync";
        if (fdatasync(fd) < 0) rc = -errno;
    }
    if (close(fd) < 0 && !rc) rc = -errno;
    return rc;
}

/* Writes the compacted copy to job->copy and syncs it: 0, or an error
 * with the copy removed. Every table written again in key order, its pages
 * full; should that fail (a table made since the start, the map too small
 * for the copy), the pages as they are, from then on. On either thread:
 * only the job and the store (logged by compact_after_cb). */
static int compact_copy(compact_job_t *job)
{
    int64_t t0 = clock_mono_us();
    job->copies++;
    int rc = -1;
    if (job->nrefs > 0) {
        job->step = "repack";
        rc = job->repack_rc = store_repack(&job->d->store, job->copy, job->refs, job->nrefs);
        if (rc) job->nrefs = 0;
    }
    if (rc) rc = compact_copy_pages(job);
    if (rc) unlink(job->copy);
    job->copy_us += clock_mono_us() - t0;
    return rc;
}

static void compact_work_cb(uv_work_t *w)
{
    compact_job_t *job = w->data;
    uint64_t txnid = 0;
    int rc = store_last_txnid(&job->d->store, &txnid);
    if (rc) {
        job->rc = rc;
        job->step = "env info";
        return;
    }
    job->txnid = txnid;
    job->rc = compact_copy(job);
}

/* The environment closed; data.mdb is the copy (renamed) or still the old
 * file: back to the old file, opened again. Should it not open (it ran a
 * moment ago), the daemon exits EXIT_TEMPFAIL to start again on it:
 * between turns nothing is uncommitted, and nothing can be served without
 * an environment. */
static void compact_back(compact_job_t *job, int renamed, size_t map)
{
    daemon_t *d = job->d;
    store_close(&d->store);
    if (renamed && rename(job->old, job->data) < 0) {
        log_fatal("compaction: cannot put %s back as %s: %s (exit %d)", job->old, job->data,
                  strerror(errno), EXIT_TEMPFAIL);
        exit(EXIT_TEMPFAIL);
    }
    unlink(job->copy);
    unlink(job->old);
    /* Nothing more is acknowledged until the old file is data.mdb on disk:
     * else a power cut could bring back the copy as data.mdb and the old
     * file, with the writes acknowledged since, as data.mdb.old. */
    int src = backup_sync_dir(d->cfg.data_dir);
    if (src < 0) {
        log_fatal("compaction: cannot sync %s after putting the old environment back: %s (exit %d)",
                  d->cfg.data_dir, strerror(-src), EXIT_TEMPFAIL);
        exit(EXIT_TEMPFAIL);
    }
    d->damaged[0] = 0;
    int rc = daemon_store_open(d, map);
    if (rc) {
        log_fatal("compaction: the old environment does not open again: %s (exit %d)",
                  d->damaged[0] ? d->damaged : store_strerror(rc), EXIT_TEMPFAIL);
        exit(EXIT_TEMPFAIL);
    }
    if (!d->test_mode) storecheck_watch(d->store.env);
}

/* On the loop's thread between turns: the copy takes the place of
 * data.mdb (the header says why nothing is lost). 0 or an error: then the
 * old environment is in use again and the copy removed. */
static int compact_swap(compact_job_t *job)
{
    daemon_t *d = job->d;
    MDB_envinfo info;
    int rc = store_rc(mdb_env_info(d->store.env, &info));
    if (rc) {
        job->step = "env info";
        unlink(job->copy);
        return rc;
    }
    if (info.me_last_txnid != job->txnid) {
        log_info("compaction: writes committed during the copy (txn %zu -> %zu): copying again "
                 "with the loop held",
                 job->txnid, info.me_last_txnid);
        job->held_copy = 1;
        rc = compact_copy(job);
        if (rc) return rc;
    }
    job->pages_before = (uint64_t)info.me_last_pgno + 1;
    job->bytes_before = compact_file_bytes(job->data);
    size_t map = d->store.map_size;
    job->step = "link";
    unlink(job->old);
    if (link(job->data, job->old) < 0) {
        rc = -errno;
        unlink(job->copy);
        return rc;
    }
    store_close(&d->store);
    job->step = "rename";
    if (rename(job->copy, job->data) < 0) {
        rc = -errno;
        compact_back(job, 0, map);
        return rc;
    }
    job->step = "fsync";
    rc = backup_sync_dir(d->cfg.data_dir);
    if (!rc) {
        job->step = "reopen";
        d->damaged[0] = 0;
        rc = daemon_store_open(d, map);
        if (rc && d->damaged[0]) {
            log_error("compaction: the copy does not open: %s", d->damaged);
            snprintf(job->why, sizeof job->why, "%s", d->damaged);
        }
    }
    if (rc) {
        compact_back(job, 1, map);
        return rc;
    }
    /* data.mdb.old is removed on a worker (compact_unlink_work): freeing a
     * file of gigabytes and its cached pages took 0.8 s here, which the
     * loop would be held for. Not synced: a start removes it if it comes
     * back (compact_clean). */
    if (!d->test_mode) storecheck_watch(d->store.env);
    if (mdb_env_info(d->store.env, &info) == 0) {
        job->pages_after = (uint64_t)info.me_last_pgno + 1;
        job->map_bytes = info.me_mapsize;
        /* Full until a turn that writes commits (commit.c), counted anew. */
        d->disk_full_txnid = info.me_last_txnid;
    }
    job->bytes_after = compact_file_bytes(job->data);
    return 0;
}

/* Whether a transaction committed since the last copy began. */
static int compact_moved(const compact_job_t *job)
{
    MDB_envinfo info;
    return mdb_env_info(job->d->store.env, &info) != 0 || info.me_last_txnid != job->txnid;
}

/* The old file's removal, on a worker after a swap. */
static void compact_unlink_work(uv_work_t *w)
{
    compact_job_t *job = w->data;
    unlink(job->old);
}

/* The compaction is over: it is told and logged. */
static void compact_finish(compact_job_t *job)
{
    daemon_t *d = job->d;
    job->running = 0;
    d->compacting = 0;
    job->finished_at = clock_now_ms();
    if (job->rc)
        log_error("compaction failed at %s: %s; %s goes on with its old data.mdb", job->step,
                  store_strerror(job->rc), d->svc->name);
    else
        log_info("compacted data.mdb bytes=%llu->%llu pages=%llu->%llu held_ms=%.1f copies=%u "
                 "map_size=%llu repacked=%d",
                 (unsigned long long)job->bytes_before, (unsigned long long)job->bytes_after,
                 (unsigned long long)job->pages_before, (unsigned long long)job->pages_after,
                 (double)job->held_us / 1000.0, job->copies, (unsigned long long)job->map_bytes,
                 job->nrefs > 0);
    if (!job->rc && job->nrefs == 0)
        log_warn("compaction: the tables were not written again in key order (%s): their pages "
                 "were copied as they are",
                 compact_repack_why(job->repack_rc));
}

static void compact_unlinked_cb(uv_work_t *w, int status)
{
    (void)status; /* cancelled: compact_clean removes it at the next start */
    compact_finish(w->data);
}

static void compact_after_cb(uv_work_t *w, int status)
{
    compact_job_t *job = w->data;
    daemon_t *d = job->d;
    if (status == UV_ECANCELED) job->rc = -ECANCELED;
    if (!job->rc && d->stopping) {
        job->rc = -ECANCELED;
        job->step = "stopping";
        unlink(job->copy);
    }
    /* Writes came during the copy: again on the worker while the loop
     * turns, a few times, before the copy the swap takes with it held. */
    if (!job->rc && job->copies < COMPACT_WORKER_COPIES && compact_moved(job) &&
        uv_queue_work(&d->loop, &job->work, compact_work_cb, compact_after_cb) == 0)
        return;
    if (!job->rc) {
        int64_t t0 = clock_mono_us();
        job->rc = compact_swap(job);
        job->held_us = clock_mono_us() - t0;
    }
    if (!job->rc &&
        uv_queue_work(&d->loop, &job->work, compact_unlink_work, compact_unlinked_cb) == 0)
        return; /* running until the old file is gone: no new copy beside it */
    if (!job->rc) unlink(job->old);
    compact_finish(job);
}

static int compact_answer(turn_t *t, const compact_job_t *job, Legalaid__Reply *reply)
{
    Legalaid__CompactState *c =
        ARENA_NEW(t->arena, Legalaid__CompactState, legalaid__compact_state__init);
    c->daemon = (char *)t->d->svc->name;
    c->state = job->running ? "running" : job->rc ? "failed" : "done";
    c->started_at = job->started_at;
    c->has_started_at = 1;
    if (!job->running) {
        c->finished_at = job->finished_at;
        c->has_finished_at = 1;
        c->copies = job->copies;
        c->has_copies = 1;
        c->copy_ms = (double)job->copy_us / 1000.0;
        c->has_copy_ms = 1;
    }
    if (!job->running && job->rc)
        c->error = arena_printf(t->arena, "%s: %s", job->step,
                                job->why[0] ? job->why : store_strerror(job->rc));
    if (!job->running && !job->rc) {
        c->bytes_before = job->bytes_before;
        c->bytes_after = job->bytes_after;
        c->pages_before = job->pages_before;
        c->pages_after = job->pages_after;
        c->held_ms = (double)job->held_us / 1000.0;
        c->map_bytes = job->map_bytes;
        c->has_bytes_before = c->has_bytes_after = c->has_pages_before = c->has_pages_after = 1;
        c->held_copy = job->held_copy;
        c->has_held_ms = c->has_map_bytes = c->has_held_copy = 1;
        c->repacked = job->nrefs > 0;
        c->has_repacked = 1;
        if (!c->repacked) c->not_repacked = (char *)compact_repack_why(job->repack_rc);
    }
    reply->body_case = LEGALAID__REPLY__BODY_COMPACT;
    reply->compact = c;
    return 1;
}

int compact_request(turn_t *t, const Legalaid__Compact *req, Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    compact_job_t *job = d->compact;
    if (req->status) {
        if (job) return compact_answer(t, job, reply);
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "compact.status",
                  _("%s has not been compacted since it started"), d->svc->name);
        return 1;
    }
    /* Compact is not deduplicated as a change is (commit.c): its resend
     * would find its own compaction running. Only the last compaction's
     * request_id is kept: a resend that comes after another compaction
     * began (legalaidctl resends within seconds) is refused or, once that
     * one is done, compacts again, which loses nothing. */
    if (job && t->causation && t->causation[0] && strcmp(job->request_id, t->causation) == 0)
        return compact_answer(t, job, reply);
    if (job && job->running) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "compact",
                  _("a compaction of %s is running; try again when it is done"), d->svc->name);
        return 1;
    }
    if (backup_running(d)) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "compact",
                  _("a backup copy of %s is running; compact it when the backup is done"),
                  d->svc->name);
        return 1;
    }
    if (d->test_mode || strlen(d->cfg.data_dir) > PATH_MAX - 16) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "compact",
                  d->test_mode ? _("%s runs without its loop (a test): no compaction")
                               : _("the data_dir of %s is too long"),
                  d->svc->name);
        return 1;
    }
    if (!job) job = d->compact = xcalloc(1, sizeof *job);
    memset(job, 0, sizeof *job);
    job->d = d;
    snprintf(job->data, sizeof job->data, "%s/data.mdb", d->cfg.data_dir);
    snprintf(job->copy, sizeof job->copy, "%s.compact", job->data);
    snprintf(job->old, sizeof job->old, "%s.old", job->data);
    snprintf(job->request_id, sizeof job->request_id, "%s", t->causation ? t->causation : "");
    job->started_at = clock_now_ms();
    job->work.data = job;
    job->running = d->compacting = 1;
    d->compact_due = 1; /* the tables are opened once this turn's transaction is over */
    log_info("compaction of %s started by %s", d->cfg.data_dir, turn_who(t));
    return compact_answer(t, job, reply);
}

void compact_start(daemon_t *d)
{
    compact_job_t *job = d->compact;
    d->compact_due = 0;
    if (!job || !job->running) return;
    /* Here, between turns: LMDB lets no handle be opened while another
     * transaction of this thread is open, nor beside another opening. */
    job->repack_rc = store_repack_tables(&d->store, job->refs, STORE_MAX_TABLES, &job->nrefs);
    if (job->repack_rc) job->nrefs = 0;
    if (uv_queue_work(&d->loop, &job->work, compact_work_cb, compact_after_cb)) {
        job->running = d->compacting = 0;
        job->rc = -ENOMEM;
        job->step = "start";
        job->finished_at = clock_now_ms();
        log_error("compaction of %s could not start: no worker thread", d->cfg.data_dir);
    }
}

void compact_clean(daemon_t *d, int opened)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", d->cfg.data_dir,
             opened ? "data.mdb.old" : "data.mdb.compact");
    if (opened < 0) {
        if (access(path, F_OK) == 0)
            log_error("%s is the environment from before a compaction that stopped midway; "
                      "data.mdb does not open: see README \"Compaction\"",
                      path);
        return;
    }
    if (unlink(path) == 0) log_info("removed %s, left by a compaction that was stopped", path);
}

void compact_free(daemon_t *d)
{
    free(d->compact);
    d->compact = NULL;
}
