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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl.h"
#include "keyfile.h"

static int ctl_agency_usage(void)
{
    fprintf(stderr, "usage: legalaidctl keys agency-token NAME court|procuratorate|police "
                    "AUTHORITY --agencies FILE [--token-file F] [--rate N]\n");
    return CTL_EXIT_FAILURE;
}

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
    if (argc < 5) return ctl_agency_usage();
    const char *name = argv[2], *kind = argv[3], *authority = argv[4];
    const char *agencies = NULL, *token_file = NULL;
    long rate = 0;
    for (int i = 5; i < argc; i++) {
        if (strcmp(argv[i], "--agencies") == 0 && i + 1 < argc)
            agencies = argv[++i];
        else if (strcmp(argv[i], "--token-file") == 0 && i + 1 < argc)
            token_file = argv[++i];
        else if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc)
            rate = strtol(argv[++i], NULL, 10);
        else
            return ctl_agency_usage();
    }
    if (!agencies) return ctl_agency_usage();
    if (strcmp(kind, "court") && strcmp(kind, "procuratorate") && strcmp(kind, "police")) {
        fprintf(stderr, "legalaidctl: kind '%s' is not court, procuratorate or police\n", kind);
        return CTL_EXIT_FAILURE;
    }
    if (strpbrk(name, " \t\n") || strpbrk(authority, " \t\n")) {
        fprintf(stderr, "legalaidctl: the name and the authority may not hold spaces\n");
        return CTL_EXIT_FAILURE;
    }
    if (ctl_agency_listed(agencies, name)) {
        fprintf(stderr, "legalaidctl: %s already lists agency %s (remove its line for a new "
                        "token)\n",
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
        fprintf(stderr, "legalaidctl: cannot append to %s: %s\n", agencies, strerror(errno));
        return CTL_EXIT_FAILURE;
    }
    fprintf(f, "%s %s %s %s", name, kind, authority, hash);
    if (rate > 0) fprintf(f, " rate=%ld", rate);
    fprintf(f, "\n");
    fclose(f);
    if (token_file)
        printf("agency %s added to %s; its token is in %s (give it to the agency, then delete "
               "it)\n",
               name, agencies, token_file);
    else
        printf("agency %s added to %s; its token (shown once, not kept): %s\n", name, agencies,
               token);
    return CTL_EXIT_OK;
}
