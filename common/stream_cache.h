/*
 * stream_cache.h - the clear bytes of the stream events read lately, so
 * that an event sent to one consumer is not unsealed again for the next
 * (performance issue 16: each of dispatch's consumers fetches the same
 * events, and opening each one in libsodium was most of what answering
 * them cost).
 *
 * It keeps a run of consecutive seqs (first .. first + n - 1) of one
 * generation of the log (stream_t.epoch), each as the sealed value the log
 * held and its clear bytes, in one buffer of a fixed budget, oldest
 * dropped first. It follows the newest reads: a seq after a gap starts the
 * run again there, one older than the run is not kept (a consumer far
 * behind opens its events as before).
 *
 * Why it never answers with anything but what opening the log would give:
 * a value is answered only when the sealed value the log holds now is the
 * very one cached, byte for byte (the same bytes under the same key id
 * open to the same clear bytes, and reseal.c never lets a key id change
 * its key), so a value rewritten under the same seq (a re-seal, a restored
 * or another environment) is opened again, and one that would not open is
 * never answered from here: only what opened is put. Another generation
 * empties it, and the daemon empties it whenever its store is opened
 * again (daemon_store.c). Only events a read-only transaction saw
 * committed are put (fetch.c answers after the commit).
 *
 * Clear bytes are personal data: they are kept in one mapping left out of
 * core dumps (MADV_DONTDUMP) and locked out of swap as entries first reach
 * its pages (a cache that never keeps anything, as in a daemon no consumer
 * fetches from, costs no resident memory), and whatever is dropped,
 * emptied or freed is wiped (sodium_memzero) first.
 */
#ifndef LA_STREAM_CACHE_H
#define LA_STREAM_CACHE_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#define STREAM_CACHE_BYTES (1u << 20) /* the daemon's budget: sealed and clear bytes */
#define STREAM_CACHE_EVENTS 4096      /* events kept at most, whatever their size */

typedef struct stream_cache_slot {
    size_t at;                      /* where its sealed value begins in bytes */
    uint32_t sealed_len, clear_len; /* its clear bytes follow the sealed value */
} stream_cache_slot_t;

typedef struct stream_cache {
    size_t budget;        /* the size of bytes; 0 (zeroed, or freed): keeps nothing */
    unsigned char *bytes; /* the entries of seq first.. in order, in its first used bytes */
    size_t used;
    size_t ready;              /* the first pages entries ever reached: locked, wiped when freed */
    int unlocked;              /* a lock was refused: not tried again */
    stream_cache_slot_t *slot; /* n of STREAM_CACHE_EVENTS: seq first + i in slot[i] */
    size_t n;
    uint64_t first, epoch; /* the generation its entries are of */
    uint64_t hits;         /* events answered without opening them */
} stream_cache_t;

/* Readies c to keep up to budget bytes (one mapping of budget bytes, not
 * dumped, its pages locked only as entries reach them, and one allocation
 * of the slots; out of memory aborts; a lock refused is a warning, once). */
void stream_cache_init(stream_cache_t *c, size_t budget);

/* Wipes and frees what c holds; c then keeps nothing (a zeroed one is
 * left as it is). */
void stream_cache_free(stream_cache_t *c);

/* Forgets every entry (wiped); c keeps its budget. */
void stream_cache_clear(stream_cache_t *c);

/* Looks up the event seq of generation epoch whose sealed value, as the
 * log holds it now, is *v: 1 with *v pointing at its clear bytes, valid
 * until the next stream_cache_put or stream_cache_clear (copy them out
 * before); 0 (*v untouched) when not kept. A value kept under seq that is
 * not *v empties c. */
int stream_cache_get(stream_cache_t *c, uint64_t epoch, uint64_t seq, MDB_val *v);

/* Keeps clear, what the sealed value sealed of event seq (generation
 * epoch) opened to, both copied. Only after it opened, in a read-only
 * transaction. An event larger than a quarter of the budget is not kept. */
void stream_cache_put(stream_cache_t *c, uint64_t epoch, uint64_t seq, const MDB_val *sealed,
                      const MDB_val *clear);

#endif
