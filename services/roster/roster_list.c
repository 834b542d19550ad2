/*
 * roster_list.c - ListShifts: the published shifts of one station (a
 * cursor seek on station|start) or of one lawyer (on the per-lawyer
 * index) in a time range, as staff read the roster.
 */
#include <string.h>

#include "check.h"
#include "roster_int.h"
#include "store.h"
#include "i18n.h"

#define ROSTER_LIST_DEFAULT 500
#define ROSTER_LIST_MAX 5000

static int roster_list_station(turn_t *t, const char *station, int64_t from, int64_t to, size_t max,
                               Legalaid__ShiftList *out)
{
    unsigned char lo[ROSTER_SHIFT_KEY_MAX];
    size_t prefix = strlen(station) + 1;
    int64_t seek = from - ROSTER_SHIFT_MAX_MS;
    MDB_val k = {roster_shift_key(station, seek > 0 ? seek : 0, 0, NULL, lo), lo}, v;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, roster_shifts, &c);
    if (rc) return store_rc(rc);
    for (int op = MDB_SET_RANGE; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        if (k.mv_size < prefix + 9 || memcmp(k.mv_data, lo, prefix) != 0) break;
        if ((int64_t)store_from_be64((unsigned char *)k.mv_data + prefix) >= to) break;
        Legalaid__Shift *sh = store_unpacked(t->txn, &k, &v, &legalaid__shift__descriptor, &t->arena->pb);
        if (!sh || sh->ends_at <= from) continue;
        if (out->n_shifts == max) {
            out->truncated = out->has_truncated = 1;
            break;
        }
        out->shifts[out->n_shifts++] = sh;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int roster_list(turn_t *t, const Legalaid__ListShifts *in, Legalaid__Reply *reply)
{
    int by_station = !check_blank(in->station), by_lawyer = !check_blank(in->lawyer_id);
    if (by_station == by_lawyer) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "list_shifts.station",
                  _("give a station or a lawyer_id (one of them)"));
        return 0;
    }
    int64_t from = in->has_from_at ? in->from_at : t->now;
    int64_t to = in->has_to_at ? in->to_at : from + 7 * MS_PER_DAY;
    if (to <= from || to - from > 92 * MS_PER_DAY) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "list_shifts.to_at",
                  _("to_at must be after from_at, at most 92 days later"));
        return 0;
    }
    size_t max = in->max ? in->max : ROSTER_LIST_DEFAULT;
    if (max > ROSTER_LIST_MAX) max = ROSTER_LIST_MAX;
    Legalaid__ShiftList *out = ARENA_NEW(t->arena, Legalaid__ShiftList, legalaid__shift_list__init);
    int rc;
    if (by_station) {
        Legalaid__Station *st;
        rc = strlen(in->station) <= LA_STATION_MAX ? roster_station_get(t, in->station, &st)
                                                   : MDB_NOTFOUND;
        if (rc == MDB_NOTFOUND) {
            turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "list_shifts.station",
                      _("unknown station %.32s"), in->station);
            return 0;
        }
        if (rc) return rc;
        out->shifts = arena_alloc(t->arena, max * sizeof *out->shifts);
        rc = roster_list_station(t, in->station, from, to, max, out);
    } else {
        if (check_key_text(in->lawyer_id, LA_LAWYER_ID_MAX)) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "list_shifts.lawyer_id",
                      _("lawyer_id must be a pool id without spaces"));
            return 0;
        }
        Legalaid__Shift **all;
        size_t n;
        rc = roster_shift_held(t, in->lawyer_id, from, to, &all, &n);
        if (n > max) {
            n = max;
            out->truncated = out->has_truncated = 1;
        }
        out->shifts = all;
        out->n_shifts = n;
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_SHIFT_LIST;
    reply->shift_list = out;
    return 0;
}
