/*
 * dispatch_offer.c - from an approved case to an accepted assignment.
 *
 *   (none)      --approved, someone may take it---> OFFERED      LawyerOffered
 *   (none)      --approved, nobody may-------------> NEEDS_STAFF  AssignmentQueued
 *   OFFERED     --accepted-------------------------> ASSIGNED     LawyerAssigned
 *   OFFERED     --declined (coded) or lapsed-------> OFFERED to the next, or NEEDS_STAFF
 *                                                                 OfferDeclined
 *   OFFERED     --pool import: may no longer take it> OFFERED to the next (withdrawn:
 *                                                   not a refusal)  OfferDeclined
 *   NEEDS_STAFF --pool or capacity changed---------> OFFERED      (dispatch_queue.c)
 *   OFFERED, NEEDS_STAFF, QUEUED --staff assign----> ASSIGNED     LawyerAssigned (manual)
 *   AID_TERMINATED --approved again after an objection (art. 49)--> as (none)
 *
 * An open offer holds the lawyer's capacity and place in the conflict
 * index until it is answered. A lawyer who declined or let an offer lapse
 * is never offered the case again. Accepting (or a staff assignment) meets the 3-day assignment
 * deadline (art. 36, 43(1)) and sets the 5-day agreement deadline (程序规定
 * art. 27); the notifying authority is told through LawyerAssigned.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "dispatch_int.h"
#include "log.h"
#include "store.h"

static Legalaid__WorkClass dispatch_work_class(const Legalaid__Decision *d)
{
    const Legalaid__Priority *p = d->priority;
    if (p && p->emergency) return LEGALAID__WORK_CLASS__WORK_EMERGENCY;
    if (p && p->same_day) return LEGALAID__WORK_CLASS__WORK_SAME_DAY;
    if (p && p->green_channel) return LEGALAID__WORK_CLASS__WORK_GREEN;
    return LEGALAID__WORK_CLASS__WORK_NORMAL;
}

int dispatch_offer_next(turn_t *t, Legalaid__Assignment *a)
{
    dispatch_match_t m;
    int rc = dispatch_match_case(t, a, &m);
    if (rc) return rc;
    if (!m.lawyer_id[0]) {
        Legalaid__AssignmentState was = a->state;
        char *rules = arena_strdup(t->arena, "");
        for (size_t i = 0; i < m.why->n_filtered; i++)
            rules = arena_printf(t->arena, "%s%s%u %s", rules, i ? "; " : ": ",
                                 m.why->filtered[i]->excluded, m.why->filtered[i]->rule);
        char *reason = arena_printf(t->arena, "%s%s", m.why->why, rules);
        /* Still nobody, for the same reasons: nothing to write. */
        if (was == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF && a->reason &&
            strcmp(a->reason, reason) == 0)
            return 0;
        a->state = LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
        a->has_state = 1;
        a->offer = NULL;
        a->reason = reason;
        rc = dispatch_case_put(t, a);
        if (!rc) rc = dispatch_queue_put(t, a);
        if (rc || was == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF) return rc;
        Legalaid__AssignmentQueued *b =
            ARENA_NEW(t->arena, Legalaid__AssignmentQueued, legalaid__assignment_queued__init);
        b->case_id = a->case_id;
        b->reason = a->reason;
        b->state = a->state;
        b->has_state = 1;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED;
        ev->assignment_queued = b;
        log_warn("case needs staff case=%s: %s", a->case_id, a->reason);
        return turn_emit(t, a->case_id, ev);
    }
    Legalaid__Lawyer *l;
    rc = dispatch_lawyer_get(t, m.lawyer_id, &l);
    if (rc) return rc;
    /* The offer holds the lawyer's place in the conflict index at once. */
    rc = dispatch_conflict_record(t, a, l->id);
    if (rc) return rc;
    Legalaid__Offer *o = ARENA_NEW(t->arena, Legalaid__Offer, legalaid__offer__init);
    o->lawyer = l;
    o->offered_at = t->now;
    o->has_offered_at = 1;
    o->expires_at = t->now + dispatch_config.offer_hours * 3600 * 1000;
    o->has_expires_at = 1;
    o->explanation = m.why;
    a->offer = o;
    a->state = LEGALAID__ASSIGNMENT_STATE__OFFERED;
    a->has_state = 1;
    a->reason = m.why->why;
    rc = dispatch_case_put(t, a);
    if (!rc) rc = dispatch_queue_put(t, a); /* waiting for the answer */
    if (!rc) rc = dispatch_due_set(t, o->expires_at, DISPATCH_DUE_OFFER, a->case_id);
    uint64_t n;
    if (!rc) rc = store_get_u64(t->txn, daemon_meta(t->d), "offered", &n);
    if (!rc) rc = store_put_u64(t->txn, daemon_meta(t->d), "offered", n + 1);
    if (rc) return rc;
    Legalaid__LawyerOffered *b =
        ARENA_NEW(t->arena, Legalaid__LawyerOffered, legalaid__lawyer_offered__init);
    b->case_id = a->case_id;
    b->offer = o;
    b->category = a->category;
    b->has_category = a->has_category;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_LAWYER_OFFERED;
    ev->lawyer_offered = b;
    dispatch_event_deadline(
        t, ev,
        dispatch_deadline(t, "offer", o->expires_at, LEGALAID__PARTY__LAWYER, l->id,
                          "accept or decline the offer of the case", "Legal Aid Law art. 16"));
    log_info("offered case=%s lawyer=%s candidates=%u tier=%u", a->case_id, l->id,
             m.why->candidates, m.why->best_tier);
    return turn_emit(t, a->case_id, ev);
}

