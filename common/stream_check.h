/*
 * stream_check.h - is a daemon's stream log consistent enough to serve
 * (issue 15, item 4)?
 *
 * storecheck.h finds a damaged file; this finds a stream log whose pages
 * read well but whose contents cannot be: a gap in the sequence (the log
 * runs 1, 2, 3 ... with no hole, or from its oldest kept event once
 * trimmed: stream.h), a key that is not a sequence
 * number, a consumer acknowledged past the head, the appended-at index
 * (stream_age.h) pointing past the head. Served as it is, consumers would
 * skip events or wait for ones that never come; the daemon logs one "data
 * damaged" line and exits EXIT_DAMAGED (76) instead, which systemd does
 * not restart: staff restore from a backup.
 */
#ifndef LA_STREAM_CHECK_H
#define LA_STREAM_CHECK_H

#include <stddef.h>

#include "stream.h"

/* Checks s (opened in txn). 0, or -1 with what is wrong in why ("the stream
 * log has 5 events but its head is 7"). A store error reading it is
 * returned as it is (> 0). */
int stream_check(stream_t *s, MDB_txn *txn, char *why, size_t whylen);

#endif
