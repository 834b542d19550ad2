/*
 * roster_meeting.c - meeting slots at a station: a meeting request books
 * the slot of [roster] meeting_slot_minutes holding its time (slots are
 * aligned to local midnight). A slot holds the station's meeting_capacity
 * meetings (or [roster] meeting_capacity); a detainee is never booked
 * into two meetings at the same time, at any station (S5 art. 53:
 * the centre arranges meetings; one person cannot be in two rooms).
 */
#include <string.h>

#include "i18n.h"
#include "roster_int.h"
#include "store.h"

#define ROSTER_SLOT_LOOKAHEAD 48

static int64_t roster_slot_of(int64_t at)
{
    int64_t len = roster_config.meeting_slot_minutes * 60000LL;
    int64_t off = (int64_t)clock_utc_offset() * 60000LL;
    int64_t local = at + off;
    int64_t floor = local - (((local % len) + len) % len);
    return floor - off;
}

/* Meetings booked at station in the slot starting at slot. */
static int roster_slot_count(turn_t *t, const char *station, int64_t slot, size_t *n)
{
    size_t sl = strlen(station);
    unsigned char lo[LA_STATION_MAX + 9];
    memcpy(lo, station, sl);
    lo[sl] = 0;
    store_be64((uint64_t)slot, lo + sl + 1);
    size_t prefix = sl + 9;
    MDB_val k = {prefix, lo}, v;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, roster_meetings, &c);
    if (rc) return store_rc(rc);
    *n = 0;
    for (int op = MDB_SET_RANGE; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        if (k.mv_size < prefix || memcmp(k.mv_data, lo, prefix) != 0) break;
        (*n)++;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int roster_meeting_book(turn_t *t, Legalaid__DutyRequest *r, const Legalaid__Station *st,
                        const char **msg)
{
    *msg = NULL;
    int64_t slot = roster_slot_of(r->meeting_at);
    size_t cap = st->has_meeting_capacity && st->meeting_capacity
                     ? st->meeting_capacity
                     : (size_t)roster_config.meeting_capacity;
    char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
    /* The detainee: by ID number, or by name at this station, each by its
     * keyed hash (seal.h). */
    const char *who = r->person_id_number && r->person_id_number[0]
                          ? arena_printf(t->arena, "ID:%s", r->person_id_number)
                          : arena_printf(t->arena, "NM:%s@%s", r->person_name, r->station);
    unsigned char dk[SEAL_HASH_LEN + 8];
    size_t wl = store_hash(t->txn, "detainee", who, strlen(who), dk);
    store_be64((uint64_t)slot, dk + wl);
    MDB_val k = {wl + 8, dk}, v;
    int rc = mdb_get(t->txn, roster_detainee_slots, &k, &v);
    if (rc == 0) {
        *msg = arena_printf(t->arena,
                            _("%s already has a meeting in the slot from %s (request %.*s): a "
                              "detainee cannot be booked twice at once"),
                            r->person_name, clock_local_text(slot, a), (int)v.mv_size,
                            (const char *)v.mv_data);
        return 0;
    }
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    size_t n;
    if ((rc = roster_slot_count(t, r->station, slot, &n))) return rc;
    if (n >= cap) {
        int64_t len = roster_config.meeting_slot_minutes * 60000LL, next = 0;
        for (int i = 1; i <= ROSTER_SLOT_LOOKAHEAD && !next; i++) {
            size_t m;
            if ((rc = roster_slot_count(t, r->station, slot + i * len, &m))) return rc;
            if (m < cap) next = slot + i * len;
        }
        *msg = arena_printf(
            t->arena, _("the meeting slot at %s from %s is full (%zu of %zu booked)%s%s"),
            r->station, clock_local_text(slot, a), n, cap,
            next ? "; the next free slot starts " : "", next ? clock_local_text(next, b) : "");
        return 0;
    }
    MDB_val dv = {strlen(r->id), r->id};
    if ((rc = store_rc(mdb_put(t->txn, roster_detainee_slots, &k, &dv, 0)))) return rc;
    size_t sl = strlen(r->station), il = strlen(r->id);
    unsigned char *mk = arena_alloc(t->arena, sl + 9 + il);
    memcpy(mk, r->station, sl);
    mk[sl] = 0;
    store_be64((uint64_t)slot, mk + sl + 1);
    memcpy(mk + sl + 9, r->id, il);
    MDB_val mkv = {sl + 9 + il, mk}, empty = {0, ""};
    if ((rc = store_rc(mdb_put(t->txn, roster_meetings, &mkv, &empty, 0)))) return rc;
    r->meeting_slot_at = slot;
    r->has_meeting_slot_at = 1;
    return 0;
}
