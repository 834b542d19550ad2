/*
 * roster_request.c - duty requests, one state machine from the raise to the
 * duty log: a station raises one for a suspect or defendant without a
 * defender (S2 art. 36, S7 art. 2; DOMAIN R-DUTY-02): a consultation,
 * presence at the signing of a plea-leniency statement (认罪认罚具结书, S2
 * art. 174; R-DUTY-04/05), a meeting (its slot: roster_meeting.c), or a
 * legal-aid application to forward (art. 39; R-DUTY-03(5)).
 *
 * Routing (first-inquiry responsibility and the AB posts, DOMAIN practice):
 * to the A post on duty at the station, or to B when A is absent; a
 * request not acknowledged within [roster] request_ack_minutes moves on,
 * A -> B -> the centre, which arranges a lawyer. A detention-centre request
 * is answered within detention_answer_hours (24 h, S5 art. 49, DOMAIN
 * T-07); past that a CoverageGap names it. That deadline is announced on
 * DutyRequestAssigned and met by DutyRequestAcknowledged and Completed
 * (roster_deadline.c), so notify reminds the lawyer and tells the staff.
 *
 * Completion records the duty log of the help given (R-DUTY-09: the
 * charge, the question and the advice; S7 art. 7 [VERIFY]), the presence at
 * the signing of the 认罪认罚具结书 (S2 art. 174, S4 art. 272;
 * R-DUTY-04/05: signed in the presence of the duty lawyer unless an
 * exception applies), and for a legal-aid application the duty lawyer
 * took, the custody-forwarded application itself: published in
 * DutyRequestCompleted at once, so intake registers it well within the 24
 * hours of art. 39 (DOMAIN T-06), with the station as the facility and the
 * time the lawyer took it as custody_received_at.
 *
 * States (the tick's ACK and ANSWER entries in the "due" table):
 *   (raise)       --------------------------> ROUTED to A (B when A absent,
 *                                             the centre when nobody is on duty)
 *   ROUTED        --ack by the post's lawyer--> ACKNOWLEDGED
 *   ROUTED        --ACK due-->                ROUTED to the next post: A -> B
 *                                             -> the centre (any duty lawyer
 *                                             of the station's firms acks)
 *   ROUTED        --ANSWER due (detention)--> ROUTED, CoverageGap raised
 *   ACKNOWLEDGED  --complete with the log-->  COMPLETED
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "due.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"
#include "i18n.h"

#define ROSTER_ID_NUMBER_MAX 32

static int roster_request_load(turn_t *t, const char *id, Legalaid__DutyRequest **r)
{
    if (!id || !id[0] || strlen(id) > 64) return MDB_NOTFOUND;
    return store_get_pb(t->txn, roster_requests, id, strlen(id),
                        &legalaid__duty_request__descriptor, &t->arena->pb, (ProtobufCMessage **)r);
}

static int roster_request_save(turn_t *t, const Legalaid__DutyRequest *r)
{
    Legalaid__DutyRequest *before = NULL;
    int rc = roster_request_load(t, r->id, &before);
    if (rc == MDB_NOTFOUND) before = NULL;
    else if (rc) return rc;
    rc = roster_watch_request(t, before, r); /* the open count, in the same transaction */
    if (rc) return rc;
    return store_put_pb(t->txn, roster_requests, r->id, strlen(r->id), &r->base, 0);
}

static int roster_request_emit(turn_t *t, Legalaid__DutyRequest *r, int body)
{
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = (Legalaid__Event__BodyCase)body;
    switch (body) {
    case LEGALAID__EVENT__BODY_DUTY_REQUEST_RAISED:
        ev->duty_request_raised =
            ARENA_NEW(t->arena, Legalaid__DutyRequestRaised, legalaid__duty_request_raised__init);
        ev->duty_request_raised->request = r;
        break;
    case LEGALAID__EVENT__BODY_DUTY_REQUEST_ASSIGNED:
        ev->duty_request_assigned = ARENA_NEW(t->arena, Legalaid__DutyRequestAssigned,
                                              legalaid__duty_request_assigned__init);
        ev->duty_request_assigned->request = r;
        roster_deadline_answer(t, ev, r);
        break;
    default:
        ev->duty_request_acknowledged = ARENA_NEW(t->arena, Legalaid__DutyRequestAcknowledged,
                                                  legalaid__duty_request_acknowledged__init);
        ev->duty_request_acknowledged->request = r;
        roster_deadline_answered(t, ev, r);
        break;
    }
    return turn_emit(t, NULL, ev);
}

