/*
 * dispatch.c - the dispatch service: its configuration and tables, the
 * request dispatch, applying eligibility's decisions, GetAssignment and its
 * counters (the pool lives in dispatch_pool.c, the choice and the queue in
 * dispatch_assign.c, the table layout in dispatch_int.h).
 */
#include "dispatch.h"

#include <stddef.h>
#include <string.h>

#include "dispatch_int.h"
#include "store.h"

dispatch_config_t dispatch_config;

#define OFF(f) offsetof(dispatch_config_t, f)
static const cfg_key_t dispatch_keys[] = {
    {"default_capacity", CFG_INT, "10", 1, DISPATCH_CAPACITY_MAX, OFF(default_capacity),
     "open cases a lawyer takes at most when the import does not say"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

MDB_dbi dispatch_lawyers, dispatch_load, dispatch_assignments, dispatch_queue;

static int dispatch_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    int rc = store_table(txn, "lawyers", &dispatch_lawyers);
    if (!rc) rc = store_table(txn, "load", &dispatch_load);
    if (!rc) rc = store_table(txn, "assignments", &dispatch_assignments);
    if (!rc) rc = store_table(txn, "queue", &dispatch_queue);
    return rc;
}

static int dispatch_get(turn_t *t, const Legalaid__GetAssignment *g, Legalaid__Reply *reply)
{
    if (!g->case_id || !g->case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "get_assignment.case_id",
                  "case_id is required");
        return 0;
    }
    Legalaid__Assignment *a;
    int rc =
        store_get_pb(t->txn, dispatch_assignments, g->case_id, strlen(g->case_id),
                     &legalaid__assignment__descriptor, &t->arena->pb, (ProtobufCMessage **)&a);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "get_assignment.case_id",
                  "no assignment for case %s (not approved, or its decision not applied yet)",
                  g->case_id);
        return 0;
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_ASSIGNMENT;
    reply->assignment = a;
    return 0;
}

static int dispatch_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_IMPORT_LAWYERS:
        return dispatch_lawyers_import(t, req->import_lawyers, reply);
    case LEGALAID__REQUEST__BODY_GET_ASSIGNMENT:
        return dispatch_get(t, req->get_assignment, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "dispatch takes import_lawyers and get_assignment, not request body %d",
                  (int)req->body_case);
        return 0;
    }
}

static int dispatch_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    (void)upstream;
    if (ev->body_case != LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED) return 0;
    return dispatch_decision_apply(t, ev->eligibility_decided->decision);
}

static int dispatch_active_count(turn_t *t, uint64_t *active)
{
    *active = 0;
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(t->txn, dispatch_lawyers, &cur));
    if (rc) return rc;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        Legalaid__Lawyer *l = legalaid__lawyer__unpack(NULL, v.mv_size, v.mv_data);
        if (l && l->status == LEGALAID__LAWYER_STATUS__ACTIVE) (*active)++;
        if (l) legalaid__lawyer__free_unpacked(l, NULL);
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

static int dispatch_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    uint64_t active, assigned;
    int rc = dispatch_active_count(t, &active);
    if (!rc) rc = store_get_u64(t->txn, daemon_meta(t->d), "assigned", &assigned);
    if (rc) return rc;
    turn_counter(t, st, "pool_size", store_count(t->txn, dispatch_lawyers));
    turn_counter(t, st, "active_lawyers", active);
    turn_counter(t, st, "assigned", assigned);
    turn_counter(t, st, "queued", store_count(t->txn, dispatch_queue));
    return 0;
}

static const char *const dispatch_upstreams[] = {"eligibility", NULL};
static const int dispatch_queries[] = {LEGALAID__REQUEST__BODY_GET_ASSIGNMENT, 0};

const service_t dispatch_service = {
    .name = "dispatch",
    .upstreams = dispatch_upstreams,
    .config_keys = dispatch_keys,
    .config = &dispatch_config,
    .queries = dispatch_queries,
    .open = dispatch_open,
    .handle = dispatch_handle,
    .apply = dispatch_apply,
    .counters = dispatch_counters,
};
