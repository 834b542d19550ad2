/*
 * roster_leave.c - a duty lawyer's leave or unavailability, with the
 * centre's approval (DecideChange of an LV-..., routed here by roster.c).
 * Approval hands each published shift of the lawyer in the leave to a
 * replacement (roster_cover.c: a duty lawyer of a firm serving the
 * station, of the same firm first, then the one with the fewest shifts
 * around that time; free with the minimum rest, not on leave), all or
 * nothing: when a shift has nobody to take it, the approval is refused
 * naming it and the roster is unchanged. Approved leave is honoured by
 * every later generation, swap and replacement.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "i18n.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

#define ROSTER_LEAVE_MAX_DAYS 92

int roster_leave_request(turn_t *t, const Legalaid__RequestLeave *in, Legalaid__Reply *reply)
{
    Legalaid__Leave *l = in->leave;
    if (!l || check_key_text(l->lawyer_id, LA_LAWYER_ID_MAX)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "request_leave.leave.lawyer_id",
                  _("lawyer_id is required: the duty lawyer asking for leave"));
        return 0;
    }
    if (!l->has_starts_at || !l->has_ends_at || l->ends_at <= l->starts_at ||
        l->ends_at - l->starts_at > ROSTER_LEAVE_MAX_DAYS * MS_PER_DAY) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "request_leave.leave.ends_at",
                  _("starts_at and ends_at are required; the leave ends after it starts and lasts "
                    "at most %d days"),
                  ROSTER_LEAVE_MAX_DAYS);
        return 0;
    }
    if (check_blank(l->reason) || strlen(l->reason) > 500) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "request_leave.leave.reason",
                  _("reason is required (at most 500 bytes)"));
        return 0;
    }
    Legalaid__Agreement *ag;
    Legalaid__DutyLawyer *dl;
    int rc =
        roster_agreement_member(t, l->lawyer_id, NULL, clock_local_day(l->starts_at), &ag, &dl);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "request_leave.leave.lawyer_id",
                  _("lawyer %s is outside the agreements: no firm lists the lawyer as a duty "
                    "lawyer then"),
                  l->lawyer_id);
        return 0;
    }
    if (rc) return rc;
    uint64_t n;
    if ((rc = roster_tables_seq_take(t, "seq.leave", &n))) return rc;
    l->id = arena_printf(t->arena, "LV-%06llu", (unsigned long long)n);
    l->state = LEGALAID__CHANGE_STATE__CHANGE_REQUESTED;
    l->requested_at = t->now;
    l->has_state = l->has_requested_at = 1;
    l->officer = NULL;
    l->has_decided_at = l->has_shifts_reassigned = 0;
    if ((rc = store_put_pb(t->txn, roster_leaves, l->id, strlen(l->id), &l->base, 0))) return rc;
    Legalaid__ChangeAnswer *ans =
        ARENA_NEW(t->arena, Legalaid__ChangeAnswer, legalaid__change_answer__init);
    ans->leave = l;
    reply->body_case = LEGALAID__REPLY__BODY_CHANGE;
    reply->change = ans;
    return 0;
}

int roster_leave_decide(turn_t *t, const Legalaid__DecideChange *in, Legalaid__Reply *reply)
{
    Legalaid__Leave *l;
    int rc = store_get_pb(t->txn, roster_leaves, in->id, strlen(in->id),
                          &legalaid__leave__descriptor, &t->arena->pb, (ProtobufCMessage **)&l);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "decide_change.id", _("no leave %s"),
                  in->id);
        return 0;
    }
    if (rc) return rc;
    if (l->state != LEGALAID__CHANGE_STATE__CHANGE_REQUESTED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "decide_change.id",
                  _("leave %s is already decided"), l->id);
        return 0;
    }
    Legalaid__ChangeAnswer *ans =
        ARENA_NEW(t->arena, Legalaid__ChangeAnswer, legalaid__change_answer__init);
    if (in->approve) {
        Legalaid__Shift **held;
        size_t n;
        if ((rc = roster_shift_held(t, l->lawyer_id, l->starts_at, l->ends_at, &held, &n)))
            return rc;
        ans->changed = arena_alloc(t->arena, (n + 1) * sizeof *ans->changed);
        for (size_t i = 0; i < n; i++) {
            Legalaid__Shift *repl;
            if ((rc = roster_cover_find(t, held[i], &repl))) return rc;
            if (!repl) {
                char a[CLOCK_TEXT_MAX];
                turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "decide_change.approve",
                          _("leave %s cannot be approved, the roster is unchanged: nobody can take "
                            "the %s post at %s from %s"),
                          l->id, roster_shift_post(held[i]->role), held[i]->station,
                          clock_local_text(held[i]->starts_at, a));
                return 0;
            }
            if ((rc = roster_cover_replace(t, held[i], repl, l->id))) return rc;
            ans->changed[ans->n_changed++] = repl;
        }
        l->shifts_reassigned = (uint32_t)n;
        l->has_shifts_reassigned = 1;
    }
    l->state = in->approve ? LEGALAID__CHANGE_STATE__CHANGE_APPROVED
                           : LEGALAID__CHANGE_STATE__CHANGE_REFUSED;
    l->officer = (char *)turn_actor(t, in->officer);
    l->decided_at = t->now;
    l->has_decided_at = 1;
    if ((rc = store_put_pb(t->txn, roster_leaves, l->id, strlen(l->id), &l->base, 0))) return rc;
    Legalaid__LeaveDecided *b =
        ARENA_NEW(t->arena, Legalaid__LeaveDecided, legalaid__leave_decided__init);
    b->leave = l;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_LEAVE_DECIDED;
    ev->leave_decided = b;
    if ((rc = turn_emit(t, NULL, ev))) return rc;
    if (in->approve)
        log_info("leave %s approved, shifts reassigned=%zu", l->id, ans->n_changed);
    else
        log_info("leave %s refused, shifts reassigned=%zu", l->id, ans->n_changed);
    ans->leave = l;
    reply->body_case = LEGALAID__REPLY__BODY_CHANGE;
    reply->change = ans;
    return 0;
}
