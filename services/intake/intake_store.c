/*
 * intake_store.c - intake's storage helpers (intake_int.h): numbering
 * without gaps, counters, loading an application, whether a case was
 * withdrawn, the key of the open-cases index.
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

char *intake_open_key(turn_t *t, const Legalaid__Application *a, size_t *len)
{
    const Legalaid__Person *p = a->applicant;
    if (!p || !p->id_number || !p->id_number[0]) return NULL;
    int type = p->has_id_type && p->id_type ? (int)p->id_type : LEGALAID__ID_TYPE__RESIDENT_ID;
    char *person = arena_printf(t->arena, "%d:%s", type, p->id_number);
    char *matter = arena_printf(t->arena, "%d", (int)a->category);
    size_t np = strlen(person), nm = strlen(matter);
    char *k = arena_alloc(t->arena, np + 1 + nm);
    memcpy(k, person, np);
    k[np] = 0;
    memcpy(k + np + 1, matter, nm);
    *len = np + 1 + nm;
    return k;
}
