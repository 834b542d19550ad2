/*
 * roster_assign.c - a shift assigned to a lawyer: placed on the roster
 * under the rules of the duty roster, its check-in armed, ShiftAssigned
 * published (the lawyer is told); and the import of shifts made elsewhere.
 * Publication (roster_schedule.c) and the hand-over of a post
 * (roster_cover.c) place their shifts here too.
 *
 * A shift is refused (that record only, the others go in) when its station
 * is unknown, when (imported) its lawyer is not an active lawyer of the pool
 * on an agreement serving the station that day (roster_assign_fit), or when it double-books its
 * lawyer (overlaps another shift of the same lawyer at any station, or leaves less than the rest
 * asked for), or when it would give a station a second A post (or a second B post) at the same
 * time: the "AB post" practice has exactly one primary and one stand-in per post (DOMAIN.md, "AB
 * posts"). Re-importing a shift with the same station, start, role and lawyer updates it; an
 * identical one changes nothing.
 *
 * The check-in a placed post awaits: the tick's CHECKIN entry at start +
 * checkin_grace (roster_checkin.c activates B), and the A post's check-in
 * at the start announced on ShiftAssigned (roster_deadline.c).
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "due.h"
#include "i18n.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

/* The check-in deadline of a post that has not begun: the tick activates
 * B when A has not checked in by then (roster_checkin.c). */
static int roster_assign_arm(turn_t *t, const Legalaid__Shift *sh)
{
    int64_t due = sh->starts_at + roster_config.checkin_grace_minutes * 60000LL;
    if (due <= t->now) return 0; /* begun already: nobody is waited for */
    unsigned char p[ROSTER_SHIFT_KEY_MAX];
    size_t n = roster_shift_key(sh->station, sh->starts_at, LEGALAID__SHIFT_ROLE__PRIMARY, NULL, p);
    return due_put(t->txn, roster_due, due, ROSTER_DUE_CHECKIN, p, n);
}

static int roster_assign_put(turn_t *t, Legalaid__Shift *sh)
{
    int rc = roster_shift_index(t, sh);
    if (!rc) rc = roster_assign_arm(t, sh);
    if (rc) return rc;
    Legalaid__ShiftAssigned *b =
        ARENA_NEW(t->arena, Legalaid__ShiftAssigned, legalaid__shift_assigned__init);
    b->shift = sh;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_SHIFT_ASSIGNED;
    ev->shift_assigned = b;
    roster_deadline_checkin(t, ev, sh);
    return turn_emit(t, NULL, ev);
}

int roster_assign(turn_t *t, Legalaid__Shift *sh, int64_t rest_ms, const char **field,
                  const char **msg)
{
    *msg = NULL;
    Legalaid__Station *st;
    int rc = roster_station_get(t, sh->station, &st);
    if (rc == MDB_NOTFOUND) {
        *field = "station";
        *msg =
            arena_printf(t->arena, _("unknown station %s (import the station first)"), sh->station);
        return 0;
    }
    if (rc) return rc;
    if (!sh->has_mode || sh->mode == LEGALAID__DUTY_MODE__MODE_UNSPECIFIED) {
        sh->mode = LEGALAID__DUTY_MODE__ON_SITE;
        sh->has_mode = 1;
    }
    if (roster_shift_unchanged(t, sh)) return 0;

    Legalaid__Shift *o;
    char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
    rc = roster_shift_busy(t, sh->lawyer_id, sh->starts_at, sh->ends_at, rest_ms, sh, &o);
    if (rc) return rc;
    if (o) {
        *field = "lawyer_id";
        *msg =
            arena_printf(t->arena,
                         _("lawyer %s is already on duty at %s from %s to %s (%s post): a lawyer "
                           "cannot hold two shifts at once%s"),
                         sh->lawyer_id, o->station, clock_local_text(o->starts_at, a),
                         clock_local_text(o->ends_at, b), roster_shift_post(o->role),
                         rest_ms ? " nor without the minimum rest between them" : "");
        return 0;
    }
    rc = roster_shift_conflict(t, sh, &o);
    if (rc) return rc;
    if (o) {
        *field = "role";
        *msg =
            arena_printf(t->arena,
                         _("station %s already has its %s post filled from %s to %s by lawyer %s "
                           "(%s): one %s per post at a time"),
                         sh->station, roster_shift_post(o->role), clock_local_text(o->starts_at, a),
                         clock_local_text(o->ends_at, b), o->lawyer_id, o->lawyer_name,
                         sh->role == LEGALAID__SHIFT_ROLE__PRIMARY ? _("primary") : _("backup"));
        return 0;
    }
    return roster_assign_put(t, sh);
}

