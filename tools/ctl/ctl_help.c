/*
 * ctl_help.c - every command's synopsis and line of help, written once:
 * `legalaidctl help [COMMAND]`, `COMMAND --help`, and the one-line error
 * of a bad usage that points to them (ctl_help_usage.c, ctl_args.c:
 * apart, so that the commands this table names never call back into it).
 * Synopses are syntax and stay as they are; the lines of help are
 * translated (po/zh_CN/ctl.po).
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"

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
     N_("applications, one JSON object per line (- for stdin)")},
    {"consult", ctl_intake_consult_run, "consult FILE",
     N_("consultations (art. 23), one per line: their ids")},
    {"supply", ctl_intake_supply_run,
     "supply CASE-ID [MATERIAL...] [--commitment-signed] [--income YUAN] [--proof KIND]",
     N_("documents brought in after the notice (art. 43(2))")},
    {"withdraw", ctl_intake_withdraw_run, "withdraw CASE-ID REASON",
     N_("the applicant withdraws the application")},
    /* reference data to dispatch, roster and eligibility: ctl_import.c */
    {"import", ctl_import_run, "import lawyers FILE|FILE.csv",
     N_("the provider pool (to dispatch), JSON Lines or CSV")},
    {NULL, NULL, "import stations FILE", N_("duty stations (to roster)")},
    {NULL, NULL, "import shifts FILE", N_("duty shifts, A and B posts (to roster)")},
    {NULL, NULL, "import agreements|templates|duty-calendar FILE",
     N_("firms' agreements, shift templates, holidays (to roster)")},
    {NULL, NULL, "import assistance-roll FILE [--exported-at TIME]",
     N_("the civil-affairs roll (低保, 特困, 低收入); TIME: the file's mtime")},
    {NULL, NULL, "import calendar FILE",
     N_("holidays and make-up working days (to eligibility and dispatch)")},
    {NULL, NULL, "import history|history-consultations FILE",
     N_("the previous system's cases and consultations (to intake); FILE.csv: CSV")},
    {NULL, NULL, "import candidates|places FILE",
     N_("internship candidates and firms' places (to dispatch); FILE.csv: CSV")},
    /* eligibility: ctl_eligibility.c */
    {"verify", ctl_eligibility_verify_run, "verify CASE-ID true|false FINDING [--verifier NAME]",
     N_("the check of a commitment letter (art. 41)")},
    {"objection", ctl_eligibility_objection_run, "objection file CASE-ID REASON",
     N_("an objection to a refusal or termination (art. 49)")},
    {NULL, NULL, "objection decide CASE-ID uphold|correct [--officer NOTE] REASONING",
     N_("who acts is the principal of the key (-k); typed names are notes")},
    {NULL, NULL, "objection show CASE-ID", NULL},
    /* every daemon: ctl_case.c */
    {"case", ctl_case_run, "case CASE-ID",
     N_("timeline, decision and its tests, objection, notifications")},
    /* notify: ctl_notify.c */
    {"notifications", ctl_notify_run, "notifications CASE-ID",
     N_("what was recorded to tell each party")},
    {NULL, NULL, "notifications dead|pending|unrouted",
     N_("notify's outbox: dead letters, waiting attempts, messages no channel reached")},
    {NULL, NULL, "notifications redrive ID|all [--by NAME]",
     N_("send dead notifications again once mended")},
    /* the file: ctl_config_print.c */
    {"config", ctl_config_print_run, "config [--all]",
     N_("every section's configuration as the daemons read it (--all: defaults too)")},
    /* every daemon: ctl_ops.c */
    {"queues", ctl_ops_queues_run, "queues",
     N_("streams: head, consumers, lag, oldest waiting, dead letters; every queue by age")},
    /* every daemon: ctl_consumer.c */
    {"consumer", ctl_consumer_run, "consumer drop NAME [DAEMON...]",
     N_("forget a consumer's position on the streams (one that consumes nothing)")},
    /* notify: ctl_overdue.c */
    {"overdue", ctl_overdue_run, "overdue [--kind KIND] [--limit N [--after TOKEN]]",
     N_("every deadline passed and not met: case, owner, deadline, how late")},
    /* roster: ctl_roster_desk.c, ctl_roster.c */
    {"duty", ctl_roster_desk_duty_run, "duty STATION [TIME]",
     N_("who is on duty (A, B); TIME: ISO 8601, HH:MM, now")},
    {"roster", ctl_roster_run, "roster generate FROM TO [STATION...] | publish ID [--officer NOTE]",
     NULL},
    {NULL, NULL, "roster show STATION|--lawyer ID [FROM [TO]]", NULL},
    {NULL, NULL, "roster swap STATION START A|B FROM-LAWYER TO-LAWYER REASON", NULL},
    {NULL, NULL, "roster leave LAWYER FROM TO REASON | approve|refuse ID [--officer NOTE]",
     N_("the duty schedule, its swaps and leave")},
    {"check-in", ctl_roster_desk_check_in_run, "check-in|check-out STATION LAWYER", NULL},
    {"check-out", ctl_roster_desk_check_in_run, NULL, NULL},
    {"duty-request", ctl_roster_desk_duty_request_run,
     "duty-request raise STATION KIND PERSON [--id-number N] [--meeting-at TIME]\n"
     "               [--detail TEXT] [--by NAME]",
     N_("KIND: consultation, plea-signing, meeting, aid-application")},
    {NULL, NULL, "duty-request ack ID LAWYER | complete ID LAWYER LOG-FILE | show ID",
     N_("duty requests of a station, the duty log")},
    /* every daemon: ctl_ops.c */
    {"dead-letters", ctl_ops_dead_letters_run, "dead-letters NAME",
     N_("events a daemon could not apply, and why")},
    {"redrive", ctl_ops_redrive_run, "redrive NAME ID",
     N_("apply a dead letter again once its cause is mended")},
    {"daily", ctl_daily_run, "daily [--days N] [--until TIME] [--all-days]",
     N_("applications, decisions and assignments by day, with the time they took")},
    {"report", ctl_report_run,
     "report (--year Y | --from DATE --to DATE) [--by DIM] [--csv]",
     N_("the yearly statistics, or a table by kind, county, station, channel, firm, lawyer, group, month")},
    {"clock", ctl_ops_clock_run, "clock NAME advance MS | set TIME",
     N_("move or set a daemon's test clock (test_clock = true only)")},
    {"ping", ctl_ops_ping_run, "ping [NAME...]",
     N_("every daemon (or the named ones): up or DOWN, pid")},
    /* every daemon: ctl_backup.c, ctl_compact.c, ctl_restore.c */
    {"backup", ctl_backup_run, "backup [--set NAME] DIR",
     N_("a hot copy of every daemon's data, each under its backup_dir; DIR/manifest.json")},
    {"compact", ctl_compact_run, "compact NAME",
     N_("give a daemon's freed pages back to the disk: data.mdb compacted while it serves")},
    {"restore", ctl_restore_run, "restore --from DIR NAME...",
     N_("put a daemon's copy back (the daemon stopped); its stream gets a new generation")},
    /* security: ctl_keys.c, ctl_audit.c */
    {"keys", ctl_keys_run,
     "keys new NAME --role ROLES [--station C|--lawyer ID|--authority A]\n"
     "          [--dir DIR] [--allow-list FILE]",
     N_("a CURVE key pair and its allow-list line")},
    {NULL, NULL, "keys new NAME --role edge [--delegate ROLES] [--dir DIR] [--allow-list FILE]",
     N_("the gateway's key: whom it may sign in and act for")},
    {NULL, NULL, "keys revoke NAME --allow-list FILE | keys reload",
     N_("withdraw a key; make every daemon re-read the allow-list and the data key")},
    {NULL, NULL, "keys data-key new|rotate|retire|show --file FILE",
     N_("the data key that seals personal data at rest")},
    {NULL, NULL,
     "keys agency-token NAME court|procuratorate|police AUTHORITY --agencies FILE\n"
     "          [--token-file F] [--rate N]",
     N_("a bearer token for an agency's system at the gateway")},
    {NULL, NULL,
     "keys web-user NAME --role ROLES [--station C|--lawyer ID] --users FILE\n"
     "          [--password-file F]",
     N_("a person who signs in to the gateway's pages")},
    {"audit", ctl_audit_run, "audit [--case ID] [--principal NAME] [--since TIME] [--max N]",
     N_("who did what to which case (every daemon's audit)")},
    /* dispatch: ctl_dispatch_lawyers.c, ctl_dispatch.c, ctl_dispatch_review.c */
    {"lawyers", ctl_dispatch_lawyers_run, "lawyers [ID]",
     N_("the pool: load, offers, fair share, answers; or one member's record")},
    {"cases", ctl_cases_run,
     "cases [--state S] [--kind K] [--category C] [--county X] [--station S] [--lawyer ID] "
     "[--from T] [--to T] [--overdue] [--limit N] [--after CURSOR] | cases --id-number N",
     N_("find cases, a page at a time; a person's cases by ID number (staff; audited)")},
    {"dispatch", ctl_dispatch_queue_run, "dispatch queue [waiting|offered|needs-staff|overdue]",
     N_("cases not yet assigned, with reason and due time")},
    {"offer", ctl_dispatch_offer_run, "offer accept CASE-ID LAWYER-ID", NULL},
    {NULL, NULL, "offer decline CASE-ID LAWYER-ID conflict|out-of-scope|capacity [REASON]", NULL},
    {NULL, NULL, "offer decline CASE-ID LAWYER-ID other REASON",
     N_("a lawyer's answer to an offer; a decline is logged with its code")},
    {"assign", ctl_dispatch_assign_run, "assign CASE-ID LAWYER-ID [--staff NOTE] REASON",
     N_("a manual assignment (hard rules still hold)")},
    {"advance", ctl_dispatch_advance_run, "advance CASE-ID signed|started [--by NOTE] [--note T]",
     NULL},
    {NULL, NULL, "advance CASE-ID concluded --result T [--recovered YUAN] [--by NOTE] [--note T]",
     NULL},
    {NULL, NULL, "advance CASE-ID file-submitted --document D [--document D]... [--by NOTE]",
     N_("the case's steps; a closing file lists its documents (art. 50)")},
    {"release", ctl_dispatch_release_run,
     "release CASE-ID replacement REASON --evidence T [--by NOTE]", NULL},
    {NULL, NULL, "release CASE-ID refusal|own-counsel REASON [--by NOTE]",
     N_("the lawyer leaves the case (art. 55; art. 48(6))")},
    {"terminate", ctl_dispatch_terminate_run,
     "terminate CASE-ID 1..8|deception|concealment|unlawful-use|means-changed|\n"
     "          matter-ended|own-counsel|recipient-request|other-law DETAIL [--by NOTE]",
     N_("the aid ends (art. 48)")},
    {"review", ctl_dispatch_review_run,
     "review record CASE-ID REVIEWER-ID INDICATOR=POINTS... [--comment T]", NULL},
    {NULL, NULL, "review report [--by firm|county] [--from DATE] [--to DATE]",
     N_("files graded (一卷二评), excellent rate")},
    /* internship places at dispatch: ctl_intern.c */
    {"intern", ctl_intern_run, "intern match --period P",
     N_("the draft match of candidates to internship places, with why")},
    {NULL, NULL, "intern publish --period P --draft FINGERPRINT",
     N_("the offers of the draft reviewed go out")},
    {NULL, NULL, "intern answer --period P CERTIFICATE accept|decline [--reason T]", NULL},
    {NULL, NULL, "intern confirm --period P CERTIFICATE",
     N_("the candidate's answer; the firm confirming the start")},
    {NULL, NULL, "intern status --period P [--state S] [CERTIFICATE] [--csv]",
     N_("registered, placed, still looking, by county and firm")},
};

