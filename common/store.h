/*
 * store.h - LMDB helpers: one environment per daemon, named tables,
 * big-endian integer keys (cursor order is numeric order), protobuf values,
 * map growth on MDB_MAP_FULL, and the values of sealed tables sealed under
 * the data key (seal.h) when written and opened when read.
 *
 * Status convention: 0, an LMDB code (negative, MDB_NOTFOUND ...), or
 * -errno. store_strerror() names either.
 *
 * @note An MDB_val never outlives its transaction: store_get_pb() unpacks
 * (copies) the value before returning.
 */
#ifndef LA_STORE_H
#define LA_STORE_H

#include <lmdb.h>
#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#include "seal.h"

#define STORE_MAX_TABLES 48

/* A table whose values are sealed (store_table_sealed). */
typedef struct store_sealed {
    const char *name;
    MDB_dbi dbi;
    int brief; /* store_table_brief: never packed */
} store_sealed_t;

struct zpack;

typedef struct store {
    MDB_env *env;
    size_t map_size;
    char *dir;
    /* Sealing (seal.h): values of the sealed tables are sealed under ring
     * when it is set (store_seal), and opened through store_value(). */
    const seal_ring_t *ring;
    const char *owner; /* the daemon: seal.h's place, bound into every value */
    store_sealed_t sealed[STORE_MAX_TABLES];
    int n_sealed;
    unsigned char *scratch; /* the last opened value, clear (wiped after use) */
    size_t scratch_cap;
    /* Packing (zpack.h), once store_pack opened it: the values of sealed
     * tables packed before they are sealed. */
    struct zpack *zpack;
    MDB_dbi zdicts;
    unsigned char *packed; /* the last opened packed value (wiped after use) */
    size_t packed_cap;
    int copying; /* store_copy_fd runs (under the copy lock of store.c) */
} store_t;

/* Opens (creating) the environment in dir. nosync relaxes durability
 * (MDB_NOSYNC: unsafe, only when configured so). Clears stale readers left
 * by killed processes. Returns 0 or an error. */
int store_open(store_t *s, const char *dir, size_t map_size, int nosync);
/* Seals from now on under ring (kept by the caller; NULL: no sealing),
 * for owner (the daemon's name, kept by the caller: a value sealed for one
 * daemon does not open in another's store). The values of sealed tables
 * are sealed when written and opened when read; whether a value is sealed
 * is in its first bytes, so clear values written before still read. */
void store_seal(store_t *s, const seal_ring_t *ring, const char *owner);
/* From now on, while sealing, packs the values of sealed tables with a
 * dictionary of their table (zpack.h), kept in the sealed table "zdicts",
 * which it opens (creating) in txn. A store never packed, or packed in
 * part, reads as before. 0 or an error. */
int store_pack(store_t *s, MDB_txn *txn);

/* Closes the environment and frees dir; s may be opened again. Harmless
 * on a store never opened. */
void store_close(store_t *s);

/* Doubles the map size. Only with no transaction open in this process.
 * Returns 0 or an error. */
int store_grow(store_t *s);

/* Writes a compacted copy of the environment (mdb_env_copyfd2,
 * MDB_CP_COMPACT) to fd, from a consistent read snapshot, while other
 * threads keep writing. Meant for a worker thread: store_grow waits for it
 * to finish, since moving the map under its reader is not allowed. 0 or an
 * LMDB code. */
int store_copy_fd(store_t *s, int fd);
/* Around a read of the environment from another thread than the one that
 * writes (a copy): store_grow waits for the release before it remaps. */
void store_copy_hold(store_t *s);
void store_copy_release(store_t *s);

/* A table of the environment for store_repack: its name and handle. */
typedef struct store_table_ref {
    char name[64];
    MDB_dbi dbi;
} store_table_ref_t;
/* On the thread that writes, with no transaction of it open: every table
 * the environment holds, opened (a handle must not be opened while
 * another thread opens one), into refs (at most max; *n of them). 0, an
 * LMDB code, or -E2BIG: more tables than max, or a name longer than a
 * ref holds. */
