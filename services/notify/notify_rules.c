/*
 * notify_rules.c - the notification rules, per event kind:
 *
 *   ApplicationReceived          -> APPLICANT "receipt"
 *   DefenceNotificationReceived  -> AUTHORITY "notice_acknowledged"
 *   EligibilityDecided           -> APPLICANT "decision" (outcome, articles,
 *                                   deadline; all missing materials at once,
 *                                   Legal Aid Law art. 43(2))
 *   LawyerAssigned               -> APPLICANT "assignment", LAWYER
 *                                   "assignment", and for a notified case
 *                                   AUTHORITY "appointment" (art. 36)
 *   MaterialsSupplemented        -> APPLICANT "materials_received"
 *   ObjectionFiled               -> APPLICANT "objection_received" (art. 49)
 *   ObjectionDecided             -> APPLICANT "objection_decided" (art. 49)
 *   ShiftAssigned                -> LAWYER "shift" (under no case)
 *   anything else                -> nothing
 *
 * Intake's two events also teach notify the case's parties (names and
 * phones), since later events carry only the case_id. A notification for a
 * party whose contact is not known yet (another stream arrived first) is
 * recorded with contact_pending and completed when the contact arrives.
 */
#include "notify_rules.h"

#include <string.h>

#include "notify.h"
#include "notify_render.h"
#include "notify_store.h"

#define NOTIFY_APPLICANT_UNKNOWN "申请人"
#define NOTIFY_AUTHORITY_UNKNOWN "通知机关"

typedef struct notify_event {
    turn_t *t;
    const char *source;  /* the event_id */
    const char *case_id; /* "" for none */
} notify_event_t;

static int notify_present(const char *s)
{
    return s && s[0];
}

static int notify_add(notify_event_t *e, Legalaid__Party party, const char *recipient,
                      const char *phone, int pending, const char *kind, char *text)
{
    Legalaid__Notification *n =
        ARENA_NEW(e->t->arena, Legalaid__Notification, legalaid__notification__init);
    n->case_id = (char *)e->case_id;
    n->party = party;
    n->has_party = 1;
    n->recipient = (char *)recipient;
    n->address = notify_phone_mask(e->t->arena, pending ? NULL : phone);
    n->kind = (char *)kind;
    n->text = text;
    n->source_event = (char *)e->source;
    if (pending) {
        n->contact_pending = 1;
        n->has_contact_pending = 1;
    }
    int recorded;
    return notify_record(e->t, n, &recorded);
}

/* To the applicant, with the contact notify knows for the case. */
static int notify_applicant(notify_event_t *e, const char *kind, char *text)
{
    Legalaid__CaseParties *p;
    int rc = notify_parties_get(e->t, e->case_id, &p);
    if (rc) return rc;
    if (p && notify_present(p->applicant_name))
        return notify_add(e, LEGALAID__PARTY__APPLICANT, p->applicant_name, p->applicant_phone, 0,
                          kind, text);
    return notify_add(e, LEGALAID__PARTY__APPLICANT, NOTIFY_APPLICANT_UNKNOWN, NULL, 1, kind, text);
}

/* To the notifying authority: the event's own authority, else the one
 * intake told notify of. */
static int notify_authority(notify_event_t *e, const Legalaid__Authority *auth, const char *kind,
                            char *text)
{
    if (auth && notify_present(auth->name))
        return notify_add(e, LEGALAID__PARTY__AUTHORITY, auth->name, auth->phone, 0, kind, text);
    Legalaid__CaseParties *p;
    int rc = notify_parties_get(e->t, e->case_id, &p);
    if (rc) return rc;
    if (p && notify_present(p->authority_name))
        return notify_add(e, LEGALAID__PARTY__AUTHORITY, p->authority_name, p->authority_phone, 0,
                          kind, text);
    return notify_add(e, LEGALAID__PARTY__AUTHORITY, NOTIFY_AUTHORITY_UNKNOWN, NULL, 1, kind, text);
}

static int notify_learn_application(notify_event_t *e, const Legalaid__Application *app)
{
    Legalaid__CaseParties learned = LEGALAID__CASE_PARTIES__INIT;
    learned.case_id = (char *)e->case_id;
    if (app->applicant) {
        learned.applicant_name = app->applicant->name;
        learned.applicant_phone = app->applicant->phone;
    }
    if (app->authority) {
        learned.authority_name = app->authority->name;
        learned.authority_phone = app->authority->phone;
    }
    return notify_parties_learn(e->t, &learned);
}

static int notify_application(notify_event_t *e, const Legalaid__Application *app, int notice)
{
    int rc = notify_learn_application(e, app);
    if (rc) return rc;
    arena_t *a = e->t->arena;
    if (notice)
        return notify_authority(e, app->authority, "notice_acknowledged",
                                notify_render_notice_ack(a, e->case_id, app->authority));
    return notify_applicant(e, "receipt", notify_render_receipt(a, e->case_id));
}

