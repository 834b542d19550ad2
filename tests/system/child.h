/*
 * child.h - starting a helper process for a system test or benchmark: the
 * daemons (procs.c), the loopback HTTP sink (sink.c).
 */
#ifndef LA_SYSTEM_CHILD_H
#define LA_SYSTEM_CHILD_H

#include <sys/types.h>

/* Starts argv[0] with argv, its stderr appended to log and its stdout to
 * /dev/null; its pid, or 0 after saying why on stderr. The caller stops
 * it by this pid, never by name. */
pid_t child_spawn(char *const argv[], const char *log);

#endif
