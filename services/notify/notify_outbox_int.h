/*
 * notify_outbox_int.h - what the outbox's files share (notify_outbox.c,
 * notify_outbox_ops.c, notify_station.c): the tables and small helpers.
 */
#ifndef LA_NOTIFY_OUTBOX_INT_H
#define LA_NOTIFY_OUTBOX_INT_H

#include "daemon.h"

extern MDB_dbi notify_outbox_due_dbi, notify_outbox_dead_dbi, notify_station_box_dbi;

/* station NUL id(BE64); key must hold strlen(station) + 9 bytes. */
size_t notify_outbox_station_key(const char *station, uint64_t id, unsigned char *key);
/* Adds delta to a "meta" counter. */
int notify_outbox_meta_add(turn_t *t, const char *name, uint64_t delta);
/* Puts n in "outbox_due" at its next_attempt_at. */
int notify_outbox_due_put(turn_t *t, const Legalaid__Notification *n);
/* Emits NotificationDelivered for n and counts it. */
int notify_outbox_emit_delivered(turn_t *t, const Legalaid__Notification *n);

#endif
