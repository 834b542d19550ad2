/*
 * ctl_keys.c - legalaidctl keys: the CURVE keys of principals (DESIGN.md
 * "Security").
 *
 *   keys new NAME --role ROLES [--station CODE|--lawyer ID|--authority NAME]
 *                          [--delegate ROLES]   (edge: whom it may sign in and act for)
 *            [--dir DIR] [--allow-list FILE]
 *       writes DIR/NAME.key (public) and DIR/NAME.key_secret (0600) and
 *       prints the allow-list line; with --allow-list appends it there.
 *   keys revoke NAME --allow-list FILE
 *       appends "revoked KEY NAME" for NAME's live key; then keys reload.
 *   keys reload
 *       asks every daemon to re-read the allow-list and the data key file
 *       (as SIGHUP does).
 *   keys data-key new|rotate|retire|show --file FILE
 *       the data key file (ctl_datakey.c).
 *   keys agency-token NAME KIND AUTHORITY --agencies FILE
 *   keys web-user NAME --role ROLES [--station|--lawyer] --users FILE   (ctl_webuser.c)
 *       a bearer token for an agency's system at the gateway (ctl_agency.c).
 *
 * keys new and revoke work on files only (no daemon is asked), so the
 * administrator can make the first keys before anything runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "i18n.h"

/* Appends line (and a newline) to the allow-list, fsync'ed. */
static int ctl_keys_append(const char *path, const char *line)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, _("legalaidctl: cannot append to %s: %s\n"), path, strerror(errno));
        return -1;
    }
    size_t n = strlen(line);
    int bad = write(fd, line, n) != (ssize_t)n || write(fd, "\n", 1) != 1 || fsync(fd) != 0;
    close(fd);
    if (bad) fprintf(stderr, _("legalaidctl: cannot append to %s: %s\n"), path, strerror(errno));
    return bad ? -1 : 0;
}

static int ctl_keys_new(int argc, char **argv)
{
    enum { ROLE = 1, STATION, LAWYER, AUTHORITY, DIR, ALLOW, DELEGATE };
    static const struct option opts[] = {
        {"role", required_argument, NULL, ROLE},
        {"station", required_argument, NULL, STATION},
        {"lawyer", required_argument, NULL, LAWYER},
        {"authority", required_argument, NULL, AUTHORITY},
        {"dir", required_argument, NULL, DIR},
        {"allow-list", required_argument, NULL, ALLOW},
        {"delegate", required_argument, NULL, DELEGATE},
        {NULL, 0, NULL, 0},
    };
    const char *v[DELEGATE] = {NULL};
    int first = ctl_args_parse("keys", argc, argv, opts, v, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 2) return ctl_help_usage_error("keys", _("new: give the NAME of the key"));
    if (!v[ROLE - 1]) return ctl_help_usage_error("keys", _("new: give --role ROLES"));
    const char *role = v[ROLE - 1], *station = v[STATION - 1], *lawyer = v[LAWYER - 1],
               *authority = v[AUTHORITY - 1], *dir = v[DIR - 1] ? v[DIR - 1] : ".",
               *allow = v[ALLOW - 1], *delegate = v[DELEGATE - 1];
    principal_t p;
    memset(&p, 0, sizeof p);
    const char *name = argv[first + 1];
    char err[600];
    if (!name[0] || strlen(name) >= sizeof p.name || strpbrk(name, " \t/\"")) {
        return ctl_help_usage_error(
            "keys", _("new: NAME '%s' must be 1 to %zu characters without spaces, '/' or '\"'"),
            name, sizeof p.name - 1);
    }
    if (principal_roles_parse(role, &p.roles, err, sizeof err) < 0) {
        return ctl_help_usage_error("keys", _("new: --role: %s"), err);
    }
    if (delegate && principal_roles_parse(delegate, &p.delegate, err, sizeof err) < 0) {
        return ctl_help_usage_error("keys", _("new: --delegate: %s"), err);
    }
    snprintf(p.name, sizeof p.name, "%s", name);
    const char *binding[3] = {station, lawyer, authority};
    char *target[3] = {p.station, p.lawyer, p.authority};
    for (int i = 0; i < 3; i++) {
        if (!binding[i]) continue;
        if (!binding[i][0] || strlen(binding[i]) >= PRINCIPAL_BINDING_MAX ||
            strpbrk(binding[i], " \t\"")) {
            return ctl_help_usage_error(
                "keys",
                _("new: '%s' is not a station code, lawyer id or authority name (no spaces)"),
                binding[i]);
        }
        snprintf(target[i], PRINCIPAL_BINDING_MAX, "%s", binding[i]);
    }
    keypair_t kp;
    if (keyfile_generate(&kp) < 0) {
        fprintf(stderr, "%s",
                _("legalaidctl: this libzmq has no CURVE (built without libsodium)\n"));
        return CTL_EXIT_FAILURE;
    }
    snprintf(p.key, sizeof p.key, "%s", kp.public_z85);
    char line[700];
    principal_line(&p, line, sizeof line);
    /* The same checks the daemons make when they load the line. */
    principal_t check;
    if (principal_parse_line(line, &check, err, sizeof err) < 0) {
        fprintf(stderr, _("legalaidctl: keys new: %s\n"), err);
        return CTL_EXIT_FAILURE;
    }
    char roles[200];
    const char *const meta[][2] = {{"name", p.name},
                                   {"role", principal_roles_text(p.roles, roles, sizeof roles)}};
    char base[4200];
    snprintf(base, sizeof base, "%s/%s", dir, name);
    if (keyfile_write(base, &kp, meta, 2, err, sizeof err) < 0) {
        fprintf(stderr, _("legalaidctl: keys new: %s\n"), err);
        return CTL_EXIT_FAILURE;
    }
    if (allow && ctl_keys_append(allow, line) < 0) return CTL_EXIT_FAILURE;
    printf("%s\n", line);
    fprintf(stderr, _("wrote %s.key (public) and %s.key_secret (secret, 0600)%s%s\n"), base, base,
            allow ? _("; added to ") : "", allow ? allow : "");
    return CTL_EXIT_OK;
}

