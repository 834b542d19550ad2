/*
 * zpack_learn.c - the stuff of a table's next dictionary: its latest
 * values, learnt only once committed, and a sample of what it holds
 * (see zpack_learn.h).
 */
#include "zpack_learn.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <sodium.h>

#include "log.h"
#include "xalloc.h"

#define ZPACK_LEARN_CAP (2 * ZPACK_LEARN_KEEP + ZPACK_LEARN_PENDING)

unsigned char *zpack_learn_alloc(size_t n)
{
    void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        log_fatal("out of memory");
        abort();
    }
    madvise(p, n ? n : 1, MADV_DONTDUMP);
    return p;
}

void zpack_learn_release(unsigned char *p, size_t n)
{
    if (!p) return;
    sodium_memzero(p, n);
    munmap(p, n ? n : 1);
}

/* A zstd block: its size in the first 16 bytes, then what zstd uses. */
#define ZPACK_LEARN_ZHEAD 16

void *zpack_learn_zalloc(void *opaque, size_t n)
{
    (void)opaque;
    unsigned char *p = zpack_learn_alloc(n + ZPACK_LEARN_ZHEAD);
    memcpy(p, &n, sizeof n);
    return p + ZPACK_LEARN_ZHEAD;
}

void zpack_learn_zfree(void *opaque, void *p)
{
    (void)opaque;
    if (!p) return;
    unsigned char *base = (unsigned char *)p - ZPACK_LEARN_ZHEAD;
    size_t n;
    memcpy(&n, base, sizeof n);
    zpack_learn_release(base, n + ZPACK_LEARN_ZHEAD);
}

void zpack_learn_add(zpack_learn_t *l, const void *v, size_t n, int depth)
{
    if (depth < 1 || l->plen + n > ZPACK_LEARN_PENDING) return;
    if (l->nmarks == 0 || l->mark[l->nmarks - 1].depth < depth) {
        if (l->nmarks == ZPACK_LEARN_DEPTHS) return;
        l->mark[l->nmarks].depth = depth;
        l->mark[l->nmarks].at = l->plen;
        l->nmarks++;
    }
    if (!l->buf) l->buf = zpack_learn_alloc(ZPACK_LEARN_CAP);
    memcpy(l->buf + l->len + l->plen, v, n);
    l->plen += n;
}

/* Keeps the committed part within 2 x ZPACK_LEARN_KEEP: its newest half. */
static void zpack_learn_slide(zpack_learn_t *l)
{
    if (l->len <= 2 * ZPACK_LEARN_KEEP) return;
    memmove(l->buf, l->buf + l->len - ZPACK_LEARN_KEEP, ZPACK_LEARN_KEEP);
    sodium_memzero(l->buf + ZPACK_LEARN_KEEP, l->len - ZPACK_LEARN_KEEP);
    l->len = ZPACK_LEARN_KEEP;
}

void zpack_learn_end(zpack_learn_t *l, int undone, int depth)
{
    int i = 0;
    while (i < l->nmarks && l->mark[i].depth < depth) i++;
    if (i == l->nmarks) return; /* nothing learnt at that depth */
    if (undone) {
        size_t at = l->mark[i].at;
        sodium_memzero(l->buf + l->len + at, l->plen - at);
        l->plen = at;
        l->nmarks = i;
    } else if (depth <= 1) {
        l->len += l->plen;
        l->plen = 0;
        l->nmarks = 0;
        zpack_learn_slide(l);
    } else if (i > 0 && l->mark[i - 1].depth == depth - 1) {
        l->nmarks = i; /* its values join the parent's, which began before */
    } else {
        l->mark[i].depth = depth - 1;
        l->nmarks = i + 1;
    }
}

size_t zpack_learn_bytes(const zpack_learn_t *l)
{
    return l->len + l->plen;
}

const unsigned char *zpack_learn_latest(const zpack_learn_t *l, size_t *n)
{
    size_t all = l->len + l->plen;
    *n = all < ZPACK_LEARN_KEEP ? all : ZPACK_LEARN_KEEP;
    return l->buf ? l->buf + all - *n : NULL;
}

void zpack_learn_free(zpack_learn_t *l)
{
    zpack_learn_release(l->buf, ZPACK_LEARN_CAP);
    memset(l, 0, sizeof *l);
}

unsigned char *zpack_learn_sample_work(zpack_learn_sample_t *s)
{
    if (!s->work) s->work = zpack_learn_alloc(2 * ZPACK_LEARN_SAMPLE_MAX);
    return s->work;
}

int zpack_learn_sample_add(zpack_learn_sample_t *s, const void *v, size_t n)
{
    if (s->len + n > ZPACK_LEARN_SAMPLE_CAP) return 0;
    if (!s->buf) s->buf = zpack_learn_alloc(ZPACK_LEARN_SAMPLE_CAP);
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->ends = xrealloc(s->ends, s->cap * sizeof *s->ends);
    }
    memcpy(s->buf + s->len, v, n);
    s->len += n;
    s->ends[s->n++] = s->len;
    return 1;
}

void zpack_learn_sample_thin(zpack_learn_sample_t *s)
{
    size_t len = 0, n = 0;
    for (size_t i = 0; i < s->n; i += 2) {
        size_t at = i ? s->ends[i - 1] : 0, vn = s->ends[i] - at;
        memmove(s->buf + len, s->buf + at, vn);
        len += vn;
        s->ends[n++] = len;
    }
    if (s->buf) sodium_memzero(s->buf + len, s->len - len);
    s->len = len;
    s->n = n;
}

size_t zpack_learn_sample_words(const zpack_learn_sample_t *s, const unsigned char *latest,
                                size_t latestlen, unsigned char *out, size_t *taken)
{
    /* Of n values of len bytes, about keep / (len / n) fit: every value
     * whose share crosses a whole one is taken (i * picks / n steps). */
    *taken = 0;
    size_t half = latestlen < ZPACK_LEARN_KEEP / 2 ? latestlen : ZPACK_LEARN_KEEP / 2;
    size_t keep = ZPACK_LEARN_KEEP - half, got = 0;
    size_t picks = s->len <= keep ? s->n : (size_t)((double)s->n * keep / (double)s->len);
    if (picks == 0 && s->n) picks = 1;
    for (size_t i = 0; i < s->n && got < keep; i++) {
        if (picks < s->n && (i * picks) / s->n == ((i + 1) * picks) / s->n) continue;
        size_t at = i ? s->ends[i - 1] : 0, n = s->ends[i] - at;
        if (n > keep - got) n = keep - got; /* the last one cut short */
        memcpy(out + got, s->buf + at, n);
        got += n;
        ++*taken;
    }
    if (latestlen > ZPACK_LEARN_KEEP - got) {
        latest += latestlen - (ZPACK_LEARN_KEEP - got);
        latestlen = ZPACK_LEARN_KEEP - got;
    }
    if (latestlen) memcpy(out + got, latest, latestlen);
    return got + latestlen;
}

void zpack_learn_sample_free(zpack_learn_sample_t *s)
{
    zpack_learn_release(s->buf, ZPACK_LEARN_SAMPLE_CAP);
    zpack_learn_release(s->work, 2 * ZPACK_LEARN_SAMPLE_MAX);
    free(s->ends);
    memset(s, 0, sizeof *s);
}
