/*
 * datalock.c - one daemon per data directory and per ipc:// socket (see
 * datalock.h).
 */
#include "datalock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* The pid the holder wrote into the lock file, or 0. */
static long datalock_holder(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return 0;
    buf[n] = 0;
    return strtol(buf, NULL, 10);
}

int datalock_take(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        long pid = e == EWOULDBLOCK ? datalock_holder(fd) : 0;
        if (e == EWOULDBLOCK)
            snprintf(err, errlen, "%s is held by pid %ld", path, pid);
        else
            snprintf(err, errlen, "%s: %s", path, strerror(e));
        close(fd);
        return -1;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int datalock_data_dir(const char *data_dir, char *err, size_t errlen)
{
    if (mkdir(data_dir, 0700) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", data_dir, strerror(errno));
        return -1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/daemon.lock", data_dir);
    return datalock_take(path, err, errlen);
}

/* 1 when some process accepts connections on the socket at path. */
static int datalock_socket_live(const char *path)
{
    struct sockaddr_un sa;
    if (strlen(path) >= sizeof sa.sun_path) return 0;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path));
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return 0;
    int live = connect(s, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(s);
    return live;
}

int datalock_endpoint(const char *endpoint, char *err, size_t errlen)
{
    static const char ipc[] = "ipc://";
    if (strncmp(endpoint, ipc, sizeof ipc - 1) != 0) return -2;
    const char *sock = endpoint + sizeof ipc - 1;
    if (sock[0] == '@' || sock[0] == '*') return -2; /* abstract or wildcard: no file */
    char path[4096];
    snprintf(path, sizeof path, "%s.lock", sock);
    int fd = datalock_take(path, err, errlen);
    if (fd < 0) return -1;
    if (datalock_socket_live(sock)) {
        snprintf(err, errlen, "another process answers on %s", endpoint);
        close(fd);
        return -1;
    }
    return fd;
}

void datalock_release(int fd)
{
    if (fd >= 0) close(fd);
}
