/*
 * ctl_datakey.c - legalaidctl keys data-key: the data key file that seals
 * personal data at rest (seal.h). Files only: no daemon is asked.
 *
 *   keys data-key new --file F      a new file: an index key and key-1
 *   keys data-key rotate --file F   adds key-N+1, which seals after the next
 *                                   reload; the daemons re-seal in the
 *                                   background (legalaidctl stats: seal.*)
 *   keys data-key retire --file F   drops the older keys, once every daemon
 *                                   shows seal.keys_in_use 1
 *   keys data-key show --file F     the key numbers and which one seals
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "i18n.h"
#include "seal.h"

static void ctl_datakey_print(const seal_ring_t *r, const char *path)
{
    printf(_("%s: key-%u seals;"), path, r->current);
    for (int i = 0; i < r->n; i++) printf(" key-%u", r->keys[i].id);
    printf("\n");
}

int ctl_datakey_run(int argc, char **argv)
{
    static const struct option opts[] = {{"file", required_argument, NULL, 1}, {NULL, 0, NULL, 0}};
    const char *file = NULL;
    int first = ctl_args_parse("keys", argc, argv, opts, &file, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 2)
        return ctl_help_usage_error("keys", _("data-key: give new, rotate, retire or show"));
    if (!file) return ctl_help_usage_error("keys", _("data-key: give --file FILE"));
    const char *what = argv[first + 1];
    char err[1000];
    seal_ring_t r;
    if (strcmp(what, "new") == 0) {
        if (access(file, F_OK) == 0) {
            fprintf(stderr,
                    _("legalaidctl: %s exists: a data key is never overwritten (the data it seals "
                      "would be lost); rotate it instead\n"),
                    file);
            return CTL_EXIT_REJECTED;
        }
        seal_ring_new(&r);
    } else if (strcmp(what, "rotate") == 0 || strcmp(what, "retire") == 0 ||
               strcmp(what, "show") == 0) {
        if (seal_ring_load(&r, file, err, sizeof err) < 0) {
            fprintf(stderr, "legalaidctl: %s\n", err);
            return CTL_EXIT_REJECTED;
        }
        if (strcmp(what, "show") == 0) {
            ctl_datakey_print(&r, file);
            seal_ring_wipe(&r);
            return CTL_EXIT_OK;
        }
        if (strcmp(what, "rotate") == 0 && seal_ring_rotate(&r) < 0) {
            fprintf(stderr,
                    _("legalaidctl: %s: no room for another key (at key-255 or %d keys): "
                      "retire the older ones first\n"),
                    file, SEAL_MAX_KEYS);
            seal_ring_wipe(&r);
            return CTL_EXIT_REJECTED;
        }
        if (strcmp(what, "retire") == 0) seal_ring_retire(&r);
    } else {
        return ctl_help_usage_error("keys", _("data-key: '%s' is not new, rotate, retire or show"),
                                    what);
    }
    int rc = seal_ring_save(&r, file, err, sizeof err);
    if (rc == 0) ctl_datakey_print(&r, file);
    seal_ring_wipe(&r);
    if (rc < 0) {
        fprintf(stderr, "legalaidctl: %s\n", err);
        return CTL_EXIT_FAILURE;
    }
    if (strcmp(what, "rotate") == 0)
        printf("%s",
               _("then: legalaidctl keys reload (or systemctl reload legalaid.target on every "
                 "host); the daemons re-seal in the background\n"));
    if (strcmp(what, "retire") == 0)
        printf("%s", _("then: legalaidctl keys reload; a daemon that still holds values under a "
                       "retired key refuses the file and keeps its keys\n"));
    return CTL_EXIT_OK;
}
