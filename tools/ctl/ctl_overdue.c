/*
 * ctl_overdue.c - `legalaidctl overdue`: every deadline now passed and not
 * met, across the daemons (issue 14, item 6), as notify's timers hold them
 * (services/notify/notify_overdue.c): the case, who must act, the deadline
 * and how late, the longest overdue first, under a line stating the total
 * and the count of each kind (the counters "overdue.<kind>" of `queues`).
 *
 *   overdue [--kind KIND]                  every page, all of them
 *   overdue --limit N [--after TOKEN]      one page; the next's token is
 *                                          printed when there are more
 *
 * Text for people is in their language (po/zh_CN/ctl-show.po); the JSON
 * keys and the kind codes (decision, materials, assignment, agreement,
 * closing_file, file_review, objection, verification, answer ...) are
 * stable English.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"
#include "regulation.h"

#define CTL_OVERDUE_PAGE 500
#define CTL_OVERDUE_PAGES_MAX 10000

/* The kind of a deadline for people, with its legal basis's shorthand. */
static const char *ctl_overdue_kind_label(const char *kind)
{
    static const char *const names[][2] = {
        {"decision", N_("decision (art. 43, 7 days)")},
        {"materials", N_("materials (art. 43(2))")},
        {"assignment", N_("assignment (art. 36, 43, 3 days)")},
        {"agreement", N_("agreement signed (S6 art. 27, 5 days)")},
        {"closing_file", N_("closing file (30 days)")},
        {"file_review", N_("file review")},
        {"objection", N_("objection decided (art. 49, 5 days)")},
        {"verification", N_("commitment checked (art. 41)")},
        {"answer", N_("duty request answered (24 hours)")},
        {"checkin", N_("duty check-in")},
        {"own_counsel", N_("own counsel retained (5 days)")},
        {"hearing", N_("hearing")},
    };
    for (size_t i = 0; kind && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(kind, names[i][0]) == 0) return _(names[i][1]);
    return kind ? kind : "-";
}

static const char *ctl_overdue_owner_label(Legalaid__Party p)
{
    switch (p) {
    case LEGALAID__PARTY__APPLICANT:
        return _("applicant");
    case LEGALAID__PARTY__LAWYER:
        return _("lawyer");
    case LEGALAID__PARTY__AUTHORITY:
        return _("authority");
    case LEGALAID__PARTY__STAFF:
        return _("centre staff");
    case LEGALAID__PARTY__STATION:
        return _("station");
    case LEGALAID__PARTY__CANDIDATE:
        return _("internship candidate");
    case LEGALAID__PARTY__FIRM:
        return _("law firm");
    default:
        return "-";
    }
}

/* How late, for people: days and hours, hours and minutes, or minutes. */
static void ctl_overdue_late(int64_t ms, char *buf, size_t size)
{
    if (ms >= 86400000LL)
        snprintf(buf, size, _("%lldd%lldh"), (long long)(ms / 86400000LL),
                 (long long)(ms % 86400000LL / 3600000LL));
    else if (ms >= 3600000LL)
        snprintf(buf, size, _("%lldh%lldm"), (long long)(ms / 3600000LL),
                 (long long)(ms % 3600000LL / 60000LL));
    else
        snprintf(buf, size, _("%lldm"), (long long)(ms / 60000LL));
}

static const char *const ctl_overdue_titles[] = {N_("kind"), N_("case"), N_("owner"), N_("due")};
static const int ctl_overdue_cols[] = {14, 22, 20, 20};

