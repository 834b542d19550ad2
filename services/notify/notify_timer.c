/*
 * notify_timer.c - the persisted deadline timers (notify_int.h): one row
 * per (case_id, key) in "timers", and its next act in the due-time index
 * of common/due.h ("timers_at"). A timer's states:
 *
 *   set --lead time still ahead--> REMINDER --fires--> BREACH --fires--> gone
 *   set --otherwise--------------> BREACH
 *   REMINDER or BREACH --due_at moved--> set again; --deadline met--> gone
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

enum { TIMER_REMINDER = 0, TIMER_BREACH = 1 };

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

int notify_timer_open(MDB_txn *txn)
{
    int rc = store_table_sealed(txn, "timers", &notify_timers);
    if (!rc) rc = store_table(txn, "timers_at", &notify_timers_at);
    if (!rc) rc = timer_index_convert(txn);
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
    rc = timer_due_op(t, old->next_at, id, n, 1);
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
        rc = timer_due_op(t, tm->next_at, id, n, 1);
        if (rc) return rc;
        int same = tm->deadline && tm->deadline->due_at == dl->due_at;
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
    log_info("deadline %s case=%s key=%s", breached ? "breached" : "reminder", tm->case_id,
             tm->deadline && tm->deadline->key ? tm->deadline->key : "-");
    MDB_val k = {n, (void *)id};
    if (breached || (tm->deadline && tm->deadline->reminder_only))
        return store_rc(mdb_del(t->txn, notify_timers, &k, NULL));
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
    return store_count(t->txn, notify_timers);
}
