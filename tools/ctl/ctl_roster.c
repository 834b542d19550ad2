/*
 * ctl_roster.c - `legalaidctl roster ...`: what the centre's roster staff
 * do with a period's schedule and its changes:
 *
 *   roster generate FROM TO [STATION...]   a draft: posts, firms' shares
 *   roster publish ID [--officer NAME]     into the live roster (lawyers told)
 *   roster show STATION|--lawyer ID [FROM [TO]]
 *   roster swap STATION START A|B FROM-LAWYER TO-LAWYER REASON
 *   roster leave LAWYER FROM TO REASON
 *   roster approve|refuse ID [--officer NOTE]  a swap (SW-) or a leave (LV-)
 *
 * Times are ISO 8601 or a date; text output, or the reply with --json.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"
#include "roster.pb-c.h"

/* How a shift is served, as people read it. */
const char *ctl_roster_mode_name(const Legalaid__Shift *sh)
{
    switch (sh->has_mode ? sh->mode : LEGALAID__DUTY_MODE__ON_SITE) {
    case LEGALAID__DUTY_MODE__BY_PHONE:
        return _("phone");
    case LEGALAID__DUTY_MODE__ONLINE_DUTY:
        return _("online");
    default:
        return _("on_site");
    }
}

void ctl_roster_shift_print(const ctl_t *ctl, const Legalaid__Shift *sh)
{
    char day[CTL_TIME_MAX], a[CTL_TIME_MAX], b[CTL_TIME_MAX], c[CTL_TIME_MAX], phone[64];
    ctl_fmt_time(ctl, sh->starts_at, day);
    day[10] = 0;
    printf("  ");
    ctl_fmt_pad(ctl_fmt_str(sh->station), 12);
    printf(" %s %s-%s  %s  ", day, ctl_fmt_clock(ctl, sh->starts_at, a),
           ctl_fmt_clock(ctl, sh->ends_at, b),
           sh->role == LEGALAID__SHIFT_ROLE__BACKUP ? "B" : "A");
    ctl_fmt_pad(ctl_roster_mode_name(sh), 8);
    putchar(' ');
    ctl_fmt_pad(ctl_fmt_str(sh->lawyer_name), 10);
    printf(" [%s] %s", ctl_fmt_str(sh->lawyer_id),
           ctl_fmt_mask_phone(sh->lawyer_phone, phone, sizeof phone));
    if (sh->has_checked_in_at) printf(_("  in %s"), ctl_fmt_clock(ctl, sh->checked_in_at, c));
    if (sh->has_checked_out_at) printf(_("  out %s"), ctl_fmt_clock(ctl, sh->checked_out_at, c));
    if (sh->has_absent && sh->absent) printf("%s", _("  ABSENT"));
    if (sh->has_backup_activated && sh->backup_activated) printf("%s", _("  ACTIVATED"));
    printf("\n");
}

static void ctl_roster_schedule_print(const ctl_t *ctl, const Legalaid__Schedule *s)
{
    char t[CTL_TIME_MAX];
    printf(_("schedule %s  %s to %s  %s\n"), ctl_fmt_str(s->id), ctl_fmt_str(s->from),
           ctl_fmt_str(s->to),
           s->state == LEGALAID__SCHEDULE_STATE__SCHEDULE_PUBLISHED ? _("PUBLISHED") : _("DRAFT"));
    printf(_("  posts        %u (A and B), %u holiday shifts not staffed, rest %u min\n"),
           s->shifts, s->holidays_skipped, s->min_rest_minutes);
    if (s->already_staffed)
        printf(_("  kept         %u posts already published\n"), s->already_staffed);
    if (s->has_published_at)
        printf(_("  published    %s\n"), ctl_fmt_time(ctl, s->published_at, t));
    for (size_t i = 0; i < s->n_firms; i++) {
        const Legalaid__FirmShare *f = s->firms[i];
        printf("  ");
        ctl_fmt_pad(ctl_fmt_str(f->firm), 28);
        printf(_(" %5u posts  %5.1f%% (share %.1f%%)  %u lawyers, %u-%u posts each%s\n"), f->posts,
               f->actual_permille / 10.0, f->target_permille / 10.0, f->lawyers, f->min_posts,
               f->max_posts, f->outside_band ? _("  OUTSIDE THE SHARE BAND") : "");
    }
}

