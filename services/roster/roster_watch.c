/*
 * roster_watch.c - what the operations staff and the duty board watch of
 * the duty service (the status counters, legalaidctl queues, the gateway's
 * /metrics and its duty board):
 *
 *   duty_requests_open   requests routed or acknowledged, not completed:
 *                        the "requests_open" index (station NUL id ->
 *                        empty), kept in the same transaction as every
 *                        save of a request (filled once from the requests
 *                        at the first open of an installation without it),
 *                        so the board reads the open ones without walking
 *                        a year of closed ones
 *   the age queues       (common/ageq.h, legalaidctl queues) of the open
 *                        requests: "duty_requests.unanswered" routed to
 *                        the A or B post and not acknowledged,
 *                        "duty_requests.at_centre" passed to the centre to
 *                        arrange (both from when raised: S5 art. 49's 24
 *                        hours run from the request), "duty_requests.
 *                        in_hand" acknowledged, not yet completed (from
 *                        the acknowledgement); kept with every save, filled
 *                        once at the first open with them
 *   coverage_gaps_now    posts nobody holds at this moment: the "gaps"
 *   coverage_gaps_ahead  table, one row per gap raised (station NUL
 *                        starts_at BE64 -> ends_at BE64, reason byte),
 *                        dropped when the post is checked in, and at the
 *                        tick a day after its end
 */
#include <stdlib.h>
#include <string.h>

#include "ageq.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

/* Set once the open index holds every open request. */
#define ROSTER_WATCH_INDEXED "duty_requests.indexed"
/* The counter the index replaced (dropped when the index is filled). */
#define ROSTER_WATCH_OLD_COUNTER "duty_requests.open"
#define ROSTER_WATCH_KEY_MAX (LA_STATION_MAX + 1 + 8)
#define ROSTER_WATCH_OPEN_KEY_MAX (LA_STATION_MAX + 1 + 64)

static MDB_dbi roster_watch_gaps, roster_watch_opened;
static ageq_t roster_watch_ages;
static const char *const roster_watch_age_queues[] = {
    "duty_requests.unanswered", "duty_requests.at_centre", "duty_requests.in_hand", NULL};

/* The age queue of r and since when it waits there (NULL: none). */
static const char *roster_watch_age_queue(const Legalaid__DutyRequest *r, int64_t *since)
{
    *since = r->raised_at;
    if (r->state == LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED)
        return roster_watch_age_queues[r->routed_to == LEGALAID__ROUTED_TO__ROUTED_CENTRE ? 1 : 0];
    if (r->state != LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ACKNOWLEDGED) return NULL;
    if (r->acknowledged_at) *since = r->acknowledged_at;
    return roster_watch_age_queues[2];
}

static int roster_watch_age(MDB_txn *txn, const Legalaid__DutyRequest *r)
{
    int64_t since;
    const char *queue = roster_watch_age_queue(r, &since);
    return r->id && r->id[0] ? ageq_set(txn, &roster_watch_ages, r->id, queue, since) : 0;
}

static int roster_watch_age_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    (void)ctx;
    return roster_watch_age(txn, (const Legalaid__DutyRequest *)m);
}

/* The age queues' tables; a store from before them is filled once. */
static int roster_watch_ages_open(MDB_txn *txn)
{
    int first = 0;
    int rc = ageq_open(txn, &roster_watch_ages, NULL);
    if (!rc) rc = ageq_once(txn, &roster_watch_ages, "duty_requests", &first);
    if (!rc && first && store_count(txn, roster_requests))
        rc = store_each_pb(txn, roster_requests, &legalaid__duty_request__descriptor,
                           roster_watch_age_one, NULL);
    return rc;
}

static int roster_watch_is_open(const Legalaid__DutyRequest *r)
{
    return r && (r->state == LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED ||
                 r->state == LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ACKNOWLEDGED);
}

/* station NUL id: the open index's key of r (0 when r has no station or id). */
static size_t roster_watch_open_key(const Legalaid__DutyRequest *r,
                                    unsigned char out[ROSTER_WATCH_OPEN_KEY_MAX])
{
    if (!r->station || !r->id) return 0;
    size_t ns = strnlen(r->station, LA_STATION_MAX), ni = strnlen(r->id, 64);
    memcpy(out, r->station, ns);
    out[ns] = 0;
    memcpy(out + ns + 1, r->id, ni);
    return ns + 1 + ni;
}

