/*
 * ctl_restore.c - restore --from DIR NAME...: puts a daemon's copy from a
 * backup set back in place, with the daemon stopped (README "Backup and
 * restore").
 *
 * For each NAME: refuses while the daemon answers a ping; finds the copy
 * (DIR/NAME.mdb, else the path the manifest names); checks it opens; keeps
 * the data it replaces (data.mdb.before-restore-<ms>, lock.mdb removed);
 * copies it in as data.mdb (written to a .part file, fsynced, renamed);
 * and gives its stream a new generation (the restore's time in ms) with
 * the head the copy had (meta stream.epoch, stream.restored_seq). Every
 * consumer sees the new generation in its next batch: one that applied
 * more than the copy holds halts and says which seqs are lost (epoch.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "backup_read.h"
#include "config.h"
#include "ctl.h"
#include "i18n.h"
#include "store.h"

#define CTL_RESTORE_PATH 4200

/* The copy of name in the set at dir: DIR/NAME.mdb, else the manifest's. */
static int ctl_restore_find(const char *dir, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s.mdb", dir, name);
    if (access(out, R_OK) == 0) return 0;
    char manifest[CTL_RESTORE_PATH];
    snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
    json_error_t jerr;
    json_t *m = json_load_file(manifest, 0, &jerr);
    if (!m) {
        fprintf(stderr, _("legalaidctl: no %s/%s.mdb, and %s cannot be read: %s\n"), dir, name,
                manifest, jerr.text);
        return -1;
    }
    if (!json_is_true(json_object_get(m, "complete")))
        fprintf(stderr, _("legalaidctl: warning: %s says the set is incomplete\n"), manifest);
    size_t i;
    json_t *d;
    int rc = -1;
    json_array_foreach(json_object_get(m, "daemons"), i, d)
    {
        const char *dn = json_string_value(json_object_get(d, "daemon"));
        const char *path = json_string_value(json_object_get(d, "path"));
        if (dn && path && strcmp(dn, name) == 0 && access(path, R_OK) == 0) {
            snprintf(out, size, "%s", path);
            rc = 0;
        }
    }
    json_decref(m);
    if (rc) fprintf(stderr, _("legalaidctl: the set %s has no readable copy of %s\n"), dir, name);
    return rc;
}

static int ctl_restore_copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) return -errno;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) {
        int e = -errno;
        close(in);
        return e;
    }
    char buf[65536];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) {
            rc = n < 0 || errno == 0 ? -EIO : -errno;
            break;
        }
    if (n < 0) rc = -errno;
    if (!rc && fsync(out) < 0) rc = -errno;
    close(in);
    if (close(out) < 0 && !rc) rc = -errno;
    return rc;
}

static int ctl_restore_put_lost(MDB_txn *txn, MDB_dbi meta, const backup_read_lost_t *l)
{
    char key[BACKUP_READ_NAME + 32];
    snprintf(key, sizeof key, "upstream.%s.lost_from", l->name);
    int rc = store_put_u64(txn, meta, key, l->from);
    snprintf(key, sizeof key, "upstream.%s.lost_to", l->name);
    return rc ? rc : store_put_u64(txn, meta, key, l->to);
}

/* The new generation and the head the copy had, in the restored store;
 * with what the replaced data (old, NULL when there was none) knew to be
 * lost, and the seqs it had beyond the copy (lost from, to; 0: none). */
