/*
 * dispatch_lifecycle.c - the case from acceptance to its end. AdvanceCase
 * moves it one step; anything else is refused, naming the step that comes
 * next:
 *
 *   ASSIGNED          --signed-----------> AGREEMENT_SIGNED  (程序规定 art. 27: 5 days)
 *   AGREEMENT_SIGNED  --started----------> IN_PROGRESS
 *   IN_PROGRESS       --concluded--------> CONCLUDED         closing file due (art. 50)
 *   CONCLUDED         --file submitted---> FILE_SUBMITTED    two reviews (dispatch_review.c)
 *   FILE_SUBMITTED    --graded-----------> REVIEWED          (dispatch_review.c)
 *
 * ReleaseLawyer takes the lawyer off a case being handled (ASSIGNED,
 * AGREEMENT_SIGNED, IN_PROGRESS):
 *   REPLACEMENT          the recipient asks, with evidence (art. 55): a new
 *                        lawyer is offered it, never the one replaced;
 *   DEFENDANT_REFUSAL    a mandatory case (通知辩护): AWAITING_OWN_COUNSEL for
 *                        own_counsel_days, then appointed again (CPL
 *                        interpretation art. 50); otherwise the defendant
 *                        may defend himself: aid ends (art. 48(7));
 *   OWN_COUNSEL_RETAINED own counsel retained: aid ends (art. 48(6)).
 * TerminateAid ends the aid on one of the eight grounds of art. 48 in any
 * state before the matter concluded; the objection route (art. 49) is open
 * through eligibility, which records the termination.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dispatch_int.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

/* The lawyer's capacity came free: the waiting cases are offered in the
 * order of work. */
static int dispatch_capacity_freed(turn_t *t, const char *lawyer_id)
{
    uint32_t offered = 0;
    return dispatch_offer_drain_for(t, lawyer_id, &offered);
}

static const char *dispatch_next_step(Legalaid__AssignmentState s)
{
    switch (s) {
    case LEGALAID__ASSIGNMENT_STATE__QUEUED:
    case LEGALAID__ASSIGNMENT_STATE__OFFERED:
    case LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF:
        return _("a lawyer accepts it (or staff assign one) first");
    case LEGALAID__ASSIGNMENT_STATE__ASSIGNED:
        return _("next the agreement is signed");
    case LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED:
        return _("next the handling starts");
    case LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS:
        return _("next the matter concludes");
    case LEGALAID__ASSIGNMENT_STATE__CONCLUDED:
        return _("next the closing file is submitted");
    case LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED:
        return _("next the file is reviewed");
    case LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL:
        return _("the defendant has refused the lawyer and may retain counsel");
    default:
        return _("it has ended");
    }
}

/* The one legal step into `to`, or UNSPECIFIED. */
static Legalaid__AssignmentState dispatch_step_from(Legalaid__AssignmentState to)
{
    switch (to) {
    case LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED:
        return LEGALAID__ASSIGNMENT_STATE__ASSIGNED;
    case LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS:
        return LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED;
    case LEGALAID__ASSIGNMENT_STATE__CONCLUDED:
        return LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS;
    case LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED:
        return LEGALAID__ASSIGNMENT_STATE__CONCLUDED;
    default:
        return LEGALAID__ASSIGNMENT_STATE__ASSIGNMENT_UNSPECIFIED;
    }
}

static int dispatch_text_bad(const char *s)
{
    return s && strlen(s) > LA_REASON_MAX;
}

/* The matter concluded (a lawyer's report, or the court's judgment through
 * ReportCaseEvent): the result recorded, the lawyer's capacity freed, the
 * closing file due (art. 50, R-CLOSE-02). */
static int dispatch_lifecycle_conclude_fields(turn_t *t, Legalaid__Assignment *a,
                                              const char *result, int has_amount,
                                              int64_t amount_fen, Legalaid__Event *ev)
{
    a->concluded_at = t->now;
    a->has_concluded_at = 1;
    a->result = (char *)result;
    a->amount_recovered_fen = amount_fen;
    a->has_amount_recovered_fen = has_amount;
    a->file_due_at = dispatch_time_days_after(t, dispatch_config.closing_file_days);
    a->has_file_due_at = 1;
    int rc = dispatch_pool_lawyer_free(t, a);
    if (!rc)
        rc = due_put(t->txn, dispatch_due, a->file_due_at, DISPATCH_DUE_FILE, a->case_id,
                     strlen(a->case_id));
    turn_deadline(t, ev, "closing_file", a->file_due_at, LEGALAID__PARTY__LAWYER,
                  a->lawyer ? a->lawyer->id : NULL,
                  "submit the closing file (copies of documents and a report)",
                  "Legal Aid Law art. 50");
    return rc;
}

/* The move from -> a->state done: stored, CaseProgressed published; a
 * concluded case frees the lawyer for the waiting ones. */
static int dispatch_lifecycle_moved(turn_t *t, Legalaid__Assignment *a,
                                    Legalaid__AssignmentState from, const char *by,
                                    const char *note, Legalaid__Event *ev)
{
    int rc = dispatch_case_put(t, a);
    if (!rc) rc = dispatch_case_progressed(t, a, from, by, note, ev);
    if (!rc && a->state == LEGALAID__ASSIGNMENT_STATE__CONCLUDED)
        rc = dispatch_capacity_freed(t, a->lawyer ? a->lawyer->id : NULL);
    if (!rc)
        log_info("case %s: %s -> %s", a->case_id, dispatch_case_state_name(from),
                 dispatch_case_state_name(a->state));
    return rc;
}

