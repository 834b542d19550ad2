/*
 * dispatch_assign.c - choosing a lawyer for an approved case, the
 * "assignments" table and the queue of cases waiting for a lawyer.
 *
 * A case moves through these states (one row in "assignments"):
 *
 *   (none) --approved, a lawyer free-------------> ASSIGNED  LawyerAssigned
 *   (none) --approved, nobody free---------------> QUEUED    AssignmentQueued
 *   QUEUED --lawyers imported, a lawyer free-----> ASSIGNED  LawyerAssigned
 *   ASSIGNED or QUEUED --the decision again------> unchanged
 *
 * The choice: among ACTIVE lawyers with fewer open cases than their
 * capacity, the one with the fewest open cases; ties go to the fewest
 * assignments ever, then to the lowest id, so the same pool always gives
 * the same answer. The whole pool is scanned (about 180 lawyers in Baotou):
 * the loads change with every assignment, so an index would be rewritten
 * as often as it is read. The deadline is the decision's: 3 days from an
 * authority's notice (Legal Aid Law art. 36) or from granting aid (art. 43(1)).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch_int.h"
#include "log.h"
#include "store.h"

typedef struct dispatch_choice {
    char id[DISPATCH_LAWYER_ID_MAX + 1]; /* empty: nobody free */
    uint32_t capacity;
    dispatch_load_t load;
    uint32_t candidates; /* active lawyers with room */
    uint32_t pool, active;
} dispatch_choice_t;

static int dispatch_better(const dispatch_load_t *a, const dispatch_load_t *b)
{
    if (a->open_cases != b->open_cases) return a->open_cases < b->open_cases;
    return a->total_assigned < b->total_assigned; /* equal: the earlier (lower) id stays */
}

static int dispatch_choose(turn_t *t, dispatch_choice_t *c)
{
    memset(c, 0, sizeof *c);
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(t->txn, dispatch_lawyers, &cur));
    if (rc) return rc;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        c->pool++;
        Legalaid__Lawyer *l = legalaid__lawyer__unpack(NULL, v.mv_size, v.mv_data);
        if (!l) continue; /* unreadable record: never chosen */
        if (l->status == LEGALAID__LAWYER_STATUS__ACTIVE && l->id) {
            c->active++;
            dispatch_load_t load;
            rc = dispatch_load_get(t->txn, l->id, &load);
            if (rc) {
                legalaid__lawyer__free_unpacked(l, NULL);
                break;
            }
            if (load.open_cases < l->capacity) {
                c->candidates++;
                if (!c->id[0] || dispatch_better(&load, &c->load)) {
                    snprintf(c->id, sizeof c->id, "%s", l->id);
                    c->capacity = l->capacity;
                    c->load = load;
                }
            }
        }
        legalaid__lawyer__free_unpacked(l, NULL);
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* Why nobody could take the case, for staff reading the queue. */
static char *dispatch_nobody_reason(turn_t *t, const dispatch_choice_t *c)
{
    if (c->pool == 0)
        return arena_strdup(t->arena, "the lawyer pool is empty: import lawyers to assign");
    if (c->active == 0)
        return arena_printf(t->arena,
                            "no active lawyer: all %u lawyers in the pool are suspended or "
                            "have left",
                            c->pool);
    return arena_printf(t->arena,
                        "every active lawyer is at capacity (%u active of %u in the pool)",
                        c->active, c->pool);
}

/* Assigns c's lawyer to the case of d; queued_at is kept when the case
 * came from the queue (0 otherwise). */
static int dispatch_assign(turn_t *t, const Legalaid__Decision *d, const dispatch_choice_t *c,
                           int64_t queued_at)
{
    Legalaid__Lawyer *lawyer;
    int rc =
        store_get_pb(t->txn, dispatch_lawyers, c->id, strlen(c->id), &legalaid__lawyer__descriptor,
                     &t->arena->pb, (ProtobufCMessage **)&lawyer);
    if (rc) return rc;
    dispatch_load_t load = c->load;
    load.open_cases++;
    load.total_assigned++;
    rc = dispatch_load_put(t->txn, c->id, &load);
    if (rc) return rc;

    Legalaid__Assignment *a = ARENA_NEW(t->arena, Legalaid__Assignment, legalaid__assignment__init);
    a->case_id = d->case_id;
    a->state = LEGALAID__ASSIGNMENT_STATE__ASSIGNED;
    a->has_state = 1;
    a->lawyer = lawyer;
    a->assigned_at = t->now;
    a->has_assigned_at = 1;
    a->assign_due_at = d->assign_due_at;
    a->has_assign_due_at = d->has_assign_due_at;
    a->queued_at = queued_at;
    a->has_queued_at = queued_at != 0;
    a->reason = arena_printf(
        t->arena, "least loaded active lawyer: %llu open case%s of capacity %u; %u candidate%s",
        (unsigned long long)c->load.open_cases, c->load.open_cases == 1 ? "" : "s", c->capacity,
        c->candidates, c->candidates == 1 ? "" : "s");
    rc = store_put_pb(t->txn, dispatch_assignments, d->case_id, strlen(d->case_id), &a->base, 0);
    if (rc) return rc;
    uint64_t n;
    rc = store_get_u64(t->txn, daemon_meta(t->d), "assigned", &n);
    if (!rc) rc = store_put_u64(t->txn, daemon_meta(t->d), "assigned", n + 1);
    if (rc) return rc;

    Legalaid__LawyerAssigned *b =
        ARENA_NEW(t->arena, Legalaid__LawyerAssigned, legalaid__lawyer_assigned__init);
    b->assignment = a;
    b->authority = d->authority; /* told of the appointment (art. 36) */
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_LAWYER_ASSIGNED;
    ev->lawyer_assigned = b;
    rc = turn_emit(t, d->case_id, ev);
    if (rc) return rc;
    log_info("assigned case=%s lawyer=%s open=%llu candidates=%u", d->case_id, c->id,
             (unsigned long long)load.open_cases, c->candidates);
    return 0;
}