static int ctl_restore_stamp(const char *data_dir, uint64_t epoch, uint64_t head,
                             const backup_summary_t *old, uint64_t from, uint64_t to)
{
    MDB_env *env;
    int rc = mdb_env_create(&env);
    if (rc) return store_rc(rc);
    mdb_env_set_maxdbs(env, STORE_MAX_TABLES);
    /* No lock file: the daemon is stopped, and it makes its own. */
    rc = mdb_env_open(env, data_dir, MDB_NOLOCK, 0600);
    MDB_txn *txn = NULL;
    MDB_dbi meta;
    if (!rc) rc = mdb_txn_begin(env, NULL, 0, &txn);
    if (!rc) rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &meta);
    if (!rc) rc = store_put_u64(txn, meta, BACKUP_READ_EPOCH, epoch);
    if (!rc) rc = store_put_u64(txn, meta, BACKUP_READ_RESTORED, head);
    if (!rc && to) rc = store_put_u64(txn, meta, BACKUP_READ_LOST_FROM, from);
    if (!rc && to) rc = store_put_u64(txn, meta, BACKUP_READ_LOST_TO, to);
    for (size_t i = 0; old && !rc && i < old->n_lost; i++)
        rc = ctl_restore_put_lost(txn, meta, &old->lost[i]);
    if (!rc) {
        rc = mdb_txn_commit(txn);
    } else if (txn) {
        mdb_txn_abort(txn);
    }
    mdb_env_close(env);
    return store_rc(rc);
}

