/*
 * roster_agreement.c - the "agreements" table: law firms' service
 * agreements with the centre (DOMAIN "The city and its practice": the
 * stations are served by duty lawyers from law firms under service
 * agreements). An agreement has a period, the share of shifts the firm
 * owes (a weight against the other firms serving the same station), the
 * stations it serves and its duty lawyers with the days they joined and
 * left the roster. The lawyers are vetted members of the pool (R-DUTY-09,
 * the 值班律师名册): each must be an active lawyer of the pool, of the
 * agreement's firm, as dispatch's stream told the roster (roster_pool.c);
 * before any pool has reached the roster the import is refused as
 * UNAVAILABLE.
 *
 * Import: each bad agreement is reported by position and field (an
 * unknown station, a lawyer listed twice, a lawyer who is already a duty
 * lawyer of another firm in an overlapping period, a lawyer who is not an
 * active lawyer of the firm in the pool, a period that ends before it
 * starts); the good ones go in, an id imported again replaces
 * its agreement.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"
#include "i18n.h"

#define ROSTER_AGREEMENT_ID_MAX 32
#define ROSTER_SHARE_MAX 1000

int roster_agreement_serves(const Legalaid__Agreement *ag, const char *station)
{
    if (ag->n_stations == 0) return 1;
    for (size_t i = 0; i < ag->n_stations; i++)
        if (strcmp(ag->stations[i], station) == 0) return 1;
    return 0;
}

/* joined <= day < left, and the agreement runs on day. */
static int roster_lawyer_on(const Legalaid__Agreement *ag, const Legalaid__DutyLawyer *dl,
                            int64_t day)
{
    int64_t from, to, d;
    const char *why;
    if (roster_calendar_day_parse(ag->starts, &from, &why) ||
        roster_calendar_day_parse(ag->ends, &to, &why))
        return 0;
    if (day < from || day > to) return 0;
    if (dl->joined && !roster_calendar_day_parse(dl->joined, &d, &why) && day < d) return 0;
    if (dl->left && !roster_calendar_day_parse(dl->left, &d, &why) && day >= d) return 0;
    return 1;
}

int roster_agreement_has(const Legalaid__Agreement *ag, const char *lawyer_id, int64_t day,
                         Legalaid__DutyLawyer **dl)
{
    for (size_t i = 0; i < ag->n_lawyers; i++)
        if (strcmp(ag->lawyers[i]->id, lawyer_id) == 0 &&
            roster_lawyer_on(ag, ag->lawyers[i], day)) {
            *dl = ag->lawyers[i];
            return 1;
        }
    return 0;
}

