/*
 * dispatch_end.c - a lawyer leaving a case before its end (ReleaseLawyer:
 * replacement on the recipient's request, a defendant's refusal, own
 * counsel retained) and the end of aid on the grounds of Legal Aid Law
 * art. 48 (TerminateAid, or eligibility's decision). The table of moves is
 * in dispatch_lifecycle.c.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dispatch_int.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

/* The citation of each ground (the words are eligibility's and notify's). */
static const char *const dispatch_art48[] = {
    "",
    "Legal Aid Law art. 48(1)",
    "Legal Aid Law art. 48(2)",
    "Legal Aid Law art. 48(3)",
    "Legal Aid Law art. 48(4)",
    "Legal Aid Law art. 48(5)",
    "Legal Aid Law art. 48(6)",
    "Legal Aid Law art. 48(7)",
    "Legal Aid Law art. 48(8)",
};

/* Art. 49: where the applicant objects to a termination: the justice
 * bureau of the government that set up the centre ([dispatch]
 * objection_body), which decides within five days. */
static const char *dispatch_end_objection_body(void)
{
    return dispatch_config.objection_body && dispatch_config.objection_body[0]
               ? dispatch_config.objection_body
               : DISPATCH_OBJECTION_BODY_DEFAULT;
}

static const char *dispatch_end_objection_route(turn_t *t)
{
    const char *body = dispatch_end_objection_body();
    return arena_printf(t->arena,
                        "对终止法律援助决定有异议的，可以向设立法律援助机构的司法行政部门（%s）"
                        "提出，司法行政部门应当自收到异议之日起五日内审查并作出维持或者责令改正"
                        "的决定 (Legal Aid Law art. 49)",
                        body);
}

static int dispatch_handling(Legalaid__AssignmentState s)
{
    return s == LEGALAID__ASSIGNMENT_STATE__ASSIGNED ||
           s == LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED ||
           s == LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS;
}

static int dispatch_ended(Legalaid__AssignmentState s)
{
    return s == LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED ||
           s == LEGALAID__ASSIGNMENT_STATE__CONCLUDED ||
           s == LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED ||
           s == LEGALAID__ASSIGNMENT_STATE__REVIEWED;
}

/* Clears every deadline the case holds before its end. */
static int dispatch_dues_clear(turn_t *t, Legalaid__Assignment *a)
{
    /* An open offer is withdrawn: the lawyer's hold and place are freed. */
    const char *offered =
        a->state == LEGALAID__ASSIGNMENT_STATE__OFFERED && a->offer && a->offer->lawyer
            ? a->offer->lawyer->id
            : NULL;
    int rc = dispatch_offer_close(t, a);
    if (!rc && offered) rc = dispatch_conflict_forget(t, a, offered);
    if (!rc)
        rc = due_del(t->txn, dispatch_due, a->assign_due_at, DISPATCH_DUE_ASSIGN, a->case_id,
                     strlen(a->case_id));
    if (!rc)
        rc = due_del(t->txn, dispatch_due, a->agreement_due_at, DISPATCH_DUE_AGREEMENT, a->case_id,
                     strlen(a->case_id));
    if (!rc)
        rc = due_del(t->txn, dispatch_due, a->own_counsel_due_at, DISPATCH_DUE_OWN_COUNSEL,
                     a->case_id, strlen(a->case_id));
    return rc;
}

int dispatch_end_terminate(turn_t *t, Legalaid__Assignment *a, Legalaid__TerminationReason reason,
                           const char *detail, const char *by, int from_eligibility)
{
    const char *lawyer_id = dispatch_handling(a->state) && a->lawyer ? a->lawyer->id : NULL;
    int rc = lawyer_id ? dispatch_pool_lawyer_free(t, a) : 0;
    if (!rc) rc = dispatch_dues_clear(t, a);
    if (!rc) rc = dispatch_queue_del(t, a);
    if (rc) return rc;
    Legalaid__AssignmentState from = a->state;
    a->state = LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED;
    a->termination = reason;
    a->has_termination = 1;
    a->termination_detail = (char *)detail;
    a->terminated_at = t->now;
    a->has_terminated_at = 1;
    a->offer = NULL;
    rc = dispatch_case_put(t, a);
    if (rc) return rc;
    Legalaid__CaseTerminated *b =
        ARENA_NEW(t->arena, Legalaid__CaseTerminated, legalaid__case_terminated__init);
    b->case_id = a->case_id;
    b->reason = reason;
    b->has_reason = 1;
    b->article = (char *)dispatch_art48[reason];
    b->detail = (char *)detail;
    b->objection_route = (char *)dispatch_end_objection_route(t);
    b->objection_body = (char *)dispatch_end_objection_body();
    b->from_eligibility = from_eligibility;
    b->has_from_eligibility = 1;
    b->lawyer_id = (char *)lawyer_id;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_CASE_TERMINATED;
    ev->case_terminated = b;
    turn_deadline_met(t, ev, "offer");
    turn_deadline_met(t, ev, "assignment");
    turn_deadline_met(t, ev, "agreement");
    turn_deadline_met(t, ev, "own_counsel");
    rc = turn_emit(t, a->case_id, ev);
    if (rc) return rc;
    log_info("aid terminated case=%s reason=%d by=%s from=%s", a->case_id, (int)reason,
             by ? by : "?", dispatch_case_state_name(from));
    uint32_t offered = 0;
    return lawyer_id ? dispatch_offer_drain_for(t, lawyer_id, &offered) : 0;
}

