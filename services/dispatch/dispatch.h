/*
 * dispatch.h - the dispatch service: the lawyer pool, and the assignment
 * of a lawyer to every case eligibility approves (least loaded first),
 * with a queue for cases no lawyer can take yet. LawyersImported,
 * LawyerAssigned and AssignmentQueued on its stream.
 */
#ifndef LA_DISPATCH_H
#define LA_DISPATCH_H

#include "daemon.h"

typedef struct dispatch_config {
    long long default_capacity; /* open cases per lawyer when the import gives none */
} dispatch_config_t;

extern dispatch_config_t dispatch_config;
extern const service_t dispatch_service;

#endif
