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
 * Text for people is Chinese; the JSON keys and the kind codes (decision,
 * materials, assignment, agreement, closing_file, file_review, objection,
 * verification, answer ...) are stable English.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define CTL_OVERDUE_PAGE 500
#define CTL_OVERDUE_PAGES_MAX 10000

/* The kind of a deadline for people, with its legal basis's shorthand. */
static const char *ctl_overdue_kind_zh(const char *kind)
{
    static const char *const names[][2] = {
        {"decision", "审查决定（第43条，7日）"},
        {"materials", "补充材料（第43条第2款）"},
        {"assignment", "指派律师（第36、43条，3日）"},
        {"agreement", "签订委托协议（程序规定第27条，5日）"},
        {"closing_file", "提交结案材料（30日）"},
        {"file_review", "案卷审查"},
        {"objection", "异议审查（第49条，5日）"},
        {"verification", "承诺核查（第41条）"},
        {"answer", "值班请求答复（24小时）"},
        {"checkin", "值班签到"},
        {"own_counsel", "自行委托辩护人（5日）"},
        {"hearing", "出庭"},
    };
    for (size_t i = 0; kind && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(kind, names[i][0]) == 0) return names[i][1];
    return kind ? kind : "-";
}

static const char *ctl_overdue_owner_zh(Legalaid__Party p)
{
    switch (p) {
    case LEGALAID__PARTY__APPLICANT:
        return "申请人";
    case LEGALAID__PARTY__LAWYER:
        return "律师";
    case LEGALAID__PARTY__AUTHORITY:
        return "办案机关";
    case LEGALAID__PARTY__STAFF:
        return "中心工作人员";
    case LEGALAID__PARTY__STATION:
        return "工作站";
    default:
        return "-";
    }
}

/* How late, for people: 天 / 小时 / 分钟. */
static void ctl_overdue_late(int64_t ms, char *buf, size_t size)
{
    if (ms >= 86400000LL)
        snprintf(buf, size, "%lld天%lld小时", (long long)(ms / 86400000LL),
                 (long long)(ms % 86400000LL / 3600000LL));
    else if (ms >= 3600000LL)
        snprintf(buf, size, "%lld小时%lld分钟", (long long)(ms / 3600000LL),
                 (long long)(ms % 3600000LL / 60000LL));
    else
        snprintf(buf, size, "%lld分钟", (long long)(ms / 60000LL));
}

static void ctl_overdue_print(const ctl_t *ctl, const Legalaid__OverdueList *head,
                              Legalaid__OverdueItem **items, size_t n, const char *next)
{
    printf("逾期未办期限：共 %llu 项", (unsigned long long)head->total);
    for (size_t i = 0; i < head->n_by_kind; i++)
        if (head->by_kind[i]->count)
            printf("%s%s %llu", i ? "，" : "（", ctl_fmt_str(head->by_kind[i]->kind),
                   (unsigned long long)head->by_kind[i]->count);
    printf("%s\n", head->n_by_kind ? "）" : "");
    if (n)
        printf("%-14s %-22s %-20s %-20s %s\n", "kind", "case", "owner", "due", "late");
    for (size_t i = 0; i < n; i++) {
        const Legalaid__OverdueItem *it = items[i];
        char due[CTL_TIME_MAX], late[64], owner[160];
        ctl_overdue_late(it->late_ms, late, sizeof late);
        snprintf(owner, sizeof owner, "%s%s%s", ctl_overdue_owner_zh(it->owner),
                 it->owner_id && it->owner_id[0] ? " " : "", it->owner_id ? it->owner_id : "");
        printf("%-14s %-22s %-20s %-20s 逾期 %s\n", ctl_fmt_str(it->kind),
               it->case_id && it->case_id[0] ? it->case_id : "-", owner,
               ctl_fmt_time(ctl, it->due_at, due), late);
        int cited = it->article && it->article[0];
        printf("  %s：%s%s%s%s\n", ctl_overdue_kind_zh(it->kind), ctl_fmt_str(it->what),
               cited ? "（依据：" : "", cited ? it->article : "", cited ? "）" : "");
    }
    if (next) printf("还有更多：legalaidctl overdue --limit %zu --after %s\n", n, next);
}

static void ctl_overdue_usage(void)
{
    fprintf(stderr, "usage: legalaidctl [--json] overdue [--kind KIND] [--limit N (1-1000) "
                    "[--after TOKEN]]\n");
}

int ctl_overdue_run(ctl_t *ctl, int argc, char **argv)
{
    const char *kind = NULL, *limit = NULL, *after = NULL;
    argc = ctl_option_take(argc, argv, "--kind", &kind);
    if (argc > 0) argc = ctl_option_take(argc, argv, "--limit", &limit);
    if (argc > 0) argc = ctl_option_take(argc, argv, "--after", &after);
    char *end = NULL;
    long n = limit ? strtol(limit, &end, 10) : 0;
    if (argc != 1 || (limit && (*end || n < 1 || n > 1000)) || (after && !limit)) {
        ctl_overdue_usage();
        return CTL_EXIT_FAILURE;
    }
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
