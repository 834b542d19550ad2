/*
 * roster_cover.c - covering a post its lawyer cannot hold: who may take it
 * (a duty lawyer of a firm whose agreement serves the station that day, an
 * active lawyer of the pool, not on an approved leave, free of other shifts
 * with the minimum rest; of the same firm first, then the one with the
 * fewest shifts around that time), the hand-over itself (the shift placed
 * anew under the roster's rules, ShiftChanged), and the CoverageGap the
 * centre is told of when nobody holds a post. Leave and the pool
 * (roster_leave.c, roster_pool_apply.c) hand over posts through here, a
 * swap (roster_swap.c) hands one to the lawyer it names, and the check-in
 * rules (roster_checkin.c) raise their gaps here.
 */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "roster_int.h"
#include "store.h"

/* The window in which a candidate's shifts count against it. */
#define ROSTER_COVER_FAIR_WINDOW_MS (14 * MS_PER_DAY)

int roster_cover_on_leave(turn_t *t, const char *lawyer_id, int64_t from, int64_t to,
                          Legalaid__Leave **lv)
{
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(t->txn, roster_leaves, &c), found = 0;
    if (rc) return store_rc(rc);
    for (int op = MDB_FIRST; !found && (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        Legalaid__Leave *l = store_unpacked(t->txn, &k, &v, &legalaid__leave__descriptor, &t->arena->pb);
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
static int roster_cover_free(turn_t *t, const Legalaid__Shift *sh, const Legalaid__DutyLawyer *dl)
{
    Legalaid__Leave *lv;
    Legalaid__Shift *o;
    int rc = roster_pool_takes(t, dl->id);
    if (rc <= 0) return rc;
    rc = roster_cover_on_leave(t, dl->id, sh->starts_at, sh->ends_at, &lv);
    if (rc) return rc < 0 ? rc : 0;
    rc = roster_shift_busy(t, dl->id, sh->starts_at, sh->ends_at,
                           roster_config.min_rest_minutes * 60000LL, sh, &o);
    if (rc) return rc;
    return o ? 0 : 1;
}

int roster_cover_find(turn_t *t, const Legalaid__Shift *sh, Legalaid__Shift **repl)
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
        Legalaid__Agreement *ag = store_unpacked(t->txn, &k, &v, &legalaid__agreement__descriptor, &t->arena->pb);
        if (!ag || !roster_agreement_serves(ag, sh->station)) continue;
        int same = sh->firm && strcmp(ag->firm, sh->firm) == 0;
        for (size_t i = 0; i < ag->n_lawyers; i++) {
            const Legalaid__DutyLawyer *dl = ag->lawyers[i];
            if (strcmp(dl->id, sh->lawyer_id) == 0) continue;
            Legalaid__DutyLawyer *mdl;
            if (!roster_agreement_has(ag, dl->id, day, &mdl)) continue;
            int ok = roster_cover_free(t, sh, dl);
            if (ok < 0) {
                rc = ok;
                goto out;
            }
            if (!ok) continue;
            Legalaid__Shift **around;
            size_t load;
            if ((rc = roster_shift_held(t, dl->id, sh->starts_at - ROSTER_COVER_FAIR_WINDOW_MS,
                                        sh->starts_at + ROSTER_COVER_FAIR_WINDOW_MS, &around,
                                        &load)))
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

int roster_cover_replace(turn_t *t, Legalaid__Shift *sh, Legalaid__Shift *after,
                         const char *because)
{
    int rc = roster_shift_remove(t, sh);
    if (rc) return rc;
    const char *field, *msg;
    if ((rc = roster_assign(t, after, roster_config.min_rest_minutes * 60000LL, &field, &msg)))
        return rc;
    if (msg) {
        /* The caller checked the lawyer is free: a placement failure here
         * means the stored roster contradicts itself. */
        log_error("replacing shift at %s failed: %s", sh->station, msg);
        return -EINVAL;
    }
    Legalaid__ShiftChanged *b =
        ARENA_NEW(t->arena, Legalaid__ShiftChanged, legalaid__shift_changed__init);
    b->before = sh;
    b->after = after;
    b->because = (char *)because;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_SHIFT_CHANGED;
    ev->shift_changed = b;
    rc = roster_watch_covered(t, after->station, after->starts_at); /* held again */
    return rc ? rc : turn_emit(t, NULL, ev);
}

int roster_cover_gap(turn_t *t, const Legalaid__Shift *any, Legalaid__GapReason reason,
                     const char *detail)
{
    Legalaid__CoverageGap *g =
        ARENA_NEW(t->arena, Legalaid__CoverageGap, legalaid__coverage_gap__init);
    g->station = any->station;
    g->starts_at = any->starts_at;
    g->ends_at = any->ends_at;
    g->has_starts_at = g->has_ends_at = g->has_reason = 1;
    g->reason = reason;
    g->detail = (char *)detail;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_COVERAGE_GAP;
    ev->coverage_gap = g;
    log_warn("coverage gap station=%s: %s", any->station, detail);
    int rc = roster_watch_gap(t, any->station, any->starts_at, any->ends_at, reason);
    return rc ? rc : turn_emit(t, NULL, ev);
}
