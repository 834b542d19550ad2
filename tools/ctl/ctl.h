/*
 * ctl.h - what the files of legalaidctl share: the options of a run, the
 * five daemons and their endpoints, concurrent requests to several daemons,
 * JSON <-> protobuf, display helpers (times, ages, masked personal data),
 * and one entry point per command. Each section names the file that
 * defines it, and every function starts with that file's name (less ".c").
 *
 * Exit statuses: CTL_EXIT_OK when everything went in or answered,
 * CTL_EXIT_REJECTED when some records were rejected (or a daemon is down
 * for ping), CTL_EXIT_FAILURE for bad usage, an unreadable configuration
 * or a daemon that did not answer.
 */
#ifndef LA_CTL_H
#define LA_CTL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "client.h"
#include "pbjson.h"
#include "security.h"
#include "legalaid.pb-c.h"

#define CTL_EXIT_OK 0
#define CTL_EXIT_REJECTED 1
#define CTL_EXIT_FAILURE 2

typedef enum {
    CTL_INTAKE,
    CTL_ELIGIBILITY,
    CTL_DISPATCH,
    CTL_ROSTER,
    CTL_NOTIFY,
    CTL_NDAEMONS
} ctl_daemon_t;

/* "intake", "eligibility", "dispatch", "roster", "notify": also the INI sections. */
extern const char *const ctl_daemon_names[CTL_NDAEMONS];

#define CTL_ENDPOINT_MAX 512

typedef struct ctl {
    const char *config; /* INI path */
    int json;           /* --json: print replies as JSON */
    int unmask;         /* --unmask: ID numbers and phones whole (the right unmask; audited) */
    int timeout_ms;     /* give up on a request after this long (-t) */
    int resend_ms;      /* resend a silent request after this long */
    int utc_offset_min; /* local offset for reading and showing times ([intake] utc_offset_minutes)
                         */
    char endpoints[CTL_NDAEMONS][CTL_ENDPOINT_MAX]; /* "" when the section has none */
    size_t max_frame[CTL_NDAEMONS]; /* each daemon's max_frame_bytes: larger requests are
                                       refused unsent */
    size_t max_entries[CTL_NDAEMONS]; /* each daemon's max_request_entries: an import's
                                         requests hold no more records */
    const char *key_opt;  /* --key FILE */
    security_t sec;       /* [security], the allow-list and this client's key */
    const char *key_path; /* the key file in use, NULL when none was found */
    char sec_error[700];  /* why no client can connect ("" when one can) */
} ctl_t;

/* --- ctl_config.c: the daemons' endpoints --------------------------------- */

/* Reads each daemon's endpoint, max_frame_bytes (default
 * LA_FRAME_MAX_DEFAULT) and max_request_entries (LA_REQUEST_ENTRIES_DEFAULT) and the display offset from ctl->config.
 * Returns 0, or -1 after printing why (the file cannot be read). */
int ctl_config_load(ctl_t *ctl);

/* Returns the index of a daemon name, or -1. */
int ctl_config_daemon_find(const char *name);

/* A client for one daemon with the given deadline and its max frame, or
 * NULL after printing why (no endpoint in the configuration, cannot
 * connect). */
client_t *ctl_config_client_open(const ctl_t *ctl, ctl_daemon_t d, int deadline_ms);
/* The same, quietly: NULL with the reason in err. */
client_t *ctl_config_client(const ctl_t *ctl, ctl_daemon_t d, int deadline_ms, char *err,
                            size_t errlen);

/* --- ctl_ask.c: requests ------------------------------------------------- */

/* One request to one daemon, run with others concurrently by ctl_ask_all. */
typedef struct ctl_ask {
    ctl_daemon_t daemon;
    Legalaid__Request req;  /* the caller sets body_case and body; request_id is filled in */
    Legalaid__Reply *reply; /* out: malloc'ed, freed by ctl_ask_free */
    int rc;                 /* out: 0, -ETIMEDOUT, -ENOENT (no endpoint), -ECONNREFUSED,
                               -EACCES (the daemon refused our key) */
    char why[800];          /* out: with -ECONNREFUSED, why no client could be made */
} ctl_ask_t;

