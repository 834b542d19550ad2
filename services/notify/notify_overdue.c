/*
 * notify_overdue.c - every deadline now passed and not met, across the
 * daemons (issue 14, item 6; legalaidctl overdue): the timers of
 * notify_timer.c in their OVERDUE stage, as data.
 *
 * The age queue "overdue" (common/ageq.h, in notify's "ages" tables) holds
 * each overdue timer from its due_at, written by notify_timer.c in the same
 * transaction as the meta counters "overdue" and "overdue.<kind>" it moves
 * with (notify_overdue_mark). So the list, its ages ("queues": how late)
 * and the counters are one set, and reading them walks only the overdue,
 * never the timers or history. Member ids are case_id US key (US: 0x1f,
 * which neither holds), caseless deadlines (duty requests, check-ins) with
 * an empty case.
 *
 * A store from before the queue is filled once at open from the timers,
 * and the counters are set from what was found (they then agree).
 *
 * OverdueQuery pages the list (limit, after) in due order, the latest
 * first; the reply states the total and the next page's token, so nothing
 * is capped silently.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ageq.h"
#include "log.h"
#include "notify_int.h"
#include "store.h"

#define OVERDUE_QUEUE "overdue"
#define OVERDUE_SEP '\x1f'
#define OVERDUE_LIMIT_DEFAULT 200
#define OVERDUE_LIMIT_MAX 1000

static ageq_t notify_overdue_q;
static const char *const notify_overdue_queues[] = {OVERDUE_QUEUE, NULL};

/* case_id US key into out (AGEQ_ID_MAX + 1); 0 when too long. */
static size_t notify_overdue_id(const char *case_id, const char *key, char *out)
{
    int n = snprintf(out, AGEQ_ID_MAX + 1, "%s%c%s", case_id ? case_id : "", OVERDUE_SEP,
                     key ? key : "");
    return n > 0 && n <= AGEQ_ID_MAX ? (size_t)n : 0;
}

int notify_overdue_mark(turn_t *t, const Legalaid__DeadlineTimer *tm, int overdue)
{
    char id[AGEQ_ID_MAX + 1];
    const char *key = tm->deadline ? tm->deadline->key : NULL;
    if (!notify_overdue_id(tm->case_id, key, id)) return 0;
    return ageq_set(t->txn, &notify_overdue_q, id, overdue ? OVERDUE_QUEUE : NULL,
                    tm->deadline ? tm->deadline->due_at : t->now);
}

/* --- open: a store from before the queue ---------------------------------- */

typedef struct overdue_fill {
    MDB_dbi meta;
    uint64_t total;
} overdue_fill_t;

static int notify_overdue_fill_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    overdue_fill_t *f = ctx;
    const Legalaid__DeadlineTimer *tm = (const Legalaid__DeadlineTimer *)m;
    if (tm->stage != NOTIFY_TIMER_OVERDUE || !tm->deadline) return 0;
    char id[AGEQ_ID_MAX + 1], counter[16 + NOTIFY_TIMER_KIND_MAX];
    if (!notify_overdue_id(tm->case_id, tm->deadline->key, id)) return 0;
    int rc = ageq_set(txn, &notify_overdue_q, id, OVERDUE_QUEUE, tm->deadline->due_at);
    notify_timer_kind_counter(tm, counter);
    uint64_t v = 0;
    if (!rc) rc = store_get_u64(txn, f->meta, counter, &v);
    if (!rc) rc = store_put_u64(txn, f->meta, counter, v + 1);
    f->total++;
    return rc;
}

