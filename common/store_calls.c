/*
 * store_calls.c - counts this thread's LMDB write calls (store_calls.h).
 * The linker sends every call of the program's own code to mdb_put and the
 * others here (--wrap); calls LMDB makes inside itself are not counted.
 */
#include "store_calls.h"

#include <lmdb.h>

static __thread uint64_t store_calls_n;

uint64_t store_calls_writes(void)
{
    return store_calls_n;
}

void store_calls_changed(void)
{
    store_calls_n++;
}

/* The linker's names: __real_X is LMDB's X, __wrap_X is called instead of it. */
int __real_mdb_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data, unsigned int flags);
int __real_mdb_del(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data);
int __real_mdb_cursor_put(MDB_cursor *c, MDB_val *key, MDB_val *data, unsigned int flags);
int __real_mdb_cursor_del(MDB_cursor *c, unsigned int flags);
int __real_mdb_drop(MDB_txn *txn, MDB_dbi dbi, int del);
int __wrap_mdb_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data, unsigned int flags);
int __wrap_mdb_del(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data);
int __wrap_mdb_cursor_put(MDB_cursor *c, MDB_val *key, MDB_val *data, unsigned int flags);
int __wrap_mdb_cursor_del(MDB_cursor *c, unsigned int flags);
int __wrap_mdb_drop(MDB_txn *txn, MDB_dbi dbi, int del);

int __wrap_mdb_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data, unsigned int flags)
{
    store_calls_n++;
    return __real_mdb_put(txn, dbi, key, data, flags);
}

int __wrap_mdb_del(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data)
{
    store_calls_n++;
    return __real_mdb_del(txn, dbi, key, data);
}

int __wrap_mdb_cursor_put(MDB_cursor *c, MDB_val *key, MDB_val *data, unsigned int flags)
{
    store_calls_n++;
    return __real_mdb_cursor_put(c, key, data, flags);
}

int __wrap_mdb_cursor_del(MDB_cursor *c, unsigned int flags)
{
    store_calls_n++;
    return __real_mdb_cursor_del(c, flags);
}

int __wrap_mdb_drop(MDB_txn *txn, MDB_dbi dbi, int del)
{
    store_calls_n++;
    return __real_mdb_drop(txn, dbi, del);
}
