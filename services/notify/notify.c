/*
 * notify.c - the notify service's entry points: its tables opened, the
 * requests (ListNotifications, NotificationsQuery, RedriveNotification,
 * StationFetch), the apply of the four upstream streams (notify_rules.c),
 * its tick (settle the attempts' outcomes, fire deadline timers), its
 * counters, and the start/stop hooks that run the delivery pump on the
 * loop. Each file's job, by floor (a file calls only files of its own
 * floor or below, never in a circle):
 *
 * entry points
 *   notify.c              requests, apply, tick, counters, start/stop
 *   main.c                the daemon's main and man page
 *   notify_deliver.c      the delivery pump on the loop: attempts outside
 *                         every write turn, outcomes queued for the tick
 * steps
 *   notify_rules.c        an event applied: contacts and parties learned,
 *                         deadline timers set, one notification per party
 *   notify_rule_table.c   the rule table: who is told what for each event
 *   notify_rule_roster.c  the rule table's parts for the roster's events
 *   notify_rule_intern.c  the rule table's parts for the internship events
 *   notify_outbox.c       the outbox state machine: record, route, index,
 *                         the held ones routed once the contact is known,
 *                         settle an attempt (states in notify_outbox.h)
 *   notify_outbox_ops.c   staff's requests: list by state, re-drive
 *   notify_station.c      StationFetch: terminals pull and acknowledge
 *   notify_timer.c        the deadline timers: reminder, then breach
 * tables and pure helpers
 *   notify_store.c        notifications, by_case, case_notes, the
 *                         per-party counters
 *   notify_parties.c      parties, contacts
 *   notify_config.c       the configuration and what is derived from it
 *                         (quiet hours, webhooks)
 *   notify_template.c     the template files: load, check, render
 *   notify_fields.c       the fields a template may name
 *   notify_render.c       dates, articles, names as the texts write them
 *   notify_payload.c      the JSON body of an attempt, the spool file
 *
 * Headers: notify.h (the service), notify_int.h (what the files share and
 * the table map), and a module header where a unit test includes the
 * module (notify_config.h, notify_store.h, notify_outbox.h,
 * notify_deliver.h, notify_payload.h, notify_render.h, notify_fields.h,
 * notify_template.h).
 */
#include "notify.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "notify_deliver.h"
#include "notify_int.h"
#include "store.h"

#define NOTIFY_SETTLE_PER_TICK 4096

static const char *const notify_upstreams[] = {"intake", "eligibility", "dispatch", "roster", NULL};

int notify_templates_reload(const char *dir, char *err, size_t errlen)
{
    arena_t a;
    arena_init(&a);
    size_t n;
    notify_template_def_t *defs = notify_rules_templates(&a, &n);
    int rc = notify_template_load(dir, defs, n, err, errlen);
    arena_destroy(&a);
    return rc;
}

/* The service's config_check: the keys, then every template file, so that
 * `legalaid-notify -t` (and systemd's ExecStartPre) reports a bad template
 * with file:line, and a start with one exits 78 before opening anything.
 * A set already loaded by the caller (the tests and the bench load the
 * source tree's with notify_templates_reload) is kept: the daemon itself
 * never loads one before this check. */
static int notify_config_hook(char *err, size_t errlen)
{
    if (notify_config_check(err, errlen) != 0) return -1;
    if (notify_template_loaded()) return 0;
    char why[512];
    if (notify_templates_reload(notify_config.templates_dir, why, sizeof why) != 0) {
        snprintf(err, errlen, "[notify] templates_dir: %s", why);
        return -1;
    }
    return 0;
}

static int notify_open(daemon_t *d, MDB_txn *txn)
{
    int rc = notify_store_open(d, txn);
    if (!rc) rc = notify_outbox_open(txn);
    if (!rc) rc = notify_timer_open(d, txn);
    return rc;
}

static int notify_start(daemon_t *d, void *loop)
{
    /* config_check loaded and checked the templates (exit 78 otherwise). */
    if (!notify_template_loaded()) {
        log_error("configuration: [notify] templates_dir: no templates loaded from %s",
                  notify_config.templates_dir);
        return -1;
    }
    log_info("templates loaded from %s; sms %s, spool %s, quiet hours %s",
             notify_config.templates_dir, notify_config.sms_url[0] ? "on" : "off",
             notify_config.spool_dir[0] ? "on" : "off",
             notify_config.quiet_hours[0] ? notify_config.quiet_hours : "none");
    return notify_deliver_start(d, loop);
}

static void notify_stop(daemon_t *d)
{
    notify_deliver_stop(d);
    notify_template_free();
}

