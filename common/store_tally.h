/*
 * store_tally.h - counters added to in memory through a turn and written
 * once, at its commit (issue 16): a status's age-queue counts and a
 * report's daily figures are bumped by every message, hundreds of times a
 * turn on the same few rows (notify: 295 puts and deletes a commit in
 * "ages_by_id" for 59 notifications; eligibility: 282 in "stats" for 13
 * decisions), and each bump read its row and wrote it back. Held here,
 * each row is read and written once a turn, in key order.
 *
 * A value tallied is n big-endian 64-bit lanes under its key, each lane
 * added to (a count, a sum). What is held belongs to the top-level write
 * transaction store_begin opened (store.h), and follows it:
 *   - store_commit writes it into the transaction before LMDB commits it;
 *     store_undo, or a commit that fails, forgets it;
 *   - store_begin of a child writes it into the parent first, and while a
 *     child is open every add goes straight to the child's tables (so a
 *     child that is undone takes its adds with it, and nothing held ever
 *     belongs to a child);
 *   - anything else (a transaction not begun by store_begin, another
 *     thread's) gets its adds written straight away.
 * An add held counts as a write (store_calls_changed): a message refused
 * after it leaves something to undo, and its turn runs again (commit.c).
 * Whoever reads tallied rows in a write transaction calls
 * store_tally_flush first, so that the read sees every add.
 */
#ifndef LA_STORE_TALLY_H
#define LA_STORE_TALLY_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_TALLY_LANES 4
#define STORE_TALLY_KEY_MAX 511

/* Flags of an add. STORE_TALLY_COUNT: the lanes are counts, none goes
 * below 0, and a value whose lanes are all 0 is deleted rather than kept.
 * Without it a lane wraps as unsigned arithmetic does (a signed sum). */
#define STORE_TALLY_COUNT 1u

/* Adds delta[0..lanes) to the lanes of the value under key in dbi (a
 * value absent or of another size reads as zeros). Every add to one key
 * gives the same lanes and flags. 0, -EINVAL for a key too long or lanes
 * out of range, or a store error (an add written straight away). */
int store_tally_add(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen, size_t lanes,
                    const int64_t *delta, unsigned flags);

/* Writes what is held into txn, when it is the transaction holding it
 * (nothing otherwise). 0 or a store error. */
int store_tally_flush(MDB_txn *txn);

/* store.c's calls around each write transaction: store_tally_child
 * before a child of parent begins (the parent's adds written into it: 0
 * or a store error); store_tally_begin once txn has begun (parent NULL
 * for a top-level one); store_tally_end before it ends (commit: the
 * top-level one's adds written, 0 or a store error; undo: forgotten). */
int store_tally_child(MDB_txn *parent);
void store_tally_begin(MDB_txn *txn, MDB_txn *parent);
int store_tally_end(MDB_txn *txn, int commit);

/* How many keys are held now (tests). */
size_t store_tally_held(void);

#endif
