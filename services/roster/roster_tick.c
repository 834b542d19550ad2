/*
 * roster_tick.c - the tick: deadlines are data (DESIGN "Time and
 * deadlines"), kept in the "due" table, the due-time index of common/due.h
 * keyed by the time they fall due, so the tick reads only what is due by
 * now, one cursor seek from the start, and a restart loses none. Each entry
 * is removed and acted on once, in the same transaction (due_tick); at
 * most DUE_TICK_MAX per tick, the rest wait a second.
 *
 *   CHECKIN  start + checkin_grace: A not checked in -> B activated
 *   GAP      activation + backup_grace: neither checked in -> coverage gap
 *   ACK      a duty request not acknowledged -> the next post (A, B, centre)
 *   ANSWER   a detention-centre request not answered in 24 h (T-07)
 *
 * The steps that arm them: roster_assign.c (CHECKIN), roster_checkin.c
 * (GAP), roster_request.c (ACK, ANSWER).
 */
#include <string.h>

#include "due.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

/* station NUL starts_at(BE64) role -> station, starts_at. */
static int roster_tick_shift(const unsigned char *p, size_t len, char station[LA_STATION_MAX + 1],
                             int64_t *starts_at)
{
    const unsigned char *nul = memchr(p, 0, len);
    if (!nul || (size_t)(nul - p) > LA_STATION_MAX || len < (size_t)(nul - p) + 9) return -1;
    memcpy(station, p, (size_t)(nul - p));
    station[nul - p] = 0;
    *starts_at = (int64_t)store_from_be64(nul + 1);
    return 0;
}

static int roster_tick_fire(turn_t *t, int64_t due_at, int kind, const char *id, size_t len,
                            void *arg)
{
    (void)due_at;
    (void)arg;
    const unsigned char *p = (const unsigned char *)id;
    char station[LA_STATION_MAX + 1];
    int64_t starts_at;
    switch (kind) {
    case ROSTER_DUE_CHECKIN:
    case ROSTER_DUE_GAP:
        if (roster_tick_shift(p, len, station, &starts_at) < 0) return 0;
        return kind == ROSTER_DUE_CHECKIN ? roster_checkin_due(t, station, starts_at)
                                          : roster_checkin_gap_due(t, station, starts_at);
    case ROSTER_DUE_ACK:
    case ROSTER_DUE_ANSWER:
        /* Request ids are short (DR-YYYY-NNNNNN); a longer one is no request. */
        if (len > 64) return 0;
        return kind == ROSTER_DUE_ACK ? roster_request_ack_due(t, id)
                                      : roster_request_answer_due(t, id);
    default:
        log_warn("unknown deadline kind %d dropped", kind);
        return 0;
    }
}

int roster_tick(turn_t *t)
{
    int rc = due_tick(t, roster_due, 0, roster_tick_fire, NULL, NULL);
    return rc ? rc : roster_watch_prune(t);
}
