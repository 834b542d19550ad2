/*
 * roster_due.c - the "due" table and the tick: deadlines are data
 * (DESIGN "Time and deadlines"), keyed by the time they fall due, so the
 * tick reads only what is due by now, one cursor seek from the start, and
 * a restart loses none. Each entry is acted on once and removed in the
 * same transaction.
 *
 *   CHECKIN  start + checkin_grace: A not checked in -> B activated
 *   GAP      activation + backup_grace: neither checked in -> coverage gap
 *   ACK      a duty request not acknowledged -> the next post (A, B, centre)
 *   ANSWER   a detention-centre request not answered in 24 h (T-07)
 */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "roster_int.h"
#include "store.h"

/* At most this many deadlines per tick, so one tick stays short; the rest
 * wait a second. */
#define ROSTER_TICK_MAX 256
#define ROSTER_DUE_KEY_MAX (8 + 1 + ROSTER_SHIFT_KEY_MAX + 64)

int roster_due_put(turn_t *t, int64_t at, int kind, const void *payload, size_t len)
{
    unsigned char key[ROSTER_DUE_KEY_MAX];
    if (len > ROSTER_DUE_KEY_MAX - 9) return -EINVAL;
    store_be64((uint64_t)at, key);
    key[8] = (unsigned char)kind;
    memcpy(key + 9, payload, len);
    MDB_val k = {9 + len, key}, v = {0, ""};
    return store_rc(mdb_put(t->txn, roster_due, &k, &v, 0));
}

/* station NUL starts_at(BE64) role -> station, starts_at. */
static int roster_due_shift(const unsigned char *p, size_t len, char station[ROSTER_CODE_MAX + 1],
                            int64_t *starts_at)
{
    const unsigned char *nul = memchr(p, 0, len);
    if (!nul || (size_t)(nul - p) > ROSTER_CODE_MAX || len < (size_t)(nul - p) + 9) return -1;
    memcpy(station, p, (size_t)(nul - p));
    station[nul - p] = 0;
    *starts_at = (int64_t)store_from_be64(nul + 1);
    return 0;
}

static int roster_due_act(turn_t *t, int kind, const unsigned char *p, size_t len)
{
    char station[ROSTER_CODE_MAX + 1], id[65];
    int64_t starts_at;
    switch (kind) {
    case ROSTER_DUE_CHECKIN:
    case ROSTER_DUE_GAP:
        if (roster_due_shift(p, len, station, &starts_at) < 0) return 0;
        return kind == ROSTER_DUE_CHECKIN ? roster_checkin_due(t, station, starts_at)
                                          : roster_gap_due(t, station, starts_at);
    case ROSTER_DUE_ACK:
    case ROSTER_DUE_ANSWER:
        if (len == 0 || len >= sizeof id) return 0;
        memcpy(id, p, len);
        id[len] = 0;
        return kind == ROSTER_DUE_ACK ? roster_request_ack_due(t, id)
                                      : roster_request_answer_due(t, id);
    default:
        log_warn("unknown deadline kind %d dropped", kind);
        return 0;
    }
}

int roster_tick(turn_t *t)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, roster_due, &c);
    if (rc) return store_rc(rc);
    unsigned char buf[ROSTER_DUE_KEY_MAX];
    for (int done = 0; done < ROSTER_TICK_MAX; done++) {
        MDB_val k, v;
        rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
        if (rc) break;
        if (k.mv_size < 9 || k.mv_size > sizeof buf) {
            rc = mdb_cursor_del(c, 0);
            if (rc) break;
            continue;
        }
        if ((int64_t)store_from_be64(k.mv_data) > t->now) break;
        size_t len = k.mv_size;
        memcpy(buf, k.mv_data, len);
        if ((rc = mdb_cursor_del(c, 0))) break;
        /* The handlers write to other tables (and may add deadlines):
         * the cursor is positioned again from the first entry. */
        rc = roster_due_act(t, buf[8], buf + 9, len - 9);
        if (rc) break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}
