/*
 * roster_shift.c - the "shifts" table and its per-lawyer index: placing a
 * shift under the rules of the duty roster, finding, rewriting and
 * removing one, and the import of shifts made elsewhere.
 *
 * A shift is refused (that record only, the others go in) when its station
 * is unknown, when it double-books its lawyer (overlaps another shift of the
 * same lawyer at any station, or leaves less than the rest asked for), or
 * when it would give a station a second A post (or a second B post) at the
 * same time: the "AB post" practice has exactly one primary and one
 * stand-in per post (DOMAIN.md, "AB posts"). Re-importing a shift with the
 * same station, start, role and lawyer updates it; an identical one
 * changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "roster_int.h"
#include "roster_validate.h"
#include "store.h"

size_t roster_shift_key(const char *station, int64_t starts_at, int role, const char *lawyer_id,
                        unsigned char key[ROSTER_SHIFT_KEY_MAX])
{
    size_t n = strlen(station), l = lawyer_id ? strlen(lawyer_id) : 0;
    memcpy(key, station, n);
    key[n] = 0;
    store_be64((uint64_t)starts_at, key + n + 1);
    key[n + 9] = (unsigned char)role;
    if (l) memcpy(key + n + 10, lawyer_id, l);
    return n + 10 + l;
}

static size_t roster_lawyer_key(const char *lawyer_id, int64_t starts_at, const char *station,
                                unsigned char key[ROSTER_LAWYER_KEY_MAX])
{
    size_t l = strlen(lawyer_id), n = station ? strlen(station) : 0;
    memcpy(key, lawyer_id, l);
    key[l] = 0;
    store_be64((uint64_t)starts_at, key + l + 1);
    if (n) memcpy(key + l + 9, station, n);
    return l + 9 + n;
}

static int roster_shift_same(const Legalaid__Shift *a, const Legalaid__Shift *b)
{
    return b && strcmp(a->station, b->station) == 0 && a->starts_at == b->starts_at &&
           a->role == b->role && strcmp(a->lawyer_id, b->lawyer_id) == 0;
}

int roster_lawyer_busy(turn_t *t, const char *lawyer_id, int64_t from, int64_t to, int64_t rest_ms,
                       const Legalaid__Shift *skip, Legalaid__Shift **other)
{
    *other = NULL;
    /* A shift ending after from - rest started after from - rest - 24 h. */
    int64_t lo_at = from - rest_ms - ROSTER_SHIFT_MAX_MS;
    unsigned char lo[ROSTER_LAWYER_KEY_MAX];
    size_t prefix = strlen(lawyer_id) + 1;
    MDB_val k = {roster_lawyer_key(lawyer_id, lo_at > 0 ? lo_at : 0, NULL, lo), lo}, v;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, roster_by_lawyer, &c);
    if (rc) return store_rc(rc);
    int op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size < prefix + 8 || memcmp(k.mv_data, lo, prefix) != 0) break;
        int64_t start = (int64_t)store_from_be64((const unsigned char *)k.mv_data + prefix);
        if (start >= to + rest_ms) break;
        Legalaid__Shift *o;
        rc = store_get_pb(t->txn, roster_shifts, v.mv_data, v.mv_size, &legalaid__shift__descriptor,
                          &t->arena->pb, (ProtobufCMessage **)&o);
        if (rc == MDB_NOTFOUND) continue;
        if (rc) break;
        if (roster_shift_same(o, skip)) continue;
        if (o->ends_at + rest_ms > from) {
            *other = o;
            break;
        }
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int roster_lawyer_shifts(turn_t *t, const char *lawyer_id, int64_t from, int64_t to,
                         Legalaid__Shift ***out, size_t *n)
{
    *n = 0;
    *out = NULL;
    int64_t lo_at = from - ROSTER_SHIFT_MAX_MS;
    unsigned char lo[ROSTER_LAWYER_KEY_MAX];
    size_t prefix = strlen(lawyer_id) + 1, cap = 0;
    MDB_val k = {roster_lawyer_key(lawyer_id, lo_at > 0 ? lo_at : 0, NULL, lo), lo}, v;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, roster_by_lawyer, &c);
    if (rc) return store_rc(rc);
    for (int op = MDB_SET_RANGE; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        if (k.mv_size < prefix + 8 || memcmp(k.mv_data, lo, prefix) != 0) break;
        if ((int64_t)store_from_be64((const unsigned char *)k.mv_data + prefix) >= to) break;
        Legalaid__Shift *o;
        rc = store_get_pb(t->txn, roster_shifts, v.mv_data, v.mv_size, &legalaid__shift__descriptor,
                          &t->arena->pb, (ProtobufCMessage **)&o);
        if (rc == MDB_NOTFOUND) continue;
        if (rc) break;
        if (o->ends_at <= from) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            Legalaid__Shift **grown = arena_alloc(t->arena, cap * sizeof *grown);
            if (*n) memcpy(grown, *out, *n * sizeof *grown);
            *out = grown;
        }
        (*out)[(*n)++] = o;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* Another shift holding the same post (A or B) at sh's station at an
 * overlapping time: *other is set (arena) or left NULL. */
