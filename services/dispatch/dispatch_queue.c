/*
 * dispatch_queue.c - the cases waiting for an offer, and the order of work
 * (issue 4): overdue first (past the 3-day deadline of art. 36 and 43(1)),
 * then emergency aid (art. 44), then the "five same-day" fast track, then
 * the green channel, then first come. The "queue" table is keyed
 * work class | approved_at | case_id so that it reads in that order but
 * for overdue, which dispatch_queue_read puts first.
 *
 * The table holds every case not yet assigned: QUEUED, OFFERED (waiting for
 * the answer) and NEEDS_STAFF. A case nobody may take now (NEEDS_STAFF) is
 * matched again, in this order, whenever the pool changes or a lawyer's
 * capacity comes free (then only the cases that lawyer may take: the drain
 * of dispatch_offer.c), and staff see it in DispatchQueueQuery
 * (dispatch_queue_list) and may assign it by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "dispatch_int.h"
#include "i18n.h"
#include "store.h"

#define DISPATCH_LIST_DEFAULT 200
#define DISPATCH_LIST_MAX 1000 /* a page: well inside a frame */

static size_t dispatch_queue_key(unsigned char *key, const Legalaid__Assignment *a)
{
    size_t n = strlen(a->case_id);
    if (n > LA_CASE_ID_MAX) n = LA_CASE_ID_MAX;
    key[0] = (unsigned char)(a->has_work_class ? a->work_class : LEGALAID__WORK_CLASS__WORK_NORMAL);
    store_be64((uint64_t)a->approved_at, key + 1);
    memcpy(key + 9, a->case_id, n);
    return 9 + n;
}

int dispatch_queue_put(turn_t *t, const Legalaid__Assignment *a)
{
    unsigned char key[9 + LA_CASE_ID_MAX];
    MDB_val k = {dispatch_queue_key(key, a), key}, v = {0, ""};
    return store_rc(mdb_put(t->txn, dispatch_queue, &k, &v, 0));
}

int dispatch_queue_del(turn_t *t, const Legalaid__Assignment *a)
{
    unsigned char key[9 + LA_CASE_ID_MAX];
    MDB_val k = {dispatch_queue_key(key, a), key};
    int rc = mdb_del(t->txn, dispatch_queue, &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* The order of work between two waiting cases. */
static int dispatch_work_cmp(const void *pa, const void *pb)
{
    const Legalaid__Assignment *a = *(Legalaid__Assignment *const *)pa;
    const Legalaid__Assignment *b = *(Legalaid__Assignment *const *)pb;
    if (a->overdue != b->overdue) return a->overdue ? -1 : 1;
    if (a->work_class != b->work_class) return a->work_class < b->work_class ? -1 : 1;
    if (a->approved_at != b->approved_at) return a->approved_at < b->approved_at ? -1 : 1;
    return strcmp(a->case_id, b->case_id);
}

int dispatch_queue_read(turn_t *t, Legalaid__Assignment ***out, size_t *n)
{
    *n = 0;
    size_t cap = store_count(t->txn, dispatch_queue);
    Legalaid__Assignment **v = arena_alloc(t->arena, (cap + 1) * sizeof *v);
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(t->txn, dispatch_queue, &cur));
    if (rc) return rc;
    MDB_val k, val;
    char **ids = arena_alloc(t->arena, (cap + 1) * sizeof *ids);
    size_t nids = 0;
    for (rc = mdb_cursor_get(cur, &k, &val, MDB_FIRST); rc == 0 && nids < cap;
         rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) {
        if (k.mv_size <= 9) continue;
        char *id = arena_alloc(t->arena, k.mv_size - 9 + 1);
        memcpy(id, (const unsigned char *)k.mv_data + 9, k.mv_size - 9);
        id[k.mv_size - 9] = 0;
        ids[nids++] = id;
    }
    mdb_cursor_close(cur);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    for (size_t i = 0; i < nids; i++) {
        Legalaid__Assignment *a;
        rc = dispatch_case_get(t, ids[i], &a);
        if (rc == MDB_NOTFOUND) continue;
        if (rc) return rc;
        v[(*n)++] = a;
    }
    qsort(v, *n, sizeof *v, dispatch_work_cmp);
    *out = v;
    return 0;
}

int dispatch_queue_list(turn_t *t, const Legalaid__DispatchQueueQuery *q, Legalaid__Reply *reply)
{
    uint32_t max = q->max ? q->max : DISPATCH_LIST_DEFAULT;
    if (max > DISPATCH_LIST_MAX) max = DISPATCH_LIST_MAX;
    if (q->has_state && q->state &&
        !protobuf_c_enum_descriptor_get_value(&legalaid__assignment_state__descriptor,
                                              (int)q->state)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "dispatch_queue.state",
                  _("state %d is not a state of a case"), (int)q->state);
        return 0;
    }
    size_t cap = 64, n = 0, total = 0;
    Legalaid__Assignment **v = arena_alloc(t->arena, cap * sizeof *v);
    int waiting_only =
        !(q->has_state && q->state) || dispatch_store_waiting(q->state) || q->overdue;
    MDB_cursor *cur;
    /* The waiting cases are the queue table's; others need the whole table. */
    int rc = store_rc(
        mdb_cursor_open(t->txn, waiting_only ? dispatch_queue : dispatch_assignments, &cur));
    if (rc) return rc;
    MDB_val k, val;
    for (rc = mdb_cursor_get(cur, &k, &val, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) {
        Legalaid__Assignment *a = NULL;
        if (waiting_only) {
            if (k.mv_size <= 9) continue;
            char *id = arena_alloc(t->arena, k.mv_size - 9 + 1);
            memcpy(id, (const char *)k.mv_data + 9, k.mv_size - 9);
            id[k.mv_size - 9] = 0;
            int grc = dispatch_case_get(t, id, &a);
            if (grc == MDB_NOTFOUND) continue;
            if (grc) {
                mdb_cursor_close(cur);
                return grc;
            }
        } else {
            a = store_unpacked(t->txn, &k, &val, &legalaid__assignment__descriptor, &t->arena->pb);
        }
        if (!a) continue;
        int want =
            q->has_state && q->state ? a->state == q->state : dispatch_store_waiting(a->state);
        if (!want || (q->overdue && !dispatch_store_overdue(a))) continue;
        total++;
        if (n == cap) {
            Legalaid__Assignment **nv = arena_alloc(t->arena, cap * 2 * sizeof *nv);
            memcpy(nv, v, n * sizeof *nv);
            v = nv;
            cap *= 2;
        }
        v[n++] = a;
    }
    mdb_cursor_close(cur);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    qsort(v, n, sizeof *v, dispatch_work_cmp);
    Legalaid__DispatchQueue *dq =
        ARENA_NEW(t->arena, Legalaid__DispatchQueue, legalaid__dispatch_queue__init);
    /* A page of the list in the order of work: offset on, at most max. */
    size_t from = q->offset < n ? q->offset : n;
    dq->cases = v + from;
    dq->n_cases = n - from < max ? n - from : max;
    dq->total = (uint32_t)total;
    dq->has_total = 1;
    reply->body_case = LEGALAID__REPLY__BODY_DISPATCH_QUEUE;
    reply->dispatch_queue = dq;
    return 0;
}
