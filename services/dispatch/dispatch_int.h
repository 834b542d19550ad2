/*
 * dispatch_int.h - what dispatch's files share: its tables, a lawyer's
 * load, and the functions dispatch.c calls.
 *
 * Tables (opened by dispatch.c):
 *   "lawyers"      lawyer id -> Lawyer (the pool, as last imported)
 *   "load"         lawyer id -> open cases (BE64), assignments ever (BE64);
 *                  kept apart from "lawyers" so a re-import keeps it
 *   "assignments"  case_id -> Assignment (ASSIGNED, or QUEUED while waiting)
 *   "queue"        queue number (BE64, "queue.next" in meta) -> Decision:
 *                  the cases waiting for a lawyer, oldest first
 * and in "meta" the counter "assigned".
 */
#ifndef LA_DISPATCH_INT_H
#define LA_DISPATCH_INT_H

#include <stdint.h>

#include "daemon.h"

#define DISPATCH_LAWYER_ID_MAX 32
#define DISPATCH_CAPACITY_MAX 500

extern MDB_dbi dispatch_lawyers, dispatch_load, dispatch_assignments, dispatch_queue;

typedef struct dispatch_load {
    uint64_t open_cases;     /* cases assigned and not closed */
    uint64_t total_assigned; /* every case ever assigned: the fairness tie-break */
} dispatch_load_t;

/* Reads a lawyer's load (zero when the lawyer has none yet). 0 or a store error. */
int dispatch_load_get(MDB_txn *txn, const char *lawyer_id, dispatch_load_t *load);
int dispatch_load_put(MDB_txn *txn, const char *lawyer_id, const dispatch_load_t *load);

/* Checks one imported lawyer record. Returns 0, or -1 with *field (the
 * Lawyer field at fault) and a message in msg. */
int dispatch_lawyer_check(const Legalaid__Lawyer *l, const char **field, char *msg, size_t size);

/* ImportLawyers: good records in (insert or update by id), bad ones
 * reported by index and field, then the queue drained. */
int dispatch_lawyers_import(turn_t *t, const Legalaid__ImportLawyers *in, Legalaid__Reply *reply);

/* Applies eligibility's decision: assigns a lawyer to an approved case, or
 * queues it. 0, LA_EREJECT for a decision without a case, or a store error. */
int dispatch_decision_apply(turn_t *t, const Legalaid__Decision *d);

/* Assigns the queued cases, oldest first, while a lawyer is free; adds the
 * number assigned to *assigned. 0 or a store error. */
int dispatch_queue_drain(turn_t *t, uint32_t *assigned);

#endif