/* Sends r to the post `to` (A or B of the shift on duty now, or the
 * centre when that post is empty), arms the acknowledgement deadline and
 * publishes DutyRequestAssigned. */
static int roster_request_route(turn_t *t, Legalaid__DutyRequest *r, Legalaid__RoutedTo to)
{
    Legalaid__Shift **on;
    size_t n;
    int rc = roster_duty_collect(t, r->station, t->now, &on, &n);
    if (rc) return rc;
    Legalaid__Shift *a = NULL, *b = NULL;
    for (size_t i = 0; i < n; i++) {
        if (on[i]->role == LEGALAID__SHIFT_ROLE__PRIMARY && !a) a = on[i];
        if (on[i]->role == LEGALAID__SHIFT_ROLE__BACKUP && !b) b = on[i];
    }
    /* A absent (not checked in in time): B holds the post. */
    if (to == LEGALAID__ROUTED_TO__ROUTED_A && (!a || (a->has_absent && a->absent)))
        to = LEGALAID__ROUTED_TO__ROUTED_B;
    if (to == LEGALAID__ROUTED_TO__ROUTED_B && !b) to = LEGALAID__ROUTED_TO__ROUTED_CENTRE;
    const Legalaid__Shift *post = to == LEGALAID__ROUTED_TO__ROUTED_A   ? a
                                  : to == LEGALAID__ROUTED_TO__ROUTED_B ? b
                                                                        : NULL;
    r->routed_to = to;
    r->has_routed_to = 1;
    r->lawyer_id = post ? post->lawyer_id : ROSTER_CENTRE;
    r->lawyer_name = post ? post->lawyer_name : NULL;
    r->lawyer_phone = post ? post->lawyer_phone : NULL;
    r->has_ack_due_at = 0;
    if (post) {
        r->ack_due_at = t->now + roster_config.request_ack_minutes * 60000LL;
        r->has_ack_due_at = 1;
        if ((rc = due_put(t->txn, roster_due, r->ack_due_at, ROSTER_DUE_ACK, r->id, strlen(r->id))))
            return rc;
    }
    if ((rc = roster_request_save(t, r))) return rc;
    log_info("duty request %s routed to %s", r->id,
             to == LEGALAID__ROUTED_TO__ROUTED_CENTRE ? "the centre"
                                                      : roster_shift_post(post->role));
    return roster_request_emit(t, r, LEGALAID__EVENT__BODY_DUTY_REQUEST_ASSIGNED);
}

/* Field checks of a raised request: 0, or -1 with *field and *msg. */
static int roster_request_check(turn_t *t, const Legalaid__DutyRequest *r, const char **field,
                                const char **msg)
{
    *field = "raise_duty_request.request.station";
    if (!r || check_blank(r->station) || strlen(r->station) > LA_STATION_MAX) {
        *msg = _("station is required: the code of the station raising the request");
        return -1;
    }
    *field = "raise_duty_request.request.kind";
    if (!r->has_kind || r->kind == LEGALAID__DUTY_REQUEST_KIND__DUTY_REQUEST_KIND_UNSPECIFIED ||
        !protobuf_c_enum_descriptor_get_value(&legalaid__duty_request_kind__descriptor, r->kind)) {
        *msg = _("kind is required: consultation, plea_signing, meeting or aid_application");
        return -1;
    }
    *field = "raise_duty_request.request.person_name";
    if (check_blank(r->person_name) || strlen(r->person_name) > LA_NAME_MAX) {
        *msg = _("person_name is required: the suspect or defendant asking for help");
        return -1;
    }
    *field = "raise_duty_request.request.person_id_number";
    if (r->person_id_number && r->person_id_number[0] &&
        check_key_text(r->person_id_number, ROSTER_ID_NUMBER_MAX)) {
        *msg = _("person_id_number must be the ID number without spaces");
        return -1;
    }
    *field = "raise_duty_request.request.detail";
    if ((r->detail && strlen(r->detail) > LA_TEXT_MAX) ||
        (r->raised_by && strlen(r->raised_by) > LA_NAME_MAX)) {
        *msg = arena_printf(t->arena, _("detail (at most %d bytes) or raised_by (%d) too long"),
                            LA_TEXT_MAX, LA_NAME_MAX);
        return -1;
    }
    *field = "raise_duty_request.request.meeting_at";
    if (r->kind == LEGALAID__DUTY_REQUEST_KIND__DUTY_MEETING &&
        (!r->has_meeting_at || r->meeting_at < t->now - MS_PER_HOUR ||
         r->meeting_at > t->now + 30 * MS_PER_DAY)) {
        *msg = _("meeting_at is required for a meeting: a time from now to 30 days ahead");
        return -1;
    }
    if (r->kind != LEGALAID__DUTY_REQUEST_KIND__DUTY_MEETING && r->has_meeting_at) {
        *msg = _("meeting_at belongs to meeting requests");
        return -1;
    }
    *field = "raise_duty_request.request.state";
    if (r->has_state || r->lawyer_id || r->log || r->id) {
        *msg = _("id, state, lawyer and log are set by the roster; leave them out");
        return -1;
    }
    return 0;
}

