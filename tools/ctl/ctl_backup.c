/*
 * ctl_backup.c - backup DIR: a hot copy of every daemon's environment
 * while the system runs, and a manifest (README "Backup and restore").
 *
 * Each daemon writes its own copy under the backup_dir of its section
 * (<backup_dir>/<set>/<daemon>.mdb, on its own host: backup.c says why).
 * The streams run in a circle (intake reads eligibility's decisions and
 * eligibility reads intake's applications), so no order of copies alone
 * keeps every consumer within the copy of the stream it reads. This
 * command first has every daemon hold the applying of upstream batches
 * (requests are still served, events still appended: a consumer's offset
 * stays put while the heads grow), then asks for the copies one after the
 * other, then releases the hold: in the set, no consumer has applied more
 * of a stream than the stream's copy holds, which the manifest checks
 * ("consistent"). DIR/manifest.json
 * names each copy with what it holds (read back from the copy): the
 * stream's head and generation, its consumers' positions, the offsets
 * applied of each upstream. The copies of daemons on other hosts are
 * collected into DIR by the site's own file transfer; restore looks for
 * DIR/<daemon>.mdb first, then the path in the manifest.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "i18n.h"

/* How long the daemons hold their upstreams at most, should this command
 * die before it releases them. */
#define CTL_BACKUP_HOLD_MS 300000

/* Downstream first: every consumer before the streams it reads. */
static const ctl_daemon_t ctl_backup_order[CTL_NDAEMONS] = {CTL_NOTIFY, CTL_DISPATCH,
                                                            CTL_ELIGIBILITY, CTL_ROSTER,
                                                            CTL_INTAKE};

/* Asks d for the copy of set until it is done or failed. The reply is in
 * a (the caller frees it); CTL_EXIT_OK or the failure's status. */
