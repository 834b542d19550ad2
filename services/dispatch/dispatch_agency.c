/*
 * dispatch_agency.c - ReportCaseEvent: what the court, procuratorate or
 * police that notified a case tells the centre later (the gateway's POST
 * /v1/events acts for the agency, which may speak only of its own cases;
 * staff may enter what an authority told them by telephone):
 *
 *   HEARING_SET, HEARING_MOVED  the hearing kept on the case; the handling
 *                               lawyer reminded before it ("hearing", a
 *                               reminder-only deadline); one set less than
 *                               hearing_notice_days ahead is short notice
 *                               (高法解释 art. 49, DOMAIN T-10)
 *   RELEASED, TRANSFERRED       the person left custody, or was moved (or
 *                               the case went to another authority): kept
 *                               on the case and told to the lawyer
 *   JUDGMENT                    the matter concluded, as a lawyer's
 *                               AdvanceCase CONCLUDED would (closing file
 *                               due, art. 50), from any state a lawyer
 *                               handles it in
 *
 * Each publishes CaseEventReported: notify tells the handling lawyer, or
 * the staff while no lawyer handles the case.
 */
#include <string.h>

#include "check.h"
#include "dispatch_int.h"
#include "log.h"
#include "i18n.h"

#define DAY_MS (24LL * 3600 * 1000)

static const char *dispatch_agency_kind_name(Legalaid__CaseEventKind k)
{
    switch (k) {
    case LEGALAID__CASE_EVENT_KIND__HEARING_SET: return "hearing_set";
    case LEGALAID__CASE_EVENT_KIND__HEARING_MOVED: return "hearing_moved";
    case LEGALAID__CASE_EVENT_KIND__RELEASED: return "released";
    case LEGALAID__CASE_EVENT_KIND__TRANSFERRED: return "transferred";
    case LEGALAID__CASE_EVENT_KIND__JUDGMENT: return "judgment";
    default: return "unspecified";
    }
}

/* A lawyer handles the case now (and is the one told). */
static int dispatch_agency_handled(const Legalaid__Assignment *a)
{
    return a->lawyer && (a->state == LEGALAID__ASSIGNMENT_STATE__ASSIGNED ||
                         a->state == LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED ||
                         a->state == LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS);
}

static int dispatch_agency_ended(const Legalaid__Assignment *a)
{
    return a->state == LEGALAID__ASSIGNMENT_STATE__CONCLUDED ||
           a->state == LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED ||
           a->state == LEGALAID__ASSIGNMENT_STATE__REVIEWED ||
           a->state == LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED;
}

static int dispatch_agency_text_bad(turn_t *t, Legalaid__Reply *reply, const char *s,
                                    const char *field, size_t max)
{
    if (!s || strlen(s) <= max) return 0;
    turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, _("%s is longer than %zu bytes"),
              field, max);
    return 1;
}

/* The fields each kind needs; 1 after refusing. */
static int dispatch_agency_refused(turn_t *t, const Legalaid__ReportCaseEvent *in,
                                   Legalaid__Reply *reply)
{
    if (!in->has_kind || !strcmp(dispatch_agency_kind_name(in->kind), "unspecified")) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "report_case_event.kind",
                  _("kind is one of hearing_set, hearing_moved, released, transferred, judgment"));
        return 1;
    }
    if (check_blank(in->reference)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "report_case_event.reference",
                  _("the event's reference (the authority's 文号 of it) is required"));
        return 1;
    }
    if (dispatch_agency_text_bad(t, reply, in->reference, "report_case_event.reference",
                                 LA_CASE_REFERENCE_MAX) ||
        dispatch_agency_text_bad(t, reply, in->place, "report_case_event.place", LA_ADDRESS_MAX) ||
        dispatch_agency_text_bad(t, reply, in->result, "report_case_event.result", LA_REASON_MAX) ||
        dispatch_agency_text_bad(t, reply, in->note, "report_case_event.note", LA_REASON_MAX) ||
        dispatch_agency_text_bad(t, reply, in->by, "report_case_event.by", LA_STAFF_MAX))
        return 1;
    switch (in->kind) {
    case LEGALAID__CASE_EVENT_KIND__HEARING_SET:
    case LEGALAID__CASE_EVENT_KIND__HEARING_MOVED:
        if (!in->has_at || in->at <= t->now || in->at > t->now + 3 * 366 * DAY_MS) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "report_case_event.at",
                      _("a hearing gives its time, in the future and within three years"));
            return 1;
        }
        return 0;
    case LEGALAID__CASE_EVENT_KIND__RELEASED:
        if (in->has_at && in->at > t->now) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "report_case_event.at",
                      _("a release is reported when it happened, not ahead of it"));
            return 1;
        }
        return 0;
    case LEGALAID__CASE_EVENT_KIND__TRANSFERRED:
        if (check_blank(in->place)) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "report_case_event.place",
                      _("a transfer names where to (the facility or the authority)"));
            return 1;
        }
        return 0;
    default: /* JUDGMENT */
        if (check_blank(in->result)) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "report_case_event.result",
                      _("a judgment gives its result, as the case's conclusion records it"));
            return 1;
        }
        return 0;
    }
}

