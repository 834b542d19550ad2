/*
 * store_calls.h - how many LMDB write calls this thread has made (mdb_put,
 * mdb_del, mdb_cursor_put, mdb_cursor_del, mdb_drop), so that a turn
 * (commit.c) knows whether a request or event that failed wrote anything:
 * one that wrote nothing leaves nothing to undo, and needs no transaction
 * of its own. Every program linked with la_util has its calls counted: the
 * build links it with --wrap=mdb_put and the others (CMakeLists.txt), so
 * each call passes through store_calls.c on its way to LMDB.
 */
#ifndef LA_STORE_CALLS_H
#define LA_STORE_CALLS_H

#include <stdint.h>

/* The write calls this thread has made since it began, and its changes
 * noted (store_calls_changed). */
uint64_t store_calls_writes(void);

/* Counts as a write a change in memory that follows the open write
 * transaction and is undone with it (dispatch_poolmem.c's kept-back
 * shares): a failure after it leaves something to undo. */
void store_calls_changed(void);

#endif
