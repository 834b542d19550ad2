/*
 * roster_leave.c - a duty lawyer's leave or unavailability, with the
 * centre's approval. Approval hands each published shift of the lawyer in
 * the leave to a replacement (a duty lawyer of a firm serving the
 * station, of the same firm first, then the one with the fewest shifts
 * around that time; free with the minimum rest, not on leave), all or
 * nothing: when a shift has nobody to take it, the approval is refused
 * naming it and the roster is unchanged. Approved leave is honoured by
 * every later generation, swap and replacement.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

#define ROSTER_LEAVE_MAX_DAYS 92
#define ROSTER_FAIR_WINDOW_MS (14 * MS_PER_DAY)

int roster_leave_overlaps(turn_t *t, const char *lawyer_id, int64_t from, int64_t to,
                          Legalaid__Leave **lv)
{
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(t->txn, roster_leaves, &c), found = 0;
    if (rc) return store_rc(rc);
    for (int op = MDB_FIRST; !found && (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        Legalaid__Leave *l = legalaid__leave__unpack(&t->arena->pb, v.mv_size, v.mv_data);
        if (l && l->state == LEGALAID__CHANGE_STATE__CHANGE_APPROVED &&
            strcmp(l->lawyer_id, lawyer_id) == 0 && l->starts_at < to && l->ends_at > from) {
            *lv = l;
            found = 1;
        }
    }
    mdb_cursor_close(c);
    if (found) return 1;
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

/* A candidate for sh: 1 when lawyer dl of ag can take it (an active
 * lawyer of the pool, not on leave, free with the rest). */
static int roster_candidate_free(turn_t *t, const Legalaid__Shift *sh,
                                 const Legalaid__DutyLawyer *dl)
{
    Legalaid__Leave *lv;
    Legalaid__Shift *o;
    int rc = roster_pool_takes(t, dl->id);
    if (rc <= 0) return rc;
    rc = roster_leave_overlaps(t, dl->id, sh->starts_at, sh->ends_at, &lv);
    if (rc) return rc < 0 ? rc : 0;
    rc = roster_lawyer_busy(t, dl->id, sh->starts_at, sh->ends_at,
                            roster_config.min_rest_minutes * 60000LL, sh, &o);
    if (rc) return rc;
    return o ? 0 : 1;
}

int roster_replacement_find(turn_t *t, const Legalaid__Shift *sh, Legalaid__Shift **repl)
{
    *repl = NULL;
    int64_t day = clock_local_day(sh->starts_at);
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(t->txn, roster_agreements, &c);
    if (rc) return store_rc(rc);
    const Legalaid__DutyLawyer *best = NULL;
    const Legalaid__Agreement *best_ag = NULL;
    size_t best_load = 0;
    int best_same = 0;
    for (int op = MDB_FIRST; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        Legalaid__Agreement *ag = legalaid__agreement__unpack(&t->arena->pb, v.mv_size, v.mv_data);
        if (!ag || !roster_agreement_serves(ag, sh->station)) continue;
        int same = sh->firm && strcmp(ag->firm, sh->firm) == 0;
        for (size_t i = 0; i < ag->n_lawyers; i++) {
            const Legalaid__DutyLawyer *dl = ag->lawyers[i];
            if (strcmp(dl->id, sh->lawyer_id) == 0) continue;
            Legalaid__DutyLawyer *mdl;
            if (!roster_agreement_has(ag, dl->id, day, &mdl)) continue;
            int ok = roster_candidate_free(t, sh, dl);
            if (ok < 0) {
                rc = ok;
                goto out;
            }
            if (!ok) continue;
            Legalaid__Shift **around;
            size_t load;
            if ((rc = roster_lawyer_shifts(t, dl->id, sh->starts_at - ROSTER_FAIR_WINDOW_MS,
                                           sh->starts_at + ROSTER_FAIR_WINDOW_MS, &around, &load)))
                goto out;
            if (!best || same > best_same || (same == best_same && load < best_load)) {
                best = dl;
                best_ag = ag;
                best_load = load;
                best_same = same;
            }
        }
    }
    rc = 0;
out:
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    if (best) {
        Legalaid__Shift *n = ARENA_NEW(t->arena, Legalaid__Shift, legalaid__shift__init);
        *n = *sh;
        n->lawyer_id = best->id;
        n->lawyer_name = best->name;
        n->lawyer_phone = best->phone;
        n->firm = best_ag->firm;
        n->has_checked_in_at = n->has_checked_out_at = n->has_absent = n->has_backup_activated = 0;
        *repl = n;
    }
    return 0;
}

