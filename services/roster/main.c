/*
 * NAME
 *      legalaid-roster - duty stations, duty lawyers' shifts, and who is
 *      on duty where
 *
 * SYNOPSIS
 *      legalaid-roster [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      Keeps the duty stations (legal-aid workstations at courts,
 *      procuratorates and detention centres, service windows, grassroots
 *      workstations; Legal Aid Law art. 14) and the duty lawyers' shifts on
 *      the A (primary) and B (backup) posts of each station. An import of
 *      stations or shifts takes the good records and reports each bad one
 *      by its position and field: an unknown station, a lawyer booked on
 *      two shifts at once, a second A (or B) post at the same station and
 *      time, a shift that ends before it starts or lasts over 24 hours.
 *      Publishes StationsImported and one ShiftAssigned per shift on its
 *      stream. Answers "who is on duty at this station at this time" (A
 *      first, then B) with one bounded index scan. The reply to an import
 *      is sent only after it is durable.
 *
 * CONFIGURATION
 *      Section [roster] of CONFIG. The keys every daemon has (endpoint, data_dir,
 *      sync, utc_offset_minutes ...: README.md, "Configuration reference"); roster has no keys of its own.
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
#include "roster.h"

int main(int argc, char **argv)
{
    return daemon_main(&roster_service, argc, argv);
}
