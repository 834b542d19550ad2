/*
 * ctl_intern.c - internship places at dispatch (issue 19), the
 * qualification office's year from the command line:
 *
 *   intern match --period P
 *       the draft: who would get which place and why, who is left and why,
 *       the places left open, and the command that publishes it
 *   intern publish --period P --draft FINGERPRINT
 *       the offers go out (refused when anything changed since the draft)
 *   intern answer --period P CERTIFICATE accept|decline [--reason T]
 *   intern confirm --period P CERTIFICATE
 *       the candidate's answer; the firm confirming the start
 *   intern status --period P [--state S] [CERTIFICATE] [--csv]
 *       the figures by county and by firm, the places; the candidates in a
 *       state, or one candidate; --csv: the figures as CSV (UTF-8 with a
 *       byte-order mark, for WPS and Excel), the office's own report
 *
 * Candidates and places come in with `import candidates|places FILE`
 * (ctl_import.c). Columns are for people (Chinese by default); --json
 * prints the reply's message as the API's stable English keys.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"

static const char *const ctl_intern_states[] = {
    NULL, "registered", "not-seeking", "offered", "accepted", "declined", "lapsed", "confirmed",
};
#define CTL_INTERN_N_STATES (sizeof ctl_intern_states / sizeof ctl_intern_states[0])

static const char *ctl_intern_state_words(Legalaid__InternState s)
{
    switch (s) {
    case LEGALAID__INTERN_STATE__INTERN_REGISTERED: return _("seeking a place");
    case LEGALAID__INTERN_STATE__INTERN_NOT_SEEKING: return _("not seeking");
    case LEGALAID__INTERN_STATE__INTERN_OFFERED: return _("offer open");
    case LEGALAID__INTERN_STATE__INTERN_ACCEPTED: return _("offer accepted");
    case LEGALAID__INTERN_STATE__INTERN_DECLINED: return _("offer declined");
    case LEGALAID__INTERN_STATE__INTERN_LAPSED: return _("lapsed");
    case LEGALAID__INTERN_STATE__INTERN_CONFIRMED: return _("confirmed");
    default: return "-";
    }
}

/* Why, in words: a row's reason with its wish rank. */
static const char *ctl_intern_why(Legalaid__InternReason r, uint32_t rank, char *buf, size_t size)
{
    switch (r) {
    case LEGALAID__INTERN_REASON__INTERN_WISH_FIRM:
        snprintf(buf, size, _("wish %u: named the firm"), rank);
        return buf;
    case LEGALAID__INTERN_REASON__INTERN_WISH_AREA:
        snprintf(buf, size, _("wish %u: the area of practice"), rank);
        return buf;
    case LEGALAID__INTERN_REASON__INTERN_WISH_ANY:
        snprintf(buf, size, _("wish %u: any place"), rank);
        return buf;
    case LEGALAID__INTERN_REASON__INTERN_NO_WISH_OPEN:
        return _("no wish names an open place of the period");
    case LEGALAID__INTERN_REASON__INTERN_OUTRANKED:
        return _("every place wished went to candidates it ranks higher");
    case LEGALAID__INTERN_REASON__INTERN_NOT_WISHED: return _("not wished by enough candidates");
    case LEGALAID__INTERN_REASON__INTERN_REOFFER:
        snprintf(buf, size, _("wish %u: offered again after a decline or lapse"), rank);
        return buf;
    case LEGALAID__INTERN_REASON__INTERN_SUPERVISOR_UNFIT:
        return _("its supervisor may not supervise now (left the pool or no longer qualifies)");
    default: return "";
    }
}

static const int ctl_intern_row_widths[] = {18, 10, 12, 11, 26};

static void ctl_intern_match_rows(const Legalaid__InternMatchResult *res, int placed)
{
    const char *head[] = {_("certificate"), _("name"), _("county"), _("place"), _("firm"), _("why")};
    for (int i = 0; i < 5; i++) ctl_fmt_cell(head[i], ctl_intern_row_widths[i]);
    printf("%s\n", head[5]);
    for (size_t i = 0; i < res->n_rows; i++) {
        const Legalaid__InternMatchRow *r = res->rows[i];
        if ((r->place_id != NULL) != placed) continue;
        char why[160];
        const char *cells[] = {ctl_fmt_str(r->certificate), ctl_fmt_str(r->name),
                               ctl_fmt_str(r->county), r->place_id ? r->place_id : "-",
                               r->firm ? r->firm : "-"};
        for (int c = 0; c < 5; c++) ctl_fmt_cell(cells[c], ctl_intern_row_widths[c]);
        printf("%s\n", ctl_intern_why(r->reason, r->wish_rank, why, sizeof why));
    }
}

