/*
 * NAME
 *      legalaid-intake - takes legal-aid applications, authorities' defence
 *      notifications, supplied materials, withdrawals and consultations
 *
 * SYNOPSIS
 *      legalaid-intake [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      SubmitApplication: validates each application and names the field at
 *      fault: the channel and the station that took it; custody forwards
 *      with the facility and when it received the application (art. 39: a
 *      forward after 24 hours is accepted, flagged custody_forward_late and
 *      logged as a warning with the case number); who applies (art. 40:
 *      the person, a legal representative or near relative with proxy,
 *      relationship and proof of authority, a forwarding authority); ID
 *      documents (the 18-digit resident ID number with its birth date and
 *      check digit, passports, Hong Kong/Macao and Taiwan permits, foreign
 *      permanent residence IDs); phones; the art. 31 item of a civil,
 *      administrative, state compensation or labour matter (labour defaults
 *      to 31(5), state compensation to 31(1)); where a criminal defence
 *      applicant's case is (art. 24); the victim side's opposing party
 *      (art. 29); dates, groups, grounds and the materials list. It gives
 *      the case number CENTRE-YEAR-NNNNNN (per centre, per year, without
 *      gaps), stores the application and publishes ApplicationReceived, or
 *      DefenceNotificationReceived for a court, procuratorate or police
 *      notification (art. 25, 28, 36); the reply lists the materials
 *      received (the receipt). The same person (ID number) with an open
 *      case on the same kind of matter is linked to it (R-APP-02): the reply
 *      names that case with linked set, and nothing is stored, published or
 *      numbered.
 *
 *      SupplyMaterials adds documents to a case (MaterialsSupplemented);
 *      WithdrawApplication withdraws the applicant's own application
 *      (ApplicationWithdrawn; the case leaves the open-case index);
 *      RecordConsultation registers a consultation (art. 23) as
 *      C-CENTRE-YEAR-NNNNNN (ConsultationRecorded). GetApplication reads a
 *      case. Status counters: applications, withdrawn, linked_duplicates,
 *      consultations and consultations by channel. A reply is sent only
 *      after its change is durable.
 *
 *      Consumes eligibility's stream (a refusal, withdrawal or termination
 *      closes the case in the open-case index, a later decision re-opens
 *      it) and dispatch's (the matter concluded, or aid terminated under
 *      art. 48, closes it), so the person can apply again on that matter.
 *
 * CONFIGURATION
 *      Section [intake] of CONFIG. The keys every daemon has (endpoint, data_dir,
 *      sync, utc_offset_minutes ...: README.md, "Configuration reference"), and:
 *      centres = BT              centre codes; the first is the default
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
#include "intake.h"
#include "sections.h"

int main(int argc, char **argv)
{
    return daemon_main(&intake_service, sections_check, argc, argv);
}
