/*
 * intake_duty.c - what intake hears from the roster: a duty request
 * completed with a legal-aid application the duty lawyer took
 * (DutyRequestCompleted whose duty log holds the application) becomes a
 * custody-forwarded application (channel CUSTODY_FORWARD, art. 39: a duty
 * lawyer forwards within 24 hours, DOMAIN T-06), submitted exactly as one
 * from a desk: the same checks, case number and ApplicationReceived. Every
 * other roster event is none of intake's business.
 *
 * The facts of the matter the application form asks for (申请表) are, on a
 * duty lawyer's forward, the charge the duty log records: when the
 * application states none, the charge stands for them.
 *
 * The roster event is applied once (the stream's offset moves in the same
 * transaction); an application intake's checks refuse goes to the dead
 * letters with the field and message, for staff to mend and re-drive.
 */
#include "check.h"
#include "intake_int.h"
#include "log.h"

int intake_duty_apply(turn_t *t, const Legalaid__Event *ev)
{
    if (ev->body_case != LEGALAID__EVENT__BODY_DUTY_REQUEST_COMPLETED) return 0;
    const Legalaid__DutyRequest *r =
        ev->duty_request_completed ? ev->duty_request_completed->request : NULL;
    if (!r || !r->log || !r->log->application) return 0; /* help given, nothing to forward */
    Legalaid__Application *a = r->log->application;
    if (a->channel != LEGALAID__CHANNEL__CUSTODY_FORWARD)
        return turn_reject(t,
                           "duty request %s forwards an application that is not a custody "
                           "forward",
                           r->id ? r->id : "?");
    if (check_blank(a->matter)) {
        const char *charge = r->log->charge;
        if (!check_blank(charge)) a->matter = arena_printf(t->arena, "罪名：%s", charge);
    }
    Legalaid__SubmitApplication s = LEGALAID__SUBMIT_APPLICATION__INIT;
    s.application = a;
    Legalaid__Reply reply = LEGALAID__REPLY__INIT;
    int rc = intake_submit(t, &s, &reply);
    if (rc) return rc;
    if (reply.has_code && reply.code != LEGALAID__CODE__OK)
        return turn_reject(
            t, "duty request %s: the forwarded application is refused: %s (field %s)",
            r->id ? r->id : "?", reply.error ? reply.error : "?", reply.field ? reply.field : "-");
    if (reply.body_case == LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED)
        log_info("duty request %s: custody-forwarded application registered as case %s",
                 r->id ? r->id : "?", reply.application_accepted->case_id);
    return 0;
}