int dispatch_end_terminate_aid(turn_t *t, const Legalaid__TerminateAid *in, Legalaid__Reply *reply)
{
    if (!in->has_reason || in->reason < LEGALAID__TERMINATION_REASON__DECEPTION ||
        in->reason > LEGALAID__TERMINATION_REASON__OTHER_LAW) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "terminate_aid.reason",
                  _("the reason must be one of the eight grounds of Legal Aid Law art. 48 (1-8)"));
        return 0;
    }
    if (check_blank(in->detail) || strlen(in->detail) > LA_REASON_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "terminate_aid.detail",
                  _("the termination states its facts (1 to %d bytes): the recipient is told "
                    "them and may object (art. 49)"),
                  LA_REASON_MAX);
        return 0;
    }
    Legalaid__Assignment *a;
    int rc;
    if (!dispatch_case_request(t, in->case_id, "terminate_aid.case_id", reply, &a, &rc)) return rc;
    if (dispatch_ended(a->state)) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "terminate_aid.case_id",
                  _("case %s is %s: aid ends only before the matter concludes"), a->case_id,
                  dispatch_case_state_name(a->state));
        return 0;
    }
    rc = dispatch_end_terminate(t, a, in->reason, in->detail, turn_actor(t, in->by), 0);
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_ASSIGNMENT;
    reply->assignment = a;
    return 0;
}

/* The lawyer leaves the case: freed, never offered it again. */
static int dispatch_release_lawyer_off(turn_t *t, Legalaid__Assignment *a)
{
    int rc = dispatch_pool_lawyer_free(t, a);
    if (!rc)
        rc = due_del(t->txn, dispatch_due, a->agreement_due_at, DISPATCH_DUE_AGREEMENT, a->case_id,
                     strlen(a->case_id));
    if (rc) return rc;
    char **v = arena_alloc(t->arena, (a->n_former_lawyers + 1) * sizeof *v);
    if (a->n_former_lawyers) memcpy(v, a->former_lawyers, a->n_former_lawyers * sizeof *v);
    v[a->n_former_lawyers++] = a->lawyer->id;
    a->former_lawyers = v;
    return 0;
}

static int dispatch_released(turn_t *t, Legalaid__Assignment *a, Legalaid__ReleaseKind kind,
                             const char *lawyer_id, const char *reason)
{
    Legalaid__LawyerReleased *b =
        ARENA_NEW(t->arena, Legalaid__LawyerReleased, legalaid__lawyer_released__init);
    b->case_id = a->case_id;
    b->kind = kind;
    b->has_kind = 1;
    b->lawyer_id = (char *)lawyer_id;
    b->reason = (char *)reason;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_LAWYER_RELEASED;
    ev->lawyer_released = b;
    turn_deadline_met(t, ev, "agreement");
    if (a->state == LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL) {
        b->own_counsel_due_at = a->own_counsel_due_at;
        b->has_own_counsel_due_at = 1;
        turn_deadline(t, ev, "own_counsel", a->own_counsel_due_at, LEGALAID__PARTY__APPLICANT, NULL,
                      "retain your own defence lawyer, or a new one is appointed",
                      "CPL interpretation art. 50");
    }
    return turn_emit(t, a->case_id, ev);
}

/* Back to the order of work with a fresh assignment deadline. */
static int dispatch_reappoint(turn_t *t, Legalaid__Assignment *a)
{
    a->state = LEGALAID__ASSIGNMENT_STATE__QUEUED;
    a->lawyer = NULL;
    a->offer = NULL;
    a->overdue = 0;
    a->assign_due_at = dispatch_time_days_after(t, dispatch_config.reassign_days);
    a->has_assign_due_at = 1;
    int rc = due_put(t->txn, dispatch_due, a->assign_due_at, DISPATCH_DUE_ASSIGN, a->case_id,
                     strlen(a->case_id));
    if (!rc) rc = dispatch_offer_next(t, a);
    return rc;
}

