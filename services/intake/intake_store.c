/*
 * intake_store.c - intake's tables floor (layouts in intake_int.h): the
 * configuration and the table handles every step reads, opening the
 * tables, numbering without gaps, counters, loading an application,
 * whether a case was withdrawn, the open-cases index (its key: the person
 * and the matter; looking a matter up, closing and re-opening a case in
 * it), and closing a case (open-cases index and "closed" together), which
 * eligibility's and dispatch's endings both do.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "intake_int.h"
#include "log.h"
#include "store.h"

intake_config_t intake_config;

MDB_dbi intake_applications, intake_by_applicant, intake_open_cases, intake_withdrawn,
    intake_consultations, intake_closed, intake_reopened;

int intake_store_open(MDB_txn *txn)
{
    int rc = store_table(txn, "applications", &intake_applications);
    if (!rc) rc = store_table(txn, "by_applicant", &intake_by_applicant);
    if (!rc) rc = store_table(txn, "open_cases", &intake_open_cases);
    if (!rc) rc = store_table(txn, "withdrawn", &intake_withdrawn);
    if (!rc) rc = store_table(txn, "consultations", &intake_consultations);
    if (!rc) rc = store_table(txn, "closed", &intake_closed);
    if (!rc) rc = store_table(txn, "reopened", &intake_reopened);
    return rc;
}

int intake_store_default_centre(char *out, size_t size)
{
    const char *c = intake_config.centres;
    size_t n = strcspn(c, ",");
    if (n == 0 || n >= size) return -1;
    memcpy(out, c, n);
    out[n] = 0;
    return 0;
}

/* The latest year numbered under "<kind>.<centre>.<year>" counters, for a
 * store written before the year was kept: 0 when there is none. */
static int intake_store_number_latest(turn_t *t, const char *prefix, uint64_t *latest)
{
    *latest = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, daemon_meta(t->d), &c);
    if (rc) return store_rc(rc);
    size_t plen = strlen(prefix);
    MDB_val k = {plen, (void *)prefix}, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0) break;
        const char *y = (const char *)k.mv_data + plen;
        size_t ylen = k.mv_size - plen, i = 0;
        uint64_t year = 0;
        while (i < ylen && i < 6 && y[i] >= '0' && y[i] <= '9')
            year = year * 10 + (uint64_t)(y[i++] - '0');
        if (i == ylen && i > 0 && year > *latest) *latest = year;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int intake_store_number_take(turn_t *t, const char *kind, const char *centre, int64_t at, int *year,
                             uint64_t *n)
{
    struct tm tm;
    clock_local_tm(at, &tm);
    *year = tm.tm_year + 1900;
    /* A clock stepped back (an NTP correction, a restored VM) or a receipt
     * dated last year must not go back to an earlier year's numbers: the
     * year is never before the latest one numbered, so numbers never go
     * back and never repeat. */
    char key[96];
    snprintf(key, sizeof key, "%s.%s.year", kind, centre);
    uint64_t latest;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), key, &latest);
    if (!rc && latest == 0)
        rc = intake_store_number_latest(t, arena_printf(t->arena, "%s.%s.", kind, centre), &latest);
    if (rc) return rc;
    if (latest > (uint64_t)*year && latest <= INT_MAX) *year = (int)latest;
    if ((uint64_t)*year != latest && (rc = store_put_u64(t->txn, daemon_meta(t->d), key, *year)))
        return rc;
    snprintf(key, sizeof key, "%s.%s.%d", kind, centre, *year);
    rc = store_get_u64(t->txn, daemon_meta(t->d), key, n);
    if (rc) return rc;
    return store_put_u64(t->txn, daemon_meta(t->d), key, ++*n);
}

int intake_store_count_add(turn_t *t, const char *key)
{
    uint64_t n;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), key, &n);
    if (rc) return rc;
    return store_put_u64(t->txn, daemon_meta(t->d), key, n + 1);
}

int intake_store_application_load(turn_t *t, const char *case_id, Legalaid__Application **a)
{
    return store_get_pb(t->txn, intake_applications, case_id, strlen(case_id),
                        &legalaid__application__descriptor, &t->arena->pb, (ProtobufCMessage **)a);
}

int intake_store_withdrawn_is(turn_t *t, const char *case_id)
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

char *intake_store_open_key(turn_t *t, const Legalaid__Application *a, size_t *len)
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

int intake_store_open_get(turn_t *t, const Legalaid__Application *a, char **case_id)
{
    *case_id = NULL;
    size_t klen;
    char *key = intake_store_open_key(t, a, &klen);
    if (!key) return 0;
    MDB_val k = {klen, key}, v;
    int rc = mdb_get(t->txn, intake_open_cases, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    *case_id = arena_alloc(t->arena, v.mv_size + 1);
    memcpy(*case_id, v.mv_data, v.mv_size);
    (*case_id)[v.mv_size] = 0;
    return 0;
}

int intake_store_open_close(turn_t *t, const Legalaid__Application *a)
{
    char *held;
    int rc = intake_store_open_get(t, a, &held);
    if (rc || !held || strcmp(held, a->case_id) != 0) return rc;
    size_t klen;
    char *key = intake_store_open_key(t, a, &klen);
    MDB_val k = {klen, key};
    return store_rc(mdb_del(t->txn, intake_open_cases, &k, NULL));
}

int intake_store_open_put(turn_t *t, const Legalaid__Application *a, char **holder)
{
    *holder = NULL;
    size_t klen;
    char *key = intake_store_open_key(t, a, &klen);
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

int intake_store_case_close(turn_t *t, const Legalaid__Application *a, uint32_t closed_by,
                            const char *why)
{
    int rc = intake_store_open_close(t, a);
    if (rc) return rc;
    MDB_val k = {strlen(a->case_id), a->case_id}, v = {sizeof closed_by, &closed_by};
    rc = store_rc(mdb_put(t->txn, intake_closed, &k, &v, 0));
    if (!rc) log_info("case %s: closed (%s); the person may apply again", a->case_id, why);
    return rc;
}

int intake_store_reopened_at(turn_t *t, const char *case_id, int64_t *at)
{
    MDB_val k = {strlen(case_id), (void *)case_id}, v;
    int rc = mdb_get(t->txn, intake_reopened, &k, &v);
    if (rc == MDB_NOTFOUND) return rc;
    if (rc) return store_rc(rc);
    if (v.mv_size != 8) return MDB_NOTFOUND; /* not a value this code wrote */
    *at = (int64_t)store_from_be64(v.mv_data);
    return 0;
}
