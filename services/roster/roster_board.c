/*
 * roster_board.c - the duty board (DutyBoardQuery): every station at one
 * time, or one station's own view (a desk's page):
 *
 *   stations  who is on duty at each (A, then B; checked in, absent, B
 *             activated), as DutyQuery answers for one station
 *   open      the requests routed or acknowledged and not completed,
 *             oldest first, with who holds them (roster_watch.c's index,
 *             so a year of closed requests is never walked)
 *   gaps      the posts nobody holds at that time (the gaps raised by the
 *             check-in rules and hand-overs), and each detention-centre
 *             request past its 24-hour answer (S5 art. 49, T-07) still
 *             unanswered
 *   recent    one station: its requests completed in the last 7 days
 *
 * Who the requests are for is personal: a name is shown whole only to the
 * desk of that request's station and to staff, officers and administrators;
 * everyone else sees "周**". ID numbers and the duty log never leave here.
 */
#include <string.h>

#include "mask.h"
#include "principal.h"
#include "roster_int.h"
#include "store.h"
#include "i18n.h"

/* Open requests a board shows at most (the counter tells the whole). */
#define ROSTER_BOARD_OPEN_MAX 500
#define ROSTER_BOARD_RECENT_MAX 20
#define ROSTER_BOARD_RECENT_MS (7 * MS_PER_DAY)
/* The walk back through the requests for a station's recent ones stops
 * after this many rows or at requests raised 30 days before. */
#define ROSTER_BOARD_RECENT_WALK 5000
#define ROSTER_BOARD_RECENT_HORIZON_MS (30 * MS_PER_DAY)

/* Whether who may read the person a request at station is for. */
static int roster_board_sees_person(const principal_t *who, const char *station)
{
    if (!who || (who->roles & (ROLE_STAFF | ROLE_OFFICER | ROLE_ADMIN))) return 1;
    return (who->roles & ROLE_STATION) && station && strcmp(who->station, station) == 0;
}

/* r as the board shows it to who: no ID number or duty log; the name masked
 * unless who may read it. */
static Legalaid__DutyRequest *roster_board_request(turn_t *t, const Legalaid__DutyRequest *r)
{
    Legalaid__DutyRequest *out = arena_alloc(t->arena, sizeof *out);
    *out = *r;
    out->person_id_number = NULL;
    out->log = NULL;
    if (!roster_board_sees_person(t->who, r->station)) {
        char buf[64];
        out->person_name = arena_strdup(t->arena, mask_name(r->person_name, buf, sizeof buf));
    }
    return out;
}

static int roster_board_grow(turn_t *t, void ***items, size_t n, size_t *cap)
{
    if (n < *cap) return 0;
    *cap = *cap ? *cap * 2 : 32;
    void **grown = arena_alloc(t->arena, *cap * sizeof *grown);
    if (n) memcpy(grown, *items, n * sizeof *grown);
    *items = grown;
    return 0;
}

static int roster_board_station(turn_t *t, Legalaid__DutyBoard *b, Legalaid__Station *st,
                                size_t *cap)
{
    Legalaid__DutyAnswer *a = ARENA_NEW(t->arena, Legalaid__DutyAnswer, legalaid__duty_answer__init);
    a->station = st;
    a->at = b->at;
    a->has_at = 1;
    int rc = roster_duty_collect(t, st->code, b->at, &a->on_duty, &a->n_on_duty);
    if (rc) return rc;
    roster_board_grow(t, (void ***)&b->stations, b->n_stations, cap);
    b->stations[b->n_stations++] = a;
    return 0;
}

static int roster_board_stations(turn_t *t, Legalaid__DutyBoard *b, const char *only)
{
    size_t cap = 0;
    if (only) {
        Legalaid__Station *st;
        int rc = roster_station_get(t, only, &st);
        return rc ? rc : roster_board_station(t, b, st, &cap);
    }
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(t->txn, roster_stations, &c));
    if (rc) return rc;
    MDB_val k, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        Legalaid__Station *st =
            store_unpacked(t->txn, &k, &v, &legalaid__station__descriptor, &t->arena->pb);
        if (!st || !st->code) continue;
        if ((rc = roster_board_station(t, b, st, &cap))) break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* The gaps raised covering b->at, and the detention requests past their
 * 24-hour answer (S5 art. 49, T-07) nobody has taken. */