static int ctl_restore_one(ctl_t *ctl, const char *dir, ctl_daemon_t d)
{
    const char *name = ctl_daemon_names[d];
    char copy[CTL_RESTORE_PATH], data_dir[CTL_RESTORE_PATH], path[CTL_RESTORE_PATH + 64],
        kept[CTL_RESTORE_PATH + 64], part[CTL_RESTORE_PATH + 64];
    if (config_lookup(ctl->config, name, "data_dir", data_dir, sizeof data_dir) < 0) {
        fprintf(stderr, _("legalaidctl: [%s] of %s has no data_dir\n"), name, ctl->config);
        return CTL_EXIT_FAILURE;
    }
    ctl_ask_t ping;
    Legalaid__Ping p = LEGALAID__PING__INIT;
    ctl_ask_body(&ping, d, LEGALAID__REQUEST__BODY_PING, &p.base);
    /* A daemon that answers within a few seconds is running; one too busy
     * to answer is not told apart from a stopped one: stopping it is the
     * operator's step (README). */
    ctl_t quick = *ctl;
    quick.timeout_ms = ctl->timeout_ms < 3000 ? ctl->timeout_ms : 3000;
    ctl_ask_all(&quick, &ping, 1);
    int up = ctl_ask_ok(&ping);
    ctl_ask_free(&ping, 1);
    if (up) {
        fprintf(stderr, _("legalaidctl: %s is running: stop it before restoring its data\n"), name);
        return CTL_EXIT_FAILURE;
    }
    if (ctl_restore_find(dir, name, copy, sizeof copy) < 0) return CTL_EXIT_FAILURE;
    backup_summary_t s;
    int rc = backup_read_summary(copy, 1, &s);
    if (rc) {
        fprintf(stderr, _("legalaidctl: %s is not a copy that opens: %s\n"), copy,
                store_strerror(rc));
        return CTL_EXIT_FAILURE;
    }
    struct timeval tv;
    gettimeofday(&tv, NULL);
    uint64_t now_ms = (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
    uint64_t epoch = now_ms > s.epoch ? now_ms : s.epoch + 1;
    mkdir(data_dir, 0700);
    snprintf(path, sizeof path, "%s/data.mdb", data_dir);
    snprintf(kept, sizeof kept, "%s/data.mdb.before-restore-%llu", data_dir,
             (unsigned long long)now_ms);
    snprintf(part, sizeof part, "%s/data.mdb.part", data_dir);
    /* What the data replaced knew: its head beyond the copy's is lost from
     * the live system (the file is kept), and so are the ranges it had
     * recorded as lost. */
    backup_summary_t old;
    int have_old = access(path, F_OK) == 0 && backup_read_summary(data_dir, 0, &old) == 0;
    uint64_t lost_from = have_old ? old.lost_from : 0, lost_to = have_old ? old.lost_to : 0;
    if (have_old && old.head > s.head) {
        lost_from = lost_to && lost_from < s.head + 1 ? lost_from : s.head + 1;
        lost_to = old.head > lost_to ? old.head : lost_to;
    }
    rc = ctl_restore_copy_file(copy, part);
    int replaced = !rc && access(path, F_OK) == 0;
    if (replaced && rename(path, kept) < 0) rc = -errno;
    if (!rc) {
        char lock[CTL_RESTORE_PATH + 64];
        snprintf(lock, sizeof lock, "%s/lock.mdb", data_dir);
        unlink(lock);
        if (rename(part, path) < 0) rc = -errno;
    }
    if (!rc) rc = ctl_restore_stamp(data_dir, epoch, s.head, have_old ? &old : NULL, lost_from, lost_to);
    /* Run as root, the file goes to the owner of the data directory (the
     * daemons' user), as the daemon would have made it. */
    struct stat dir_st;
    if (!rc && geteuid() == 0 && stat(data_dir, &dir_st) == 0 &&
        chown(path, dir_st.st_uid, dir_st.st_gid) < 0)
        rc = -errno;
    if (rc) {
        unlink(part);
        fprintf(stderr, _("legalaidctl: restoring %s into %s failed: %s\n"), name, data_dir,
                store_strerror(rc));
        return CTL_EXIT_FAILURE;
    }
    if (ctl->json) {
        json_t *j = json_object();
        json_object_set_new(j, "daemon", json_string(name));
        json_object_set_new(j, "copy", json_string(copy));
        json_object_set_new(j, "data_dir", json_string(data_dir));
        json_object_set_new(j, "head_seq", json_integer((json_int_t)s.head));
        json_object_set_new(j, "epoch_before", json_integer((json_int_t)s.epoch));
        json_object_set_new(j, "epoch", json_integer((json_int_t)epoch));
        if (lost_to) {
            json_object_set_new(j, "lost_from", json_integer((json_int_t)lost_from));
            json_object_set_new(j, "lost_to", json_integer((json_int_t)lost_to));
        }
        ctl_json_print(j);
        return CTL_EXIT_OK;
    }
    printf(_("%s restored from %s into %s: its stream ends at seq %llu, generation %llu -> "
             "%llu\n"),
           name, copy, data_dir, (unsigned long long)s.head, (unsigned long long)s.epoch,
           (unsigned long long)epoch);
    if (replaced) printf(_("  the data it replaced is kept as %s\n"), kept);
    if (lost_to)
        printf(_("  LOST: seq %llu..%llu of %s were in the data replaced and are not in the copy "
                 "(they stay readable in the file kept)\n"),
               (unsigned long long)lost_from, (unsigned long long)lost_to, name);
    printf("%s\n", _("  a consumer that applied more of this stream halts and names the seqs lost "
                     "(legalaidctl queues): restore it from the same set"));
    return CTL_EXIT_OK;
}

int ctl_restore_run(ctl_t *ctl, int argc, char **argv)
{
    const char *dir = NULL;
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 1},
        {NULL, 0, NULL, 0},
    };
    int first = ctl_args_parse("restore", argc, argv, longopts, &dir, CTL_ARGS_IN_ORDER);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (!dir) return ctl_help_usage_error("restore", "%s", _("give the backup set with --from DIR"));
    if (first == argc)
        return ctl_help_usage_error("restore", "%s", _("name the daemons to restore"));
    for (int i = first; i < argc; i++)
        if (ctl_config_daemon_find(argv[i]) < 0)
            return ctl_help_usage_error(
                "restore", _("'%s' is not a daemon (intake, eligibility, dispatch, roster, notify)"),
                argv[i]);
    int status = CTL_EXIT_OK;
    for (int i = first; i < argc && status == CTL_EXIT_OK; i++)
        status = ctl_restore_one(ctl, dir, (ctl_daemon_t)ctl_config_daemon_find(argv[i]));
    return status;
}
