/*
 * notify.h - the notify service: one notification per party an upstream
 * event concerns (the applicant, the lawyer, the notifying authority),
 * recorded exactly once, listed per case.
 */
#ifndef LA_NOTIFY_H
#define LA_NOTIFY_H

#include "daemon.h"

typedef struct notify_config {
    long long utc_offset_minutes; /* local time for dates in the texts */
} notify_config_t;

extern notify_config_t notify_config;
extern const service_t notify_service;

#endif
