/*
 * eligibility_credit.c - table "credit": the flags a false commitment
 * leaves on a person (R-ECON-07(h): the commitment route is barred next
 * time), set by the check afterwards (eligibility_verify.c), lifted when an
 * objection sets the finding aside (eligibility_case_decide_corrected).
 */
#include <string.h>

#include "eligibility_int.h"
#include "store.h"

/* An ID number as applied with (at most 64 bytes), a NUL, a case_id. */
#define ELIGIBILITY_CREDIT_KEY_MAX (SEAL_HASH_LEN + LA_CASE_ID_MAX + 1)

static MDB_dbi eligibility_credit;

int eligibility_credit_open(MDB_txn *txn)
{
    return store_table_brief(txn, "credit", &eligibility_credit);
}

/* The credit table: one flag per false commitment, keyed by the keyed hash
 * (seal.h) of the ID number (upper-case X), then the case whose commitment
 * was false, so that a second false commitment adds a flag instead of
 * replacing the first, and a
 * finding set aside lifts only its own. The value: 8 bytes of when
 * (big-endian ms) and the finding. */
static size_t eligibility_credit_key(turn_t *t, const char *id_number, const char *case_id,
                                     unsigned char key[ELIGIBILITY_CREDIT_KEY_MAX])
{
    char upper[64];
    size_t n = 0;
    for (; id_number[n] && n < sizeof upper; n++)
        upper[n] = id_number[n] == 'x' ? 'X' : id_number[n];
    if (n == 0) return 0;
    n = store_hash(t->txn, "id_number", upper, n, key);
    size_t c = case_id ? strlen(case_id) : 0;
    if (c > LA_CASE_ID_MAX) c = LA_CASE_ID_MAX;
    memcpy(key + n, case_id ? case_id : "", c);
    return n + c;
}

int eligibility_credit_barred(turn_t *t, const char *id_number, const char *except_case,
                              int *barred)
{
    *barred = 0;
    unsigned char prefix[ELIGIBILITY_CREDIT_KEY_MAX];
    size_t plen = eligibility_credit_key(t, id_number, NULL, prefix);
    if (plen == 0) return 0;
    unsigned char own[ELIGIBILITY_CREDIT_KEY_MAX];
    size_t olen = except_case ? eligibility_credit_key(t, id_number, except_case, own) : 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, eligibility_credit, &c);
    if (rc) return store_rc(rc);
    MDB_val k = {plen, prefix}, v;
    int op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0) break;
        if (olen && k.mv_size == olen && memcmp(k.mv_data, own, olen) == 0) continue;
        *barred = 1;
        break;
    }
    mdb_cursor_close(c);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int eligibility_credit_set(turn_t *t, const char *id_number, const char *case_id,
                           const char *finding)
{
    unsigned char key[ELIGIBILITY_CREDIT_KEY_MAX];
    size_t klen = eligibility_credit_key(t, id_number, case_id, key);
    if (klen == 0) return 0;
    size_t flen = finding ? strlen(finding) : 0;
    unsigned char *val = arena_alloc(t->arena, 8 + flen);
    store_be64((uint64_t)t->now, val);
    if (flen) memcpy(val + 8, finding, flen);
    MDB_val k = {klen, key}, v = {8 + flen, val};
    return store_put_value(t->txn, eligibility_credit, k.mv_data, k.mv_size, v.mv_data, v.mv_size, 0);
}

int eligibility_credit_lift(turn_t *t, const char *id_number, const char *case_id)
{
    unsigned char key[ELIGIBILITY_CREDIT_KEY_MAX];
    size_t klen = eligibility_credit_key(t, id_number, case_id, key);
    if (klen == 0) return 0;
    MDB_val k = {klen, key};
    int rc = mdb_del(t->txn, eligibility_credit, &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}
