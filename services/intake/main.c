/*
 * NAME
 *      legalaid-intake - takes legal-aid applications and authorities'
 *      defence notifications
 *
 * SYNOPSIS
 *      legalaid-intake [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      Validates each application (required fields per channel, the
 *      18-digit resident ID number and its check digit, phone numbers),
 *      gives it a case number CENTRE-YEAR-NNNNNN (per centre, per year,
 *      without gaps), stores it and publishes ApplicationReceived, or
 *      DefenceNotificationReceived for a court, procuratorate or police
 *      notification (Legal Aid Law art. 25, 28, 36), on its stream. The
 *      reply is sent only after the application is durable.
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
 *      75 for a temporary failure (cannot bind, cannot open LMDB).
 */
#include "intake.h"

int main(int argc, char **argv)
{
    return daemon_main(&intake_service, argc, argv);
}
