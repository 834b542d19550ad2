/*
 * notify_rule_table.c - who is told what, per event kind: one row per
 * (event kind, party), each rendered from deploy/notify-templates/
 * "<kind>.<party>.txt" (the configured templates_dir).
 *
 *   ApplicationReceived          APPLICANT "receipt"
 *   DefenceNotificationReceived  AUTHORITY "notice_acknowledged"
 *   EligibilityDecided           APPLICANT "decision" (outcome, articles, deadline;
 *                                all missing materials at once, art. 43(2))
 *   MaterialsSupplemented        APPLICANT "materials_received"
 *   ObjectionFiled / Decided     APPLICANT "objection_received" / "objection_decided" (art. 49)
 *   LawyerOffered                LAWYER "offer" (offer.lawyer, until offer.expires_at)
 *   LawyerAssigned               APPLICANT "assignment" (name, firm, phone), LAWYER
 *                                "assignment", AUTHORITY "appointment" when the case was
 *                                notified (art. 36)
 *   AssignmentQueued NEEDS_STAFF STAFF "staff_queue" (the rules that kept each lawyer off)
 *   CaseTerminated               APPLICANT "termination" (the art. 48 ground, article,
 *                                the justice bureau to object to, art. 49), LAWYER
 *                                "termination" when lawyer_id
 *   LawyerReleased               LAWYER "released"; APPLICANT "replacement" for REPLACEMENT
 *   FileReviewed (graded)        LAWYER "file_graded"
 *   CaseEventReported            LAWYER "case_event" (the handling lawyer: a hearing set or
 *                                moved, a release, a transfer, the judgment and the
 *                                closing file it makes due), STAFF "case_event" while no
 *                                lawyer handles the case or when a hearing is set at
 *                                short notice (高法解释 art. 49)
 *   ShiftAssigned                LAWYER "shift" (under no case, as every roster event);
 *                                once per post: a published schedule sends one per
 *                                post placed (RosterPublished itself tells nobody), a
 *                                post re-published unchanged sends none
 *   DutyRequestAssigned          LAWYER "duty_request" (the A or B lawyer it is routed
 *                                to: at the raise, escalations 0, this is the duty
 *                                request's notice, for DutyRequestRaised carries no
 *                                lawyer yet), STATION "duty_request" (who takes it),
 *                                STAFF "duty_escalation" (moved on unacknowledged, or
 *                                routed to the centre); all urgent
 *   BackupActivated              LAWYER "backup_activated" (B), STATION "backup_activated"
 *   CoverageGap                  STAFF "coverage_gap" (not for an unanswered request:
 *                                its answer timer's breach tells the staff), STATION
 *                                "coverage_gap"
 *   ShiftChanged                 LAWYER "shift_changed" (the lawyer relieved; the one
 *                                taking over is told by the ShiftAssigned before it),
 *                                STATION "shift_changed" (who is on duty now)
 *   InternOffered                CANDIDATE "intern_offer" (the firm, the place, the first
 *                                day, the supervisor, the time to answer by; its
 *                                reply deadline reminds the candidate)
 *   InternAnswered ACCEPTED      FIRM "intern_coming" (who is coming, from when, under
 *                                whom); CONFIRMED: CANDIDATE "intern_confirmed"; a
 *                                decline tells nobody (the candidate acted, the office
 *                                sees it in its figures and the place is offered again)
 *   InternLapsed                 CANDIDATE "intern_lapsed" (the place goes to another
 *                                candidate; the office to call)
 *   InternMatchPublished         STAFF "intern_published" (offers made, the candidates
 *                                left without a place and the places left empty, each
 *                                with why); under no case
 *   DeadLettered (any daemon)    STAFF "dead_letter" (the daemon, the upstream event,
 *                                the reason, the id to re-drive)
 *   anything else                nothing (DeadlineMissed: the breach notice covers it;
 *                                RosterPublished, CheckedIn/Out, DutyRequestRaised,
 *                                Acknowledged, Completed, LeaveDecided, SwapDecided:
 *                                the issue asks no message for them)
 *
 * Deadline timers come from the events' Event.deadlines only: the roster
 * announces its own (the A post's check-in on ShiftAssigned, met by
 * CheckedIn; a detention-centre request's 24-hour answer on
 * DutyRequestAssigned, met by DutyRequestAcknowledged or Completed;
 * services/roster/roster_deadline.c), so notify derives none.
 *
 * To add an event kind: a row below (and, if the text needs a value the
 * event does not carry as such, an extra function), and its template files.
 */
