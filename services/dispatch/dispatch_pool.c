/*
 * dispatch_pool.c - the lawyer pool: the "lawyers" and "load" tables, the
 * field rules of an imported lawyer, and ImportLawyers (each bad record
 * reported by index and field while the good ones go in; nothing of a bad
 * record is written).
 */
#include <stdio.h>
#include <string.h>

#include "dispatch.h"
#include "dispatch_int.h"
#include "check.h"
#include "log.h"
#include "store.h"

#define DISPATCH_NAME_MAX 128
#define DISPATCH_FIRM_MAX 128
#define DISPATCH_COUNTY_MAX 64

int dispatch_load_get(MDB_txn *txn, const char *lawyer_id, dispatch_load_t *load)
{
    MDB_val k = {strlen(lawyer_id), (void *)lawyer_id}, v;
    int rc = mdb_get(txn, dispatch_load, &k, &v);
    if (rc == MDB_NOTFOUND || (rc == 0 && v.mv_size != 16)) {
        load->open_cases = load->total_assigned = 0;
        return 0;
    }
    if (rc) return store_rc(rc);
    load->open_cases = store_from_be64(v.mv_data);
    load->total_assigned = store_from_be64((const unsigned char *)v.mv_data + 8);
    return 0;
}

int dispatch_load_put(MDB_txn *txn, const char *lawyer_id, const dispatch_load_t *load)
{
    unsigned char buf[16];
    store_be64(load->open_cases, buf);
    store_be64(load->total_assigned, buf + 8);
    MDB_val k = {strlen(lawyer_id), (void *)lawyer_id}, v = {sizeof buf, buf};
    return store_rc(mdb_put(txn, dispatch_load, &k, &v, 0));
}

int dispatch_lawyer_check(const Legalaid__Lawyer *l, const char **field, char *msg, size_t size)
{
    if (!l) return check_fail(field, "id", msg, size, "the lawyer record is empty");
    if (check_blank(l->id)) return check_fail(field, "id", msg, size, "id is required");
    if (check_key_text(l->id, DISPATCH_LAWYER_ID_MAX))
        return check_fail(field, "id", msg, size,
                                "id must be 1 to %d printable characters without spaces",
                                DISPATCH_LAWYER_ID_MAX);
    if (check_blank(l->name))
        return check_fail(field, "name", msg, size, "name is required (lawyer %s)", l->id);
    if (strlen(l->name) > DISPATCH_NAME_MAX)
        return check_fail(field, "name", msg, size, "name is longer than %d bytes",
                                DISPATCH_NAME_MAX);
    if (check_blank(l->phone))
        return check_fail(
            field, "phone", msg, size,
            "phone is required: the lawyer is told of each assignment (lawyer %s)", l->id);
    const char *why = check_phone(l->phone);
    if (why) return check_fail(field, "phone", msg, size, "phone %s (lawyer %s)", why, l->id);
    if (l->firm && strlen(l->firm) > DISPATCH_FIRM_MAX)
        return check_fail(field, "firm", msg, size, "firm is longer than %d bytes",
                                DISPATCH_FIRM_MAX);
    if (l->county && strlen(l->county) > DISPATCH_COUNTY_MAX)
        return check_fail(field, "county", msg, size, "county is longer than %d bytes",
                                DISPATCH_COUNTY_MAX);
    if (l->has_status && l->status != LEGALAID__LAWYER_STATUS__STATUS_UNSPECIFIED &&
        l->status != LEGALAID__LAWYER_STATUS__ACTIVE &&
        l->status != LEGALAID__LAWYER_STATUS__SUSPENDED &&
        l->status != LEGALAID__LAWYER_STATUS__LEFT)
        return check_fail(field, "status", msg, size,
                                "status %d is not ACTIVE, SUSPENDED or LEFT (lawyer %s)",
                                (int)l->status, l->id);
    if (l->has_capacity && (l->capacity < 1 || l->capacity > DISPATCH_CAPACITY_MAX))
        return check_fail(field, "capacity", msg, size,
                                "capacity must be 1 to %d open cases, not %u (lawyer %s)",
                                DISPATCH_CAPACITY_MAX, l->capacity, l->id);
    return 0;
}

/* The index of an earlier good record of this import with the same id, or -1. */
static long dispatch_import_duplicate(const Legalaid__ImportLawyers *in, const unsigned char *good,
                                      size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (good[j] && strcmp(in->lawyers[j]->id, in->lawyers[i]->id) == 0) return (long)j;
    return -1;
}

int dispatch_lawyers_import(turn_t *t, const Legalaid__ImportLawyers *in, Legalaid__Reply *reply)
{
    if (in->n_lawyers == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_lawyers.lawyers",
                  "the import holds no lawyers");
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_lawyers);
    unsigned char *good = arena_alloc(t->arena, in->n_lawyers);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_lawyers; i++) {
        const char *field;
        char msg[256];
        if (dispatch_lawyer_check(in->lawyers[i], &field, msg, sizeof msg) < 0) {
            turn_import_reject(t, res, "lawyers", i, field, msg);
            continue;
        }
        long first = dispatch_import_duplicate(in, good, i);
        if (first >= 0) {
            snprintf(msg, sizeof msg, "id %s appears twice in this import (first at index %ld)",
                     in->lawyers[i]->id, first);
            turn_import_reject(t, res, "lawyers", i, "id", msg);
            continue;
        }
        Legalaid__Lawyer l = *in->lawyers[i];
        if (!l.has_status || l.status == LEGALAID__LAWYER_STATUS__STATUS_UNSPECIFIED) {
            l.status = LEGALAID__LAWYER_STATUS__ACTIVE;
            l.has_status = 1;
        }
        if (!l.has_capacity) {
            l.capacity = (uint32_t)dispatch_config.default_capacity;
            l.has_capacity = 1;
        }
        /* Re-importing an id updates the record; its load is kept apart. */
        int rc = store_put_pb(t->txn, dispatch_lawyers, l.id, strlen(l.id), &l.base, 0);
        if (rc) return rc;
        good[i] = 1;
        accepted++;
    }
    res->accepted = accepted;
    res->has_accepted = 1;
    uint32_t drained = 0;
    if (accepted > 0) {
        Legalaid__LawyersImported *b =
            ARENA_NEW(t->arena, Legalaid__LawyersImported, legalaid__lawyers_imported__init);
        b->count = accepted;
        b->has_count = 1;
        b->pool_size = (uint32_t)store_count(t->txn, dispatch_lawyers);
        b->has_pool_size = 1;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_LAWYERS_IMPORTED;
        ev->lawyers_imported = b;
        int rc = turn_emit(t, NULL, ev);
        if (rc) return rc;
        /* New or freed capacity: the waiting cases go first, oldest first. */
        rc = dispatch_queue_drain(t, &drained);
        if (rc) return rc;
    }
    log_info("lawyers imported accepted=%u rejected=%zu queued_cases_assigned=%u", accepted,
             res->n_rejected, drained);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