int dispatch_lifecycle_conclude(turn_t *t, Legalaid__Assignment *a, const char *result,
                                const char *by, const char *note, Legalaid__Event *ev)
{
    Legalaid__AssignmentState from = a->state;
    int rc = 0;
    if (!a->signed_at) { /* concluded before an agreement: none is due any more */
        rc = due_del(t->txn, dispatch_due, a->agreement_due_at, DISPATCH_DUE_AGREEMENT, a->case_id,
                     strlen(a->case_id));
        turn_deadline_met(t, ev, "agreement");
    }
    if (!rc) rc = dispatch_lifecycle_conclude_fields(t, a, result, 0, 0, ev);
    if (rc) return rc;
    a->state = LEGALAID__ASSIGNMENT_STATE__CONCLUDED;
    return dispatch_lifecycle_moved(t, a, from, by, note, ev);
}

int dispatch_lifecycle_advance(turn_t *t, const Legalaid__AdvanceCase *in, Legalaid__Reply *reply)
{
    Legalaid__AssignmentState from = dispatch_step_from(in->to);
    if (!in->has_to || from == LEGALAID__ASSIGNMENT_STATE__ASSIGNMENT_UNSPECIFIED) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "advance_case.to",
                  _("a case is moved to AGREEMENT_SIGNED, IN_PROGRESS, CONCLUDED or "
                    "FILE_SUBMITTED, not to %s"),
                  dispatch_case_state_name(in->to));
        return 0;
    }
    if (dispatch_text_bad(in->note) || dispatch_text_bad(in->result)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD,
                  dispatch_text_bad(in->note) ? "advance_case.note" : "advance_case.result",
                  _("the text is longer than %d bytes"), LA_REASON_MAX);
        return 0;
    }
    Legalaid__Assignment *a;
    int rc;
    if (!dispatch_case_request(t, in->case_id, "advance_case.case_id", reply, &a, &rc)) return rc;
    if (turn_refuse_binding(t, reply, NULL, a->lawyer ? a->lawyer->id : NULL, NULL,
                            "advance_case.case_id"))
        return 0;
    if (a->state != from) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "advance_case.to",
                  _("case %s is %s and cannot go to %s: %s"), a->case_id,
                  dispatch_case_state_name(a->state), dispatch_case_state_name(in->to),
                  dispatch_next_step(a->state));
        return 0;
    }
    Legalaid__Event *ev = turn_event(t);
    switch (in->to) {
    case LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED:
        a->signed_at = t->now;
        a->has_signed_at = 1;
        rc = due_del(t->txn, dispatch_due, a->agreement_due_at, DISPATCH_DUE_AGREEMENT, a->case_id,
                     strlen(a->case_id));
        turn_deadline_met(t, ev, "agreement");
        break;
    case LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS:
        a->started_at = t->now;
        a->has_started_at = 1;
        break;
    case LEGALAID__ASSIGNMENT_STATE__CONCLUDED:
        if (check_blank(in->result)) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "advance_case.result",
                      _("a concluded case needs its result (judgment, settlement, award ...)"));
            return 0;
        }
        if (in->has_amount_recovered_fen && in->amount_recovered_fen < 0) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "advance_case.amount_recovered_fen",
                      _("the amount recovered cannot be negative"));
            return 0;
        }
        rc = dispatch_lifecycle_conclude_fields(t, a, in->result, in->has_amount_recovered_fen,
                                                in->amount_recovered_fen, ev);
        break;
    case LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED:
        if (in->n_documents == 0) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "advance_case.documents",
                      _("a closing file lists its documents (art. 50: copies of the legal "
                        "documents and the handling report)"));
            return 0;
        }
        for (size_t i = 0; i < in->n_documents; i++)
            if (check_blank(in->documents[i]) || strlen(in->documents[i]) > 200) {
                turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "advance_case.documents",
                          _("documents[%zu] must be 1 to 200 bytes"), i);
                return 0;
            }
        a->file_submitted_at = t->now;
        a->has_file_submitted_at = 1;
        a->file_documents = in->documents;
        a->n_file_documents = in->n_documents;
        rc = due_del(t->txn, dispatch_due, a->file_due_at, DISPATCH_DUE_FILE, a->case_id,
                     strlen(a->case_id));
        if (!rc) rc = dispatch_review_file_submitted(t, a);
        turn_deadline_met(t, ev, "closing_file");
        if (!rc && a->has_review_due_at)
            turn_deadline(t, ev, "file_review", a->review_due_at, LEGALAID__PARTY__STAFF, NULL,
                          "review the closing file (一卷二评)", "Legal Aid Law art. 57, 59");
        break;
    default:
        break;
    }
    if (rc) return rc;
    a->state = in->to;
    rc = dispatch_lifecycle_moved(t, a, from, turn_actor(t, in->by), in->note, ev);
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_ASSIGNMENT;
    reply->assignment = a;
    return 0;
}