/* The hearing on the case, and the reminder to whoever must attend. */
static void dispatch_agency_hearing(turn_t *t, Legalaid__Assignment *a,
                                    const Legalaid__ReportCaseEvent *in, Legalaid__Event *ev,
                                    Legalaid__CaseEventReported *b)
{
    a->hearing_at = in->at;
    a->has_hearing_at = 1;
    if (!check_blank(in->place)) a->hearing_place = in->place;
    b->short_notice = in->at - t->now < dispatch_config.hearing_notice_days * DAY_MS;
    b->has_short_notice = 1;
    int lawyer = dispatch_agency_handled(a);
    Legalaid__Deadline *dl = turn_deadline(
        t, ev, "hearing", in->at, lawyer ? LEGALAID__PARTY__LAWYER : LEGALAID__PARTY__STAFF,
        lawyer ? a->lawyer->id : NULL,
        lawyer ? arena_printf(t->arena, "出庭参加庭审%s%s", a->hearing_place ? "：" : "",
                              a->hearing_place ? a->hearing_place : "")
               : "安排承办律师出庭参加庭审",
        "高法解释 art. 49");
    dl->reminder_only = dl->has_reminder_only = 1;
    dl->place = a->hearing_place;
}

int dispatch_agency_report(turn_t *t, const Legalaid__ReportCaseEvent *in, Legalaid__Reply *reply)
{
    if (dispatch_agency_refused(t, in, reply)) return 0;
    Legalaid__Assignment *a;
    int rc;
    if (!dispatch_case_request(t, in->case_id, "report_case_event.case_id", reply, &a, &rc))
        return rc;
    const char *authority = a->authority ? a->authority->name : NULL;
    if (turn_refuse_binding(t, reply, NULL, NULL, authority, "report_case_event.case_id"))
        return 0;
    if (dispatch_agency_ended(a)) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "report_case_event.case_id",
                  _("案件 %s 已%s, 不再接收 %s (case %s has %s)"), a->case_id,
                  a->state == LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED ? "终止法律援助" : "办结",
                  dispatch_agency_kind_name(in->kind), a->case_id,
                  a->state == LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED ? "had its aid terminated"
                                                                        : "concluded");
        return 0;
    }
    int judgment = in->kind == LEGALAID__CASE_EVENT_KIND__JUDGMENT;
    if (judgment && !dispatch_agency_handled(a)) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "report_case_event.kind",
                  _("案件 %s 尚无承办律师 (case %s is %s: no lawyer handles it, so the judgment "
                  "concludes nothing here; the staff end the aid by TerminateAid, art. 48)"),
                  a->case_id, a->case_id, dispatch_case_state_name(a->state));
        return 0;
    }

    Legalaid__CaseEventReported *b =
        ARENA_NEW(t->arena, Legalaid__CaseEventReported, legalaid__case_event_reported__init);
    b->case_id = a->case_id;
    b->kind = in->kind;
    b->has_kind = 1;
    b->reference = in->reference;
    b->place = in->place;
    b->result = in->result;
    b->note = in->note;
    b->authority = (char *)authority;
    b->at = in->has_at ? in->at : t->now;
    b->has_at = 1;
    Legalaid__Event *ev = turn_event(t); /* the one its deadlines ride on */
    switch (in->kind) {
    case LEGALAID__CASE_EVENT_KIND__HEARING_SET:
    case LEGALAID__CASE_EVENT_KIND__HEARING_MOVED:
        dispatch_agency_hearing(t, a, in, ev, b);
        break;
    case LEGALAID__CASE_EVENT_KIND__RELEASED:
        a->released_at = b->at;
        a->has_released_at = 1;
        break;
    case LEGALAID__CASE_EVENT_KIND__TRANSFERRED:
        a->transferred_to = in->place;
        break;
    default:
        a->judgment_reference = in->reference;
        break;
    }
    if (dispatch_agency_handled(a)) b->lawyer_id = a->lawyer->id;
    if (judgment) {
        /* CaseProgressed to CONCLUDED after the report, on an event of
         * its own: the closing file's deadline rides on it. */
        Legalaid__Event *moved = turn_event(t);
        turn_deadline_met(t, moved, "hearing");
        b->state = LEGALAID__ASSIGNMENT_STATE__CONCLUDED;
        b->has_state = 1;
        ev->body_case = LEGALAID__EVENT__BODY_CASE_EVENT_REPORTED;
        ev->case_event_reported = b;
        rc = turn_emit(t, a->case_id, ev);
        if (!rc)
            rc = dispatch_lifecycle_conclude(t, a, in->result, turn_actor(t, in->by),
                                             arena_printf(t->arena, "判决 %s", in->reference),
                                             moved);
    } else {
        b->state = a->state;
        b->has_state = 1;
        rc = dispatch_case_put(t, a);
        ev->body_case = LEGALAID__EVENT__BODY_CASE_EVENT_REPORTED;
        ev->case_event_reported = b;
        if (!rc) rc = turn_emit(t, a->case_id, ev);
    }
    if (rc) return rc;
    log_info("case %s: %s reported by %s (%s)", a->case_id, dispatch_agency_kind_name(in->kind),
             turn_who(t), in->reference);
    reply->body_case = LEGALAID__REPLY__BODY_ASSIGNMENT;
    reply->assignment = a;
    return 0;
}
