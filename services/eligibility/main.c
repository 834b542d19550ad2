/*
 * NAME
 *      legalaid-eligibility - decides legal-aid applications and
 *      authorities' defence notifications under the Legal Aid Law
 *
 * SYNOPSIS
 *      legalaid-eligibility [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      Consumes intake's stream. For each ApplicationReceived or
 *      DefenceNotificationReceived it decides once per case and publishes
 *      EligibilityDecided with the outcome, how the economic condition was
 *      settled, the articles relied on, the rule version and the deadlines:
 *
 *      - a court, procuratorate or police notification of a suspect or
 *        defendant without counsel (Legal Aid Law art. 25(1) items 1-6,
 *        art. 28): approved without a means test, a lawyer to be appointed
 *        within 3 days of the notice (art. 36);
 *      - an application with a signed commitment letter (告知承诺, art. 41):
 *        approved pending verification, a lawyer to be assigned within 3
 *        days (art. 43(1));
 *      - otherwise: materials needed, with one notice of everything missing
 *        (art. 43(2)).
 *
 *      Every decision is due 7 days after receipt (art. 43(1)); periods in
 *      days exclude the starting day and end at 24:00 local time of their
 *      last day. An event without an application or case number goes to
 *      the dead letters. GetDecision{case_id} returns the decision.
 *
 * CONFIGURATION
 *      Section [eligibility] of CONFIG. The keys every daemon has (endpoint, data_dir,
 *      sync, utc_offset_minutes ...: README.md, "Configuration reference"), the
 *      endpoint of [intake] (its stream), and:
 *      review_days = 7                 receipt -> decision (art. 43(1))
 *      assign_after_decision_days = 3  decision -> lawyer assigned (art. 43(1))
 *      assign_after_notice_days = 3    authority's notice -> lawyer (art. 36)
 *      verification_days = 30          commitment letter verified by
 *      rule_version = 2022-01-01       recorded in every decision
 *
 * SIGNALS
 *      SIGTERM, SIGINT: finish the turn in hand, close cleanly, exit 0.
 *
 * FILES
 *      data_dir/data.mdb, data_dir/lock.mdb: the LMDB environment.
 *
 * EXIT STATUS
 *      0 after a clean stop; 78 for a bad configuration (do not restart);
 *      75 for a temporary failure (cannot bind, cannot open LMDB).
 */
#include "eligibility.h"

int main(int argc, char **argv)
{
    return daemon_main(&eligibility_service, argc, argv);
}
