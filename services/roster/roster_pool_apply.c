/*
 * roster_pool_apply.c - the roster's apply() of the dispatch daemon's
 * stream: every LawyersImported event writes its records into "pool"
 * (roster_pool.c), all of them first; then a lawyer the import makes
 * SUSPENDED or LEFT loses the shifts not yet over as under an approved
 * leave from that moment: a Leave (LV-..., approved, officer "lawyer
 * pool") is recorded over them, each shift goes to a replacement by the
 * leave's own path (roster_cover_find, roster_cover_replace:
 * ShiftChanged), then LeaveDecided. A shift nobody can take is taken off
 * the lawyer all the same (a suspended lawyer is not called by a station)
 * and a CoverageGap goes to the centre naming the post, for staff to fill
 * it. Other events of dispatch's stream are no concern of the roster.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

/* Takes lawyer l off every shift not yet over, as an approved leave from
 * now over them, for the reason given; see the header. */
static int roster_pool_apply_withdraw(turn_t *t, const Legalaid__Lawyer *l, const char *reason)
{
    Legalaid__Shift **held;
    size_t n;
    int rc = roster_shift_held(t, l->id, t->now, INT64_MAX, &held, &n);
    if (rc || n == 0) return rc;
    uint64_t seq;
    if ((rc = roster_tables_seq_take(t, "seq.leave", &seq))) return rc;
    Legalaid__Leave *lv = ARENA_NEW(t->arena, Legalaid__Leave, legalaid__leave__init);
    lv->id = arena_printf(t->arena, "LV-%06llu", (unsigned long long)seq);
    lv->lawyer_id = l->id;
    lv->starts_at = lv->requested_at = lv->decided_at = t->now;
    lv->ends_at = t->now + 1;
    for (size_t i = 0; i < n; i++)
        if (held[i]->ends_at > lv->ends_at) lv->ends_at = held[i]->ends_at;
    lv->reason = (char *)reason;
    lv->state = LEGALAID__CHANGE_STATE__CHANGE_APPROVED;
    lv->officer = "lawyer pool";
    lv->has_starts_at = lv->has_ends_at = lv->has_requested_at = lv->has_decided_at = 1;
    lv->has_state = lv->has_shifts_reassigned = 1;
    /* Recorded first: the replacements honour it like any approved leave. */
    if ((rc = store_put_pb(t->txn, roster_leaves, lv->id, strlen(lv->id), &lv->base, 0))) return rc;
    for (size_t i = 0; i < n; i++) {
        Legalaid__Shift *repl;
        if ((rc = roster_cover_find(t, held[i], &repl))) return rc;
        if (repl) {
            if ((rc = roster_cover_replace(t, held[i], repl, lv->id))) return rc;
            lv->shifts_reassigned++;
            continue;
        }
        if ((rc = roster_shift_remove(t, held[i]))) return rc;
        char a[CLOCK_TEXT_MAX];
        rc = roster_cover_gap(
            t, held[i], LEGALAID__GAP_REASON__GAP_HOLDER_LEFT_POOL,
            arena_printf(t->arena,
                         "the %s post from %s: lawyer %s is %s (%s) and nobody can take the "
                         "post: fill it by a shift import",
                         roster_shift_post(held[i]->role), clock_local_text(held[i]->starts_at, a),
                         l->id, reason, lv->id));
        if (rc) return rc;
    }
    if ((rc = store_put_pb(t->txn, roster_leaves, lv->id, strlen(lv->id), &lv->base, 0))) return rc;
    Legalaid__LeaveDecided *b =
        ARENA_NEW(t->arena, Legalaid__LeaveDecided, legalaid__leave_decided__init);
    b->leave = lv;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_LEAVE_DECIDED;
    ev->leave_decided = b;
    if ((rc = turn_emit(t, NULL, ev))) return rc;
    log_info("lawyer %s off the roster's posts (%s): %s, shifts reassigned=%u of %zu", l->id,
             reason, lv->id, lv->shifts_reassigned, n);
    return 0;
}

/* Lawyer l has moved from firm was to l->firm in the pool: off was's
 * agreements from today, and its posts not yet over (held under was's
 * agreement: a lawyer serves under one firm's) handed over. */
static int roster_pool_apply_moved(turn_t *t, const Legalaid__Lawyer *l, const char *was)
{
    uint32_t n;
    int rc = roster_agreement_leave(t, l->id, was, clock_local_day(t->now), &n);
    if (rc) return rc;
    const char *why = arena_printf(t->arena,
                                   "no longer a duty lawyer of %s (moved to %s in the lawyer pool; "
                                   "off %u agreement(s) of %s)",
                                   was, l->firm, n, was);
    return roster_pool_apply_withdraw(t, l, why);
}

int roster_pool_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    if (strcmp(upstream, "dispatch") != 0 ||
        ev->body_case != LEGALAID__EVENT__BODY_LAWYERS_IMPORTED || !ev->lawyers_imported)
        return 0;
    const Legalaid__LawyersImported *li = ev->lawyers_imported;
    for (size_t i = 0; i < li->n_lawyers; i++) {
        const Legalaid__Lawyer *in = li->lawyers[i];
        if (!in || check_blank(in->id) || strlen(in->id) > ROSTER_POOL_ID_MAX)
            return turn_reject(t, "lawyers[%zu]: a pool record without an id of 1 to %d bytes", i,
                               ROSTER_POOL_ID_MAX);
    }
    /* The firm each lawyer was of before this import (NULL: new or none). */
    const char **was = arena_alloc(t->arena, (li->n_lawyers + 1) * sizeof *was);
    for (size_t i = 0; i < li->n_lawyers; i++) {
        Legalaid__Lawyer *old;
        int rc = roster_pool_get(t, li->lawyers[i]->id, &old);
        if (rc && rc != MDB_NOTFOUND) return rc;
        was[i] = rc == 0 && old->firm && *old->firm ? old->firm : NULL;
    }
    for (size_t i = 0; i < li->n_lawyers; i++) {
        const Legalaid__Lawyer *in = li->lawyers[i];
        Legalaid__Lawyer p = LEGALAID__LAWYER__INIT;
        p.id = in->id;
        p.name = in->name;
        p.firm = in->firm;
        p.phone = in->phone;
        p.has_status = p.has_kind = 1;
        p.status = in->has_status ? in->status : LEGALAID__LAWYER_STATUS__ACTIVE;
        p.kind = in->has_kind ? in->kind : LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER;
        int rc = store_put_pb(t->txn, roster_pool, p.id, strlen(p.id), &p.base, 0);
        if (rc) return rc;
    }
    /* Every record in first: a replacement is never someone this same
     * import suspends. */
    for (size_t i = 0; i < li->n_lawyers; i++) {
        Legalaid__Lawyer *p;
        int rc = roster_pool_get(t, li->lawyers[i]->id, &p);
        if (rc) return rc == MDB_NOTFOUND ? -EIO : rc;
        if (!roster_pool_active(p)) {
            const char *why = arena_printf(t->arena,
                                           "no longer an active member of the lawyer pool (%s, by "
                                           "dispatch's pool import)",
                                           roster_pool_status_text(p));
            if ((rc = roster_pool_apply_withdraw(t, p, why))) return rc;
        } else if (was[i] && p->firm && strcmp(was[i], p->firm) != 0) {
            if ((rc = roster_pool_apply_moved(t, p, was[i]))) return rc;
        }
    }
    log_info("pool records applied=%zu pool=%zu", li->n_lawyers, store_count(t->txn, roster_pool));
    return 0;
}
