/*
 * dispatch_store.c - dispatch's tables: the LMDB handles every file of
 * the service reads and writes, opened at start. What each table holds and
 * its key layout is the table map in dispatch_int.h; the records are read
 * and written by the file that owns each (dispatch_case.c, _pool.c,
 * _queue.c, _conflict.c, _review.c; "due" through common/due.h). The
 * counts the status reads are kept here too ("states": cases per state
 * and the overdue ones among the waiting, with the two predicates that
 * say which those are), so that a status reads numbers, not records.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "daily.h"
#include "dispatch_int.h"
#include "store.h"

MDB_dbi dispatch_lawyers, dispatch_load, dispatch_assignments, dispatch_queue, dispatch_due,
    dispatch_parties, dispatch_graded, dispatch_calendar, dispatch_states, dispatch_by_lawyer;

ageq_t dispatch_ages;
const char *const dispatch_age_queues[] = {"waiting", "offered", "needs_staff", NULL};

static int dispatch_store_count_states(MDB_txn *txn);
static int dispatch_store_count_overdue(MDB_txn *txn);
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
static int dispatch_store_fill_holders(MDB_txn *txn);
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
    if (!rc) rc = dispatch_store_count_overdue(txn);
    int empty = 0;
    if (!rc) rc = ageq_open(txn, &dispatch_ages, &empty);
    if (!rc && empty && store_count(txn, dispatch_assignments)) rc = dispatch_store_fill_ages(txn);
    /* A store from before "by_lawyer": filled once from the records. */
    MDB_dbi probe;
    int fresh = !rc && mdb_dbi_open(txn, "by_lawyer", 0, &probe) == MDB_NOTFOUND;
    if (!rc) rc = store_table(txn, "by_lawyer", &dispatch_by_lawyer);
    if (!rc && fresh && store_count(txn, dispatch_assignments)) rc = dispatch_store_fill_holders(txn);
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

const char *dispatch_store_holder(const Legalaid__Assignment *a)
{
    switch (a->state) {
    case LEGALAID__ASSIGNMENT_STATE__OFFERED:
        return a->offer && a->offer->lawyer ? a->offer->lawyer->id : NULL;
    case LEGALAID__ASSIGNMENT_STATE__ASSIGNED:
    case LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED:
    case LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS:
    case LEGALAID__ASSIGNMENT_STATE__CONCLUDED:
    case LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED:
        return a->lawyer ? a->lawyer->id : NULL;
    default:
        return NULL;
    }
}

static int dispatch_store_hold_key(MDB_txn *txn, const char *lawyer, const char *case_id, int put)
{
    size_t nl = strlen(lawyer), nc = strlen(case_id);
    char key[LA_LAWYER_ID_MAX + 1 + LA_CASE_ID_MAX];
    if (!nl || nl > LA_LAWYER_ID_MAX || nc > LA_CASE_ID_MAX) return put ? -EINVAL : 0;
    memcpy(key, lawyer, nl);
    key[nl] = 0;
    memcpy(key + nl + 1, case_id, nc);
    MDB_val k = {nl + 1 + nc, key}, none = {0, ""};
    int rc = put ? mdb_put(txn, dispatch_by_lawyer, &k, &none, 0)
                 : mdb_del(txn, dispatch_by_lawyer, &k, NULL);
    return rc == MDB_NOTFOUND && !put ? 0 : store_rc(rc);
}

int dispatch_store_hold(MDB_txn *txn, const char *case_id, const char *was, const char *now)
{
    if (was && now && strcmp(was, now) == 0) return 0;
    int rc = was ? dispatch_store_hold_key(txn, was, case_id, 0) : 0;
    if (!rc && now) rc = dispatch_store_hold_key(txn, now, case_id, 1);
    return rc;
}

/* Indexes one case under the lawyer holding it (a store from before the
 * table). */
static int dispatch_store_holder_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    (void)ctx;
    const Legalaid__Assignment *a = (const Legalaid__Assignment *)m;
    const char *lawyer = dispatch_store_holder(a);
    return lawyer && a->case_id ? dispatch_store_hold(txn, a->case_id, NULL, lawyer) : 0;
}

static int dispatch_store_fill_holders(MDB_txn *txn)
{
    return store_each_pb(txn, dispatch_assignments, &legalaid__assignment__descriptor,
                         dispatch_store_holder_one, NULL);
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
    const Legalaid__Assignment *a = (const Legalaid__Assignment *)m;
    int rc = dispatch_store_state_add(txn, a->state, 1);
    if (!rc && dispatch_store_overdue(a)) rc = dispatch_store_states_add(txn, DISPATCH_OVERDUE, 1);
    return rc;
}

/* "overdue" in "states", for a store from before it was kept: counted
 * once from the waiting cases' records (the queue table names them). */
static int dispatch_store_count_overdue(MDB_txn *txn)
{
    MDB_val k = {strlen(DISPATCH_OVERDUE), (void *)DISPATCH_OVERDUE}, v;
    int rc = mdb_get(txn, dispatch_states, &k, &v);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    uint64_t overdue = 0;
    MDB_cursor *cur;
    rc = store_rc(mdb_cursor_open(txn, dispatch_queue, &cur));
    if (rc) return rc;
    arena_t arena;
    arena_init(&arena);
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= 9) continue;
        Legalaid__Assignment *a;
        if (store_get_pb(txn, dispatch_assignments, (const char *)k.mv_data + 9, k.mv_size - 9,
                         &legalaid__assignment__descriptor, &arena.pb, (ProtobufCMessage **)&a) == 0 &&
            dispatch_store_overdue(a))
            overdue++;
        arena_reset(&arena);
    }
    mdb_cursor_close(cur);
    arena_destroy(&arena);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    return store_put_u64(txn, dispatch_states, DISPATCH_OVERDUE, overdue);
}

static int dispatch_store_count_states(MDB_txn *txn)
{
    return store_each_pb(txn, dispatch_assignments, &legalaid__assignment__descriptor,
                         dispatch_store_count_one, NULL);
}

int dispatch_store_waiting(Legalaid__AssignmentState s)
{
    return s == LEGALAID__ASSIGNMENT_STATE__QUEUED || s == LEGALAID__ASSIGNMENT_STATE__OFFERED ||
           s == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
}

int dispatch_store_overdue(const Legalaid__Assignment *a)
{
    return a->overdue && dispatch_store_waiting(a->state);
}

int dispatch_store_state_add(MDB_txn *txn, Legalaid__AssignmentState state, int delta)
{
    char key[16];
    snprintf(key, sizeof key, "%d", (int)state);
    return dispatch_store_states_add(txn, key, delta);
}

int dispatch_store_states_add(MDB_txn *txn, const char *key, int delta)
{
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