/* Initialises an ask for daemon (request body left to the caller). */
void ctl_ask_init(ctl_ask_t *a, ctl_daemon_t daemon);
/* Initialises an ask for daemon with body as the request's body_case
 * member (body must be that member's message type). */
void ctl_ask_body(ctl_ask_t *a, ctl_daemon_t daemon, Legalaid__Request__BodyCase body_case,
                  ProtobufCMessage *body);
/* Sends every ask at once (one connection each) and waits for all of them,
 * each up to ctl->timeout_ms. */
void ctl_ask_all(const ctl_t *ctl, ctl_ask_t *asks, size_t n);
void ctl_ask_free(ctl_ask_t *asks, size_t n);
/* 1 when the ask got a reply with code OK. */
int ctl_ask_ok(const ctl_ask_t *a);
/* The reply when the ask got code OK with that body, else NULL. */
const Legalaid__Reply *ctl_ask_reply(const ctl_ask_t *a, Legalaid__Reply__BodyCase body);
/* 1 when the daemon answered NOT_FOUND. */
int ctl_ask_not_found(const ctl_ask_t *a);
/* Describes why an ask failed: "no answer from dispatch at ipc://... within
 * 10000 ms (is it running?)" or "dispatch: NOT_FOUND: no case ..." */
const char *ctl_ask_problem(const ctl_t *ctl, const ctl_ask_t *a, char *buf, size_t size);
/* Describes a reply's error: "CODE: message (field f)". */
const char *ctl_ask_reply_problem(const Legalaid__Reply *r, char *buf, size_t size);
/* Sends one ask and waits for it. Returns CTL_EXIT_OK when the daemon
 * answered, whatever its code (the caller reads a->reply);
 * CTL_EXIT_FAILURE when it did not answer (said on stderr). */
int ctl_ask_answer(const ctl_t *ctl, ctl_ask_t *a);
/* Sends one ask and waits for it. Returns CTL_EXIT_OK when the daemon
 * answered OK; CTL_EXIT_REJECTED when it refused (the code, message and
 * field said on stderr, or as a JSON object on stdout with --json);
 * CTL_EXIT_FAILURE when it did not answer (said on stderr). */
int ctl_ask_one(const ctl_t *ctl, ctl_ask_t *a);

/* --- ctl_json.c: JSON out (JSON in and the conversion: common/pbjson.h) -- */

/* pbjson_from_message, masked unless --unmask (and mask). The caller owns
 * the result. */
json_t *ctl_json_from_message(const ProtobufCMessage *m, int mask);
/* Prints j indented to stdout with a newline, and releases it. */
void ctl_json_print(json_t *j);

/* --- ctl_fmt.c: display helpers ------------------------------------------ */

#define CTL_TIME_MAX 40

/* "2026-03-02 10:00" at the configured offset; "-" for 0. */
char *ctl_fmt_time(const ctl_t *ctl, int64_t ms, char buf[CTL_TIME_MAX]);
/* A deadline: like ctl_fmt_time, but a deadline at midnight is shown as
 * the end of the day before ("2026-03-05 24:00"), as the law counts days. */
char *ctl_fmt_deadline(const ctl_t *ctl, int64_t ms, char buf[CTL_TIME_MAX]);
/* "10:00" at the configured offset. */
char *ctl_fmt_clock(const ctl_t *ctl, int64_t ms, char buf[CTL_TIME_MAX]);
/* A duration as people read it: "850ms", "3s", "2m05s", "1h02m", "3d04h". */
char *ctl_fmt_age(int64_t ms, char buf[CTL_TIME_MAX]);
/* Set by --unmask: the two below then show values whole. */
extern int ctl_fmt_unmasked;
/* "150203********1234": the first 6 and last 4 of an ID number. */
char *ctl_fmt_mask_id(const char *id, char *buf, size_t size);
/* "139****1234": the first 3 and last 4 of a phone number. */
char *ctl_fmt_mask_phone(const char *phone, char *buf, size_t size);
/* ctl_fmt_enum.c. An enum value for people: pbjson_enum_text's word ("civil", "window")
 * in English, its Chinese in Chinese (ctl_fmt_enum.c lists them); in buf
 * or the catalogue's storage. */