static void ctl_overdue_print(const ctl_t *ctl, const Legalaid__OverdueList *head,
                              Legalaid__OverdueItem **items, size_t n, const char *next)
{
    printf(_("overdue deadlines: %llu in all"), (unsigned long long)head->total);
    int any = 0;
    for (size_t i = 0; i < head->n_by_kind; i++)
        if (head->by_kind[i]->count)
            printf("%s%s %llu", any++ ? _(", ") : _(" ("), ctl_fmt_str(head->by_kind[i]->kind),
                   (unsigned long long)head->by_kind[i]->count);
    printf("%s\n", any ? _(")") : "");
    if (n) {
        for (int c = 0; c < 4; c++) ctl_fmt_cell(_(ctl_overdue_titles[c]), ctl_overdue_cols[c] + 1);
        printf("%s\n", _("late"));
    }
    for (size_t i = 0; i < n; i++) {
        const Legalaid__OverdueItem *it = items[i];
        char due[CTL_TIME_MAX], late[64], owner[160];
        ctl_overdue_late(it->late_ms, late, sizeof late);
        snprintf(owner, sizeof owner, "%s%s%s", ctl_overdue_owner_label(it->owner),
                 it->owner_id && it->owner_id[0] ? " " : "", it->owner_id ? it->owner_id : "");
        const char *cells[] = {ctl_fmt_str(it->kind),
                               it->case_id && it->case_id[0] ? it->case_id : "-", owner,
                               ctl_fmt_time(ctl, it->due_at, due)};
        for (int c = 0; c < 4; c++) ctl_fmt_cell(cells[c], ctl_overdue_cols[c] + 1);
        printf(_("late %s\n"), late);
        int cited = it->article && it->article[0];
        printf("  %s%s%s", ctl_overdue_kind_label(it->kind), _(": "), ctl_fmt_str(it->what));
        if (cited) printf(_(" (basis: %s)"), regulation_render(it->article));
        printf("\n");
    }
    if (next) printf(_("more remain: legalaidctl overdue --limit %zu --after %s\n"), n, next);
}

int ctl_overdue_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"kind", required_argument, NULL, 1},
        {"limit", required_argument, NULL, 2},
        {"after", required_argument, NULL, 3},
        {NULL, 0, NULL, 0},
    };
    const char *v[3] = {0};
    int first = ctl_args_parse("overdue", argc, argv, longopts, v, CTL_ARGS_IN_ORDER);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (first < argc)
        return ctl_help_usage_error("overdue", _("'%s': overdue takes options only"), argv[first]);
    const char *kind = v[0], *limit = v[1], *after = v[2];
    char *end = NULL;
    long n = limit ? strtol(limit, &end, 10) : 0;
    if (limit && (*end || n < 1 || n > 1000))
        return ctl_help_usage_error("overdue", _("--limit %s: give a number from 1 to 1000"),
                                    limit);
    if (after && !limit)
        return ctl_help_usage_error("overdue", "%s", _("--after goes with --limit"));
    /* One page when --limit is given, else every page in turn. */
    size_t cap = 0, count = 0, pages = 0;
    Legalaid__OverdueItem **items = NULL;
    ctl_ask_t *asks = NULL;
    const Legalaid__OverdueList *head = NULL;
    const char *next = after;
    int status = CTL_EXIT_OK;
    do {
        asks = realloc(asks, (pages + 1) * sizeof *asks);
        if (!asks) abort();
        ctl_ask_t *a = &asks[pages++];
        Legalaid__OverdueQuery q = LEGALAID__OVERDUE_QUERY__INIT;
        q.kind = (char *)kind;
        q.after = (char *)next;
        q.limit = (uint32_t)(limit ? n : CTL_OVERDUE_PAGE);
        q.has_limit = 1;
        ctl_ask_init(a, CTL_NOTIFY);
        a->req.body_case = LEGALAID__REQUEST__BODY_OVERDUE;
        a->req.overdue = &q;
        status = ctl_ask_one(ctl, a);
        a->req.overdue = NULL;
        if (status != CTL_EXIT_OK) break;
        const Legalaid__Reply *r = ctl_ask_reply(a, LEGALAID__REPLY__BODY_OVERDUE);
        if (!r) {
            status = CTL_EXIT_FAILURE;
            break;
        }
        if (!head) head = r->overdue;
        if (count + r->overdue->n_items > cap) {
            cap = (count + r->overdue->n_items) * 2;
            items = realloc(items, cap * sizeof *items);
            if (!items) abort();
        }
        if (r->overdue->n_items)
            memcpy(items + count, r->overdue->items, r->overdue->n_items * sizeof *items);
        count += r->overdue->n_items;
        next = r->overdue->next_after && r->overdue->next_after[0] ? r->overdue->next_after : NULL;
    } while (next && !limit && pages < CTL_OVERDUE_PAGES_MAX);
    if (status == CTL_EXIT_OK && head) {
        if (ctl->json) {
            Legalaid__OverdueList all = *head;
            all.items = items;
            all.n_items = count;
            all.next_after = (char *)next;
            json_t *j = ctl_json_from_message(&all.base, 1);
            json_object_set_new(j, "total", json_integer((json_int_t)head->total));
            json_object_set_new(j, "complete", json_boolean(!next));
            ctl_json_print(j);
        } else {
            ctl_overdue_print(ctl, head, items, count, next);
        }
    }
    ctl_ask_free(asks, pages);
    free(asks);
    free(items);
    return status;
}
