/*
 * notify_timer.c - the persisted deadline timers (notify_int.h): one row
 * per (case_id, key) in "timers", and its next act in the due-time index
 * of common/due.h ("timers_at"). A timer's states:
 *
 *   set --lead time still ahead--> REMINDER --fires--> BREACH --fires--> OVERDUE
 *   set --otherwise--------------> BREACH
 *   any --due_at moved--> set again; --deadline met--> gone
 *
 * A deadline that lapses (an offer: its breach acts by itself) is gone
 * after its breach. An OVERDUE timer has no entry in the due index: it stays until its
 * deadline is met or moved, counted by kind (the key before any ':',
 * "decision", "agreement", "answer" ...) in meta "overdue.<kind>", which
 * the status shows (legalaidctl queues, the gateway's /metrics).
 *
 * A deadline marked reminder_only (its breach acts by itself and tells the
 * owner: a materials deadline deems the application withdrawn, art. 43(2))
 * is gone after its REMINDER, and is not kept at all when the lead time is
 * no longer ahead.
 */
#include <string.h>

#include "clock.h"
#include "due.h"
#include "la_limits.h"
#include "log.h"
#include "notify_int.h"
#include "store.h"

#define TIMER_KEY_MAX 128
#define TIMER_ID_MAX (LA_CASE_ID_MAX + 1 + TIMER_KEY_MAX)
/* The one kind of entry notify keeps in its due index: a timer's next act
 * (the stage is the timer row's). */
#define TIMER_DUE_KIND 1

enum { TIMER_REMINDER = 0, TIMER_BREACH = 1, TIMER_OVERDUE = NOTIFY_TIMER_OVERDUE };

#define TIMER_KIND_MAX NOTIFY_TIMER_KIND_MAX

static MDB_dbi notify_timers, notify_timers_at;

/* The due index of notify before common/due.h: "timers_due", keyed
 * next_at(BE64) | case_id NUL key, without the kind byte of due.h. An
 * installation that still has it gets "timers_at" rebuilt from the timers
 * themselves (every timer is in the index at its next_at, and nothing
 * else is), once, at the open after the upgrade; the old table is then
 * dropped, so no timer is lost and none fires twice. */
