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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

static int ctl_keys_usage(void)
{
    fprintf(stderr,
            "usage: legalaidctl keys new NAME --role ROLES [--station CODE|--lawyer ID|"
            "--authority NAME]\n"
            "                        [--delegate ROLES] [--dir DIR] [--allow-list FILE]\n"
            "       legalaidctl keys revoke NAME --allow-list FILE\n"
            "       legalaidctl keys reload\n"
            "       legalaidctl keys data-key new|rotate|retire|show --file FILE\n"
            "       legalaidctl keys agency-token NAME KIND AUTHORITY --agencies FILE\n"
            "       legalaidctl keys web-user NAME --role ROLES [--station CODE|--lawyer ID] "
            "--users FILE [--password-file F]\n"
            "                        [--token-file F] [--rate N]\n"
            "  ROLES: staff, officer, station, lawyer, agency, operations, admin, peer, edge, and the\n"
            "         right unmask (with staff), comma-separated\n");
    return CTL_EXIT_FAILURE;
}

/* Appends line (and a newline) to the allow-list, fsync'ed. */
static int ctl_keys_append(const char *path, const char *line)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "legalaidctl: cannot append to %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t n = strlen(line);
    int bad = write(fd, line, n) != (ssize_t)n || write(fd, "\n", 1) != 1 || fsync(fd) != 0;
    close(fd);
    if (bad) fprintf(stderr, "legalaidctl: cannot append to %s: %s\n", path, strerror(errno));
    return bad ? -1 : 0;
}

static int ctl_keys_new(int argc, char **argv)
{
    const char *role = NULL, *station = NULL, *lawyer = NULL, *authority = NULL, *dir = ".",
               *allow = NULL, *delegate = NULL;
    const char *names[] = {"--role",  "--station",    "--lawyer",  "--authority",
                           "--dir",   "--allow-list", "--delegate"};
    const char **values[] = {&role, &station, &lawyer, &authority, &dir, &allow, &delegate};
    for (int i = 0; i < 7 && argc >= 0; i++) argc = ctl_option_take(argc, argv, names[i], values[i]);
    if (argc != 3 || !role) return ctl_keys_usage();
    principal_t p;
    memset(&p, 0, sizeof p);
    const char *name = argv[2];
    char err[600];
    if (!name[0] || strlen(name) >= sizeof p.name || strpbrk(name, " \t/\"")) {
        fprintf(stderr, "legalaidctl: keys new: NAME '%s' must be 1 to %zu characters without "
                        "spaces, '/' or '\"'\n",
                name, sizeof p.name - 1);
        return CTL_EXIT_FAILURE;
    }
    if (principal_roles_parse(role, &p.roles, err, sizeof err) < 0) {
        fprintf(stderr, "legalaidctl: keys new: --role: %s\n", err);
        return CTL_EXIT_FAILURE;
    }
    if (delegate && principal_roles_parse(delegate, &p.delegate, err, sizeof err) < 0) {
        fprintf(stderr, "legalaidctl: keys new: --delegate: %s\n", err);
        return CTL_EXIT_FAILURE;
    }
    snprintf(p.name, sizeof p.name, "%s", name);
    const char *binding[3] = {station, lawyer, authority};
    char *target[3] = {p.station, p.lawyer, p.authority};
    for (int i = 0; i < 3; i++) {
        if (!binding[i]) continue;
        if (!binding[i][0] || strlen(binding[i]) >= PRINCIPAL_BINDING_MAX ||
            strpbrk(binding[i], " \t\"")) {
            fprintf(stderr, "legalaidctl: keys new: '%s' is not a station code, lawyer id or "
                            "authority name (no spaces)\n", binding[i]);
            return CTL_EXIT_FAILURE;
        }
        snprintf(target[i], PRINCIPAL_BINDING_MAX, "%s", binding[i]);
    }
    keypair_t kp;
    if (keyfile_generate(&kp) < 0) {
        fprintf(stderr, "legalaidctl: this libzmq has no CURVE (built without libsodium)\n");
        return CTL_EXIT_FAILURE;
    }
    snprintf(p.key, sizeof p.key, "%s", kp.public_z85);
    char line[700];
    principal_line(&p, line, sizeof line);
    /* The same checks the daemons make when they load the line. */
    principal_t check;
    if (principal_parse_line(line, &check, err, sizeof err) < 0) {
        fprintf(stderr, "legalaidctl: keys new: %s\n", err);
        return CTL_EXIT_FAILURE;
    }
    char roles[200];
    const char *const meta[][2] = {{"name", p.name},
                                   {"role", principal_roles_text(p.roles, roles, sizeof roles)}};
    char base[4200];
    snprintf(base, sizeof base, "%s/%s", dir, name);
    if (keyfile_write(base, &kp, meta, 2, err, sizeof err) < 0) {
        fprintf(stderr, "legalaidctl: keys new: %s\n", err);
        return CTL_EXIT_FAILURE;
    }
    if (allow && ctl_keys_append(allow, line) < 0) return CTL_EXIT_FAILURE;
    printf("%s\n", line);
    fprintf(stderr, "wrote %s.key (public) and %s.key_secret (secret, 0600)%s%s\n", base, base,
            allow ? "; added to " : "", allow ? allow : "");
    return CTL_EXIT_OK;
}