static int roster_board_gaps(turn_t *t, Legalaid__DutyBoard *b, const char *only)
{
    Legalaid__CoverageGap **raised;
    size_t n, cap = 0;
    int rc = roster_watch_gaps_at(t, b->at, &raised, &n);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        if (only && strcmp(raised[i]->station, only) != 0) continue;
        roster_board_grow(t, (void ***)&b->gaps, b->n_gaps, &cap);
        b->gaps[b->n_gaps++] = raised[i];
    }
    for (size_t i = 0; i < b->n_open; i++) {
        const Legalaid__DutyRequest *r = b->open[i];
        if (!r->has_answer_due_at || r->answer_due_at > b->at ||
            r->state != LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED)
            continue;
        Legalaid__CoverageGap *g =
            ARENA_NEW(t->arena, Legalaid__CoverageGap, legalaid__coverage_gap__init);
        g->station = r->station;
        g->starts_at = r->answer_due_at;
        g->has_starts_at = g->has_reason = 1;
        g->reason = LEGALAID__GAP_REASON__GAP_REQUEST_UNANSWERED;
        g->request_id = r->id;
        roster_board_grow(t, (void ***)&b->gaps, b->n_gaps, &cap);
        b->gaps[b->n_gaps++] = g;
    }
    return 0;
}

/* One station's requests completed in the last 7 days, newest first: a
 * walk back from the newest request (ids number them in order). */
static int roster_board_recent(turn_t *t, Legalaid__DutyBoard *b, const char *station)
{
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(t->txn, roster_requests, &c));
    if (rc) return rc;
    MDB_val k, v;
    size_t cap = 0, walked = 0;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_LAST); rc == 0 && walked < ROSTER_BOARD_RECENT_WALK &&
                                                   b->n_recent < ROSTER_BOARD_RECENT_MAX;
         rc = mdb_cursor_get(c, &k, &v, MDB_PREV), walked++) {
        Legalaid__DutyRequest *r =
            store_unpacked(t->txn, &k, &v, &legalaid__duty_request__descriptor, &t->arena->pb);
        if (!r) continue;
        if (r->raised_at < b->at - ROSTER_BOARD_RECENT_HORIZON_MS) break;
        if (!r->station || strcmp(r->station, station) != 0 || !r->has_completed_at ||
            r->completed_at < b->at - ROSTER_BOARD_RECENT_MS || r->completed_at > b->at)
            continue;
        roster_board_grow(t, (void ***)&b->recent, b->n_recent, &cap);
        b->recent[b->n_recent++] = roster_board_request(t, r);
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int roster_board(turn_t *t, const Legalaid__DutyBoardQuery *q, Legalaid__Reply *reply)
{
    const char *only = q->station && q->station[0] ? q->station : NULL;
    if (q->has_at && q->at <= 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "duty_board.at",
                  _("at must be a time in ms since the epoch, or absent for now"));
        return 0;
    }
    if (only) {
        Legalaid__Station *st;
        int rc = strlen(only) > LA_STATION_MAX ? MDB_NOTFOUND : roster_station_get(t, only, &st);
        if (rc == MDB_NOTFOUND) {
            turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "duty_board.station", _("no station %.64s"),
                      only);
            return 0;
        }
        if (rc) return rc;
    }
    Legalaid__DutyBoard *b = ARENA_NEW(t->arena, Legalaid__DutyBoard, legalaid__duty_board__init);
    b->at = q->has_at ? q->at : t->now;
    b->has_at = 1;
    int rc = roster_board_stations(t, b, only);
    if (rc) return rc;
    int truncated;
    rc = roster_watch_open_list(t, only, ROSTER_BOARD_OPEN_MAX, &b->open, &b->n_open, &truncated);
    if (rc) return rc;
    b->truncated = truncated != 0;
    b->has_truncated = truncated != 0;
    if ((rc = roster_board_gaps(t, b, only))) return rc;
    for (size_t i = 0; i < b->n_open; i++) b->open[i] = roster_board_request(t, b->open[i]);
    if (only && (rc = roster_board_recent(t, b, only))) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_DUTY_BOARD;
    reply->duty_board = b;
    return 0;
}
