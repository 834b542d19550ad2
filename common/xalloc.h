/*
 * xalloc.h - allocation that aborts on out-of-memory (STYLE.md: the one
 * place where running out of memory is handled).
 */
#ifndef LA_XALLOC_H
#define LA_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

#endif
