/*
 * notify_rules.h - which parties an upstream event concerns and what each
 * is told.
 */
#ifndef LA_NOTIFY_RULES_H
#define LA_NOTIFY_RULES_H

#include "daemon.h"

/* The service's apply(): records the event's notifications. An event kind
 * that concerns nobody records nothing and returns 0; an event that lacks
 * what its kind needs (no case, no lawyer) is rejected to the dead
 * letters. Returns 0, LA_EREJECT or a store error. */
int notify_event_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev);

#endif