int dispatch_end_release_lawyer(turn_t *t, const Legalaid__ReleaseLawyer *in,
                                Legalaid__Reply *reply)
{
    if (!in->has_kind || in->kind < LEGALAID__RELEASE_KIND__REPLACEMENT ||
        in->kind > LEGALAID__RELEASE_KIND__OWN_COUNSEL_RETAINED) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "release_lawyer.kind",
                  _("kind must be REPLACEMENT, DEFENDANT_REFUSAL or OWN_COUNSEL_RETAINED"));
        return 0;
    }
    if (check_blank(in->reason) || strlen(in->reason) > LA_REASON_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "release_lawyer.reason",
                  _("the reason is required (1 to %d bytes)"), LA_REASON_MAX);
        return 0;
    }
    /* 2023 rules: a replacement needs evidence the duty was not performed. */
    if (in->kind == LEGALAID__RELEASE_KIND__REPLACEMENT &&
        (check_blank(in->evidence) || strlen(in->evidence) > LA_REASON_MAX)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "release_lawyer.evidence",
                  _("a replacement needs the evidence that the lawyer did not perform the duties "
                    "(Legal Aid Law art. 55)"));
        return 0;
    }
    Legalaid__Assignment *a;
    int rc;
    if (!dispatch_case_request(t, in->case_id, "release_lawyer.case_id", reply, &a, &rc)) return rc;
    int awaiting = a->state == LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL;
    if (!(dispatch_handling(a->state) && a->lawyer) &&
        !(awaiting && in->kind == LEGALAID__RELEASE_KIND__OWN_COUNSEL_RETAINED)) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "release_lawyer.case_id",
                  _("case %s is %s: no lawyer is handling it"), a->case_id,
                  dispatch_case_state_name(a->state));
        return 0;
    }
    if (in->kind == LEGALAID__RELEASE_KIND__DEFENDANT_REFUSAL &&
        a->category != LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "release_lawyer.kind",
                  _("case %s is not a defence: a recipient who does not want the lawyer asks "
                    "for a replacement (art. 55) or to stop (art. 48(7))"),
                  a->case_id);
        return 0;
    }
    const char *lawyer_id = a->lawyer && !awaiting ? a->lawyer->id : NULL;
    if (in->kind == LEGALAID__RELEASE_KIND__OWN_COUNSEL_RETAINED) {
        /* Own counsel retained: aid ends (art. 48(6); CPL interpretation art. 51). */
        rc = dispatch_end_terminate(t, a, LEGALAID__TERMINATION_REASON__OWN_COUNSEL, in->reason,
                                    turn_actor(t, in->by), 0);
    } else if (in->kind == LEGALAID__RELEASE_KIND__DEFENDANT_REFUSAL && !a->mandatory) {
        /* Not a mandatory case: the defendant may defend himself (CPL
         * interpretation art. 50(1)); the aid ends at his request. */
        rc = dispatch_end_terminate(t, a, LEGALAID__TERMINATION_REASON__RECIPIENT_REQUEST,
                                    in->reason, turn_actor(t, in->by), 0);
    } else {
        rc = dispatch_release_lawyer_off(t, a);
        if (rc) return rc;
        if (in->kind == LEGALAID__RELEASE_KIND__DEFENDANT_REFUSAL) {
            a->state = LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL;
            a->own_counsel_due_at = dispatch_time_days_after(t, dispatch_config.own_counsel_days);
            a->has_own_counsel_due_at = 1;
            rc = dispatch_case_put(t, a);
            if (!rc)
                rc = due_put(t->txn, dispatch_due, a->own_counsel_due_at, DISPATCH_DUE_OWN_COUNSEL,
                             a->case_id, strlen(a->case_id));
            if (!rc) rc = dispatch_released(t, a, in->kind, lawyer_id, in->reason);
        } else {
            a->state = LEGALAID__ASSIGNMENT_STATE__QUEUED;
            rc = dispatch_released(t, a, in->kind, lawyer_id, in->reason);
            if (!rc) rc = dispatch_reappoint(t, a);
        }
        uint32_t offered = 0;
        if (!rc) rc = dispatch_offer_drain_for(t, lawyer_id, &offered);
    }
    if (rc) return rc;
    log_info("lawyer released case=%s kind=%d", a->case_id, (int)in->kind);
    /* Re-read: the drain may have offered the case again. */
    rc = dispatch_case_get(t, a->case_id, &a);
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_ASSIGNMENT;
    reply->assignment = a;
    return 0;
}

int dispatch_end_own_counsel_due(turn_t *t, const char *case_id)
{
    Legalaid__Assignment *a;
    int rc = dispatch_case_get(t, case_id, &a);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    if (a->state != LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL ||
        a->own_counsel_due_at > t->now)
        return 0;
    /* No counsel retained within the period: appointed again (CPL
     * interpretation art. 50(2)). */
    Legalaid__Event *ev = turn_event(t);
    turn_deadline_met(t, ev, "own_counsel");
    Legalaid__AssignmentState from = a->state;
    a->state = LEGALAID__ASSIGNMENT_STATE__QUEUED;
    a->lawyer = NULL;
    rc = dispatch_case_put(t, a);
    if (!rc)
        rc = dispatch_case_progressed(
            t, a, from, "dispatch",
            "no own counsel retained in time: a lawyer is appointed again (CPL interpretation "
            "art. 50)",
            ev);
    if (!rc) rc = dispatch_reappoint(t, a);
    return rc;
}