static int dispatch_enqueue(turn_t *t, const Legalaid__Decision *d, const char *reason)
{
    uint64_t n;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), "queue.next", &n);
    if (!rc) rc = store_put_u64(t->txn, daemon_meta(t->d), "queue.next", ++n);
    if (rc) return rc;
    unsigned char key[8];
    store_be64(n, key);
    rc = store_put_pb(t->txn, dispatch_queue, key, sizeof key, &d->base, MDB_NOOVERWRITE);
    if (rc) return rc;

    Legalaid__Assignment *a = ARENA_NEW(t->arena, Legalaid__Assignment, legalaid__assignment__init);
    a->case_id = d->case_id;
    a->state = LEGALAID__ASSIGNMENT_STATE__QUEUED;
    a->has_state = 1;
    a->assign_due_at = d->assign_due_at;
    a->has_assign_due_at = d->has_assign_due_at;
    a->queued_at = t->now;
    a->has_queued_at = 1;
    a->reason = (char *)reason;
    rc = store_put_pb(t->txn, dispatch_assignments, d->case_id, strlen(d->case_id), &a->base, 0);
    if (rc) return rc;

    Legalaid__AssignmentQueued *b =
        ARENA_NEW(t->arena, Legalaid__AssignmentQueued, legalaid__assignment_queued__init);
    b->case_id = d->case_id;
    b->reason = (char *)reason;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED;
    ev->assignment_queued = b;
    rc = turn_emit(t, d->case_id, ev);
    if (rc) return rc;
    log_warn("case queued for a lawyer case=%s: %s", d->case_id, reason);
    return 0;
}

/* The oldest queued case: its key and decision (arena), or MDB_NOTFOUND. */
static int dispatch_queue_first(turn_t *t, unsigned char key[8], Legalaid__Decision **d)
{
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(t->txn, dispatch_queue, &cur));
    if (rc) return rc;
    MDB_val k, v;
    rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    if (rc == 0) {
        *d =
            k.mv_size == 8 ? legalaid__decision__unpack(&t->arena->pb, v.mv_size, v.mv_data) : NULL;
        if (*d && (*d)->case_id)
            memcpy(key, k.mv_data, 8);
        else
            rc = -EBADMSG;
    }
    mdb_cursor_close(cur);
    return store_rc(rc);
}

static int64_t dispatch_queued_at(turn_t *t, const char *case_id)
{
    Legalaid__Assignment *a;
    if (store_get_pb(t->txn, dispatch_assignments, case_id, strlen(case_id),
                     &legalaid__assignment__descriptor, &t->arena->pb, (ProtobufCMessage **)&a))
        return 0;
    return a->has_queued_at ? a->queued_at : 0;
}

int dispatch_queue_drain(turn_t *t, uint32_t *assigned)
{
    for (;;) {
        unsigned char key[8];
        Legalaid__Decision *d = NULL;
        int rc = dispatch_queue_first(t, key, &d);
        if (rc == MDB_NOTFOUND) return 0;
        if (rc) return rc;
        dispatch_choice_t c;
        rc = dispatch_choose(t, &c);
        if (rc) return rc;
        if (!c.id[0]) return 0; /* nobody free: the rest waits in order */
        rc = dispatch_assign(t, d, &c, dispatch_queued_at(t, d->case_id));
        if (rc) return rc;
        MDB_val k = {8, key};
        rc = store_rc(mdb_del(t->txn, dispatch_queue, &k, NULL));
        if (rc) return rc;
        (*assigned)++;
    }
}

int dispatch_decision_apply(turn_t *t, const Legalaid__Decision *d)
{
    if (!d) return turn_reject(t, "the event carries no decision");
    if (!d->case_id || !d->case_id[0]) return turn_reject(t, "the decision has no case_id");
    if (strlen(d->case_id) > 64)
        return turn_reject(t, "the decision's case_id is longer than 64 bytes");
    /* Only granted aid gets a lawyer; materials awaited or a refusal
     * leave nothing to assign. */
    if (d->outcome != LEGALAID__OUTCOME__APPROVED &&
        d->outcome != LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION)
        return 0;

    /* Never assign a case twice: a repeated decision changes nothing. */
    MDB_val k = {strlen(d->case_id), d->case_id}, v;
    int rc = mdb_get(t->txn, dispatch_assignments, &k, &v);
    if (rc == 0) {
        log_info("case already assigned or queued, decision ignored case=%s", d->case_id);
        return 0;
    }
    if (rc != MDB_NOTFOUND) return store_rc(rc);

    /* Cases already waiting go first. */
    uint32_t drained = 0;
    if (store_count(t->txn, dispatch_queue) > 0) {
        rc = dispatch_queue_drain(t, &drained);
        if (rc) return rc;
    }
    dispatch_choice_t c;
    rc = dispatch_choose(t, &c);
    if (rc) return rc;
    if (!c.id[0]) return dispatch_enqueue(t, d, dispatch_nobody_reason(t, &c));
    return dispatch_assign(t, d, &c, 0);
}
