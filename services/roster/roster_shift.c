/*
 * roster_shift.c - the "shifts" table and its per-lawyer index: importing
 * shifts with the rules of the duty roster.
 *
 * A shift is refused (that record only, the others go in) when its station
 * is unknown, when it double-books its lawyer (overlaps another shift of the
 * same lawyer at any station), or when it would give a station a second A
 * post (or a second B post) at the same time: the "AB post" practice has
 * exactly one primary and one stand-in per post (DOMAIN.md, "AB posts").
 * Re-importing a shift with the same station, start, role and lawyer
 * updates it (end, mode, name, phone); an identical one changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "clock.h"
#include "roster_int.h"
#include "roster_validate.h"
#include "store.h"

/* lawyer_id NUL starts_at(BE64) station */
#define ROSTER_LAWYER_KEY_MAX (ROSTER_LAWYER_ID_MAX + 1 + 8 + ROSTER_CODE_MAX)

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

static int64_t roster_scan_from(int64_t starts_at)
{
    /* A shift that overlaps one starting at starts_at started after
     * starts_at - ROSTER_SHIFT_MAX_MS. */
    return starts_at > ROSTER_SHIFT_MAX_MS ? starts_at - ROSTER_SHIFT_MAX_MS : 0;
}

static int roster_same_key(const MDB_val *k, const unsigned char *self, size_t self_len)
{
    return k->mv_size == self_len && memcmp(k->mv_data, self, self_len) == 0;
}

/* Another shift of sh's lawyer overlapping sh, at any station: *other is
 * set (arena) or left NULL. */
static int roster_lawyer_conflict(turn_t *t, const Legalaid__Shift *sh, const unsigned char *self,
                                  size_t self_len, Legalaid__Shift **other)
{
    *other = NULL;
    unsigned char lo[ROSTER_LAWYER_KEY_MAX];
    size_t prefix = strlen(sh->lawyer_id) + 1;
    MDB_val k = {roster_lawyer_key(sh->lawyer_id, roster_scan_from(sh->starts_at), NULL, lo), lo},
            v;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, roster_by_lawyer, &c);
    if (rc) return store_rc(rc);
    int op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size < prefix + 8 || memcmp(k.mv_data, lo, prefix) != 0) break;
        int64_t start = (int64_t)store_from_be64((const unsigned char *)k.mv_data + prefix);
        if (start >= sh->ends_at) break;
        if (roster_same_key(&v, self, self_len)) continue;
        Legalaid__Shift *o;
        rc = store_get_pb(t->txn, roster_shifts, v.mv_data, v.mv_size, &legalaid__shift__descriptor,
                          &t->arena->pb, (ProtobufCMessage **)&o);
        if (rc == MDB_NOTFOUND) continue; /* cannot happen: index and row move together */
        if (rc) break;
        if (o->ends_at > sh->starts_at) {
            *other = o;
            break;
        }
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Another shift holding the same post (A or B) at sh's station at an
 * overlapping time: *other is set (arena) or left NULL. */
static int roster_post_conflict(turn_t *t, const Legalaid__Shift *sh, const unsigned char *self,
                                size_t self_len, Legalaid__Shift **other)
{
    *other = NULL;
    unsigned char lo[ROSTER_SHIFT_KEY_MAX];
    size_t prefix = strlen(sh->station) + 1;
    MDB_val k = {roster_shift_key(sh->station, roster_scan_from(sh->starts_at), 0, NULL, lo), lo},
            v;
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
        if (kb[prefix + 8] != (unsigned char)sh->role || roster_same_key(&k, self, self_len))
            continue;
        Legalaid__Shift *o = legalaid__shift__unpack(&t->arena->pb, v.mv_size, v.mv_data);
        if (!o) {
            rc = -EBADMSG;
            break;
        }
        if (o->ends_at > sh->starts_at) {
            *other = o;
            break;
        }
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* The stored shift under key is byte for byte sh. */
static int roster_shift_unchanged(turn_t *t, const unsigned char *key, size_t len,
                                  const Legalaid__Shift *sh)
{
    MDB_val k = {len, (void *)key}, v;
    if (mdb_get(t->txn, roster_shifts, &k, &v) != 0) return 0;
    size_t n = legalaid__shift__get_packed_size(sh);
    if (n != v.mv_size) return 0;
    unsigned char *packed = arena_alloc(t->arena, n ? n : 1);
    legalaid__shift__pack(sh, packed);
    return memcmp(packed, v.mv_data, n) == 0;
}

static int roster_shift_put(turn_t *t, Legalaid__Shift *sh, const unsigned char *key, size_t len)
{
    int rc = store_put_pb(t->txn, roster_shifts, key, len, &sh->base, 0);
    if (rc) return rc;
    unsigned char lk[ROSTER_LAWYER_KEY_MAX];
    MDB_val k = {roster_lawyer_key(sh->lawyer_id, sh->starts_at, sh->station, lk), lk};
    MDB_val v = {len, (void *)key};
    rc = store_rc(mdb_put(t->txn, roster_by_lawyer, &k, &v, 0));
    if (rc) return rc;
    Legalaid__ShiftAssigned *b =
        ARENA_NEW(t->arena, Legalaid__ShiftAssigned, legalaid__shift_assigned__init);
    b->shift = sh;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_SHIFT_ASSIGNED;
    ev->shift_assigned = b;
    return turn_emit(t, NULL, ev);
}

/* Applies the roster rules to one valid shift: 0 with *msg NULL when it
 * went in, 0 with *field and *msg naming the problem, or a store error. */
static int roster_shift_import_one(turn_t *t, Legalaid__Shift *sh, const char **field,
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
    unsigned char key[ROSTER_SHIFT_KEY_MAX];
    size_t len = roster_shift_key(sh->station, sh->starts_at, sh->role, sh->lawyer_id, key);
    if (roster_shift_unchanged(t, key, len, sh)) return 0;

    Legalaid__Shift *o;
    char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
    rc = roster_lawyer_conflict(t, sh, key, len, &o);
    if (rc) return rc;
    if (o) {
        *field = "lawyer_id";
        *msg = arena_printf(t->arena,
                            "lawyer %s is already on duty at %s from %s to %s (%s post): a lawyer "
                            "cannot hold two shifts at once",
                            sh->lawyer_id, o->station, clock_local_text(o->starts_at, a),
                            clock_local_text(o->ends_at, b), roster_role_post(o->role));
        return 0;
    }
    rc = roster_post_conflict(t, sh, key, len, &o);
    if (rc) return rc;
    if (o) {
        *field = "role";
        *msg = arena_printf(t->arena,
                            "station %s already has its %s post filled from %s to %s by lawyer %s "
                            "(%s): one %s per post at a time",
                            sh->station, roster_role_post(o->role),
                            clock_local_text(o->starts_at, a), clock_local_text(o->ends_at, b),
                            o->lawyer_id, o->lawyer_name,
                            sh->role == LEGALAID__SHIFT_ROLE__PRIMARY ? "primary" : "backup");
        return 0;
    }
    return roster_shift_put(t, sh, key, len);
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
        int rc = roster_shift_import_one(t, sh, &field, &problem);
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
