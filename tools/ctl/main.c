/*
 * NAME
 *      legalaidctl - the command-line client of legalaid, for staff and
 *      operations
 *
 * SYNOPSIS
 *      legalaidctl [-c CONFIG] [--json] [-t MS] COMMAND ...
 *
 * DESCRIPTION
 *      Staff's and operations' commands to the five daemons. Each command's
 *      synopsis and line of help are written once, in ctl_help.c;
 *      `legalaidctl help [COMMAND]` and `COMMAND --help` print them. Where each command lives, by the
 *      daemon it talks to:
 *
 *      intake        apply, consult, supply, withdraw         ctl_intake.c
 *      eligibility   verify, objection                        ctl_eligibility.c
 *      dispatch      offer, assign, advance, release,         ctl_dispatch.c
 *                    terminate, dispatch queue
 *                    lawyers (and import lawyers' CSV)        ctl_dispatch_lawyers.c
 *                    review (一卷二评)                        ctl_dispatch_review.c
 *      roster        roster                                   ctl_roster.c
 *                    duty, check-in, check-out, duty-request  ctl_roster_desk.c
 *      notify        notifications                            ctl_notify.c
 *      several       case (the timeline across all daemons)   ctl_case.c
 *                    import KIND FILE                         ctl_import.c
 *                    ping, queues, dead-letters, redrive      ctl_ops.c
 *
 *      What they share, each file calling only those below it: a case in
 *      text (ctl_show.c, ctl_summary.c, ctl_dispatch_show.c); JSON Lines
 *      in and "line N" out (ctl_records.c, ctl_outcomes.c, ctl_csv.c);
 *      requests (ctl_ask.c) to the endpoints of the configuration
 *      (ctl_config.c); JSON <-> protobuf (ctl_json.c), each field's
 *      limit (ctl_limits.c) and the field of a byte that is not UTF-8
 *      (ctl_badtext.c); times and masks
 *      (ctl_fmt.c); a command's options with getopt_long (ctl_args.c). ctl.h declares
 *      them all.
 *
 *      The JSON Lines formats are in tools/ctl/FORMATS.md. A bad line
 *      never stops the good ones: each is reported as "line N: field X:
 *      message". ID numbers and phones are shown masked.
 *
 * OPTIONS
 *      -c CONFIG   the INI file whose [intake] [eligibility] [dispatch]
 *                  [roster] [notify] sections give each daemon's endpoint
 *                  (default $LEGALAID_CONFIG, then /etc/legalaid/legalaid.ini)
 *      --json, -j  print replies as JSON instead of text
 *      -t MS       give up on a daemon after MS milliseconds (default 10000);
 *                  a silent request is resent (same request_id) every second
 *
 * EXIT STATUS
 *      0 everything went in / answered; 1 some lines were rejected, the
 *      daemon refused the change (its code and message are printed), or the
 *      case is unknown; 2 bad usage, unreadable configuration or file, or a
 *      daemon that did not answer.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"
#include "version.h"

#define CTL_DEFAULT_CONFIG "/etc/legalaid/legalaid.ini"
#define CTL_DEFAULT_TIMEOUT_MS 10000
#define CTL_RESEND_MS 1000

/* Takes --json out of the command's own arguments too ("case ID --json"). */
static int ctl_take_json(int argc, char **argv, ctl_t *ctl)
{
    int out = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            ctl->json = 1;
            continue;
        }
        argv[out++] = argv[i];
    }
    return out;
}

/* A command's own --help (or -h) among its words: its usage, and nothing sent. */
static int ctl_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    ctl_t ctl;
    memset(&ctl, 0, sizeof ctl);
    ctl.config = getenv("LEGALAID_CONFIG");
    if (!ctl.config || !ctl.config[0]) ctl.config = CTL_DEFAULT_CONFIG;
    ctl.timeout_ms = CTL_DEFAULT_TIMEOUT_MS;
    ctl.resend_ms = CTL_RESEND_MS;

    /* --lang is read first, so that even an error in the options is in it. */
    const char *lang = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) lang = argv[i + 1];
        else if (strncmp(argv[i], "--lang=", 7) == 0) lang = argv[i] + 7;
    }
    if (i18n_init(lang) < 0) {
        fprintf(stderr, "legalaidctl: --lang %s: give zh_CN or en\n", lang);
        return CTL_EXIT_FAILURE;
    }

    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},
        {"timeout", required_argument, NULL, 't'},
        {"key", required_argument, NULL, 'k'},
        {"unmask", no_argument, NULL, 'U'},
        {"lang", required_argument, NULL, 'L'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+:c:jt:k:hV", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            ctl.config = optarg;
            break;
        case 'j':
            ctl.json = 1;
            break;
        case 'k':
            ctl.key_opt = optarg;
            break;
        case 'U':
            ctl.unmask = ctl_fmt_unmasked = 1;
            break;
        case 'L':
            break; /* read above */
        case 't': {
            char *end;
            long ms = strtol(optarg, &end, 10);
            if (*end || ms < 100 || ms > 3600000) {
                fprintf(stderr, _("legalaidctl: -t %s: give a timeout in ms from 100 to 3600000\n"),
                        optarg);
                return CTL_EXIT_FAILURE;
            }
            ctl.timeout_ms = (int)ms;
            if (ctl.resend_ms > ctl.timeout_ms / 2) ctl.resend_ms = ctl.timeout_ms / 2;
            break;
        }
        case 'h':
            return ctl_help_print(stdout, NULL);
        case 'V':
            printf("legalaidctl %s\n", la_version);
            return CTL_EXIT_OK;
        case ':':
            fprintf(stderr, _("legalaidctl: option %s needs a value (see: legalaidctl help)\n"),
                    argv[optind - 1]);
            return CTL_EXIT_FAILURE;
        default:
            fprintf(stderr, _("legalaidctl: unknown option %s (see: legalaidctl help)\n"),
                    argv[optind - 1]);
            return CTL_EXIT_FAILURE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "%s", _("legalaidctl: no command given (see: legalaidctl help)\n"));
        return CTL_EXIT_FAILURE;
    }
    const char *name = argv[optind];
    if (strcmp(name, "help") == 0) {
        if (optind + 2 < argc) {
            fprintf(stderr, "%s", _("legalaidctl help: give one command, or none\n"));
            return CTL_EXIT_FAILURE;
        }
        return ctl_help_print(stdout, optind + 1 < argc ? argv[optind + 1] : NULL);
    }
    ctl_run_fn run = ctl_help_command(name);
    if (!run) {
        fprintf(stderr, _("legalaidctl: unknown command '%s' (see: legalaidctl help)\n"), name);
        return CTL_EXIT_FAILURE;
    }
    if (ctl_wants_help(argc - optind, argv + optind)) return ctl_help_print(stdout, name);
    /* keys new and keys revoke work on files alone, before any configuration. */
    int files_only = run == ctl_keys_run && optind + 1 < argc &&
                     strcmp(argv[optind + 1], "reload") != 0;
    if (!files_only && ctl_config_load(&ctl) < 0) return CTL_EXIT_FAILURE;
    int cargc = ctl_take_json(argc - optind, argv + optind, &ctl);
    int status = run(&ctl, cargc, argv + optind);
    security_free(&ctl.sec);
    fflush(stdout);
    return status;
}
