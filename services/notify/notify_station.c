/*
 * notify_station.c - station terminals fetch their messages (StationFetch):
 * the same durable pull as the streams. A fetch names the last message the
 * terminal has stored (after_id), which acknowledges it and every earlier
 * one: they are delivered, and NotificationDelivered goes on notify's
 * stream; the reply holds the next ones in id order. A fetch retried after
 * a lost reply gets the same messages again, so a terminal that crashes
 * loses none and shows none twice (it keeps after_id with what it shows).
 */

#include <string.h>

#include "notify_int.h"
#include "store.h"

#define STATION_FETCH_DEFAULT 50
#define STATION_FETCH_MAX 500

static int station_ack(turn_t *t, Legalaid__Notification *n)
{
    n->state = LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED;
    n->attempts = 1;
    n->has_attempts = 1;
    n->delivered_at = t->now;
    n->has_delivered_at = 1;
    int rc = notify_outbox_emit_delivered(t, n);
    if (!rc) rc = notify_store_put(t, n);
    return rc;
}

int notify_station_fetch(turn_t *t, const Legalaid__StationFetch *f, Legalaid__Reply *reply)
{
    if (!f->station || !f->station[0] || strlen(f->station) > LA_CASE_ID_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "station_fetch.station",
                  "the station's code is required (as in the roster, e.g. COURT-KDQ)");
        return 0;
    }
    if (turn_refuse_binding(t, reply, f->station, NULL, NULL, "station_fetch.station")) return 0;
    size_t max = f->max ? f->max : STATION_FETCH_DEFAULT;
    if (max > STATION_FETCH_MAX) max = STATION_FETCH_MAX;
    Legalaid__StationMessages *out =
        ARENA_NEW(t->arena, Legalaid__StationMessages, legalaid__station_messages__init);
    out->station = f->station;
    out->messages = arena_alloc(t->arena, max * sizeof *out->messages);

    /* First the acknowledged ones (id <= after_id), then the next ones. */
    for (int pass = 0; pass < 2; pass++) {
        unsigned char key[LA_CASE_ID_MAX + 9];
        size_t plen = strlen(f->station) + 1;
        notify_outbox_station_key(f->station, pass ? f->after_id + 1 : 0, key);
        MDB_cursor *c;
        int rc = mdb_cursor_open(t->txn, notify_station_box_dbi, &c);
        if (rc) return store_rc(rc);
        MDB_val k = {plen + 8, key}, v;
        uint64_t ids[STATION_FETCH_MAX];
        size_t n = 0;
        for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0 && n < max;
             rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
            if (k.mv_size != plen + 8 || memcmp(k.mv_data, key, plen) != 0) break;
            uint64_t id = store_from_be64((const unsigned char *)k.mv_data + plen);
            if (!pass && id > f->after_id) break;
            ids[n++] = id;
        }
        mdb_cursor_close(c);
        if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
        for (size_t i = 0; i < n; i++) {
            Legalaid__Notification *note;
            rc = notify_store_get(t->txn, ids[i], t->arena, &note);
            if (rc == MDB_NOTFOUND) continue;
            if (rc) return rc;
            if (pass) {
                note->destination = NULL;
                out->messages[out->n_messages++] = note;
                continue;
            }
            notify_outbox_station_key(f->station, ids[i], key);
            MDB_val dk = {plen + 8, key};
            rc = store_rc(mdb_del(t->txn, notify_station_box_dbi, &dk, NULL));
            if (!rc) rc = station_ack(t, note);
            if (rc) return rc;
        }
        /* More acknowledged ones than one pass takes: the next fetch acks the rest. */
    }
    reply->body_case = LEGALAID__REPLY__BODY_STATION_MESSAGES;
    reply->station_messages = out;
    return 0;
}