static int roster_watch_open_put(MDB_txn *txn, const Legalaid__DutyRequest *r, int open)
{
    unsigned char key[ROSTER_WATCH_OPEN_KEY_MAX];
    MDB_val k = {roster_watch_open_key(r, key), key}, v = {0, ""};
    if (!k.mv_size) return 0;
    int rc = open ? mdb_put(txn, roster_watch_opened, &k, &v, 0)
                  : mdb_del(txn, roster_watch_opened, &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* Indexes one request if it is open (a store from before the index). */
static int roster_watch_index_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    const Legalaid__DutyRequest *r = (const Legalaid__DutyRequest *)m;
    if (!roster_watch_is_open(r)) return 0;
    (*(uint64_t *)ctx)++;
    return roster_watch_open_put(txn, r, 1);
}

int roster_watch_open(daemon_t *d, MDB_txn *txn)
{
    int rc = store_table(txn, "gaps", &roster_watch_gaps);
    if (!rc) rc = store_table(txn, "requests_open", &roster_watch_opened);
    if (!rc) rc = roster_watch_ages_open(txn);
    if (rc) return rc;
    MDB_val k = {strlen(ROSTER_WATCH_INDEXED), (void *)ROSTER_WATCH_INDEXED}, v;
    rc = mdb_get(txn, daemon_meta(d), &k, &v);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    /* First open with the index: index the open requests once. */
    uint64_t n = 0;
    rc = store_each_pb(txn, roster_requests, &legalaid__duty_request__descriptor,
                       roster_watch_index_one, &n);
    if (rc) return rc;
    log_info("duty requests open: %llu (indexed once)", (unsigned long long)n);
    MDB_val old = {strlen(ROSTER_WATCH_OLD_COUNTER), (void *)ROSTER_WATCH_OLD_COUNTER};
    rc = mdb_del(txn, daemon_meta(d), &old, NULL);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    return store_put_u64(txn, daemon_meta(d), ROSTER_WATCH_INDEXED, 1);
}

int roster_watch_request(turn_t *t, const Legalaid__DutyRequest *before,
                         const Legalaid__DutyRequest *after)
{
    int rc = roster_watch_age(t->txn, after);
    if (rc) return rc;
    int was = roster_watch_is_open(before), is = roster_watch_is_open(after);
    if (was == is) return 0;
    return roster_watch_open_put(t->txn, is ? after : before, is);
}

/* Oldest first: the request waiting longest heads the board. */
static int roster_watch_order(const void *a, const void *b)
{
    const Legalaid__DutyRequest *x = *(Legalaid__DutyRequest *const *)a,
                                *y = *(Legalaid__DutyRequest *const *)b;
    if (x->raised_at != y->raised_at) return x->raised_at < y->raised_at ? -1 : 1;
    return strcmp(x->id, y->id);
}

int roster_watch_open_list(turn_t *t, const char *station, size_t max,
                           Legalaid__DutyRequest ***out, size_t *n, int *truncated)
{
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(t->txn, roster_watch_opened, &c));
    if (rc) return rc;
    size_t prefix = station ? strlen(station) + 1 : 0, cap = 0;
    MDB_val k = {prefix, (void *)station}, v;
    *out = NULL;
    *n = 0;
    *truncated = 0;
    int op = station ? MDB_SET_RANGE : MDB_FIRST;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        const char *kb = k.mv_data;
        if (station && (k.mv_size < prefix || memcmp(kb, station, prefix) != 0)) break;
        const char *nul = memchr(kb, 0, k.mv_size);
        if (!nul) continue;
        if (*n == max) {
            *truncated = 1;
            break;
        }
        size_t idlen = k.mv_size - (size_t)(nul + 1 - kb);
        Legalaid__DutyRequest *r;
        rc = store_get_pb(t->txn, roster_requests, nul + 1, idlen,
                          &legalaid__duty_request__descriptor, &t->arena->pb,
                          (ProtobufCMessage **)&r);
        if (rc == MDB_NOTFOUND) continue; /* cannot happen: saved together */
        if (rc) break;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            Legalaid__DutyRequest **grown = arena_alloc(t->arena, cap * sizeof *grown);
            if (*n) memcpy(grown, *out, *n * sizeof *grown);
            *out = grown;
        }
        (*out)[(*n)++] = r;
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    if (*n > 1) qsort(*out, *n, sizeof **out, roster_watch_order);
    return 0;
}

