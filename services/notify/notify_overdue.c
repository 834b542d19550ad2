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
#include <stdio.h>
#include <string.h>

#include "ageq.h"
#include "notify_int.h"
#include "store.h"

#define OVERDUE_QUEUE "overdue"
#define OVERDUE_SEP '\x1f'

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

void notify_overdue_kind_counter(const Legalaid__DeadlineTimer *tm,
                                 char out[16 + NOTIFY_TIMER_KIND_MAX])
{
    const char *key = tm->deadline && tm->deadline->key ? tm->deadline->key : "";
    size_t n = strcspn(key, ":");
    if (n == 0) key = "other", n = 5;
    if (n > NOTIFY_TIMER_KIND_MAX) n = NOTIFY_TIMER_KIND_MAX;
    memcpy(out, "overdue.", 8);
    memcpy(out + 8, key, n);
    out[8 + n] = 0;
}

/* --- open: a store from before the queue ---------------------------------- */

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

int notify_overdue_open(MDB_txn *txn, MDB_dbi meta, int *first)
{
    int rc = ageq_open(txn, &notify_overdue_q, NULL);
    if (!rc) rc = ageq_once(txn, &notify_overdue_q, OVERDUE_QUEUE, first);
    if (!rc && *first) rc = notify_overdue_zero(txn, meta);
    if (!rc && *first) rc = store_put_u64(txn, meta, "overdue", 0);
    return rc;
}

int notify_overdue_fill(MDB_txn *txn, MDB_dbi meta, const Legalaid__DeadlineTimer *tm)
{
    if (tm->stage != NOTIFY_TIMER_OVERDUE || !tm->deadline) return 0;
    char id[AGEQ_ID_MAX + 1], counter[16 + NOTIFY_TIMER_KIND_MAX];
    if (!notify_overdue_id(tm->case_id, tm->deadline->key, id)) return 0;
    int rc = ageq_set(txn, &notify_overdue_q, id, OVERDUE_QUEUE, tm->deadline->due_at);
    notify_overdue_kind_counter(tm, counter);
    const char *names[2] = {counter, "overdue"};
    for (int i = 0; !rc && i < 2; i++) {
        uint64_t v = 0;
        rc = store_get_u64(txn, meta, names[i], &v);
        if (!rc) rc = store_put_u64(txn, meta, names[i], v + 1);
    }
    return rc;
}

int notify_overdue_ages(turn_t *t, Legalaid__StreamStatus *st)
{
    return ageq_status(t->txn, &notify_overdue_q, notify_overdue_queues, t->now, st, t->arena);
}

int notify_overdue_each(turn_t *t, int64_t after_at, const char *after_id, ageq_each_fn fn,
                        void *ctx)
{
    return ageq_each(t->txn, &notify_overdue_q, OVERDUE_QUEUE, after_at, after_id, fn, ctx);
}

size_t notify_overdue_split(const char *id, size_t n, char *case_id, const char **key)
{
    const char *sep = memchr(id, OVERDUE_SEP, n);
    if (!sep) return 0;
    memcpy(case_id, id, n);
    case_id[n] = 0;
    case_id[sep - id] = 0;
    *key = case_id + (sep - id) + 1;
    return n;
}
