/*
 * xalloc.h - allocation that aborts on out-of-memory (STYLE.md: the one
 * place where running out of memory is handled). The functions keep the
 * names every C reader knows, x + the libc name, rather than the file's
 * prefix: the one exception tests/structure/floors.sh allows.
 *
 * Each behaves as its libc namesake, except that it never returns NULL: out
 * of memory logs "out of memory" at fatal level and aborts. A size (or
 * count) of 0 allocates 1 byte, so the result is always a distinct pointer
 * to free() with free().
 */
#ifndef LA_XALLOC_H
#define LA_XALLOC_H

#include <stddef.h>

/* size bytes, uninitialised. */
void *xmalloc(size_t size);
/* n * size bytes, zeroed. */
void *xcalloc(size_t n, size_t size);
/* Grows or shrinks p (NULL: a new block) to size bytes; p is invalid after. */
void *xrealloc(void *p, size_t size);
/* A malloc'ed copy of the NUL-terminated s. */
char *xstrdup(const char *s);

#endif
