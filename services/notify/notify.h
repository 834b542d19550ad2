/*
 * notify.h - the notify service: one notification per party an upstream
 * event concerns (the applicant, the lawyer, the notifying authority),
 * recorded exactly once, listed per case.
 */
#ifndef LA_NOTIFY_H
#define LA_NOTIFY_H

#include "daemon.h"

extern const service_t notify_service;

#endif
