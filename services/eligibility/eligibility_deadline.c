/*
 * eligibility_deadline.c - the "due" index and the tick that acts on it
 * (see eligibility_deadline.h).
 */
#include "eligibility_deadline.h"

#include <string.h>

#include "eligibility_lifecycle.h"
#include "eligibility_objection.h"
#include "eligibility_rules.h"
#include "log.h"
#include "store.h"

/* Deadlines acted on per tick: the rest wait a second. */
#define DUE_PER_TICK 256

static MDB_dbi eligibility_due;

int eligibility_due_open(MDB_txn *txn)
{
    return store_table(txn, "due", &eligibility_due);
}

uint64_t eligibility_due_size(MDB_txn *txn)
{
    return store_count(txn, eligibility_due);
}

static size_t eligibility_due_key(int64_t due_at, const char *case_id,
                                  unsigned char key[8 + ELIGIBILITY_CASE_ID_MAX])
{
    size_t n = strlen(case_id);
    if (n > ELIGIBILITY_CASE_ID_MAX) n = ELIGIBILITY_CASE_ID_MAX;
    store_be64((uint64_t)due_at, key);
    memcpy(key + 8, case_id, n);
    return 8 + n;
}

int eligibility_due_add(turn_t *t, int64_t due_at, const char *case_id, eligibility_due_kind_t kind)
{
    unsigned char key[8 + ELIGIBILITY_CASE_ID_MAX];
    char kv = (char)kind;
    MDB_val k = {eligibility_due_key(due_at, case_id, key), key}, v = {1, &kv};
    return store_rc(mdb_put(t->txn, eligibility_due, &k, &v, 0));
}

int eligibility_due_remove(turn_t *t, int64_t due_at, const char *case_id)
{
    unsigned char key[8 + ELIGIBILITY_CASE_ID_MAX];
    MDB_val k = {eligibility_due_key(due_at, case_id, key), key};
    int rc = mdb_del(t->txn, eligibility_due, &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

typedef struct eligibility_due_item {
    int64_t due_at;
    char kind;
    char case_id[ELIGIBILITY_CASE_ID_MAX + 1];
} eligibility_due_item_t;

/* Collects the deadlines that have fallen due (acting on them changes the
 * index, so not under the cursor). */
static int eligibility_due_collect(turn_t *t, eligibility_due_item_t *items, size_t *n)
{
    *n = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, eligibility_due, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0 && *n < DUE_PER_TICK;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size < 9 || k.mv_size > 8 + ELIGIBILITY_CASE_ID_MAX) continue;
        int64_t due_at = (int64_t)store_from_be64(k.mv_data);
        if (due_at > t->now) break;
        eligibility_due_item_t *it = &items[(*n)++];
        it->due_at = due_at;
        it->kind = v.mv_size ? *(const char *)v.mv_data : 0;
        memcpy(it->case_id, (const char *)k.mv_data + 8, k.mv_size - 8);
        it->case_id[k.mv_size - 8] = '\0';
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int eligibility_due_tick(turn_t *t)
{
    eligibility_due_item_t *items = arena_alloc(t->arena, DUE_PER_TICK * sizeof *items);
    size_t n;
    int rc = eligibility_due_collect(t, items, &n);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        const eligibility_due_item_t *it = &items[i];
        switch (it->kind) {
        case ELIGIBILITY_DUE_MATERIALS:
            rc = eligibility_lifecycle_deemed_withdrawn(t, it->case_id, it->due_at);
            break;
        case ELIGIBILITY_DUE_OBJECTION:
            rc = eligibility_objection_overdue(t, it->case_id, it->due_at);
            break;
        default:
            log_warn("due entry of unknown kind %d dropped case=%s", it->kind, it->case_id);
            break;
        }
        if (rc) return rc;
        /* Acted on once, whatever the outcome. */
        rc = eligibility_due_remove(t, it->due_at, it->case_id);
        if (rc) return rc;
    }
    return 0;
}