static void ctl_intern_places(Legalaid__InternPlaceRow *const *rows, size_t n, int open_only)
{
    const char *head[] = {_("place"), _("firm"), _("county"), _("filled"), _("started"),
                          _("supervisor")};
    static const int w[] = {11, 26, 12, 8, 8};
    for (int i = 0; i < 5; i++) ctl_fmt_cell(head[i], w[i]);
    printf("%s\n", head[5]);
    for (size_t i = 0; i < n; i++) {
        const Legalaid__InternPlaceRow *p = rows[i];
        if (open_only && p->filled >= p->count) continue;
        char filled[24], started[16], why[200];
        snprintf(filled, sizeof filled, "%u/%u", p->filled, p->count);
        snprintf(started, sizeof started, "%u", p->confirmed);
        const char *cells[] = {ctl_fmt_str(p->place_id), ctl_fmt_str(p->firm),
                               ctl_fmt_str(p->county), filled, started};
        for (int c = 0; c < 5; c++) ctl_fmt_cell(cells[c], w[c]);
        printf("%s (%s)", p->supervisor_name ? p->supervisor_name : "-",
               ctl_fmt_str(p->supervisor_id));
        if (p->has_reason && p->reason)
            printf("  %s", ctl_intern_why(p->reason, 0, why, sizeof why));
        printf("\n");
    }
}

static void ctl_intern_print_match(const Legalaid__InternMatchResult *res, int publishing)
{
    size_t placed = 0, open = 0;
    for (size_t i = 0; i < res->n_rows; i++)
        if (res->rows[i]->place_id) placed++;
    for (size_t q = 0; q < res->n_places; q++)
        if (res->places[q]->filled < res->places[q]->count)
            open += res->places[q]->count - res->places[q]->filled;
    if (publishing)
        printf(_("period %s published: %u offers made (draft %s)\n"), ctl_fmt_str(res->period),
               res->offers, ctl_fmt_str(res->fingerprint));
    else
        printf(_("period %s draft %s: %zu of %zu candidates seeking would get a place; %zu places "
                 "would stay open\n"),
               ctl_fmt_str(res->period), ctl_fmt_str(res->fingerprint), placed, res->n_rows, open);
    printf("\n");
    ctl_intern_match_rows(res, 1);
    if (placed < res->n_rows) {
        printf(_("\nleft without a place: %zu\n"), res->n_rows - placed);
        ctl_intern_match_rows(res, 0);
    }
    if (open) {
        printf(_("\nplaces left open: %zu\n"), open);
        ctl_intern_places(res->places, res->n_places, 1);
    }
    if (!publishing)
        printf(_("\nreview it, then publish: legalaidctl intern publish --period %s --draft %s\n"),
               ctl_fmt_str(res->period), ctl_fmt_str(res->fingerprint));
}

static int ctl_intern_match(ctl_t *ctl, const char *period, const char *draft, int publish)
{
    Legalaid__InternMatch m = LEGALAID__INTERN_MATCH__INIT;
    m.period = (char *)period;
    m.publish = (protobuf_c_boolean)publish;
    m.has_publish = 1;
    m.draft = (char *)draft;
    ctl_ask_t a;
    ctl_ask_body(&a, CTL_DISPATCH, LEGALAID__REQUEST__BODY_INTERN_MATCH, &m.base);
    int status = ctl_ask_one(ctl, &a);
    const Legalaid__Reply *r = ctl_ask_reply(&a, LEGALAID__REPLY__BODY_INTERN_MATCH);
    if (status == CTL_EXIT_OK && r) {
        if (ctl->json)
            ctl_json_print(ctl_json_from_message(&r->intern_match->base, 0));
        else
            ctl_intern_print_match(r->intern_match, publish);
    }
    ctl_ask_free(&a, 1);
    return status;
}

static void ctl_intern_standing(const ctl_t *ctl, const Legalaid__InternStanding *s)
{
    const Legalaid__InternCandidate *c = s->candidate;
    char t[CTL_TIME_MAX], why[160];
    ctl_fmt_cell(ctl_fmt_str(c->certificate), 18);
    ctl_fmt_cell(ctl_fmt_str(c->name), 10);
    ctl_fmt_cell(ctl_fmt_str(c->county), 12);
    ctl_fmt_cell(ctl_intern_state_words(s->state), 10);
    ctl_fmt_cell(s->place_id ? s->place_id : "-", 11);
    ctl_fmt_cell(s->firm ? s->firm : "-", 26);
    if (s->state == LEGALAID__INTERN_STATE__INTERN_OFFERED && s->has_reply_by)
        printf(_("answer by %s; "), ctl_fmt_deadline(ctl, s->reply_by, t));
    if (s->has_reason && s->reason)
        printf("%s", ctl_intern_why(s->reason, s->wish_rank, why, sizeof why));
    if (s->decline_reason) printf(" (%s)", s->decline_reason);
    printf("\n");
}

