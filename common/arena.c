/*
 * arena.c - bump allocation in blocks (see arena.h).
 */
#include "arena.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "xalloc.h"

#define ARENA_BLOCK 65536

struct arena_block {
    arena_block_t *next;
    size_t used, size;
    max_align_t data[];
};

/* Past this many bytes freed since the last trim, the heap is trimmed:
 * blocks of the ordinary size come from the heap, and a freed run of them
 * in its middle would stay resident otherwise. At a quiet turn once no
 * turn was busy for ARENA_TRIM_EVERY_MS (a loaded daemon has quiet turns
 * between its busy ones too), and under load only every
 * ARENA_TRIM_BUSY_MS: a trim gives the pages back only for the next turns
 * to fault them in again (a hundred and fifty madvise calls a trim, each a
 * TLB shootdown across the cores; trimmed every second, in a profile of
 * 20,000 applications, with the faults after, 11 % of eligibility's CPU),
 * but never trimmed under load eligibility's heap grew from 13 to 28 MiB
 * in the same run (large values freed between turns, scattered). */
#define ARENA_TRIM_BYTES (4u << 20)
#define ARENA_TRIM_EVERY_MS 1000
#define ARENA_TRIM_BUSY_MS 5000
#define ARENA_QUIET_TURN (2 * ARENA_BLOCK)

/* A reset keeps blocks for the next turns rather than free them: under
 * load each turn (1.5 to more than 6 MB in a benchmark) took as much again
 * from malloc and gave it back. What is kept follows the load: the most a
 * turn took in the last one to two ARENA_KEEP_MS, at most ARENA_KEEP_MAX;
 * a quiet daemon's turns give the rest back. */
#define ARENA_KEEP_MAX (6u << 20)
#define ARENA_KEEP_MS 1000

static void *arena_take(arena_t *a, size_t size);

/* protobuf-c initializes what it unpacks into and copies every string and
 * array in whole: its memory is not zeroed first. */
static void *arena_pb_alloc(void *data, size_t size)
{
    arena_t *a = data;
    if (a->limit && (size > a->limit || a->used > a->limit - size)) {
        a->over_limit = 1;
        return NULL;
    }
    return arena_take(a, size);
}

void arena_limit(arena_t *a, size_t limit)
{
    a->limit = limit;
}

static void arena_pb_free(void *data, void *ptr)
{
    (void)data;
    (void)ptr;
}

void arena_init(arena_t *a)
{
    a->head = a->spare = NULL;
    a->spare_bytes = a->keep = a->window_max = a->window_prev = 0;
    a->keep_at = 0;
    a->used = a->limit = 0;
    a->over_limit = 0;
    a->pb.alloc = arena_pb_alloc;
    a->pb.free = arena_pb_free;
    a->pb.allocator_data = a;
}

/* size bytes, aligned, not zeroed. */
static void *arena_take(arena_t *a, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    arena_block_t *b = a->head;
    if (!b || b->used + size > b->size) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        if (cap == ARENA_BLOCK && a->spare) {
            b = a->spare;
            a->spare = b->next;
            a->spare_bytes -= ARENA_BLOCK;
        } else {
            b = xmalloc(sizeof *b + cap);
            b->size = cap;
        }
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    a->used += size;
    return p;
}

void *arena_alloc(arena_t *a, size_t size)
{
    void *p = arena_take(a, size);
    memset(p, 0, size);
    return p;
}

char *arena_strdup(arena_t *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena_take(a, n);
    memcpy(p, s, n);
    return p;
}

char *arena_printf(arena_t *a, const char *fmt, ...)
{
    /* Short texts (most) are formatted once, into a stack buffer. */
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0, small[0] = '\0';
    char *p = arena_take(a, (size_t)n + 1);
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
        return p;
    }
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *arena_new_message(arena_t *a, size_t size, void (*init)(void *))
{
    void *m = arena_alloc(a, size);
    init(m);
    return m;
}

void arena_reset(arena_t *a)
{
    size_t freed = 0, took = 0, turn = a->used;
    a->used = 0;
    a->over_limit = 0;
    for (arena_block_t *b = a->head; b; b = b->next)
        if (b->size == ARENA_BLOCK) took += ARENA_BLOCK;
    if (took > ARENA_KEEP_MAX) took = ARENA_KEEP_MAX;
    /* keep: the most a turn took in this window of ARENA_KEEP_MS and the
     * one before it (a busy turn a moment before a window ends still
     * counts in the next). */
    int64_t now = clock_mono_ms();
    if (now - a->keep_at >= ARENA_KEEP_MS) {
        a->window_prev = now - a->keep_at < 2 * ARENA_KEEP_MS ? a->window_max : 0;
        a->window_max = 0;
        a->keep_at = now;
    }
    if (took > a->window_max) a->window_max = took;
    a->keep = a->window_max > a->window_prev ? a->window_max : a->window_prev;
    /* The blocks of this turn join the spare ones, up to keep. */
    arena_block_t *b = a->head;
    a->head = NULL;
    while (b) {
        arena_block_t *next = b->next;
        if (b->size == ARENA_BLOCK && a->spare_bytes + ARENA_BLOCK <= a->keep) {
            b->next = a->spare;
            a->spare = b;
            a->spare_bytes += ARENA_BLOCK;
        } else {
            freed += b->size;
            free(b);
        }
        b = next;
    }
    while (a->spare && a->spare_bytes > a->keep) {
        arena_block_t *extra = a->spare;
        a->spare = extra->next;
        a->spare_bytes -= ARENA_BLOCK;
        freed += ARENA_BLOCK;
        free(extra);
    }
#ifdef __GLIBC__
    static _Thread_local size_t unreturned; /* bytes freed since the last trim */
    static _Thread_local int64_t last_busy = -ARENA_TRIM_EVERY_MS, last_trim;
    unreturned += freed;
    if (turn > ARENA_QUIET_TURN) last_busy = now;
    int quiet = now - last_busy >= ARENA_TRIM_EVERY_MS;
    if (unreturned >= ARENA_TRIM_BYTES &&
        (quiet || now - last_trim >= ARENA_TRIM_BUSY_MS)) {
        malloc_trim(0);
        unreturned = 0;
        last_trim = now;
    }
#endif
}

static void arena_free_list(arena_block_t *b)
{
    while (b) {
        arena_block_t *next = b->next;
        free(b);
        b = next;
    }
}

void arena_destroy(arena_t *a)
{
    arena_free_list(a->head);
    arena_free_list(a->spare);
    a->head = a->spare = NULL;
    a->spare_bytes = 0;
}