#include "notify_int.h"

#include <stdio.h>
#include <string.h>

#include "decisiontext.h"
#include "offerlink.h"

#include "notify_render.h"
#include "notify_rule_intern.h"
#include "notify_rule_roster.h"
#include "notify_store.h"
#include "notify_words.h"

/* --- when ----------------------------------------------------------------- */

static int when_needs_staff(const notify_ctx_t *c)
{
    return c->ev->assignment_queued->state == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
}

static int when_replacement(const notify_ctx_t *c)
{
    return c->ev->lawyer_released->kind == LEGALAID__RELEASE_KIND__REPLACEMENT;
}

static int when_graded(const notify_ctx_t *c)
{
    return c->ev->file_reviewed->has_grade &&
           c->ev->file_reviewed->grade != LEGALAID__GRADE__GRADE_UNSPECIFIED;
}

/* Legal Aid Law art. 36: the notifying authority is told who was appointed. */
static int when_notified(const notify_ctx_t *c)
{
    const Legalaid__Authority *a = c->ev->lawyer_assigned->authority;
    if (!a) a = c->ev->lawyer_assigned->assignment->authority;
    return a && ((a->name && a->name[0]) ||
                 a->kind != LEGALAID__AUTHORITY_KIND__AUTHORITY_UNSPECIFIED);
}

/* --- computed fields ------------------------------------------------------ */

static const char *const decision_names[] = {
    "articles_zh", "missing_list",  "approved", "pending_verification", "needs_materials",
    "withdrawn",   "deemed_withdrawn", "terminated", "refused", "other_outcome",
    "emergency",   "same_day", NULL};

static int extra_decision(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__Decision *d = c->ev->eligibility_decided->decision;
    arena_t *a = c->t->arena;
    /* The event holds the reason as its code and params: worded for a
     * template that names {decision.reason}. */
    if (d->reason_code && !d->reason)
        notify_fields_set(f, "decision.reason",
                          decisiontext_render(a, d->reason_code, d->reason_params,
                                              d->n_reason_params));
    notify_fields_set(f, "articles_zh", notify_render_articles(a, d->articles, d->n_articles));
    const char *missing = "";
    for (size_t i = 0; i < d->n_missing_materials; i++)
        missing = i ? arena_printf(a, "%s；%s", missing, d->missing_materials[i])
                    : d->missing_materials[i];
    notify_fields_set(f, "missing_list", missing);
    const char *flag = NULL;
    switch (d->outcome) {
    case LEGALAID__OUTCOME__APPROVED: flag = "approved"; break;
    case LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION:
        notify_fields_set(f, "approved", "1");
        flag = "pending_verification";
        break;
    case LEGALAID__OUTCOME__NEEDS_MATERIALS: flag = "needs_materials"; break;
    case LEGALAID__OUTCOME__WITHDRAWN: flag = "withdrawn"; break;
    case LEGALAID__OUTCOME__DEEMED_WITHDRAWN: flag = "deemed_withdrawn"; break;
    case LEGALAID__OUTCOME__TERMINATED: flag = "terminated"; break;
    case LEGALAID__OUTCOME__REFUSED: flag = "refused"; break;
    default: flag = "other_outcome"; break;
    }
    notify_fields_set(f, flag, "1");
    if (d->priority && d->priority->emergency) notify_fields_set(f, "emergency", "1");
    if (d->priority && d->priority->same_day) notify_fields_set(f, "same_day", "1");
    return 0;
}