int roster_request_raise(turn_t *t, const Legalaid__RaiseDutyRequest *in, Legalaid__Reply *reply)
{
    Legalaid__DutyRequest *r = in->request;
    const char *field, *msg;
    if (roster_request_check(t, r, &field, &msg) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, _("%s"), msg);
        return 0;
    }
    if (turn_refuse_binding(t, reply, r->station, NULL, NULL, "raise_duty_request.request.station"))
        return 0;
    Legalaid__Station *st;
    int rc = roster_station_get(t, r->station, &st);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "raise_duty_request.request.station",
                  _("unknown station %s"), r->station);
        return 0;
    }
    if (rc) return rc;
    struct tm tm;
    clock_local_tm(t->now, &tm);
    char key[32];
    snprintf(key, sizeof key, "seq.request.%d", tm.tm_year + 1900);
    uint64_t n;
    if ((rc = roster_tables_seq_take(t, key, &n))) return rc;
    r->id = arena_printf(t->arena, "DR-%d-%06llu", tm.tm_year + 1900, (unsigned long long)n);
    r->raised_at = t->now;
    r->has_raised_at = r->has_state = 1;
    r->state = LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED;
    if (r->kind == LEGALAID__DUTY_REQUEST_KIND__DUTY_MEETING) {
        if ((rc = roster_meeting_book(t, r, st, &msg))) return rc;
        if (msg) {
            turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "raise_duty_request.request.meeting_at",
                      _("%s"), msg);
            return 0;
        }
    }
    /* S5 art. 49 (T-07): a detainee's request reaches a duty lawyer within 24 h. */
    if (st->kind == LEGALAID__STATION_KIND__DETENTION_CENTRE) {
        r->answer_due_at = t->now + roster_config.detention_answer_hours * MS_PER_HOUR;
        r->has_answer_due_at = 1;
        if ((rc = due_put(t->txn, roster_due, r->answer_due_at, ROSTER_DUE_ANSWER, r->id,
                          strlen(r->id))))
            return rc;
    }
    if ((rc = roster_request_save(t, r))) return rc;
    if ((rc = roster_request_emit(t, r, LEGALAID__EVENT__BODY_DUTY_REQUEST_RAISED))) return rc;
    if ((rc = roster_request_route(t, r, LEGALAID__ROUTED_TO__ROUTED_A))) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_DUTY_REQUEST;
    reply->duty_request = r;
    return 0;
}

