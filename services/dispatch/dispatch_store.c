/*
 * dispatch_store.c - dispatch's tables: the LMDB handles every file of
 * the service reads and writes, opened at start. What each table holds and
 * its key layout is the table map in dispatch_int.h; the records are read
 * and written by the file that owns each (dispatch_case.c, _pool.c,
 * _queue.c, _conflict.c, _review.c; "due" through common/due.h).
 */
#include "dispatch_int.h"
#include "store.h"

MDB_dbi dispatch_lawyers, dispatch_load, dispatch_assignments, dispatch_queue, dispatch_due,
    dispatch_parties, dispatch_graded, dispatch_calendar;

int dispatch_store_open(MDB_txn *txn)
{
    int rc = store_table_sealed(txn, "lawyers", &dispatch_lawyers);
    if (!rc) rc = store_table(txn, "load", &dispatch_load);
    if (!rc) rc = store_table_sealed(txn, "assignments", &dispatch_assignments);
    if (!rc) rc = store_table(txn, "queue", &dispatch_queue);
    if (!rc) rc = store_table(txn, "due", &dispatch_due);
    if (!rc) rc = store_table(txn, "parties", &dispatch_parties);
    if (!rc) rc = store_table(txn, "graded", &dispatch_graded);
    if (!rc) rc = store_table(txn, "calendar", &dispatch_calendar);
    return rc;
}
