/*
 * roster_station.c - the "stations" table: import (insert or update by
 * code, each bad record reported by index and field while the good ones go
 * in) and lookup.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

int roster_station_get(turn_t *t, const char *code, Legalaid__Station **st)
{
    return store_get_pb(t->txn, roster_stations, code, strlen(code), &legalaid__station__descriptor,
                        &t->arena->pb, (ProtobufCMessage **)st);
}

int roster_station_import(turn_t *t, const Legalaid__ImportStations *in, Legalaid__Reply *reply)
{
    if (in->n_stations == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_stations.stations",
                  _("the import holds no stations"));
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_stations);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_stations; i++) {
        const Legalaid__Station *st = in->stations[i];
        const char *field;
        char msg[256];
        if (roster_validate_station(st, &field, msg, sizeof msg) < 0) {
            turn_import_reject(t, res, "stations", i, field, msg);
            continue;
        }
        /* Re-importing a code updates the station (its name or county changed). */
        int rc = store_put_pb(t->txn, roster_stations, st->code, strlen(st->code), &st->base, 0);
        if (rc) return rc;
        accepted++;
    }
    res->accepted = accepted;
    res->has_accepted = 1;
    if (accepted > 0) {
        Legalaid__StationsImported *b =
            ARENA_NEW(t->arena, Legalaid__StationsImported, legalaid__stations_imported__init);
        b->count = accepted;
        b->has_count = 1;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_STATIONS_IMPORTED;
        ev->stations_imported = b;
        int rc = turn_emit(t, NULL, ev);
        if (rc) return rc;
    }
    log_info("stations imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
