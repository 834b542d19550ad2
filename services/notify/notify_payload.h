/*
 * notify_payload.h - what an attempt sends (notify_payload.c): the JSON
 * body of a message and the spool channel's file. A module header because
 * the unit tests check both directly.
 */
#ifndef LA_NOTIFY_PAYLOAD_H
#define LA_NOTIFY_PAYLOAD_H

#include <stddef.h>

#include "legalaid.pb-c.h"

/* The JSON body posted for n (malloc'ed; free it). to is the list of
 * phones or "" for a webhook. */
char *notify_payload_json(const Legalaid__Notification *n);

/* Writes n to dir as one file, atomically (temp file, fsync, rename, fsync
 * of the directory). Returns 0 or -errno with error filled. */
int notify_payload_spool_write(const char *dir, const Legalaid__Notification *n, char *error,
                               size_t errlen);

#endif
