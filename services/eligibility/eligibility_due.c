/*
 * eligibility_due.c - the open deadlines of eligibility as data: table
 * "deadlines" in common/due.h's layout (due_at BE64 | kind | case_id ->
 * ""), acted on by the tick (eligibility_tick.c) when they fall due, so
 * that a restart loses none: the materials deadline of a NEEDS_MATERIALS
 * decision (art. 43(2): deemed withdrawn) and the justice bureau's 5 days
 * on an objection (art. 49: reported overdue once).
 */
#include <string.h>

#include "due.h"
#include "eligibility_int.h"
#include "log.h"
#include "store.h"

MDB_dbi eligibility_due_dbi;

/* The layout before common/due.h, in table "due": due_at BE64 | case_id
 * -> kind (1 byte). An installation that ran that version has its open
 * deadlines there; eligibility_due_open moves each into "deadlines" in the
 * open transaction (same due_at, kind and case) and deletes "due", so no
 * deadline is lost and none is acted on twice. The two layouts live in
 * two tables because a key of one could read as a key of the other. */
#define ELIGIBILITY_DUE_OLD_TABLE "due"

static int eligibility_due_convert(MDB_txn *txn)
{
    MDB_dbi old;
    int rc = mdb_dbi_open(txn, ELIGIBILITY_DUE_OLD_TABLE, 0, &old);
    if (rc == MDB_NOTFOUND) return 0; /* a new installation, or converted already */
    if (rc) return store_rc(rc);
    MDB_cursor *c;
    rc = mdb_cursor_open(txn, old, &c);
    if (rc) return store_rc(rc);
    size_t moved = 0, dropped = 0;
    MDB_val k, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size < 9 || k.mv_size > 8 + LA_CASE_ID_MAX || v.mv_size < 1) {
            dropped++;
            continue;
        }
        int64_t due_at = (int64_t)store_from_be64(k.mv_data);
        int kind = *(const unsigned char *)v.mv_data;
        int prc = due_put(txn, eligibility_due_dbi, due_at, kind, (const char *)k.mv_data + 8,
                          k.mv_size - 8);
        if (prc) {
            mdb_cursor_close(c);
            return prc;
        }
        moved++;
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    rc = mdb_drop(txn, old, 1);
    if (rc) return store_rc(rc);
    if (moved || dropped)
        log_info("deadlines converted to the common layout moved=%zu dropped=%zu", moved, dropped);
    return 0;
}

int eligibility_due_open(MDB_txn *txn)
{
    int rc = store_table(txn, "deadlines", &eligibility_due_dbi);
    if (!rc) rc = eligibility_due_convert(txn);
    return rc;
}

uint64_t eligibility_due_size(MDB_txn *txn)
{
    return due_count(txn, eligibility_due_dbi);
}

int eligibility_due_add(turn_t *t, int64_t due_at, const char *case_id, eligibility_due_kind_t kind)
{
    return due_put(t->txn, eligibility_due_dbi, due_at, (int)kind, case_id, strlen(case_id));
}

int eligibility_due_remove(turn_t *t, int64_t due_at, const char *case_id,
                           eligibility_due_kind_t kind)
{
    return due_del(t->txn, eligibility_due_dbi, due_at, (int)kind, case_id, strlen(case_id));
}
