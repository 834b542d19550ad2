/*
 * notify_outbox_ops.c - what operations staff do with the outbox: list the
 * notifications in one state (the dead letters first of all, the pending,
 * the ones no channel reached) and re-drive
 * a dead one, or all of them, once the cause is mended.
 */

#include <string.h>

#include "log.h"
#include "notify_int.h"
#include "store.h"

#define OUTBOX_LIST_DEFAULT 100
#define OUTBOX_LIST_MAX 10000

static void outbox_list_add(turn_t *t, Legalaid__NotificationList *l, size_t *cap,
                            Legalaid__Notification *n)
{
    if (l->n_notifications == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        Legalaid__Notification **grown = arena_alloc(t->arena, *cap * sizeof *grown);
        if (l->n_notifications) memcpy(grown, l->notifications, l->n_notifications * sizeof *grown);
        l->notifications = grown;
    }
    n->destination = NULL; /* a phone or URL is never listed */
    l->notifications[l->n_notifications++] = n;
}

/* Moves dead notification n back to PENDING, due now. */
static int outbox_redrive_one(turn_t *t, Legalaid__Notification *n, const char *by)
{
    unsigned char dk[8];
    store_be64(n->id, dk);
    MDB_val k = {8, dk};
    int rc = mdb_del(t->txn, notify_outbox_dead_dbi, &k, NULL);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    n->state = LEGALAID__OUTBOX_STATE__OUTBOX_PENDING;
    n->attempts = 0;
    n->next_attempt_at = t->now;
    n->has_next_attempt_at = 1;
    rc = notify_outbox_due_put(t, n);
    if (!rc) rc = notify_store_put(t, n);
    log_info("re-driven id=%llu case=%s by=%s", (unsigned long long)n->id,
             n->case_id && n->case_id[0] ? n->case_id : "-", by && by[0] ? by : "-");
    return rc;
}

int notify_outbox_ops_redrive(turn_t *t, const Legalaid__RedriveNotification *r,
                              Legalaid__Reply *reply)
{
    Legalaid__NotificationList *l =
        ARENA_NEW(t->arena, Legalaid__NotificationList, legalaid__notification_list__init);
    size_t cap = 0;
    if (!r->all) {
        if (!r->id) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "redrive_notification.id",
                      "give the id of a dead notification (legalaidctl notifications dead), "
                      "or all");
            return 0;
        }
        Legalaid__Notification *n;
        int rc = notify_store_get(t->txn, r->id, t->arena, &n);
        if (rc == MDB_NOTFOUND && notify_store_was_recorded(t->txn, r->id)) {
            turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "redrive_notification.id",
                      "notification %llu is not a dead letter: only dead ones are re-driven",
                      (unsigned long long)r->id); /* delivered: kept with its case */
            return 0;
        }
        if (rc == MDB_NOTFOUND) {
            turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "redrive_notification.id",
                      "no notification %llu", (unsigned long long)r->id);
            return 0;
        }
        if (rc) return rc;
        if (n->state != LEGALAID__OUTBOX_STATE__OUTBOX_DEAD) {
            turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "redrive_notification.id",
                      "notification %llu is not a dead letter: only dead ones are re-driven",
                      (unsigned long long)r->id);
            return 0;
        }
        rc = outbox_redrive_one(t, n, turn_actor(t, r->by));
        if (rc) return rc;
        outbox_list_add(t, l, &cap, n);
    } else {
        MDB_cursor *c;
        int rc = mdb_cursor_open(t->txn, notify_outbox_dead_dbi, &c);
        if (rc) return store_rc(rc);
        MDB_val k, v;
        uint64_t ids[OUTBOX_LIST_MAX];
        size_t nids = 0;
        while (nids < OUTBOX_LIST_MAX &&
               mdb_cursor_get(c, &k, &v, nids ? MDB_NEXT : MDB_FIRST) == 0)
            if (k.mv_size == 8) ids[nids++] = store_from_be64(k.mv_data);
        mdb_cursor_close(c);
        for (size_t i = 0; i < nids; i++) {
            Legalaid__Notification *n;
            rc = notify_store_get(t->txn, ids[i], t->arena, &n);
            if (rc == MDB_NOTFOUND) continue;
            if (!rc) rc = outbox_redrive_one(t, n, turn_actor(t, r->by));
            if (rc) return rc;
            outbox_list_add(t, l, &cap, n);
        }
    }
    l->total = l->n_notifications;
    l->has_total = 1;
    reply->body_case = LEGALAID__REPLY__BODY_NOTIFICATIONS;
    reply->notifications = l;
    return 0;
}

/* The ids of an index table: dead (id keys) or due (time + id keys). */
static int outbox_query_index(turn_t *t, MDB_dbi dbi, size_t idoff, size_t max,
                              Legalaid__NotificationList *l)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, dbi, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    size_t cap = 0;
    int op = MDB_FIRST;
    while (l->n_notifications < max && (rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != idoff + 8) continue;
        Legalaid__Notification *n;
        rc = notify_store_get(t->txn, store_from_be64((const unsigned char *)k.mv_data + idoff),
                              t->arena, &n);
        if (rc == MDB_NOTFOUND) continue;
        if (rc) break;
        outbox_list_add(t, l, &cap, n);
    }
    mdb_cursor_close(c);
    l->total = store_count(t->txn, dbi);
    l->has_total = 1;
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int notify_outbox_ops_query(turn_t *t, const Legalaid__NotificationsQuery *q,
                            Legalaid__Reply *reply)
{
    size_t max = q->max ? q->max : OUTBOX_LIST_DEFAULT;
    if (max > OUTBOX_LIST_MAX) max = OUTBOX_LIST_MAX;
    Legalaid__NotificationList *l =
        ARENA_NEW(t->arena, Legalaid__NotificationList, legalaid__notification_list__init);
    int rc;
    switch (q->state) {
    case LEGALAID__OUTBOX_STATE__OUTBOX_UNSPECIFIED:
    case LEGALAID__OUTBOX_STATE__OUTBOX_DEAD:
        rc = outbox_query_index(t, notify_outbox_dead_dbi, 0, max, l);
        break;
    case LEGALAID__OUTBOX_STATE__OUTBOX_PENDING:
        rc = outbox_query_index(t, notify_outbox_due_dbi, 8, max, l);
        break;
    case LEGALAID__OUTBOX_STATE__OUTBOX_UNROUTED:
        rc = outbox_query_index(t, notify_outbox_unrouted_dbi, 0, max, l);
        break;
    default:
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "notifications_query.state",
                  "list the DEAD, PENDING or UNROUTED notifications (a case's all: list_notifications)");
        return 0;
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_NOTIFICATIONS;
    reply->notifications = l;
    return 0;
}
