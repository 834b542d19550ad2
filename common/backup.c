/*
 * backup.c - Backup: a hot, consistent, compacted copy of the daemon's
 * environment while it keeps serving (README "Backup and restore").
 *
 * Where the copy goes: the daemon writes it on its own host, under the
 * backup_dir of its own section, as <backup_dir>/<set>/<daemon>.mdb; a
 * client only names the set (a plain name, never a path), so a request
 * cannot make the daemon write anywhere else. legalaidctl backup reports
 * each path with what the copy holds; collecting the copies of daemons on
 * other hosts is the site's file transfer (rsync, scp), as for any file.
 *
 *   none/done/failed --Backup{set} new--> running (a worker thread copies:
 *        mdb_env_copyfd2 MDB_CP_COMPACT into <daemon>.mdb.part, fdatasync,
 *        rename, fsync of the directory, then reads the copy back)
 *   running --worker ends--> done (path, bytes, the copy's head, generation,
 *        consumers and offsets) or failed (why; the .part file removed)
 *   Backup{set} of the job in hand --> how it stands, nothing started
 *
 * One copy at a time, and none while a compaction runs (compact.c); the
 * loop keeps turning during it. A hold (Backup
 * hold_ms, release) stops the applying of upstream batches for a while so
 * that the copies of a whole set agree: a copy started and finished inside
 * the hold says held.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup_read.h"
#include "clock.h"
#include "daemon_int.h"
#include "i18n.h"
#include "log.h"
#include "xalloc.h"

typedef struct backup_job {
    daemon_t *d;
    uv_work_t work;
    char set[65];
    char dir[PATH_MAX], path[PATH_MAX + 80], part[PATH_MAX + 96];
    int running;
    int held; /* a hold was on when the copy started */
    int rc; /* 0, an LMDB code or -errno (store_strerror) */
    const char *step;
    uint64_t bytes;
    int64_t started_at, finished_at;
    backup_summary_t copied;
} backup_job_t;

