/*
 * gateway.c - the gateway as a service of the skeleton: its [gateway]
 * keys, its one table, the tick that writes the notices intake accepted,
 * and the hooks that start and stop HTTP and the links to the daemons.
 * Its ROUTER answers Ping, StreamStatus and Metrics like every daemon's.
 */
#include "gateway.h"

#include <stdio.h>

#include "gateway_int.h"
#include "log.h"

static int gateway_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    return gateway_store_open(txn);
}

static int gateway_tick(turn_t *t)
{
    return gateway_store_write(t);
}

static int gateway_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    turn_counter(t, st, "http_open", gateway_http_open_connections());
    turn_counter(t, st, "daemon_calls_waiting", gateway_link_waiting());
    turn_counter(t, st, "records_waiting", gateway_store_queued());
    turn_counter(t, st, "agencies", gateway_agency_count());
    turn_counter(t, st, "users", gateway_user_count());
    turn_counter(t, st, "sessions", gateway_session_count());
    return 0;
}

static int gateway_start(daemon_t *d, void *loop)
{
    char err[600];
    if (gateway_agency_load(gateway_config.agencies, err, sizeof err)) {
        log_error("[gateway] agencies: %s", err);
        return -1;
    }
    log_info("gateway: %zu agencies from %s", gateway_agency_count(), gateway_config.agencies);
    if (gateway_user_load(loop, gateway_config.users, err, sizeof err)) {
        log_error("[gateway] users: %s", err);
        return -1;
    }
    if (gateway_config.users[0])
        log_info("gateway: %zu users of the pages from %s", gateway_user_count(),
                 gateway_config.users);
    if (gateway_link_start(d, loop)) return -1;
    return gateway_http_start(d, loop, gateway_route);
}

static void gateway_stop(daemon_t *d)
{
    (void)d;
    gateway_link_stop();     /* every waiting request answered 503 */
    gateway_store_abandon(); /* and those waiting for the gateway's own record */
    gateway_http_stop();
    gateway_agency_free();
    gateway_user_free();
}

static void gateway_committed(daemon_t *d, int ok)
{
    gateway_store_committed(d, ok);
}

static const int gateway_queries[] = {0};

const service_t gateway_service = {
    .name = "gateway",
    .config_keys = gateway_config_keys,
    .config = &gateway_config,
    .queries = gateway_queries,
    .open = gateway_open,
    .counters = gateway_counters,
    .tick = gateway_tick,
    .start = gateway_start,
    .stop = gateway_stop,
    .committed = gateway_committed,
};