int roster_request_ack(turn_t *t, const Legalaid__AckDutyRequest *in, Legalaid__Reply *reply)
{
    Legalaid__DutyRequest *r;
    int rc = roster_request_load(t, in->id, &r);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "ack_duty_request.id",
                  _("no duty request %.64s"), in->id ? in->id : "");
        return 0;
    }
    if (rc) return rc;
    if (check_key_text(in->lawyer_id, LA_LAWYER_ID_MAX)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "ack_duty_request.lawyer_id",
                  _("lawyer_id is required: the lawyer who takes the request"));
        return 0;
    }
    if (turn_refuse_binding(t, reply, r->station, in->lawyer_id, NULL, "ack_duty_request.id"))
        return 0;
    if (r->state != LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "ack_duty_request.id",
                  _("duty request %s is already %s by %s"), r->id,
                  r->state == LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_COMPLETED ? "completed"
                                                                                   : "acknowledged",
                  r->lawyer_id);
        return 0;
    }
    if (r->routed_to == LEGALAID__ROUTED_TO__ROUTED_CENTRE) {
        /* The centre arranges any duty lawyer serving the station today. */
        Legalaid__Agreement *ag;
        Legalaid__DutyLawyer *dl;
        rc = roster_agreement_member(t, in->lawyer_id, r->station, clock_local_day(t->now), &ag,
                                     &dl);
        if (rc == MDB_NOTFOUND) {
            turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "ack_duty_request.lawyer_id",
                      _("lawyer %s is outside the agreements: no firm serving %s lists the lawyer "
                      "today"),
                      in->lawyer_id, r->station);
            return 0;
        }
        if (rc) return rc;
        r->lawyer_id = dl->id;
        r->lawyer_name = dl->name;
        r->lawyer_phone = dl->phone;
    } else if (strcmp(r->lawyer_id, in->lawyer_id) != 0) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "ack_duty_request.lawyer_id",
                  _("duty request %s is routed to the %s post, lawyer %s, not to %s"), r->id,
                  r->routed_to == LEGALAID__ROUTED_TO__ROUTED_A ? "A" : "B", r->lawyer_id,
                  in->lawyer_id);
        return 0;
    }
    r->state = LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ACKNOWLEDGED;
    r->acknowledged_at = t->now;
    r->has_acknowledged_at = 1;
    if ((rc = roster_request_save(t, r))) return rc;
    if ((rc = roster_request_emit(t, r, LEGALAID__EVENT__BODY_DUTY_REQUEST_ACKNOWLEDGED)))
        return rc;
    reply->body_case = LEGALAID__REPLY__BODY_DUTY_REQUEST;
    reply->duty_request = r;
    return 0;
}

/* --- completion: the duty log ------------------------------------------- */

static int roster_log_text(turn_t *t, const char *text, const char *name, const char **field,
                           const char **msg)
{
    if (!check_blank(text) && strlen(text) <= LA_NOTE_MAX) return 0;
    *field = arena_printf(t->arena, "complete_duty_request.log.%s", name);
    *msg = arena_printf(t->arena, _("%s is required in the duty log (R-DUTY-09), at most %d bytes"),
                        name, LA_NOTE_MAX);
    return -1;
}

/* The duty log's checks: 0, or -1 with *field and *msg. */
static int roster_log_check(turn_t *t, const Legalaid__DutyRequest *r, const Legalaid__DutyLog *lg,
                            const char **field, const char **msg)
{
    if (!lg) {
        *field = "complete_duty_request.log";
        *msg = _("the duty log is required: charge, question, help_given");
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
            *msg = _("plea_signing_present is required for a plea signing: was the duty lawyer "
                   "present at the signing of the 认罪认罚具结书 (S2 art. 174)?");
            return -1;
        }
        if (!lg->plea_signing_present && check_blank(lg->plea_exception)) {
            *field = "complete_duty_request.log.plea_exception";
            *msg = _("plea_exception is required when the duty lawyer was not present: the "
                   "exception of S2 art. 174 / S4 art. 272 that applied");
            return -1;
        }
    } else if (lg->has_plea_signing_present && lg->plea_signing_present) {
        *field = "complete_duty_request.log.plea_signing_present";
        *msg = _("plea_signing_present belongs to plea-signing requests");
        return -1;
    }
    const Legalaid__Application *a = lg->application;
    if (r->kind == LEGALAID__DUTY_REQUEST_KIND__DUTY_AID_APPLICATION) {
        *field = "complete_duty_request.log.application";
        if (!a) {
            *msg = _("the application the duty lawyer took is required (art. 39: forwarded to "
                   "the legal-aid centre within 24 hours)");
            return -1;
        }
        if (a->case_id || a->has_received_at || a->has_custody_forward_late) {
            *msg = _("case_id, received_at and custody_forward_late are set by intake; leave them "
                   "out");
            return -1;
        }
        if (a->has_channel && a->channel != LEGALAID__CHANNEL__CUSTODY_FORWARD) {
            *field = "complete_duty_request.log.application.channel";
            *msg = _("an application taken by a duty lawyer is forwarded as custody_forward");
            return -1;
        }
    } else if (a) {
        *field = "complete_duty_request.log.application";
        *msg = _("an application belongs to aid_application requests");
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
                  _("no duty request %.64s"), in->id ? in->id : "");
        return 0;
    }
    if (rc) return rc;
    if (r->state == LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_COMPLETED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "complete_duty_request.id",
                  _("duty request %s is already completed"), r->id);
        return 0;
    }
    if (turn_refuse_binding(t, reply, r->station, in->lawyer_id, NULL, "complete_duty_request.id"))
        return 0;
    if (r->state != LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ACKNOWLEDGED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "complete_duty_request.id",
                  _("duty request %s is not acknowledged yet: the lawyer takes it first (ack)"),
                  r->id);
        return 0;
    }
    if (!in->lawyer_id || strcmp(in->lawyer_id, r->lawyer_id) != 0) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "complete_duty_request.lawyer_id",
                  _("duty request %s is held by lawyer %s, not %s"), r->id, r->lawyer_id,
                  in->lawyer_id ? in->lawyer_id : "(none)");
        return 0;
    }
    const char *field, *msg;
    if (roster_log_check(t, r, in->log, &field, &msg) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, _("%s"), msg);
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
    /* The duty lawyers' legal help (值班律师法律帮助, art. 30) is one of the
     * bureau's kinds of case, and the person helped one aided (stats.h). */
    stats_dims_t ds = {.n = 0};
    stats_dim(&ds, "kind", "legal_help");
    stats_dim(&ds, "station", r->station);
    stats_dim(&ds, "county", st ? st->county : NULL);
    stats_dim(&ds, "source", "live");
    if ((rc = turn_count(t, "aided_cases", r->completed_at, 1, 1, &ds))) return rc;
    Legalaid__DutyRequestCompleted *b =
        ARENA_NEW(t->arena, Legalaid__DutyRequestCompleted, legalaid__duty_request_completed__init);
    b->request = r;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_DUTY_REQUEST_COMPLETED;
    ev->duty_request_completed = b;
    roster_deadline_answered(t, ev, r);
    if ((rc = turn_emit(t, NULL, ev))) return rc;
    if (in->log->application)
        log_info("duty request %s completed: application forwarded to intake (art. 39)", r->id);
    else
        log_info("duty request %s completed", r->id);
    reply->body_case = LEGALAID__REPLY__BODY_DUTY_REQUEST;
    reply->duty_request = r;
    return 0;
}