static int timer_index_convert(MDB_txn *txn)
{
    MDB_dbi old;
    int rc = mdb_dbi_open(txn, "timers_due", 0, &old);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    MDB_cursor *c;
    rc = mdb_cursor_open(txn, notify_timers, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    size_t n = 0;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        Legalaid__DeadlineTimer *tm = store_unpacked(txn, &k, &v, &legalaid__deadline_timer__descriptor, NULL);
        if (!tm) continue; /* not a row this code wrote: the old index had none either */
        int64_t at = tm->next_at;
        legalaid__deadline_timer__free_unpacked(tm, NULL);
        rc = due_put(txn, notify_timers_at, at < 1 ? 1 : at, TIMER_DUE_KIND, k.mv_data, k.mv_size);
        if (rc) break;
        n++;
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    rc = mdb_drop(txn, old, 1);
    if (rc) return store_rc(rc);
    log_info("timers: due index rebuilt from %zu timers (timers_due -> timers_at)", n);
    return 0;
}

/* store_each_fn: one timer into the overdue list (a fill at open). */
static int timer_overdue_fill(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    return notify_overdue_fill(txn, *(const MDB_dbi *)ctx, (const Legalaid__DeadlineTimer *)m);
}

int notify_timer_open(daemon_t *d, MDB_txn *txn)
{
    int first = 0;
    MDB_dbi meta = daemon_meta(d);
    int rc = store_table_brief(txn, "timers", &notify_timers);
    if (!rc) rc = store_table(txn, "timers_at", &notify_timers_at);
    if (!rc) rc = timer_index_convert(txn);
    /* A store from before the overdue list: its overdue timers, once. */
    if (!rc) rc = notify_overdue_open(txn, meta, &first);
    if (!rc && first && store_count(txn, notify_timers)) {
        rc = store_each_pb(txn, notify_timers, &legalaid__deadline_timer__descriptor,
                           timer_overdue_fill, &meta);
        uint64_t n = 0;
        if (!rc) rc = store_get_u64(txn, meta, "overdue", &n);
        if (!rc) log_info("overdue deadlines: %llu listed once from the timers", (unsigned long long)n);
    }
    return rc;
}

/* case_id NUL key; 0 when either is too long. */
static size_t timer_id(const char *case_id, const char *key, unsigned char *out)
{
    size_t nc = strlen(case_id), nk = strlen(key);
    if (nc > LA_CASE_ID_MAX || nk == 0 || nk > TIMER_KEY_MAX) return 0;
    memcpy(out, case_id, nc);
    out[nc] = 0;
    memcpy(out + nc + 1, key, nk);
    return nc + 1 + nk;
}

/* Adds (del 0) or removes (del 1) timer id's entry at at in the due
 * index. A time before 1 ms is kept at 1 ms (due.h takes no time <= 0),
 * so such a timer still fires at the next tick, as it always did. */
static int timer_due_op(turn_t *t, int64_t at, const unsigned char *id, size_t n, int del)
{
    if (at < 1) at = 1;
    return del ? due_del(t->txn, notify_timers_at, at, TIMER_DUE_KIND, id, n)
               : due_put(t->txn, notify_timers_at, at, TIMER_DUE_KIND, id, n);
}

/* One more (delta 1) or one fewer (-1) overdue deadline of tm's kind, and
 * tm in (or out of) the overdue list with them (notify_overdue.c). */
static int timer_overdue_count(turn_t *t, const Legalaid__DeadlineTimer *tm, int delta)
{
    int rc = notify_overdue_mark(t, tm, delta > 0);
    if (rc) return rc;
    char name[16 + TIMER_KIND_MAX];
    notify_overdue_kind_counter(tm, name);
    MDB_dbi meta = daemon_meta(t->d);
    const char *names[2] = {name, "overdue"};
    for (int i = 0; i < 2; i++) {
        uint64_t v;
        rc = store_get_u64(t->txn, meta, names[i], &v);
        if (rc) return rc;
        v = delta > 0 ? v + 1 : v ? v - 1 : 0;
        rc = store_put_u64(t->txn, meta, names[i], v);
        if (rc) return rc;
    }
    return 0;
}

int notify_timer_get(turn_t *t, const char *case_id, const char *key,
                     Legalaid__DeadlineTimer **timer)
{
    *timer = NULL;
    unsigned char id[TIMER_ID_MAX];
    size_t n = timer_id(case_id, key, id);
    if (!n) return 0;
    int rc = store_get_pb(t->txn, notify_timers, id, n, &legalaid__deadline_timer__descriptor,
                          &t->arena->pb, (ProtobufCMessage **)timer);
    if (rc == MDB_NOTFOUND) {
        *timer = NULL;
        return 0;
    }
    return rc;
}

int notify_timer_meet(turn_t *t, const char *case_id, const char *key)
{
    Legalaid__DeadlineTimer *old;
    int rc = notify_timer_get(t, case_id, key, &old);
    if (rc || !old) return rc;
    unsigned char id[TIMER_ID_MAX];
    size_t n = timer_id(case_id, key, id);
    rc = old->stage == TIMER_OVERDUE ? timer_overdue_count(t, old, -1)
                                     : timer_due_op(t, old->next_at, id, n, 1);
    MDB_val k = {n, id};
    if (!rc) rc = store_rc(mdb_del(t->txn, notify_timers, &k, NULL));
    log_debug("deadline met case=%s key=%s", case_id, key);
    return rc;
}

/* Where a timer for a deadline due at due_at starts: at the reminder when
 * that is still ahead; a deadline set shorter than the lead time (an offer
 * open for a few hours) gets only the breach notice, not a reminder at the
 * moment it is set. */
static void timer_arm(Legalaid__DeadlineTimer *tm, int64_t now)
{
    int64_t due = tm->deadline->due_at;
    int64_t remind = due - notify_config.deadline_lead_minutes * 60000LL;
    if (notify_config.deadline_lead_minutes > 0 && remind > now) {
        tm->stage = TIMER_REMINDER;
        tm->next_at = remind;
    } else {
        tm->stage = TIMER_BREACH;
        tm->next_at = due;
    }
    tm->has_stage = tm->has_next_at = 1;
}

int notify_timer_put(turn_t *t, const char *case_id, Legalaid__Deadline *dl, const char *source)
{
    if (!dl->key || !dl->key[0] || !dl->has_due_at) return 0; /* nothing to keep */
    unsigned char id[TIMER_ID_MAX];
    size_t n = timer_id(case_id, dl->key, id);
    if (!n) {
        log_warn("deadline key or case too long; not kept case=%s", case_id);
        return 0;
    }
    Legalaid__DeadlineTimer *tm;
    int rc = notify_timer_get(t, case_id, dl->key, &tm);
    if (rc) return rc;
    if (dl->reminder_only) {
        /* Only its reminder is kept: none once the lead time has passed. */
        Legalaid__DeadlineTimer probe = LEGALAID__DEADLINE_TIMER__INIT;
        probe.deadline = dl;
        timer_arm(&probe, t->now);
        int same = tm && tm->deadline && tm->deadline->due_at == dl->due_at;
        if (probe.stage == TIMER_BREACH && !(same && tm->stage == TIMER_REMINDER))
            return tm ? notify_timer_meet(t, case_id, dl->key) : 0;
    }
    if (tm) {
        int same = tm->deadline && tm->deadline->due_at == dl->due_at;
        if (tm->stage == TIMER_OVERDUE) {
            tm->deadline = dl;
            tm->source_event = (char *)source;
            if (same) /* told again, still overdue: nothing to fire */
                return store_put_pb(t->txn, notify_timers, id, n, &tm->base, 0);
            rc = timer_overdue_count(t, tm, -1);
        } else {
            rc = timer_due_op(t, tm->next_at, id, n, 1);
        }
        if (rc) return rc;
        tm->deadline = dl;
        if (!same) timer_arm(tm, t->now); /* moved: remind again */
    } else {
        tm = ARENA_NEW(t->arena, Legalaid__DeadlineTimer, legalaid__deadline_timer__init);
        tm->case_id = (char *)case_id;
        tm->deadline = dl;
        timer_arm(tm, t->now);
    }
    tm->source_event = (char *)source;
    rc = timer_due_op(t, tm->next_at, id, n, 0);
    if (!rc) rc = store_put_pb(t->txn, notify_timers, id, n, &tm->base, 0);
    return rc;
}

int notify_timer_apply(turn_t *t, const Legalaid__Event *ev, const char *case_id)
{
    if (!case_id) return 0;
    for (size_t i = 0; i < ev->n_deadlines_met; i++) {
        int rc = notify_timer_meet(t, case_id, ev->deadlines_met[i] ? ev->deadlines_met[i] : "");
        if (rc) return rc;
    }
    for (size_t i = 0; i < ev->n_deadlines; i++) {
        int rc = notify_timer_put(t, case_id, ev->deadlines[i], ev->event_id);
        if (rc) return rc;
    }
    return 0;
}

/* What a tick's firing carries: the rules' callback, and the reminders
 * moved to their breach, whose new index entries are written only after
 * the tick's walk, so that a breach already due is fired at the next tick
 * and not in the same one as its reminder (as before due.h). */
typedef struct timer_fire {
    notify_timer_tell_fn tell;
    struct timer_moved {
        unsigned char id[TIMER_ID_MAX];
        size_t n;
        int64_t at;
    } * moved;
    size_t nmoved;
} timer_fire_t;

/* due_fire_cb: timer id has fallen due (its entry already removed). */
static int timer_fire_one(turn_t *t, int64_t due_at, int kind, const char *idc, size_t n, void *arg)
{
    (void)due_at;
    timer_fire_t *f = arg;
    const unsigned char *id = (const unsigned char *)idc;
    if (kind != TIMER_DUE_KIND || n > TIMER_ID_MAX) return 0; /* not an entry this code wrote */
    Legalaid__DeadlineTimer *tm;
    int rc = store_get_pb(t->txn, notify_timers, id, n, &legalaid__deadline_timer__descriptor,
                          &t->arena->pb, (ProtobufCMessage **)&tm);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    rc = timer_due_op(t, tm->next_at, id, n, 1);
    if (rc) return rc;
    int breached = tm->stage == TIMER_BREACH;
    Legalaid__DeadlineDue *due =
        ARENA_NEW(t->arena, Legalaid__DeadlineDue, legalaid__deadline_due__init);
    due->case_id = tm->case_id;
    due->deadline = tm->deadline;
    due->breached = breached;
    due->has_breached = 1;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_DEADLINE_DUE;
    ev->deadline_due = due;
    rc = turn_emit(t, tm->case_id && tm->case_id[0] ? tm->case_id : NULL, ev);
    if (!rc) rc = f->tell(t, tm, breached, ev->event_id);
    if (rc) return rc;
    const char *key = tm->deadline && tm->deadline->key ? tm->deadline->key : "-";
    if (breached)
        log_info("deadline breached case=%s key=%s", tm->case_id, key);
    else
        log_info("deadline reminder case=%s key=%s", tm->case_id, key);
    MDB_val k = {n, (void *)id};
    if (tm->deadline && tm->deadline->reminder_only)
        return store_rc(mdb_del(t->txn, notify_timers, &k, NULL));
    if (breached && tm->deadline && tm->deadline->lapses)
        return store_rc(mdb_del(t->txn, notify_timers, &k, NULL));
    if (breached) { /* kept, out of the index, until met or moved */
        tm->stage = TIMER_OVERDUE;
        rc = timer_overdue_count(t, tm, 1);
        return rc ? rc : store_put_pb(t->txn, notify_timers, id, n, &tm->base, 0);
    }
    tm->stage = TIMER_BREACH;
    tm->next_at = tm->deadline->due_at;
    struct timer_moved *m = &f->moved[f->nmoved++];
    memcpy(m->id, id, n);
    m->n = n;
    m->at = tm->next_at;
    return store_put_pb(t->txn, notify_timers, id, n, &tm->base, 0);
}

int notify_timer_fire(turn_t *t, notify_timer_tell_fn tell)
{
    timer_fire_t f = {tell, arena_alloc(t->arena, DUE_TICK_MAX * sizeof *f.moved), 0};
    int rc = due_tick(t, notify_timers_at, DUE_TICK_MAX, timer_fire_one, &f, NULL);
    for (size_t i = 0; !rc && i < f.nmoved; i++)
        rc = timer_due_op(t, f.moved[i].at, f.moved[i].id, f.moved[i].n, 0);
    return rc;
}

uint64_t notify_timer_pending(turn_t *t)
{
    uint64_t overdue = 0;
    if (store_get_u64(t->txn, daemon_meta(t->d), "overdue", &overdue)) overdue = 0;
    uint64_t all = store_count(t->txn, notify_timers);
    return all > overdue ? all - overdue : 0;
}

int notify_timer_overdue(turn_t *t, Legalaid__StreamStatus *st)
{
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(t->txn, daemon_meta(t->d), &c));
    if (rc) return rc;
    MDB_val k = {8, (void *)"overdue."}, v;
    int err = 0;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= 8 || k.mv_size > 8 + TIMER_KIND_MAX || memcmp(k.mv_data, "overdue.", 8))
            break;
        char *name = arena_alloc(t->arena, k.mv_size + 1);
        memcpy(name, k.mv_data, k.mv_size);
        name[k.mv_size] = 0;
        uint64_t n = 0;
        if ((err = store_get_u64(t->txn, daemon_meta(t->d), name, &n))) break;
        turn_counter(t, st, name, n);
    }
    mdb_cursor_close(c);
    if (err) return err;
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}