const char *ctl_fmt_enum(const ProtobufCEnumDescriptor *desc, int value, char buf[PBJSON_ENUM_MAX]);
/* s, or "" for NULL. */
const char *ctl_fmt_str(const char *s);
/* ctl_time.c. A time typed on the command line: ISO 8601 (pbjson_text_time, the
 * centre's offset when none is given), or today/今天, yesterday/昨天: the start of
 * that day at the centre. 0, or -1 when text is not a time. */
int ctl_time_parse(const ctl_t *ctl, const char *text, int64_t *ms);
/* Prints s padded with spaces to cols terminal columns (a Chinese
 * character counts two), then nothing: the caller prints the separator. */
void ctl_fmt_pad(const char *s, int cols);
/* Like ctl_fmt_pad, with one space after a cell as wide as cols or wider:
 * a translated cell never runs into the next. */
void ctl_fmt_cell(const char *s, int cols);
/* Spaces, then s, ending at cols terminal columns (a figure's title over
 * right-aligned figures). */
void ctl_fmt_rpad(const char *s, int cols);
/* The label column of a record's rows ("  LABEL         text"): two spaces
 * and label as a cell CTL_FMT_LABEL_COLS wide, in every view of a case. */
#define CTL_FMT_LABEL_COLS 14
void ctl_fmt_row(const char *label);

/* --- ctl_args.c: a command's options, with getopt_long --------------------- */

struct option;
/* How ctl_args_parse reads argv. */
enum {
    CTL_ARGS_PERMUTE = 1,  /* options may follow words (they end up first) */
    CTL_ARGS_IN_ORDER = 2, /* the options end at the first word: "-5" after it is a word */
};
/* The flag of an option that may be given again and again (a list): its
 * values go to values[val - 1], values[val], ... in their order, so give it
 * the last slot and room for argc values. */
extern int ctl_args_many;
/* Reads the options of argv (argv[0] the command word, or a sub-command's
 * first word) with getopt_long, as flags says: the option with val N sets
 * values[N - 1] to its value ("" for a flag that takes none; given again,
 * the last). Returns the index of the first word (argc when none), or -1
 * after the one-line usage error of command (an unknown option, a missing
 * value). Every sub-command reads its options with it. */
int ctl_args_parse(const char *command, int argc, char **argv, const struct option *opts,
                   const char **values, int flags);

/* ctl_help.c: the commands' table, their usage and the error of a bad one. */
typedef int (*ctl_run_fn)(ctl_t *ctl, int argc, char **argv);
/* The function that runs command name, or NULL for none. */
ctl_run_fn ctl_help_command(const char *name);
/* Every command's usage and the options (name NULL), or one command's.
 * Returns CTL_EXIT_OK, or CTL_EXIT_FAILURE for an unknown command. */
int ctl_help_print(FILE *out, const char *name);
/* ctl_help_usage.c. One line on stderr, "legalaidctl COMMAND: PROBLEM (see:
 * legalaidctl help COMMAND)", in the language of the user. Returns
 * CTL_EXIT_FAILURE. */
int ctl_help_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* --- ctl_records.c and ctl_outcomes.c: JSON Lines files, reported per line  */

/* One line of a JSON Lines file, parsed into a message. */
typedef struct ctl_record {
    size_t line;
    ProtobufCMessage *msg;
} ctl_record_t;

typedef struct ctl_records {
    ctl_record_t *items;
    size_t n, cap;
} ctl_records_t;

