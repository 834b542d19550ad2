/*
 * eligibility.h - the eligibility service: consumes intake's stream,
 * decides each application or defence notification under the Legal Aid
 * Law, keeps the decision in its "decisions" table and publishes
 * EligibilityDecided with its legal basis and deadlines.
 */
#ifndef LA_ELIGIBILITY_H
#define LA_ELIGIBILITY_H

#include "daemon.h"

typedef struct eligibility_config {
    long long review_days;                /* receipt -> decision (art. 43(1)) */
    long long assign_after_decision_days; /* decision -> assignment (art. 43(1)) */
    long long assign_after_notice_days;   /* authority's notice -> appointment (art. 36) */
    long long verification_days;          /* commitment letter -> check done (art. 41) */
    char *rule_version;                   /* recorded in every decision */
} eligibility_config_t;

extern eligibility_config_t eligibility_config;
extern const service_t eligibility_service;

#endif
