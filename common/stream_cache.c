/*
 * stream_cache.c - the clear bytes of the stream events read lately (see
 * stream_cache.h).
 */
#include "stream_cache.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

/* The pages of a buffer of budget bytes. */
static size_t stream_cache_map_len(size_t budget)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return budget ? (budget + page - 1) / page * page : page;
}

/* The clear bytes are personal data: one mapping, made once at the
 * budget's size and left out of a core dump (MADV_DONTDUMP) from the
 * start; its pages are locked out of swap (stream_cache_ready) only as the
 * entries first reach them, so that a daemon that never answers a fetch
 * (roster, an idle one) keeps none of it resident. sodium_malloc's guard
 * pages would cost as much again per entry. */
static unsigned char *stream_cache_map(size_t budget)
{
    size_t len = stream_cache_map_len(budget);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        log_fatal("out of memory");
        abort();
    }
    madvise(p, len, MADV_DONTDUMP);
    return p;
}

/* Locks the pages under the first end bytes before an entry is copied
 * there, in steps of 16 pages (a lock per few dozen events until the cache
 * has once been full, then none). A lock refused (RLIMIT_MEMLOCK) is said
 * once and the cache works unlocked. */
static void stream_cache_ready(stream_cache_t *c, size_t end)
{
    static int lock_refused;
    if (end <= c->ready) return;
    size_t len = stream_cache_map_len(c->budget), step = 16 * stream_cache_map_len(1);
    size_t to = (end + step - 1) / step * step;
    if (to > len) to = len;
    if (!c->unlocked && sodium_mlock(c->bytes + c->ready, to - c->ready) != 0) {
        c->unlocked = 1;
        if (!lock_refused++)
            log_warn("stream cache: %zu bytes of opened events not locked in memory (%s): they "
                     "may be swapped out; raise the locked memory limit (LimitMEMLOCK=)",
                     len, strerror(errno));
    }
    c->ready = to;
}

void stream_cache_init(stream_cache_t *c, size_t budget)
{
    memset(c, 0, sizeof *c);
    c->budget = budget;
    c->bytes = stream_cache_map(budget);
    c->slot = xmalloc(STREAM_CACHE_EVENTS * sizeof *c->slot);
}

void stream_cache_free(stream_cache_t *c)
{
    stream_cache_clear(c);
    if (c->bytes) {
        /* Wipes what entries ever reached too; the rest was never touched. */
        if (c->ready) sodium_munlock(c->bytes, c->ready);
        munmap(c->bytes, stream_cache_map_len(c->budget));
    }
    free(c->slot);
    memset(c, 0, sizeof *c);
}

void stream_cache_clear(stream_cache_t *c)
{
    if (c->used) sodium_memzero(c->bytes, c->used);
    c->used = 0;
    c->n = 0;
}

/* Where the entry i begins (the end of the last one for i == n). */
static size_t stream_cache_at(const stream_cache_t *c, size_t i)
{
    return i < c->n ? c->slot[i].at : c->used;
}

/* Drops the k oldest entries: what stays moves to the front of the
 * buffer, and the bytes it leaves behind are wiped. */
static void stream_cache_drop(stream_cache_t *c, size_t k)
{
    size_t from = stream_cache_at(c, k), kept = c->used - from;
    memmove(c->bytes, c->bytes + from, kept);
    sodium_memzero(c->bytes + kept, from);
    memmove(c->slot, c->slot + k, (c->n - k) * sizeof *c->slot);
    c->n -= k;
    for (size_t i = 0; i < c->n; i++) c->slot[i].at -= from;
    c->first += k;
    c->used = kept;
}

/* Room for one more entry of need bytes. A quarter of the budget (and of
 * the slots) more than needed is made at once, so that what stays is
 * moved once per quarter filled, not once per event. */
static void stream_cache_make_room(stream_cache_t *c, size_t need)
{
    if (c->used + need <= c->budget && c->n < STREAM_CACHE_EVENTS) return;
    size_t k = 0;
    while (k < c->n && (c->used - stream_cache_at(c, k) + need > c->budget / 4 * 3 ||
                        c->n - k > STREAM_CACHE_EVENTS / 4 * 3))
        k++;
    stream_cache_drop(c, k);
}

/* Entries of another generation are forgotten. */
static void stream_cache_generation(stream_cache_t *c, uint64_t epoch)
{
    if (epoch == c->epoch) return;
    stream_cache_clear(c);
    c->epoch = epoch;
}

int stream_cache_get(stream_cache_t *c, uint64_t epoch, uint64_t seq, MDB_val *v)
{
    stream_cache_generation(c, epoch);
    if (!c->n || seq < c->first || seq - c->first >= c->n) return 0;
    const stream_cache_slot_t *e = &c->slot[seq - c->first];
    if (e->sealed_len != v->mv_size || memcmp(c->bytes + e->at, v->mv_data, v->mv_size) != 0) {
        stream_cache_clear(c); /* rewritten since: what else it holds may be too */
        return 0;
    }
    v->mv_data = c->bytes + e->at + e->sealed_len;
    v->mv_size = e->clear_len;
    c->hits++;
    return 1;
}

void stream_cache_put(stream_cache_t *c, uint64_t epoch, uint64_t seq, const MDB_val *sealed,
                      const MDB_val *clear)
{
    size_t need = sealed->mv_size + clear->mv_size;
    if (need > c->budget / 4) return;
    stream_cache_generation(c, epoch);
    if (c->n && seq < c->first + c->n) return; /* older than the run: a consumer far behind */
    if (c->n && seq > c->first + c->n) stream_cache_clear(c); /* a gap: start again here */
    stream_cache_make_room(c, need);
    stream_cache_ready(c, c->used + need);
    if (!c->n) c->first = seq;
    stream_cache_slot_t *e = &c->slot[c->n++];
    e->at = c->used;
    e->sealed_len = (uint32_t)sealed->mv_size;
    e->clear_len = (uint32_t)clear->mv_size;
    memcpy(c->bytes + e->at, sealed->mv_data, sealed->mv_size);
    memcpy(c->bytes + e->at + e->sealed_len, clear->mv_data, clear->mv_size);
    c->used += need;
}
