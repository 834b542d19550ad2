/*
 * roster.c - the roster service: its tables, its configuration, the
 * request dispatch and its counters (the rules live in roster_station.c,
 * roster_shift.c and roster_duty.c; the table layout in roster_int.h).
 */
#include "roster.h"

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "roster_int.h"
#include "store.h"

MDB_dbi roster_stations, roster_shifts, roster_by_lawyer;

static int roster_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    int rc = store_table(txn, "stations", &roster_stations);
    if (!rc) rc = store_table(txn, "shifts", &roster_shifts);
    if (!rc) rc = store_table(txn, "shifts_by_lawyer", &roster_by_lawyer);
    return rc;
}

const char *roster_role_post(int role)
{
    return role == LEGALAID__SHIFT_ROLE__PRIMARY  ? "A"
           : role == LEGALAID__SHIFT_ROLE__BACKUP ? "B"
                                                  : "?";
}

static int roster_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_IMPORT_STATIONS:
        return roster_stations_import(t, req->import_stations, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_SHIFTS:
        return roster_shifts_import(t, req->import_shifts, reply);
    case LEGALAID__REQUEST__BODY_DUTY_QUERY:
        return roster_duty_query(t, req->duty_query, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "roster takes import_stations, import_shifts and duty_query, not request body %d",
                  (int)req->body_case);
        return 0;
    }
}

static int roster_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    turn_counter(t, st, "stations", store_count(t->txn, roster_stations));
    turn_counter(t, st, "shifts", store_count(t->txn, roster_shifts));
    return 0;
}

static const int roster_queries[] = {LEGALAID__REQUEST__BODY_DUTY_QUERY, 0};

const service_t roster_service = {
    .name = "roster",
    .upstreams = NULL,
    .queries = roster_queries,
    .open = roster_open,
    .handle = roster_handle,
    .apply = NULL,
    .counters = roster_counters,
};
