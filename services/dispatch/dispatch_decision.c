/*
 * dispatch_decision.c - eligibility's decisions as dispatch applies them
 * (EligibilityDecided on eligibility's stream, from dispatch.c's apply):
 *
 *   decision                      case at dispatch      then
 *   approved (or pending          unknown               the record opened (QUEUED,
 *   verification)                                       the 3-day assignment deadline
 *                                                       of art. 36, 43(1)) and offered
 *   approved again, taken after   AID_TERMINATED        opened afresh (art. 49:
 *   the termination was recorded                        the termination corrected)
 *   any other approval            known                 nothing: never assigned twice
 *   terminated                    AID_TERMINATED        the mark a later approval
 *                                                       must pass
 *   another outcome (terminated,  before its end        aid ends on the ground of
 *   withdrawn ...)                                      art. 48 the decision cites
 *                                                       (dispatch_end.c)
 *   needs materials               -                     nothing
 *   any, for a case dispatch does not know, or one concluded: nothing
 */
#include <string.h>

#include "decisiontext.h"
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

/* Starts dispatch's record of an approved case and offers it. */
static int dispatch_decision_open(turn_t *t, Legalaid__Assignment *a, const Legalaid__Decision *d)
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
    a->mandatory = d->authority != NULL && dispatch_case_is_defence(a);
    a->has_mandatory = 1;
    a->overdue = 0;
    a->offer = NULL;
    a->lawyer = NULL;
    int rc = due_put(t->txn, dispatch_due, a->assign_due_at, DISPATCH_DUE_ASSIGN, a->case_id,
                     strlen(a->case_id));
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
    if (strlen(d->case_id) > LA_CASE_ID_MAX)
        return turn_reject(t, "the decision's case_id is longer than %d bytes", LA_CASE_ID_MAX);
    Legalaid__Assignment *a;
    int rc = dispatch_case_get(t, d->case_id, &a);
    if (rc && rc != MDB_NOTFOUND) return rc;
    int known = rc == 0;

    if (dispatch_outcome_approves(d->outcome)) {
        if (!known) {
            a = ARENA_NEW(t->arena, Legalaid__Assignment, legalaid__assignment__init);
            a->case_id = d->case_id;
            if (d->history) return dispatch_history_open(t, a, d);
            return dispatch_decision_open(t, a, d);
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
            return dispatch_decision_open(t, a, d);
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
        /* The event holds the reason as its code: worded for the record. */
        const char *reason =
            d->reason_code ? decisiontext_render(t->arena, d->reason_code, d->reason_params,
                                                 d->n_reason_params)
                           : d->reason;
        return dispatch_end_terminate(t, a, dispatch_art48_cited(d), reason, "eligibility", 1);
    }
    return 0;
}
