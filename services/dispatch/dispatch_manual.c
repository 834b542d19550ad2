/*
 * dispatch_manual.c - AssignManually: staff assign a lawyer of their choice
 * to a case waiting for one (QUEUED, OFFERED or NEEDS_STAFF). Every hard
 * rule still holds (dispatch_match_lawful); the assignment is counted
 * apart, out of the fairness count; an offer open to another lawyer is
 * withdrawn. The move itself is the offer machine's (dispatch_offer.c).
 */
#include <string.h>

#include "check.h"
#include "dispatch_int.h"
#include "i18n.h"
#include "store.h"

int dispatch_manual_assign(turn_t *t, const Legalaid__AssignManually *in, Legalaid__Reply *reply)
{
    Legalaid__Assignment *a;
    int err;
    if (!dispatch_case_request(t, in->case_id, "assign_manually.case_id", reply, &a, &err))
        return err;
    if (check_blank(in->reason) || strlen(in->reason) > DISPATCH_OFFER_REASON_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "assign_manually.reason",
                  _("a manual assignment needs its reason (1 to %d bytes)"),
                  DISPATCH_OFFER_REASON_MAX);
        return 0;
    }
    if (a->state != LEGALAID__ASSIGNMENT_STATE__QUEUED &&
        a->state != LEGALAID__ASSIGNMENT_STATE__OFFERED &&
        a->state != LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "assign_manually.case_id",
                  _("case %s is %s: only a case waiting for a lawyer is assigned"), a->case_id,
                  dispatch_case_state_name(a->state));
        return 0;
    }
    if (check_blank(in->lawyer_id)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "assign_manually.lawyer_id",
                  _("lawyer_id is required: the lawyer staff assign"));
        return 0;
    }
    Legalaid__Lawyer *l;
    int rc = dispatch_pool_lawyer_get(t, in->lawyer_id, &l);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "assign_manually.lawyer_id",
                  _("lawyer %s is not in the pool"), in->lawyer_id ? in->lawyer_id : "(none)");
        return 0;
    }
    if (rc) return rc;
    int holds = a->offer && a->offer->lawyer && a->offer->lawyer->id &&
                strcmp(a->offer->lawyer->id, l->id) == 0;
    int64_t e;
    const char *why = dispatch_match_lawful(t, a, l, holds, &e);
    if (e) return (int)e;
    if (why) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "assign_manually.lawyer_id",
                  _("lawyer %s may not take case %s: %s"), l->id, a->case_id, why);
        return 0;
    }
    /* An open offer to someone else is withdrawn. */
    const char *offered = a->offer && a->offer->lawyer ? a->offer->lawyer->id : NULL;
    rc = dispatch_offer_close(t, a);
    if (!rc && offered && !holds) rc = dispatch_conflict_forget(t, a, offered);
    if (!rc) rc = dispatch_offer_assign(t, a, l, turn_actor(t, in->staff), in->reason);
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_ASSIGNMENT;
    reply->assignment = a;
    return 0;
}
