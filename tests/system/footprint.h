/*
 * footprint.h - what each daemon's LMDB environment keeps, table by table,
 * read from the data directories with a read-only transaction while the
 * daemons run (issue 16, point 3). The stream logs and the stored replies
 * are told apart from the rest: they are trimmed after stream_keep_days
 * and reply_keep_days, so what a centre holds for good, per application,
 * is the rest.
 */
#ifndef LA_SYSTEM_FOOTPRINT_H
#define LA_SYSTEM_FOOTPRINT_H

#include "procs.h"

/* Prints, each line starting with prefix: per daemon, the bytes per
 * application its tables hold for good and those its stream log and
 * stored replies hold until trimmed; then the largest tables kept for
 * good. held: the applications the stores hold. */
void footprint_print(const char *prefix, const procs_t *p, long held);

#endif
