/*
 * zpack_learn.h - a table's latest values, the stuff of its next packing
 * dictionary (zpack.h), kept so that no value of a transaction that is
 * undone (a refused request, a turn given up) is ever learnt: a value
 * waits in its transaction's part until the outermost commits, and an
 * undo cuts it away. The memory holds clear personal data: mapped apart,
 * left out of core dumps, wiped when given back.
 */
#ifndef LA_ZPACK_LEARN_H
#define LA_ZPACK_LEARN_H

#include <stddef.h>

#define ZPACK_LEARN_KEEP (32 * 1024)    /* the latest bytes a dictionary is made of */
#define ZPACK_LEARN_PENDING (32 * 1024) /* the open transactions' together, at most */
#define ZPACK_LEARN_DEPTHS 8

typedef struct zpack_learn {
    unsigned char *buf; /* committed [0, len), then the open transactions' [len, len + plen) */
    size_t len, plen;
    struct {
        int depth;
        size_t at; /* where its values begin in the pending part */
    } mark[ZPACK_LEARN_DEPTHS];
    int nmarks;
} zpack_learn_t;

/* Keeps v (n bytes), a value put in a transaction at depth (1: the
 * outermost). Values past ZPACK_LEARN_PENDING of the open transactions
 * together (a big turn learns from its first 32 KB), and those nested
 * deeper than ZPACK_LEARN_DEPTHS, are not kept. */
void zpack_learn_add(zpack_learn_t *l, const void *v, size_t n, int depth);
/* The transaction at depth ended: undone, its values are wiped; committed,
 * they become its parent's, or everyone's at depth 1. */
void zpack_learn_end(zpack_learn_t *l, int undone, int depth);
/* The bytes kept, and the latest ZPACK_LEARN_KEEP of them (*n). */
size_t zpack_learn_bytes(const zpack_learn_t *l);
const unsigned char *zpack_learn_latest(const zpack_learn_t *l, size_t *n);
void zpack_learn_free(zpack_learn_t *l);

/* n bytes for clear personal data: mapped apart, left out of core dumps
 * (MADV_DONTDUMP); zpack_learn_release wipes and unmaps them. */
unsigned char *zpack_learn_alloc(size_t n);
void zpack_learn_release(unsigned char *p, size_t n);
/* The same for zstd's own allocations (its customMem: opaque unused),
 * whose buffers keep fragments of the last values packed or unpacked. */
void *zpack_learn_zalloc(void *opaque, size_t n);
void zpack_learn_zfree(void *opaque, void *p);

#endif
