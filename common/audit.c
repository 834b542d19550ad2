/*
 * audit.c - the audit table of a daemon (DESIGN.md "Security"): who did
 * what to which case, and when; every change, every read of a person's
 * record, every refusal. Appended in the transaction of the turn that
 * handled the request, so that a change and its audit entry commit
 * together or not at all; nothing ever updates or deletes an entry.
 *
 *   audit           id (u64 big-endian) -> AuditEntry
 *   audit_by_case   case_id '\0' id     -> ""
 */
#include <string.h>

#include "daemon_int.h"
#include "la_limits.h"
#include "log.h"

#define AUDIT_LIST_MAX 5000

int audit_open(daemon_t *d, MDB_txn *txn)
{
    int rc = store_table_sealed(txn, "audit", &d->audit);
    if (!rc) rc = store_table(txn, "audit_by_case", &d->audit_by_case);
    return rc;
}

int audit_append(daemon_t *d, MDB_txn *txn, Legalaid__AuditEntry *e)
{
    uint64_t id;
    int rc = store_next_u64(txn, d->meta, "audit.next", &id);
    if (rc) return rc;
    e->id = id;
    e->has_id = 1;
    e->daemon = (char *)d->svc->name;
    unsigned char key[8];
    store_be64(id, key);
    rc = store_put_pb(txn, d->audit, key, 8, &e->base, MDB_APPEND);
    if (rc || !e->case_id || !e->case_id[0]) return rc;
    size_t n = strlen(e->case_id);
    unsigned char ck[LA_CASE_ID_MAX + 9];
    if (n > LA_CASE_ID_MAX) n = LA_CASE_ID_MAX;
    memcpy(ck, e->case_id, n);
    ck[n] = 0;
    memcpy(ck + n + 1, key, 8);
    MDB_val k = {n + 9, ck}, v = {0, ""};
    return store_rc(mdb_put(txn, d->audit_by_case, &k, &v, 0));
}

/* True when e passes the query's principal and since filters. */
static int audit_matches(const Legalaid__AuditEntry *e, const Legalaid__AuditQuery *q)
{
    if (q->principal && q->principal[0] && (!e->principal || strcmp(e->principal, q->principal)))
        return 0;
    return !(q->has_since && e->at < q->since);
}

int audit_query(turn_t *t, const Legalaid__AuditQuery *q, Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    uint32_t max = q->max ? q->max : 200;
    if (max > AUDIT_LIST_MAX) max = AUDIT_LIST_MAX;
    Legalaid__AuditList *out = ARENA_NEW(t->arena, Legalaid__AuditList, legalaid__audit_list__init);
    out->entries = arena_alloc(t->arena, (max + 1) * sizeof *out->entries);
    int by_case = q->case_id && q->case_id[0];
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(t->txn, by_case ? d->audit_by_case : d->audit, &c));
    if (rc) return rc;
    MDB_val k, v;
    size_t cn = by_case ? strlen(q->case_id) : 0;
    unsigned char end[LA_CASE_ID_MAX + 10];
    int op = MDB_LAST; /* newest first */
    if (by_case) {
        /* Position just past this case's keys, then walk back. */
        if (cn > LA_CASE_ID_MAX) cn = LA_CASE_ID_MAX;
        memcpy(end, q->case_id, cn);
        end[cn] = 1;
        k.mv_size = cn + 1;
        k.mv_data = end;
        op = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE) == 0 ? MDB_PREV : MDB_LAST;
    }
    while (out->n_entries < max && mdb_cursor_get(c, &k, &v, op) == 0) {
        op = MDB_PREV;
        Legalaid__AuditEntry *e;
        if (by_case) {
            if (k.mv_size != cn + 9 || memcmp(k.mv_data, q->case_id, cn) != 0 ||
                ((char *)k.mv_data)[cn] != 0)
                break;
            int grc = store_get_pb(t->txn, d->audit, (char *)k.mv_data + cn + 1, 8,
                                   &legalaid__audit_entry__descriptor, &t->arena->pb,
                                   (ProtobufCMessage **)&e);
            if (grc) continue;
        } else {
            e = store_unpacked(t->txn, &k, &v, &legalaid__audit_entry__descriptor, &t->arena->pb);
            if (!e) continue;
        }
        if (!audit_matches(e, q)) {
            if (q->has_since && e->at < q->since) break; /* older ones follow */
            continue;
        }
        out->entries[out->n_entries++] = e;
    }
    mdb_cursor_close(c);
    reply->body_case = LEGALAID__REPLY__BODY_AUDIT_LIST;
    reply->audit_list = out;
    return 1;
}
