/*
 * roster_deadline.c - the deadlines the roster announces on its own events
 * (Event.deadlines, deadlines_met), which notify keeps as timers: a
 * reminder to the owner before due_at, a breach notice to the owner and the
 * staff at due_at, cancelled when an event names the key as met. The
 * roster's events concern no case: notify keeps them under the empty case.
 *
 *   key                          set by                 met by
 *   checkin:<station>:<start>    ShiftAssigned of an    CheckedIn of that
 *                                A post not yet begun   A post
 *     due at the shift's start, owed by the A lawyer. The B post is on
 *     call and checks in only once activated (the tick watches it then:
 *     roster_checkin.c). A post handed over (swap, leave) is assigned again
 *     under the same key: the timer passes to the new lawyer.
 *   answer:<request id>          DutyRequestAssigned of DutyRequestAcknowledged,
 *                                a detention-centre     DutyRequestCompleted
 *                                request still routed
 *     due at answer_due_at (raised + detention_answer_hours, 24 h: S5
 *     art. 49, DOMAIN T-07), owed by the A or B lawyer it is routed to; an
 *     escalation hands the same deadline, not moved, to the next post, or
 *     to the staff when it reaches the centre.
 *
 * The tick's own deadlines (the "due" table, roster_tick.c) are the
 * roster's actions; these are the people's.
 */
#include <string.h>

#include "roster_int.h"

/* The law the detention-centre answer cites (DOMAIN T-07). */
#define ROSTER_DEADLINE_ANSWER_ARTICLE "《公安机关办理刑事案件程序规定》第49条"

/* A duty request's kind as the deadline's text names it. */
static const char *roster_deadline_kind_zh(int kind)
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

/* The key of the A post's check-in, or NULL for a post that has none. */
static const char *roster_deadline_checkin_key(turn_t *t, const Legalaid__Shift *s)
{
    if (!s || s->role != LEGALAID__SHIFT_ROLE__PRIMARY || !s->station || !s->station[0] ||
        !s->has_starts_at)
        return NULL;
    return arena_printf(t->arena, "checkin:%s:%lld", s->station, (long long)s->starts_at);
}

void roster_deadline_checkin(turn_t *t, Legalaid__Event *ev, const Legalaid__Shift *s)
{
    const char *key = roster_deadline_checkin_key(t, s);
    if (!key || !s->lawyer_id || !s->lawyer_id[0] || s->starts_at <= t->now || s->has_checked_in_at)
        return;
    const char *what = arena_printf(t->arena, "到工作站%s签到值班（A岗（主班））", s->station);
    turn_deadline(t, ev, key, s->starts_at, LEGALAID__PARTY__LAWYER, s->lawyer_id, what, NULL);
}

void roster_deadline_checked_in(turn_t *t, Legalaid__Event *ev, const Legalaid__Shift *s)
{
    const char *key = roster_deadline_checkin_key(t, s);
    if (key) turn_deadline_met(t, ev, key);
}

void roster_deadline_answer(turn_t *t, Legalaid__Event *ev, const Legalaid__DutyRequest *r)
{
    if (!r || !r->id || !r->id[0] || !r->has_answer_due_at ||
        r->state != LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED)
        return;
    int centre =
        r->routed_to == LEGALAID__ROUTED_TO__ROUTED_CENTRE || !r->lawyer_id || !r->lawyer_id[0];
    const char *what =
        arena_printf(t->arena, "答复工作站%s的值班请求%s（%s，%s）", r->station ? r->station : "",
                     r->id, r->person_name ? r->person_name : "", roster_deadline_kind_zh(r->kind));
    Legalaid__Deadline *dl =
        turn_deadline(t, ev, arena_printf(t->arena, "answer:%s", r->id), r->answer_due_at,
                      centre ? LEGALAID__PARTY__STAFF : LEGALAID__PARTY__LAWYER,
                      centre ? NULL : r->lawyer_id, what, ROSTER_DEADLINE_ANSWER_ARTICLE);
    dl->place = r->station;
    dl->person_name = r->person_name;
}

void roster_deadline_answered(turn_t *t, Legalaid__Event *ev, const Legalaid__DutyRequest *r)
{
    /* Only a detention-centre request has the deadline to meet. */
    if (!r || !r->id || !r->id[0] || !r->has_answer_due_at) return;
    turn_deadline_met(t, ev, arena_printf(t->arena, "answer:%s", r->id));
}
