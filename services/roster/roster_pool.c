/*
 * roster_pool.c - the roster's copy of the lawyer pool, kept from the
 * dispatch daemon's stream (roster_pool_apply.c writes it): "pool" (id ->
 * Lawyer, trimmed to id, name, firm, phone, status and kind).
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
 *     take only active members (roster_pool_takes); shifts made elsewhere
 *     (import shifts) are fitted as generated ones are (roster_pool_check,
 *     then an agreement serving the station that day: roster_assign.c).
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "roster_int.h"
#include "store.h"

const char *roster_pool_status_text(const Legalaid__Lawyer *l)
{
    switch (l->status) {
    case LEGALAID__LAWYER_STATUS__SUSPENDED:
        return _("suspended");
    case LEGALAID__LAWYER_STATUS__LEFT:
        return _("left");
    case LEGALAID__LAWYER_STATUS__ACTIVE:
        return _("active");
    default:
        return _("of unknown status");
    }
}

static const char *roster_pool_kind_text(Legalaid__ProviderKind kind)
{
    switch (kind) {
    case LEGALAID__PROVIDER_KIND__PROVIDER_GRASSROOTS:
        return _("grassroots legal worker");
    case LEGALAID__PROVIDER_KIND__PROVIDER_VOLUNTEER:
        return _("volunteer");
    case LEGALAID__PROVIDER_KIND__PROVIDER_STAFF:
        return _("member of the centre's staff");
    default:
        return _("lawyer");
    }
}

int roster_pool_active(const Legalaid__Lawyer *l)
{
    return !l->has_status || l->status == LEGALAID__LAWYER_STATUS__ACTIVE ||
           l->status == LEGALAID__LAWYER_STATUS__STATUS_UNSPECIFIED;
}

static int roster_pool_is_lawyer(const Legalaid__Lawyer *l)
{
    return !l->has_kind || l->kind == LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER ||
           l->kind == LEGALAID__PROVIDER_KIND__PROVIDER_UNSPECIFIED;
}

int roster_pool_get(turn_t *t, const char *id, Legalaid__Lawyer **l)
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

int roster_pool_check(turn_t *t, const char *id, const char *firm, Legalaid__Lawyer **l,
                      const char **msg)
{
    *msg = NULL;
    int rc = roster_pool_get(t, id, l);
    if (rc && rc != MDB_NOTFOUND) return rc;
    if (rc == MDB_NOTFOUND || !roster_pool_active(*l)) {
        *msg = arena_printf(
            t->arena,
            _("lawyer %s is not an active member of the pool (%s): a firm's duty lawyers are "
              "vetted members of the pool (R-DUTY-09)"),
            id,
            rc == MDB_NOTFOUND ? _("not imported: unknown to the pool or rejected by recruitment")
                               : roster_pool_status_text(*l));
        return 0;
    }
    if (firm && (!(*l)->firm || strcmp((*l)->firm, firm) != 0)) {
        *msg = arena_printf(t->arena,
                            _("lawyer %s is a member of %s in the pool, not of %s: an agreement "
                              "lists the firm's own lawyers"),
                            id, (*l)->firm ? (*l)->firm : _("no firm"), firm);
        return 0;
    }
    if (!roster_pool_is_lawyer(*l)) {
        *msg = arena_printf(t->arena,
                            _("%s is a %s in the pool: duty lawyers are lawyers (律师; DOMAIN "
                              "R-DUTY-01, R-DUTY-05, R-ASSIGN-02)"),
                            id, roster_pool_kind_text((*l)->kind));
        return 0;
    }
    return 0;
}

int roster_pool_vet(turn_t *t, const Legalaid__Agreement *ag, size_t j, const char **field,
                    const char **msg)
{
    *field = arena_printf(t->arena, "lawyers[%zu].id", j);
    Legalaid__Lawyer *l;
    int rc = roster_pool_check(t, ag->lawyers[j]->id, ag->firm, &l, msg);
    if (rc) return rc;
    return *msg ? -1 : 0;
}
