/*
 * ctl_roster_desk.c - what a station's desk and its duty lawyers ask of
 * and tell the roster:
 *
 *   duty STATION [TIME]       who is on duty at a station (the A post, then
 *        the B post; DOMAIN "AB posts"), with their hours, how they serve,
 *        a masked phone and whether they checked in (or were absent and the
 *        B post activated). TIME is ISO 8601, "HH:MM" today, or "now" (the
 *        roster's clock) when left out.
 *   check-in STATION LAWYER   /   check-out STATION LAWYER
 *   duty-request raise STATION KIND PERSON [--id-number N] [--meeting-at TIME]
 *                      [--detail TEXT] [--by NAME]
 *        KIND: consultation, plea-signing, meeting, aid-application
 *   duty-request ack ID LAWYER
 *   duty-request complete ID LAWYER LOG-FILE   the duty log, one JSON object
 *        (charge, question, help_given, plea_signing_present, plea_exception,
 *        application: the application taken, forwarded to intake)
 *   duty-request show ID
 *
 * The schedule itself (generate, publish, swaps, leave) is in ctl_roster.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ctl.h"
#include "i18n.h"
#include "roster.pb-c.h"

/* --- duty ----------------------------------------------------------------- */

/* "HH:MM" is today at that time (at the configured offset). */
static int ctl_duty_time(const ctl_t *ctl, const char *text, int64_t *at)
{
    int h, m;
    char rest;
    if (sscanf(text, "%2d:%2d%c", &h, &m, &rest) == 2 && h >= 0 && h < 24 && m >= 0 && m < 60) {
        int64_t offset_ms = (int64_t)ctl->utc_offset_min * 60000;
        int64_t local = clock_now_ms() + offset_ms;
        int64_t midnight = local - ((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
        *at = midnight + h * MS_PER_HOUR + m * 60000LL - offset_ms;
        return 0;
    }
    return pbjson_text_time(text, ctl->utc_offset_min, at);
}

/* The kind of a station, as people read it. */
static const char *ctl_duty_station_kind(int kind, char buf[PBJSON_ENUM_MAX])
{
    switch (kind) {
    case LEGALAID__STATION_KIND__COURT_STATION:
        return _("court station");
    case LEGALAID__STATION_KIND__PROCURATORATE_STATION:
        return _("procuratorate station");
    case LEGALAID__STATION_KIND__DETENTION_CENTRE:
        return _("detention centre station");
    case LEGALAID__STATION_KIND__SERVICE_WINDOW:
        return _("service window");
    case LEGALAID__STATION_KIND__WORKSTATION_STATION:
        return _("grassroots workstation");
    default:
        return pbjson_enum_text(&legalaid__station_kind__descriptor, kind, buf);
    }
}

static void ctl_duty_print(const ctl_t *ctl, const Legalaid__DutyAnswer *ans)
{
    char kind[PBJSON_ENUM_MAX], role[PBJSON_ENUM_MAX], t[CTL_TIME_MAX], a[CTL_TIME_MAX],
        b[CTL_TIME_MAX], phone[64];
    const Legalaid__Station *st = ans->station;
    if (st)
        printf("%s  %s (%s%s%s)\n", ctl_fmt_str(st->code), ctl_fmt_str(st->name),
               ctl_duty_station_kind(st->kind, kind), st->county ? ", " : "",
               ctl_fmt_str(st->county));
    printf(_("on duty at %s\n"), ctl_fmt_time(ctl, ans->at, t));
    if (ans->n_on_duty == 0) printf("%s", _("  nobody: no shift covers this time\n"));
    for (size_t i = 0; i < ans->n_on_duty; i++) {
        const Legalaid__Shift *sh = ans->on_duty[i];
        printf("  %-2s ", pbjson_enum_text(&legalaid__shift_role__descriptor, sh->role, role));
        ctl_fmt_pad(ctl_fmt_str(sh->lawyer_name), 10);
        printf(" [%s]  %s-%s  ", ctl_fmt_str(sh->lawyer_id), ctl_fmt_clock(ctl, sh->starts_at, a),
               ctl_fmt_clock(ctl, sh->ends_at, b));
        ctl_fmt_pad(ctl_roster_mode_name(sh), 8);
        printf("%s", ctl_fmt_mask_phone(sh->lawyer_phone, phone, sizeof phone));
        /* Check-in state, when there is one: the desk sees who is really there. */
        if (sh->has_checked_in_at)
            printf(_("  checked in %s"), ctl_fmt_clock(ctl, sh->checked_in_at, a));
        if (sh->has_checked_out_at)
            printf(_(", out %s"), ctl_fmt_clock(ctl, sh->checked_out_at, b));
        if (sh->has_absent && sh->absent) printf("%s", _("  ABSENT (B activated)"));
        if (sh->has_backup_activated && sh->backup_activated) printf("%s", _("  ACTIVATED"));
        printf("\n");
    }
}

int ctl_roster_desk_duty_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    int first = ctl_args_parse("duty", argc, argv, opts, NULL, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    int n = argc - first;
    if (n < 1 || n > 2)
        return ctl_help_usage_error("duty", _("give the STATION, and perhaps a TIME"));
    Legalaid__DutyQuery q = LEGALAID__DUTY_QUERY__INIT;
    q.station = w[0];
    if (n == 2 && strcmp(w[1], "now") != 0) {
        if (ctl_duty_time(ctl, w[1], &q.at) < 0)
            return ctl_help_usage_error(
                "duty",
                _("'%s' is not a time: write 2026-03-02T10:00:00+08:00, 10:00 (today) or now"),
                w[1]);
        q.has_at = 1;
    }
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_ROSTER);
    a.req.body_case = LEGALAID__REQUEST__BODY_DUTY_QUERY;
    a.req.duty_query = &q;
    int status = ctl_ask_answer(ctl, &a);
    char why[1024];
    if (status != CTL_EXIT_OK) {
        /* no answer: said on stderr */
    } else if (!ctl_ask_ok(&a) || a.reply->body_case != LEGALAID__REPLY__BODY_DUTY_ANSWER) {
        if (ctl->json)
            ctl_json_print(ctl_json_from_message(&a.reply->base, 1));
        else
            fprintf(stderr, "legalaidctl: %s\n", ctl_ask_problem(ctl, &a, why, sizeof why));
        status = CTL_EXIT_REJECTED;
    } else if (ctl->json) {
        ctl_json_print(ctl_json_from_message(&a.reply->duty_answer->base, 1));
    } else {
        ctl_duty_print(ctl, a.reply->duty_answer);
    }
    ctl_ask_free(&a, 1);
    return status;
}

/* --- check-in, check-out, duty-request ------------------------------------ */

/* "  LABEL        ": a label of a duty request, padded to 12 columns. */
static void ctl_request_label(const char *label)
{
    printf("  ");
    ctl_fmt_pad(label, 12);
    putchar(' ');
}

static void ctl_request_line(const char *label, const char *value)
{
    ctl_request_label(label);
    printf("%s\n", value);
}

static void ctl_request_print(const ctl_t *ctl, const Legalaid__DutyRequest *r)
{
    static const char *const kinds[] = {"?", N_("consultation"),
                                        N_("plea signing (认罪认罚具结书)"), N_("meeting"),
                                        N_("legal-aid application")};
    static const char *const states[] = {"?", N_("ROUTED"), N_("ACKNOWLEDGED"), N_("COMPLETED")};
    static const char *const to[] = {"?", N_("A post"), N_("B post"), N_("the centre")};
    char a[CTL_TIME_MAX], phone[64];
    printf(_("duty request %s  %s at %s for %s\n"), ctl_fmt_str(r->id),
           _(kinds[r->kind <= 4 ? r->kind : 0]), ctl_fmt_str(r->station),
           ctl_fmt_str(r->person_name));
    ctl_request_label(_("state"));
    printf(_("%s, routed to %s: %s %s %s\n"), _(states[r->state <= 3 ? r->state : 0]),
           _(to[r->routed_to <= 3 ? r->routed_to : 0]), ctl_fmt_str(r->lawyer_id),
           ctl_fmt_str(r->lawyer_name), ctl_fmt_mask_phone(r->lawyer_phone, phone, sizeof phone));
    ctl_request_label(_("raised"));
    printf("%s", ctl_fmt_time(ctl, r->raised_at, a));
    if (r->escalations) printf(_(", escalated %u times"), r->escalations);
    printf("\n");
    if (r->has_ack_due_at && r->state == LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED)
        ctl_request_line(_("ack by"), ctl_fmt_time(ctl, r->ack_due_at, a));
    if (r->has_answer_due_at) {
        ctl_request_label(_("answer by"));
        printf(_("%s (S5 art. 49: 24 h)\n"), ctl_fmt_time(ctl, r->answer_due_at, a));
    }
    if (r->has_meeting_slot_at)
        ctl_request_line(_("meeting slot"), ctl_fmt_time(ctl, r->meeting_slot_at, a));
    if (r->has_completed_at)
        ctl_request_line(_("completed"), ctl_fmt_time(ctl, r->completed_at, a));
    if (r->log) {
        ctl_request_line(_("charge"), ctl_fmt_str(r->log->charge));
        ctl_request_line(_("question"), ctl_fmt_str(r->log->question));
        ctl_request_line(_("help given"), ctl_fmt_str(r->log->help_given));
        if (r->log->has_plea_signing_present) {
            ctl_request_label(_("plea signing"));
            printf("%s%s%s\n", r->log->plea_signing_present ? _("present") : _("absent"),
                   r->log->plea_exception ? ": " : "", ctl_fmt_str(r->log->plea_exception));
        }
        if (r->log->application)
            ctl_request_line(_("application"), _("forwarded to intake (custody_forward)"));
    }
}

static int ctl_desk_send(ctl_t *ctl, ctl_ask_t *a)
{
    int status = ctl_ask_one(ctl, a);
    if (status != CTL_EXIT_OK) return status;
    const Legalaid__Reply *r = a->reply;
    if (ctl->json)
        ctl_json_print(ctl_json_from_message(
            r->body_case == LEGALAID__REPLY__BODY_SHIFT          ? &r->shift->base
            : r->body_case == LEGALAID__REPLY__BODY_DUTY_REQUEST ? &r->duty_request->base
                                                                 : &r->base,
            1));
    else if (r->body_case == LEGALAID__REPLY__BODY_SHIFT)
        ctl_roster_shift_print(ctl, r->shift);
    else if (r->body_case == LEGALAID__REPLY__BODY_DUTY_REQUEST)
        ctl_request_print(ctl, r->duty_request);
    return status;
}

int ctl_roster_desk_check_in_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    const char *command = argv[0];
    int first = ctl_args_parse(command, argc, argv, opts, NULL, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 2) return ctl_help_usage_error(command, _("give STATION and LAWYER"));
    Legalaid__CheckIn c = LEGALAID__CHECK_IN__INIT;
    c.station = argv[first];
    c.lawyer_id = argv[first + 1];
    c.has_out = c.out = !strcmp(command, "check-out");
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_ROSTER);
    a.req.body_case = LEGALAID__REQUEST__BODY_CHECK_IN;
    a.req.check_in = &c;
    int status = ctl_desk_send(ctl, &a);
    ctl_ask_free(&a, 1);
    return status;
}

