/*
 * dispatch_stats.c - what dispatch counts for the reports (common/stats.h,
 * issue 14), from the one writer of its records (dispatch_case_put), so
 * that every way a case moves is counted the same, in the same
 * transaction:
 *
 *   assignments   a lawyer takes the case (accepted, assigned by staff, or
 *                 recorded by the previous system), on the day assigned:
 *                 kind, county, firm, lawyer, how (matched, manual, history)
 *   concluded     the matter ended (art. 50), on that day, with the amount
 *                 recovered for the recipient as its sum: kind, county,
 *                 firm, lawyer
 *   terminated    aid ended (art. 48): reason, kind
 *   reviewed      the closing file graded (一卷二评, R-QUAL-03): grade, kind,
 *                 firm
 *
 * A store from before the statistics is counted once at open
 * (dispatch_stats_fill): each record as its state stands.
 */
#include <string.h>

#include "dispatch_int.h"
#include "store.h"

static MDB_dbi dispatch_stats_dbi;

static int dispatch_stats_held(Legalaid__AssignmentState s)
{
    return s == LEGALAID__ASSIGNMENT_STATE__ASSIGNED ||
           s == LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED ||
           s == LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS ||
           s == LEGALAID__ASSIGNMENT_STATE__CONCLUDED ||
           s == LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED ||
           s == LEGALAID__ASSIGNMENT_STATE__REVIEWED;
}

static void dispatch_stats_dims(const Legalaid__Assignment *a, stats_dims_t *ds)
{
    stats_dim(ds, "kind", stats_case_kind(a->category, a->history));
    stats_dim(ds, "county", a->facts ? a->facts->county : NULL);
    stats_dim(ds, "firm", a->lawyer ? a->lawyer->firm : NULL);
    stats_dim(ds, "lawyer", a->lawyer ? a->lawyer->id : NULL);
}

static int dispatch_stats_moved(MDB_txn *txn, arena_t *arena, const Legalaid__Assignment *old,
                                const Legalaid__Assignment *a, int64_t now)
{
    int rc = 0;
    if (dispatch_stats_held(a->state) && (!old || !dispatch_stats_held(old->state))) {
        stats_dims_t ds = {.n = 0};
        dispatch_stats_dims(a, &ds);
        stats_dim(&ds, "how", a->history ? "history" : a->manual ? "manual" : "matched");
        rc = stats_add(txn, dispatch_stats_dbi, "assignments",
                       a->has_assigned_at && a->assigned_at ? a->assigned_at : now, 1, 0, &ds);
    }
    if (!rc && a->concluded_at && (!old || !old->concluded_at)) {
        stats_dims_t ds = {.n = 0};
        dispatch_stats_dims(a, &ds);
        rc = stats_add(txn, dispatch_stats_dbi, "concluded", a->concluded_at, 1,
                       a->amount_recovered_fen, &ds);
    }
    if (!rc && a->state == LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED &&
        (!old || old->state != a->state)) {
        stats_dims_t ds = {.n = 0};
        stats_dim(&ds, "reason",
                  stats_code(arena, &legalaid__termination_reason__descriptor, (int)a->termination));
        stats_dim(&ds, "kind", stats_case_kind(a->category, a->history));
        rc = stats_add(txn, dispatch_stats_dbi, "terminated",
                       a->has_terminated_at && a->terminated_at ? a->terminated_at : now, 1, 0, &ds);
    }
    if (!rc && a->grade && (!old || !old->grade)) {
        stats_dims_t ds = {.n = 0};
        stats_dim(&ds, "grade", stats_code(arena, &legalaid__grade__descriptor, (int)a->grade));
        stats_dim(&ds, "kind", stats_case_kind(a->category, a->history));
        stats_dim(&ds, "firm", a->lawyer ? a->lawyer->firm : NULL);
        rc = stats_add(txn, dispatch_stats_dbi, "reviewed",
                       a->has_reviewed_at && a->reviewed_at ? a->reviewed_at : now, 1, 0, &ds);
    }
    return rc;
}

void dispatch_stats_open(MDB_dbi stats)
{
    dispatch_stats_dbi = stats;
}

int dispatch_stats_put(turn_t *t, const Legalaid__Assignment *old, const Legalaid__Assignment *a)
{
    return dispatch_stats_moved(t->txn, t->arena, old, a, t->now);
}

static int dispatch_stats_fill_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    arena_t *arena = ctx;
    const Legalaid__Assignment *a = (const Legalaid__Assignment *)m;
    int64_t at = a->has_approved_at ? a->approved_at : 0;
    int rc = dispatch_stats_moved(txn, arena, NULL, a, at);
    arena_reset(arena);
    return rc;
}

int dispatch_stats_fill(MDB_txn *txn)
{
    arena_t arena;
    arena_init(&arena);
    int rc = store_each_pb(txn, dispatch_assignments, &legalaid__assignment__descriptor,
                           dispatch_stats_fill_one, &arena);
    arena_destroy(&arena);
    return rc;
}
