/*
 * dispatch_due.c - the deadlines dispatch acts on, as data: the "due"
 * table, keyed due_at (BE64) | kind | case_id, read in order by the tick.
 *
 *   kind         falls due                         then
 *   OFFER        offer_hours after the offer       the offer lapses: next lawyer
 *   ASSIGN       3 days after approval / notice    the case is overdue: first in
 *                (art. 36, 43(1))                  the order of work; DeadlineMissed
 *   AGREEMENT    agreement_days after assignment   DeadlineMissed (S6 art. 27)
 *   OWN_COUNSEL  own_counsel_days after a refusal  appointed again (S3 art. 50)
 *   FILE         closing_file_days after the end   DeadlineMissed (art. 50)
 *   REVIEW       file_review_days after submission DeadlineMissed (T-19)
 *
 * An entry whose case has moved on is dropped without effect: each handler
 * checks the case's state and the deadline it holds.
 */
#include <stdio.h>
#include <string.h>

#include "dispatch_int.h"
#include "log.h"
#include "store.h"

#define DISPATCH_DUE_PER_TICK 500

static size_t dispatch_due_key(unsigned char *key, int64_t due_at, dispatch_due_kind_t kind,
                               const char *case_id)
{
    size_t n = strlen(case_id);
    store_be64((uint64_t)due_at, key);
    key[8] = (unsigned char)kind;
    memcpy(key + 9, case_id, n);
    return 9 + n;
}

int dispatch_due_set(turn_t *t, int64_t due_at, dispatch_due_kind_t kind, const char *case_id)
{
    unsigned char key[9 + 256];
    if (strlen(case_id) > 256 || due_at <= 0) return 0;
    MDB_val k = {dispatch_due_key(key, due_at, kind, case_id), key}, v = {0, ""};
    return store_rc(mdb_put(t->txn, dispatch_due, &k, &v, 0));
}

int dispatch_due_clear(turn_t *t, int64_t due_at, dispatch_due_kind_t kind, const char *case_id)
{
    unsigned char key[9 + 256];
    if (strlen(case_id) > 256 || due_at <= 0) return 0;
    MDB_val k = {dispatch_due_key(key, due_at, kind, case_id), key};
    int rc = mdb_del(t->txn, dispatch_due, &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* Publishes DeadlineMissed for a deadline the case still owes. */
static int dispatch_due_missed(turn_t *t, Legalaid__Assignment *a, const char *key,
                               int64_t due_at, Legalaid__Party owner, const char *what,
                               const char *article)
{
    Legalaid__DeadlineMissed *b =
        ARENA_NEW(t->arena, Legalaid__DeadlineMissed, legalaid__deadline_missed__init);
    b->case_id = a->case_id;
    b->deadline = dispatch_deadline(t, key, due_at, owner,
                                    owner == LEGALAID__PARTY__LAWYER && a->lawyer
                                        ? a->lawyer->id
                                        : NULL,
                                    what, article);
    b->state = a->state;
    b->has_state = 1;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_DEADLINE_MISSED;
    ev->deadline_missed = b;
    log_warn("deadline missed case=%s deadline=%s state=%s", a->case_id, key,
             dispatch_state_name(a->state));
    return turn_emit(t, a->case_id, ev);
}

static int dispatch_due_assign(turn_t *t, Legalaid__Assignment *a, int64_t due_at)
{
    if (a->assign_due_at != due_at || a->overdue) return 0;
    if (a->state != LEGALAID__ASSIGNMENT_STATE__QUEUED &&
        a->state != LEGALAID__ASSIGNMENT_STATE__OFFERED &&
        a->state != LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF)
        return 0;
    a->overdue = 1;
    a->has_overdue = 1;
    int rc = dispatch_case_put(t, a);
    if (!rc)
        rc = dispatch_due_missed(t, a, "assignment", due_at, LEGALAID__PARTY__STAFF,
                                 "assign a lawyer", "Legal Aid Law art. 36, 43(1)");
    return rc;
}

static int dispatch_due_fire(turn_t *t, int64_t due_at, dispatch_due_kind_t kind,
                             const char *case_id)
{
    if (kind == DISPATCH_DUE_OFFER) return dispatch_offer_lapse(t, case_id);
    if (kind == DISPATCH_DUE_OWN_COUNSEL) return dispatch_own_counsel_due(t, case_id);
    Legalaid__Assignment *a;
    int rc = dispatch_case_get(t, case_id, &a);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    switch (kind) {
    case DISPATCH_DUE_ASSIGN:
        return dispatch_due_assign(t, a, due_at);
    case DISPATCH_DUE_AGREEMENT:
        if (a->state != LEGALAID__ASSIGNMENT_STATE__ASSIGNED || a->agreement_due_at != due_at)
            return 0;
        return dispatch_due_missed(t, a, "agreement", due_at, LEGALAID__PARTY__LAWYER,
                                   "sign the entrustment agreement",
                                   "法律援助法实施程序规定 art. 27");
    case DISPATCH_DUE_FILE:
        if (a->state != LEGALAID__ASSIGNMENT_STATE__CONCLUDED || a->file_due_at != due_at)
            return 0;
        return dispatch_due_missed(t, a, "closing_file", due_at, LEGALAID__PARTY__LAWYER,
                                   "submit the closing file", "Legal Aid Law art. 50");
    case DISPATCH_DUE_REVIEW:
        if (a->state != LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED ||
            a->review_due_at != due_at)
            return 0;
        return dispatch_due_missed(t, a, "file_review", due_at, LEGALAID__PARTY__STAFF,
                                   "review the closing file", "Legal Aid Law art. 57, 59");
    default:
        return 0;
    }
}

int dispatch_due_tick(turn_t *t)
{
    int rc = 0, fired = 0;
    for (int n = 0; n < DISPATCH_DUE_PER_TICK; n++) {
        MDB_cursor *cur;
        rc = store_rc(mdb_cursor_open(t->txn, dispatch_due, &cur));
        if (rc) return rc;
        MDB_val k, v;
        rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
        if (rc) {
            mdb_cursor_close(cur);
            if (rc == MDB_NOTFOUND) rc = 0;
            break;
        }
        if (k.mv_size < 10 || k.mv_size > 9 + 256) { /* not ours: dropped */
            rc = store_rc(mdb_cursor_del(cur, 0));
            mdb_cursor_close(cur);
            if (rc) return rc;
            continue;
        }
        int64_t due_at = (int64_t)store_from_be64(k.mv_data);
        if (due_at > t->now) {
            mdb_cursor_close(cur);
            break;
        }
        dispatch_due_kind_t kind = (dispatch_due_kind_t)((unsigned char *)k.mv_data)[8];
        char case_id[257];
        memcpy(case_id, (unsigned char *)k.mv_data + 9, k.mv_size - 9);
        case_id[k.mv_size - 9] = 0;
        rc = store_rc(mdb_cursor_del(cur, 0));
        mdb_cursor_close(cur);
        if (rc) return rc;
        rc = dispatch_due_fire(t, due_at, kind, case_id);
        if (rc) return rc;
        fired++;
    }
    if (rc) return store_rc(rc);
    if (fired) {
        /* Offers lapsed and overdue cases reorder the work: offer again. */
        uint32_t offered = 0;
        rc = dispatch_queue_drain(t, &offered);
    }
    return rc;
}
