/*
 * eligibility_config.c - the [eligibility] keys, their defaults and what
 * each means (the daemon's key table), and the configuration they are read
 * into. A table of the bottom floor: every step reads eligibility_config,
 * none needs the entry file for it.
 */
#include <stddef.h>

#include "eligibility_int.h"

/* Weekends are rest days before the configuration is read too (the pure
 * rules and the day count are used without a daemon in tests). */
eligibility_config_t eligibility_config = {.weekend_is_rest_day = 1};

#define OFF(f) offsetof(eligibility_config_t, f)
const cfg_key_t eligibility_config_keys[] = {
    {"review_days", CFG_INT, "7", 1, 60, OFF(review_days),
     "days from receipt to the decision, the starting day excluded (Legal Aid Law art. 43(1))"},
    {"assign_after_decision_days", CFG_INT, "3", 1, 30, OFF(assign_after_decision_days),
     "days from granting aid to assigning a lawyer (Legal Aid Law art. 43(1))"},
    {"assign_after_notice_days", CFG_INT, "3", 1, 30, OFF(assign_after_notice_days),
     "days from an authority's notification to appointing a lawyer (Legal Aid Law art. 36)"},
    {"verification_days", CFG_INT, "30", 1, 365, OFF(verification_days),
     "days to verify a commitment letter on economic hardship after the decision (art. 41)"},
    {"rule_version", CFG_STRING, "2022-01-01", 0, 0, OFF(rule_version),
     "version of the rule set, recorded in every decision"},
    {"income_standards", CFG_STRING, "", 0, 0, OFF(income_standards),
     "hardship standard by effective date, 'YYYY-MM-DD:yuan per head per month,...' (art. 34; "
     "Inner Mongolia's value is OPEN-1: empty means no declared-income route)"},
    {"art31_additions", CFG_STRING, "", 0, 0, OFF(art31_additions),
     "matters admitted under art. 31(9), comma-separated (regional additions, OPEN-2)"},
    {"same_day_categories", CFG_STRING, "labour_arbitration", 0, 0, OFF(same_day_categories),
     "matter categories on the 'five same-day' fast track (local practice, OPEN-6)"},
    {"green_channel_age_min", CFG_INT, "65", 50, 100, OFF(green_channel_age_min),
     "age from which the elderly get the green channel (seed article: 65; statute: 60)"},
    {"urgent_deadline_days", CFG_INT, "7", 1, 60, OFF(urgent_deadline_days),
     "a limitation period or deadline closer than this makes the case an emergency (art. 44)"},
    {"materials_deadline_days", CFG_INT, "15", 1, 180, OFF(materials_deadline_days),
     "days to supply missing materials before the application is deemed withdrawn "
     "(art. 43(2); local, OPEN-3)"},
    {"verification_share_percent", CFG_INT, "10", 0, 100, OFF(verification_share_percent),
     "share of commitment cases drawn for the check afterwards (R-ECON-07(f))"},
    {"objection_review_days", CFG_INT, "5", 1, 30, OFF(objection_review_days),
     "days for the justice bureau to decide an objection (art. 49)"},
    {"objection_file_days", CFG_INT, "0", 0, 365, OFF(objection_file_days),
     "days to file an objection after the decision; 0: no limit (the law sets none, OPEN-4)"},
    {"materials_pause_clock", CFG_BOOL, "true", 0, 0, OFF(materials_pause_clock),
     "the decision clock stops while missing materials are awaited (2012 rules art. 13; "
     "the 2023 text is [VERIFY])"},
    {"objection_officers", CFG_STRING, "", 0, 0, OFF(objection_officers),
     "justice-bureau officers who may decide objections (art. 49), comma-separated; empty: "
     "any named officer"},
    {"objection_body", CFG_STRING, ELIGIBILITY_OBJECTION_BODY_DEFAULT, 0, 0, OFF(objection_body),
     "the justice bureau objections go to, named in every refusal's and termination's "
     "objection route (art. 49: the bureau of the government that set up the centre); "
     "empty: the default"},
    {"weekend_is_rest_day", CFG_BOOL, "true", 0, 0, OFF(weekend_is_rest_day),
     "a period ending on a Saturday or Sunday ends at the end of the next working day "
     "(民法典 art. 203; DOMAIN R-TIME-00); a calendar WORKDAY (make-up working day) is not a "
     "rest day"},
    {"roll_max_age_days", CFG_INT, "45", 1, 3650, OFF(roll_max_age_days),
     "a civil-affairs roll export older than this answers 'unavailable'"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};