static void ctl_roster_change_print(const ctl_t *ctl, const Legalaid__ChangeAnswer *c)
{
    static const char *const states[] = {"?", N_("requested"), N_("approved"), N_("not approved")};
    char a[CTL_TIME_MAX], b[CTL_TIME_MAX];
    if (c->swap) {
        const Legalaid__Swap *s = c->swap;
        printf(_("swap %s  %s: %s post at %s from %s, %s -> %s  (%s)\n"), ctl_fmt_str(s->id),
               _(states[s->state <= 3 ? s->state : 0]),
               s->role == LEGALAID__SHIFT_ROLE__BACKUP ? "B" : "A", ctl_fmt_str(s->station),
               ctl_fmt_time(ctl, s->starts_at, a), ctl_fmt_str(s->from_lawyer),
               ctl_fmt_str(s->to_lawyer), ctl_fmt_str(s->reason));
    }
    if (c->leave) {
        const Legalaid__Leave *l = c->leave;
        printf(_("leave %s  %s: lawyer %s from %s to %s  (%s)\n"), ctl_fmt_str(l->id),
               _(states[l->state <= 3 ? l->state : 0]), ctl_fmt_str(l->lawyer_id),
               ctl_fmt_time(ctl, l->starts_at, a), ctl_fmt_time(ctl, l->ends_at, b),
               ctl_fmt_str(l->reason));
    }
    if (c->n_changed) printf("%s", _("shifts handed over:\n"));
    for (size_t i = 0; i < c->n_changed; i++) ctl_roster_shift_print(ctl, c->changed[i]);
}

/* Sends the ask and prints its reply (text or --json). */
static int ctl_roster_send(ctl_t *ctl, ctl_ask_t *a)
{
    int status = ctl_ask_one(ctl, a);
    if (status != CTL_EXIT_OK) return status;
    const Legalaid__Reply *r = a->reply;
    if (ctl->json) {
        const ProtobufCMessage *body =
            r->body_case == LEGALAID__REPLY__BODY_SCHEDULE     ? &r->schedule->base
            : r->body_case == LEGALAID__REPLY__BODY_CHANGE     ? &r->change->base
            : r->body_case == LEGALAID__REPLY__BODY_SHIFT_LIST ? &r->shift_list->base
                                                               : &r->base;
        ctl_json_print(ctl_json_from_message(body, 1));
    } else if (r->body_case == LEGALAID__REPLY__BODY_SCHEDULE) {
        ctl_roster_schedule_print(ctl, r->schedule);
    } else if (r->body_case == LEGALAID__REPLY__BODY_CHANGE) {
        ctl_roster_change_print(ctl, r->change);
    } else if (r->body_case == LEGALAID__REPLY__BODY_SHIFT_LIST) {
        if (r->shift_list->n_shifts == 0) printf("%s", _("no published shifts in that time\n"));
        for (size_t i = 0; i < r->shift_list->n_shifts; i++)
            ctl_roster_shift_print(ctl, r->shift_list->shifts[i]);
        if (r->shift_list->truncated) printf("%s", _("  ... (more: narrow the time)\n"));
    }
    return status;
}

static int ctl_roster_time(const ctl_t *ctl, const char *what, const char *text, int64_t *ms)
{
    if (pbjson_text_time(text, ctl->utc_offset_min, ms) == 0) return 0;
    ctl_help_usage_error(
        "roster", _("%s '%s' is not a time: write 2026-03-02T09:00+08:00 or a date"), what, text);
    return -1;
}

/* roster show STATION [FROM [TO]] | show --lawyer ID [FROM [TO]]: w the words after "show". */
static int ctl_roster_show(ctl_t *ctl, char **w, int n, const char *lawyer, ctl_ask_t *a,
                           Legalaid__ListShifts *ls)
{
    if (lawyer) {
        ls->lawyer_id = (char *)lawyer;
    } else if (n >= 1) {
        ls->station = w[0];
        w++;
        n--;
    } else {
        return ctl_help_usage_error("roster", _("show: give a STATION or --lawyer ID"));
    }
    if (n > 2) return ctl_help_usage_error("roster", _("show: give at most FROM and TO"));
    if (n > 0 && ctl_roster_time(ctl, "FROM", w[0], &ls->from_at)) return CTL_EXIT_FAILURE;
    ls->has_from_at = n > 0;
    if (n > 1 && ctl_roster_time(ctl, "TO", w[1], &ls->to_at)) return CTL_EXIT_FAILURE;
    ls->has_to_at = n > 1;
    a->req.body_case = LEGALAID__REQUEST__BODY_LIST_SHIFTS;
    a->req.list_shifts = ls;
    return ctl_roster_send(ctl, a);
}

/* The words each sub-command takes after its name (-1: two or more). */
static int ctl_roster_words_ok(const char *sub, int n)
{
    static const struct {
        const char *sub;
        int words;
    } subs[] = {{"generate", -1}, {"publish", 1}, {"swap", 6}, {"leave", 4},
                {"approve", 1},   {"refuse", 1},  {"show", 0}};
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(sub, subs[i].sub) == 0)
            return subs[i].words == 0 || (subs[i].words < 0 ? n >= 2 : n == subs[i].words);
    return -1;
}