static void ctl_intern_figures(const char *title, Legalaid__InternFigure *const *rows, size_t n,
                               const Legalaid__InternFigure *total, int firms)
{
    const char *head[] = {title,         firms ? _("places") : _("seeking"),
                          _("offer open"),  _("offer accepted"),
                          _("confirmed"), firms ? "" : _("looking")};
    ctl_fmt_cell(head[0], 26);
    for (int i = 1; i < 6; i++) ctl_fmt_rpad(head[i], 10);
    printf("\n");
    for (size_t i = 0; i <= n; i++) {
        const Legalaid__InternFigure *f = i < n ? rows[i] : total;
        if (!f) continue;
        ctl_fmt_cell(i < n ? ctl_fmt_str(f->group) : _("total"), 26);
        printf("%10u%10u%10u%10u", firms ? f->places : f->registered, f->offered, f->accepted,
               f->confirmed);
        if (!firms) printf("%10u", f->looking);
        printf("\n");
    }
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void ctl_intern_csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"') putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void ctl_intern_csv(const Legalaid__InternStatus *st)
{
    const char *head[] = {_("by"),        _("group"),     _("seeking"), _("offer open"),
                          _("offer accepted"),  _("confirmed"), _("looking"), _("places")};
    fputs("\xef\xbb\xbf", stdout);
    for (int i = 0; i < 8; i++) {
        if (i) putchar(',');
        ctl_intern_csv_field(head[i]);
    }
    printf("\r\n");
    for (int part = 0; part < 3; part++) {
        Legalaid__InternFigure *const *rows = part == 0 ? st->by_county : st->by_firm;
        size_t n = part == 0 ? st->n_by_county : part == 1 ? st->n_by_firm : (st->total ? 1 : 0);
        for (size_t i = 0; i < n; i++) {
            const Legalaid__InternFigure *f = part == 2 ? st->total : rows[i];
            ctl_intern_csv_field(part == 0 ? _("county") : part == 1 ? _("firm") : _("total"));
            putchar(',');
            ctl_intern_csv_field(part == 2 ? "" : ctl_fmt_str(f->group));
            if (part == 1)
                printf(",,%u,%u,%u,,%u\r\n", f->offered, f->accepted, f->confirmed, f->places);
            else
                printf(",%u,%u,%u,%u,%u,%u\r\n", f->registered, f->offered, f->accepted,
                       f->confirmed, f->looking, part == 2 ? f->places : 0);
        }
    }
}

static int ctl_intern_status(ctl_t *ctl, const char *period, const char *state, const char *cert,
                             int csv)
{
    Legalaid__InternQuery q = LEGALAID__INTERN_QUERY__INIT;
    q.period = (char *)period;
    q.certificate = (char *)cert;
    if (state) {
        size_t s = 1;
        while (s < CTL_INTERN_N_STATES && strcmp(ctl_intern_states[s], state) != 0) s++;
        if (s == CTL_INTERN_N_STATES)
            return ctl_help_usage_error("intern",
                                        _("--state '%s' is not registered, not-seeking, offered, "
                                          "accepted, declined, lapsed or confirmed"),
                                        state);
        q.state = (Legalaid__InternState)s;
        q.has_state = 1;
    }
    ctl_ask_t a;
    ctl_ask_body(&a, CTL_DISPATCH, LEGALAID__REQUEST__BODY_INTERN_QUERY, &q.base);
    a.req.unmask = ctl->unmask;
    int status = ctl_ask_one(ctl, &a);
    const Legalaid__Reply *r = ctl_ask_reply(&a, LEGALAID__REPLY__BODY_INTERN_STATUS);
    if (status == CTL_EXIT_OK && r) {
        const Legalaid__InternStatus *st = r->intern_status;
        if (ctl->json) {
            ctl_json_print(ctl_json_from_message(&st->base, 1));
        } else if (csv) {
            ctl_intern_csv(st);
        } else if (cert || state) {
            for (size_t i = 0; i < st->n_standings; i++) ctl_intern_standing(ctl, st->standings[i]);
            if (st->n_standings == 0) printf("%s", _("(no candidate in that state)\n"));
        } else {
            printf(_("period %s (%s)\n\n"), ctl_fmt_str(st->period),
                   st->published ? _("published") : _("not published yet"));
            ctl_intern_figures(_("county"), st->by_county, st->n_by_county, st->total, 0);
            printf("\n");
            ctl_intern_figures(_("firm"), st->by_firm, st->n_by_firm, st->total, 1);
            printf("\n");
            ctl_intern_places(st->places, st->n_places, 0);
        }
    }
    ctl_ask_free(&a, 1);
    return status;
}

static int ctl_intern_answer(ctl_t *ctl, const char *period, const char *cert,
                             Legalaid__InternAnswerKind kind, const char *reason)
{
    Legalaid__InternAnswer in = LEGALAID__INTERN_ANSWER__INIT;
    in.period = (char *)period;
    in.certificate = (char *)cert;
    in.answer = kind;
    in.has_answer = 1;
    in.reason = (char *)reason;
    ctl_ask_t a;
    ctl_ask_body(&a, CTL_DISPATCH, LEGALAID__REQUEST__BODY_INTERN_ANSWER, &in.base);
    a.req.unmask = ctl->unmask;
    int status = ctl_ask_one(ctl, &a);
    const Legalaid__Reply *r = ctl_ask_reply(&a, LEGALAID__REPLY__BODY_INTERN_STATUS);
    if (status == CTL_EXIT_OK && r) {
        if (ctl->json)
            ctl_json_print(ctl_json_from_message(&r->intern_status->base, 1));
        else
            for (size_t i = 0; i < r->intern_status->n_standings; i++)
                ctl_intern_standing(ctl, r->intern_status->standings[i]);
    }
    ctl_ask_free(&a, 1);
    return status;
}

int ctl_intern_run(ctl_t *ctl, int argc, char **argv)
{
    enum { PERIOD = 1, DRAFT, STATE, REASON, CSV };
    static const struct option opts[] = {{"period", required_argument, NULL, PERIOD},
                                         {"draft", required_argument, NULL, DRAFT},
                                         {"state", required_argument, NULL, STATE},
                                         {"reason", required_argument, NULL, REASON},
                                         {"csv", no_argument, NULL, CSV},
                                         {NULL, 0, NULL, 0}};
    const char *v[CSV] = {NULL};
    int first = ctl_args_parse("intern", argc, argv, opts, v, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    int n = argc - first;
    if (n < 1) return ctl_help_usage_error("intern", _("give match, publish, answer, confirm or status"));
    const char *period = v[PERIOD - 1];
    if (!period) return ctl_help_usage_error("intern", _("give --period (the year, like 2026)"));
    const char *sub = w[0];
    int match = strcmp(sub, "match") == 0, publish = strcmp(sub, "publish") == 0;
    int answer = strcmp(sub, "answer") == 0, confirm = strcmp(sub, "confirm") == 0;
    int status = strcmp(sub, "status") == 0;
    if (!match && !publish && !answer && !confirm && !status)
        return ctl_help_usage_error("intern",
                                    _("'%s' is not match, publish, answer, confirm or status"), sub);
    if (v[DRAFT - 1] && !publish)
        return ctl_help_usage_error("intern", _("--draft is for intern publish"));
    if (v[STATE - 1] && !status)
        return ctl_help_usage_error("intern", _("--state is for intern status"));
    if (v[REASON - 1] && !answer)
        return ctl_help_usage_error("intern", _("--reason is for intern answer"));
    if (v[CSV - 1] && (!status || v[STATE - 1] || n > 1))
        return ctl_help_usage_error("intern", _("--csv is for the figures of intern status"));
    if (match || publish) {
        if (n != 1) return ctl_help_usage_error("intern", _("%s takes no words, only options"), sub);
        if (publish && !v[DRAFT - 1])
            return ctl_help_usage_error("intern",
                                        _("publish: give --draft, the fingerprint intern match "
                                          "printed for the draft you reviewed"));
        return ctl_intern_match(ctl, period, v[DRAFT - 1], publish);
    }
    if (status) {
        if (n > 2) return ctl_help_usage_error("intern", _("status takes one CERTIFICATE at most"));
        return ctl_intern_status(ctl, period, v[STATE - 1], n == 2 ? w[1] : NULL, v[CSV - 1] != NULL);
    }
    if (confirm) {
        if (n != 2) return ctl_help_usage_error("intern", _("confirm: give the CERTIFICATE"));
        return ctl_intern_answer(ctl, period, w[1], LEGALAID__INTERN_ANSWER_KIND__INTERN_CONFIRM,
                                 NULL);
    }
    if (n != 3 || (strcmp(w[2], "accept") != 0 && strcmp(w[2], "decline") != 0))
        return ctl_help_usage_error("intern", _("answer: give the CERTIFICATE and accept or decline"));
    return ctl_intern_answer(ctl, period, w[1],
                             strcmp(w[2], "accept") == 0 ? LEGALAID__INTERN_ANSWER_KIND__INTERN_ACCEPT
                                                         : LEGALAID__INTERN_ANSWER_KIND__INTERN_DECLINE,
                             v[REASON - 1]);
}