static int notify_lawyer_assigned(notify_event_t *e, const Legalaid__LawyerAssigned *la)
{
    const Legalaid__Lawyer *l = la->assignment->lawyer;
    arena_t *a = e->t->arena;
    int rc =
        notify_applicant(e, "assignment", notify_render_assignment_applicant(a, e->case_id, l));
    if (rc) return rc;
    Legalaid__CaseParties *p;
    rc = notify_parties_get(e->t, e->case_id, &p);
    if (rc) return rc;
    const Legalaid__Authority *auth = la->authority;
    char *text = notify_render_assignment_lawyer(a, e->case_id, p ? p->applicant_name : NULL, auth);
    const char *who = notify_present(l->name) ? l->name : notify_present(l->id) ? l->id : "-";
    rc = notify_add(e, LEGALAID__PARTY__LAWYER, who, l->phone, 0, "assignment", text);
    if (rc) return rc;
    /* Legal Aid Law art. 36: the notifying authority is told who was appointed. */
    if (auth && (notify_present(auth->name) ||
                 auth->kind != LEGALAID__AUTHORITY_KIND__AUTHORITY_UNSPECIFIED))
        rc = notify_authority(e, auth, "appointment",
                              notify_render_appointment(a, e->case_id, auth, l));
    return rc;
}

static int notify_shift(notify_event_t *e, const Legalaid__Shift *sh)
{
    const char *who = notify_present(sh->lawyer_name) ? sh->lawyer_name : sh->lawyer_id;
    return notify_add(e, LEGALAID__PARTY__LAWYER, notify_present(who) ? who : "-", sh->lawyer_phone,
                      0, "shift",
                      notify_render_shift(e->t->arena, sh));
}

/* The case an event is about: the envelope's, else its body's. */
static const char *notify_case_of(const Legalaid__Event *ev, const char *body_case_id)
{
    if (notify_present(ev->case_id)) return ev->case_id;
    return notify_present(body_case_id) ? body_case_id : NULL;
}

int notify_event_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    notify_event_t e = {t, ev->event_id, ""};
    if (!notify_present(e.source))
        e.source = arena_printf(t->arena, "%s:%llu", upstream, (unsigned long long)ev->seq);
    if (strlen(e.source) > NOTIFY_EVENT_ID_MAX)
        return turn_reject(t, "event_id longer than %d characters", NOTIFY_EVENT_ID_MAX);

    const char *body_case = NULL;
    switch (ev->body_case) {
    case LEGALAID__EVENT__BODY_APPLICATION_RECEIVED:
        if (!ev->application_received->application)
            return turn_reject(t, "ApplicationReceived without its application");
        body_case = ev->application_received->application->case_id;
        break;
    case LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED:
        if (!ev->defence_notification_received->application)
            return turn_reject(t, "DefenceNotificationReceived without its application");
        body_case = ev->defence_notification_received->application->case_id;
        break;
    case LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED:
        if (!ev->eligibility_decided->decision)
            return turn_reject(t, "EligibilityDecided without its decision");
        body_case = ev->eligibility_decided->decision->case_id;
        break;
    case LEGALAID__EVENT__BODY_LAWYER_ASSIGNED:
        if (!ev->lawyer_assigned->assignment || !ev->lawyer_assigned->assignment->lawyer)
            return turn_reject(t, "LawyerAssigned without the assigned lawyer");
        body_case = ev->lawyer_assigned->assignment->case_id;
        break;
    case LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED:
        body_case = ev->materials_supplemented->case_id;
        break;
    case LEGALAID__EVENT__BODY_OBJECTION_FILED:
        if (!ev->objection_filed->objection)
            return turn_reject(t, "ObjectionFiled without its objection");
        body_case = ev->objection_filed->objection->case_id;
        break;
    case LEGALAID__EVENT__BODY_OBJECTION_DECIDED:
        if (!ev->objection_decided->objection)
            return turn_reject(t, "ObjectionDecided without its objection");
        body_case = ev->objection_decided->objection->case_id;
        break;
    case LEGALAID__EVENT__BODY_SHIFT_ASSIGNED:
        if (!ev->shift_assigned->shift) return turn_reject(t, "ShiftAssigned without its shift");
        /* A shift concerns no case: indexed under the empty case. */
        return notify_shift(&e, ev->shift_assigned->shift);
    default:
        /* AssignmentQueued, LawyersImported, StationsImported and kinds this
         * build does not know concern no party. */
        return 0;
    }
    e.case_id = notify_case_of(ev, body_case);
    if (!e.case_id) return turn_reject(t, "event %s names no case", e.source);
    if (strlen(e.case_id) > NOTIFY_CASE_ID_MAX)
        return turn_reject(t, "case_id longer than %d characters", NOTIFY_CASE_ID_MAX);

    switch (ev->body_case) {
    case LEGALAID__EVENT__BODY_APPLICATION_RECEIVED:
        return notify_application(&e, ev->application_received->application, 0);
    case LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED:
        return notify_application(&e, ev->defence_notification_received->application, 1);
    case LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED:
        return notify_applicant(&e, "decision",
                                notify_render_decision(t->arena, e.case_id,
                                                       ev->eligibility_decided->decision));
    case LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED:
        return notify_applicant(&e, "materials_received",
                                notify_render_materials(t->arena, e.case_id,
                                                        ev->materials_supplemented));
    case LEGALAID__EVENT__BODY_OBJECTION_FILED:
        return notify_applicant(&e, "objection_received",
                                notify_render_objection_filed(t->arena, e.case_id,
                                                              ev->objection_filed->objection));
    case LEGALAID__EVENT__BODY_OBJECTION_DECIDED:
        return notify_applicant(&e, "objection_decided",
                                notify_render_objection_decided(t->arena, e.case_id,
                                                                ev->objection_decided->objection));
    default:
        return notify_lawyer_assigned(&e, ev->lawyer_assigned);
    }
}