static int ctl_backup_one(const ctl_t *ctl, ctl_daemon_t d, Legalaid__Backup *req, ctl_ask_t *a)
{
    for (;;) {
        ctl_ask_body(a, d, LEGALAID__REQUEST__BODY_BACKUP, &req->base);
        int status = ctl_ask_answer(ctl, a);
        if (status != CTL_EXIT_OK) return status;
        const Legalaid__Reply *r = ctl_ask_reply(a, LEGALAID__REPLY__BODY_BACKUP);
        if (!r || strcmp(ctl_fmt_str(r->backup->state), "running") != 0) return CTL_EXIT_OK;
        ctl_ask_free(a, 1);
        struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

/* Every daemon holds (hold_ms) or applies again (release); 1 when all
 * answered. */
static int ctl_backup_hold(const ctl_t *ctl, const char *set, int release)
{
    Legalaid__Backup req = LEGALAID__BACKUP__INIT;
    req.set = (char *)set;
    req.hold_ms = CTL_BACKUP_HOLD_MS;
    req.has_hold_ms = !release;
    req.release = release;
    req.has_release = release;
    ctl_ask_t asks[CTL_NDAEMONS];
    for (int d = 0; d < CTL_NDAEMONS; d++)
        ctl_ask_body(&asks[d], (ctl_daemon_t)d, LEGALAID__REQUEST__BODY_BACKUP, &req.base);
    ctl_ask_all(ctl, asks, CTL_NDAEMONS);
    int all = 1;
    char why[1024];
    for (int d = 0; d < CTL_NDAEMONS; d++)
        if (!ctl_ask_ok(&asks[d])) {
            all = 0;
            fprintf(stderr, release ? _("legalaidctl: %s did not end its hold (it ends by itself): %s\n")
                                    : _("legalaidctl: %s did not hold its upstreams: %s\n"),
                    ctl_daemon_names[d], ctl_ask_problem(ctl, &asks[d], why, sizeof why));
        }
    ctl_ask_free(asks, CTL_NDAEMONS);
    return all;
}

/* Every upstream offset in the set against the copy of that stream. */
static int ctl_backup_consistent(const Legalaid__BackupState *const *got, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const Legalaid__StreamStatus *c = got[i] ? got[i]->copied : NULL;
        for (size_t u = 0; c && u < c->n_upstreams; u++)
            for (size_t j = 0; j < n; j++) {
                const Legalaid__StreamStatus *p = got[j] ? got[j]->copied : NULL;
                if (p && p->stream && c->upstreams[u]->stream &&
                    strcmp(p->stream, c->upstreams[u]->stream) == 0 &&
                    c->upstreams[u]->applied_seq > p->head_seq)
                    return 0;
            }
    }
    return 1;
}

static void ctl_backup_print(const Legalaid__BackupState *b)
{
    const Legalaid__StreamStatus *c = b->copied;
    ctl_fmt_cell(ctl_fmt_str(b->daemon), 12);
    printf(" %s", ctl_fmt_str(b->path));
    if (c)
        printf(_(" %llu bytes, stream %s head %llu generation %llu"),
               (unsigned long long)b->bytes, ctl_fmt_str(c->stream),
               (unsigned long long)c->head_seq, (unsigned long long)c->epoch);
    printf("\n");
    for (size_t i = 0; c && i < c->n_consumers; i++)
        printf(_("             consumer %s acknowledged %llu\n"),
               ctl_fmt_str(c->consumers[i]->consumer),
               (unsigned long long)c->consumers[i]->acked_seq);
    for (size_t i = 0; c && i < c->n_upstreams; i++)
        printf(_("             applied %llu of %s\n"),
               (unsigned long long)c->upstreams[i]->applied_seq,
               ctl_fmt_str(c->upstreams[i]->stream));
}

static int ctl_backup_manifest(const char *dir, const char *set, json_t *daemons, int complete,
                               int consistent)
{
    char path[4200], part[4210];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    snprintf(part, sizeof part, "%s.part", path);
    json_t *m = json_object();
    json_object_set_new(m, "format", json_string("legalaid-backup-1"));
    json_object_set_new(m, "set", json_string(set));
    json_object_set_new(m, "taken_at", json_integer((json_int_t)time(NULL) * 1000));
    json_object_set_new(m, "complete", json_boolean(complete));
    json_object_set_new(m, "consistent", json_boolean(consistent));
    json_object_set_new(m, "daemons", daemons);
    int rc = json_dump_file(m, part, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(m);
    if (rc == 0 && rename(part, path) < 0) rc = -1;
    if (rc) fprintf(stderr, _("legalaidctl: cannot write %s: %s\n"), path, strerror(errno));
    return rc;
}

/* The set's name: --set, else DIR's last component when it is a plain
 * name, else the time. */
static void ctl_backup_set_name(const char *opt, const char *dir, char *out, size_t size)
{
    if (opt) {
        snprintf(out, size, "%s", opt);
        return;
    }
    const char *base = strrchr(dir, '/');
    base = base && base[1] ? base + 1 : dir;
    size_t n = strlen(base);
    if (n && n <= 64 && strcmp(base, ".") && strcmp(base, "..") &&
        strspn(base, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n) {
        snprintf(out, size, "%s", base);
        return;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, size, "%Y%m%dT%H%M%SZ", &tm);
}

int ctl_backup_run(ctl_t *ctl, int argc, char **argv)
{
    const char *set_opt = NULL;
    static const struct option longopts[] = {
        {"set", required_argument, NULL, 1},
        {NULL, 0, NULL, 0},
    };
    int first = ctl_args_parse("backup", argc, argv, longopts, &set_opt, CTL_ARGS_IN_ORDER);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (first + 1 != argc)
        return ctl_help_usage_error("backup", "%s", _("give one directory for the manifest"));
    const char *dir = argv[first];
    char set[80], manifest[4200];
    ctl_backup_set_name(set_opt, dir, set, sizeof set);
    snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        fprintf(stderr, _("legalaidctl: cannot create %s: %s\n"), dir, strerror(errno));
        return CTL_EXIT_FAILURE;
    }
    if (access(manifest, F_OK) == 0) {
        fprintf(stderr, _("legalaidctl: %s exists: a backup set is never overwritten\n"), manifest);
        return CTL_EXIT_FAILURE;
    }
    Legalaid__Backup req = LEGALAID__BACKUP__INIT;
    req.set = set;
    ctl_ask_t asks[CTL_NDAEMONS];
    const Legalaid__BackupState *got[CTL_NDAEMONS] = {0};
    json_t *daemons = json_array();
    int status = CTL_EXIT_OK;
    char why[1024];
    if (!ctl->json) printf(_("backup set %s (manifest %s)\n"), set, manifest);
    int held = ctl_backup_hold(ctl, set, 0);
    for (int i = 0; i < CTL_NDAEMONS; i++) {
        ctl_daemon_t d = ctl_backup_order[i];
        int rc = ctl_backup_one(ctl, d, &req, &asks[i]);
        const Legalaid__Reply *r = rc == CTL_EXIT_OK
                                       ? ctl_ask_reply(&asks[i], LEGALAID__REPLY__BODY_BACKUP)
                                       : NULL;
        const Legalaid__BackupState *b = r ? r->backup : NULL;
        if (b && strcmp(ctl_fmt_str(b->state), "done") == 0) {
            got[i] = b;
            json_t *j = ctl_json_from_message(&b->base, 0);
            json_object_set_new(j, "endpoint", json_string(ctl->endpoints[d]));
            json_array_append_new(daemons, j);
            if (!ctl->json) ctl_backup_print(b);
            continue;
        }
        status = status == CTL_EXIT_FAILURE || rc == CTL_EXIT_FAILURE ? CTL_EXIT_FAILURE
                                                                      : CTL_EXIT_REJECTED;
        const char *problem = b ? ctl_fmt_str(b->error)
                                : rc == CTL_EXIT_OK ? ctl_ask_problem(ctl, &asks[i], why, sizeof why)
                                                    : _("no answer");
        json_t *j = json_object();
        json_object_set_new(j, "daemon", json_string(ctl_daemon_names[d]));
        json_object_set_new(j, "state", json_string("failed"));
        json_object_set_new(j, "error", json_string(problem));
        json_array_append_new(daemons, j);
        fprintf(stderr, _("legalaidctl: backup of %s failed: %s\n"), ctl_daemon_names[d], problem);
    }
    if (held) held = ctl_backup_hold(ctl, set, 1);
    int complete = status == CTL_EXIT_OK;
    int consistent = ctl_backup_consistent(got, CTL_NDAEMONS);
    for (int i = 0; i < CTL_NDAEMONS; i++)
        if (got[i] && !got[i]->held) consistent = 0;
    if (complete && !consistent) status = CTL_EXIT_REJECTED;
    if (ctl_backup_manifest(dir, set, json_incref(daemons), complete, consistent) < 0)
        status = CTL_EXIT_FAILURE;
    if (ctl->json) {
        json_t *j = json_object();
        json_object_set_new(j, "set", json_string(set));
        json_object_set_new(j, "manifest", json_string(manifest));
        json_object_set_new(j, "complete", json_boolean(complete));
        json_object_set_new(j, "consistent", json_boolean(consistent));
        json_object_set_new(j, "daemons", daemons);
        ctl_json_print(j);
    } else {
        json_decref(daemons);
        if (!complete)
            printf("%s\n", _("INCOMPLETE: not every daemon was copied; do not restore from this set"));
        else if (!consistent)
            printf("%s\n", _("INCONSISTENT: a copy was taken outside the hold, or a consumer's copy is ahead of "
                             "its stream's copy; take the backup again"));
        else
            printf("%s\n", _("complete: every daemon copied, every consumer within its stream"));
    }
    ctl_ask_free(asks, CTL_NDAEMONS);
    return status;
}
