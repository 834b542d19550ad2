/*
 * intake_withdraw.c - WithdrawApplication: the applicant withdraws; the
 * case is marked withdrawn (table "withdrawn"), leaves the open-cases index
 * so that a new application of the same person and matter opens a new case,
 * and ApplicationWithdrawn is published. Only the applicant's own
 * application can be withdrawn: an authority's notification (art. 25, 28)
 * is not theirs to withdraw.
 */
#include <string.h>

#include "i18n.h"
#include "intake_cases.h"
#include "intake_int.h"
#include "store.h"

#define REASON_MAX_BYTES 500

int intake_withdraw(turn_t *t, const Legalaid__WithdrawApplication *w, Legalaid__Reply *reply)
{
    if (!w->case_id || !w->case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "withdraw_application.case_id",
                  _("case_id is required"));
        return 0;
    }
    if (w->reason && strlen(w->reason) > REASON_MAX_BYTES) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "withdraw_application.reason",
                  _("reason is longer than %d bytes"), REASON_MAX_BYTES);
        return 0;
    }
    Legalaid__Application *a;
    int rc = intake_store_application_load(t, w->case_id, &a);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "withdraw_application.case_id",
                  _("no application with case number %s"), w->case_id);
        return 0;
    }
    if (rc) return rc;
    if ((rc = intake_store_withdrawn_is(t, w->case_id)) != 0) {
        if (rc < 0) return rc;
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "withdraw_application.case_id",
                  _("application %s is already withdrawn"), w->case_id);
        return 0;
    }
    if (a->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "withdraw_application.case_id",
                  _("case %s is an authority's notification (art. 25, 28), not an application "
                    "the defendant can withdraw"),
                  w->case_id);
        return 0;
    }

    Legalaid__ApplicationWithdrawn *b =
        ARENA_NEW(t->arena, Legalaid__ApplicationWithdrawn, legalaid__application_withdrawn__init);
    b->case_id = a->case_id;
    b->reason = w->reason;
    rc = store_put_pb(t->txn, intake_withdrawn, a->case_id, strlen(a->case_id), &b->base,
                      MDB_NOOVERWRITE);
    if (!rc) rc = intake_store_open_close(t, a);
    if (rc) return rc;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_APPLICATION_WITHDRAWN;
    ev->application_withdrawn = b;
    rc = turn_emit(t, a->case_id, ev);
    if (!rc)
        rc = intake_cases_follow_state(t, a->case_id, LEGALAID__CASE_STATE__CASE_WITHDRAWN, NULL);
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_APPLICATION;
    reply->application = a;
    return 0;
}
