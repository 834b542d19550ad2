/*
 * roster_pool.c - the roster's copy of the lawyer pool, kept from the
 * dispatch daemon's stream: "pool" (id -> Lawyer, trimmed to id, name,
 * firm, phone, status and kind) is written by every LawyersImported event.
 *
 * What it is for:
 *   - vetting a firm's duty lawyers when its agreement is imported (the
 *     值班律师名册 is of vetted members of the pool, R-DUTY-09): a duty
 *     lawyer must be an ACTIVE member of the pool, of the agreement's firm,
 *     and a lawyer (律师). Duty lawyers are lawyers stationed by the
 *     legal-aid body (DOMAIN R-DUTY-01, Legal Aid Law art. 14); they are
 *     present at and sign the plea-leniency statement as the defender would
 *     (R-DUTY-04/05), and criminal defence work is for lawyers only
 *     (R-ASSIGN-02). So only PROVIDER_LAWYER is accepted: not grassroots
 *     legal workers (基层法律服务工作者), volunteers (consultation and
 *     drafting only, art. 17) nor centre staff (who work for the centre, not
 *     under a firm's agreement). Until any pool has reached the roster, an
 *     agreement import is refused as UNAVAILABLE rather than taking
 *     unvetted lawyers.
 *   - keeping the schedule to the pool: generation, swaps and replacements
 *     take only active members (roster_pool_takes). A lawyer a later import
 *     makes SUSPENDED or LEFT loses the shifts not yet over as under an
 *     approved leave from that moment: a Leave (LV-..., approved, officer
 *     "lawyer pool") is recorded over them, each shift goes to a
 *     replacement by the leave's own path (roster_replacement_find,
 *     roster_shift_replace: ShiftChanged), then LeaveDecided. A shift
 *     nobody can take is taken off the lawyer all the same (a suspended
 *     lawyer is not called by a station) and a CoverageGap goes to the
 *     centre naming the post, for staff to fill it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

/* The LMDB key limit; dispatch's ids are far shorter. */
#define ROSTER_POOL_ID_MAX 256

static const char *roster_pool_status_text(const Legalaid__Lawyer *l)
{
    switch (l->status) {
    case LEGALAID__LAWYER_STATUS__SUSPENDED:
        return "suspended";
    case LEGALAID__LAWYER_STATUS__LEFT:
        return "left";
    case LEGALAID__LAWYER_STATUS__ACTIVE:
        return "active";
    default:
        return "of unknown status";
    }
}

static const char *roster_pool_kind_text(Legalaid__ProviderKind kind)
{
    switch (kind) {
    case LEGALAID__PROVIDER_KIND__PROVIDER_GRASSROOTS:
        return "grassroots legal worker";
    case LEGALAID__PROVIDER_KIND__PROVIDER_VOLUNTEER:
        return "volunteer";
    case LEGALAID__PROVIDER_KIND__PROVIDER_STAFF:
        return "member of the centre's staff";
    default:
        return "lawyer";
    }
}

static int roster_pool_active(const Legalaid__Lawyer *l)
{
    return !l->has_status || l->status == LEGALAID__LAWYER_STATUS__ACTIVE ||
           l->status == LEGALAID__LAWYER_STATUS__STATUS_UNSPECIFIED;
}

static int roster_pool_is_lawyer(const Legalaid__Lawyer *l)
{
    return !l->has_kind || l->kind == LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER ||
           l->kind == LEGALAID__PROVIDER_KIND__PROVIDER_UNSPECIFIED;
}

static int roster_pool_get(turn_t *t, const char *id, Legalaid__Lawyer **l)
{
    if (strlen(id) > ROSTER_POOL_ID_MAX) return MDB_NOTFOUND;
    return store_get_pb(t->txn, roster_pool, id, strlen(id), &legalaid__lawyer__descriptor,
                        &t->arena->pb, (ProtobufCMessage **)l);
}

int roster_pool_takes(turn_t *t, const char *lawyer_id)
{
    Legalaid__Lawyer *l;
    int rc = roster_pool_get(t, lawyer_id, &l);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    return roster_pool_active(l) && roster_pool_is_lawyer(l);
}

int roster_pool_heard(turn_t *t)
{
    return store_count(t->txn, roster_pool) > 0;
}

