/*
 * notify_rule_roster.c - the roster's events in the rule table: when each
 * row applies, the wording it computes (a duty request's kind and post in
 * Chinese, a shift's span, a gap's reason), and the deadline timers notify
 * derives from fields the events carry in their bodies (see
 * notify_rule_roster.h). A detainee is named by name only: ID numbers are
 * never template fields (notify_fields.c).
 */
#include "notify_rule_roster.h"

#include <string.h>

#include "notify_render.h"
#include "notify_int.h"

/* Roster's law citation of the detention-centre answer (DOMAIN T-07). */
#define ROSTER_ANSWER_ARTICLE "《公安机关办理刑事案件程序规定》第49条"

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

int notify_roster_when_duty_lawyer(const notify_ctx_t *c)
{
    const Legalaid__DutyRequest *r = roster_request(c);
    return r && !roster_to_centre(r) && r->lawyer_id && r->lawyer_id[0];
}

int notify_roster_when_duty_escalated(const notify_ctx_t *c)
{
    const Legalaid__DutyRequest *r = roster_request(c);
    return r && (r->escalations > 0 || roster_to_centre(r));
}

int notify_roster_when_gap_staff(const notify_ctx_t *c)
{
    return c->ev->coverage_gap->reason != LEGALAID__GAP_REASON__GAP_REQUEST_UNANSWERED;
}

/* --- computed fields ------------------------------------------------------ */

static const char *roster_kind_zh(int kind)
{
    switch (kind) {
    case LEGALAID__DUTY_REQUEST_KIND__DUTY_CONSULTATION: return "法律咨询";
    case LEGALAID__DUTY_REQUEST_KIND__DUTY_PLEA_SIGNING: return "认罪认罚具结书签署在场";
    case LEGALAID__DUTY_REQUEST_KIND__DUTY_MEETING: return "会见";
    case LEGALAID__DUTY_REQUEST_KIND__DUTY_AID_APPLICATION: return "法律援助申请转交";
    default: return "法律帮助";
    }
}

static const char *roster_post_zh(int routed_to)
{
    switch (routed_to) {
    case LEGALAID__ROUTED_TO__ROUTED_A: return "A岗（主班）";
    case LEGALAID__ROUTED_TO__ROUTED_B: return "B岗（备班）";
    default: return "法律援助中心";
    }
}

const char *const notify_roster_duty_names[] = {"kind_zh", "post_zh",   "escalated",
                                                "to_centre", "detention", NULL};

int notify_roster_extra_duty(const notify_ctx_t *c, notify_fields_t *f)
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

const char *const notify_roster_backup_names[] = {"shift_span", "mode_zh", NULL};

int notify_roster_extra_backup(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__Shift *b = c->ev->backup_activated->backup;
    notify_fields_set(f, "shift_span",
                      notify_render_shift_span(c->t->arena, b->starts_at, b->ends_at));
    notify_fields_set(f, "mode_zh", notify_render_duty_mode(b->mode));
    return 0;
}

const char *const notify_roster_gap_names[] = {"gap_span", "nobody_checked_in", "no_backup",
                                               "request_unanswered", NULL};

int notify_roster_extra_gap(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__CoverageGap *g = c->ev->coverage_gap;
    if (g->has_starts_at && g->has_ends_at)
        notify_fields_set(f, "gap_span",
                          notify_render_shift_span(c->t->arena, g->starts_at, g->ends_at));
    switch (g->reason) {
    case LEGALAID__GAP_REASON__GAP_NO_BACKUP: notify_fields_set(f, "no_backup", "1"); break;
    case LEGALAID__GAP_REASON__GAP_REQUEST_UNANSWERED:
        notify_fields_set(f, "request_unanswered", "1");
        break;
    default: notify_fields_set(f, "nobody_checked_in", "1"); break;
    }
    return 0;
}

const char *const notify_roster_change_names[] = {"shift_span", "role_zh", "because_zh", NULL};

