/*
 * xalloc.c - see xalloc.h.
 */
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

static void *xalloc_check(void *p)
{
    if (!p) {
        log_fatal("out of memory");
        abort();
    }
    return p;
}

void *xmalloc(size_t size)
{
    return xalloc_check(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
    return xalloc_check(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t size)
{
    return xalloc_check(realloc(p, size ? size : 1));
}

char *xstrdup(const char *s)
{
    return xalloc_check(strdup(s));
}
