/*
 * notify_rule_roster.c - the roster's events in the rule table: when each
 * row applies and the wording it computes (a duty request's kind and post
 * in Chinese, a shift's span, a gap's reason). Their deadlines (the A
 * post's check-in, a detention-centre request's answer) the roster
 * announces itself in Event.deadlines, kept as any event's. A detainee is
 * named by name only: ID numbers are never template fields
 * (notify_fields.c).
 */
#include "notify_rule_roster.h"

#include <string.h>

#include "notify_int.h"
#include "notify_render.h"

static const Legalaid__DutyRequest *roster_request(const notify_ctx_t *c)
{
    switch (c->ev->body_case) {
    case LEGALAID__EVENT__BODY_DUTY_REQUEST_RAISED:
        return c->ev->duty_request_raised->request;
    case LEGALAID__EVENT__BODY_DUTY_REQUEST_ASSIGNED:
        return c->ev->duty_request_assigned->request;
    case LEGALAID__EVENT__BODY_DUTY_REQUEST_ACKNOWLEDGED:
        return c->ev->duty_request_acknowledged->request;
    case LEGALAID__EVENT__BODY_DUTY_REQUEST_COMPLETED:
        return c->ev->duty_request_completed->request;
    default:
        return NULL;
    }
}

static int roster_to_centre(const Legalaid__DutyRequest *r)
{
    return r->routed_to == LEGALAID__ROUTED_TO__ROUTED_CENTRE;
}

/* --- when ----------------------------------------------------------------- */

int notify_rule_roster_when_duty_lawyer(const notify_ctx_t *c)
{
    const Legalaid__DutyRequest *r = roster_request(c);
    return r && !roster_to_centre(r) && r->lawyer_id && r->lawyer_id[0];
}

int notify_rule_roster_when_duty_escalated(const notify_ctx_t *c)
{
    const Legalaid__DutyRequest *r = roster_request(c);
    return r && (r->escalations > 0 || roster_to_centre(r));
}

int notify_rule_roster_when_gap_staff(const notify_ctx_t *c)
{
    return c->ev->coverage_gap->reason != LEGALAID__GAP_REASON__GAP_REQUEST_UNANSWERED;
}

/* --- computed fields ------------------------------------------------------ */

static const char *roster_kind_zh(int kind)
{
    switch (kind) {
    case LEGALAID__DUTY_REQUEST_KIND__DUTY_CONSULTATION:
        return "法律咨询";
    case LEGALAID__DUTY_REQUEST_KIND__DUTY_PLEA_SIGNING:
        return "认罪认罚具结书签署在场";
    case LEGALAID__DUTY_REQUEST_KIND__DUTY_MEETING:
        return "会见";
    case LEGALAID__DUTY_REQUEST_KIND__DUTY_AID_APPLICATION:
        return "法律援助申请转交";
    default:
        return "法律帮助";
    }
}

static const char *roster_post_zh(int routed_to)
{
    switch (routed_to) {
    case LEGALAID__ROUTED_TO__ROUTED_A:
        return "A岗（主班）";
    case LEGALAID__ROUTED_TO__ROUTED_B:
        return "B岗（备班）";
    default:
        return "法律援助中心";
    }
}

const char *const notify_rule_roster_duty_names[] = {"kind_zh",   "post_zh",   "escalated",
                                                     "to_centre", "detention", NULL};

int notify_rule_roster_extra_duty(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__DutyRequest *r = roster_request(c);
    notify_fields_set(f, "kind_zh", roster_kind_zh(r->kind));
    notify_fields_set(f, "post_zh", roster_post_zh(r->routed_to));
    notify_fields_set(f, "escalated", r->escalations > 0 ? "1" : "");
    notify_fields_set(f, "to_centre", roster_to_centre(r) ? "1" : "");
    /* S5 art. 49 (DOMAIN T-07): a detention-centre request is answered
     * within 24 h; roster sets answer_due_at only for those. */
    notify_fields_set(f, "detention", r->has_answer_due_at ? "1" : "");
    return 0;
}

const char *const notify_rule_roster_backup_names[] = {"shift_span", "mode_zh", NULL};

int notify_rule_roster_extra_backup(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__Shift *b = c->ev->backup_activated->backup;
    notify_fields_set(f, "shift_span",
                      notify_render_shift_span(c->t->arena, b->starts_at, b->ends_at));
    notify_fields_set(f, "mode_zh", notify_render_duty_mode(b->mode));
    return 0;
}

const char *const notify_rule_roster_gap_names[] = {"gap_span", "nobody_checked_in", "no_backup",
                                                    "request_unanswered", NULL};

int notify_rule_roster_extra_gap(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__CoverageGap *g = c->ev->coverage_gap;
    if (g->has_starts_at && g->has_ends_at)
        notify_fields_set(f, "gap_span",
                          notify_render_shift_span(c->t->arena, g->starts_at, g->ends_at));
    switch (g->reason) {
    case LEGALAID__GAP_REASON__GAP_NO_BACKUP:
        notify_fields_set(f, "no_backup", "1");
        break;
    case LEGALAID__GAP_REASON__GAP_REQUEST_UNANSWERED:
        notify_fields_set(f, "request_unanswered", "1");
        break;
    default:
        notify_fields_set(f, "nobody_checked_in", "1");
        break;
    }
    return 0;
}

const char *const notify_rule_roster_change_names[] = {"shift_span", "role_zh", "because_zh", NULL};

int notify_rule_roster_extra_change(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__ShiftChanged *ch = c->ev->shift_changed;
    const Legalaid__Shift *s = ch->after;
    notify_fields_set(f, "shift_span",
                      notify_render_shift_span(c->t->arena, s->starts_at, s->ends_at));
    notify_fields_set(f, "role_zh", notify_render_shift_role(s->role));
    const char *because = ch->because ? ch->because : "";
    notify_fields_set(f, "because_zh",
                      strncmp(because, "SW-", 3) == 0   ? "换班"
                      : strncmp(because, "LV-", 3) == 0 ? "请假"
                                                        : "调整");
    return 0;
}
