/*
 * notify_store.c - notify's notifications (layout in notify_store.h): each
 * case's in one record, the outbox's way from an id to its case, those
 * without a case by id, the counters; a store of the earlier layout moved
 * over at open.
 */
#include "notify_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ageq.h"
#include "clock.h"

#include "log.h"
#include "store.h"
#include "xalloc.h"

#define NOTIFY_STORE_LAST_ID "notify.last_id"
#define NOTIFY_STORE_RECORDED "notify.recorded"

static MDB_dbi notify_notifications, notify_case_notes, notify_outbox_ids, notify_meta;
static ageq_t notify_store_ages;
static const char *const notify_store_age_queues[] = {
    "outbox.awaiting_contact", "outbox.pending", "outbox.retrying", "outbox.dead",
    "outbox.unrouted", NULL};

/* The outbox queue a notification waits in (NULL: none, it is delivered):
 * its contact not yet known, waiting for its first attempt (a station's
 * terminal has not fetched it, or quiet hours hold it), attempts failed and
 * another due, the attempts ran out (staff re-drive it), or no channel
 * reaches the recipient. */
static const char *notify_store_age_queue(const Legalaid__Notification *n)
{
    switch (n->state) {
    case LEGALAID__OUTBOX_STATE__OUTBOX_PENDING:
        if (n->contact_pending) return notify_store_age_queues[0];
        return notify_store_age_queues[n->attempts ? 2 : 1];
    case LEGALAID__OUTBOX_STATE__OUTBOX_DEAD:
        return notify_store_age_queues[3];
    case LEGALAID__OUTBOX_STATE__OUTBOX_UNROUTED:
        return notify_store_age_queues[4];
    default:
        return NULL;
    }
}

/* Puts n in its outbox queue, since at when it moves there. */
static int notify_store_age(MDB_txn *txn, const Legalaid__Notification *n, int64_t at)
{
    char id[24];
    snprintf(id, sizeof id, "%llu", (unsigned long long)n->id);
    return ageq_set(txn, &notify_store_ages, id, notify_store_age_queue(n), at);
}

/* A store from before the queues: each notification still in one, from
 * when it was recorded (the time of its last move is not kept). */
static int notify_store_age_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    (void)ctx;
    const Legalaid__Notification *n = (const Legalaid__Notification *)m;
    return notify_store_age(txn, n, n->recorded_at);
}

static const char *notify_party_key(Legalaid__Party party)
{
    switch (party) {
    case LEGALAID__PARTY__APPLICANT:
        return "notify.party.applicant";
    case LEGALAID__PARTY__LAWYER:
        return "notify.party.lawyer";
    case LEGALAID__PARTY__AUTHORITY:
        return "notify.party.authority";
    case LEGALAID__PARTY__STAFF:
        return "notify.party.staff";
    case LEGALAID__PARTY__STATION:
        return "notify.party.station";
    case LEGALAID__PARTY__CANDIDATE:
        return "notify.party.candidate";
    case LEGALAID__PARTY__FIRM:
        return "notify.party.firm";
    default:
        return "notify.party.other";
    }
}