static int ctl_keys_revoke(int argc, char **argv)
{
    const char *allow = NULL;
    argc = ctl_option_take(argc, argv, "--allow-list", &allow);
    if (argc != 3 || !allow) return ctl_keys_usage();
    allowlist_t a;
    char err[600];
    if (principal_list_load(allow, &a, err, sizeof err) < 0) {
        fprintf(stderr, "legalaidctl: keys revoke: %s\n", err);
        return CTL_EXIT_FAILURE;
    }
    int found = 0, status = CTL_EXIT_OK;
    for (size_t i = 0; i < a.n && status == CTL_EXIT_OK; i++) {
        if (a.entries[i].revoked || strcmp(a.entries[i].name, argv[2]) != 0) continue;
        char line[300];
        snprintf(line, sizeof line, "revoked %s %s", a.entries[i].key, a.entries[i].name);
        if (ctl_keys_append(allow, line) < 0) status = CTL_EXIT_FAILURE;
        else printf("%s\n", line);
        found++;
    }
    principal_list_free(&a);
    if (!found) {
        fprintf(stderr, "legalaidctl: keys revoke: %s has no live key in %s\n", argv[2], allow);
        return CTL_EXIT_REJECTED;
    }
    if (status == CTL_EXIT_OK)
        fprintf(stderr, "revoked in %s; now: legalaidctl keys reload (or systemctl reload "
                        "legalaid.target on every host)\n", allow);
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
            printf("%-12s reloaded: %u principals, %u revoked; data key-%u%s\n",
                   ctl_daemon_names[i], rep->keys_reloaded->principals,
                   rep->keys_reloaded->revoked, rep->keys_reloaded->data_key,
                   rep->keys_reloaded->resealing ? ", re-sealing older values" : "");
        else {
            printf("%-12s NOT reloaded: %s\n", ctl_daemon_names[i],
                   ctl_ask_problem(ctl, &asks[i], why, sizeof why));
            status = CTL_EXIT_REJECTED;
        }
    }
    ctl_ask_free(asks, CTL_NDAEMONS);
    return status;
}

int ctl_keys_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2) return ctl_keys_usage();
    if (strcmp(argv[1], "new") == 0) return ctl_keys_new(argc, argv);
    if (strcmp(argv[1], "revoke") == 0) return ctl_keys_revoke(argc, argv);
    if (strcmp(argv[1], "reload") == 0 && argc == 2) return ctl_keys_reload(ctl);
    if (strcmp(argv[1], "data-key") == 0) return ctl_datakey_run(argc, argv);
    if (strcmp(argv[1], "agency-token") == 0) return ctl_agency_token(argc, argv);
    if (strcmp(argv[1], "web-user") == 0) return ctl_webuser_run(argc, argv);
    return ctl_keys_usage();
}
