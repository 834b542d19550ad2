/*
 * roster_shift.c - the "shifts" table and its per-lawyer index
 * "shifts_by_lawyer" (key layouts in roster_int.h): writing, rewriting and
 * removing a shift, finding one by its post, and the scans the rules of the
 * duty roster read (another holder of the same post, a lawyer's other
 * shifts within the rest, a lawyer's shifts in a period). Placing a shift
 * under those rules is roster_assign.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "roster_int.h"
#include "store.h"

const char *roster_shift_post(int role)
{
    return role == LEGALAID__SHIFT_ROLE__PRIMARY  ? "A"
           : role == LEGALAID__SHIFT_ROLE__BACKUP ? "B"
                                                  : "?";
}

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

static size_t roster_shift_lawyer_key(const char *lawyer_id, int64_t starts_at, const char *station,
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

int roster_shift_busy(turn_t *t, const char *lawyer_id, int64_t from, int64_t to, int64_t rest_ms,
                      const Legalaid__Shift *skip, Legalaid__Shift **other)
{
    *other = NULL;
    /* A longer id (only the pool may hold one) has no shift, nor a key. */
    if (strlen(lawyer_id) > LA_LAWYER_ID_MAX) return 0;
    /* A shift ending after from - rest started after from - rest - 24 h. */
    int64_t lo_at = from - rest_ms - ROSTER_SHIFT_MAX_MS;
    unsigned char lo[ROSTER_LAWYER_KEY_MAX];
    size_t prefix = strlen(lawyer_id) + 1;
    MDB_val k = {roster_shift_lawyer_key(lawyer_id, lo_at > 0 ? lo_at : 0, NULL, lo), lo}, v;
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

int roster_shift_held(turn_t *t, const char *lawyer_id, int64_t from, int64_t to,
                      Legalaid__Shift ***out, size_t *n)
{
    *n = 0;
    *out = NULL;
    if (strlen(lawyer_id) > LA_LAWYER_ID_MAX) return 0; /* no shift, nor a key */
    int64_t lo_at = from - ROSTER_SHIFT_MAX_MS;
    unsigned char lo[ROSTER_LAWYER_KEY_MAX];
    size_t prefix = strlen(lawyer_id) + 1, cap = 0;
    MDB_val k = {roster_shift_lawyer_key(lawyer_id, lo_at > 0 ? lo_at : 0, NULL, lo), lo}, v;
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

int roster_shift_conflict(turn_t *t, const Legalaid__Shift *sh, Legalaid__Shift **other)
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
        Legalaid__Shift *o = store_unpacked(t->txn, &k, &v, &legalaid__shift__descriptor, &t->arena->pb);
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
        *sh = store_unpacked(t->txn, &k, &v, &legalaid__shift__descriptor, &t->arena->pb);
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

int roster_shift_index(turn_t *t, const Legalaid__Shift *sh)
{
    int rc = roster_shift_store(t, sh);
    if (rc) return rc;
    unsigned char key[ROSTER_SHIFT_KEY_MAX], lk[ROSTER_LAWYER_KEY_MAX];
    MDB_val v = {roster_shift_key(sh->station, sh->starts_at, sh->role, sh->lawyer_id, key), key};
    MDB_val k = {roster_shift_lawyer_key(sh->lawyer_id, sh->starts_at, sh->station, lk), lk};
    return store_rc(mdb_put(t->txn, roster_by_lawyer, &k, &v, 0));
}

int roster_shift_remove(turn_t *t, const Legalaid__Shift *sh)
{
    unsigned char key[ROSTER_SHIFT_KEY_MAX], lk[ROSTER_LAWYER_KEY_MAX];
    MDB_val k = {roster_shift_key(sh->station, sh->starts_at, sh->role, sh->lawyer_id, key), key};
    int rc = mdb_del(t->txn, roster_shifts, &k, NULL);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    MDB_val l = {roster_shift_lawyer_key(sh->lawyer_id, sh->starts_at, sh->station, lk), lk};
    rc = mdb_del(t->txn, roster_by_lawyer, &l, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int roster_shift_unchanged(turn_t *t, const Legalaid__Shift *sh)
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
