/*
 * notify_timer.c - the persisted deadline timers (see notify_timer.h).
 */
#include "notify_timer.h"

#include <string.h>

#include "clock.h"
#include "log.h"
#include "notify_config.h"
#include "notify_store.h"
#include "store.h"

#define TIMER_KEY_MAX 128
#define TIMER_FIRE_PER_TICK 256
#define TIMER_ID_MAX (NOTIFY_CASE_ID_MAX + 1 + TIMER_KEY_MAX)

enum { TIMER_REMINDER = 0, TIMER_BREACH = 1 };

static MDB_dbi notify_timers, notify_timers_due;

int notify_timer_open(MDB_txn *txn)
{
    int rc = store_table(txn, "timers", &notify_timers);
    if (!rc) rc = store_table(txn, "timers_due", &notify_timers_due);
    return rc;
}

/* case_id NUL key; 0 when either is too long. */
static size_t timer_id(const char *case_id, const char *key, unsigned char *out)
{
    size_t nc = strlen(case_id), nk = strlen(key);
    if (nc > NOTIFY_CASE_ID_MAX || nk == 0 || nk > TIMER_KEY_MAX) return 0;
    memcpy(out, case_id, nc);
    out[nc] = 0;
    memcpy(out + nc + 1, key, nk);
    return nc + 1 + nk;
}

static int timer_due_op(turn_t *t, int64_t at, const unsigned char *id, size_t n, int del)
{
    unsigned char key[8 + TIMER_ID_MAX];
    store_be64((uint64_t)(at < 0 ? 0 : at), key);
    memcpy(key + 8, id, n);
    MDB_val k = {8 + n, key}, v = {0, ""};
    int rc = del ? mdb_del(t->txn, notify_timers_due, &k, NULL)
                 : mdb_put(t->txn, notify_timers_due, &k, &v, 0);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
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

int notify_timers_apply(turn_t *t, const Legalaid__Event *ev, const char *case_id)
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

static int timer_fire_one(turn_t *t, const unsigned char *id, size_t n, notify_timer_tell_fn tell)
{
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
    if (!rc) rc = tell(t, tm, breached, ev->event_id);
    if (rc) return rc;
    log_info("deadline %s case=%s key=%s", breached ? "breached" : "reminder", tm->case_id,
             tm->deadline && tm->deadline->key ? tm->deadline->key : "-");
    MDB_val k = {n, (void *)id};
    if (breached) return store_rc(mdb_del(t->txn, notify_timers, &k, NULL));
    tm->stage = TIMER_BREACH;
    tm->next_at = tm->deadline->due_at;
    rc = timer_due_op(t, tm->next_at, id, n, 0);
    if (!rc) rc = store_put_pb(t->txn, notify_timers, id, n, &tm->base, 0);
    return rc;
}

int notify_timers_fire(turn_t *t, notify_timer_tell_fn tell)
{
    /* Collect first: firing rewrites the index the cursor walks. */
    typedef struct {
        unsigned char id[TIMER_ID_MAX];
        size_t n;
    } due_t;
    due_t *due = arena_alloc(t->arena, TIMER_FIRE_PER_TICK * sizeof *due);
    size_t ndue = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, notify_timers_due, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0 && ndue < TIMER_FIRE_PER_TICK;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= 8 || k.mv_size > 8 + TIMER_ID_MAX) continue;
        if ((int64_t)store_from_be64(k.mv_data) > t->now) break;
        due[ndue].n = k.mv_size - 8;
        memcpy(due[ndue].id, (const unsigned char *)k.mv_data + 8, due[ndue].n);
        ndue++;
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    for (size_t i = 0; i < ndue; i++) {
        rc = timer_fire_one(t, due[i].id, due[i].n, tell);
        if (rc) return rc;
    }
    return 0;
}

uint64_t notify_timers_pending(turn_t *t)
{
    return store_count(t->txn, notify_timers);
}