static int ctl_request_kind(const char *s)
{
    static const char *const names[] = {"consultation", "plea-signing", "meeting",
                                        "aid-application"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) return i + 1;
    return 0;
}

/* The options of duty-request raise. */
enum { CTL_REQUEST_ID_NUMBER = 1, CTL_REQUEST_MEETING_AT, CTL_REQUEST_DETAIL, CTL_REQUEST_BY };

/* raise STATION KIND PERSON: w the words after "raise", v the options. */
static int ctl_request_raise(ctl_t *ctl, char **w, int n, const char *const *v, ctl_ask_t *a,
                             Legalaid__DutyRequest *d, Legalaid__RaiseDutyRequest *rr)
{
    if (n != 3)
        return ctl_help_usage_error("duty-request", _("raise: give STATION, KIND and PERSON"));
    if (!ctl_request_kind(w[1]))
        return ctl_help_usage_error(
            "duty-request",
            _("raise: '%s' is not consultation, plea-signing, meeting or aid-application"), w[1]);
    d->station = w[0];
    d->has_kind = 1;
    d->kind = (Legalaid__DutyRequestKind)ctl_request_kind(w[1]);
    d->person_name = w[2];
    d->person_id_number = (char *)v[CTL_REQUEST_ID_NUMBER - 1];
    d->detail = (char *)v[CTL_REQUEST_DETAIL - 1];
    d->raised_by = (char *)v[CTL_REQUEST_BY - 1];
    const char *meeting = v[CTL_REQUEST_MEETING_AT - 1];
    if (meeting) {
        if (pbjson_text_time(meeting, ctl->utc_offset_min, &d->meeting_at) < 0)
            return ctl_help_usage_error("duty-request", _("--meeting-at '%s' is not a time"),
                                        meeting);
        d->has_meeting_at = 1;
    }
    rr->request = d;
    a->req.body_case = LEGALAID__REQUEST__BODY_RAISE_DUTY_REQUEST;
    a->req.raise_duty_request = rr;
    return ctl_desk_send(ctl, a);
}