static int notify_list_request(turn_t *t, const Legalaid__ListNotifications *q,
                               Legalaid__Reply *reply)
{
    if (!q->case_id || !q->case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "list_notifications.case_id",
                  "case_id is required (a case number like BT-2026-000001)");
        return 0;
    }
    /* An unknown case is an empty list: notify may simply not have heard
     * of it yet. */
    Legalaid__NotificationList *l =
        ARENA_NEW(t->arena, Legalaid__NotificationList, legalaid__notification_list__init);
    int rc = notify_store_list(t, q->case_id, l);
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_NOTIFICATIONS;
    reply->notifications = l;
    return 0;
}

static int notify_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_LIST_NOTIFICATIONS:
        return notify_list_request(t, req->list_notifications, reply);
    case LEGALAID__REQUEST__BODY_NOTIFICATIONS_QUERY:
        return notify_outbox_ops_query(t, req->notifications_query, reply);
    case LEGALAID__REQUEST__BODY_REDRIVE_NOTIFICATION:
        return notify_outbox_ops_redrive(t, req->redrive_notification, reply);
    case LEGALAID__REQUEST__BODY_STATION_FETCH:
        return notify_station_fetch(t, req->station_fetch, reply);
    case LEGALAID__REQUEST__BODY_OVERDUE:
        return notify_overdue_list_query(t, req->overdue, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "notify takes list_notifications, notifications_query, redrive_notification, "
                  "station_fetch and overdue, not request body %d",
                  (int)req->body_case);
        return 0;
    }
}

/* Settles the attempts that finished since the last tick, then fires the
 * deadline timers that fell due. */
static int notify_tick(turn_t *t)
{
    notify_outcome_t out[256];
    size_t settled = 0, n;
    while (settled < NOTIFY_SETTLE_PER_TICK &&
           (n = notify_deliver_take(out, sizeof out / sizeof out[0])) > 0) {
        for (size_t i = 0; i < n; i++) {
            int rc = notify_outbox_settle(t, out[i].id, out[i].ok, out[i].error);
            if (rc) return rc;
        }
        settled += n;
    }
    if (settled >= NOTIFY_SETTLE_PER_TICK) daemon_tick_soon(t->d);
    return notify_timer_fire(t, notify_rules_deadline);
}

static int notify_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    static const struct {
        const char *name;
        Legalaid__Party party;
    } counters[] = {
        {"notifications", LEGALAID__PARTY__PARTY_UNSPECIFIED},
        {"notifications.applicant", LEGALAID__PARTY__APPLICANT},
        {"notifications.lawyer", LEGALAID__PARTY__LAWYER},
        {"notifications.authority", LEGALAID__PARTY__AUTHORITY},
        {"notifications.staff", LEGALAID__PARTY__STAFF},
        {"notifications.station", LEGALAID__PARTY__STATION},
        {"notifications.candidate", LEGALAID__PARTY__CANDIDATE},
        {"notifications.firm", LEGALAID__PARTY__FIRM},
    };
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        uint64_t value;
        int rc = notify_store_count(t, counters[i].party, &value);
        if (rc) return rc;
        turn_counter(t, st, counters[i].name, value);
    }
    int rc = notify_outbox_counters(t, st);
    if (rc) return rc;
    turn_counter(t, st, "timers.pending", notify_timer_pending(t));
    if ((rc = notify_store_age_status(t, st))) return rc;
    if ((rc = notify_overdue_ages(t, st))) return rc;
    uint64_t overdue = 0; /* every deadline past due: legalaidctl overdue's total */
    if ((rc = store_get_u64(t->txn, daemon_meta(t->d), "overdue", &overdue))) return rc;
    turn_counter(t, st, "overdue", overdue);
    return notify_timer_overdue(t, st);
}

/* A delivery's event: the notification keeps its delivered_at, and is
 * listed with the case (legalaidctl case shows it), so its trimmed step
 * need not be kept a second time in the timeline (stream_trim.h). */
static const int notify_trim_forgets[] = {LEGALAID__EVENT__BODY_NOTIFICATION_DELIVERED, 0};

static const int notify_queries[] = {LEGALAID__REQUEST__BODY_LIST_NOTIFICATIONS,
                                     LEGALAID__REQUEST__BODY_NOTIFICATIONS_QUERY,
                                     LEGALAID__REQUEST__BODY_OVERDUE, 0};

const service_t notify_service = {
    .name = "notify",
    .upstreams = notify_upstreams,
    .trim_forgets = notify_trim_forgets,
    .config_keys = notify_config_keys,
    .config = &notify_config,
    .config_check = notify_config_hook,
    .queries = notify_queries,
    .open = notify_open,
    .handle = notify_handle,
    .apply = notify_rules_apply,
    .counters = notify_counters,
    .tick = notify_tick,
    .start = notify_start,
    .stop = notify_stop,
};
