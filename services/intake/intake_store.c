/*
 * intake_store.c - intake's tables floor (layouts in intake_int.h): the
 * configuration and the table handles every step reads, opening the
 * tables, numbering without gaps, counters, loading an application,
 * whether a case was withdrawn, the open-cases index (its key: the person
 * and the matter; looking a matter up, closing and re-opening a case in
 * it) and beside it the open-notices index (an authority's notice by its
 * authority, reference and person), and closing a case (both indexes and
 * "closed" together), which eligibility's and dispatch's endings both do.
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

MDB_dbi intake_applications, intake_by_applicant, intake_open_cases, intake_open_notices,
    intake_withdrawn, intake_consultations, intake_closed, intake_reopened,
    intake_history_sources;

int intake_store_open(MDB_txn *txn)
{
    int rc = store_table_sealed(txn, "applications", &intake_applications);
    if (!rc) rc = store_table(txn, "by_applicant", &intake_by_applicant);
    if (!rc) rc = store_table(txn, "open_cases", &intake_open_cases);
    if (!rc) rc = store_table(txn, "open_notices", &intake_open_notices);
    if (!rc) rc = store_table_sealed(txn, "withdrawn", &intake_withdrawn);
    if (!rc) rc = store_table_sealed(txn, "consultations", &intake_consultations);
    if (!rc) rc = store_table(txn, "closed", &intake_closed);
    /* "case:" or "consultation:" and the previous system's number -> ours */
    if (!rc) rc = store_table(txn, "history_sources", &intake_history_sources);
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

static int intake_store_number_next(turn_t *t, const char *kind, const char *centre, int year,
                                    uint64_t *n)
{
    char key[96];
    snprintf(key, sizeof key, "%s.%s.%d", kind, centre, year);
    int rc = store_get_u64(t->txn, daemon_meta(t->d), key, n);
    if (rc) return rc;
    return store_put_u64(t->txn, daemon_meta(t->d), key, ++*n);
}

