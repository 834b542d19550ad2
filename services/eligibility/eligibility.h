/*
 * eligibility.h - the eligibility service: consumes intake's stream (and
 * dispatch's, for terminations of aid),
 * decides each application or defence notification under the Legal Aid
 * Law, keeps the decision in its "decisions" table and publishes
 * EligibilityDecided with its legal basis and deadlines.
 */
#ifndef LA_ELIGIBILITY_H
#define LA_ELIGIBILITY_H

#include "daemon.h"

/* Art. 49: the justice bureau of the government that set up the centre,
 * to which an applicant objects; [eligibility] objection_body's default. */
#define ELIGIBILITY_OBJECTION_BODY_DEFAULT "包头市司法局"

typedef struct eligibility_config {
    long long review_days;                /* receipt -> decision (art. 43(1)) */
    long long assign_after_decision_days; /* decision -> assignment (art. 43(1)) */
    long long assign_after_notice_days;   /* authority's notice -> appointment (art. 36) */
    long long verification_days;          /* commitment letter -> check done (art. 41) */
    char *rule_version;                   /* recorded in every decision */
    char *income_standards;               /* "YYYY-MM-DD:yuan,...", by effective date (art. 34) */
    char *art31_additions;                /* matters admitted under art. 31(9), comma-separated */
    char *same_day_categories;            /* matter categories on the "five same-day" fast track */
    long long green_channel_age_min;      /* age from which the elderly get the green channel */
    long long urgent_deadline_days;       /* art. 44: a deadline closer than this is an emergency */
    long long materials_deadline_days;    /* art. 43(2): supply by then or deemed withdrawn */
    long long verification_share_percent; /* commitment cases drawn for the check afterwards */
    long long objection_review_days;      /* art. 49: the justice bureau decides within */
    long long objection_file_days;        /* 0: no limit for filing an objection (OPEN-4) */
    long long roll_max_age_days;          /* an older roll export answers "unavailable" */
    int materials_pause_clock;            /* the decision clock stops while materials are awaited */
    char *objection_officers;             /* justice-bureau officers who decide objections */
    char *objection_body;                 /* art. 49: the bureau objections go to */
    int weekend_is_rest_day;              /* Saturdays and Sundays end no period (R-TIME-00) */
} eligibility_config_t;

/* The configuration read at start (eligibility_config.c). */
extern eligibility_config_t eligibility_config;
extern const service_t eligibility_service;

#endif
