/*
 * NAME
 *      legalaid-notify - tells every party of a legal-aid case what happened,
 *      exactly once, over a real channel, and keeps every deadline in front
 *      of the people who owe it
 *
 * SYNOPSIS
 *      legalaid-notify [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      Consumes the streams of intake, eligibility, dispatch and roster. For
 *      each event it records one notification per party the rule table
 *      names (notify_rule_table.c): the applicant (receipt, decision with its
 *      articles and deadline, the one notice of every missing material under
 *      Legal Aid Law art. 43(2), the lawyer assigned and how to reach them,
 *      termination and the objection route), the lawyer (offer, assignment,
 *      release, graded file, duty shift, duty request, B activation, a
 *      shift handed to another), the court, procuratorate or police that
 *      notified (acknowledgement, and the appointed lawyer under art. 36),
 *      the station (duty requests, who is on duty, B activation, coverage
 *      gaps), the centre's staff (the staff queue, duty-request escalations,
 *      coverage gaps, a published internship match), an internship
 *      candidate (offer, reply reminder, lapse, confirmation) and the firm
 *      (who is coming, from when). The text comes from the template file
 *      of its (kind, party). The notification is then
 *      delivered by its channel: the SMS gateway or an agency's webhook
 *      (HTTP POST of JSON through libcurl, with the notification's
 *      idempotency key), a station terminal's fetch (StationFetch), or a
 *      file in the spool directory. The row is committed before any attempt
 *      and each outcome in a later turn, so the loop never waits on a
 *      gateway; a failed attempt is retried with exponential backoff and
 *      jitter, and after max_attempts it is a dead letter that staff
 *      re-drive (RedriveNotification, legalaidctl notifications redrive).
 *      Messages to applicants (and to internship candidates) wait out the
 *      quiet hours, except in defence and custody cases. Every deadline an
 *      event carries becomes a timer in LMDB: a reminder at the lead time
 *      and another at the breach, to its owner and to the staff (not the
 *      reminder of a candidate's reply), with DeadlineDue on notify's
 *      stream; a deadline met cancels it; from roster's events it derives
 *      the A post's check-in and a detention-centre request's 24-hour
 *      answer (S5 art. 49). Notify publishes NotificationDelivered,
 *      NotificationFailed (a dead letter) and DeadlineDue. Personal data
 *      never goes to the log.
 *
 * CONFIGURATION
 *      Section [notify] of CONFIG. The keys every daemon has (endpoint,
 *      data_dir, sync, utc_offset_minutes ...: README.md, "Configuration
 *      reference"), and:
 *        templates_dir          /etc/legalaid/notify-templates
 *        sms_url, sms_token     (empty: no SMS)
 *        webhook_court, webhook_procuratorate, webhook_police,
 *        webhooks (NAME=URL;...), webhook_staff, webhook_token   (empty)
 *        staff_phones           (empty; comma-separated)
 *        spool_dir              (empty: no spool)
 *        quiet_hours            21:00-08:00
 *        http_timeout_ms        10000
 *        max_inflight           32
 *        max_attempts           8
 *        retry_base_ms          30000
 *        retry_max_ms           3600000
 *        deadline_lead_minutes  1440
 *      The upstream endpoints are read from the [intake], [eligibility],
 *      [dispatch] and [roster] sections.
 *
 * SIGNALS
 *      SIGTERM, SIGINT: finish the turn in hand, drop the HTTP attempts in
 *      flight (they are made again, with the same key, at the next start),
 *      close cleanly, exit 0.
 *
 * FILES
 *      data_dir/data.mdb, data_dir/lock.mdb: the LMDB environment.
 *      templates_dir/<kind>.<party>.txt: the notification texts.
 *      spool_dir/notification-<id>.json: the spooled messages.
 *
 * EXIT STATUS
 *      0 after a clean stop (or, with -t, a good configuration and good
 *      templates); 78 for a bad configuration or a bad template (file:line
 *      in the log; do not restart); 75 for a temporary failure (cannot
 *      bind, cannot open LMDB; restarted); 76 for damaged data (an LMDB environment that is corrupt
 *      or of another LMDB version: restore it from a backup; do not restart).
 */
#include "notify.h"
#include "sections.h"

int main(int argc, char **argv)
{
    return daemon_main(&notify_service, sections_check, argc, argv);
}
