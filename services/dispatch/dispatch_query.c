/*
 * dispatch_query.c - what staff read of dispatch: one case's record
 * (GetAssignment), and the pool with each member's load and fair share
 * (LawyersQuery), and one lawyer's own desk: the offers open to them and
 * the cases they handle (LawyerCasesQuery, from the "by_lawyer" index).
 * The waiting cases are listed by dispatch_queue.c.
 */
#include <string.h>

#include "check.h"
#include "dispatch_int.h"
#include "store.h"
#include "i18n.h"

int dispatch_query_assignment(turn_t *t, const Legalaid__GetAssignment *g, Legalaid__Reply *reply)
{
    Legalaid__Assignment *a;
    int rc;
    if (!dispatch_case_request(t, g->case_id, "get_assignment.case_id", reply, &a, &rc)) return rc;
    /* A lawyer reads its own cases, and the one offered to it. */
    const char *lawyer = a->lawyer ? a->lawyer->id
                         : a->offer && a->offer->lawyer ? a->offer->lawyer->id
                                                        : NULL;
    if (turn_refuse_binding(t, reply, NULL, lawyer, NULL, "get_assignment.case_id")) return 0;
    reply->body_case = LEGALAID__REPLY__BODY_ASSIGNMENT;
    reply->assignment = a;
    return 0;
}

static Legalaid__LawyerLoad *dispatch_lawyer_load(turn_t *t, Legalaid__Lawyer *l, int *err)
{
    dispatch_load_t load;
    *err = dispatch_pool_load_get(t->txn, l->id, &load);
    if (*err) return NULL;
    Legalaid__LawyerLoad *ll =
        ARENA_NEW(t->arena, Legalaid__LawyerLoad, legalaid__lawyer_load__init);
    ll->lawyer = l;
    ll->open_cases = (uint32_t)load.open_cases;
    ll->has_open_cases = 1;
    ll->offers = (uint32_t)load.offers;
    ll->has_offers = 1;
    ll->ideal_milli = (uint32_t)(load.ideal_micro / 1000);
    ll->has_ideal_milli = 1;
    ll->manual = (uint32_t)load.manual;
    ll->has_manual = 1;
    ll->declined = (uint32_t)load.declined;
    ll->has_declined = 1;
    ll->accepted = (uint32_t)load.accepted;
    ll->has_accepted = 1;
    return ll;
}

int dispatch_query_lawyers(turn_t *t, const Legalaid__LawyersQuery *q, Legalaid__Reply *reply)
{
    Legalaid__LawyerList *out =
        ARENA_NEW(t->arena, Legalaid__LawyerList, legalaid__lawyer_list__init);
    int err = 0;
    if (q->id && q->id[0]) {
        Legalaid__Lawyer *l;
        int rc = dispatch_pool_lawyer_get(t, q->id, &l);
        if (rc == MDB_NOTFOUND) {
            turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "lawyers.id",
                      _("lawyer %s is not in the pool"), q->id);
            return 0;
        }
        if (rc) return rc;
        out->lawyers = arena_alloc(t->arena, sizeof *out->lawyers);
        out->lawyers[0] = dispatch_lawyer_load(t, l, &err);
        if (err) return err;
        out->n_lawyers = 1;
    } else {
        size_t cap = store_count(t->txn, dispatch_lawyers) + 1;
        out->lawyers = arena_alloc(t->arena, cap * sizeof *out->lawyers);
        MDB_cursor *cur;
        int rc = store_rc(mdb_cursor_open(t->txn, dispatch_lawyers, &cur));
        if (rc) return rc;
        MDB_val k, v;
        for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && out->n_lawyers < cap;
             rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
            Legalaid__Lawyer *l = store_unpacked(t->txn, &k, &v, &legalaid__lawyer__descriptor, &t->arena->pb);
            if (!l || !l->id) continue;
            Legalaid__LawyerLoad *ll = dispatch_lawyer_load(t, l, &err);
            if (err) break;
            out->lawyers[out->n_lawyers++] = ll;
        }
        mdb_cursor_close(cur);
        if (err) return err;
        if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    }
    reply->body_case = LEGALAID__REPLY__BODY_LAWYERS;
    reply->lawyers = out;
    return 0;
}

#define DISPATCH_LAWYER_CASES_MAX 500

static void dispatch_query_append(turn_t *t, Legalaid__Assignment ***list, size_t *n,
                                  Legalaid__Assignment *a)
{
    Legalaid__Assignment **more = arena_alloc(t->arena, (*n + 1) * sizeof *more);
    if (*n) memcpy(more, *list, *n * sizeof *more);
    more[(*n)++] = a;
    *list = more;
}

int dispatch_query_lawyer_cases(turn_t *t, const Legalaid__LawyerCasesQuery *q,
                                Legalaid__Reply *reply)
{
    const char *id = q->lawyer_id;
    if (!id || !id[0] || strlen(id) > LA_LAWYER_ID_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "lawyer_cases.lawyer_id",
                  _("a lawyer's id (1 to %d characters) is required"), LA_LAWYER_ID_MAX);
        return 0;
    }
    /* A lawyer reads only their own desk. */
    if (turn_refuse_binding(t, reply, NULL, id, NULL, "lawyer_cases.lawyer_id")) return 0;
    Legalaid__Lawyer *l;
    int rc = dispatch_pool_lawyer_get(t, id, &l);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "lawyer_cases.lawyer_id",
                  _("lawyer %s is not in the pool"), id);
        return 0;
    }
    if (rc) return rc;
    Legalaid__LawyerCases *out =
        ARENA_NEW(t->arena, Legalaid__LawyerCases, legalaid__lawyer_cases__init);
    out->lawyer_id = l->id;
    size_t nl = strlen(id), seen = 0;
    MDB_cursor *c;
    rc = store_rc(mdb_cursor_open(t->txn, dispatch_by_lawyer, &c));
    if (rc) return rc;
    MDB_val k = {nl + 1, (void *)id}, v; /* id NUL: the strlen's NUL */
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= nl + 1 || memcmp(k.mv_data, id, nl + 1) != 0) break;
        if (seen++ == DISPATCH_LAWYER_CASES_MAX) {
            out->truncated = out->has_truncated = 1;
            break;
        }
        char *case_id = arena_alloc(t->arena, k.mv_size - nl);
        memcpy(case_id, (const char *)k.mv_data + nl + 1, k.mv_size - nl - 1);
        case_id[k.mv_size - nl - 1] = 0;
        Legalaid__Assignment *a;
        rc = dispatch_case_get(t, case_id, &a);
        if (rc == MDB_NOTFOUND) continue; /* cannot be: the index follows the record */
        if (rc) break;
        if (a->state == LEGALAID__ASSIGNMENT_STATE__OFFERED)
            dispatch_query_append(t, &out->offers, &out->n_offers, a);
        else
            dispatch_query_append(t, &out->cases, &out->n_cases, a);
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_LAWYER_CASES;
    reply->lawyer_cases = out;
    return 0;
}
