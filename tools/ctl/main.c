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
 *      synopsis and line of help are written once, in ctl_commands below;
 *      `legalaidctl --help` prints them. Where each command lives, by the
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
 *      (ctl_fmt.c); a command's options (ctl_option.c). ctl.h declares
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

#define CTL_DEFAULT_CONFIG "/etc/legalaid/legalaid.ini"
#define CTL_DEFAULT_TIMEOUT_MS 10000
#define CTL_RESEND_MS 1000
/* The column where a synopsis's help starts (on the next line when the
 * synopsis reaches it). */
#define CTL_USAGE_HELP_COL 30

/* One line of usage. A row with a name is a command (its first line of
 * usage); a row without continues the command above; a row without a
 * synopsis is a command the line above already shows. */
typedef struct ctl_command {
    const char *name;
    int (*run)(ctl_t *ctl, int argc, char **argv);
    const char *synopsis; /* a second line, when there is one, is indented in the string */
    const char *help;     /* one line, or NULL */
} ctl_command_t;

static const ctl_command_t ctl_commands[] = {
    /* intake: ctl_intake.c */
    {"apply", ctl_intake_apply_run, "apply FILE",
     "applications, one JSON object per line (- for stdin)"},
    {"consult", ctl_intake_consult_run, "consult FILE",
     "consultations (art. 23), one per line: their ids"},
    {"supply", ctl_intake_supply_run,
     "supply CASE-ID [MATERIAL...] [--commitment-signed] [--income YUAN] [--proof KIND]",
     "documents brought in after the notice (art. 43(2))"},
    {"withdraw", ctl_intake_withdraw_run, "withdraw CASE-ID REASON",
     "the applicant withdraws the application"},
    /* reference data to dispatch, roster and eligibility: ctl_import.c */
    {"import", ctl_import_run, "import lawyers FILE",
     "the provider pool (to dispatch), JSON Lines or CSV"},
    {NULL, NULL, "import stations FILE", "duty stations (to roster)"},
    {NULL, NULL, "import shifts FILE", "duty shifts, A and B posts (to roster)"},
    {NULL, NULL, "import agreements|templates|duty-calendar FILE",
     "firms' agreements, shift templates, holidays (to roster)"},
    {NULL, NULL, "import assistance-roll FILE [--exported-at TIME]",
     "the civil-affairs roll (低保, 特困, 低收入); TIME: the file's mtime"},
    {NULL, NULL, "import calendar FILE",
     "holidays and make-up working days (to eligibility and dispatch)"},
    /* eligibility: ctl_eligibility.c */
    {"verify", ctl_eligibility_verify_run, "verify CASE-ID true|false FINDING [--verifier NAME]",
     "the check of a commitment letter (art. 41)"},
    {"objection", ctl_eligibility_objection_run, "objection file CASE-ID REASON",
     "an objection to a refusal or termination (art. 49)"},
    {NULL, NULL, "objection decide CASE-ID uphold|correct [--officer NOTE] REASONING",
     "who acts is the principal of the key (-k); typed names are notes"},
    {NULL, NULL, "objection show CASE-ID", NULL},
    /* every daemon: ctl_case.c */
    {"case", ctl_case_run, "case CASE-ID",
     "timeline, decision and its tests, objection, notifications"},
    /* notify: ctl_notify.c */
    {"notifications", ctl_notify_run, "notifications CASE-ID",
     "what was recorded to tell each party"},
    {NULL, NULL, "notifications dead|pending", "notify's outbox: dead letters, waiting attempts"},
    {NULL, NULL, "notifications redrive ID|all [--by NAME]",
     "send dead notifications again once mended"},
    /* every daemon: ctl_ops.c */
    {"queues", ctl_ops_queues_run, "queues",
     "streams: head, consumers, lag, oldest waiting, dead letters; every queue by age"},
    /* notify: ctl_overdue.c */
    {"overdue", ctl_overdue_run, "overdue [--kind KIND] [--limit N [--after TOKEN]]",
     "every deadline passed and not met: case, owner, deadline, how late"},
    /* roster: ctl_roster_desk.c, ctl_roster.c */
    {"duty", ctl_roster_desk_duty_run, "duty STATION [TIME]",
     "who is on duty (A, B); TIME: ISO 8601, HH:MM, now"},
    {"roster", ctl_roster_run, "roster generate FROM TO [STATION...] | publish ID [--officer NAME]",
     NULL},
    {NULL, NULL, "roster show STATION|--lawyer ID [FROM [TO]]", NULL},
    {NULL, NULL, "roster swap STATION START A|B FROM-LAWYER TO-LAWYER REASON", NULL},
    {NULL, NULL, "roster leave LAWYER FROM TO REASON | approve|refuse ID [--officer NOTE]",
     "the duty schedule, its swaps and leave"},
    {"check-in", ctl_roster_desk_check_in_run, "check-in|check-out STATION LAWYER", NULL},
    {"check-out", ctl_roster_desk_check_in_run, NULL, NULL},
    {"duty-request", ctl_roster_desk_duty_request_run,
     "duty-request raise STATION KIND PERSON [--id-number N] [--meeting-at TIME]\n"
     "               [--detail TEXT] [--by NAME]",
     "KIND: consultation, plea-signing, meeting, aid-application"},
    {NULL, NULL, "duty-request ack ID LAWYER | complete ID LAWYER LOG-FILE | show ID",
     "duty requests of a station, the duty log"},
    /* every daemon: ctl_ops.c */
    {"dead-letters", ctl_ops_dead_letters_run, "dead-letters NAME",
     "events a daemon could not apply, and why"},
    {"redrive", ctl_ops_redrive_run, "redrive NAME ID",
     "apply a dead letter again once its cause is mended"},
    {"daily", ctl_daily_run, "daily [--days N] [--until TIME] [--all-days]",
     "applications, decisions and assignments by day, with the time they took"},
    {"report", ctl_report_run,
     "report (--year Y | --from DATE --to DATE) [--by DIM] [--csv]",
     "the yearly statistics, or a table by kind, county, station, channel, firm, lawyer, group, month"},
    {"clock", ctl_ops_clock_run, "clock NAME advance MS | set TIME",
     "move or set a daemon's test clock (test_clock = true only)"},
    {"ping", ctl_ops_ping_run, "ping [NAME...]",
     "every daemon (or the named ones): up or DOWN, pid"},
    /* security: ctl_keys.c, ctl_audit.c */
    {"keys", ctl_keys_run,
     "keys new NAME --role ROLES [--station C|--lawyer ID|--authority A]\n"
     "          [--dir DIR] [--allow-list FILE]",
     "a CURVE key pair and its allow-list line"},
    {NULL, NULL, "keys revoke NAME --allow-list FILE | keys reload",
     "withdraw a key; make every daemon re-read the allow-list and the data key"},
    {NULL, NULL, "keys data-key new|rotate|retire|show --file FILE",
     "the data key that seals personal data at rest"},
    {"audit", ctl_audit_run, "audit [--case ID] [--principal NAME] [--since TIME] [--max N]",
     "who did what to which case (every daemon's audit)"},
    /* dispatch: ctl_dispatch_lawyers.c, ctl_dispatch.c, ctl_dispatch_review.c */
    {"lawyers", ctl_dispatch_lawyers_run, "lawyers [ID]",
     "the pool: load, offers, fair share, answers; or one member's record"},
    {"cases", ctl_cases_run,
     "cases [--state S] [--kind K] [--category C] [--county X] [--station S] [--lawyer ID] "
     "[--from T] [--to T] [--overdue] [--limit N] [--after CURSOR] | cases --id-number N",
     "find cases, a page at a time; a person's cases by ID number (staff; audited)"},
    {"dispatch", ctl_dispatch_queue_run, "dispatch queue [waiting|offered|needs-staff|overdue]",
     "cases not yet assigned, with reason and due time"},
    {"offer", ctl_dispatch_offer_run, "offer accept CASE-ID LAWYER-ID", NULL},
    {NULL, NULL, "offer decline CASE-ID LAWYER-ID conflict|out-of-scope|capacity|other [REASON]",
     NULL},
    {"assign", ctl_dispatch_assign_run, "assign CASE-ID LAWYER-ID [--staff NOTE] REASON",
     "a manual assignment (hard rules still hold)"},
    {"advance", ctl_dispatch_advance_run,
     "advance CASE-ID signed|started|concluded|file-submitted [--by NOTE] [--note T]\n"
     "          [--result T] [--recovered YUAN] [--document D]...",
     NULL},
    {"release", ctl_dispatch_release_run,
     "release CASE-ID replacement|refusal|own-counsel REASON [--evidence T] [--by NAME]", NULL},
    {"terminate", ctl_dispatch_terminate_run,
     "terminate CASE-ID 1..8|deception|concealment|unlawful-use|means-changed|\n"
     "          matter-ended|own-counsel|recipient-request|other-law DETAIL [--by NOTE]",
     "the aid ends (art. 48)"},
    {"review", ctl_dispatch_review_run,
     "review record CASE-ID REVIEWER-ID INDICATOR=POINTS ... [--comment T]", NULL},
    {NULL, NULL, "review report [--by firm|county] [--from DATE] [--to DATE]",
     "files graded (一卷二评), excellent rate"},
};

