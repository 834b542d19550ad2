/*
 * roster_checkin.c - check-in and check-out at the station, and what the
 * tick does when a post is not taken up: the A post not checked in
 * [roster] checkin_grace_minutes after the start activates the B post
 * (the stand-in of the "AB post" practice, DOMAIN "AB posts"), who is
 * told (BackupActivated carries B's phone); if B has not checked in
 * backup_grace_minutes later either, a CoverageGap goes to the centre
 * (roster_cover.c). The A post's check-in meets the deadline its
 * ShiftAssigned announced (roster_deadline.c).
 *
 * A post's states, from its placing (roster_assign.c arms CHECKIN):
 *   awaited   --A checks in-->                     A on duty
 *   awaited   --CHECKIN due, A absent, B exists--> B activated (GAP armed)
 *   awaited   --CHECKIN due, A absent, no B-->     gap (NO_BACKUP)
 *   B activated --A or B checks in-->              on duty
 *   B activated --GAP due, nobody checked in-->    gap (NOBODY_CHECKED_IN)
 * and a post checked in is checked out at the end.
 *
 * A check-in is refused, naming the field, at a station the lawyer has no
 * shift at (the station where the lawyer is on duty is named) or at a time
 * no shift of the lawyer covers (check-in opens checkin_early_minutes
 * before the start); the roster is then unchanged.
 */
#include <string.h>

#include "check.h"
#include "due.h"
#include "i18n.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

static int roster_checkin_emit(turn_t *t, Legalaid__Shift *sh, int out)
{
    Legalaid__Event *ev = turn_event(t);
    if (out) {
        Legalaid__CheckedOut *b =
            ARENA_NEW(t->arena, Legalaid__CheckedOut, legalaid__checked_out__init);
        b->shift = sh;
        ev->body_case = LEGALAID__EVENT__BODY_CHECKED_OUT;
        ev->checked_out = b;
    } else {
        Legalaid__CheckedIn *b =
            ARENA_NEW(t->arena, Legalaid__CheckedIn, legalaid__checked_in__init);
        b->shift = sh;
        ev->body_case = LEGALAID__EVENT__BODY_CHECKED_IN;
        ev->checked_in = b;
        roster_deadline_checked_in(t, ev, sh);
        int rc = roster_watch_covered(t, sh->station, sh->starts_at); /* someone holds it now */
        if (rc) return rc;
    }
    return turn_emit(t, NULL, ev);
}

/* Why the lawyer cannot check in at station now: the shift elsewhere, or
 * the next one. */
static void roster_checkin_refuse(turn_t *t, const Legalaid__CheckIn *in, Legalaid__Shift **near,
                                  size_t n, Legalaid__Reply *reply)
{
    char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX], now[CLOCK_TEXT_MAX];
    if (n > 0) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "check_in.station",
                  _("wrong station: lawyer %s is on duty at %s from %s to %s (%s post), not at %s"),
                  in->lawyer_id, near[0]->station, clock_local_text(near[0]->starts_at, a),
                  clock_local_text(near[0]->ends_at, b), roster_shift_post(near[0]->role),
                  in->station);
        return;
    }
    Legalaid__Shift **later;
    size_t m = 0;
    if (roster_shift_held(t, in->lawyer_id, t->now, t->now + 7 * MS_PER_DAY, &later, &m) ||
        m == 0) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "check_in.lawyer_id",
                  _("wrong time: lawyer %s has no shift at %s at %s, nor in the next 7 days"),
                  in->lawyer_id, in->station, clock_local_text(t->now, now));
        return;
    }
    turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "check_in.lawyer_id",
              _("wrong time: lawyer %s has no shift at %s at %s; the next is at %s from %s to %s "
                "(check-in opens %lld minutes before)"),
              in->lawyer_id, in->station, clock_local_text(t->now, now), later[0]->station,
              clock_local_text(later[0]->starts_at, a), clock_local_text(later[0]->ends_at, b),
              roster_config.checkin_early_minutes);
}

