/*
 * NAME
 *      legalaid-notify - records who must be told what, for every event
 *      of the legal-aid system
 *
 * SYNOPSIS
 *      legalaid-notify [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      Consumes the streams of intake, eligibility, dispatch and roster and
 *      records one notification per party an event concerns: the applicant
 *      (receipt, decision with its articles and deadline, the one notice of
 *      every missing material under Legal Aid Law art. 43(2), the assigned
 *      lawyer), the lawyer (assignment, duty shift), and the court,
 *      procuratorate or police that notified a case (acknowledgement, and
 *      the appointed lawyer under art. 36). Each notification carries a
 *      short Chinese text, the recipient's name and the phone masked for
 *      display. An event's notifications are recorded in the same
 *      transaction as the stream offset that consumes it, so each takes
 *      effect exactly once; a per-event, per-party index refuses any
 *      duplicate besides. ListNotifications lists a case's notifications in
 *      order. Personal data never goes to the log.
 *
 * CONFIGURATION
 *      Section [notify] of CONFIG. The keys every daemon has (endpoint, data_dir,
 *      sync, utc_offset_minutes ...: README.md, "Configuration reference").
 *      The upstream endpoints are read from the [intake], [eligibility],
 *      [dispatch] and [roster] sections.
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
#include "notify.h"

int main(int argc, char **argv)
{
    return daemon_main(&notify_service, argc, argv);
}