int roster_agreement_member(turn_t *t, const char *lawyer_id, const char *station, int64_t day,
                            Legalaid__Agreement **ag, Legalaid__DutyLawyer **dl)
{
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(t->txn, roster_agreements, &c);
    if (rc) return store_rc(rc);
    int found = 0;
    for (int op = MDB_FIRST; !found && (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        Legalaid__Agreement *a = store_unpacked(t->txn, &k, &v, &legalaid__agreement__descriptor, &t->arena->pb);
        if (!a || (station && !roster_agreement_serves(a, station))) continue;
        for (size_t i = 0; i < a->n_lawyers; i++)
            if (strcmp(a->lawyers[i]->id, lawyer_id) == 0 &&
                roster_lawyer_on(a, a->lawyers[i], day)) {
                *ag = a;
                *dl = a->lawyers[i];
                found = 1;
                break;
            }
    }
    mdb_cursor_close(c);
    if (found) return 0;
    return rc == 0 || rc == MDB_NOTFOUND ? MDB_NOTFOUND : store_rc(rc);
}

int roster_agreement_leave(turn_t *t, const char *lawyer_id, const char *firm, int64_t day,
                           uint32_t *n)
{
    *n = 0;
    char *left = arena_alloc(t->arena, 11);
    roster_calendar_day_text(day, left);
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(t->txn, roster_agreements, &c);
    if (rc) return store_rc(rc);
    Legalaid__Agreement **changed = NULL;
    size_t nchanged = 0, cap = 0;
    for (int op = MDB_FIRST; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        Legalaid__Agreement *a = store_unpacked(t->txn, &k, &v, &legalaid__agreement__descriptor, &t->arena->pb);
        if (!a || !a->firm || strcmp(a->firm, firm) != 0) continue;
        int touched = 0;
        for (size_t i = 0; i < a->n_lawyers; i++) {
            Legalaid__DutyLawyer *dl = a->lawyers[i];
            if (strcmp(dl->id, lawyer_id) != 0) continue;
            if (dl->left && *dl->left && strcmp(dl->left, left) <= 0) continue; /* gone already */
            dl->left = left;
            touched = 1;
        }
        if (!touched) continue;
        if (nchanged == cap) {
            cap = cap ? cap * 2 : 4;
            Legalaid__Agreement **m = arena_alloc(t->arena, cap * sizeof *m);
            if (nchanged) memcpy(m, changed, nchanged * sizeof *m);
            changed = m;
        }
        changed[nchanged++] = a;
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    for (size_t i = 0; i < nchanged; i++) {
        rc = store_put_pb(t->txn, roster_agreements, changed[i]->id, strlen(changed[i]->id),
                          &changed[i]->base, 0);
        if (rc) return rc;
    }
    *n = (uint32_t)nchanged;
    return 0;
}

/* A lawyer of another firm's agreement whose period overlaps ag's. */
static int roster_agreement_clash(turn_t *t, const Legalaid__Agreement *ag, const char *lawyer_id,
                                  const Legalaid__Agreement **other)
{
    *other = NULL;
    int64_t from, to, ofrom, oto;
    const char *why;
    roster_calendar_day_parse(ag->starts, &from, &why);
    roster_calendar_day_parse(ag->ends, &to, &why);
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(t->txn, roster_agreements, &c);
    if (rc) return store_rc(rc);
    for (int op = MDB_FIRST; !*other && (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        Legalaid__Agreement *a = store_unpacked(t->txn, &k, &v, &legalaid__agreement__descriptor, &t->arena->pb);
        if (!a || strcmp(a->id, ag->id) == 0 || strcmp(a->firm, ag->firm) == 0) continue;
        if (roster_calendar_day_parse(a->starts, &ofrom, &why) ||
            roster_calendar_day_parse(a->ends, &oto, &why))
            continue;
        if (oto < from || ofrom > to) continue;
        for (size_t i = 0; i < a->n_lawyers; i++)
            if (strcmp(a->lawyers[i]->id, lawyer_id) == 0) *other = a;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

static int roster_duty_lawyer_check(turn_t *t, const Legalaid__DutyLawyer *dl, size_t j,
                                    const char **field, const char **msg)
{
    const char *why;
    int64_t joined = 0, left = 0;
    *field = arena_printf(t->arena, "lawyers[%zu].id", j);
    if (!dl || check_key_text(dl->id, LA_LAWYER_ID_MAX)) {
        *msg = arena_printf(t->arena,
                            _("the lawyer's id is required: 1 to %d printable characters "
                            "without spaces (the pool id, like BT-L0001)"),
                            LA_LAWYER_ID_MAX);
        return -1;
    }
    if (check_blank(dl->name) || strlen(dl->name) > LA_NAME_MAX) {
        *field = arena_printf(t->arena, "lawyers[%zu].name", j);
        *msg = arena_printf(t->arena, _("lawyer %s: the name is required, at most %d bytes"), dl->id,
                            LA_NAME_MAX);
        return -1;
    }
    if (dl->phone && dl->phone[0] && (why = check_phone(dl->phone))) {
        *field = arena_printf(t->arena, "lawyers[%zu].phone", j);
        *msg = arena_printf(t->arena, _("lawyer %s: phone %s"), dl->id, why);
        return -1;
    }
    if (dl->joined && roster_calendar_day_parse(dl->joined, &joined, &why)) {
        *field = arena_printf(t->arena, "lawyers[%zu].joined", j);
        *msg = arena_printf(t->arena, _("lawyer %s: joined: %s"), dl->id, why);
        return -1;
    }
    if (dl->left && roster_calendar_day_parse(dl->left, &left, &why)) {
        *field = arena_printf(t->arena, "lawyers[%zu].left", j);
        *msg = arena_printf(t->arena, _("lawyer %s: left: %s"), dl->id, why);
        return -1;
    }
    if (dl->joined && dl->left && left <= joined) {
        *field = arena_printf(t->arena, "lawyers[%zu].left", j);
        *msg = arena_printf(t->arena, _("lawyer %s left (%s) before joining (%s)"), dl->id, dl->left,
                            dl->joined);
        return -1;
    }
    return 0;
}

/* 0 when ag can go in, else -1 with *field and *msg; or a store error. */
static int roster_agreement_check(turn_t *t, const Legalaid__Agreement *ag, const char **field,
                                  const char **msg)
{
    const char *why;
    int64_t from, to;
    *field = "id";
    if (!ag || check_key_text(ag->id, ROSTER_AGREEMENT_ID_MAX)) {
        *msg = arena_printf(t->arena,
                            _("the agreement id is required: 1 to %d printable characters "
                            "without spaces (like AG-2026-01)"),
                            ROSTER_AGREEMENT_ID_MAX);
        return -1;
    }
    *field = "firm";
    if (check_blank(ag->firm) || strlen(ag->firm) > LA_NAME_MAX) {
        *msg = arena_printf(t->arena, _("agreement %s: the firm is required, at most %d bytes"),
                            ag->id, LA_NAME_MAX);
        return -1;
    }
    *field = "starts";
    if (roster_calendar_day_parse(ag->starts, &from, &why)) {
        *msg = arena_printf(t->arena, _("agreement %s: starts: %s"), ag->id, why);
        return -1;
    }
    *field = "ends";
    if (roster_calendar_day_parse(ag->ends, &to, &why)) {
        *msg = arena_printf(t->arena, _("agreement %s: ends: %s"), ag->id, why);
        return -1;
    }
    if (to < from) {
        *msg = arena_printf(t->arena, _("agreement %s ends (%s) before it starts (%s)"), ag->id,
                            ag->ends, ag->starts);
        return -1;
    }
    *field = "share";
    if (!ag->has_share || ag->share < 1 || ag->share > ROSTER_SHARE_MAX) {
        *msg = arena_printf(t->arena,
                            _("agreement %s: the share of shifts the firm owes is "
                            "required, 1 to %d (a weight against the other firms)"),
                            ag->id, ROSTER_SHARE_MAX);
        return -1;
    }
    for (size_t i = 0; i < ag->n_stations; i++) {
        Legalaid__Station *st;
        int rc = roster_station_get(t, ag->stations[i], &st);
        if (rc == MDB_NOTFOUND) {
            *field = arena_printf(t->arena, "stations[%zu]", i);
            *msg = arena_printf(t->arena, _("agreement %s: unknown station %s (import it first)"),
                                ag->id, ag->stations[i]);
            return -1;
        }
        if (rc) return rc;
    }
    if (ag->n_lawyers == 0) {
        *field = "lawyers";
        *msg = arena_printf(t->arena, _("agreement %s names no duty lawyers"), ag->id);
        return -1;
    }
    for (size_t j = 0; j < ag->n_lawyers; j++) {
        if (roster_duty_lawyer_check(t, ag->lawyers[j], j, field, msg) < 0) return -1;
        for (size_t i = 0; i < j; i++)
            if (strcmp(ag->lawyers[i]->id, ag->lawyers[j]->id) == 0) {
                *msg = arena_printf(t->arena, _("lawyer %s is listed twice"), ag->lawyers[j]->id);
                return -1;
            }
        const Legalaid__Agreement *other;
        int rc = roster_agreement_clash(t, ag, ag->lawyers[j]->id, &other);
        if (rc) return rc;
        if (other) {
            *msg = arena_printf(t->arena,
                                _("lawyer %s is a duty lawyer of %s (agreement %s, %s to %s) in an "
                                "overlapping period: one firm at a time"),
                                ag->lawyers[j]->id, other->firm, other->id, other->starts,
                                other->ends);
            return -1;
        }
        if ((rc = roster_pool_vet(t, ag, j, field, msg))) return rc;
    }
    return 0;
}

int roster_agreement_import(turn_t *t, const Legalaid__ImportAgreements *in, Legalaid__Reply *reply)
{
    if (in->n_agreements == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_agreements.agreements",
                  _("the import holds no agreements"));
        return 0;
    }
    if (!roster_pool_heard(t)) {
        turn_fail(t, reply, LEGALAID__CODE__UNAVAILABLE, "import_agreements.agreements",
                  _("the lawyer pool has not reached the roster yet: import lawyers first (the "
                  "duty lawyers are vetted against it; try again in a moment if they were)"));
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_agreements);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_agreements; i++) {
        const Legalaid__Agreement *ag = in->agreements[i];
        const char *field = "id", *msg = "";
        int rc = roster_agreement_check(t, ag, &field, &msg);
        if (rc > 0 || rc < -1) return rc;
        if (rc == -1) {
            turn_import_reject(t, res, "agreements", i, field, msg);
            continue;
        }
        rc = store_put_pb(t->txn, roster_agreements, ag->id, strlen(ag->id), &ag->base, 0);
        if (rc) return rc;
        accepted++;
    }
    res->accepted = accepted;
    res->has_accepted = 1;
    if (accepted) {
        Legalaid__AgreementsImported *b =
            ARENA_NEW(t->arena, Legalaid__AgreementsImported, legalaid__agreements_imported__init);
        b->count = accepted;
        b->has_count = 1;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_AGREEMENTS_IMPORTED;
        ev->agreements_imported = b;
        int rc = turn_emit(t, NULL, ev);
        if (rc) return rc;
    }
    log_info("agreements imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