int notify_roster_extra_change(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__ShiftChanged *ch = c->ev->shift_changed;
    const Legalaid__Shift *s = ch->after;
    notify_fields_set(f, "shift_span",
                      notify_render_shift_span(c->t->arena, s->starts_at, s->ends_at));
    notify_fields_set(f, "role_zh", notify_render_shift_role(s->role));
    const char *because = ch->because ? ch->because : "";
    notify_fields_set(f, "because_zh", strncmp(because, "SW-", 3) == 0   ? "换班"
                                       : strncmp(because, "LV-", 3) == 0 ? "请假"
                                                                         : "调整");
    return 0;
}

/* --- derived timers ------------------------------------------------------- */

static Legalaid__Deadline *roster_deadline(const notify_ctx_t *c, const char *key, int64_t due,
                                           Legalaid__Party owner, const char *owner_id,
                                           const char *what, const char *article)
{
    Legalaid__Deadline *dl = ARENA_NEW(c->t->arena, Legalaid__Deadline, legalaid__deadline__init);
    dl->key = (char *)key;
    dl->due_at = due;
    dl->has_due_at = 1;
    dl->owner = owner;
    dl->has_owner = 1;
    dl->owner_id = (char *)owner_id;
    dl->what = (char *)what;
    dl->article = (char *)article;
    return dl;
}

/* The A post's check-in: the "shift start" deadline. The B post
 * is on call and checks in only once activated; roster then watches it. */
static const char *roster_checkin_key(const notify_ctx_t *c, const Legalaid__Shift *s)
{
    if (!s || s->role != LEGALAID__SHIFT_ROLE__PRIMARY || !s->station || !s->station[0] ||
        !s->has_starts_at)
        return NULL;
    return arena_printf(c->t->arena, "checkin:%s:%lld", s->station, (long long)s->starts_at);
}

int notify_roster_derive_checkin(const notify_ctx_t *c)
{
    const Legalaid__Shift *s = c->ev->shift_assigned->shift;
    const char *key = roster_checkin_key(c, s);
    if (!key || !s->lawyer_id || !s->lawyer_id[0] || s->starts_at <= c->t->now ||
        s->has_checked_in_at)
        return 0;
    const char *what = arena_printf(c->t->arena, "到工作站%s签到值班（%s）", s->station,
                                    notify_render_shift_role(s->role));
    return notify_timer_put(c->t, "",
                            roster_deadline(c, key, s->starts_at, LEGALAID__PARTY__LAWYER,
                                            s->lawyer_id, what, NULL),
                            c->source);
}

int notify_roster_derive_checked_in(const notify_ctx_t *c)
{
    const char *key = roster_checkin_key(c, c->ev->checked_in->shift);
    return key ? notify_timer_meet(c->t, "", key) : 0;
}

/* S5 art. 49 (DOMAIN T-07): the detention centre's request reaches a duty
 * lawyer within 24 h. Owed by the lawyer it is routed to; an escalation
 * hands the same timer to the new lawyer (or to the staff, at the centre)
 * without moving it. */
int notify_roster_derive_answer(const notify_ctx_t *c)
{
    const Legalaid__DutyRequest *r = roster_request(c);
    if (!r || !r->id || !r->id[0] || !r->has_answer_due_at ||
        r->state != LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED)
        return 0;
    int centre = roster_to_centre(r) || !r->lawyer_id || !r->lawyer_id[0];
    const char *what =
        arena_printf(c->t->arena, "答复工作站%s的值班请求%s（%s，%s）", r->station ? r->station : "",
                     r->id, r->person_name ? r->person_name : "", roster_kind_zh(r->kind));
    return notify_timer_put(
        c->t, "",
        roster_deadline(c, arena_printf(c->t->arena, "answer:%s", r->id), r->answer_due_at,
                        centre ? LEGALAID__PARTY__STAFF : LEGALAID__PARTY__LAWYER,
                        centre ? NULL : r->lawyer_id, what, ROSTER_ANSWER_ARTICLE),
        c->source);
}

int notify_roster_derive_answered(const notify_ctx_t *c)
{
    const Legalaid__DutyRequest *r = roster_request(c);
    if (!r || !r->id || !r->id[0]) return 0;
    return notify_timer_meet(c->t, "", arena_printf(c->t->arena, "answer:%s", r->id));
}
