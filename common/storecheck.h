/*
 * storecheck.h - is an LMDB environment whole enough to run on (issue 18,
 * item 4)?
 *
 * A truncated data.mdb is a bus error at the first read of a page past its
 * end; a page overwritten with garbage is an LMDB assertion (abort), a
 * segmentation fault or MDB_CORRUPTED, wherever it is first read. Before a
 * daemon opens its tables, storecheck_env compares the file with what the
 * meta page says it holds (its last page inside the file and the map), and
 * reads the root and both ends of every table in a read transaction, with
 * SIGBUS, SIGSEGV and LMDB's assertion caught (a sigsetjmp-guarded region):
 * what it finds is one line of why, not a crash, and the daemon exits
 * EXIT_DAMAGED (76), which systemd does not restart.
 *
 * Outside the check, storecheck_watch keeps the same faults from ending in
 * a silent restart loop: a bus error or an LMDB assertion later (a page
 * damaged where the check did not read) writes "data damaged" and exits 76.
 */
#ifndef LA_STORECHECK_H
#define LA_STORECHECK_H

#include <lmdb.h>
#include <stddef.h>

/* The exit status of damaged data (daemon.h's EXIT_DAMAGED). */
#define STORECHECK_EXIT 76

/* Checks env (just opened; no transaction yet in this process). 0, or -1
 * with what is damaged in why ("data.mdb is 8192 bytes, its pages need
 * 32768"). */
int storecheck_env(MDB_env *env, char *why, size_t whylen);

/* From now until the process ends: a SIGBUS, or an LMDB assertion on env,
 * logs "data damaged: ...; restore from backup, see README" and exits
 * STORECHECK_EXIT. For daemons only (tests keep their own handlers). */
void storecheck_watch(MDB_env *env);

#endif
