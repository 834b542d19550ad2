/*
 * ctl_webuser.c - legalaidctl keys web-user: a person who signs in to the
 * gateway's pages (the operations board, the duty board, a station desk's
 * page, a lawyer's offers). Files only: no daemon is asked.
 *
 *   keys web-user NAME --role ROLES [--station CODE|--lawyer ID] --users FILE
 *                 [--password-file F]
 *
 * Appends "NAME ROLES $argon2id$... [BINDING]" to the users file (the
 * gateway keeps only the hash; restart it to load the line). The password
 * is read from standard input (one line), or from F; when F does not exist
 * a random one is made and written there (mode 0600), to be handed over
 * and deleted.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"
#include "i18n.h"
#include "keyfile.h"
#include "webuser.h"

#define CTL_WEBUSER_PASSWORD_MIN 10

/* The password: F's first line, a new one written to F, or stdin's line. */
static int ctl_webuser_password(const char *file, char *pw, size_t size)
{
    FILE *f = file ? fopen(file, "r") : stdin;
    if (!f && errno == ENOENT) {
        static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
        size_t n = 14;
        for (size_t i = 0; i < n && i + 1 < size; i++)
            pw[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
        pw[n < size ? n : size - 1] = 0;
        char text[64], err[300];
        snprintf(text, sizeof text, "%s\n", pw);
        if (keyfile_save(file, 0600, text, strlen(text), err, sizeof err)) {
            fprintf(stderr, "legalaidctl: %s\n", err);
            return -1;
        }
        return 0;
    }
    if (!f) {
        fprintf(stderr, _("legalaidctl: cannot read %s: %s\n"), file, strerror(errno));
        return -1;
    }
    int ok = fgets(pw, (int)size, f) != NULL;
    if (f != stdin) fclose(f);
    pw[strcspn(pw, "\r\n")] = 0;
    if (!ok || strlen(pw) < CTL_WEBUSER_PASSWORD_MIN) {
        fprintf(stderr,
                _("legalaidctl: keys web-user: a password of at least %d characters, "
                  "please\n"),
                CTL_WEBUSER_PASSWORD_MIN);
        return -1;
    }
    return 0;
}

int ctl_webuser_run(int argc, char **argv)
{
    enum { ROLE = 1, STATION, LAWYER, USERS, PWFILE };
    static const struct option opts[] = {{"role", required_argument, NULL, ROLE},
                                         {"station", required_argument, NULL, STATION},
                                         {"lawyer", required_argument, NULL, LAWYER},
                                         {"users", required_argument, NULL, USERS},
                                         {"password-file", required_argument, NULL, PWFILE},
                                         {NULL, 0, NULL, 0}};
    const char *v[PWFILE] = {NULL};
    int first = ctl_args_parse("keys", argc, argv, opts, v, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 2) return ctl_help_usage_error("keys", _("web-user: give the NAME"));
    if (!v[ROLE - 1] || !v[USERS - 1])
        return ctl_help_usage_error("keys", _("web-user: give --role ROLES and --users FILE"));
    const char *role = v[ROLE - 1], *station = v[STATION - 1], *lawyer = v[LAWYER - 1],
               *users = v[USERS - 1], *pwfile = v[PWFILE - 1];
    argv += first - 1; /* argv[2] is the NAME */
    char password[256], line[1024], err[400];
    webuser_t u;
    /* The line is checked as the gateway will read it, before any hash. */
    snprintf(line, sizeof line, "%s %s $argon2id$ %s%s%s%s", argv[2], role,
             station ? "station=" : "", station ? station : "", lawyer ? " lawyer=" : "",
             lawyer ? lawyer : "");
    if (webuser_parse_line(line, &u, err, sizeof err)) {
        return ctl_help_usage_error("keys", _("web-user: %s"), err);
    }
    FILE *f = fopen(users, "r");
    for (char have[1024]; f && fgets(have, sizeof have, f);) {
        size_t n = strlen(u.name);
        if (strncmp(have, u.name, n) == 0 && (have[n] == ' ' || have[n] == '\t')) {
            fclose(f);
            fprintf(stderr,
                    _("legalaidctl: %s already lists %s (remove its line to set a new "
                      "password)\n"),
                    users, u.name);
            return CTL_EXIT_FAILURE;
        }
    }
    if (f) fclose(f);
    if (ctl_webuser_password(pwfile, password, sizeof password)) return CTL_EXIT_FAILURE;
    int bad = webuser_hash(&u, password);
    sodium_memzero(password, sizeof password);
    if (bad) {
        fprintf(stderr, "%s", _("legalaidctl: keys web-user: not enough memory for argon2id\n"));
        return CTL_EXIT_FAILURE;
    }
    webuser_line(&u, line, sizeof line);
    /* The hashes are for the gateway only: a new file is made 0600. */
    int fd = open(users, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    f = fd >= 0 ? fdopen(fd, "a") : NULL;
    if (!f && fd >= 0) close(fd);
    if (!f || fprintf(f, "%s\n", line) < 0 || fclose(f) != 0) {
        fprintf(stderr, _("legalaidctl: cannot append to %s: %s\n"), users, strerror(errno));
        return CTL_EXIT_FAILURE;
    }
    printf(_("user %s added to %s%s%s\n"), u.name, users, pwfile ? _("; the password is in ") : "",
           pwfile ? pwfile : "");
    return CTL_EXIT_OK;
}