/* What became of one line: accepted (with what the daemon gave it, like a
 * case number) or rejected (field and message). */
typedef struct ctl_outcome {
    size_t line;
    int accepted;
    char *detail; /* accepted: the case number or NULL; rejected: the message */
    char *field;  /* rejected: the field path, or NULL for the line as a whole */
    char *note;   /* accepted: said after the detail ("linked to the open case"), or NULL */
} ctl_outcome_t;

typedef struct ctl_outcomes {
    ctl_outcome_t *items;
    size_t n, cap;
    size_t accepted, rejected;
    size_t unchanged; /* of the accepted: already there (an import run again) */
    const char *detail_key; /* --json key of an accepted line's detail; "case_id" when NULL */
} ctl_outcomes_t;

/* Reads path ("-" for stdin): every non-blank line is parsed as desc into
 * recs; a line that cannot be read goes to out as rejected, naming its
 * field. Returns 0, or -1 when the file cannot be read (said on stderr). */
int ctl_records_read(const ctl_t *ctl, const char *path, const ProtobufCMessageDescriptor *desc,
                     arena_t *arena, ctl_records_t *recs, ctl_outcomes_t *out);
void ctl_records_free(ctl_records_t *recs);
/* Appends one record read from line. */
void ctl_records_csv_add(ctl_records_t *recs, size_t line, ProtobufCMessage *m);
/* ctl_records_csv.c: a CSV file with a header of field paths, read as
 * ctl_records_read reads JSON Lines (path ending .csv). 0, or -1 when the
 * header is wrong (said on stderr). */
int ctl_records_csv(const ctl_t *ctl, FILE *f, const ProtobufCMessageDescriptor *desc,
                    arena_t *arena, ctl_records_t *recs, ctl_outcomes_t *out);

/* ctl_outcomes.c. Records the outcome of a line (the strings are copied). */
void ctl_outcomes_add(ctl_outcomes_t *out, size_t line, int accepted, const char *field,
                      const char *detail);
/* Merges the outcomes of the same lines sent to a second daemon: a line
 * that one rejected is rejected, its message prefixed with from ("dispatch").
 * A line is accepted only when both took it. */
void ctl_outcomes_merge(ctl_outcomes_t *out, const ctl_outcomes_t *other, const char *from);
/* Adds a note to the outcome recorded last (copied). */
void ctl_outcomes_note(ctl_outcomes_t *out, const char *note);
/* Prints the outcomes in line order: "line N: field X: message" for a
 * rejected line, "line N: DETAIL" for an accepted one with a detail (or a
 * JSON object per line with --json). */
void ctl_outcomes_print(const ctl_t *ctl, ctl_outcomes_t *out);
void ctl_outcomes_free(ctl_outcomes_t *out);
/* With --json, what a line's outcome says (its "error", "note") is
 * English, as stable as the keys: call before reading the file. */
void ctl_outcomes_lang(const ctl_t *ctl);

/* --- the commands: each returns an exit status ---------------------------- */
/* (main.c's table maps each command word to its run function) */