int roster_leave_request(turn_t *t, const Legalaid__RequestLeave *in, Legalaid__Reply *reply)
{
    Legalaid__Leave *l = in->leave;
    if (!l || check_key_text(l->lawyer_id, ROSTER_LAWYER_ID_MAX)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "request_leave.leave.lawyer_id",
                  "lawyer_id is required: the duty lawyer asking for leave");
        return 0;
    }
    if (!l->has_starts_at || !l->has_ends_at || l->ends_at <= l->starts_at ||
        l->ends_at - l->starts_at > ROSTER_LEAVE_MAX_DAYS * MS_PER_DAY) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "request_leave.leave.ends_at",
                  "starts_at and ends_at are required; the leave ends after it starts and lasts "
                  "at most %d days",
                  ROSTER_LEAVE_MAX_DAYS);
        return 0;
    }
    if (check_blank(l->reason) || strlen(l->reason) > 500) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "request_leave.leave.reason",
                  "reason is required (at most 500 bytes)");
        return 0;
    }
    Legalaid__Agreement *ag;
    Legalaid__DutyLawyer *dl;
    int rc =
        roster_agreement_member(t, l->lawyer_id, NULL, clock_local_day(l->starts_at), &ag, &dl);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "request_leave.leave.lawyer_id",
                  "lawyer %s is outside the agreements: no firm lists the lawyer as a duty "
                  "lawyer then",
                  l->lawyer_id);
        return 0;
    }
    if (rc) return rc;
    uint64_t n;
    if ((rc = roster_seq_take(t, "seq.leave", &n))) return rc;
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
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "decide_change.id", "no leave %s", in->id);
        return 0;
    }
    if (rc) return rc;
    if (l->state != LEGALAID__CHANGE_STATE__CHANGE_REQUESTED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "decide_change.id",
                  "leave %s is already decided", l->id);
        return 0;
    }
    Legalaid__ChangeAnswer *ans =
        ARENA_NEW(t->arena, Legalaid__ChangeAnswer, legalaid__change_answer__init);
    if (in->approve) {
        Legalaid__Shift **held;
        size_t n;
        if ((rc = roster_lawyer_shifts(t, l->lawyer_id, l->starts_at, l->ends_at, &held, &n)))
            return rc;
        ans->changed = arena_alloc(t->arena, (n + 1) * sizeof *ans->changed);
        for (size_t i = 0; i < n; i++) {
            Legalaid__Shift *repl;
            if ((rc = roster_replacement_find(t, held[i], &repl))) return rc;
            if (!repl) {
                char a[CLOCK_TEXT_MAX];
                turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "decide_change.approve",
                          "leave %s cannot be approved, the roster is unchanged: nobody can take "
                          "the %s post at %s from %s",
                          l->id, roster_role_post(held[i]->role), held[i]->station,
                          clock_local_text(held[i]->starts_at, a));
                return 0;
            }
            if ((rc = roster_shift_replace(t, held[i], repl, l->id))) return rc;
            ans->changed[ans->n_changed++] = repl;
        }
        l->shifts_reassigned = (uint32_t)n;
        l->has_shifts_reassigned = 1;
    }
    l->state = in->approve ? LEGALAID__CHANGE_STATE__CHANGE_APPROVED
                           : LEGALAID__CHANGE_STATE__CHANGE_REFUSED;
    l->officer = in->officer;
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
    log_info("leave %s %s, shifts reassigned=%zu", l->id, in->approve ? "approved" : "refused",
             ans->n_changed);
    ans->leave = l;
    reply->body_case = LEGALAID__REPLY__BODY_CHANGE;
    reply->change = ans;
    return 0;
}