/* Fits a shift made elsewhere (an import) to the pool as a generated one is:
 * its lawyer an active lawyer of the pool and a duty lawyer of an agreement
 * serving its station on its day (R-DUTY-09). 0 with *msg NULL when it fits
 * (the shift's firm, name and phone filled from the agreement and the pool
 * where missing), 0 with *msg, or a store error. */
static int roster_assign_fit(turn_t *t, Legalaid__Shift *sh, const char **msg)
{
    Legalaid__Lawyer *l;
    int rc = roster_pool_check(t, sh->lawyer_id, NULL, &l, msg);
    if (rc || *msg) return rc;
    Legalaid__Agreement *ag;
    Legalaid__DutyLawyer *dl;
    int64_t day = clock_local_day(sh->starts_at);
    rc = roster_agreement_member(t, sh->lawyer_id, sh->station, day, &ag, &dl);
    if (rc == MDB_NOTFOUND) {
        char d[11];
        roster_calendar_day_text(day, d);
        *msg = arena_printf(t->arena,
                            _("lawyer %s is a duty lawyer of no firm's agreement serving %s on %s: "
                              "duty posts are held by the lawyers of the firms' agreements "
                              "(R-DUTY-09; import the agreement first)"),
                            sh->lawyer_id, sh->station, d);
        return 0;
    }
    if (rc) return rc;
    /* The record as the schedule shows it: the firm and name of the pool. */
    if (!sh->firm || !*sh->firm) sh->firm = ag->firm;
    if (!sh->lawyer_name || !*sh->lawyer_name) sh->lawyer_name = l->name;
    if ((!sh->lawyer_phone || !*sh->lawyer_phone) && l->phone) sh->lawyer_phone = l->phone;
    return 0;
}

int roster_assign_import(turn_t *t, const Legalaid__ImportShifts *in, Legalaid__Reply *reply)
{
    if (in->n_shifts == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_shifts.shifts",
                  _("the import holds no shifts"));
        return 0;
    }
    if (!roster_pool_heard(t)) {
        turn_fail(t, reply, LEGALAID__CODE__UNAVAILABLE, "import_shifts.shifts",
                  _("the lawyer pool is not known yet: import lawyers and the firms' agreements "
                    "first (imported shifts are vetted against them as generated ones are)"));
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_shifts);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_shifts; i++) {
        Legalaid__Shift *sh = in->shifts[i];
        const char *field, *problem;
        char msg[256];
        if (roster_validate_shift(sh, &field, msg, sizeof msg) < 0) {
            turn_import_reject(t, res, "shifts", i, field, msg);
            continue;
        }
        /* Vetted as a generated one is: the pool and the agreements (at a
         * known station; roster_assign names an unknown one). */
        Legalaid__Station *st;
        int rc = roster_station_get(t, sh->station, &st);
        if (rc && rc != MDB_NOTFOUND) return rc;
        problem = NULL;
        if (rc == 0 && (rc = roster_assign_fit(t, sh, &problem))) return rc;
        if (problem) {
            turn_import_reject(t, res, "shifts", i, "lawyer_id", problem);
            continue;
        }
        /* Imported shifts are the centre's own schedule: they are checked
         * for double booking, not for the rest a generated one keeps. */
        rc = roster_assign(t, sh, 0, &field, &problem);
        if (rc) return rc;
        if (problem) {
            turn_import_reject(t, res, "shifts", i, field, problem);
            continue;
        }
        accepted++;
    }
    res->accepted = accepted;
    res->has_accepted = 1;
    log_info("shifts imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