static int ctl_keys_revoke(int argc, char **argv)
{
    static const struct option opts[] = {{"allow-list", required_argument, NULL, 1},
                                         {NULL, 0, NULL, 0}};
    const char *allow = NULL;
    int first = ctl_args_parse("keys", argc, argv, opts, &allow, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 2)
        return ctl_help_usage_error("keys", _("revoke: give the NAME of the key"));
    if (!allow) return ctl_help_usage_error("keys", _("revoke: give --allow-list FILE"));
    const char *name = argv[first + 1];
    allowlist_t a;
    char err[600];
    if (principal_list_load(allow, &a, err, sizeof err) < 0) {
        fprintf(stderr, _("legalaidctl: keys revoke: %s\n"), err);
        return CTL_EXIT_FAILURE;
    }
    int found = 0, status = CTL_EXIT_OK;
    for (size_t i = 0; i < a.n && status == CTL_EXIT_OK; i++) {
        if (a.entries[i].revoked || strcmp(a.entries[i].name, name) != 0) continue;
        char line[300];
        snprintf(line, sizeof line, "revoked %s %s", a.entries[i].key, a.entries[i].name);
        if (ctl_keys_append(allow, line) < 0) status = CTL_EXIT_FAILURE;
        else printf("%s\n", line);
        found++;
    }
    principal_list_free(&a);
    if (!found) {
        fprintf(stderr, _("legalaidctl: keys revoke: %s has no live key in %s\n"), name, allow);
        return CTL_EXIT_REJECTED;
    }
    if (status == CTL_EXIT_OK)
        fprintf(stderr,
                _("revoked in %s; now: legalaidctl keys reload (or systemctl reload "
                  "legalaid.target on every host)\n"),
                allow);
    return status;
}

static int ctl_keys_reload(ctl_t *ctl)
{
    ctl_ask_t asks[CTL_NDAEMONS];
    Legalaid__ReloadKeys r = LEGALAID__RELOAD_KEYS__INIT;
    for (int i = 0; i < CTL_NDAEMONS; i++)
        ctl_ask_body(&asks[i], (ctl_daemon_t)i, LEGALAID__REQUEST__BODY_RELOAD_KEYS, &r.base);
    ctl_ask_all(ctl, asks, CTL_NDAEMONS);
    int status = CTL_EXIT_OK;
    for (int i = 0; i < CTL_NDAEMONS; i++) {
        char why[1000];
        const Legalaid__Reply *rep = ctl_ask_reply(&asks[i], LEGALAID__REPLY__BODY_KEYS_RELOADED);
        if (rep)
            printf(_("%-12s reloaded: %u principals, %u revoked; data key-%u%s\n"),
                   ctl_daemon_names[i], rep->keys_reloaded->principals, rep->keys_reloaded->revoked,
                   rep->keys_reloaded->data_key,
                   rep->keys_reloaded->resealing ? _(", re-sealing older values") : "");
        else {
            printf(_("%-12s NOT reloaded: %s\n"), ctl_daemon_names[i],
                   ctl_ask_problem(ctl, &asks[i], why, sizeof why));
            status = CTL_EXIT_REJECTED;
        }
    }
    ctl_ask_free(asks, CTL_NDAEMONS);
    return status;
}

int ctl_keys_run(ctl_t *ctl, int argc, char **argv)
{
    /* The sub-command is the first word that is not an option. */
    const char *sub = NULL;
    for (int i = 1; i < argc && !sub; i++)
        if (argv[i][0] != '-')
            sub = argv[i];
        else if (!strcmp(argv[i], "--"))
            break;
    if (!sub)
        return ctl_help_usage_error(
            "keys", _("give new, revoke, reload, data-key, agency-token or web-user"));
    if (strcmp(sub, "new") == 0) return ctl_keys_new(argc, argv);
    if (strcmp(sub, "revoke") == 0) return ctl_keys_revoke(argc, argv);
    if (strcmp(sub, "data-key") == 0) return ctl_datakey_run(argc, argv);
    if (strcmp(sub, "agency-token") == 0) return ctl_agency_token(argc, argv);
    if (strcmp(sub, "web-user") == 0) return ctl_webuser_run(argc, argv);
    if (strcmp(sub, "reload") != 0)
        return ctl_help_usage_error(
            "keys", _("'%s' is not new, revoke, reload, data-key, agency-token or web-user"), sub);
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    int first = ctl_args_parse("keys", argc, argv, opts, NULL, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 1) return ctl_help_usage_error("keys", _("reload takes no more words"));
    return ctl_keys_reload(ctl);
}
