/*
 * NAME
 *      legalaid-eligibility - decides legal-aid applications and
 *      authorities' defence notifications under the Legal Aid Law
 *
 * SYNOPSIS
 *      legalaid-eligibility [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      Consumes intake's stream and decides each application once, then
 *      again whenever its facts change, publishing EligibilityDecided with
 *      the outcome, every test applied and its result, the articles of the
 *      Legal Aid Law relied on, the rule version and the deadlines:
 *
 *      - scope: art. 31 items (31(9) additions by configuration), victims
 *        (art. 29), defence on application (art. 24), retrials (art. 33),
 *        authorities' notifications (art. 25(1), 25(2), 28: no means test,
 *        a lawyer within 3 days, art. 36); outside it: refused, with the
 *        objection route (art. 49);
 *      - means, as distinct paths: none at all (art. 32), presumed on proof
 *        of status (art. 42), the civil-affairs assistance roll (低保, 特困,
 *        低收入; yes / no / unavailable, and unavailable never blocks),
 *        the commitment letter (告知承诺, art. 41) unless a past false one
 *        bars it, declared income against the standard in force (art. 34);
 *        otherwise one notice of everything missing (art. 43(2));
 *      - priority: green channel, emergency aid (art. 44), the "five
 *        same-day" fast track;
 *      - deadlines: the decision 7 days after receipt (art. 43(1)), the
 *        clock stopped while materials are awaited; materials within 15
 *        days of the notice (one notice, one deadline); periods in days end
 *        at 24:00 of their last day, and a last day that is a rest day
 *        (a Saturday or Sunday not made a working day, or a holiday of the
 *        imported calendar) moves the end to the next working day (DOMAIN
 *        R-TIME-00, 民法典 art. 203).
 *
 *      Intake's MaterialsSupplemented (with the commitment signed, the
 *      declared income and a proof of status it carries) re-decides a case
 *      awaiting materials, a case corrected by objection as the correction
 *      was; ApplicationWithdrawn closes it (recorded on a final case too, so
 *      that no correction revives it); the tick deems it withdrawn when the
 *      materials deadline passes (art. 43(2)). Requests: ImportAssistanceRoll,
 *      ImportCalendar, VerifyCommitment (once per case; truthful: APPROVED,
 *      means verified; false: aid refused or terminated and the route barred
 *      next time, art. 41, 48, 64),
 *      FileObjection / DecideObjection (art. 49, decided within 5 days),
 *      GetDecision, GetObjection. An event that can never be decided goes to
 *      the dead letters.
 *
 *      Every approval carries the case's facts (CaseFacts: ground, minor,
 *      form of aid, county, language, the applicant's name and ID number,
 *      the opposing party, co-defendants, related cases, art. 31 item) for
 *      dispatch to match a lawyer on. Consumes dispatch's stream: aid
 *      terminated there (CaseTerminated, art. 48) is recorded as a
 *      TERMINATED decision with the article and the objection route (art.
 *      49), so an objection can be filed against it.
 *
 * CONFIGURATION
 *      Section [eligibility] of CONFIG. The keys every daemon has (endpoint,
 *      data_dir, sync, utc_offset_minutes ...: README.md, "Configuration
 *      reference"), the endpoint of [intake] (its stream), and the keys of
 *      eligibility listed there with their defaults: review_days = 7,
 *      assign_after_decision_days = 3, assign_after_notice_days = 3,
 *      verification_days = 30, rule_version = 2022-01-01, income_standards
 *      (empty), art31_additions (empty), same_day_categories =
 *      labour_arbitration, green_channel_age_min = 65, urgent_deadline_days
 *      = 7, materials_deadline_days = 15, materials_pause_clock = true,
 *      verification_share_percent = 10, objection_review_days = 5,
 *      objection_file_days = 0, objection_officers (empty: any named
 *      officer), objection_body = 包头市司法局 (the justice bureau objections
 *      go to, art. 49), roll_max_age_days = 45, weekend_is_rest_day = true.
 *
 * SIGNALS
 *      SIGTERM, SIGINT: finish the turn in hand, close cleanly, exit 0.
 *
 * FILES
 *      data_dir/data.mdb, data_dir/lock.mdb: the LMDB environment.
 *
 * EXIT STATUS
 *      0 after a clean stop; 78 for a bad configuration (do not restart);
 *      75 for a temporary failure (cannot bind, cannot open LMDB;
 *      restarted); 76 for damaged data (an LMDB environment that is corrupt
 *      or of another LMDB version: restore it from a backup; do not restart).
 */
#include "eligibility.h"
#include "sections.h"

int main(int argc, char **argv)
{
    return daemon_main(&eligibility_service, sections_check, argc, argv);
}