int store_repack_tables(store_t *s, store_table_ref_t *refs, int max, int *n);
/* Writes to the new file path a copy of the environment, from one read
 * snapshot, in which every table's entries are put again in key order
 * (MDB_APPEND), so that its pages are full: a table whose entries came at
 * scattered places keeps pages half full (LMDB splits a full page in
 * two), which MDB_CP_COMPACT copies as they are (issue 16, the
 * footprint). Values are copied byte for byte, sealed as they were (a
 * seal binds the record's key and the daemon, not the page). refs: from
 * store_repack_tables; a table of the snapshot not among them fails the copy
 * (-EAGAIN). It relies on this code making and dropping tables only while
 * a store opens (the open hooks, store_table_drop), never in a turn: a
 * table dropped and another made during the copy could take its handle. For a worker thread, like store_copy_fd; the file is flushed
 * to disk before it returns. 0, or an LMDB code or -errno and no file. */
int store_repack(store_t *s, const char *path, const store_table_ref_t *refs, int n);
/* The id of the last committed write transaction, read from another
 * thread than the one that writes, guarded against a remap like a copy. */
int store_last_txnid(store_t *s, uint64_t *txnid);

/* Opens (creating) a named table inside txn; *dbi stays valid for the
 * environment's life once txn commits. Returns 0 or an error. */
int store_table(MDB_txn *txn, const char *name, MDB_dbi *dbi);

/* As store_table, for a table whose values may hold personal data: they
 * are sealed (store_put_pb, store_put_value) and the re-seal walks it. name
 * must outlive the store (a literal). */
int store_table_sealed(MDB_txn *txn, const char *name, MDB_dbi *dbi);
/* As store_table_sealed, for a table whose values are deleted by age or
 * replaced whole (a stream log, stored replies, an imported roll): sealed,
 * never packed, so that no packing dictionary keeps their words after
 * them (zpack.h). */
int store_table_brief(MDB_txn *txn, const char *name, MDB_dbi *dbi);

/* Deletes the table name of an older layout and frees its pages, when the
 * store has it (nothing otherwise). *dropped (may be NULL): its entries,
 * 0 when there was none. 0 or an error. */
int store_table_drop(MDB_txn *txn, const char *name, size_t *dropped);

/* Whether the failed write rc was the disk being full: ENOSPC or EDQUOT,
 * or EIO (what LMDB makes of a short write) while the file system of the
 * store has less than STORE_FULL_BYTES left. */
#define STORE_FULL_BYTES (1 << 20)
int store_disk_full(const store_t *s, int rc);

/* Write transactions, with their nesting counted: store_begin begins one
 * (a child when parent is given), store_commit commits it (store_rc of
 * mdb_txn_commit, after writing the counts held for it: store_tally.h),
 * store_undo aborts it (and forgets those counts). Every one that does not commit —
 * aborted, or a commit that failed — is counted (store_undone). A process
 * may register one function told of each end (store_on_end): undone or
 * not, and the depth the transaction had (1 for a top-level one), so that
 * what it keeps in memory of its tables (dispatch_poolmem.c) follows
 * LMDB's nesting. store_depth() is the depth of the innermost one open (0
 * outside any). */
int store_begin(MDB_env *env, MDB_txn *parent, MDB_txn **txn);
int store_commit(MDB_txn *txn);
void store_undo(MDB_txn *txn);
uint64_t store_undone(void);
int store_depth(void);
/* The id (mdb_txn_id) of the top-level write transaction open, and of its
 * children: a read-only one opened meanwhile has a lower one. */
size_t store_write_id(void);
void store_on_end(void (*fn)(int undone, int depth));

/* The text of a store error (an MDB_* code or -errno); static storage. */
const char *store_strerror(int rc);