static int roster_post_conflict(turn_t *t, const Legalaid__Shift *sh, Legalaid__Shift **other)
{
    *other = NULL;
    unsigned char lo[ROSTER_SHIFT_KEY_MAX];
    size_t prefix = strlen(sh->station) + 1;
    int64_t from = sh->starts_at - ROSTER_SHIFT_MAX_MS;
    MDB_val k = {roster_shift_key(sh->station, from > 0 ? from : 0, 0, NULL, lo), lo}, v;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, roster_shifts, &c);
    if (rc) return store_rc(rc);
    int op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        const unsigned char *kb = k.mv_data;
        if (k.mv_size < prefix + 9 || memcmp(kb, lo, prefix) != 0) break;
        int64_t start = (int64_t)store_from_be64(kb + prefix);
        if (start >= sh->ends_at) break;
        if (kb[prefix + 8] != (unsigned char)sh->role) continue;
        Legalaid__Shift *o = legalaid__shift__unpack(&t->arena->pb, v.mv_size, v.mv_data);
        if (!o) {
            rc = -EBADMSG;
            break;
        }
        if (roster_shift_same(o, sh)) continue;
        if (o->ends_at > sh->starts_at) {
            *other = o;
            break;
        }
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int roster_shift_find(turn_t *t, const char *station, int64_t starts_at, int role,
                      Legalaid__Shift **sh)
{
    unsigned char lo[ROSTER_SHIFT_KEY_MAX];
    size_t n = roster_shift_key(station, starts_at, role, NULL, lo);
    MDB_val k = {n, lo}, v;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, roster_shifts, &c);
    if (rc) return store_rc(rc);
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    if (rc == 0 && (k.mv_size < n || memcmp(k.mv_data, lo, n) != 0)) rc = MDB_NOTFOUND;
    if (rc == 0) {
        *sh = legalaid__shift__unpack(&t->arena->pb, v.mv_size, v.mv_data);
        if (!*sh) rc = -EBADMSG;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? rc : store_rc(rc);
}

int roster_shift_store(turn_t *t, const Legalaid__Shift *sh)
{
    unsigned char key[ROSTER_SHIFT_KEY_MAX];
    size_t len = roster_shift_key(sh->station, sh->starts_at, sh->role, sh->lawyer_id, key);
    return store_put_pb(t->txn, roster_shifts, key, len, &sh->base, 0);
}

