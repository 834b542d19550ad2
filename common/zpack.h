/*
 * zpack.h - the values of sealed tables packed small before they are
 * sealed (issue 16, the footprint): zstd with a dictionary learnt from the
 * table's own values, so that what every record of a table repeats
 * (field tags, codes, articles, the centre's and the courts' names, the
 * words of a notice) is kept once per dictionary instead of once per
 * record. A decision of about 800 bytes keeps 40 to 200.
 *
 * A table's first values are written as they are while its first
 * dictionary is learnt from them (ZPACK_FIRST_BYTES of them, or
 * ZPACK_FIRST_VALUES values). That one knows a few dozen records (an
 * import of old ones, a first day's demo), so a process learns the next
 * after ZPACK_AGAIN / 100 more values, the third after ZPACK_AGAIN / 10,
 * then one after every ZPACK_AGAIN; these counts are a process's own,
 * from its start. And sooner when the values change: when two windows of
 * ZPACK_DRIFT_VALUES values in a row pack worse by ZPACK_DRIFT than the
 * first window after the dictionary was made (a month on, the cases get
 * reminders no value of their first days had; a new court, new rules),
 * at least ZPACK_AGAIN / 100 values since it was made or the process
 * began. That
 * first window's share is kept beside the dictionary's number in
 * "zcurrent", so a restart compares with it rather than with a first
 * window of its own, packed by a dictionary that may no longer fit.
 *
 * A dictionary is zstd's raw content dictionary, the values themselves:
 * nothing to train, nothing built in. Half of it is a sample of what the
 * table holds, values taken whole at a stride over its keys (a walk of
 * the table, 1-20 ms on 20,000 records; a sample full before the last
 * key is thinned to every other value and the walk goes on); the rest,
 * its end, the latest
 * values written, which zstd finds first. A table whose records grow
 * (notify's record of a case's messages, rewritten at each one) writes
 * young records at any moment: a dictionary of the latest alone knew its
 * cases' first messages and not the ones they keep, and packed the records
 * kept for good to 485 bytes where the half and half packs them to about
 * 300. No value of a transaction that is undone stays learnt: the sample
 * reads the table as the transaction sees it, and a dictionary made in a
 * transaction that is undone is forgotten with it (zpack_learn.h).
 *
 * Dictionaries are kept in the store, in the table "zdicts" by a 4-byte
 * number, sealed (they hold the words of the values they were learnt
 * from). Each packed value names its own, so a dictionary is dropped only
 * when no value can name it: after a pass that wrote every value again
 * (the re-seal of a rotation, reseal.c), those that were no table's newest
 * when the pass began (zpack_retire_plan, zpack_retire). "zcurrent" names
 * each table's newest, how many it has had, and its first window's share
 * once measured (12 bytes; builds before read the first 8). A dictionary made
 * in a transaction that is undone is forgotten with it (zpack_end), never
 * used for a value that outlives it.
 *
 * A dictionary holds words of the values it was learnt from for as long as
 * it is kept (sealed, like them). So the tables whose values are deleted
 * by age or replaced whole (the stream log, stored replies, dead letters,
 * the assistance roll, notify's timers, the roster's drafts) are sealed
 * and never packed (store_table_brief).
 *
 * A packed value, sealed as SEAL_PACKED: NUMBER (4 bytes, big-endian),
 * then one zstd frame (its size in its header).
 *
 * One per store, used by the thread that writes (as the store's scratch).
 */
#ifndef LA_ZPACK_H
#define LA_ZPACK_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "seal.h"
#include "zpack_learn.h"

#define ZPACK_DICT_BYTES ZPACK_LEARN_KEEP
#ifndef ZPACK_FIRST_BYTES /* a build may set both lower, to pack the suite's few values */
#define ZPACK_FIRST_BYTES (16 * 1024)
#endif
#ifndef ZPACK_FIRST_VALUES
#define ZPACK_FIRST_VALUES 1024
#endif
#define ZPACK_AGAIN 100000
#define ZPACK_DRIFT_VALUES 1024 /* a window of values whose packing is measured */
#define ZPACK_DRIFT 1.5 /* a window packed this much worse than the first: learnt again */
#define ZPACK_BASE_ONE 1e6 /* the first window's share, kept in zcurrent, in millionths */
#define ZPACK_MIN 24    /* a smaller value is kept as it is */
#define ZPACK_HEAD 4    /* the dictionary's number */
#define ZPACK_MAX_DICTS 64 /* held in memory; more are read again */
#define ZPACK_LEVEL 1 /* as small as 3 on our values, with a fifth of the memory */

typedef struct zpack zpack_t;

/* Opens (creating) "zcurrent" in txn and makes the packer of a store whose
 * dictionaries are in dicts (a sealed table the caller opened, so that the
 * re-seal walks it), sealed for owner (seal.h's place; kept, not copied).
 * 0 or an LMDB code. */
int zpack_open(zpack_t **z, MDB_txn *txn, MDB_dbi dicts, const char *owner);
/* Frees what z holds (NULL: nothing). */
void zpack_free(zpack_t *z);

/* Packs clear (n bytes), a value of the sealed table (dbi, name) put in
 * txn, at depth (1: the outermost transaction; see zpack_end). Learns from it and may make the table's next dictionary in txn.
 * Returns 1 with *out (held by z until its next call) and *outlen, 0 when
 * the value is better kept as it is (small, no dictionary yet, no gain),
 * or an LMDB code or -errno. */
int zpack_pack(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, MDB_dbi dbi, const char *name,
               const void *clear, size_t n, const void **out, size_t *outlen, int depth);

/* The size of packed (n bytes) once unpacked, or -EBADMSG. */
long zpack_size(const void *packed, size_t n);
/* Unpacks packed (n bytes) into out (zpack_size bytes). 0, -EBADMSG (not a
 * packed value, or its dictionary missing), or an LMDB code. */
int zpack_unpack(zpack_t *z, MDB_txn *txn, const seal_ring_t *ring, const void *packed, size_t n,
                 void *out, size_t size);

/* A transaction at depth (1: the outermost) ended: undone, the
 * dictionaries made in it are forgotten; committed into its parent, they
 * become the parent's. */
void zpack_end(zpack_t *z, int undone, int depth);

/* A pass that will write every value of the store again begins in txn:
 * notes under meta's key the dictionaries it may drop when it ends, those
 * txn holds that are no table's newest. Every value written before the
 * pass names one of them or a newest; every value written after, a newest
 * or a later one. 0 or an LMDB code. */
int zpack_retire_plan(zpack_t *z, MDB_txn *txn, MDB_dbi meta, const char *key);
/* The pass ended, every value written again: drops the dictionaries the
 * plan under meta's key named (none without one), from the store and from
 * memory, wiped, and the plan. *dropped: how many. 0 or an LMDB code. */
int zpack_retire(zpack_t *z, MDB_txn *txn, MDB_dbi meta, const char *key, size_t *dropped);

/* Values packed and kept as they are, and dictionaries made, since the
 * start (the benchmark's figures). */
typedef struct zpack_counts {
    uint64_t packed, kept, in_bytes, out_bytes, dicts;
} zpack_counts_t;
void zpack_counts(const zpack_t *z, zpack_counts_t *out);

#endif
