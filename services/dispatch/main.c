/*
 * NAME
 *      legalaid-dispatch - keeps the pool of legal-aid providers, offers each
 *      approved case to a lawful and fairly chosen one, and follows the case
 *      to its reviewed closing file
 *
 * SYNOPSIS
 *      legalaid-dispatch [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      The pool (ImportLawyers): lawyers, grassroots legal workers,
 *      volunteers and qualified centre staff (Legal Aid Law art. 12-15), with
 *      firm, licence date, criminal defence since, specialties, languages,
 *      counties, juvenile qualification, declared conflicts, status and
 *      capacity. Recruitment: min_practice_years of practice and no
 *      disciplinary record; staff need a qualification (art. 13). Each bad
 *      record is reported by index and field while the good ones go in.
 *
 *      Consumes eligibility's stream. An approved case is offered to one
 *      provider chosen by the hard rules (art. 13, 17, 25, 26; minors;
 *      conflicts; capacity; never again one who declined), then suitability
 *      (specialty, language, county), then the fair share of lawyer and firm
 *      (LawyerOffered, with the explanation). AnswerOffer accepts or declines
 *      with a code; an offer lapses after offer_hours; nobody left puts the
 *      case in the staff queue (AssignmentQueued), offered again in the order
 *      of work (overdue, emergency, same day, green channel, first come)
 *      whenever the pool or a load changes. AssignManually lets staff choose
 *      within the same hard rules. Acceptance publishes LawyerAssigned with
 *      the notifying authority, to be told (art. 36).
 *
 *      AdvanceCase: ASSIGNED -> AGREEMENT_SIGNED (agreement_days) ->
 *      IN_PROGRESS -> CONCLUDED (closing_file_days) -> FILE_SUBMITTED ->
 *      REVIEWED by RecordReview (一卷二评: two peer reviewers, a third on a
 *      gap over review_gap_max; grades from the cut-offs) and ReviewReport
 *      per firm or county. ReleaseLawyer: replacement (art. 55), a
 *      defendant's refusal (own_counsel_days, then appointed again), own
 *      counsel. TerminateAid: the eight grounds of art. 48 (CaseTerminated,
 *      with the objection route of art. 49). The tick acts on the deadlines:
 *      offers lapse, the 3-day assignment, the agreement, the closing file,
 *      the review and own counsel (DeadlineMissed). Queries: GetAssignment,
 *      DispatchQueueQuery, LawyersQuery.
 *
 * CONFIGURATION
 *      Section [dispatch] of CONFIG. The keys every daemon has (endpoint,
 *      data_dir, sync, utc_offset_minutes ...: README.md, "Configuration
 *      reference"), the endpoint of [eligibility] (its stream), and:
 *      default_capacity = 10, offer_hours = 24, min_practice_years = 2,
 *      capital_case_min_years = 3, judicial_cooling_years = 2,
 *      agreement_days = 5, closing_file_days = 30, file_review_days = 30,
 *      own_counsel_days = 5, reassign_days = 3, weight_specialty = 4,
 *      weight_language = 2, weight_county = 1, firm_fairness_percent = 50,
 *      fair_band_offers = 2, fair_band_percent = 20,
 *      review_indicators = 案卷材料:20,办案程序:25,法律文书:25,办案效果:20,受援人评价:10
 *      (name:points adding up to 100), grade_excellent_min = 90,
 *      grade_good_min = 75, grade_pass_min = 60, review_gap_max = 15,
 *      objection_body = 包头市司法局 (the justice bureau a termination's
 *      objection goes to, art. 49), weekend_is_rest_day = true (periods in
 *      days end by the imported holiday calendar and, when true, move past
 *      weekends: R-TIME-00).
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
#include "dispatch.h"
#include "sections.h"

int main(int argc, char **argv)
{
    return daemon_main(&dispatch_service, sections_check, argc, argv);
}