static size_t roster_watch_key(const char *station, int64_t starts_at,
                               unsigned char out[ROSTER_WATCH_KEY_MAX])
{
    size_t n = strnlen(station, LA_STATION_MAX);
    memcpy(out, station, n);
    out[n] = 0;
    store_be64((uint64_t)starts_at, out + n + 1);
    return n + 1 + 8;
}

int roster_watch_gap(turn_t *t, const char *station, int64_t starts_at, int64_t ends_at,
                     Legalaid__GapReason reason)
{
    unsigned char key[ROSTER_WATCH_KEY_MAX], end[9];
    size_t n = roster_watch_key(station, starts_at, key);
    store_be64((uint64_t)ends_at, end);
    end[8] = (unsigned char)reason;
    MDB_val k = {n, key}, v = {9, end};
    return store_rc(mdb_put(t->txn, roster_watch_gaps, &k, &v, 0));
}

int roster_watch_covered(turn_t *t, const char *station, int64_t starts_at)
{
    unsigned char key[ROSTER_WATCH_KEY_MAX];
    MDB_val k = {roster_watch_key(station, starts_at, key), key};
    int rc = mdb_del(t->txn, roster_watch_gaps, &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* Walks the gaps: counts now and ahead, or (prune) drops those ended a
 * day ago. */
static int roster_watch_walk(turn_t *t, int prune, uint64_t *now_n, uint64_t *ahead_n)
{
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(t->txn, roster_watch_gaps, &c));
    if (rc) return rc;
    MDB_val k, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size < 9 || v.mv_size < 8) continue;
        int64_t starts = (int64_t)store_from_be64((const unsigned char *)k.mv_data + k.mv_size - 8);
        int64_t ends = (int64_t)store_from_be64(v.mv_data);
        if (prune) {
            if (ends + MS_PER_DAY < t->now && (rc = mdb_cursor_del(c, 0))) break;
        } else if (starts <= t->now && t->now < ends) {
            (*now_n)++;
        } else if (starts > t->now) {
            (*ahead_n)++;
        }
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int roster_watch_prune(turn_t *t)
{
    return roster_watch_walk(t, 1, NULL, NULL);
}

int roster_watch_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    uint64_t now_n = 0, ahead_n = 0;
    int rc = roster_watch_walk(t, 0, &now_n, &ahead_n);
    if (rc) return rc;
    turn_counter(t, st, "duty_requests_open", store_count(t->txn, roster_watch_opened));
    turn_counter(t, st, "coverage_gaps_now", now_n);
    turn_counter(t, st, "coverage_gaps_ahead", ahead_n);
    return ageq_status(t->txn, &roster_watch_ages, roster_watch_age_queues, t->now, st, t->arena);
}

int roster_watch_gaps_at(turn_t *t, int64_t at, Legalaid__CoverageGap ***out, size_t *n)
{
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(t->txn, roster_watch_gaps, &c));
    if (rc) return rc;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    MDB_val k, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size < 9 || v.mv_size < 8) continue;
        const unsigned char *kb = k.mv_data;
        int64_t starts = (int64_t)store_from_be64(kb + k.mv_size - 8);
        int64_t ends = (int64_t)store_from_be64(v.mv_data);
        if (starts > at || at >= ends) continue;
        Legalaid__CoverageGap *g =
            ARENA_NEW(t->arena, Legalaid__CoverageGap, legalaid__coverage_gap__init);
        g->station = arena_strdup(t->arena, (const char *)kb); /* the key holds its NUL */
        g->starts_at = starts;
        g->ends_at = ends;
        g->has_starts_at = g->has_ends_at = 1;
        if (v.mv_size > 8) { /* rows written before the reason was kept have none */
            g->reason = (Legalaid__GapReason)((const unsigned char *)v.mv_data)[8];
            g->has_reason = 1;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            Legalaid__CoverageGap **grown = arena_alloc(t->arena, cap * sizeof *grown);
            if (*n) memcpy(grown, *out, *n * sizeof *grown);
            *out = grown;
        }
        (*out)[(*n)++] = g;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}