int roster_request_get(turn_t *t, const Legalaid__GetDutyRequest *in, Legalaid__Reply *reply)
{
    Legalaid__DutyRequest *r;
    int rc = roster_request_load(t, in->id, &r);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "get_duty_request.id",
                  _("no duty request %.64s"), in->id ? in->id : "");
        return 0;
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_DUTY_REQUEST;
    reply->duty_request = r;
    return 0;
}

int roster_request_ack_due(turn_t *t, const char *id)
{
    Legalaid__DutyRequest *r;
    int rc = roster_request_load(t, id, &r);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    if (r->state != LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED || !r->has_ack_due_at ||
        r->ack_due_at > t->now)
        return 0; /* acknowledged, or routed again since */
    r->escalations++;
    r->has_escalations = 1;
    log_info("duty request %s not acknowledged in %lld minutes: escalated", r->id,
             roster_config.request_ack_minutes);
    return roster_request_route(t, r,
                                r->routed_to == LEGALAID__ROUTED_TO__ROUTED_A
                                    ? LEGALAID__ROUTED_TO__ROUTED_B
                                    : LEGALAID__ROUTED_TO__ROUTED_CENTRE);
}

int roster_request_answer_due(turn_t *t, const char *id)
{
    Legalaid__DutyRequest *r;
    int rc = roster_request_load(t, id, &r);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    if (r->state != LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED) return 0;
    char due[CLOCK_TEXT_MAX];
    Legalaid__CoverageGap *g =
        ARENA_NEW(t->arena, Legalaid__CoverageGap, legalaid__coverage_gap__init);
    g->station = r->station;
    g->has_reason = 1;
    g->reason = LEGALAID__GAP_REASON__GAP_REQUEST_UNANSWERED;
    g->request_id = r->id;
    g->detail = arena_printf(
        t->arena, "duty request %s of %s not answered by %s (S5 art. 49: within %lld h)", r->id,
        r->station, clock_local_text(r->answer_due_at, due), roster_config.detention_answer_hours);
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_COVERAGE_GAP;
    ev->coverage_gap = g;
    log_warn("duty request %s: not answered within %lld h", r->id,
             roster_config.detention_answer_hours);
    return turn_emit(t, NULL, ev);
}