int roster_shift_remove(turn_t *t, const Legalaid__Shift *sh)
{
    unsigned char key[ROSTER_SHIFT_KEY_MAX], lk[ROSTER_LAWYER_KEY_MAX];
    MDB_val k = {roster_shift_key(sh->station, sh->starts_at, sh->role, sh->lawyer_id, key), key};
    int rc = mdb_del(t->txn, roster_shifts, &k, NULL);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    MDB_val l = {roster_lawyer_key(sh->lawyer_id, sh->starts_at, sh->station, lk), lk};
    rc = mdb_del(t->txn, roster_by_lawyer, &l, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* The check-in deadline of a post that has not begun: the tick activates
 * B when A has not checked in by then (roster_checkin.c). */
static int roster_shift_arm(turn_t *t, const Legalaid__Shift *sh)
{
    int64_t due = sh->starts_at + roster_config.checkin_grace_minutes * 60000LL;
    if (due <= t->now) return 0; /* begun already: nobody is waited for */
    unsigned char p[ROSTER_SHIFT_KEY_MAX];
    size_t n = roster_shift_key(sh->station, sh->starts_at, LEGALAID__SHIFT_ROLE__PRIMARY, NULL, p);
    return roster_due_put(t, due, ROSTER_DUE_CHECKIN, p, n);
}

static int roster_shift_put(turn_t *t, Legalaid__Shift *sh)
{
    int rc = roster_shift_store(t, sh);
    if (rc) return rc;
    unsigned char key[ROSTER_SHIFT_KEY_MAX], lk[ROSTER_LAWYER_KEY_MAX];
    MDB_val v = {roster_shift_key(sh->station, sh->starts_at, sh->role, sh->lawyer_id, key), key};
    MDB_val k = {roster_lawyer_key(sh->lawyer_id, sh->starts_at, sh->station, lk), lk};
    rc = store_rc(mdb_put(t->txn, roster_by_lawyer, &k, &v, 0));
    if (!rc) rc = roster_shift_arm(t, sh);
    if (rc) return rc;
    Legalaid__ShiftAssigned *b =
        ARENA_NEW(t->arena, Legalaid__ShiftAssigned, legalaid__shift_assigned__init);
    b->shift = sh;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_SHIFT_ASSIGNED;
    ev->shift_assigned = b;
    return turn_emit(t, NULL, ev);
}

/* The stored shift under sh's key is byte for byte sh. */
static int roster_shift_unchanged(turn_t *t, const Legalaid__Shift *sh)
{
    unsigned char key[ROSTER_SHIFT_KEY_MAX];
    MDB_val k = {roster_shift_key(sh->station, sh->starts_at, sh->role, sh->lawyer_id, key), key},
            v;
    if (mdb_get(t->txn, roster_shifts, &k, &v) != 0) return 0;
    size_t n = legalaid__shift__get_packed_size(sh);
    if (n != v.mv_size) return 0;
    unsigned char *packed = arena_alloc(t->arena, n ? n : 1);
    legalaid__shift__pack(sh, packed);
    return memcmp(packed, v.mv_data, n) == 0;
}

int roster_shift_place(turn_t *t, Legalaid__Shift *sh, int64_t rest_ms, const char **field,
                       const char **msg)
{
    *msg = NULL;
    Legalaid__Station *st;
    int rc = roster_station_get(t, sh->station, &st);
    if (rc == MDB_NOTFOUND) {
        *field = "station";
        *msg = arena_printf(t->arena, "unknown station %s (import the station first)", sh->station);
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
    rc = roster_lawyer_busy(t, sh->lawyer_id, sh->starts_at, sh->ends_at, rest_ms, sh, &o);
    if (rc) return rc;
    if (o) {
        *field = "lawyer_id";
        *msg = arena_printf(t->arena,
                            "lawyer %s is already on duty at %s from %s to %s (%s post): a lawyer "
                            "cannot hold two shifts at once%s",
                            sh->lawyer_id, o->station, clock_local_text(o->starts_at, a),
                            clock_local_text(o->ends_at, b), roster_role_post(o->role),
                            rest_ms ? " nor without the minimum rest between them" : "");
        return 0;
    }
    rc = roster_post_conflict(t, sh, &o);
    if (rc) return rc;
    if (o) {
        *field = "role";
        *msg =
            arena_printf(t->arena,
                         "station %s already has its %s post filled from %s to %s by lawyer %s "
                         "(%s): one %s per post at a time",
                         sh->station, roster_role_post(o->role), clock_local_text(o->starts_at, a),
                         clock_local_text(o->ends_at, b), o->lawyer_id, o->lawyer_name,
                         sh->role == LEGALAID__SHIFT_ROLE__PRIMARY ? "primary" : "backup");
        return 0;
    }
    return roster_shift_put(t, sh);
}

int roster_shifts_import(turn_t *t, const Legalaid__ImportShifts *in, Legalaid__Reply *reply)
{
    if (in->n_shifts == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_shifts.shifts",
                  "the import holds no shifts");
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_shifts);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_shifts; i++) {
        Legalaid__Shift *sh = in->shifts[i];
        const char *field, *problem;
        char msg[256];
        if (roster_shift_check(sh, &field, msg, sizeof msg) < 0) {
            turn_import_reject(t, res, "shifts", i, field, msg);
            continue;
        }
        /* Imported shifts are the centre's own schedule: they are checked
         * for double booking, not for the rest a generated one keeps. */
        int rc = roster_shift_place(t, sh, 0, &field, &problem);
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