int ctl_roster_run(ctl_t *ctl, int argc, char **argv)
{
    enum { OFFICER = 1, LAWYER };
    static const struct option opts[] = {{"officer", required_argument, NULL, OFFICER},
                                         {"lawyer", required_argument, NULL, LAWYER},
                                         {NULL, 0, NULL, 0}};
    const char *v[LAWYER] = {NULL};
    int first = ctl_args_parse("roster", argc, argv, opts, v, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (first == argc)
        return ctl_help_usage_error(
            "roster", _("give generate, publish, show, swap, leave, approve or refuse"));
    const char *sub = argv[first], *officer = v[OFFICER - 1];
    argv += first + 1;
    argc -= first + 1;
    int ok = ctl_roster_words_ok(sub, argc);
    if (ok < 0)
        return ctl_help_usage_error(
            "roster", _("'%s' is not generate, publish, show, swap, leave, approve or refuse"),
            sub);
    if (!ok) return ctl_help_usage_error("roster", _("%s: wrong number of words (%d)"), sub, argc);
    if (v[LAWYER - 1] && strcmp(sub, "show") != 0)
        return ctl_help_usage_error("roster", _("--lawyer is for roster show only"));
    if (officer && strcmp(sub, "publish") && strcmp(sub, "approve") && strcmp(sub, "refuse"))
        return ctl_help_usage_error("roster", _("--officer is for publish, approve and refuse"));
    if (!strcmp(sub, "swap") && strcmp(argv[2], "A") && strcmp(argv[2], "B"))
        return ctl_help_usage_error("roster", _("swap: the post is A or B, not '%s'"), argv[2]);
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_ROSTER);
    Legalaid__GenerateSchedule g = LEGALAID__GENERATE_SCHEDULE__INIT;
    Legalaid__PublishSchedule p = LEGALAID__PUBLISH_SCHEDULE__INIT;
    Legalaid__ListShifts ls = LEGALAID__LIST_SHIFTS__INIT;
    Legalaid__Swap sw = LEGALAID__SWAP__INIT;
    Legalaid__RequestSwap rs = LEGALAID__REQUEST_SWAP__INIT;
    Legalaid__Leave lv = LEGALAID__LEAVE__INIT;
    Legalaid__RequestLeave rl = LEGALAID__REQUEST_LEAVE__INIT;
    Legalaid__DecideChange dc = LEGALAID__DECIDE_CHANGE__INIT;
    int status;
    if (!strcmp(sub, "generate")) {
        g.from = argv[0];
        g.to = argv[1];
        g.stations = argv + 2;
        g.n_stations = (size_t)(argc - 2);
        a.req.body_case = LEGALAID__REQUEST__BODY_GENERATE_SCHEDULE;
        a.req.generate_schedule = &g;
        status = ctl_roster_send(ctl, &a);
    } else if (!strcmp(sub, "publish")) {
        p.id = argv[0];
        p.officer = (char *)officer;
        a.req.body_case = LEGALAID__REQUEST__BODY_PUBLISH_SCHEDULE;
        a.req.publish_schedule = &p;
        status = ctl_roster_send(ctl, &a);
    } else if (!strcmp(sub, "show")) {
        status = ctl_roster_show(ctl, argv, argc, v[LAWYER - 1], &a, &ls);
    } else if (!strcmp(sub, "swap")) {
        sw.station = argv[0];
        if (ctl_roster_time(ctl, "START", argv[1], &sw.starts_at)) return CTL_EXIT_FAILURE;
        sw.has_starts_at = sw.has_role = 1;
        sw.role = argv[2][0] == 'A' ? LEGALAID__SHIFT_ROLE__PRIMARY : LEGALAID__SHIFT_ROLE__BACKUP;
        sw.from_lawyer = argv[3];
        sw.to_lawyer = argv[4];
        sw.reason = argv[5];
        rs.swap = &sw;
        a.req.body_case = LEGALAID__REQUEST__BODY_REQUEST_SWAP;
        a.req.request_swap = &rs;
        status = ctl_roster_send(ctl, &a);
    } else if (!strcmp(sub, "leave")) {
        lv.lawyer_id = argv[0];
        if (ctl_roster_time(ctl, "FROM", argv[1], &lv.starts_at) ||
            ctl_roster_time(ctl, "TO", argv[2], &lv.ends_at))
            return CTL_EXIT_FAILURE;
        lv.has_starts_at = lv.has_ends_at = 1;
        lv.reason = argv[3];
        rl.leave = &lv;
        a.req.body_case = LEGALAID__REQUEST__BODY_REQUEST_LEAVE;
        a.req.request_leave = &rl;
        status = ctl_roster_send(ctl, &a);
    } else {
        dc.id = argv[0];
        dc.has_approve = 1;
        dc.approve = !strcmp(sub, "approve");
        dc.officer = (char *)officer;
        a.req.body_case = LEGALAID__REQUEST__BODY_DECIDE_CHANGE;
        a.req.decide_change = &dc;
        status = ctl_roster_send(ctl, &a);
    }
    ctl_ask_free(&a, 1);
    return status;
}