static const char *const lawyer_assignment_names[] = {"applicant_name", "authority_name",
                                                      "authority_reference", NULL};

static int extra_lawyer_assignment(const notify_ctx_t *c, notify_fields_t *f)
{
    Legalaid__CaseParties *p;
    int rc = notify_parties_memo_get(c->t, c->case_id, c->parties, &p);
    if (rc) return rc;
    notify_fields_set(f, "applicant_name", p ? p->applicant_name : NULL);
    const Legalaid__Authority *a = c->ev->lawyer_assigned->authority;
    if (a && a->name && a->name[0]) {
        notify_fields_set(f, "authority_name", a->name);
        notify_fields_set(f, "authority_reference", a->reference);
    }
    return 0;
}

static const char *const objection_names[] = {"corrected", NULL};

static int extra_objection(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__Objection *o = c->ev->objection_decided->objection;
    notify_fields_set(f, "corrected", o->state == LEGALAID__OBJECTION_STATE__CORRECTED ? "1" : "");
    return 0;
}

static const char *const shift_names[] = {"shift_span", "role_zh", "mode_zh", NULL};

static int extra_shift(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__Shift *s = c->ev->shift_assigned->shift;
    notify_fields_set(f, "shift_span",
                      notify_render_shift_span(c->t->arena, s->starts_at, s->ends_at));
    notify_fields_set(f, "role_zh", notify_render_shift_role(s->role));
    notify_fields_set(f, "mode_zh", notify_render_duty_mode(s->mode));
    return 0;
}

static const char *const article_names[] = {"article_zh", "ground_zh", NULL};

/* Legal Aid Law art. 48: the ground in the law's words, from its code. */
static int extra_termination(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__CaseTerminated *e = c->ev->case_terminated;
    notify_fields_set(f, "article_zh", notify_render_article(c->t->arena, e->article));
    notify_fields_set(f, "ground_zh", notify_words_termination(e->reason));
    return 0;
}

/* Why no lawyer may take the case, from the rules' codes and counts
 * (dispatch's reason is its log's English). */
static const char *const queue_names[] = {"reason_zh", NULL};

static int extra_queue(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__MatchExplanation *x = c->ev->assignment_queued->explanation;
    arena_t *a = c->t->arena;
    const char *why = "";
    for (size_t i = 0; x && i < x->n_filtered; i++) {
        const char *rule = notify_words_match_rule(x->filtered[i]->code);
        if (!rule) continue;
        why = arena_printf(a, "%s%s%s%u名", why, why[0] ? "；" : "", rule, x->filtered[i]->excluded);
    }
    const char *reason =
        x && x->has_pool
            ? arena_printf(a, "名册中%u名法律援助人员均不能承办本案%s%s%s", x->pool,
                           why[0] ? "（" : "", why, why[0] ? "）" : "")
            : "名册中暂无可承办本案的法律援助人员";
    notify_fields_set(f, "reason_zh", reason);
    return 0;
}

/* The daemon and the stream of a dead letter in Chinese (the command to
 * re-drive it keeps the daemon's name: legalaidctl reads it). */
static const char *const dead_letter_names[] = {"daemon_zh", "stream_zh", NULL};

static int extra_dead_letter(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__DeadLettered *e = c->ev->dead_lettered;
    const char *daemon = notify_words_daemon(e->daemon), *stream = notify_words_daemon(e->stream);
    notify_fields_set(f, "daemon_zh", daemon ? daemon : "系统服务");
    notify_fields_set(f, "stream_zh", stream ? stream : "上游服务");
    return 0;
}

static const char *const release_names[] = {"release_zh", NULL};

static int extra_release(const notify_ctx_t *c, notify_fields_t *f)
{
    notify_fields_set(f, "release_zh", notify_render_release(c->ev->lawyer_released->kind));
    return 0;
}

static const char *const grade_names[] = {"grade_zh", NULL};

