/*
 * roster_duty.c - "who is on duty at station X at time T": the shifts
 * covering T (starts_at <= T < ends_at), the A post first, then B.
 *
 * One cursor seek and a bounded scan of "shifts": a shift lasts at most
 * ROSTER_SHIFT_MAX_MS, so one covering T started in
 * (T - ROSTER_SHIFT_MAX_MS, T]; the scan starts at station|T-24h and stops
 * at the first shift starting after T.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "roster_int.h"
#include "store.h"
#include "i18n.h"

/* A post before B post, then earlier start first. */
static int roster_duty_order(const void *a, const void *b)
{
    const Legalaid__Shift *x = *(Legalaid__Shift *const *)a, *y = *(Legalaid__Shift *const *)b;
    if (x->role != y->role) return x->role < y->role ? -1 : 1;
    if (x->starts_at != y->starts_at) return x->starts_at < y->starts_at ? -1 : 1;
    return strcmp(x->lawyer_id, y->lawyer_id);
}

int roster_duty_collect(turn_t *t, const char *station, int64_t at, Legalaid__Shift ***out,
                        size_t *n)
{
    Legalaid__DutyAnswer tmp = LEGALAID__DUTY_ANSWER__INIT, *ans = &tmp;
    int64_t from = at > ROSTER_SHIFT_MAX_MS ? at - ROSTER_SHIFT_MAX_MS : 0;
    unsigned char lo[ROSTER_SHIFT_KEY_MAX];
    size_t prefix = strlen(station) + 1;
    MDB_val k = {roster_shift_key(station, from, 0, NULL, lo), lo}, v;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, roster_shifts, &c);
    if (rc) return store_rc(rc);
    size_t cap = 0;
    int op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        const unsigned char *kb = k.mv_data;
        if (k.mv_size < prefix + 9 || memcmp(kb, lo, prefix) != 0) break;
        if ((int64_t)store_from_be64(kb + prefix) > at) break;
        Legalaid__Shift *sh = store_unpacked(t->txn, &k, &v, &legalaid__shift__descriptor, &t->arena->pb);
        if (!sh) {
            rc = -EBADMSG;
            break;
        }
        if (sh->ends_at <= at) continue;
        if (ans->n_on_duty == cap) {
            cap = cap ? cap * 2 : 4;
            Legalaid__Shift **grown = arena_alloc(t->arena, cap * sizeof *grown);
            if (ans->n_on_duty) memcpy(grown, ans->on_duty, ans->n_on_duty * sizeof *grown);
            ans->on_duty = grown;
        }
        ans->on_duty[ans->n_on_duty++] = sh;
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND && rc != 0) return rc;
    if (ans->n_on_duty > 1)
        qsort(ans->on_duty, ans->n_on_duty, sizeof *ans->on_duty, roster_duty_order);
    *out = ans->on_duty;
    *n = ans->n_on_duty;
    return 0;
}

int roster_duty_query(turn_t *t, const Legalaid__DutyQuery *q, Legalaid__Reply *reply)
{
    if (!q->station || !q->station[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "duty_query.station",
                  _("station is required (a station code like KDL-COURT)"));
        return 0;
    }
    if (strlen(q->station) > LA_STATION_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "duty_query.station",
                  _("no station %.64s (station codes have at most %d characters)"), q->station,
                  LA_STATION_MAX);
        return 0;
    }
    if (q->has_at && q->at <= 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "duty_query.at",
                  _("at must be a time in ms since the epoch, or absent for now"));
        return 0;
    }
    Legalaid__Station *st;
    int rc = roster_station_get(t, q->station, &st);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "duty_query.station", _("no station %s"),
                  q->station);
        return 0;
    }
    if (rc) return rc;
    Legalaid__DutyAnswer *ans =
        ARENA_NEW(t->arena, Legalaid__DutyAnswer, legalaid__duty_answer__init);
    ans->station = st;
    ans->at = q->has_at ? q->at : t->now;
    ans->has_at = 1;
    rc = roster_duty_collect(t, q->station, ans->at, &ans->on_duty, &ans->n_on_duty);
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_DUTY_ANSWER;
    reply->duty_answer = ans;
    return 0;
}
