/*
 * eligibility_mark.c - table "marks": what a case carries whatever its
 * decision becomes (eligibility_mark_t: corrected by objection, withdrawn,
 * commitment verified), each dated, with its text.
 */
#include <string.h>

#include "eligibility_int.h"
#include "store.h"

static MDB_dbi eligibility_marks;

int eligibility_mark_open(MDB_txn *txn)
{
    return store_table_sealed(txn, "marks", &eligibility_marks);
}

/* The marks table's key: the kind's letter, ':', the case_id. */
static size_t eligibility_mark_key(eligibility_mark_t kind, const char *case_id,
                                   char key[2 + LA_CASE_ID_MAX])
{
    size_t n = strlen(case_id);
    if (n > LA_CASE_ID_MAX) n = LA_CASE_ID_MAX;
    key[0] = (char)kind;
    key[1] = ':';
    memcpy(key + 2, case_id, n);
    return 2 + n;
}

/* The value: 8 bytes of when (big-endian ms), then the text. */
int eligibility_mark_set(turn_t *t, eligibility_mark_t kind, const char *case_id, const char *text)
{
    char key[2 + LA_CASE_ID_MAX];
    size_t tlen = text ? strlen(text) : 0;
    unsigned char *val = arena_alloc(t->arena, 8 + tlen);
    store_be64((uint64_t)t->now, val);
    if (tlen) memcpy(val + 8, text, tlen);
    MDB_val k = {eligibility_mark_key(kind, case_id, key), key}, v = {8 + tlen, val};
    return store_put_value(t->txn, eligibility_marks, k.mv_data, k.mv_size, v.mv_data, v.mv_size, 0);
}

int eligibility_mark_get(turn_t *t, eligibility_mark_t kind, const char *case_id, int64_t *when,
                         const char **text)
{
    char key[2 + LA_CASE_ID_MAX];
    MDB_val k = {eligibility_mark_key(kind, case_id, key), key}, v;
    int rc = mdb_get(t->txn, eligibility_marks, &k, &v);
    if (rc == 0) rc = store_value(t->txn, &k, &v);
    if (rc == MDB_NOTFOUND) return rc;
    if (rc) return store_rc(rc);
    if (v.mv_size < 8) return MDB_NOTFOUND; /* not a mark this code wrote */
    if (when) *when = (int64_t)store_from_be64(v.mv_data);
    if (text) {
        char *copy = arena_alloc(t->arena, v.mv_size - 8 + 1);
        memcpy(copy, (const char *)v.mv_data + 8, v.mv_size - 8);
        copy[v.mv_size - 8] = '\0';
        *text = copy;
    }
    return 0;
}
