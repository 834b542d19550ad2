/*
 * dispatch_pool.c - the pool of legal-aid providers as tables: "lawyers"
 * (lawyer id -> Lawyer, as last imported by dispatch_import.c) and "load"
 * (lawyer id -> a lawyer's numbers, BE64 fields, kept apart from "lawyers"
 * so a re-import keeps them): a lawyer's record, and a lawyer's load read,
 * written, and freed when the lawyer stops handling a case.
 */
#include <string.h>

#include "dispatch_int.h"
#include "store.h"

int dispatch_pool_load_get(MDB_txn *txn, const char *lawyer_id, dispatch_load_t *load)
{
    if (dispatch_poolmem_lookup(txn, lawyer_id, load)) return 0;
    memset(load, 0, sizeof *load);
    MDB_val k = {strlen(lawyer_id), (void *)lawyer_id}, v;
    int rc = mdb_get(txn, dispatch_load, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    dispatch_load_decode(&v, load);
    return 0;
}

int dispatch_pool_load_put(MDB_txn *txn, const char *lawyer_id, const dispatch_load_t *load)
{
    unsigned char buf[DISPATCH_LOAD_FIELDS * 8];
    dispatch_load_encode(load, buf);
    MDB_val k = {strlen(lawyer_id), (void *)lawyer_id}, v = {sizeof buf, buf};
    int rc = store_rc(mdb_put(txn, dispatch_load, &k, &v, 0));
    if (!rc) dispatch_poolmem_note(txn, lawyer_id, load);
    return rc;
}

int dispatch_pool_lawyer_get(turn_t *t, const char *id, Legalaid__Lawyer **l)
{
    return store_get_pb(t->txn, dispatch_lawyers, id, strlen(id), &legalaid__lawyer__descriptor,
                        &t->arena->pb, (ProtobufCMessage **)l);
}

int dispatch_pool_lawyer_free(turn_t *t, Legalaid__Assignment *a)
{
    if (!a->lawyer || !a->lawyer->id) return 0;
    dispatch_load_t load;
    int rc = dispatch_pool_load_get(t->txn, a->lawyer->id, &load);
    if (rc) return rc;
    if (load.open_cases > 0) load.open_cases--;
    return dispatch_pool_load_put(t->txn, a->lawyer->id, &load);
}
