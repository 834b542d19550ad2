/*
 * notify.h - the notify service: one notification per party an upstream
 * event concerns, rendered from template files, delivered exactly once
 * over its channel (SMS gateway, agency webhook, station terminal, spool
 * directory) with retries and dead letters, and a persisted timer for
 * every deadline an event carries.
 */
#ifndef LA_NOTIFY_H
#define LA_NOTIFY_H

#include <stddef.h>

#include "daemon.h"

extern const service_t notify_service;

/* Loads and checks the templates of every rule from dir (the daemon does
 * it at start from templates_dir; tests call it with the source tree's
 * deploy/notify-templates). Returns 0, or -1 with a message naming the
 * file and line in err. */
int notify_templates_reload(const char *dir, char *err, size_t errlen);

#endif