int roster_checkin(turn_t *t, const Legalaid__CheckIn *in, Legalaid__Reply *reply)
{
    if (check_blank(in->station) || strlen(in->station) > LA_STATION_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "check_in.station",
                  _("station is required: the code of the station checked in at"));
        return 0;
    }
    if (check_key_text(in->lawyer_id, LA_LAWYER_ID_MAX)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "check_in.lawyer_id",
                  _("lawyer_id is required (the duty lawyer's pool id)"));
        return 0;
    }
    if (turn_refuse_binding(t, reply, in->station, in->lawyer_id, NULL, "check_in.station"))
        return 0;
    Legalaid__Station *st;
    int rc = roster_station_get(t, in->station, &st);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "check_in.station", _("unknown station %s"),
                  in->station);
        return 0;
    }
    if (rc) return rc;
    int out = in->has_out && in->out;
    /* Check-in: a shift covering now or starting within the early window;
     * check-out: one that began and is not over by more than a shift. */
    int64_t from = out ? t->now - ROSTER_SHIFT_MAX_MS : t->now;
    int64_t to = out ? t->now + 1 : t->now + roster_config.checkin_early_minutes * 60000LL + 1;
    Legalaid__Shift **near;
    size_t n;
    if ((rc = roster_shift_held(t, in->lawyer_id, from, to, &near, &n))) return rc;
    Legalaid__Shift *sh = NULL;
    for (size_t i = 0; i < n && !sh; i++)
        if (strcmp(near[i]->station, in->station) == 0 &&
            (!out || (near[i]->has_checked_in_at && !near[i]->has_checked_out_at)))
            sh = near[i];
    char a[CLOCK_TEXT_MAX];
    if (!sh && out) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "check_in.out",
                  _("lawyer %s is not checked in at %s: nothing to check out of"), in->lawyer_id,
                  in->station);
        return 0;
    }
    if (!sh) {
        roster_checkin_refuse(t, in, near, n, reply);
        return 0;
    }
    if (!out && sh->has_checked_in_at) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "check_in.lawyer_id",
                  _("lawyer %s is already checked in at %s since %s"), in->lawyer_id, in->station,
                  clock_local_text(sh->checked_in_at, a));
        return 0;
    }
    if (out) {
        sh->checked_out_at = t->now;
        sh->has_checked_out_at = 1;
    } else {
        sh->checked_in_at = t->now;
        sh->has_checked_in_at = 1;
    }
    if ((rc = roster_shift_store(t, sh)) || (rc = roster_checkin_emit(t, sh, out))) return rc;
    if (out)
        log_info("checked out station=%s post=%s", sh->station, roster_shift_post(sh->role));
    else
        log_info("checked in station=%s post=%s", sh->station, roster_shift_post(sh->role));
    reply->body_case = LEGALAID__REPLY__BODY_SHIFT;
    reply->shift = sh;
    return 0;
}

static int roster_post_get(turn_t *t, const char *station, int64_t starts_at, int role,
                           Legalaid__Shift **sh)
{
    *sh = NULL;
    int rc = roster_shift_find(t, station, starts_at, role, sh);
    if (rc == MDB_NOTFOUND) *sh = NULL;
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int roster_checkin_due(turn_t *t, const char *station, int64_t starts_at)
{
    Legalaid__Shift *a, *b;
    int rc = roster_post_get(t, station, starts_at, LEGALAID__SHIFT_ROLE__PRIMARY, &a);
    if (!rc) rc = roster_post_get(t, station, starts_at, LEGALAID__SHIFT_ROLE__BACKUP, &b);
    if (rc) return rc;
    if (!a || a->has_checked_in_at || t->now >= a->ends_at) return 0;
    a->absent = a->has_absent = 1;
    if ((rc = roster_shift_store(t, a))) return rc;
    if (!b)
        return roster_cover_gap(
            t, a, LEGALAID__GAP_REASON__GAP_NO_BACKUP,
            arena_printf(t->arena, "A post %s not checked in, and no B post", a->lawyer_id));
    b->backup_activated = b->has_backup_activated = 1;
    if ((rc = roster_shift_store(t, b))) return rc;
    Legalaid__BackupActivated *ba =
        ARENA_NEW(t->arena, Legalaid__BackupActivated, legalaid__backup_activated__init);
    ba->backup = b;
    ba->absent = a;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_BACKUP_ACTIVATED;
    ev->backup_activated = ba;
    if ((rc = turn_emit(t, NULL, ev))) return rc;
    log_info("backup activated station=%s: A not checked in", station);
    if (b->has_checked_in_at) return 0;
    unsigned char p[ROSTER_SHIFT_KEY_MAX];
    size_t n = roster_shift_key(station, starts_at, LEGALAID__SHIFT_ROLE__PRIMARY, NULL, p);
    return due_put(t->txn, roster_due, t->now + roster_config.backup_grace_minutes * 60000LL,
                   ROSTER_DUE_GAP, p, n);
}

int roster_checkin_gap_due(turn_t *t, const char *station, int64_t starts_at)
{
    Legalaid__Shift *a, *b;
    int rc = roster_post_get(t, station, starts_at, LEGALAID__SHIFT_ROLE__PRIMARY, &a);
    if (!rc) rc = roster_post_get(t, station, starts_at, LEGALAID__SHIFT_ROLE__BACKUP, &b);
    if (rc) return rc;
    if ((a && a->has_checked_in_at) || (b && b->has_checked_in_at)) return 0;
    const Legalaid__Shift *any = a ? a : b;
    if (!any || t->now >= any->ends_at) return 0;
    return roster_cover_gap(t, any, LEGALAID__GAP_REASON__GAP_NOBODY_CHECKED_IN,
                            arena_printf(t->arena, "neither A (%s) nor B (%s) checked in",
                                         a ? a->lawyer_id : "-", b ? b->lawyer_id : "-"));
}
