/*
 * arena.h - a bump allocator for everything one loop turn allocates:
 * decoded requests (as a ProtobufCAllocator), replies, events under
 * construction. arena_reset() frees it all at once at the end of the turn.
 */
#ifndef LA_ARENA_H
#define LA_ARENA_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

typedef struct arena_block arena_block_t;

typedef struct arena {
    arena_block_t *head;
    arena_block_t *spare;  /* blocks of the ordinary size kept by a reset for the next turns */
    size_t spare_bytes;    /* their size */
    size_t keep;           /* how much a reset keeps: what the busiest recent turn took */
    size_t window_max;     /* the most a turn took in this window... */
    size_t window_prev;    /* ...and in the one before */
    long long keep_at;     /* when this window began (monotonic ms) */
    ProtobufCAllocator pb; /* hands out arena memory; its free is a no-op */
    size_t used;           /* bytes handed out since the last reset */
    size_t limit;          /* 0: none; else pb refuses to go past it (arena_limit) */
    int over_limit;        /* pb refused an allocation since the last reset */
} arena_t;

/* Makes a an empty arena (no memory until the first allocation). */
void arena_init(arena_t *a);
/* Returns zeroed memory valid until arena_reset(); aborts when out of memory. */
void *arena_alloc(arena_t *a, size_t size);
/* A copy of s, or the formatted text, in the arena (same lifetime). */
char *arena_strdup(arena_t *a, const char *s);
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bounds what the protobuf-c allocator a->pb hands out until the next reset
 * to limit bytes in all (0: no bound): past it pb's alloc returns NULL, so
 * that an unpack fails cleanly (and over_limit is set) instead of taking
 * whatever a small frame asks for. arena_alloc itself is never bounded. */
void arena_limit(arena_t *a, size_t limit);
/* Invalidates everything allocated from a. Blocks of the ordinary size are
 * kept for the next turns, as many as the busiest turn of the last second
 * or two took (at most ARENA_KEEP_MAX in arena.c); the rest, and every
 * large one, go back to the heap, and the heap to the system (malloc_trim)
 * a second after the last busy turn, or every five seconds under load. */
void arena_reset(arena_t *a);
/* Frees every block; a may be used again after arena_init. */
void arena_destroy(arena_t *a);

/* Typed allocation of a protobuf-c message, initialised with its init function. */
#define ARENA_NEW(a, type, init)                                                                   \
    ((type *)arena_new_message((a), sizeof(type), (void (*)(void *))(init)))
/* What ARENA_NEW expands to: size zeroed bytes, then init on them. */
void *arena_new_message(arena_t *a, size_t size, void (*init)(void *));

#endif