/* ctl_intake.c */
/* ctl_backup.c, ctl_restore.c */
int ctl_backup_run(ctl_t *ctl, int argc, char **argv);
/* ctl_compact.c */
int ctl_compact_run(ctl_t *ctl, int argc, char **argv);
int ctl_restore_run(ctl_t *ctl, int argc, char **argv);
int ctl_intake_apply_run(ctl_t *ctl, int argc, char **argv);
int ctl_intake_consult_run(ctl_t *ctl, int argc, char **argv);
int ctl_intake_supply_run(ctl_t *ctl, int argc, char **argv);
int ctl_intake_withdraw_run(ctl_t *ctl, int argc, char **argv);
/* ctl_eligibility.c */
int ctl_eligibility_verify_run(ctl_t *ctl, int argc, char **argv);
int ctl_eligibility_objection_run(ctl_t *ctl, int argc, char **argv);
/* ctl_dispatch.c, ctl_dispatch_lawyers.c, ctl_dispatch_review.c */
int ctl_dispatch_offer_run(ctl_t *ctl, int argc, char **argv);
int ctl_dispatch_assign_run(ctl_t *ctl, int argc, char **argv);
int ctl_dispatch_advance_run(ctl_t *ctl, int argc, char **argv);
int ctl_dispatch_release_run(ctl_t *ctl, int argc, char **argv);
int ctl_dispatch_terminate_run(ctl_t *ctl, int argc, char **argv);
int ctl_dispatch_queue_run(ctl_t *ctl, int argc, char **argv);
int ctl_dispatch_lawyers_run(ctl_t *ctl, int argc, char **argv);
int ctl_dispatch_review_run(ctl_t *ctl, int argc, char **argv);
/* ctl_intern.c: internship places (match, publish, answer, confirm, status). */
int ctl_intern_run(ctl_t *ctl, int argc, char **argv);
/* ctl_roster.c, ctl_roster_desk.c */
int ctl_roster_run(ctl_t *ctl, int argc, char **argv);
int ctl_roster_desk_duty_run(ctl_t *ctl, int argc, char **argv);
int ctl_roster_desk_check_in_run(ctl_t *ctl, int argc, char **argv);
int ctl_roster_desk_duty_request_run(ctl_t *ctl, int argc, char **argv);
/* ctl_notify.c: notifications CASE-ID | dead | pending | redrive ID|all */
int ctl_notify_run(ctl_t *ctl, int argc, char **argv);
/* ctl_config_print.c: legalaidctl config [--all]. */
int ctl_config_print_run(ctl_t *ctl, int argc, char **argv);
/* ctl_ops.c */
/* The index of a command's first word after parsing argv with no options
 * (getopt_long; options end at the first word, or "--", so "-5" after it
 * is a word); -1 after the one-line error of an option. */
int ctl_ops_words(const char *cmd, int argc, char **argv);
int ctl_ops_ping_run(ctl_t *ctl, int argc, char **argv);
int ctl_ops_queues_run(ctl_t *ctl, int argc, char **argv);
int ctl_consumer_run(ctl_t *ctl, int argc, char **argv); /* ctl_consumer.c */
int ctl_ops_dead_letters_run(ctl_t *ctl, int argc, char **argv);
int ctl_ops_redrive_run(ctl_t *ctl, int argc, char **argv);
int ctl_ops_clock_run(ctl_t *ctl, int argc, char **argv);
int ctl_daily_run(ctl_t *ctl, int argc, char **argv); /* ctl_daily.c */
int ctl_report_run(ctl_t *ctl, int argc, char **argv); /* ctl_report.c */
int ctl_cases_run(ctl_t *ctl, int argc, char **argv); /* ctl_cases.c */
int ctl_overdue_run(ctl_t *ctl, int argc, char **argv); /* ctl_overdue.c */
/* ctl_case.c */
int ctl_case_run(ctl_t *ctl, int argc, char **argv);
/* ctl_import.c */
int ctl_import_run(ctl_t *ctl, int argc, char **argv);

int ctl_keys_run(ctl_t *ctl, int argc, char **argv);  /* ctl_keys.c */
int ctl_datakey_run(int argc, char **argv);            /* ctl_datakey.c */
int ctl_agency_token(int argc, char **argv);           /* ctl_agency.c */
int ctl_webuser_run(int argc, char **argv);            /* ctl_webuser.c */
int ctl_audit_run(ctl_t *ctl, int argc, char **argv); /* ctl_audit.c */

/* --- dispatch's part (ctl_dispatch*.c) ------------------------------------ */

/* ctl_dispatch_lawyers.c. Reads the lawyers of path ("-": stdin) in JSON
 * Lines or CSV (a first non-blank line that is not a JSON object is the CSV
 * header) into recs, each bad line into out ("line N: field X: message").
 * Returns 0, or -1 after saying why (unreadable file, unknown CSV column). */