static int extra_grade(const notify_ctx_t *c, notify_fields_t *f)
{
    notify_fields_set(f, "grade_zh", notify_render_grade(c->ev->file_reviewed->grade));
    return 0;
}

/* The offer's link to the gateway's page (offerlink.h): only with a
 * [notify] web_base and a data key to sign it. */
static const char *const offer_names[] = {"offer_link", NULL};

static int extra_offer(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__LawyerOffered *o = c->ev->lawyer_offered;
    char path[256], *link;
    if (!notify_config.web_base[0] || !o->offer->lawyer ||
        offerlink_path(daemon_ring(c->t->d), o->case_id, o->offer->lawyer->id,
                       o->offer->offered_at, path, sizeof path))
        return 0;
    int base = (int)strlen(notify_config.web_base);
    if (notify_config.web_base[base - 1] == '/') base--; /* "https://x/" + "/o/..." */
    size_t n = (size_t)base + strlen(path) + 1;
    link = arena_alloc(c->t->arena, n);
    snprintf(link, n, "%.*s%s", base, notify_config.web_base, path);
    notify_fields_set(f, "offer_link", link);
    return 0;
}

static int when_case_event_staff(const notify_ctx_t *c)
{
    const Legalaid__CaseEventReported *e = c->ev->case_event_reported;
    return !e->lawyer_id || !e->lawyer_id[0] || e->short_notice;
}

static const char *const case_event_names[] = {
    "event_zh", "when", "hearing", "released", "transferred", "judgment", "authority_name", NULL};

static int extra_case_event(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__CaseEventReported *e = c->ev->case_event_reported;
    notify_fields_set(f, "event_zh", notify_render_case_event(e->kind));
    char buf[CLOCK_TEXT_MAX];
    notify_fields_set(f, "when", notify_render_time(c->t->arena, e->at, buf));
    const char *flag = NULL;
    switch (e->kind) {
    case LEGALAID__CASE_EVENT_KIND__HEARING_SET:
    case LEGALAID__CASE_EVENT_KIND__HEARING_MOVED: flag = "hearing"; break;
    case LEGALAID__CASE_EVENT_KIND__RELEASED: flag = "released"; break;
    case LEGALAID__CASE_EVENT_KIND__TRANSFERRED: flag = "transferred"; break;
    default: flag = "judgment"; break;
    }
    notify_fields_set(f, flag, "1");
    notify_fields_set(f, "authority_name", e->authority && e->authority[0] ? e->authority : "办案机关");
    return 0;
}

/* --- the table ------------------------------------------------------------ */

#define EV(x) LEGALAID__EVENT__BODY_##x
#define APPLICANT LEGALAID__PARTY__APPLICANT
#define LAWYER LEGALAID__PARTY__LAWYER
#define AUTHORITY LEGALAID__PARTY__AUTHORITY
#define STAFF LEGALAID__PARTY__STAFF
#define STATION LEGALAID__PARTY__STATION
#define CANDIDATE LEGALAID__PARTY__CANDIDATE
#define FIRM LEGALAID__PARTY__FIRM

