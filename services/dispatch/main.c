/*
 * NAME
 *      legalaid-dispatch - keeps the lawyer pool and assigns a lawyer to
 *      every approved legal-aid case
 *
 * SYNOPSIS
 *      legalaid-dispatch [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      Takes the lawyer pool through ImportLawyers (each record checked:
 *      id, name, a reachable phone, status ACTIVE, SUSPENDED or LEFT,
 *      capacity 1-500 open cases; bad records reported by index and field
 *      while the good ones go in; re-importing an id updates it and keeps
 *      its caseload) and publishes LawyersImported.
 *
 *      Consumes eligibility's stream. For each case approved (outright or
 *      pending verification of a commitment letter) it assigns the active
 *      lawyer with the fewest open cases below capacity (ties: the fewest
 *      assignments ever, then the lowest id), records why, and publishes
 *      LawyerAssigned with the deadline of the decision (3 days: Legal Aid
 *      Law art. 36, 43(1)) and the notifying authority, which must be told
 *      (art. 36). When nobody is free the case waits in a queue
 *      (AssignmentQueued) and is assigned, oldest first, as soon as lawyers
 *      are imported. A case is never assigned twice. GetAssignment{case_id}
 *      returns the assignment or the queue entry.
 *
 * CONFIGURATION
 *      Section [dispatch] of CONFIG. The keys every daemon has (endpoint, data_dir,
 *      sync, utc_offset_minutes ...: README.md, "Configuration reference"), the
 *      endpoint of [eligibility] (its stream), and:
 *      default_capacity = 10     open cases per lawyer when the import
 *                                gives no capacity
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
#include "dispatch.h"

int main(int argc, char **argv)
{
    return daemon_main(&dispatch_service, argc, argv);
}
