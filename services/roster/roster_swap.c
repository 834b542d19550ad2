/*
 * roster_swap.c - swaps of a published shift between two duty lawyers,
 * with the centre's approval (DecideChange of an SW-..., routed here by
 * roster.c).
 *
 * A swap is asked for by naming the post (station, start, A or B), the
 * lawyer holding it and the one taking it over. The new lawyer must be a
 * duty lawyer of a firm whose agreement serves the station that day (the
 * roster of vetted duty lawyers, R-DUTY-09), free of other shifts with the
 * minimum rest, and not on leave; otherwise the swap is refused naming the
 * field and the roster is unchanged. On approval the shift changes hands
 * (ShiftChanged; both lawyers are told through notify).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "i18n.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

/* Why lawyer cannot take sh (outside the agreements, on leave, busy), as
 * a message in the arena, or NULL; *after gets the shift as it would be. */
static int roster_swap_fit(turn_t *t, const Legalaid__Shift *sh, const char *lawyer,
                           Legalaid__Shift **after, const char **msg)
{
    *msg = NULL;
    Legalaid__Agreement *ag;
    Legalaid__DutyLawyer *dl;
    char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
    int rc =
        roster_agreement_member(t, lawyer, sh->station, clock_local_day(sh->starts_at), &ag, &dl);
    if (rc == MDB_NOTFOUND) {
        *msg = arena_printf(t->arena,
                            _("lawyer %s is outside the agreements: no firm serving %s lists the "
                              "lawyer on %s"),
                            lawyer, sh->station, clock_local_text(sh->starts_at, a));
        return 0;
    }
    if (rc) return rc;
    if ((rc = roster_pool_takes(t, lawyer)) < 0) return rc;
    if (rc == 0) {
        *msg = arena_printf(t->arena,
                            _("lawyer %s is not an active member of the pool (suspended or left): "
                              "no duty shifts"),
                            lawyer);
        return 0;
    }
    Legalaid__Leave *lv;
    if ((rc = roster_cover_on_leave(t, lawyer, sh->starts_at, sh->ends_at, &lv)) < 0) return rc;
    if (rc == 1) {
        *msg = arena_printf(t->arena, _("lawyer %s is on leave (%s) from %s to %s"), lawyer, lv->id,
                            clock_local_text(lv->starts_at, a), clock_local_text(lv->ends_at, b));
        return 0;
    }
    Legalaid__Shift *o;
    rc = roster_shift_busy(t, lawyer, sh->starts_at, sh->ends_at,
                           roster_config.min_rest_minutes * 60000LL, sh, &o);
    if (rc) return rc;
    if (o) {
        *msg =
            arena_printf(t->arena,
                         _("lawyer %s is on duty at %s from %s to %s: no two shifts at once, and "
                           "%lld minutes of rest between shifts"),
                         lawyer, o->station, clock_local_text(o->starts_at, a),
                         clock_local_text(o->ends_at, b), roster_config.min_rest_minutes);
        return 0;
    }
    Legalaid__Shift *n = ARENA_NEW(t->arena, Legalaid__Shift, legalaid__shift__init);
    *n = *sh;
    n->lawyer_id = dl->id;
    n->lawyer_name = dl->name;
    n->lawyer_phone = dl->phone;
    n->firm = ag->firm;
    n->has_checked_in_at = n->has_checked_out_at = n->has_absent = n->has_backup_activated = 0;
    *after = n;
    return 0;
}

