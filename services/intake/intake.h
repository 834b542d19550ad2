/*
 * intake.h - the intake service: applications and authorities' defence
 * notifications in, case numbers out, ApplicationReceived and
 * DefenceNotificationReceived on its stream; it hears dispatch's
 * conclusions and terminations and eligibility's
 * decisions to know which cases are still open.
 */
#ifndef LA_INTAKE_H
#define LA_INTAKE_H

#include "daemon.h"

typedef struct intake_config {
    char *centres; /* comma-separated centre codes; the first is the default */
} intake_config_t;

extern intake_config_t intake_config;
/* The [intake] keys (intake_config.c). */
extern const cfg_key_t intake_config_keys[];
extern const service_t intake_service;

#endif
