/*
 * datalock.h - one daemon per data directory and per ipc:// socket (issue
 * 18, item 3).
 *
 * At start a daemon takes an exclusive flock on DATA_DIR/daemon.lock and,
 * for an ipc:// endpoint, on SOCKET.lock beside the socket, and holds both
 * for its life (the kernel drops them when the process ends, even after a
 * SIGKILL: nothing stale is left to clean up). A second copy started on
 * the same directory or socket finds the lock held and refuses to start,
 * naming the holder's pid: it never opens the LMDB environment behind the
 * first one's back, and never unlinks and re-binds the socket the first one
 * answers on (what ZeroMQ's ipc:// bind does to a socket file in the way).
 * A live socket with no lock beside it (a daemon of an older release) is
 * refused the same way: the bind would take it over.
 */
#ifndef LA_DATALOCK_H
#define LA_DATALOCK_H

#include <stddef.h>

/* Takes the lock file path (created 0600, holding our pid) for the life of
 * the process: the open descriptor (>= 0), or -1 with why in err ("held by
 * pid N" when another process has it, or what failed). */
int datalock_take(const char *path, char *err, size_t errlen);

/* The data directory's lock (creating the directory 0700 when missing). */
int datalock_data_dir(const char *data_dir, char *err, size_t errlen);

/* For an ipc:// endpoint: the lock beside its socket, then a connect to the
 * socket (refused when some process answers there). Other endpoints need
 * no lock (a tcp:// bind in use fails by itself): returns -2. */
int datalock_endpoint(const char *endpoint, char *err, size_t errlen);

/* Releases a lock taken above (fd < 0: nothing). */
void datalock_release(int fd);

#endif