const notify_rule_t notify_rules[] = {
    /* body, kind, party, who, when, extra, extra_names, urgent */
    {EV(APPLICATION_RECEIVED), "receipt", APPLICANT, NULL, NULL, NULL, NULL, 0},
    {EV(DEFENCE_NOTIFICATION_RECEIVED), "notice_acknowledged", AUTHORITY, "application.authority",
     NULL, NULL, NULL, 1},
    {EV(ELIGIBILITY_DECIDED), "decision", APPLICANT, NULL, NULL, extra_decision, decision_names, 0},
    {EV(MATERIALS_SUPPLEMENTED), "materials_received", APPLICANT, NULL, NULL, NULL, NULL, 0},
    {EV(OBJECTION_FILED), "objection_received", APPLICANT, NULL, NULL, NULL, NULL, 0},
    {EV(OBJECTION_DECIDED), "objection_decided", APPLICANT, NULL, NULL, extra_objection,
     objection_names, 0},
    {EV(LAWYER_OFFERED), "offer", LAWYER, "offer.lawyer", NULL, extra_offer, offer_names, 0},
    {EV(LAWYER_ASSIGNED), "assignment", APPLICANT, NULL, NULL, NULL, NULL, 0},
    {EV(LAWYER_ASSIGNED), "assignment", LAWYER, "assignment.lawyer", NULL, extra_lawyer_assignment,
     lawyer_assignment_names, 0},
    {EV(LAWYER_ASSIGNED), "appointment", AUTHORITY, "authority|assignment.authority",
     when_notified, NULL, NULL, 1},
    {EV(ASSIGNMENT_QUEUED), "staff_queue", STAFF, NULL, when_needs_staff, extra_queue, queue_names,
     1},
    {EV(CASE_TERMINATED), "termination", APPLICANT, NULL, NULL, extra_termination, article_names,
     0},
    {EV(CASE_TERMINATED), "termination", LAWYER, "lawyer_id", NULL, extra_termination,
     article_names, 0},
    {EV(LAWYER_RELEASED), "released", LAWYER, "lawyer_id", NULL, extra_release, release_names, 0},
    {EV(LAWYER_RELEASED), "replacement", APPLICANT, NULL, when_replacement, extra_release,
     release_names, 0},
    {EV(FILE_REVIEWED), "file_graded", LAWYER, "lawyer_id", when_graded, extra_grade, grade_names,
     0},
    {EV(CASE_EVENT_REPORTED), "case_event", LAWYER, "lawyer_id", NULL, extra_case_event,
     case_event_names, 0},
    {EV(CASE_EVENT_REPORTED), "case_event", STAFF, NULL, when_case_event_staff, extra_case_event,
     case_event_names, 0},
    {EV(SHIFT_ASSIGNED), "shift", LAWYER, "shift", NULL, extra_shift, shift_names, 0},
    /* Duty requests (DOMAIN R-DUTY-02/03, S2 art. 36; first-inquiry and AB
     * posts): never held, whatever the hour. A detention-centre request is
     * answered within 24 h (S5 art. 49, T-07): "detention" in the text. */
    {EV(DUTY_REQUEST_ASSIGNED), "duty_request", LAWYER, "request",
     notify_rule_roster_when_duty_lawyer, notify_rule_roster_extra_duty, notify_rule_roster_duty_names, 1},
    {EV(DUTY_REQUEST_ASSIGNED), "duty_request", STATION, "request.station", NULL,
     notify_rule_roster_extra_duty, notify_rule_roster_duty_names, 1},
    {EV(DUTY_REQUEST_ASSIGNED), "duty_escalation", STAFF, NULL, notify_rule_roster_when_duty_escalated,
     notify_rule_roster_extra_duty, notify_rule_roster_duty_names, 1},
    /* AB posts: A not checked in within the grace minutes, B takes the post. */
    {EV(BACKUP_ACTIVATED), "backup_activated", LAWYER, "backup", NULL, notify_rule_roster_extra_backup,
     notify_rule_roster_backup_names, 1},
    {EV(BACKUP_ACTIVATED), "backup_activated", STATION, "backup.station", NULL,
     notify_rule_roster_extra_backup, notify_rule_roster_backup_names, 1},
    {EV(COVERAGE_GAP), "coverage_gap", STAFF, NULL, notify_rule_roster_when_gap_staff,
     notify_rule_roster_extra_gap, notify_rule_roster_gap_names, 1},
    {EV(COVERAGE_GAP), "coverage_gap", STATION, "station", NULL, notify_rule_roster_extra_gap,
     notify_rule_roster_gap_names, 1},
    /* An approved swap or leave (the centre's approval, DOMAIN R-DUTY-09). */
    {EV(SHIFT_CHANGED), "shift_changed", LAWYER, "before", NULL, notify_rule_roster_extra_change,
     notify_rule_roster_change_names, 0},
    {EV(SHIFT_CHANGED), "shift_changed", STATION, "after.station", NULL,
     notify_rule_roster_extra_change, notify_rule_roster_change_names, 0},
    /* Internship places (intern.proto): the candidate and the firm by SMS,
     * the qualification office as the staff. */
    {EV(INTERN_OFFERED), "intern_offer", CANDIDATE, "standing.candidate", NULL,
     notify_rule_intern_extra_standing, notify_rule_intern_standing_names, 0},
    {EV(INTERN_ANSWERED), "intern_coming", FIRM, "standing", notify_rule_intern_when_accepted,
     notify_rule_intern_extra_standing, notify_rule_intern_standing_names, 0},
    {EV(INTERN_ANSWERED), "intern_confirmed", CANDIDATE, "standing.candidate",
     notify_rule_intern_when_confirmed, notify_rule_intern_extra_standing,
     notify_rule_intern_standing_names, 0},
    {EV(INTERN_LAPSED), "intern_lapsed", CANDIDATE, "standing.candidate", NULL,
     notify_rule_intern_extra_standing, notify_rule_intern_standing_names, 0},
    {EV(INTERN_MATCH_PUBLISHED), "intern_published", STAFF, NULL, NULL,
     notify_rule_intern_extra_published, notify_rule_intern_published_names, 0},
    /* Any daemon's dead letter: staff mend the cause and re-drive it. */
    {EV(DEAD_LETTERED), "dead_letter", STAFF, NULL, NULL, extra_dead_letter, dead_letter_names, 1},
};
const size_t notify_rules_count = sizeof notify_rules / sizeof notify_rules[0];

