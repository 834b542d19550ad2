/*
 * ctl_agency.c - legalaidctl keys agency-token: a bearer token for an
 * agency's system that calls the gateway (README "For other agencies'
 * systems"). Files only: no daemon is asked.
 *
 *   keys agency-token NAME KIND AUTHORITY --agencies FILE [--token-file F] [--rate N]
 *
 * Appends "NAME KIND AUTHORITY blake2b:HASH [rate=N]" to the agencies file
 * (the gateway keeps only the hash; SIGHUP is not needed: restart the
 * gateway) and writes the token to F (mode 0600), or prints it once, to be
 * handed to the agency over a channel it trusts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl.h"
#include "i18n.h"
#include "keyfile.h"

/* 1 when the agencies file already lists name. */
static int ctl_agency_listed(const char *path, const char *name)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[1024];
    size_t n = strlen(name);
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = strncmp(line, name, n) == 0 && (line[n] == ' ' || line[n] == '\t');
    fclose(f);
    return found;
}

int ctl_agency_token(int argc, char **argv)
{
    enum { AGENCIES = 1, TOKEN_FILE, RATE };
    static const struct option opts[] = {{"agencies", required_argument, NULL, AGENCIES},
                                         {"token-file", required_argument, NULL, TOKEN_FILE},
                                         {"rate", required_argument, NULL, RATE},
                                         {NULL, 0, NULL, 0}};
    const char *v[RATE] = {NULL};
    int first = ctl_args_parse("keys", argc, argv, opts, v, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 4)
        return ctl_help_usage_error("keys", _("agency-token: give NAME, KIND and AUTHORITY"));
    const char *name = argv[first + 1], *kind = argv[first + 2], *authority = argv[first + 3];
    const char *agencies = v[AGENCIES - 1], *token_file = v[TOKEN_FILE - 1];
    long rate = 0;
    if (v[RATE - 1]) {
        char *end;
        rate = strtol(v[RATE - 1], &end, 10);
        if (*end || end == v[RATE - 1] || rate < 0)
            return ctl_help_usage_error("keys", _("agency-token: --rate '%s' is not a number"),
                                        v[RATE - 1]);
    }
    if (!agencies) return ctl_help_usage_error("keys", _("agency-token: give --agencies FILE"));
    if (strcmp(kind, "court") && strcmp(kind, "procuratorate") && strcmp(kind, "police"))
        return ctl_help_usage_error(
            "keys", _("agency-token: kind '%s' is not court, procuratorate or police"), kind);
    if (strpbrk(name, " \t\n") || strpbrk(authority, " \t\n"))
        return ctl_help_usage_error("keys",
                                    _("agency-token: the name and the authority may not hold "
                                      "spaces"));
    if (ctl_agency_listed(agencies, name)) {
        fprintf(stderr,
                _("legalaidctl: %s already lists agency %s (remove its line for a new "
                  "token)\n"),
                agencies, name);
        return CTL_EXIT_FAILURE;
    }
    char token[KEYFILE_TOKEN_LEN + 1], hash[KEYFILE_TOKEN_HASH_LEN + 1], err[400];
    keyfile_token_new(token);
    keyfile_token_hash(token, hash);
    if (token_file) {
        char text[KEYFILE_TOKEN_LEN + 2];
        snprintf(text, sizeof text, "%s\n", token);
        if (keyfile_save(token_file, 0600, text, strlen(text), err, sizeof err)) {
            fprintf(stderr, "legalaidctl: %s\n", err);
            return CTL_EXIT_FAILURE;
        }
    }
    FILE *f = fopen(agencies, "a");
    if (!f) {
        fprintf(stderr, _("legalaidctl: cannot append to %s: %s\n"), agencies, strerror(errno));
        return CTL_EXIT_FAILURE;
    }
    fprintf(f, "%s %s %s %s", name, kind, authority, hash);
    if (rate > 0) fprintf(f, " rate=%ld", rate);
    fprintf(f, "\n");
    fclose(f);
    if (token_file)
        printf(_("agency %s added to %s; its token is in %s (give it to the agency, then delete "
                 "it)\n"),
               name, agencies, token_file);
    else
        printf(_("agency %s added to %s; its token (shown once, not kept): %s\n"), name, agencies,
               token);
    return CTL_EXIT_OK;
}