int ctl_dispatch_lawyers_read(const ctl_t *ctl, const char *path, arena_t *arena,
                              ctl_records_t *recs, ctl_outcomes_t *out);
/* ctl_dispatch.c. Sends body (the request's body_case member) to dispatch
 * and prints the case's assignment from the reply (or the JSON body);
 * returns the exit status. */
int ctl_dispatch_send(ctl_t *ctl, Legalaid__Request__BodyCase body_case, ProtobufCMessage *body,
                      const char *case_id);
/* ctl_dispatch_show.c. Rows of dispatch's record of a case: state, lawyer,
 * offer and its lapse, declined offers, running deadlines, reviews and
 * grade, termination. */
void ctl_dispatch_show_assignment(const ctl_t *ctl, const Legalaid__Assignment *as);
/* A timeline line for a dispatch event into buf: 1, or 0 when ev is not
 * one of dispatch's offer, progress, termination, release, deadline or
 * review events. */
int ctl_dispatch_show_summary(const ctl_t *ctl, const Legalaid__Event *ev, char *buf, size_t size);
/* The words staff read: "waiting", "needs-staff" ...; "conflict",
 * "out-of-scope" ...; "own-counsel" ...; "excellent (优秀)" ... in English,
 * their Chinese (待指派, 利益冲突, 自行委托辩护人, 优秀 ...) in Chinese. Labels
 * only: the words typed on the command line and --json keep the codes. */
const char *ctl_dispatch_show_state_name(int state);
const char *ctl_dispatch_show_decline_name(int code);
const char *ctl_dispatch_show_termination_name(int reason);
const char *ctl_dispatch_show_grade_name(int grade);

/* --- ctl_roster.c: the roster's part ------------------------------------- */

/* One line of a shift: station, day, hours, post, mode, lawyer, check-in. */
void ctl_roster_shift_print(const ctl_t *ctl, const Legalaid__Shift *sh);
/* How a shift is served, as people read it ("on_site", "phone", "online"
 * in English). */
const char *ctl_roster_mode_name(const Legalaid__Shift *sh);

/* --- ctl_show.c: a case's records in text --------------------------------- */

/* An Outcome value for people: "APPROVED" (the .proto name) in English,
 * "批准" in Chinese. A label only: never a --json value or a request field. */
const char *ctl_show_outcome_name(int outcome);
/* An ObjectionState for people: "UPHELD" in English, "维持原决定" in Chinese. */
const char *ctl_show_objection_state_name(int state);
/* Rows "  LABEL       text" of an application, a decision (tests, priority,
 * roll, deadlines, objection route) and an objection. */
void ctl_show_application(const ctl_t *ctl, const Legalaid__Application *a);
void ctl_show_decision(const ctl_t *ctl, const Legalaid__Decision *d);
void ctl_show_objection(const ctl_t *ctl, const Legalaid__Objection *o);
/* The body of a command's reply: "case ID" and its rows, or with --json
 * the body as JSON (masked). */
void ctl_show_reply(const ctl_t *ctl, const char *case_id, const Legalaid__Reply *r);
/* The row of a failed ask in a case's view: "  (daemon: no answer)" or
 * "  (daemon: CODE: message)". */
void ctl_show_problem(const ctl_t *ctl, const ctl_ask_t *a);

/* --- ctl_notify.c: a case's notifications --------------------------------- */

/* "notifications" and a row per notification of a's ListNotifications
 * reply ("(none)" for NOT_FOUND, the problem row when it failed). */
void ctl_notify_case_print(const ctl_t *ctl, const ctl_ask_t *a);

/* --- ctl_summary.c: one line per event ----------------------------------- */

/* A one-line human summary of an event ("APPROVED (Legal Aid Law art. 25(1)(1)),
 * appoint by 2026-03-05 10:00"), written into buf. */
const char *ctl_summary_event(const ctl_t *ctl, const Legalaid__Event *ev, char *buf, size_t size);

#endif
