/*
 * dispatch.h - the dispatch service: the provider pool, lawful and fair
 * offers of each approved case, the case from acceptance to its reviewed
 * closing file (DOMAIN sections 7, 8, 9), and its configuration.
 */
#ifndef LA_DISPATCH_H
#define LA_DISPATCH_H

#include "daemon.h"

typedef struct dispatch_config {
    long long default_capacity;       /* open cases per lawyer when the import gives none */
    long long offer_hours;            /* an unanswered offer lapses after this */
    long long min_practice_years;     /* recruitment: two years or more of practice */
    long long capital_case_min_years; /* art. 26: criminal defence years for life/death cases */
    long long judicial_cooling_years; /* S3 art. 41: former court staff may not defend */
    long long agreement_days;         /* S6 art. 27: entrustment agreement signed */
    long long hearing_notice_days;    /* S3 art. 49, T-10: a hearing's notice to the defender */
    long long closing_file_days;      /* art. 50, R-CLOSE-02: closing file after conclusion */
    long long file_review_days;       /* T-19: the centre reviews the file */
    long long own_counsel_days;       /* S3 art. 50: a refusing defendant retains counsel */
    long long reassign_days;          /* art. 43(1): days to assign again after a release */
    long long weight_specialty;       /* ranking: points for the matter's specialty */
    long long weight_language;        /* ranking: points for the applicant's language */
    long long weight_county;          /* ranking: points for serving the matter's county */
    long long firm_fairness_percent;  /* ranking: weight of the firm's share beside the lawyer's */
    long long fair_band_offers;       /* a share this many offers off the ideal is flagged */
    long long fair_band_percent;      /* ... or this many percent of it, whichever is larger */
    char *review_indicators;          /* "name:points,..." adding up to 100 (R-QUAL-02/03) */
    long long grade_excellent_min;    /* OPEN-9: average at or above: excellent */
    long long grade_good_min;         /* ... good */
    long long grade_pass_min;         /* ... pass; below: fail */
    long long review_gap_max;         /* two reviews further apart: a third review */
    long long intern_supervisor_years; /* internships: a supervisor's years of practice */
    long long intern_supervisor_max;   /* ... interns one supervisor guides at once */
    long long intern_reply_days;       /* ... days a candidate has to answer an offer */
    char *objection_body;             /* art. 49: the justice bureau objections go to */
    int weekend_is_rest_day;          /* Saturdays and Sundays end no period (R-TIME-00) */
} dispatch_config_t;

/* The [dispatch] objection_body when none is configured (the seeds' city). */
#define DISPATCH_OBJECTION_BODY_DEFAULT "包头市司法局"

extern dispatch_config_t dispatch_config;
extern const service_t dispatch_service;

#endif
