/*
 * dispatch_tick.c - the tick: the deadlines dispatch acts on, as data in
 * the "due" table (common/due.h: due_at (BE64) | kind | case_id, read in
 * order; the steps add and remove the entries), each handed here when it
 * falls due, inside the tick's write transaction.
 *
 *   kind         falls due                         then
 *   OFFER        offer_hours after the offer       the offer lapses: next lawyer
 *   ASSIGN       3 days after approval / notice    the case is overdue: first in
 *                (art. 36, 43(1))                  the order of work; DeadlineMissed
 *   AGREEMENT    agreement_days after assignment   DeadlineMissed (S6 art. 27)
 *   OWN_COUNSEL  own_counsel_days after a refusal  appointed again (S3 art. 50)
 *   FILE         closing_file_days after the end   DeadlineMissed (art. 50)
 *   REVIEW       file_review_days after submission DeadlineMissed (T-19)
 *   INTERN       intern_reply_days after an        the internship offer lapses:
 *                internship offer                  the place to the next candidate
 *
 * An entry whose case has moved on is dropped without effect: each handler
 * checks the case's state and the deadline it holds. When anything fell
 * due, the waiting cases are offered again in the order of work.
 */
#include <stdio.h>
#include <string.h>

#include "dispatch_int.h"
#include "due.h"
#include "log.h"
#include "store.h"
#include "regulation.h"

#define DISPATCH_TICK_MAX 500 /* entries acted on per tick; the rest wait */

/* Publishes DeadlineMissed for a deadline the case still owes. */
static int dispatch_tick_missed(turn_t *t, Legalaid__Assignment *a, const char *key, int64_t due_at,
                                Legalaid__Party owner, const char *what, const char *article)
{
    Legalaid__DeadlineMissed *b =
        ARENA_NEW(t->arena, Legalaid__DeadlineMissed, legalaid__deadline_missed__init);
    b->case_id = a->case_id;
    b->deadline = turn_deadline(
        t, NULL, key, due_at, owner,
        owner == LEGALAID__PARTY__LAWYER && a->lawyer ? a->lawyer->id : NULL, what, article);
    b->state = a->state;
    b->has_state = 1;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_DEADLINE_MISSED;
    ev->deadline_missed = b;
    log_warn("deadline missed case=%s deadline=%s state=%s", a->case_id, key,
             dispatch_case_state_name(a->state));
    return turn_emit(t, a->case_id, ev);
}

static int dispatch_tick_assign(turn_t *t, Legalaid__Assignment *a, int64_t due_at)
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
        rc = dispatch_tick_missed(t, a, "assignment", due_at, LEGALAID__PARTY__STAFF,
                                  "assign a lawyer", "Legal Aid Law art. 36, 43(1)");
    return rc;
}

/* due_fire_cb: one entry of the "due" table fallen due. */
static int dispatch_tick_fire(turn_t *t, int64_t due_at, int kind, const char *case_id, size_t len,
                              void *arg)
{
    (void)arg;
    if (kind == DISPATCH_DUE_OFFER) return dispatch_offer_lapse(t, case_id);
    if (kind == DISPATCH_DUE_OWN_COUNSEL) return dispatch_end_own_counsel_due(t, case_id);
    if (kind == DISPATCH_DUE_INTERN) return dispatch_intern_answer_lapse(t, due_at, case_id, len);
    Legalaid__Assignment *a;
    int rc = dispatch_case_get(t, case_id, &a);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    switch (kind) {
    case DISPATCH_DUE_ASSIGN:
        return dispatch_tick_assign(t, a, due_at);
    case DISPATCH_DUE_AGREEMENT:
        if (a->state != LEGALAID__ASSIGNMENT_STATE__ASSIGNED || a->agreement_due_at != due_at)
            return 0;
        return dispatch_tick_missed(t, a, "agreement", due_at, LEGALAID__PARTY__LAWYER,
                                    "sign the entrustment agreement",
                                    regulation_cite_in(REG_LEGAL_AID_PROCEDURE, "27", 0));
    case DISPATCH_DUE_FILE:
        if (a->state != LEGALAID__ASSIGNMENT_STATE__CONCLUDED || a->file_due_at != due_at) return 0;
        return dispatch_tick_missed(t, a, "closing_file", due_at, LEGALAID__PARTY__LAWYER,
                                    "submit the closing file",
                                    regulation_cite_in(REG_LEGAL_AID_LAW, "50", 0));
    case DISPATCH_DUE_REVIEW:
        if (a->state != LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED || a->review_due_at != due_at)
            return 0;
        return dispatch_tick_missed(t, a, "file_review", due_at, LEGALAID__PARTY__STAFF,
                                    "review the closing file", "Legal Aid Law art. 57, 59");
    default:
        return 0;
    }
}

int dispatch_tick(turn_t *t)
{
    size_t fired = 0;
    int rc = due_tick(t, dispatch_due, DISPATCH_TICK_MAX, dispatch_tick_fire, NULL, &fired);
    if (rc) return rc;
    if (fired) {
        /* Offers lapsed and overdue cases reorder the work: offer again. */
        uint32_t offered = 0;
        rc = dispatch_offer_drain(t, &offered);
    }
    return rc;
}
