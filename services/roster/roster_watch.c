/*
 * roster_watch.c - what the operations staff watch of the duty service
 * (the status counters, legalaidctl queues and the gateway's /metrics):
 *
 *   duty_requests_open   requests routed or acknowledged, not completed:
 *                        meta "duty_requests.open", kept in the same
 *                        transaction as every save of a request (counted
 *                        once from the requests at the first open of an
 *                        installation that had none)
 *   coverage_gaps_now    posts nobody holds at this moment: the "gaps"
 *   coverage_gaps_ahead  table, one row per gap raised (station NUL
 *                        starts_at BE64 -> ends_at BE64), dropped when the
 *                        post is checked in, and at the tick a day after
 *                        its end
 */
#include <string.h>

#include "log.h"
#include "roster_int.h"
#include "store.h"

#define ROSTER_WATCH_OPEN "duty_requests.open"
#define ROSTER_WATCH_KEY_MAX (LA_STATION_MAX + 1 + 8)

static MDB_dbi roster_watch_gaps;

static int roster_watch_is_open(const Legalaid__DutyRequest *r)
{
    return r && (r->state == LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED ||
                 r->state == LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ACKNOWLEDGED);
}

int roster_watch_open(daemon_t *d, MDB_txn *txn)
{
    int rc = store_table(txn, "gaps", &roster_watch_gaps);
    if (rc) return rc;
    MDB_val k = {strlen(ROSTER_WATCH_OPEN), (void *)ROSTER_WATCH_OPEN}, v;
    rc = mdb_get(txn, daemon_meta(d), &k, &v);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    /* First open with the counter: count the open requests once. */
    MDB_cursor *c;
    rc = store_rc(mdb_cursor_open(txn, roster_requests, &c));
    if (rc) return rc;
    uint64_t n = 0;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        Legalaid__DutyRequest *r =
            store_unpacked(txn, &k, &v, &legalaid__duty_request__descriptor, NULL);
        if (roster_watch_is_open(r)) n++;
        if (r) legalaid__duty_request__free_unpacked(r, NULL);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    log_info("duty requests open: %llu (counted once)", (unsigned long long)n);
    return store_put_u64(txn, daemon_meta(d), ROSTER_WATCH_OPEN, n);
}

int roster_watch_request(turn_t *t, const Legalaid__DutyRequest *before,
                         const Legalaid__DutyRequest *after)
{
    int delta = roster_watch_is_open(after) - roster_watch_is_open(before);
    if (!delta) return 0;
    uint64_t n;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), ROSTER_WATCH_OPEN, &n);
    if (rc) return rc;
    n = delta > 0 ? n + 1 : n ? n - 1 : 0;
    return store_put_u64(t->txn, daemon_meta(t->d), ROSTER_WATCH_OPEN, n);
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

int roster_watch_gap(turn_t *t, const char *station, int64_t starts_at, int64_t ends_at)
{
    unsigned char key[ROSTER_WATCH_KEY_MAX], end[8];
    size_t n = roster_watch_key(station, starts_at, key);
    store_be64((uint64_t)ends_at, end);
    MDB_val k = {n, key}, v = {8, end};
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
        if (k.mv_size < 9 || v.mv_size != 8) continue;
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
    uint64_t open, now_n = 0, ahead_n = 0;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), ROSTER_WATCH_OPEN, &open);
    if (!rc) rc = roster_watch_walk(t, 0, &now_n, &ahead_n);
    if (rc) return rc;
    turn_counter(t, st, "duty_requests_open", open);
    turn_counter(t, st, "coverage_gaps_now", now_n);
    turn_counter(t, st, "coverage_gaps_ahead", ahead_n);
    return 0;
}
