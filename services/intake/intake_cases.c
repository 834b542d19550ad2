/*
 * intake_cases.c - the case finder's tables floor (layouts in
 * intake_cases.h): a row per case, and its index entries replaced with the
 * row in the same transaction, so the index never disagrees with the rows.
 */
#include <stdio.h>
#include <string.h>

#include "intake_cases.h"
#include "stats.h"
#include "store.h"

MDB_dbi intake_case_rows, intake_case_index;

int intake_cases_open(MDB_txn *txn)
{
    int rc = store_table(txn, "case_rows", &intake_case_rows);
    if (!rc) rc = store_table(txn, "case_index", &intake_case_index);
    return rc;
}

Legalaid__CaseKind intake_cases_kind(Legalaid__MatterCategory c)
{
    /* The bureau's kinds, as the reports count them (common/stats.c). */
    const char *kind = stats_kind(c);
    if (strcmp(kind, "civil") == 0) return LEGALAID__CASE_KIND__CASE_KIND_CIVIL;
    if (strcmp(kind, "criminal") == 0) return LEGALAID__CASE_KIND__CASE_KIND_CRIMINAL;
    if (strcmp(kind, "administrative") == 0) return LEGALAID__CASE_KIND__CASE_KIND_ADMINISTRATIVE;
    return LEGALAID__CASE_KIND__CASE_KIND_UNSPECIFIED;
}

int intake_cases_get(turn_t *t, const char *case_id, Legalaid__CaseRow **row)
{
    return store_get_pb(t->txn, intake_case_rows, case_id, strlen(case_id),
                        &legalaid__case_row__descriptor, &t->arena->pb, (ProtobufCMessage **)row);
}

size_t intake_cases_key(unsigned char *key, char tag, const char *value, const unsigned char *order,
                        const char *case_id)
{
    size_t vn = value ? strlen(value) : 0, n = 0;
    if (vn > INTAKE_CASES_VALUE_MAX) vn = INTAKE_CASES_VALUE_MAX;
    key[n++] = (unsigned char)tag;
    key[n++] = (unsigned char)vn;
    if (vn) memcpy(key + n, value, vn);
    n += vn;
    if (!order) return n;
    memcpy(key + n, order, 8);
    n += 8;
    size_t cn = case_id ? strlen(case_id) : 0;
    if (cn > LA_CASE_ID_MAX) cn = LA_CASE_ID_MAX;
    if (cn) memcpy(key + n, case_id, cn);
    return n + cn;
}

#define INTAKE_CASES_ENTRIES 8 /* the dimensions below and 'd' */

typedef struct intake_cases_keys {
    size_t n, len[INTAKE_CASES_ENTRIES];
    unsigned char key[INTAKE_CASES_ENTRIES][INTAKE_CASES_KEY_MAX];
} intake_cases_keys_t;

static void intake_cases_add(intake_cases_keys_t *ks, const Legalaid__CaseRow *row, char tag,
                             const char *value, int64_t order)
{
    unsigned char be[8];
    store_be64((uint64_t)order, be);
    ks->len[ks->n] = intake_cases_key(ks->key[ks->n], tag, value, be, row->case_id);
    ks->n++;
}

/* The keys of every entry of row (none for NULL). */
static void intake_cases_keys(const Legalaid__CaseRow *row, intake_cases_keys_t *ks)
{
    ks->n = 0;
    if (!row) return;
    char state[8], kind[8], category[8];
    snprintf(state, sizeof state, "%d", (int)row->state);
    snprintf(kind, sizeof kind, "%d", (int)row->kind);
    snprintf(category, sizeof category, "%d", (int)row->category);
    const struct {
        char tag;
        const char *value;
    } dims[] = {{'a', NULL},        {'s', state},        {'k', kind},          {'g', category},
                {'c', row->county}, {'t', row->station}, {'l', row->lawyer_id}};
    _Static_assert(sizeof dims / sizeof dims[0] + 1 <= INTAKE_CASES_ENTRIES,
                   "room for every dimension and 'd'");
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++) {
        if (dims[i].tag != 'a' && (!dims[i].value || !dims[i].value[0])) continue;
        intake_cases_add(ks, row, dims[i].tag, dims[i].value, row->received_at);
    }
    if (row->next_due_at > 0) intake_cases_add(ks, row, 'd', NULL, row->next_due_at);
}

static int intake_cases_has(const intake_cases_keys_t *ks, const unsigned char *key, size_t len)
{
    for (size_t i = 0; i < ks->n; i++)
        if (ks->len[i] == len && memcmp(ks->key[i], key, len) == 0) return 1;
    return 0;
}

/* Deletes the entries of from that are not in keep (del = 1), or puts them
 * (del = 0). An entry a change leaves as it was is not touched: a case
 * closed months after it came keeps its kind, county and station entries,
 * and rewriting them would copy, dirty and write a leaf each (issue 16). */
static int intake_cases_apply(turn_t *t, const intake_cases_keys_t *from,
                              const intake_cases_keys_t *keep, int del)
{
    for (size_t i = 0; i < from->n; i++) {
        if (intake_cases_has(keep, from->key[i], from->len[i])) continue;
        MDB_val k = {from->len[i], (void *)from->key[i]}, v = {0, ""};
        int rc = del ? mdb_del(t->txn, intake_case_index, &k, NULL)
                     : mdb_put(t->txn, intake_case_index, &k, &v, 0);
        if (rc == MDB_NOTFOUND && del) rc = 0;
        if (rc) return store_rc(rc);
    }
    return 0;
}

/* The earliest open deadline of row. */
static void intake_cases_next_due(Legalaid__CaseRow *row)
{
    row->next_due_at = 0;
    row->next_due_key = NULL;
    for (size_t i = 0; i < row->n_deadlines; i++) {
        const Legalaid__CaseDeadline *dl = row->deadlines[i];
        if (dl->due_at > 0 && (row->next_due_at == 0 || dl->due_at < row->next_due_at)) {
            row->next_due_at = dl->due_at;
            row->next_due_key = dl->key;
        }
    }
    row->has_next_due_at = row->next_due_at > 0;
}

int intake_cases_put(turn_t *t, const Legalaid__CaseRow *old, Legalaid__CaseRow *row)
{
    intake_cases_next_due(row);
    intake_cases_keys_t was, is;
    intake_cases_keys(old, &was);
    intake_cases_keys(row, &is);
    int rc = intake_cases_apply(t, &was, &is, 1);
    if (!rc) rc = intake_cases_apply(t, &is, &was, 0);
    if (!rc)
        rc = store_put_pb(t->txn, intake_case_rows, row->case_id, strlen(row->case_id), &row->base,
                          0);
    return rc;
}