#define CTL_NCOMMANDS (sizeof ctl_commands / sizeof ctl_commands[0])

/* The row of name: a command, or the row above that shows it (check-out). */
static const ctl_command_t *ctl_help_row(const char *name)
{
    for (size_t i = 0; i < CTL_NCOMMANDS; i++) {
        if (!ctl_commands[i].name || strcmp(ctl_commands[i].name, name) != 0) continue;
        while (i > 0 && !ctl_commands[i].synopsis) i--;
        return &ctl_commands[i];
    }
    return NULL;
}

ctl_run_fn ctl_help_command(const char *name)
{
    for (size_t i = 0; i < CTL_NCOMMANDS; i++)
        if (ctl_commands[i].name && strcmp(ctl_commands[i].name, name) == 0)
            return ctl_commands[i].run;
    return NULL;
}

static void ctl_help_line(FILE *out, const ctl_command_t *c)
{
    const char *last = strrchr(c->synopsis, '\n');
    int col = last ? (int)strlen(last + 1) : 2 + (int)strlen(c->synopsis);
    fprintf(out, "  %s", c->synopsis);
    if (!c->help)
        fprintf(out, "\n");
    else if (col + 2 <= CTL_USAGE_HELP_COL)
        fprintf(out, "%*s%s\n", CTL_USAGE_HELP_COL - col, "", _(c->help));
    else
        fprintf(out, "\n%*s%s\n", CTL_USAGE_HELP_COL, "", _(c->help));
}