int roster_swap_request(turn_t *t, const Legalaid__RequestSwap *in, Legalaid__Reply *reply)
{
    Legalaid__Swap *s = in->swap;
    if (!s || check_blank(s->station) || strlen(s->station) > LA_STATION_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "request_swap.swap.station",
                  _("station is required: the station of the shift to swap"));
        return 0;
    }
    if (!s->has_starts_at || !s->has_role ||
        (s->role != LEGALAID__SHIFT_ROLE__PRIMARY && s->role != LEGALAID__SHIFT_ROLE__BACKUP)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "request_swap.swap.starts_at",
                  _("starts_at and role (A or B) name the shift to swap"));
        return 0;
    }
    if (check_key_text(s->from_lawyer, LA_LAWYER_ID_MAX) ||
        check_key_text(s->to_lawyer, LA_LAWYER_ID_MAX) ||
        strcmp(s->from_lawyer, s->to_lawyer) == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "request_swap.swap.to_lawyer",
                  _("from_lawyer and to_lawyer are required and differ"));
        return 0;
    }
    Legalaid__Shift *sh;
    int rc = roster_shift_find(t, s->station, s->starts_at, s->role, &sh);
    char a[CLOCK_TEXT_MAX];
    if (rc == MDB_NOTFOUND || (rc == 0 && strcmp(sh->lawyer_id, s->from_lawyer) != 0)) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "request_swap.swap.from_lawyer",
                  _("lawyer %s holds no %s post at %s starting %s"), s->from_lawyer,
                  roster_shift_post(s->role), s->station, clock_local_text(s->starts_at, a));
        return 0;
    }
    if (rc) return rc;
    Legalaid__Shift *after;
    const char *msg;
    if ((rc = roster_swap_fit(t, sh, s->to_lawyer, &after, &msg))) return rc;
    if (msg) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "request_swap.swap.to_lawyer", _("%s"), msg);
        return 0;
    }
    uint64_t n;
    if ((rc = roster_tables_seq_take(t, "seq.swap", &n))) return rc;
    s->id = arena_printf(t->arena, "SW-%06llu", (unsigned long long)n);
    s->state = LEGALAID__CHANGE_STATE__CHANGE_REQUESTED;
    s->requested_at = t->now;
    s->has_state = s->has_requested_at = 1;
    s->officer = NULL;
    s->has_decided_at = 0;
    if ((rc = store_put_pb(t->txn, roster_swaps, s->id, strlen(s->id), &s->base, 0))) return rc;
    Legalaid__ChangeAnswer *ans =
        ARENA_NEW(t->arena, Legalaid__ChangeAnswer, legalaid__change_answer__init);
    ans->swap = s;
    reply->body_case = LEGALAID__REPLY__BODY_CHANGE;
    reply->change = ans;
    return 0;
}

int roster_swap_decide(turn_t *t, const Legalaid__DecideChange *in, Legalaid__Reply *reply)
{
    Legalaid__Swap *s;
    int rc = store_get_pb(t->txn, roster_swaps, in->id, strlen(in->id), &legalaid__swap__descriptor,
                          &t->arena->pb, (ProtobufCMessage **)&s);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "decide_change.id", _("no swap %s"), in->id);
        return 0;
    }
    if (rc) return rc;
    if (s->state != LEGALAID__CHANGE_STATE__CHANGE_REQUESTED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "decide_change.id",
                  _("swap %s is already decided"), s->id);
        return 0;
    }
    Legalaid__ChangeAnswer *ans =
        ARENA_NEW(t->arena, Legalaid__ChangeAnswer, legalaid__change_answer__init);
    if (in->approve) {
        Legalaid__Shift *sh, *after;
        const char *msg = NULL;
        rc = roster_shift_find(t, s->station, s->starts_at, s->role, &sh);
        if (rc == MDB_NOTFOUND || (rc == 0 && strcmp(sh->lawyer_id, s->from_lawyer) != 0))
            msg = arena_printf(t->arena, _("the shift is no longer held by %s"), s->from_lawyer);
        else if (rc)
            return rc;
        else if ((rc = roster_swap_fit(t, sh, s->to_lawyer, &after, &msg)))
            return rc;
        if (msg) {
            turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "decide_change.approve",
                      _("swap %s cannot be approved, the roster is unchanged: %s"), s->id, msg);
            return 0;
        }
        if ((rc = roster_cover_replace(t, sh, after, s->id))) return rc;
        ans->changed = arena_alloc(t->arena, sizeof *ans->changed);
        ans->changed[ans->n_changed++] = after;
    }
    s->state = in->approve ? LEGALAID__CHANGE_STATE__CHANGE_APPROVED
                           : LEGALAID__CHANGE_STATE__CHANGE_REFUSED;
    s->officer = (char *)turn_actor(t, in->officer);
    s->decided_at = t->now;
    s->has_decided_at = 1;
    if ((rc = store_put_pb(t->txn, roster_swaps, s->id, strlen(s->id), &s->base, 0))) return rc;
    Legalaid__SwapDecided *b =
        ARENA_NEW(t->arena, Legalaid__SwapDecided, legalaid__swap_decided__init);
    b->swap = s;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_SWAP_DECIDED;
    ev->swap_decided = b;
    if ((rc = turn_emit(t, NULL, ev))) return rc;
    ans->swap = s;
    reply->body_case = LEGALAID__REPLY__BODY_CHANGE;
    reply->change = ans;
    return 0;
}