int roster_pool_vet(turn_t *t, const Legalaid__Agreement *ag, size_t j, const char **field,
                    const char **msg)
{
    const Legalaid__DutyLawyer *dl = ag->lawyers[j];
    *field = arena_printf(t->arena, "lawyers[%zu].id", j);
    Legalaid__Lawyer *l;
    int rc = roster_pool_get(t, dl->id, &l);
    if (rc && rc != MDB_NOTFOUND) return rc;
    if (rc == MDB_NOTFOUND || !roster_pool_active(l)) {
        *msg = arena_printf(
            t->arena,
            "lawyer %s is not an active member of the pool (%s): a firm's duty lawyers are "
            "vetted members of the pool (R-DUTY-09)",
            dl->id,
            rc == MDB_NOTFOUND ? "not imported: unknown to the pool or rejected by recruitment"
                               : roster_pool_status_text(l));
        return -1;
    }
    if (!l->firm || strcmp(l->firm, ag->firm) != 0) {
        *msg = arena_printf(t->arena,
                            "lawyer %s is a member of %s in the pool, not of %s: an agreement "
                            "lists the firm's own lawyers",
                            dl->id, l->firm ? l->firm : "no firm", ag->firm);
        return -1;
    }
    if (!roster_pool_is_lawyer(l)) {
        *msg = arena_printf(t->arena,
                            "%s is a %s in the pool: duty lawyers are lawyers (律师; DOMAIN "
                            "R-DUTY-01, R-DUTY-05, R-ASSIGN-02)",
                            dl->id, roster_pool_kind_text(l->kind));
        return -1;
    }
    return 0;
}

/* Takes lawyer l off every shift not yet over, as an approved leave from
 * now over them; see the header. */
static int roster_pool_withdraw(turn_t *t, const Legalaid__Lawyer *l)
{
    Legalaid__Shift **held;
    size_t n;
    int rc = roster_lawyer_shifts(t, l->id, t->now, INT64_MAX, &held, &n);
    if (rc || n == 0) return rc;
    uint64_t seq;
    if ((rc = roster_seq_take(t, "seq.leave", &seq))) return rc;
    Legalaid__Leave *lv = ARENA_NEW(t->arena, Legalaid__Leave, legalaid__leave__init);
    lv->id = arena_printf(t->arena, "LV-%06llu", (unsigned long long)seq);
    lv->lawyer_id = l->id;
    lv->starts_at = lv->requested_at = lv->decided_at = t->now;
    lv->ends_at = t->now + 1;
    for (size_t i = 0; i < n; i++)
        if (held[i]->ends_at > lv->ends_at) lv->ends_at = held[i]->ends_at;
    lv->reason = arena_printf(t->arena,
                              "no longer an active member of the lawyer pool (%s, by dispatch's "
                              "pool import): its shifts not yet over are handed over",
                              roster_pool_status_text(l));
    lv->state = LEGALAID__CHANGE_STATE__CHANGE_APPROVED;
    lv->officer = "lawyer pool";
    lv->has_starts_at = lv->has_ends_at = lv->has_requested_at = lv->has_decided_at = 1;
    lv->has_state = lv->has_shifts_reassigned = 1;
    /* Recorded first: the replacements honour it like any approved leave. */
    if ((rc = store_put_pb(t->txn, roster_leaves, lv->id, strlen(lv->id), &lv->base, 0))) return rc;
    for (size_t i = 0; i < n; i++) {
        Legalaid__Shift *repl;
        if ((rc = roster_replacement_find(t, held[i], &repl))) return rc;
        if (repl) {
            if ((rc = roster_shift_replace(t, held[i], repl, lv->id))) return rc;
            lv->shifts_reassigned++;
            continue;
        }
        if ((rc = roster_shift_remove(t, held[i]))) return rc;
        char a[CLOCK_TEXT_MAX];
        rc = roster_gap_emit(
            t, held[i], LEGALAID__GAP_REASON__GAP_HOLDER_LEFT_POOL,
            arena_printf(t->arena,
                         "the %s post from %s: lawyer %s is no longer an active member of the "
                         "pool (%s; %s) and nobody can take the post: fill it by a shift import",
                         roster_role_post(held[i]->role), clock_local_text(held[i]->starts_at, a),
                         l->id, roster_pool_status_text(l), lv->id));
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
    log_info("lawyer %s %s from the pool: %s, shifts reassigned=%u of %zu", l->id,
             roster_pool_status_text(l), lv->id, lv->shifts_reassigned, n);
    return 0;
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
        if (!roster_pool_active(p) && (rc = roster_pool_withdraw(t, p))) return rc;
    }
    log_info("pool records applied=%zu pool=%zu", li->n_lawyers, store_count(t->txn, roster_pool));
    return 0;
}