int intake_store_number_history(turn_t *t, const char *kind, const char *centre, int64_t at,
                                int *year, uint64_t *n)
{
    struct tm tm;
    clock_local_tm(at, &tm);
    *year = tm.tm_year + 1900;
    return intake_store_number_next(t, kind, centre, *year, n);
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
    return intake_store_number_next(t, kind, centre, *year, n);
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

/* parts (n of them, each with its length) joined with NUL between them
 * (NUL occurs in no part, so different parts never make the same key),
 * then hashed under the index key in domain (seal.h): the key, in the
 * arena. */
static char *intake_store_key_join(turn_t *t, const char *domain, const char *const *part,
                                   const size_t *plen, int n, size_t *len)
{
    size_t total = 0;
    for (int i = 0; i < n; i++) total += plen[i] + (i > 0);
    char *k = arena_alloc(t->arena, total + 1), *w = k;
    for (int i = 0; i < n; i++) {
        if (i > 0) *w++ = 0;
        memcpy(w, part[i], plen[i]);
        w += plen[i];
    }
    unsigned char *hashed = arena_alloc(t->arena, SEAL_HASH_LEN);
    *len = store_hash(t->txn, domain, k, total, hashed);
    return (char *)hashed;
}

/* "type:ID" of a's person, or NULL when it has no ID number. */
static char *intake_store_person_key(turn_t *t, const Legalaid__Application *a)
{
    const Legalaid__Person *p = a->applicant;
    if (!p || !p->id_number || !p->id_number[0]) return NULL;
    int type = p->has_id_type && p->id_type ? (int)p->id_type : LEGALAID__ID_TYPE__RESIDENT_ID;
    return arena_printf(t->arena, "%d:%s", type, p->id_number);
}

char *intake_store_open_key(turn_t *t, const Legalaid__Application *a, size_t *len)
{
    char *person = intake_store_person_key(t, a);
    if (!person) return NULL;
    const char *part[4] = {person, arena_printf(t->arena, "%d", (int)a->category),
                           arena_printf(t->arena, "%u", a->has_scope_item ? a->scope_item : 0)};
    size_t plen[4] = {strlen(part[0]), strlen(part[1]), strlen(part[2])};
    intake_party_trim(a->opposing_party, &part[3], &plen[3]);
    return intake_store_key_join(t, "open_case", part, plen, 4, len);
}

/* The open_notices key of an authority's notice: kind NUL name NUL
 * reference NUL person ("type:ID", or "name:NAME" before the person is
 * identified), text trimmed of blanks; NULL when a is no notice or names
 * no authority, reference or person. */
static char *intake_store_notice_key(turn_t *t, const Legalaid__Application *a, size_t *len)
{
    const Legalaid__Authority *au = a->authority;
    if (a->channel != LEGALAID__CHANNEL__AUTHORITY_NOTICE || !au || !a->applicant) return NULL;
    const char *part[4];
    size_t plen[4];
    part[0] = arena_printf(t->arena, "%d", au->has_kind ? (int)au->kind : 0);
    plen[0] = strlen(part[0]);
    intake_party_trim(au->name, &part[1], &plen[1]);
    intake_party_trim(au->reference, &part[2], &plen[2]);
    char *person = intake_store_person_key(t, a);
    if (!person) {
        const char *name;
        size_t nlen;
        intake_party_trim(a->applicant->name, &name, &nlen);
        person = nlen ? arena_printf(t->arena, "name:%.*s", (int)nlen, name) : NULL;
    }
    if (!plen[1] || !plen[2] || !person) return NULL;
    part[3] = person;
    plen[3] = strlen(person);
    return intake_store_key_join(t, "notice", part, plen, 4, len);
}

/* The case under key in index (arena), or NULL; 0 or a store error. */
static int intake_store_index_get(turn_t *t, MDB_dbi index, const char *key, size_t klen,
                                  char **case_id)
{
    *case_id = NULL;
    if (!key) return 0;
    MDB_val k = {klen, (void *)key}, v;
    int rc = mdb_get(t->txn, index, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    *case_id = arena_alloc(t->arena, v.mv_size + 1);
    memcpy(*case_id, v.mv_data, v.mv_size);
    (*case_id)[v.mv_size] = 0;
    return 0;
}

/* Takes key out of index when case_id is the case it holds. */
static int intake_store_index_close(turn_t *t, MDB_dbi index, const char *key, size_t klen,
                                    const char *case_id)
{
    char *held;
    int rc = intake_store_index_get(t, index, key, klen, &held);
    if (rc || !held || strcmp(held, case_id) != 0) return rc;
    MDB_val k = {klen, (void *)key};
    return store_rc(mdb_del(t->txn, index, &k, NULL));
}

/* Puts case_id under key in index when the place is free; when another
 * case holds it, *holder (when still NULL) gets that case's number. */
static int intake_store_index_put(turn_t *t, MDB_dbi index, const char *key, size_t klen,
                                  const char *case_id, char **holder)
{
    char *held;
    int rc = intake_store_index_get(t, index, key, klen, &held);
    if (rc || !key) return rc;
    if (held) {
        if (strcmp(held, case_id) != 0 && !*holder) *holder = held;
        return 0;
    }
    MDB_val k = {klen, (void *)key}, v = {strlen(case_id), (void *)case_id};
    return store_rc(mdb_put(t->txn, index, &k, &v, 0));
}

int intake_store_open_get(turn_t *t, const Legalaid__Application *a, char **case_id)
{
    size_t klen = 0;
    char *key = intake_store_open_key(t, a, &klen);
    return intake_store_index_get(t, intake_open_cases, key, klen, case_id);
}

int intake_store_notice_get(turn_t *t, const Legalaid__Application *a, char **case_id)
{
    size_t klen = 0;
    char *key = intake_store_notice_key(t, a, &klen);
    return intake_store_index_get(t, intake_open_notices, key, klen, case_id);
}

int intake_store_notice_put(turn_t *t, const Legalaid__Application *a)
{
    size_t klen = 0;
    char *key = intake_store_notice_key(t, a, &klen);
    if (!key) return 0;
    MDB_val k = {klen, key}, v = {strlen(a->case_id), a->case_id};
    return store_rc(mdb_put(t->txn, intake_open_notices, &k, &v, 0));
}

int intake_store_open_close(turn_t *t, const Legalaid__Application *a)
{
    size_t klen = 0, nlen = 0;
    char *key = intake_store_open_key(t, a, &klen);
    char *notice = intake_store_notice_key(t, a, &nlen);
    int rc = key ? intake_store_index_close(t, intake_open_cases, key, klen, a->case_id) : 0;
    if (!rc && notice)
        rc = intake_store_index_close(t, intake_open_notices, notice, nlen, a->case_id);
    return rc;
}

int intake_store_open_put(turn_t *t, const Legalaid__Application *a, char **holder)
{
    *holder = NULL;
    size_t klen = 0, nlen = 0;
    char *key = intake_store_open_key(t, a, &klen);
    char *notice = intake_store_notice_key(t, a, &nlen);
    int rc = intake_store_index_put(t, intake_open_cases, key, klen, a->case_id, holder);
    if (!rc) rc = intake_store_index_put(t, intake_open_notices, notice, nlen, a->case_id, holder);
    return rc;
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