/* Starts dispatch's record of an approved case and offers it. */
static int dispatch_case_open(turn_t *t, Legalaid__Assignment *a, const Legalaid__Decision *d)
{
    a->state = LEGALAID__ASSIGNMENT_STATE__QUEUED;
    a->has_state = 1;
    a->category = d->category;
    a->has_category = d->has_category;
    a->facts = d->facts;
    a->authority = d->authority;
    a->assign_due_at = d->assign_due_at;
    a->has_assign_due_at = d->has_assign_due_at;
    a->approved_at = d->has_decided_at ? d->decided_at : t->now;
    a->has_approved_at = 1;
    a->queued_at = t->now;
    a->has_queued_at = 1;
    a->work_class = dispatch_work_class(d);
    a->has_work_class = 1;
    /* 通知辩护: a case an authority notified (art. 25, 28) is mandatory
     * defence; a defendant refusing the lawyer must retain counsel (S3 art. 50). */
    a->lawyer_required = d->lawyer_required;
    a->has_lawyer_required = d->has_lawyer_required;
    a->mandatory = d->authority != NULL && dispatch_is_defence(a);
    a->has_mandatory = 1;
    a->overdue = 0;
    a->offer = NULL;
    a->lawyer = NULL;
    int rc = dispatch_due_set(t, a->assign_due_at, DISPATCH_DUE_ASSIGN, a->case_id);
    if (rc) return rc;
    return dispatch_offer_next(t, a);
}

/* The ground of art. 48 eligibility's decision cites ("art. 48(n)"); else
 * a withdrawal ends the matter (48(5)) and anything else is read as facts
 * concealed or false (48(2)). */
static Legalaid__TerminationReason dispatch_art48_cited(const Legalaid__Decision *d)
{
    for (size_t i = 0; i < d->n_articles; i++) {
        const char *p = d->articles[i] ? strstr(d->articles[i], "art. 48(") : NULL;
        if (p && p[8] >= '1' && p[8] <= '8' && p[9] == ')')
            return (Legalaid__TerminationReason)(p[8] - '0');
    }
    if (d->outcome == LEGALAID__OUTCOME__WITHDRAWN ||
        d->outcome == LEGALAID__OUTCOME__DEEMED_WITHDRAWN)
        return LEGALAID__TERMINATION_REASON__MATTER_ENDED;
    return LEGALAID__TERMINATION_REASON__CONCEALMENT;
}

static int dispatch_outcome_approves(Legalaid__Outcome o)
{
    return o == LEGALAID__OUTCOME__APPROVED ||
           o == LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION;
}

static int dispatch_state_final(Legalaid__AssignmentState s)
{
    return s == LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED ||
           s == LEGALAID__ASSIGNMENT_STATE__CONCLUDED ||
           s == LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED ||
           s == LEGALAID__ASSIGNMENT_STATE__REVIEWED;
}

int dispatch_decision_apply(turn_t *t, const Legalaid__Decision *d)
{
    if (!d) return turn_reject(t, "the event carries no decision");
    if (!d->case_id || !d->case_id[0]) return turn_reject(t, "the decision has no case_id");
    if (strlen(d->case_id) > 64)
        return turn_reject(t, "the decision's case_id is longer than 64 bytes");
    Legalaid__Assignment *a;
    int rc = dispatch_case_get(t, d->case_id, &a);
    if (rc && rc != MDB_NOTFOUND) return rc;
    int known = rc == 0;

    if (dispatch_outcome_approves(d->outcome)) {
        if (!known) {
            a = ARENA_NEW(t->arena, Legalaid__Assignment, legalaid__assignment__init);
            a->case_id = d->case_id;
            return dispatch_case_open(t, a, d);
        }
        /* Approved again after its termination was corrected on objection
         * (art. 49): offered afresh, but only by a decision taken after
         * eligibility recorded the termination, so that an approval that
         * crossed the termination on the way (the streams move
         * independently) does not undo it. Any other repeat changes
         * nothing: a case is never assigned twice. */
        if (a->state == LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED &&
            a->has_termination_recorded_at && d->has_decided_at &&
            d->decided_at > a->termination_recorded_at) {
            log_info("case %s approved again after termination: offered afresh", a->case_id);
            a->termination = 0;
            a->has_termination = 0;
            a->has_termination_recorded_at = 0;
            return dispatch_case_open(t, a, d);
        }
        return 0;
    }
    if (!known || d->outcome == LEGALAID__OUTCOME__NEEDS_MATERIALS) return 0;
    int64_t decided_at = d->has_decided_at ? d->decided_at : t->now;
    if (a->state == LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED) {
        /* Eligibility's record of the termination: the mark a later
         * approval must pass. */
        if (d->outcome == LEGALAID__OUTCOME__TERMINATED &&
            (!a->has_termination_recorded_at || decided_at > a->termination_recorded_at)) {
            a->termination_recorded_at = decided_at;
            a->has_termination_recorded_at = 1;
            return dispatch_case_put(t, a);
        }
        return 0;
    }
    /* Aid ended by eligibility after it was granted: a false commitment
     * (the ground of art. 48 as eligibility cites it), or a withdrawal
     * (art. 48(5)). */
    if (!dispatch_state_final(a->state)) {
        a->termination_recorded_at = decided_at;
        a->has_termination_recorded_at = 1;
        return dispatch_terminate(t, a, dispatch_art48_cited(d), d->reason, "eligibility", 1);
    }
    return 0;
}
