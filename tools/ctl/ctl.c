/*
 * NAME
 *      legalaidctl - the command-line client of legalaid, for staff and
 *      operations
 *
 * SYNOPSIS
 *      legalaidctl [-c CONFIG] [--json] [-t MS] COMMAND ...
 *
 * DESCRIPTION
 *      apply FILE                    applications, one JSON object per line (- for stdin)
 *      consult FILE                  consultations (art. 23), one per line: their ids
 *      supply CASE-ID [MATERIAL...] [--commitment-signed] [--income YUAN] [--proof KIND]
 *                                    documents brought in after the notice (art. 43(2))
 *      withdraw CASE-ID REASON       the applicant withdraws the application
 *      import lawyers FILE           the provider pool (to dispatch), JSON Lines or CSV
 *      import stations FILE          duty stations (to roster)
 *      import shifts FILE            duty shifts, A and B posts (to roster)
 *      import agreements|templates|duty-calendar FILE
 *                                    firms' agreements, shift templates, holidays (to roster)
 *      import assistance-roll FILE [--exported-at TIME]
 *                                    the civil-affairs roll (低保, 特困, 低收入) to eligibility
 *      import calendar FILE          holidays and make-up working days (to eligibility)
 *      verify CASE-ID true|false FINDING [--verifier NAME]
 *                                    the check of a commitment letter (art. 41)
 *      objection file CASE-ID REASON an objection to a refusal or termination (art. 49)
 *      objection decide CASE-ID uphold|correct --officer NAME REASONING
 *      objection show CASE-ID
 *      case CASE-ID                  the case's timeline across all daemons, its decision
 *                                    (tests, priority, deadlines), objection, notifications
 *      notifications CASE-ID         what was recorded to tell each party
 *      notifications dead|pending    notify's outbox: dead letters, attempts waiting
 *      notifications redrive ID|all [--by NAME]
 *                                    send dead notifications again once mended
 *      queues                        every stream: head, consumers, lag, oldest waiting,
 *                                    dead letters
 *      duty STATION [TIME]           who is on duty (A, then B); TIME ISO 8601, HH:MM or now
 *      roster generate FROM TO [STATION...] | publish ID | show STATION|--lawyer ID [FROM [TO]]
 *      roster swap STATION START A|B FROM TO REASON | leave LAWYER FROM TO REASON
 *      roster approve|refuse ID --officer NAME
 *                                    the duty schedule, its swaps and leave
 *      check-in|check-out STATION LAWYER
 *      duty-request raise STATION KIND PERSON [...] | ack ID LAWYER |
 *                   complete ID LAWYER LOG-FILE | show ID
 *                                    duty requests of a station, the duty log
 *      dead-letters NAME             the events a daemon could not apply, and why
 *      redrive NAME ID               apply a dead letter again once its cause is mended
 *      ping [NAME...]                every daemon (or the named ones): up or DOWN, pid
 *      lawyers [ID]                  the pool: open cases, offers, fair share, manual,
 *                                    declined, accepted; or one member's record
 *      dispatch queue [waiting|offered|needs-staff|overdue]
 *                                    cases not yet assigned, with reason and due time
 *      offer accept CASE-ID LAWYER-ID
 *      offer decline CASE-ID LAWYER-ID conflict|out-of-scope|capacity|other [REASON]
 *      assign CASE-ID LAWYER-ID --staff NAME REASON
 *                                    a manual assignment (hard rules still hold)
 *      advance CASE-ID signed|started|concluded|file-submitted [--by NAME] [--note T]
 *              [--result T] [--recovered YUAN] [--document D]...
 *      release CASE-ID replacement|refusal|own-counsel REASON [--evidence T] [--by NAME]
 *      terminate CASE-ID 1..8|deception|...|other-law DETAIL [--by NAME]   (art. 48)
 *      review record CASE-ID REVIEWER-ID INDICATOR=POINTS ... [--comment T]
 *      review report [--by firm|county] [--from DATE] [--to DATE]
 *                                    files graded (一卷二评), excellent rate
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

#define CTL_DEFAULT_CONFIG "/etc/legalaid/legalaid.ini"
#define CTL_DEFAULT_TIMEOUT_MS 10000
#define CTL_RESEND_MS 1000

typedef struct ctl_command {
    const char *name;
    int (*run)(ctl_t *ctl, int argc, char **argv);
} ctl_command_t;

static const ctl_command_t ctl_commands[] = {
    {"apply", ctl_apply_run},   {"import", ctl_import_run},
    {"case", ctl_case_run},     {"notifications", ctl_notify_run},
    {"queues", ctl_queues_run}, {"duty", ctl_duty_run},
    {"ping", ctl_ping_run},     {"consult", ctl_consult_run},
    {"supply", ctl_supply_run}, {"withdraw", ctl_withdraw_run},
    {"verify", ctl_verify_run}, {"objection", ctl_objection_run},
    {"dead-letters", ctl_dead_letters_run}, {"redrive", ctl_redrive_run},
    {"lawyers", ctl_lawyers_run},     {"dispatch", ctl_dispatch_run},
    {"offer", ctl_offer_run},         {"assign", ctl_assign_run},
    {"advance", ctl_advance_run},     {"release", ctl_release_run},
    {"terminate", ctl_terminate_run}, {"review", ctl_file_review_run},
    {"roster", ctl_roster_run}, {"check-in", ctl_check_in_run},
    {"check-out", ctl_check_in_run}, {"duty-request", ctl_duty_request_run},
};

static void ctl_usage(FILE *out)
{
    fprintf(out,
            "usage: legalaidctl [-c CONFIG] [--json] [-t MS] COMMAND ...\n"
            "  apply FILE                  applications, one JSON object per line (- for stdin)\n"
            "  consult FILE                consultations, one per line (art. 23)\n"
            "  supply CASE-ID [MATERIAL...] [--commitment-signed] [--income YUAN] [--proof KIND]\n"
            "                              documents brought in after the notice (art. 43(2))\n"
            "  withdraw CASE-ID REASON     the applicant withdraws\n"
            "  import lawyers|stations|shifts|calendar FILE\n"
            "  import agreements|templates|duty-calendar FILE      (to roster)\n"
            "  import assistance-roll FILE [--exported-at TIME]   (default: the file's mtime)\n"
            "  verify CASE-ID true|false FINDING [--verifier NAME]   commitment check (art. 41)\n"
            "  objection file CASE-ID REASON                         (art. 49)\n"
            "  objection decide CASE-ID uphold|correct --officer NAME REASONING\n"
            "  objection show CASE-ID\n"
            "  case CASE-ID                timeline, decision and its tests, objection, "
            "notifications\n"
            "  notifications CASE-ID\n"
            "  notifications dead|pending  notify's outbox: dead letters, waiting attempts\n"
            "  notifications redrive ID|all [--by NAME]   send dead notifications again\n"
            "  queues                      streams: head, consumers, lag, oldest waiting, dead "
            "letters\n"
            "  duty STATION [TIME]         who is on duty (A, B); TIME: ISO 8601, HH:MM, now\n"
            "  roster generate FROM TO [STATION...] | publish ID [--officer NAME]\n"
            "  roster show STATION|--lawyer ID [FROM [TO]]\n"
            "  roster swap STATION START A|B FROM-LAWYER TO-LAWYER REASON\n"
            "  roster leave LAWYER FROM TO REASON | approve|refuse ID --officer NAME\n"
            "  check-in|check-out STATION LAWYER\n"
            "  duty-request raise STATION KIND PERSON [--id-number N] [--meeting-at TIME]\n"
            "               [--detail TEXT] [--by NAME]   KIND: consultation, plea-signing,\n"
            "               meeting, aid-application\n"
            "  duty-request ack ID LAWYER | complete ID LAWYER LOG-FILE | show ID\n"
            "  dead-letters NAME           events a daemon could not apply, and why\n"
            "  redrive NAME ID             apply a dead letter again once its cause is mended\n"
            "  ping [NAME...]              every daemon: up or DOWN\n"
            "  lawyers [ID]                the pool: load, offers, fair share, answers\n"
            "  dispatch queue [waiting|offered|needs-staff|overdue]\n"
            "  offer accept CASE-ID LAWYER-ID\n"
            "  offer decline CASE-ID LAWYER-ID conflict|out-of-scope|capacity|other [REASON]\n"
            "  assign CASE-ID LAWYER-ID --staff NAME REASON\n"
            "  advance CASE-ID signed|started|concluded|file-submitted [--by NAME] [--note T]\n"
            "          [--result T] [--recovered YUAN] [--document D]...\n"
            "  release CASE-ID replacement|refusal|own-counsel REASON [--evidence T] [--by NAME]\n"
            "  terminate CASE-ID 1..8|deception|concealment|unlawful-use|means-changed|\n"
            "          matter-ended|own-counsel|recipient-request|other-law DETAIL [--by NAME]\n"
            "  review record CASE-ID REVIEWER-ID INDICATOR=POINTS ... [--comment T]\n"
            "  review report [--by firm|county] [--from DATE] [--to DATE]\n"
            "options:\n"
            "  -c CONFIG   INI file (default $LEGALAID_CONFIG, then " CTL_DEFAULT_CONFIG ")\n"
            "  --json, -j  print replies as JSON\n"
            "  -t MS       give up on a daemon after MS ms (default %d)\n"
            "formats: tools/ctl/FORMATS.md\n",
            CTL_DEFAULT_TIMEOUT_MS);
}

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

int main(int argc, char **argv)
{
    ctl_t ctl;
    memset(&ctl, 0, sizeof ctl);
    ctl.config = getenv("LEGALAID_CONFIG");
    if (!ctl.config || !ctl.config[0]) ctl.config = CTL_DEFAULT_CONFIG;
    ctl.timeout_ms = CTL_DEFAULT_TIMEOUT_MS;
    ctl.resend_ms = CTL_RESEND_MS;

    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "+c:jt:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            ctl.config = optarg;
            break;
        case 'j':
            ctl.json = 1;
            break;
        case 't': {
            char *end;
            long ms = strtol(optarg, &end, 10);
            if (*end || ms < 100 || ms > 3600000) {
                fprintf(stderr, "legalaidctl: -t %s: give a timeout in ms from 100 to 3600000\n",
                        optarg);
                return CTL_EXIT_FAILURE;
            }
            ctl.timeout_ms = (int)ms;
            if (ctl.resend_ms > ctl.timeout_ms / 2) ctl.resend_ms = ctl.timeout_ms / 2;
            break;
        }
        case 'h':
            ctl_usage(stdout);
            return CTL_EXIT_OK;
        default:
            ctl_usage(stderr);
            return CTL_EXIT_FAILURE;
        }
    }
    if (optind >= argc) {
        ctl_usage(stderr);
        return CTL_EXIT_FAILURE;
    }
    const ctl_command_t *cmd = NULL;
    for (size_t i = 0; i < sizeof ctl_commands / sizeof ctl_commands[0]; i++)
        if (strcmp(argv[optind], ctl_commands[i].name) == 0) cmd = &ctl_commands[i];
    if (!cmd) {
        fprintf(stderr, "legalaidctl: unknown command '%s'\n", argv[optind]);
        ctl_usage(stderr);
        return CTL_EXIT_FAILURE;
    }
    if (ctl_config_load(&ctl) < 0) return CTL_EXIT_FAILURE;
    int cargc = ctl_take_json(argc - optind, argv + optind, &ctl);
    int status = cmd->run(&ctl, cargc, argv + optind);
    fflush(stdout);
    return status;
}
