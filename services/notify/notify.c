/*
 * notify.c - the notify service: its configuration, tables, the
 * ListNotifications query and its counters (the rules live in
 * notify_rules.c, the texts in notify_render.c, the tables in
 * notify_store.c).
 */
#include "notify.h"

#include <stddef.h>
#include <string.h>

#include "notify_rules.h"
#include "notify_store.h"

static const char *const notify_upstreams[] = {"intake", "eligibility", "dispatch", "roster", NULL};

static int notify_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    return notify_store_open(txn);
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
    int rc = notify_list(t, q->case_id, l);
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
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "notify takes list_notifications, not request body %d", (int)req->body_case);
        return 0;
    }
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
    };
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        uint64_t value;
        int rc = notify_count(t, counters[i].party, &value);
        if (rc) return rc;
        turn_counter(t, st, counters[i].name, value);
    }
    return 0;
}

static const int notify_queries[] = {LEGALAID__REQUEST__BODY_LIST_NOTIFICATIONS, 0};

const service_t notify_service = {
    .name = "notify",
    .upstreams = notify_upstreams,
    .queries = notify_queries,
    .open = notify_open,
    .handle = notify_handle,
    .apply = notify_event_apply,
    .counters = notify_counters,
};