const notify_requirement_t notify_requirements[] = {
    {EV(APPLICATION_RECEIVED), "application", "ApplicationReceived without its application"},
    {EV(DEFENCE_NOTIFICATION_RECEIVED), "application",
     "DefenceNotificationReceived without its application"},
    {EV(ELIGIBILITY_DECIDED), "decision", "EligibilityDecided without its decision"},
    {EV(LAWYER_ASSIGNED), "assignment.lawyer", "LawyerAssigned without the assigned lawyer"},
    {EV(LAWYER_OFFERED), "offer.lawyer", "LawyerOffered without the offered lawyer"},
    {EV(OBJECTION_FILED), "objection", "ObjectionFiled without its objection"},
    {EV(OBJECTION_DECIDED), "objection", "ObjectionDecided without its objection"},
    {EV(SHIFT_ASSIGNED), "shift", "ShiftAssigned without its shift"},
    {EV(DUTY_REQUEST_ASSIGNED), "request", "DutyRequestAssigned without its request"},
    {EV(BACKUP_ACTIVATED), "backup", "BackupActivated without the B shift"},
    {EV(SHIFT_CHANGED), "before", "ShiftChanged without the shift before"},
    {EV(SHIFT_CHANGED), "after", "ShiftChanged without the shift after"},
    {EV(INTERN_OFFERED), "standing.candidate", "InternOffered without the candidate's standing"},
    {EV(INTERN_ANSWERED), "standing.candidate", "InternAnswered without the candidate's standing"},
    {EV(INTERN_LAPSED), "standing.candidate", "InternLapsed without the candidate's standing"},
};
const size_t notify_requirements_count =
    sizeof notify_requirements / sizeof notify_requirements[0];

const int notify_caseless[] = {EV(SHIFT_ASSIGNED),         EV(CHECKED_IN),
                               EV(DUTY_REQUEST_ASSIGNED),  EV(DUTY_REQUEST_ACKNOWLEDGED),
                               EV(DUTY_REQUEST_COMPLETED), EV(BACKUP_ACTIVATED),
                               EV(COVERAGE_GAP),           EV(SHIFT_CHANGED),
                               EV(DEAD_LETTERED),          EV(INTERN_MATCH_PUBLISHED),
                               0};

/* None: every service announces its own deadlines (Event.deadlines). */
const notify_derive_t notify_derived[] = {{0, NULL}};
const size_t notify_derived_count = 0;