/* The case's record (*l NULL when it has none): 0 or a store error. */
static int notify_store_case_get(MDB_txn *txn, const char *case_id, ProtobufCAllocator *a,
                                 Legalaid__NotificationList **l)
{
    *l = NULL;
    int rc = store_get_pb(txn, notify_case_notes, case_id, strlen(case_id),
                          &legalaid__notification_list__descriptor, a, (ProtobufCMessage **)l);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static int notify_store_case_put(MDB_txn *txn, const char *case_id,
                                 const Legalaid__NotificationList *l)
{
    return store_put_pb(txn, notify_case_notes, case_id, strlen(case_id), &l->base, 0);
}

/* Keeps n's way from its id to its case while the outbox may ask for it
 * (not yet delivered), and drops it once delivered. */
static int notify_store_outbox_id(MDB_txn *txn, const Legalaid__Notification *n)
{
    unsigned char key[8];
    store_be64(n->id, key);
    MDB_val k = {8, key}, v = {strlen(n->case_id), n->case_id};
    if (n->state != LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED)
        return store_rc(mdb_put(txn, notify_outbox_ids, &k, &v, 0));
    int rc = mdb_del(txn, notify_outbox_ids, &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

static int notify_store_has_case(const Legalaid__Notification *n)
{
    return n->case_id && n->case_id[0] && strlen(n->case_id) <= LA_CASE_ID_MAX;
}

/* Appends n (its id the highest yet) to its case's record, or stores it by
 * id when it has no case. a: the allocator for the record's read. */
static int notify_store_append(MDB_txn *txn, ProtobufCAllocator *a, Legalaid__Notification *n)
{
    unsigned char idkey[8];
    store_be64(n->id, idkey);
    if (!notify_store_has_case(n))
        return store_put_pb(txn, notify_notifications, idkey, 8, &n->base, 0);
    Legalaid__NotificationList *l;
    int rc = notify_store_case_get(txn, n->case_id, a, &l);
    if (rc) return rc;
    Legalaid__NotificationList one = LEGALAID__NOTIFICATION_LIST__INIT;
    size_t have = l ? l->n_notifications : 0;
    Legalaid__Notification **all = a->alloc(a->allocator_data, (have + 1) * sizeof *all);
    if (!all) return -ENOMEM;
    if (have) memcpy(all, l->notifications, have * sizeof *all);
    all[have] = n;
    one.n_notifications = have + 1;
    one.notifications = all;
    rc = notify_store_case_put(txn, n->case_id, &one);
    if (!rc) rc = notify_store_outbox_id(txn, n);
    return rc;
}

/* Moves a store of the earlier layout over (builds before 2026-12-07 kept
 * every notification by id in "notifications" and a "by_case" index, 185
 * bytes an application for the index alone): each case's notifications
 * into its record, in id order; those without a case stay. Once, in the
 * transaction of the first open. */
typedef struct notify_store_move {
    MDB_txn *txn;
    arena_t arena;
    size_t moved;
} notify_store_move_t;

static int notify_store_move_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    notify_store_move_t *mv = ctx;
    Legalaid__Notification *n = (Legalaid__Notification *)m;
    if (!notify_store_has_case(n)) return 0;
    int rc = notify_store_append(txn, &mv->arena.pb, n);
    unsigned char key[8];
    store_be64(n->id, key);
    MDB_val k = {8, key};
    if (!rc) rc = store_rc(mdb_del(txn, notify_notifications, &k, NULL));
    mv->moved++;
    if (mv->moved % 1024 == 0) arena_reset(&mv->arena);
    return rc;
}

static int notify_store_move(MDB_txn *txn)
{
    MDB_dbi old;
    int rc = mdb_dbi_open(txn, "by_case", 0, &old);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    /* The last id and the count, which the earlier layout read off the table. */
    uint64_t last = 0, recorded = store_count(txn, notify_notifications);
    MDB_cursor *c;
    rc = store_rc(mdb_cursor_open(txn, notify_notifications, &c));
    if (rc) return rc;
    MDB_val k, v;
    if (mdb_cursor_get(c, &k, &v, MDB_LAST) == 0 && k.mv_size == 8) last = store_from_be64(k.mv_data);
    mdb_cursor_close(c);
    rc = store_put_u64(txn, notify_meta, NOTIFY_STORE_LAST_ID, last);
    if (!rc) rc = store_put_u64(txn, notify_meta, NOTIFY_STORE_RECORDED, recorded);
    notify_store_move_t mv = {txn, {0}, 0};
    arena_init(&mv.arena);
    /* store_each_pb walks a cursor while the walk deletes behind it: the
     * ids are taken first. */
    if (!rc && recorded) {
        uint64_t *ids = xcalloc(recorded, sizeof *ids);
        size_t n = 0;
        if (!rc) rc = store_rc(mdb_cursor_open(txn, notify_notifications, &c));
        for (int op = MDB_FIRST; !rc && n < recorded && mdb_cursor_get(c, &k, &v, op) == 0;
             op = MDB_NEXT)
            if (k.mv_size == 8) ids[n++] = store_from_be64(k.mv_data);
        if (!rc) mdb_cursor_close(c);
        for (size_t i = 0; !rc && i < n; i++) {
            Legalaid__Notification *note;
            unsigned char key[8];
            store_be64(ids[i], key);
            rc = store_get_pb(txn, notify_notifications, key, 8, &legalaid__notification__descriptor,
                              &mv.arena.pb, (ProtobufCMessage **)&note);
            if (!rc) rc = notify_store_move_one(txn, &note->base, &mv);
        }
        free(ids);
    }
    arena_destroy(&mv.arena);
    size_t dropped;
    if (!rc) rc = store_table_drop(txn, "by_case", &dropped);
    if (!rc)
        log_info("notifications: %zu moved into their cases' records, by_case (%zu entries) dropped",
                 mv.moved, dropped);
    return rc;
}

int notify_store_open(daemon_t *d, MDB_txn *txn)
{
    notify_meta = daemon_meta(d);
    int rc = store_table_sealed(txn, "notifications", &notify_notifications), first = 0;
    if (!rc) rc = store_table_sealed(txn, "case_notes", &notify_case_notes);
    if (!rc) rc = store_table(txn, "outbox_ids", &notify_outbox_ids);
    /* "by_source" (source event, party -> id), kept by earlier builds
     * against an event recorded twice, is not needed (notify_store.h): its
     * pages are freed at the first open. */
    size_t dropped;
    if (!rc) rc = store_table_drop(txn, "by_source", &dropped);
    if (!rc && dropped) log_info("by_source dropped: %zu entries no longer kept", dropped);
    if (!rc) rc = notify_store_move(txn);
    if (!rc) rc = notify_parties_open(txn);
    if (!rc) rc = ageq_open(txn, &notify_store_ages, NULL);
    if (!rc) rc = ageq_once(txn, &notify_store_ages, "outbox", &first);
    if (!rc && first) rc = notify_store_each(txn, notify_store_age_one, NULL);
    return rc;
}

int notify_store_each(MDB_txn *txn, store_each_fn fn, void *ctx)
{
    int rc = 0;
    if (store_count(txn, notify_notifications))
        rc = store_each_pb(txn, notify_notifications, &legalaid__notification__descriptor, fn, ctx);
    MDB_cursor *c;
    if (rc || (rc = store_rc(mdb_cursor_open(txn, notify_case_notes, &c)))) return rc;
    MDB_val k, v;
    for (int op = MDB_FIRST; !rc && (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        rc = store_value(txn, &k, &v);
        Legalaid__NotificationList *l =
            rc ? NULL : legalaid__notification_list__unpack(NULL, v.mv_size, v.mv_data);
        if (!rc && !l) rc = -EBADMSG;
        for (size_t i = 0; !rc && i < l->n_notifications; i++)
            rc = fn(txn, &l->notifications[i]->base, ctx);
        if (l) legalaid__notification_list__free_unpacked(l, NULL);
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

int notify_store_age_status(turn_t *t, Legalaid__StreamStatus *st)
{
    return ageq_status(t->txn, &notify_store_ages, notify_store_age_queues, t->now, st, t->arena);
}

int notify_store_get(MDB_txn *txn, uint64_t id, arena_t *a, Legalaid__Notification **n)
{
    unsigned char key[8];
    store_be64(id, key);
    MDB_val k = {8, key}, v;
    int rc = mdb_get(txn, notify_outbox_ids, &k, &v);
    if (rc == MDB_NOTFOUND)
        return store_get_pb(txn, notify_notifications, key, 8, &legalaid__notification__descriptor,
                            a ? &a->pb : NULL, (ProtobufCMessage **)n);
    if (rc) return store_rc(rc);
    char case_id[LA_CASE_ID_MAX + 1];
    if (v.mv_size == 0 || v.mv_size > LA_CASE_ID_MAX) return -EBADMSG;
    memcpy(case_id, v.mv_data, v.mv_size);
    case_id[v.mv_size] = 0;
    Legalaid__NotificationList *l;
    if ((rc = notify_store_case_get(txn, case_id, a ? &a->pb : NULL, &l))) return rc;
    rc = MDB_NOTFOUND;
    for (size_t i = 0; l && i < l->n_notifications; i++) {
        if (l->notifications[i]->id != id) continue;
        *n = l->notifications[i];
        if (!a) { /* the caller frees *n alone: take it out of the list */
            l->notifications[i] = l->notifications[--l->n_notifications];
            legalaid__notification_list__free_unpacked(l, NULL);
            return 0;
        }
        return 0;
    }
    if (l && !a) legalaid__notification_list__free_unpacked(l, NULL);
    return rc == MDB_NOTFOUND ? -EBADMSG : rc; /* an outbox id whose case does not hold it */
}

int notify_store_put(turn_t *t, const Legalaid__Notification *n)
{
    int rc = notify_store_age(t->txn, n, clock_now_ms());
    if (rc) return rc;
    Legalaid__Notification kept = *n;
    if (n->state == LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED) {
        kept.destination = NULL;     /* never listed, never sent again */
        kept.idempotency_key = NULL; /* re-driving takes dead ones only */
    }
    unsigned char key[8];
    store_be64(n->id, key);
    if (!notify_store_has_case(n))
        return store_put_pb(t->txn, notify_notifications, key, 8, &kept.base, 0);
    Legalaid__NotificationList *l;
    rc = notify_store_case_get(t->txn, n->case_id, &t->arena->pb, &l);
    size_t i = 0;
    while (!rc && l && i < l->n_notifications && l->notifications[i]->id != n->id) i++;
    if (!rc && (!l || i == l->n_notifications)) rc = -EBADMSG; /* put before add */
    if (!rc) {
        l->notifications[i] = &kept;
        rc = notify_store_case_put(t->txn, n->case_id, l);
    }
    if (!rc) rc = notify_store_outbox_id(t->txn, n);
    return rc;
}

int notify_store_add(turn_t *t, Legalaid__Notification *n)
{
    uint64_t id;
    int rc = store_next_u64(t->txn, notify_meta, NOTIFY_STORE_LAST_ID, &id);
    if (rc) return rc;
    n->id = id;
    n->has_id = 1;
    n->recorded_at = t->now;
    n->has_recorded_at = 1;
    rc = notify_store_append(t->txn, &t->arena->pb, n);
    if (!rc) rc = notify_store_age(t->txn, n, t->now);
    uint64_t count;
    const char *counter = notify_party_key(n->party);
    if (!rc) rc = store_get_u64(t->txn, notify_meta, counter, &count);
    if (!rc) rc = store_put_u64(t->txn, notify_meta, counter, count + 1);
    if (!rc) rc = store_next_u64(t->txn, notify_meta, NOTIFY_STORE_RECORDED, &count);
    if (rc) return rc;
    log_debug("notification id=%llu case=%s party=%d kind=%s", (unsigned long long)id,
              n->case_id && n->case_id[0] ? n->case_id : "-", (int)n->party, n->kind);
    return 0;
}

int notify_store_case_each(turn_t *t, const char *case_id, notify_store_visit_fn visit, void *ctx)
{
    if (!case_id[0] || strlen(case_id) > LA_CASE_ID_MAX) return 0;
    Legalaid__NotificationList *l;
    int rc = notify_store_case_get(t->txn, case_id, &t->arena->pb, &l);
    for (size_t i = 0; !rc && l && i < l->n_notifications; i++)
        rc = visit(t, l->notifications[i], ctx);
    return rc;
}

typedef struct notify_list_ctx {
    Legalaid__NotificationList *out;
    size_t cap;
} notify_list_ctx_t;

static int notify_list_add(turn_t *t, Legalaid__Notification *n, void *ctx)
{
    notify_list_ctx_t *l = ctx;
    if (l->out->n_notifications == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        Legalaid__Notification **grown = arena_alloc(t->arena, l->cap * sizeof *grown);
        if (l->out->n_notifications)
            memcpy(grown, l->out->notifications, l->out->n_notifications * sizeof *grown);
        l->out->notifications = grown;
    }
    n->destination = NULL; /* a phone or URL is never listed */
    l->out->notifications[l->out->n_notifications++] = n;
    return 0;
}

int notify_store_list(turn_t *t, const char *case_id, Legalaid__NotificationList *out)
{
    notify_list_ctx_t l = {out, 0};
    out->n_notifications = 0;
    out->notifications = NULL;
    return notify_store_case_each(t, case_id, notify_list_add, &l);
}

int notify_store_count(turn_t *t, Legalaid__Party party, uint64_t *count)
{
    return store_get_u64(t->txn, notify_meta,
                         party == LEGALAID__PARTY__PARTY_UNSPECIFIED ? NOTIFY_STORE_RECORDED
                                                                     : notify_party_key(party),
                         count);
}