/* The duty log: the first non-blank line of path ("-" for stdin). */
static Legalaid__DutyLog *ctl_request_log(const ctl_t *ctl, const char *path, arena_t *arena)
{
    FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!in) {
        fprintf(stderr, _("legalaidctl: cannot read %s: %s\n"), path, strerror(errno));
        return NULL;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    ProtobufCMessage *m = NULL;
    while ((n = getline(&line, &cap, in)) > 0) {
        if (strspn(line, " \t\r\n") == (size_t)n) continue;
        pbjson_error_t err;
        m = pbjson_parse(line, &legalaid__duty_log__descriptor, ctl->utc_offset_min, arena,
                                  &err);
        if (!m) fprintf(stderr, _("legalaidctl: %s: field %s: %s\n"), path, err.field, err.message);
        break;
    }
    free(line);
    if (in != stdin) fclose(in);
    return (Legalaid__DutyLog *)m;
}

int ctl_roster_desk_duty_request_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {
        {"id-number", required_argument, NULL, CTL_REQUEST_ID_NUMBER},
        {"meeting-at", required_argument, NULL, CTL_REQUEST_MEETING_AT},
        {"detail", required_argument, NULL, CTL_REQUEST_DETAIL},
        {"by", required_argument, NULL, CTL_REQUEST_BY},
        {NULL, 0, NULL, 0},
    };
    const char *v[CTL_REQUEST_BY] = {NULL};
    int first = ctl_args_parse("duty-request", argc, argv, opts, v, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    int n = argc - first;
    if (n == 0) return ctl_help_usage_error("duty-request", _("give raise, ack, complete or show"));
    const char *sub = w[0];
    int raise = !strcmp(sub, "raise");
    for (int i = 0; i < CTL_REQUEST_BY && !raise; i++)
        if (v[i])
            return ctl_help_usage_error("duty-request",
                                        _("--id-number, --meeting-at, --detail and --by are for "
                                          "raise"));
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_ROSTER);
    Legalaid__DutyRequest d = LEGALAID__DUTY_REQUEST__INIT;
    Legalaid__RaiseDutyRequest rr = LEGALAID__RAISE_DUTY_REQUEST__INIT;
    Legalaid__AckDutyRequest ack = LEGALAID__ACK_DUTY_REQUEST__INIT;
    Legalaid__CompleteDutyRequest done = LEGALAID__COMPLETE_DUTY_REQUEST__INIT;
    Legalaid__GetDutyRequest get = LEGALAID__GET_DUTY_REQUEST__INIT;
    arena_t arena;
    arena_init(&arena);
    int status;
    if (raise) {
        status = ctl_request_raise(ctl, w + 1, n - 1, v, &a, &d, &rr);
    } else if (!strcmp(sub, "ack") && n == 3) {
        ack.id = w[1];
        ack.lawyer_id = w[2];
        a.req.body_case = LEGALAID__REQUEST__BODY_ACK_DUTY_REQUEST;
        a.req.ack_duty_request = &ack;
        status = ctl_desk_send(ctl, &a);
    } else if (!strcmp(sub, "complete") && n == 4) {
        done.id = w[1];
        done.lawyer_id = w[2];
        done.log = ctl_request_log(ctl, w[3], &arena);
        if (!done.log) {
            arena_destroy(&arena);
            return CTL_EXIT_FAILURE;
        }
        a.req.body_case = LEGALAID__REQUEST__BODY_COMPLETE_DUTY_REQUEST;
        a.req.complete_duty_request = &done;
        status = ctl_desk_send(ctl, &a);
    } else if (!strcmp(sub, "show") && n == 2) {
        get.id = w[1];
        a.req.body_case = LEGALAID__REQUEST__BODY_GET_DUTY_REQUEST;
        a.req.get_duty_request = &get;
        status = ctl_desk_send(ctl, &a);
    } else if (!strcmp(sub, "ack") || !strcmp(sub, "complete") || !strcmp(sub, "show")) {
        status = ctl_help_usage_error(
            "duty-request", !strcmp(sub, "ack")        ? _("ack: give ID and LAWYER")
                            : !strcmp(sub, "complete") ? _("complete: give ID, LAWYER and LOG-FILE")
                                                       : _("show: give the ID"));
    } else {
        status = ctl_help_usage_error("duty-request", _("'%s' is not raise, ack, complete or show"),
                                      sub);
    }
    ctl_ask_free(&a, 1);
    arena_destroy(&arena);
    return status;
}
