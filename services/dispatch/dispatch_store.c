/*
 * dispatch_store.c - dispatch's tables: the LMDB handles every file of
 * the service reads and writes, opened at start. What each table holds and
 * its key layout is the table map in dispatch_int.h; the records are read
 * and written by the file that owns each (dispatch_case.c, _pool.c,
 * _queue.c, _conflict.c, _review.c; "due" through common/due.h).
 */
#include <stdio.h>

#include "clock.h"
#include "daily.h"
#include "dispatch_int.h"
#include "store.h"

MDB_dbi dispatch_lawyers, dispatch_load, dispatch_assignments, dispatch_queue, dispatch_due,
    dispatch_parties, dispatch_graded, dispatch_calendar, dispatch_states;

ageq_t dispatch_ages;
const char *const dispatch_age_queues[] = {"waiting", "offered", "needs_staff", NULL};

static int dispatch_store_count_states(MDB_txn *txn);
static int dispatch_store_fill_ages(MDB_txn *txn);

const char *dispatch_store_age_queue(Legalaid__AssignmentState state)
{
    switch (state) {
    case LEGALAID__ASSIGNMENT_STATE__QUEUED: return dispatch_age_queues[0];
    case LEGALAID__ASSIGNMENT_STATE__OFFERED: return dispatch_age_queues[1];
    case LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF: return dispatch_age_queues[2];
    default: return NULL;
    }
}

static int dispatch_store_fill_ages(MDB_txn *txn);
static int dispatch_store_fill_daily(MDB_txn *txn, MDB_dbi daily);

int dispatch_store_open(MDB_txn *txn, MDB_dbi daily, int daily_empty)
{
    int rc = store_table_sealed(txn, "lawyers", &dispatch_lawyers);
    if (!rc) rc = store_table(txn, "load", &dispatch_load);
    if (!rc) rc = store_table_sealed(txn, "assignments", &dispatch_assignments);
    if (!rc) rc = store_table(txn, "queue", &dispatch_queue);
    if (!rc) rc = store_table(txn, "due", &dispatch_due);
    if (!rc) rc = store_table(txn, "parties", &dispatch_parties);
    if (!rc) rc = store_table(txn, "graded", &dispatch_graded);
    if (!rc) rc = store_table(txn, "calendar", &dispatch_calendar);
    if (!rc) rc = store_table(txn, "states", &dispatch_states);
    if (!rc && store_count(txn, dispatch_states) == 0 && store_count(txn, dispatch_assignments))
        rc = dispatch_store_count_states(txn);
    int empty = 0;
    if (!rc) rc = ageq_open(txn, &dispatch_ages, &empty);
    if (!rc && empty && store_count(txn, dispatch_assignments)) rc = dispatch_store_fill_ages(txn);
    if (!rc && daily_empty && store_count(txn, dispatch_assignments))
        rc = dispatch_store_fill_daily(txn, daily);
    return rc;
}

/* Puts one assignment in its age queue (a store from before the tables):
 * from when it was queued (its offer's time is not kept apart), or from
 * now when that is not known. */
static int dispatch_store_age_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    (void)ctx;
    const Legalaid__Assignment *a = (const Legalaid__Assignment *)m;
    const char *queue = dispatch_store_age_queue(a->state);
    if (!queue || !a->case_id) return 0;
    return ageq_set(txn, &dispatch_ages, a->case_id, queue,
                    a->has_queued_at ? a->queued_at : clock_now_ms());
}

static int dispatch_store_fill_ages(MDB_txn *txn)
{
    return store_each_pb(txn, dispatch_assignments, &legalaid__assignment__descriptor,
                         dispatch_store_age_one, NULL);
}

/* Counts one assignment by day as turn_observe does (a store from before
 * the "daily" table): on the day it was assigned, with the time from the
 * approval. */
static int dispatch_store_daily_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    const Legalaid__Assignment *a = (const Legalaid__Assignment *)m;
    if (!a->has_assigned_at || !a->assigned_at) return 0;
    int64_t took = a->has_approved_at && a->assigned_at >= a->approved_at
                       ? a->assigned_at - a->approved_at
                       : -1;
    return daily_add(txn, *(const MDB_dbi *)ctx, "assign_seconds", a->assigned_at, took);
}

static int dispatch_store_fill_daily(MDB_txn *txn, MDB_dbi daily)
{
    return store_each_pb(txn, dispatch_assignments, &legalaid__assignment__descriptor,
                         dispatch_store_daily_one, &daily);
}

/* Counts one assignment in "states" (a store from before the table). */
static int dispatch_store_count_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    (void)ctx;
    return dispatch_store_state_add(txn, ((Legalaid__Assignment *)m)->state, 1);
}

static int dispatch_store_count_states(MDB_txn *txn)
{
    return store_each_pb(txn, dispatch_assignments, &legalaid__assignment__descriptor,
                         dispatch_store_count_one, NULL);
}

int dispatch_store_state_add(MDB_txn *txn, Legalaid__AssignmentState state, int delta)
{
    char key[16];
    snprintf(key, sizeof key, "%d", (int)state);
    uint64_t n;
    int rc = store_get_u64(txn, dispatch_states, key, &n);
    if (rc) return rc;
    n = delta < 0 && n == 0 ? 0 : n + (uint64_t)(int64_t)delta;
    return store_put_u64(txn, dispatch_states, key, n);
}

int dispatch_store_state_count(MDB_txn *txn, Legalaid__AssignmentState state, uint64_t *n)
{
    char key[16];
    snprintf(key, sizeof key, "%d", (int)state);
    return store_get_u64(txn, dispatch_states, key, n);
}
