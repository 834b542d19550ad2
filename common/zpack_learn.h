/*
 * zpack_learn.h - the stuff of a table's next packing dictionary
 * (zpack.h): its latest values, kept so that no value of a transaction
 * that is undone (a refused request, a turn given up) is ever learnt (a
 * value waits in its transaction's part until the outermost commits, and
 * an undo cuts it away), and a sample of the values it holds, gathered by
 * zpack.c's walk of the table, thinned when full, shared out with the
 * latest into the dictionary's words. The memory holds clear personal
 * data: mapped apart, left out of core dumps, wiped when given back.
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

/* A sample of what a table holds, the stuff of its next dictionary when
 * its latest values are not what it keeps: a table whose records grow
 * (notify's record of a case's messages, rewritten at each one) writes
 * mostly young records at any moment, so its latest 32 KB know a case's
 * first messages and not its last. Values are taken whole, in key order,
 * at a stride over the table (zpack.c); zpack_learn_sample_words keeps an
 * even share of them that fits a dictionary. */
#define ZPACK_LEARN_SAMPLE_CAP ZPACK_LEARN_KEEP /* values gathered, at most: twice their share */
#define ZPACK_LEARN_SAMPLE_MAX (ZPACK_LEARN_SAMPLE_CAP / 4) /* a larger value is not taken */
typedef struct zpack_learn_sample {
    unsigned char *buf; /* the values end to end (ZPACK_LEARN_SAMPLE_CAP) */
    unsigned char *work; /* 2 x ZPACK_LEARN_SAMPLE_MAX: a value opened, then unpacked */
    size_t len;
    size_t *ends; /* where each ends in buf */
    size_t n, cap;
} zpack_learn_sample_t;

/* Where a value is opened and unpacked before it is added: two halves
 * of ZPACK_LEARN_SAMPLE_MAX bytes, mapped once for the sample (a mapping
 * per value costs a TLB shootdown across the process's threads at each
 * unmap: 100 us a value on a 2-core VM). */
unsigned char *zpack_learn_sample_work(zpack_learn_sample_t *s);
/* Adds v (n bytes) whole; 0 once the sample is full (v not taken). */
int zpack_learn_sample_add(zpack_learn_sample_t *s, const void *v, size_t n);
/* Keeps every other value (the first, the third, ...), wiping the rest:
 * room for a walk that has not reached the end of its table. */
void zpack_learn_sample_thin(zpack_learn_sample_t *s);
/* The words of a dictionary into out (ZPACK_LEARN_KEEP bytes): an even
 * share of the sample's values, in their order, within half of it, then
 * the latest values (latestlen bytes) in the rest, newest last (zstd finds
 * the end of a dictionary first: what is written now). Their length;
 * *taken: how many of the sample's values are in it. */
size_t zpack_learn_sample_words(const zpack_learn_sample_t *s, const unsigned char *latest,
                                size_t latestlen, unsigned char *out, size_t *taken);
/* Wipes and frees what s holds. */
void zpack_learn_sample_free(zpack_learn_sample_t *s);

/* n bytes for clear personal data: mapped apart, left out of core dumps
 * (MADV_DONTDUMP); zpack_learn_release wipes and unmaps them. */
unsigned char *zpack_learn_alloc(size_t n);
void zpack_learn_release(unsigned char *p, size_t n);
/* The same for zstd's own allocations (its customMem: opaque unused),
 * whose buffers keep fragments of the last values packed or unpacked. */
void *zpack_learn_zalloc(void *opaque, size_t n);
void zpack_learn_zfree(void *opaque, void *p);

#endif