static int backup_set_valid(const char *set)
{
    size_t n = set ? strlen(set) : 0;
    if (n == 0 || n > 64 || strcmp(set, ".") == 0 || strcmp(set, "..") == 0) return 0;
    return strspn(set, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

int backup_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -errno;
    int rc = fsync(fd) < 0 ? -errno : 0;
    close(fd);
    return rc;
}

/* On the worker thread: only the job and the environment. */
static void backup_work_cb(uv_work_t *w)
{
    backup_job_t *job = w->data;
    job->step = "create";
    int fd = open(job->part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        job->rc = -errno;
        return;
    }
    job->step = "copy";
    int rc = store_copy_fd(&job->d->store, fd);
    if (!rc) {
        job->step = "fdatasync";
        if (fdatasync(fd) < 0) rc = -errno;
    }
    struct stat st;
    if (!rc && fstat(fd, &st) == 0) job->bytes = (uint64_t)st.st_size;
    close(fd);
    if (!rc) {
        job->step = "rename";
        if (rename(job->part, job->path) < 0) rc = -errno;
    }
    if (!rc) {
        job->step = "fsync";
        rc = backup_sync_dir(job->dir);
    }
    if (!rc) {
        job->step = "read back";
        rc = backup_read_summary(job->path, 1, &job->copied);
    }
    if (rc) unlink(job->part);
    job->rc = rc;
}

static void backup_after_cb(uv_work_t *w, int status)
{
    backup_job_t *job = w->data;
    job->running = 0;
    job->finished_at = clock_now_ms();
    job->held = job->held && backup_holding(job->d);
    if (status == UV_ECANCELED) job->rc = -ECANCELED;
    if (job->rc)
        log_error("backup set=%s failed at %s: %s", job->set, job->step, store_strerror(job->rc));
    else
        log_info("backup set=%s path=%s bytes=%llu head_seq=%llu epoch=%llu", job->set, job->path,
                 (unsigned long long)job->bytes, (unsigned long long)job->copied.head,
                 (unsigned long long)job->copied.epoch);
}

static Legalaid__ConsumerPosition **backup_positions(turn_t *t, const backup_read_position_t *p,
                                                     size_t n, uint64_t head, size_t *n_out)
{
    Legalaid__ConsumerPosition **out = arena_alloc(t->arena, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        Legalaid__ConsumerPosition *c =
            ARENA_NEW(t->arena, Legalaid__ConsumerPosition, legalaid__consumer_position__init);
        c->consumer = arena_strdup(t->arena, p[i].name);
        c->acked_seq = p[i].seq;
        c->has_acked_seq = 1;
        c->lag = head > p[i].seq ? head - p[i].seq : 0;
        c->has_lag = 1;
        out[i] = c;
    }
    *n_out = n;
    return out;
}

/* What the copy holds, as a StreamStatus (consumers, upstreams). */
static Legalaid__StreamStatus *backup_copied(turn_t *t, const backup_job_t *job)
{
    const backup_summary_t *s = &job->copied;
    Legalaid__StreamStatus *st =
        ARENA_NEW(t->arena, Legalaid__StreamStatus, legalaid__stream_status__init);
    st->daemon = (char *)t->d->svc->name;
    st->stream = (char *)t->d->stream.name;
    st->head_seq = s->head;
    st->has_head_seq = 1;
    st->epoch = s->epoch;
    st->has_epoch = 1;
    st->restored_seq = s->restored_seq;
    st->has_restored_seq = s->restored_seq != 0;
    st->consumers = backup_positions(t, s->consumers, s->n_consumers, s->head, &st->n_consumers);
    st->upstreams = arena_alloc(t->arena, (s->n_upstreams + 1) * sizeof *st->upstreams);
    for (size_t i = 0; i < s->n_upstreams; i++) {
        Legalaid__UpstreamOffset *o =
            ARENA_NEW(t->arena, Legalaid__UpstreamOffset, legalaid__upstream_offset__init);
        o->stream = arena_strdup(t->arena, s->upstreams[i].name);
        o->applied_seq = s->upstreams[i].seq;
        o->has_applied_seq = 1;
        st->upstreams[i] = o;
    }
    st->n_upstreams = s->n_upstreams;
    return st;
}

static int backup_answer(turn_t *t, const backup_job_t *job, Legalaid__Reply *reply)
{
    Legalaid__BackupState *b =
        ARENA_NEW(t->arena, Legalaid__BackupState, legalaid__backup_state__init);
    b->daemon = (char *)t->d->svc->name;
    b->set = arena_strdup(t->arena, job->set);
    b->state = job->running ? "running" : job->rc ? "failed" : "done";
    b->path = arena_strdup(t->arena, job->path);
    b->started_at = job->started_at;
    b->has_started_at = 1;
    if (!job->running) {
        b->finished_at = job->finished_at;
        b->has_finished_at = 1;
    }
    if (!job->running && job->rc)
        b->error = arena_printf(t->arena, "%s: %s", job->step, store_strerror(job->rc));
    b->held = job->held && !job->rc;
    b->has_held = 1;
    if (!job->running && !job->rc) {
        b->bytes = job->bytes;
        b->has_bytes = 1;
        b->copied = backup_copied(t, job);
    }
    reply->body_case = LEGALAID__REPLY__BODY_BACKUP;
    reply->backup = b;
    return 1;
}

int backup_running(daemon_t *d)
{
    return d->backup && d->backup->running;
}

int backup_holding(daemon_t *d)
{
    return d->hold_until_mono && clock_mono_ms() < d->hold_until_mono;
}

/* Backup{hold_ms} or Backup{release}: the hold, nothing copied. */
static int backup_hold(turn_t *t, const Legalaid__Backup *req, Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    uint32_t ms = req->hold_ms > 600000 ? 600000 : req->hold_ms;
    d->hold_until_mono = req->release ? 0 : clock_mono_ms() + ms;
    if (req->release)
        log_info("backup set=%s: upstream batches applied again by %s", req->set, turn_who(t));
    else
        log_info("backup set=%s: upstream batches held by %s", req->set, turn_who(t));
    Legalaid__BackupState *b =
        ARENA_NEW(t->arena, Legalaid__BackupState, legalaid__backup_state__init);
    b->daemon = (char *)d->svc->name;
    b->set = req->set;
    b->state = req->release ? "released" : "held";
    reply->body_case = LEGALAID__REPLY__BODY_BACKUP;
    reply->backup = b;
    return 1;
}

int backup_request(turn_t *t, const Legalaid__Backup *req, Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    if (!backup_set_valid(req->set)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "backup.set",
                  _("backup.set must be a plain name of 1 to 64 letters, digits, '.', '_' or '-'"));
        return 1;
    }
    if (req->release || req->hold_ms) return backup_hold(t, req, reply);
    backup_job_t *job = d->backup;
    if (job && strcmp(job->set, req->set) == 0) return backup_answer(t, job, reply);
    if (job && job->running) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "backup.set",
                  _("a backup of set '%s' is still running on %s; try again when it is done"),
                  job->set, d->svc->name);
        return 1;
    }
    if (d->compacting) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "backup.set",
                  _("a compaction of %s is running; try the backup again when it is done"),
                  d->svc->name);
        return 1;
    }
    if (!d->cfg.backup_dir || !d->cfg.backup_dir[0]) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "backup",
                  _("%s has no backup_dir: set backup_dir in its section [%s] to allow backups"),
                  d->svc->name, d->svc->name);
        return 1;
    }
    /* Refused before the job is touched: a job named after the set would
     * answer the next Backup of that set "done", with nothing copied. */
    if (strlen(d->cfg.backup_dir) > PATH_MAX - 80) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "backup",
                  _("the backup_dir of [%s] is too long"), d->svc->name);
        return 1;
    }
    if (!job) job = d->backup = xcalloc(1, sizeof *job);
    memset(job, 0, sizeof *job);
    job->d = d;
    snprintf(job->set, sizeof job->set, "%s", req->set);
    snprintf(job->dir, sizeof job->dir, "%s/%s", d->cfg.backup_dir, req->set);
    snprintf(job->path, sizeof job->path, "%s/%s.mdb", job->dir, d->svc->name);
    snprintf(job->part, sizeof job->part, "%s.part", job->path);
    job->started_at = clock_now_ms();
    job->step = "mkdir";
    struct stat st;
    if ((mkdir(d->cfg.backup_dir, 0700) < 0 && errno != EEXIST) ||
        (mkdir(job->dir, 0700) < 0 && errno != EEXIST)) {
        job->rc = -errno;
    } else if (stat(job->path, &st) == 0) {
        job->rc = -EEXIST; /* a copy is never overwritten */
        job->step = job->path;
    }
    if (job->rc) {
        job->finished_at = job->started_at;
        log_error("backup set=%s refused at %s: %s", job->set, job->step, store_strerror(job->rc));
        return backup_answer(t, job, reply);
    }
    job->work.data = job;
    job->running = 1;
    job->held = backup_holding(d);
    int rc = uv_queue_work(&d->loop, &job->work, backup_work_cb, backup_after_cb);
    if (rc) {
        job->running = 0;
        job->rc = -ENOMEM;
        job->step = "start";
        job->finished_at = job->started_at;
    } else {
        log_info("backup set=%s started by %s path=%s", job->set, turn_who(t), job->path);
    }
    return backup_answer(t, job, reply);
}

void backup_free(daemon_t *d)
{
    free(d->backup);
    d->backup = NULL;
}