#define CTL_NCOMMANDS (sizeof ctl_commands / sizeof ctl_commands[0])

/* The usage, from the table: each synopsis, its help at CTL_USAGE_HELP_COL. */
static void ctl_usage(FILE *out)
{
    fprintf(out, "usage: legalaidctl [-c CONFIG] [-k KEY] [--json] [--unmask] [-t MS] COMMAND ...\n");
    for (size_t i = 0; i < CTL_NCOMMANDS; i++) {
        const ctl_command_t *c = &ctl_commands[i];
        if (!c->synopsis) continue;
        const char *last = strrchr(c->synopsis, '\n');
        int col = last ? (int)strlen(last + 1) : 2 + (int)strlen(c->synopsis);
        fprintf(out, "  %s", c->synopsis);
        if (!c->help)
            fprintf(out, "\n");
        else if (col + 2 <= CTL_USAGE_HELP_COL)
            fprintf(out, "%*s%s\n", CTL_USAGE_HELP_COL - col, "", c->help);
        else
            fprintf(out, "\n%*s%s\n", CTL_USAGE_HELP_COL, "", c->help);
    }
    fprintf(out,
            "options:\n"
            "  -c CONFIG   INI file (default $LEGALAID_CONFIG, then " CTL_DEFAULT_CONFIG ")\n"
            "  --json, -j  print replies as JSON\n"
            "  --unmask    ID numbers, phones and addresses whole (the right unmask, or a lawyer on\n"
            "              its own case; every such read is audited)\n"
            "  -t MS       give up on a daemon after MS ms (default %d)\n"
            "  -k, --key FILE  this client's secret key (default $LEGALAID_KEY, then\n"
            "              client_key in [security])\n"
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
        {"key", required_argument, NULL, 'k'},
        {"unmask", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "+c:jt:k:h", longopts, NULL)) != -1) {
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
    for (size_t i = 0; i < CTL_NCOMMANDS; i++)
        if (ctl_commands[i].name && strcmp(argv[optind], ctl_commands[i].name) == 0)
            cmd = &ctl_commands[i];
    if (!cmd) {
        fprintf(stderr, "legalaidctl: unknown command '%s'\n", argv[optind]);
        ctl_usage(stderr);
        return CTL_EXIT_FAILURE;
    }
    /* keys new and keys revoke work on files alone, before any configuration. */
    int files_only = cmd->run == ctl_keys_run && optind + 1 < argc &&
                     strcmp(argv[optind + 1], "reload") != 0;
    if (!files_only && ctl_config_load(&ctl) < 0) return CTL_EXIT_FAILURE;
    int cargc = ctl_take_json(argc - optind, argv + optind, &ctl);
    int status = cmd->run(&ctl, cargc, argv + optind);
    security_free(&ctl.sec);
    fflush(stdout);
    return status;
}
