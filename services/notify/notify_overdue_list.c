/*
 * notify_overdue_list.c - OverdueQuery (legalaidctl overdue; issue 14,
 * item 6): one page of the overdue list of notify_overdue.c, each item
 * with its case, kind, owner, what is owed, its legal basis, the deadline
 * and how late, in due order (the longest overdue first), with the total
 * and the counters "overdue.<kind>" they equal. Paged with limit and
 * after; the reply names the next page, so nothing is capped silently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ageq.h"
#include "notify_int.h"
#include "store.h"

#define OVERDUE_LIMIT_DEFAULT 200
#define OVERDUE_LIMIT_MAX 1000

/* --- OverdueQuery ------------------------------------------------------------ */

typedef struct overdue_page {
    turn_t *t;
    const char *kind; /* NULL: every kind */
    size_t limit;
    Legalaid__OverdueList *l;
    char last[AGEQ_ID_MAX + 1];
    int64_t last_at;
    int more;
} overdue_page_t;

/* The kind of a key: its part before any ':' ("other" when none). */
static size_t notify_overdue_list_kind(const char *key, const char **kind)
{
    size_t n = strcspn(key, ":");
    *kind = n ? key : "other";
    return n ? n : 5;
}

static int notify_overdue_list_visit(const char *idc, size_t n, int64_t at, void *ctx)
{
    overdue_page_t *p = ctx;
    char *case_id = arena_alloc(p->t->arena, n + 1);
    const char *key;
    if (!notify_overdue_split(idc, n, case_id, &key)) return 0;
    const char *kind;
    size_t nk = notify_overdue_list_kind(key, &kind);
    if (p->kind && (strlen(p->kind) != nk || strncmp(p->kind, kind, nk) != 0)) return 0;
    if (p->l->n_items == p->limit) {
        p->more = 1;
        return 1;
    }
    Legalaid__DeadlineTimer *tm;
    int rc = notify_timer_get(p->t, case_id, key, &tm);
    if (rc) return rc < 0 ? rc : -rc;
    Legalaid__OverdueItem *it =
        ARENA_NEW(p->t->arena, Legalaid__OverdueItem, legalaid__overdue_item__init);
    /* A caseless deadline is named by what follows its kind (the request). */
    it->case_id = case_id[0] ? case_id : (char *)(key[nk] == ':' ? key + nk + 1 : "");
    char *kind_copy = arena_alloc(p->t->arena, nk + 1);
    memcpy(kind_copy, kind, nk);
    kind_copy[nk] = 0;
    it->kind = kind_copy;
    it->key = (char *)key;
    it->due_at = at;
    it->late_ms = p->t->now - at;
    it->has_due_at = it->has_late_ms = 1;
    if (tm && tm->deadline) {
        it->owner = tm->deadline->owner;
        it->has_owner = tm->deadline->has_owner;
        it->owner_id = tm->deadline->owner_id;
        it->what = tm->deadline->what;
        it->article = tm->deadline->article;
    }
    p->l->items[p->l->n_items++] = it;
    memcpy(p->last, idc, n);
    p->last[n] = 0;
    p->last_at = at;
    return 0;
}

/* after: "<due_at ms>.<hex of the member id>", the next_after of a page. */
static int notify_overdue_list_after(const char *after, int64_t *at, char id[AGEQ_ID_MAX + 1])
{
    char *end;
    long long ms = strtoll(after, &end, 10);
    if (end == after || *end != '.') return -1;
    const char *hex = end + 1;
    size_t nh = strlen(hex);
    if (nh == 0 || nh % 2 || nh / 2 > AGEQ_ID_MAX) return -1;
    for (size_t i = 0; i < nh / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) return -1;
        id[i] = (char)v;
    }
    id[nh / 2] = 0;
    *at = ms;
    return 0;
}

static char *notify_overdue_list_token(arena_t *a, int64_t at, const char *id)
{
    size_t n = strlen(id);
    char *s = arena_alloc(a, 24 + 2 * n + 1);
    int off = snprintf(s, 24, "%lld.", (long long)at);
    for (size_t i = 0; i < n; i++)
        snprintf(s + off + 2 * i, 3, "%02x", (unsigned char)id[i]);
    return s;
}

/* The counters "overdue.<kind>" into l->by_kind; *all the one of kind (or
 * "overdue" when kind is NULL). */
static int notify_overdue_list_counts(turn_t *t, const char *kind, Legalaid__OverdueList *l,
                                 uint64_t *all)
{
    Legalaid__StreamStatus st = LEGALAID__STREAM_STATUS__INIT;
    int rc = notify_timer_overdue(t, &st);
    if (!rc) rc = store_get_u64(t->txn, daemon_meta(t->d), "overdue", all);
    if (rc) return rc;
    if (kind) *all = 0;
    l->by_kind = arena_alloc(t->arena, (st.n_counters + 1) * sizeof *l->by_kind);
    for (size_t i = 0; i < st.n_counters; i++) {
        Legalaid__OverdueKind *k =
            ARENA_NEW(t->arena, Legalaid__OverdueKind, legalaid__overdue_kind__init);
        k->kind = st.counters[i]->name + 8; /* past "overdue." */
        k->count = st.counters[i]->value;
        k->has_count = 1;
        l->by_kind[l->n_by_kind++] = k;
        if (kind && strcmp(kind, k->kind) == 0) *all = k->count;
    }
    return 0;
}

int notify_overdue_list_query(turn_t *t, const Legalaid__OverdueQuery *q, Legalaid__Reply *reply)
{
    if (q->limit > OVERDUE_LIMIT_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "overdue.limit",
                  "overdue.limit is at most %d (page with overdue.after)", OVERDUE_LIMIT_MAX);
        return 0;
    }
    overdue_page_t p = {.t = t, .limit = q->limit ? q->limit : OVERDUE_LIMIT_DEFAULT};
    p.kind = q->kind && q->kind[0] ? q->kind : NULL;
    char after_id[AGEQ_ID_MAX + 1];
    int64_t after_at = 0;
    if (q->after && q->after[0] && notify_overdue_list_after(q->after, &after_at, after_id) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "overdue.after",
                  "overdue.after is not the next_after of an earlier page");
        return 0;
    }
    Legalaid__OverdueList *l = ARENA_NEW(t->arena, Legalaid__OverdueList, legalaid__overdue_list__init);
    p.l = l;
    l->items = arena_alloc(t->arena, p.limit * sizeof *l->items);
    uint64_t total = 0;
    int rc = notify_overdue_list_counts(t, p.kind, l, &total);
    if (rc) return rc;
    rc = notify_overdue_each(t, after_at, q->after && q->after[0] ? after_id : NULL,
                             notify_overdue_list_visit, &p);
    if (rc < 0) return rc;
    l->total = total;
    l->has_total = 1;
    l->now = t->now;
    l->has_now = 1;
    if (p.more) l->next_after = notify_overdue_list_token(t->arena, p.last_at, p.last);
    reply->body_case = LEGALAID__REPLY__BODY_OVERDUE;
    reply->overdue = l;
    return 0;
}