static void ctl_help_options(FILE *out)
{
    fprintf(out, "%s",
            _("options:\n"
              "  -c, --config CONFIG  INI file (default $LEGALAID_CONFIG, then "
              "/etc/legalaid/legalaid.ini)\n"
              "  -j, --json           print replies as JSON (keys are English, stable)\n"
              "  --unmask             ID numbers, phones and addresses whole (the right unmask,\n"
              "                       or a lawyer on its own case; every such read is audited)\n"
              "  -t, --timeout MS     give up on a daemon after MS ms (default 10000)\n"
              "  -k, --key FILE       this client's secret key (default $LEGALAID_KEY, then\n"
              "                       client_key in [security])\n"
              "  --lang zh_CN|en      the language of what is shown (default: the locale's;\n"
              "                       Chinese unless it names English)\n"
              "  -V, --version        the version and the git revision it was built from\n"
              "formats: tools/ctl/FORMATS.md; man legalaidctl\n"));
}

int ctl_help_print(FILE *out, const char *name)
{
    if (!name) {
        fprintf(out, "%s",
                _("usage: legalaidctl [-c CONFIG] [-k KEY] [--json] [--unmask] [-t MS] "
                  "[--lang L] COMMAND ...\n"));
        for (size_t i = 0; i < CTL_NCOMMANDS; i++)
            if (ctl_commands[i].synopsis) ctl_help_line(out, &ctl_commands[i]);
        ctl_help_options(out);
        return CTL_EXIT_OK;
    }
    const ctl_command_t *c = ctl_help_row(name);
    if (!c) {
        fprintf(stderr, _("legalaidctl: unknown command '%s' (see: legalaidctl help)\n"), name);
        return CTL_EXIT_FAILURE;
    }
    fprintf(out, "%s", _("usage: legalaidctl [OPTIONS] "));
    fprintf(out, "%s\n", c->synopsis);
    for (const ctl_command_t *row = c + 1;
         row < ctl_commands + CTL_NCOMMANDS && !row->name && row->synopsis; row++)
        fprintf(out, "%s%s\n", _("   or: legalaidctl [OPTIONS] "), row->synopsis);
    for (const ctl_command_t *row = c; row < ctl_commands + CTL_NCOMMANDS; row++) {
        if (row != c && row->name) break;
        if (row->help) fprintf(out, "  %s\n", _(row->help));
    }
    fprintf(out, "%s", _("(legalaidctl help: every command and the common options)\n"));
    return CTL_EXIT_OK;
}
