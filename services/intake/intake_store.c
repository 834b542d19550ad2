/*
 * intake_store.c - intake's storage helpers (intake_int.h): numbering
 * without gaps, counters, loading an application, whether a case was
 * withdrawn, the open-cases index (its key: the person and the matter;
 * closing and re-opening a case in it).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "intake_int.h"
#include "store.h"

void intake_fail_problem(turn_t *t, Legalaid__Reply *reply, const intake_problem_t *pb)
{
    turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, pb->field, "%s", pb->msg);
}

int intake_default_centre(char *out, size_t size)
{
    const char *c = intake_config.centres;
    size_t n = strcspn(c, ",");
    if (n == 0 || n >= size) return -1;
    memcpy(out, c, n);
    out[n] = 0;
    return 0;
}

int intake_number_take(turn_t *t, const char *kind, const char *centre, int64_t at, int *year,
                       uint64_t *n)
{
    struct tm tm;
    clock_local_tm(at, &tm);
    *year = tm.tm_year + 1900;
    char key[96];
    snprintf(key, sizeof key, "%s.%s.%d", kind, centre, *year);
    int rc = store_get_u64(t->txn, daemon_meta(t->d), key, n);
    if (rc) return rc;
    return store_put_u64(t->txn, daemon_meta(t->d), key, ++*n);
}

int intake_count_add(turn_t *t, const char *key)
{
    uint64_t n;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), key, &n);
    if (rc) return rc;
    return store_put_u64(t->txn, daemon_meta(t->d), key, n + 1);
}

int intake_application_load(turn_t *t, const char *case_id, Legalaid__Application **a)
{
    return store_get_pb(t->txn, intake_applications, case_id, strlen(case_id),
                        &legalaid__application__descriptor, &t->arena->pb, (ProtobufCMessage **)a);
}

int intake_withdrawn_is(turn_t *t, const char *case_id)
{
    MDB_val k = {strlen(case_id), (void *)case_id}, v;
    int rc = mdb_get(t->txn, intake_withdrawn, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    return rc ? store_rc(rc) : 1;
}

/* The opposing party without the blanks around it (ASCII white space and
 * the ideographic space U+3000, which Chinese input methods leave), so
 * "张某 " and "张某" are the same matter; NULL is the empty party. */
static void intake_party_trim(const char *s, const char **start, size_t *len)
{
    static const char ideo[] = "\xe3\x80\x80";
    const char *b = s ? s : "", *e = b + strlen(b);
    for (;;) {
        if (b < e && (*b == ' ' || (*b >= '\t' && *b <= '\r')))
            b++;
        else if (e - b >= 3 && memcmp(b, ideo, 3) == 0)
            b += 3;
        else
            break;
    }
    for (;;) {
        if (e > b && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
            e--;
        else if (e - b >= 3 && memcmp(e - 3, ideo, 3) == 0)
            e -= 3;
        else
            break;
    }
    *start = b;
    *len = (size_t)(e - b);
}

char *intake_open_key(turn_t *t, const Legalaid__Application *a, size_t *len)
{
    const Legalaid__Person *p = a->applicant;
    if (!p || !p->id_number || !p->id_number[0]) return NULL;
    int type = p->has_id_type && p->id_type ? (int)p->id_type : LEGALAID__ID_TYPE__RESIDENT_ID;
    unsigned item = a->has_scope_item ? a->scope_item : 0;
    const char *party;
    size_t nparty;
    intake_party_trim(a->opposing_party, &party, &nparty);
    /* "type:ID" NUL "category" NUL "item" NUL party: NUL cannot occur in
     * the parts, so two different matters never share a key. */
    const char *part[3] = {arena_printf(t->arena, "%d:%s", type, p->id_number),
                           arena_printf(t->arena, "%d", (int)a->category),
                           arena_printf(t->arena, "%u", item)};
    size_t n = nparty;
    for (int i = 0; i < 3; i++) n += strlen(part[i]) + 1;
    char *k = arena_alloc(t->arena, n), *w = k;
    for (int i = 0; i < 3; i++) {
        size_t np = strlen(part[i]) + 1; /* with its NUL: the separator */
        memcpy(w, part[i], np);
        w += np;
    }
    if (nparty) memcpy(w, party, nparty);
    *len = n;
    return k;
}

int intake_open_close(turn_t *t, const Legalaid__Application *a)
{
    size_t klen;
    char *key = intake_open_key(t, a, &klen);
    if (!key) return 0;
    MDB_val k = {klen, key}, v;
    int rc = mdb_get(t->txn, intake_open_cases, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    if (v.mv_size != strlen(a->case_id) || memcmp(v.mv_data, a->case_id, v.mv_size) != 0) return 0;
    return store_rc(mdb_del(t->txn, intake_open_cases, &k, NULL));
}

int intake_open_put(turn_t *t, const Legalaid__Application *a, char **holder)
{
    *holder = NULL;
    size_t klen;
    char *key = intake_open_key(t, a, &klen);
    if (!key) return 0;
    MDB_val k = {klen, key}, v;
    int rc = mdb_get(t->txn, intake_open_cases, &k, &v);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    size_t clen = strlen(a->case_id);
    if (rc == 0) {
        if (v.mv_size == clen && memcmp(v.mv_data, a->case_id, clen) == 0) return 0;
        *holder = arena_alloc(t->arena, v.mv_size + 1);
        memcpy(*holder, v.mv_data, v.mv_size);
        (*holder)[v.mv_size] = 0;
        return 0;
    }
    MDB_val cv = {clen, a->case_id};
    return store_rc(mdb_put(t->txn, intake_open_cases, &k, &cv, 0));
}