/* Sets every "overdue.<kind>" counter to 0 before they are counted again. */
static int notify_overdue_zero(MDB_txn *txn, MDB_dbi meta)
{
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(txn, meta, &c));
    if (rc) return rc;
    MDB_val k = {8, (void *)"overdue."}, v;
    unsigned char zero[8] = {0};
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= 8 || memcmp(k.mv_data, "overdue.", 8) != 0) break;
        MDB_val z = {sizeof zero, zero};
        if ((rc = mdb_cursor_put(c, &k, &z, MDB_CURRENT))) break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int notify_overdue_open(daemon_t *d, MDB_txn *txn)
{
    int first = 0;
    int rc = ageq_open(txn, &notify_overdue_q, NULL);
    if (!rc) rc = ageq_once(txn, &notify_overdue_q, OVERDUE_QUEUE, &first);
    if (rc || !first) return rc;
    overdue_fill_t f = {daemon_meta(d), 0};
    uint64_t before = 0;
    rc = store_get_u64(txn, f.meta, "overdue", &before);
    if (!rc) rc = notify_overdue_zero(txn, f.meta);
    if (!rc) rc = notify_timer_each(txn, notify_overdue_fill_one, &f);
    if (!rc) rc = store_put_u64(txn, f.meta, "overdue", f.total);
    if (!rc)
        log_info("overdue deadlines: %" PRIu64 " listed once from the timers (counter was %" PRIu64
                 ")",
                 f.total, before);
    return rc;
}

int notify_overdue_ages(turn_t *t, Legalaid__StreamStatus *st)
{
    return ageq_status(t->txn, &notify_overdue_q, notify_overdue_queues, t->now, st, t->arena);
}

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
static size_t notify_overdue_kind(const char *key, const char **kind)
{
    size_t n = strcspn(key, ":");
    *kind = n ? key : "other";
    return n ? n : 5;
}

static int notify_overdue_visit(const char *idc, size_t n, int64_t at, void *ctx)
{
    overdue_page_t *p = ctx;
    const char *sep = memchr(idc, OVERDUE_SEP, n);
    if (!sep) return 0;
    char *case_id = arena_alloc(p->t->arena, n + 1);
    memcpy(case_id, idc, n);
    case_id[n] = 0;
    char *key = case_id + (sep - idc) + 1;
    case_id[sep - idc] = 0;
    const char *kind;
    size_t nk = notify_overdue_kind(key, &kind);
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
    it->case_id = case_id[0] ? case_id : (key[nk] == ':' ? key + nk + 1 : "");
    char *kind_copy = arena_alloc(p->t->arena, nk + 1);
    memcpy(kind_copy, kind, nk);
    kind_copy[nk] = 0;
    it->kind = kind_copy;
    it->key = key;
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
static int notify_overdue_after(const char *after, int64_t *at, char id[AGEQ_ID_MAX + 1])
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

static char *notify_overdue_token(arena_t *a, int64_t at, const char *id)
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
static int notify_overdue_counts(turn_t *t, const char *kind, Legalaid__OverdueList *l,
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

int notify_overdue_query(turn_t *t, const Legalaid__OverdueQuery *q, Legalaid__Reply *reply)
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
    if (q->after && q->after[0] && notify_overdue_after(q->after, &after_at, after_id) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "overdue.after",
                  "overdue.after is not the next_after of an earlier page");
        return 0;
    }
    Legalaid__OverdueList *l = ARENA_NEW(t->arena, Legalaid__OverdueList, legalaid__overdue_list__init);
    p.l = l;
    l->items = arena_alloc(t->arena, p.limit * sizeof *l->items);
    uint64_t total = 0;
    int rc = notify_overdue_counts(t, p.kind, l, &total);
    if (rc) return rc;
    rc = ageq_each(t->txn, &notify_overdue_q, OVERDUE_QUEUE, after_at,
                   q->after && q->after[0] ? after_id : NULL, notify_overdue_visit, &p);
    if (rc < 0) return rc;
    l->total = total;
    l->has_total = 1;
    l->now = t->now;
    l->has_now = 1;
    if (p.more) l->next_after = notify_overdue_token(t->arena, p.last_at, p.last);
    reply->body_case = LEGALAID__REPLY__BODY_OVERDUE;
    reply->overdue = l;
    return 0;
}