/* Normalises an mdb_* return: positive errno becomes -errno. */
static inline int store_rc(int rc)
{
    return rc > 0 ? -rc : rc;
}

static inline void store_be64(uint64_t v, unsigned char out[8])
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

static inline uint64_t store_from_be64(const void *p)
{
    const unsigned char *b = p;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | b[i];
    return v;
}

/* A u64 value, 8 bytes big-endian, under a string key (meta counters,
 * offsets). A missing key reads as 0 with status 0. Both return 0 or a
 * store error. */
int store_get_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t *value);
int store_put_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t value);

/* Takes the next number of the counter key (1, 2, 3 ...) in txn. 0 or a
 * store error. */
int store_next_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t *next);

/* Packs m straight into the table (MDB_RESERVE). flags as for mdb_put. */
int store_put_pb(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t keylen,
                 const ProtobufCMessage *m, unsigned flags);
/* Unpacks the value under key with allocator (NULL: malloc). Returns 0,
 * MDB_NOTFOUND, or -EBADMSG when the stored bytes do not decode. */
int store_get_pb(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t keylen,
                 const ProtobufCMessageDescriptor *desc, ProtobufCAllocator *allocator,
                 ProtobufCMessage **out);

/* Puts n bytes under key, sealed when dbi is a sealed table and sealing is
 * on. flags as for mdb_put (not MDB_RESERVE). 0 or a store error. */
int store_put_value(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t keylen, const void *data,
                    size_t n, unsigned flags);
/* Opens the value v read under key k: a sealed value is replaced by its
 * clear bytes (unpacked when it was packed), valid until the next call on
 * this store; a clear one is left as it is. 0, -ENOKEY (its data key is
 * not in the key file, or sealing is off), -EBADMSG (it does not open; or
 * it is packed and its dictionary is missing, or the store was opened
 * without store_pack), -ENOMEM, or an LMDB code (reading its dictionary). */
int store_value(MDB_txn *txn, const MDB_val *k, MDB_val *v);
/* Unpacks the value v read under key k (store_value, then the message
 * with allocator; NULL: malloc). 0, -ENOKEY or -EBADMSG. */
int store_unpack(MDB_txn *txn, const MDB_val *k, const MDB_val *v,
                 const ProtobufCMessageDescriptor *desc, ProtobufCAllocator *allocator,
                 ProtobufCMessage **out);
/* store_unpack as an expression: the message (free or arena as for
 * allocator), or NULL when the value does not open or decode. */
static inline void *store_unpacked(MDB_txn *txn, const MDB_val *k, const MDB_val *v,
                                   const ProtobufCMessageDescriptor *desc,
                                   ProtobufCAllocator *allocator)
{
    ProtobufCMessage *m;
    return store_unpack(txn, k, v, desc, allocator, &m) == 0 ? m : NULL;
}
/* Wipes the clear bytes store_value left (after they were copied). */
void store_wipe(MDB_txn *txn);

/* The look-up key of a personal value (an ID number, a party's name): its
 * keyed hash under the store's index key (seal_hash), SEAL_HASH_LEN bytes
 * into out. Returns SEAL_HASH_LEN. */
size_t store_hash(MDB_txn *txn, const char *domain, const void *data, size_t n,
                  unsigned char out[SEAL_HASH_LEN]);

/* Number of entries in a table (0 when it cannot be read). */
uint64_t store_count(MDB_txn *txn, MDB_dbi dbi);

/* Calls fn on every record of dbi in key order, each unpacked as desc
 * (malloc'd, freed after fn; one that does not open or decode is passed
 * over), until fn returns non-zero: what filling a new index or counter
 * from the records of an older store does once at open. 0, fn's value, or
 * a store error. */
typedef int (*store_each_fn)(MDB_txn *txn, ProtobufCMessage *m, void *ctx);
int store_each_pb(MDB_txn *txn, MDB_dbi dbi, const ProtobufCMessageDescriptor *desc,
                  store_each_fn fn, void *ctx);

#endif
