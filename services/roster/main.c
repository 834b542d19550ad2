/*
 * NAME
 *      legalaid-roster - duty stations, duty lawyers' shifts, and who is
 *      on duty where
 *
 * SYNOPSIS
 *      legalaid-roster [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      Keeps the duty lawyers at courts, procuratorates and detention
 *      centres (and service windows, workstations; Legal Aid Law art. 14,
 *      DOMAIN section 6) on the A (primary) and B (backup) posts of each
 *      station:
 *
 *      - stations, law firms' service agreements (period, share of shifts,
 *        stations served, duty lawyers with join and leave dates), shift
 *        templates (days, hours, on site / phone / online), and its own copy
 *        of the holiday calendar, each imported record checked and each bad
 *        one reported by position and field;
 *      - a period's schedule generated as a draft (every shift an A and a
 *        B, nobody in two places at once, min_rest_minutes between shifts,
 *        leave and membership dates honoured, posts spread across firms by
 *        their shares and fairly inside each firm, holidays skipped unless a
 *        template staffs them) and published all or nothing; shifts
 *        imported whole are checked the same way;
 *      - swaps and leave with approval; check-in and check-out at the
 *        station; the tick activates B when A has not checked in and raises
 *        a coverage gap when neither has;
 *      - "who is on duty at station X at T" answered with one cursor seek
 *        on station|start;
 *      - duty requests (consultation, plea signing, meeting, application to
 *        forward) routed to the lawyer on duty and escalated A -> B -> the
 *        centre, detention-centre requests answered within 24 hours (T-07),
 *        meeting slots with capacity, completion recorded as the duty log;
 *        an application a duty lawyer took is published for intake as a
 *        custody-forwarded application (art. 39).
 *
 *      Publishes RosterPublished, ShiftAssigned, ShiftChanged, CheckedIn,
 *      CheckedOut, BackupActivated, CoverageGap, DutyRequestRaised,
 *      DutyRequestAssigned, DutyRequestAcknowledged, DutyRequestCompleted,
 *      LeaveDecided, SwapDecided, StationsImported, AgreementsImported and
 *      TemplatesImported. Every reply is sent only after it is durable.
 *
 * CONFIGURATION
 *      Section [roster] of CONFIG. The keys every daemon has (endpoint,
 *      data_dir, sync, utc_offset_minutes ...: README.md, "Configuration
 *      reference"), and:
 *      min_rest_minutes = 720       rest between two shifts of a lawyer
 *      checkin_grace_minutes = 15   A absent this long after the start: B activated
 *      backup_grace_minutes = 30    B absent this long after activation: coverage gap
 *      checkin_early_minutes = 60   check-in opens this long before the start
 *      request_ack_minutes = 30     a request not acknowledged: A -> B -> centre
 *      detention_answer_hours = 24  a detention-centre request answered within (T-07)
 *      share_band_permille = 50     a firm further from its share is marked in the draft
 *      meeting_slot_minutes = 30    length of a meeting slot
 *      meeting_capacity = 2         meetings per slot (a station may set its own)
 *      max_schedule_days = 62       the longest period one generation covers
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
#include "roster.h"
#include "sections.h"

int main(int argc, char **argv)
{
    return daemon_main(&roster_service, sections_check, argc, argv);
}
