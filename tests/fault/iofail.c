/*
 * iofail.c - an LD_PRELOAD shim that makes one I/O call fail once (issue 18,
 * item 10): the fault test loads it into one daemon and the exactly-once
 * checks must still hold.
 *
 *   LEGALAID_IOFAIL_PROG   the program it acts in ("legalaid-intake"); any
 *                          other process it is loaded into is left alone
 *   LEGALAID_IOFAIL_CALL   fdatasync, fsync, pwrite or msync; or pwrite-dsync:
 *                          only the pwrites on a file opened O_DSYNC (LMDB
 *                          writes its meta page, the commit itself, so)
 *   LEGALAID_IOFAIL_AT     which call of that function fails (1 = the first)
 *   LEGALAID_IOFAIL_ERRNO  EIO (default) or ENOSPC
 *   LEGALAID_IOFAIL_LOG    a file the shim appends one line to when it
 *                          fails a call (so the test knows it did)
 *
 * Only the first process of that program fails a call: a daemon restarted
 * after the failure (it inherits the environment) finds the log line and
 * counts no more. Calls that fail do nothing (nothing reaches the file).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

extern char *program_invocation_short_name;

static atomic_long iofail_calls;

/* 1 when this call of fn is the one to fail (and says so in the log). */
static int iofail_now(const char *fn, int fd)
{
    const char *prog = getenv("LEGALAID_IOFAIL_PROG");
    const char *call = getenv("LEGALAID_IOFAIL_CALL");
    const char *at = getenv("LEGALAID_IOFAIL_AT");
    const char *log = getenv("LEGALAID_IOFAIL_LOG");
    if (!prog || !call || !at || strcmp(prog, program_invocation_short_name) != 0) return 0;
    if (strcmp(call, "pwrite-dsync") == 0) {
        int fl = fcntl(fd, F_GETFL);
        if (strcmp(fn, "pwrite") != 0 || fl < 0 || !(fl & O_DSYNC)) return 0;
        fn = call;
    } else if (strcmp(call, fn) != 0) {
        return 0;
    }
    /* Once per test: a restarted daemon sees the line already written. */
    if (log && access(log, F_OK) == 0) return 0;
    long n = atomic_fetch_add(&iofail_calls, 1) + 1;
    if (n != atol(at)) return 0;
    const char *e = getenv("LEGALAID_IOFAIL_ERRNO");
    int err = e && strcmp(e, "ENOSPC") == 0 ? ENOSPC : EIO;
    if (log) {
        int lfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (lfd >= 0) {
            char line[200];
            int len = snprintf(line, sizeof line, "iofail: %s call %ld in %s (pid %ld) failed with %s\n",
                               fn, n, prog, (long)getpid(), err == ENOSPC ? "ENOSPC" : "EIO");
            if (write(lfd, line, (size_t)len) < 0) len = 0;
            close(lfd);
        }
    }
    errno = err;
    return 1;
}

#define IOFAIL_NEXT(name, type) ((type)dlsym(RTLD_NEXT, name))

int fdatasync(int fd)
{
    if (iofail_now("fdatasync", fd)) return -1;
    return IOFAIL_NEXT("fdatasync", int (*)(int))(fd);
}

int fsync(int fd)
{
    if (iofail_now("fsync", fd)) return -1;
    return IOFAIL_NEXT("fsync", int (*)(int))(fd);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    if (iofail_now("pwrite", fd)) return -1;
    return IOFAIL_NEXT("pwrite", ssize_t(*)(int, const void *, size_t, off_t))(fd, buf, n, off);
}

int msync(void *addr, size_t len, int flags)
{
    if (iofail_now("msync", -1)) return -1;
    return IOFAIL_NEXT("msync", int (*)(void *, size_t, int))(addr, len, flags);
}
