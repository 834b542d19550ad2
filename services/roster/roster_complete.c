/*
 * roster_complete.c - CompleteDutyRequest: the duty log of the help given
 * (R-DUTY-09: the charge, the question and the advice; S7 art. 7
 * [VERIFY]), the presence at the signing of the 认罪认罚具结书 (S2 art.
 * 174, S4 art. 272; R-DUTY-04/05: signed in the presence of the duty
 * lawyer unless an exception applies), and for a legal-aid application the
 * duty lawyer took, the custody-forwarded application itself: published in
 * DutyRequestCompleted at once, so intake registers it well within the 24
 * hours of art. 39 (DOMAIN T-06), with the station as the facility and
 * the time the lawyer took it as custody_received_at.
 */
#include <string.h>

#include "check.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

#define ROSTER_LOG_TEXT_MAX 4000

static int roster_log_text(turn_t *t, const char *text, const char *name, const char **field,
                           const char **msg)
{
    if (!check_blank(text) && strlen(text) <= ROSTER_LOG_TEXT_MAX) return 0;
    *field = arena_printf(t->arena, "complete_duty_request.log.%s", name);
    *msg = arena_printf(t->arena, "%s is required in the duty log (R-DUTY-09), at most %d bytes",
                        name, ROSTER_LOG_TEXT_MAX);
    return -1;
}

/* The duty log's checks: 0, or -1 with *field and *msg. */
static int roster_log_check(turn_t *t, const Legalaid__DutyRequest *r, const Legalaid__DutyLog *lg,
                            const char **field, const char **msg)
{
    if (!lg) {
        *field = "complete_duty_request.log";
        *msg = "the duty log is required: charge, question, help_given";
        return -1;
    }
    if (roster_log_text(t, lg->charge, "charge", field, msg) ||
        roster_log_text(t, lg->question, "question", field, msg) ||
        roster_log_text(t, lg->help_given, "help_given", field, msg))
        return -1;
    if (r->kind == LEGALAID__DUTY_REQUEST_KIND__DUTY_PLEA_SIGNING) {
        /* S2 art. 174: the 具结书 is signed in the presence of the duty
         * lawyer; without presence, the exception must be recorded. */
        *field = "complete_duty_request.log.plea_signing_present";
        if (!lg->has_plea_signing_present) {
            *msg = "plea_signing_present is required for a plea signing: was the duty lawyer "
                   "present at the signing of the 认罪认罚具结书 (S2 art. 174)?";
            return -1;
        }
        if (!lg->plea_signing_present && check_blank(lg->plea_exception)) {
            *field = "complete_duty_request.log.plea_exception";
            *msg = "plea_exception is required when the duty lawyer was not present: the "
                   "exception of S2 art. 174 / S4 art. 272 that applied";
            return -1;
        }
    } else if (lg->has_plea_signing_present && lg->plea_signing_present) {
        *field = "complete_duty_request.log.plea_signing_present";
        *msg = "plea_signing_present belongs to plea-signing requests";
        return -1;
    }
    const Legalaid__Application *a = lg->application;
    if (r->kind == LEGALAID__DUTY_REQUEST_KIND__DUTY_AID_APPLICATION) {
        *field = "complete_duty_request.log.application";
        if (!a) {
            *msg = "the application the duty lawyer took is required (art. 39: forwarded to "
                   "the legal-aid centre within 24 hours)";
            return -1;
        }
        if (a->case_id || a->has_received_at || a->has_custody_forward_late) {
            *msg = "case_id, received_at and custody_forward_late are set by intake; leave them "
                   "out";
            return -1;
        }
        if (a->has_channel && a->channel != LEGALAID__CHANNEL__CUSTODY_FORWARD) {
            *field = "complete_duty_request.log.application.channel";
            *msg = "an application taken by a duty lawyer is forwarded as custody_forward";
            return -1;
        }
    } else if (a) {
        *field = "complete_duty_request.log.application";
        *msg = "an application belongs to aid_application requests";
        return -1;
    }
    return 0;
}

/* Fills what the roster knows of a custody-forwarded application. */
static void roster_forward_fill(turn_t *t, const Legalaid__DutyRequest *r,
                                const Legalaid__Station *st, Legalaid__Application *a)
{
    a->has_channel = 1;
    a->channel = LEGALAID__CHANNEL__CUSTODY_FORWARD;
    if (!a->station) a->station = r->station;
    if (!a->custody_facility) a->custody_facility = st->name;
    if (!a->has_custody_received_at) {
        a->custody_received_at = t->now;
        a->has_custody_received_at = 1;
    }
    if (!a->applicant) {
        a->applicant = ARENA_NEW(t->arena, Legalaid__Person, legalaid__person__init);
        a->applicant->name = r->person_name;
        a->applicant->id_number = r->person_id_number;
    }
    if (!a->has_category) {
        a->has_category = 1;
        a->category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    }
}

int roster_request_complete(turn_t *t, const Legalaid__CompleteDutyRequest *in,
                            Legalaid__Reply *reply)
{
    Legalaid__DutyRequest *r;
    int rc = roster_request_load(t, in->id, &r);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "complete_duty_request.id",
                  "no duty request %.64s", in->id ? in->id : "");
        return 0;
    }
    if (rc) return rc;
    if (r->state == LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_COMPLETED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "complete_duty_request.id",
                  "duty request %s is already completed", r->id);
        return 0;
    }
    if (r->state != LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ACKNOWLEDGED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "complete_duty_request.id",
                  "duty request %s is not acknowledged yet: the lawyer takes it first (ack)",
                  r->id);
        return 0;
    }
    if (!in->lawyer_id || strcmp(in->lawyer_id, r->lawyer_id) != 0) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "complete_duty_request.lawyer_id",
                  "duty request %s is held by lawyer %s, not %s", r->id, r->lawyer_id,
                  in->lawyer_id ? in->lawyer_id : "(none)");
        return 0;
    }
    const char *field, *msg;
    if (roster_log_check(t, r, in->log, &field, &msg) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, "%s", msg);
        return 0;
    }
    Legalaid__Station *st;
    if ((rc = roster_station_get(t, r->station, &st))) return rc;
    if (in->log->application) roster_forward_fill(t, r, st, in->log->application);
    r->log = in->log;
    r->state = LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_COMPLETED;
    r->completed_at = t->now;
    r->has_completed_at = 1;
    if ((rc = roster_request_save(t, r))) return rc;
    Legalaid__DutyRequestCompleted *b =
        ARENA_NEW(t->arena, Legalaid__DutyRequestCompleted, legalaid__duty_request_completed__init);
    b->request = r;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_DUTY_REQUEST_COMPLETED;
    ev->duty_request_completed = b;
    if ((rc = turn_emit(t, NULL, ev))) return rc;
    log_info("duty request %s completed%s", r->id,
             in->log->application ? ": application forwarded to intake (art. 39)" : "");
    reply->body_case = LEGALAID__REPLY__BODY_DUTY_REQUEST;
    reply->duty_request = r;
    return 0;
}
