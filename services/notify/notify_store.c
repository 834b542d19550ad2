/*
 * notify_store.c - notify's notifications (layout in notify_store.h): a
 * row by id while it waits, with its case's index entry; once delivered,
 * appended to its case's record; the counters; a store of the earlier
 * layout moved over at open.
 */
#include "notify_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ageq.h"

#include "log.h"
#include "store.h"
#include "xalloc.h"

#define NOTIFY_STORE_LAST_ID "notify.last_id"
#define NOTIFY_STORE_RECORDED "notify.recorded"
#define NOTIFY_STORE_CASES_KEPT "notify.cases_kept" /* 1: the move at open is done */

static MDB_dbi notify_notifications, notify_by_case, notify_case_notes, notify_meta;
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

static int notify_store_has_case(const Legalaid__Notification *n)
{
    return n->case_id && n->case_id[0] && strlen(n->case_id) <= LA_CASE_ID_MAX;
}

static size_t notify_case_key(const char *case_id, uint64_t id, unsigned char *key)
{
    size_t n = strlen(case_id);
    memcpy(key, case_id, n);
    key[n] = 0;
    store_be64(id, key + n + 1);
    return n + 9;
}

/* The case's record of delivered notifications (*l NULL when it has none):
 * 0 or a store error. */
static int notify_store_case_get(MDB_txn *txn, const char *case_id, ProtobufCAllocator *a,
                                 Legalaid__NotificationList **l)
{
    *l = NULL;
    int rc = store_get_pb(txn, notify_case_notes, case_id, strlen(case_id),
                          &legalaid__notification_list__descriptor, a, (ProtobufCMessage **)l);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* What a delivered notification keeps: no destination (never listed, never
 * used again) and no idempotency key (re-driving takes dead ones only). */
static Legalaid__Notification notify_store_delivered(const Legalaid__Notification *n)
{
    Legalaid__Notification kept = *n;
    kept.destination = NULL;
    kept.idempotency_key = NULL;
    return kept;
}

/* n, delivered, leaves its row and its case's index entry for the end of
 * its case's record. a: the allocator the record is read with. */
static int notify_store_settle_case(MDB_txn *txn, ProtobufCAllocator *a,
                                    const Legalaid__Notification *n)
{
    unsigned char idkey[8], ckey[LA_CASE_ID_MAX + 9];
    store_be64(n->id, idkey);
    MDB_val k = {8, idkey}, ck = {notify_case_key(n->case_id, n->id, ckey), ckey};
    int rc = mdb_del(txn, notify_notifications, &k, NULL);
    if (rc == 0 || rc == MDB_NOTFOUND) rc = mdb_del(txn, notify_by_case, &ck, NULL);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    Legalaid__NotificationList *l;
    if ((rc = notify_store_case_get(txn, n->case_id, a, &l))) return rc;
    Legalaid__NotificationList one = LEGALAID__NOTIFICATION_LIST__INIT;
    size_t have = l ? l->n_notifications : 0;
    Legalaid__Notification **all = a->alloc(a->allocator_data, (have + 1) * sizeof *all);
    if (!all) return -ENOMEM;
    /* In id order, as listed (two of a case may be delivered out of it);
     * one the record holds already is replaced, never kept twice. */
    size_t at = have;
    while (at > 0 && l->notifications[at - 1]->id > n->id) at--;
    int again = at > 0 && l->notifications[at - 1]->id == n->id;
    if (again) at--;
    if (at) memcpy(all, l->notifications, at * sizeof *all);
    size_t after = have - at - (size_t)again;
    if (after) memcpy(all + at + 1, l->notifications + have - after, after * sizeof *all);
    Legalaid__Notification kept = notify_store_delivered(n);
    all[at] = &kept;
    one.n_notifications = at + 1 + after;
    one.notifications = all;
    return store_put_pb(txn, notify_case_notes, n->case_id, strlen(n->case_id), &one.base, 0);
}

/* Earlier builds gave a notification without a case an index entry too
 * (NUL id): nothing reads them; they go. */
static int notify_store_drop_caseless(MDB_txn *txn)
{
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(txn, notify_by_case, &c));
    if (rc) return rc;
    unsigned char nul = 0;
    MDB_val k = {1, &nul}, v;
    while ((rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE)) == 0 && k.mv_size == 9 &&
           ((const unsigned char *)k.mv_data)[0] == 0) {
        if ((rc = mdb_cursor_del(c, 0))) break;
        k.mv_size = 1; /* from the start again */
        k.mv_data = &nul;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

/* Moves a store of the earlier layout over, once (meta
 * "notify.cases_kept"): builds before 2026-12-07 kept every notification
 * as a row by id with an index entry by case, delivered or not (906 and
 * 185 bytes an application in steady state). The delivered ones of a case
 * go to its record; the waiting ones and those without a case stay. The
 * last id and the count, read off the table by those builds, go to meta. */
static int notify_store_move(MDB_txn *txn)
{
    uint64_t done, last, recorded;
    int rc = store_get_u64(txn, notify_meta, NOTIFY_STORE_CASES_KEPT, &done);
    if (rc || done) return rc;
    if ((rc = store_get_u64(txn, notify_meta, NOTIFY_STORE_LAST_ID, &last))) return rc;
    if ((rc = store_get_u64(txn, notify_meta, NOTIFY_STORE_RECORDED, &recorded))) return rc;
    MDB_cursor *c;
    MDB_val k, v;
    if ((rc = store_rc(mdb_cursor_open(txn, notify_notifications, &c)))) return rc;
    if (mdb_cursor_get(c, &k, &v, MDB_LAST) == 0 && k.mv_size == 8 &&
        store_from_be64(k.mv_data) > last)
        last = store_from_be64(k.mv_data);
    mdb_cursor_close(c);
    size_t rows = store_count(txn, notify_notifications);
    if (rows > recorded) recorded = rows;
    /* The ids first: the moves delete behind a cursor. */
    uint64_t *ids = rows ? xcalloc(rows, sizeof *ids) : NULL;
    size_t n = 0, moved = 0;
    if ((rc = store_rc(mdb_cursor_open(txn, notify_notifications, &c)))) goto out;
    int crc = 0;
    for (int op = MDB_FIRST; n < rows && (crc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT)
        if (k.mv_size == 8) ids[n++] = store_from_be64(k.mv_data);
    mdb_cursor_close(c);
    if (crc && crc != MDB_NOTFOUND) {
        rc = store_rc(crc);
        goto out;
    }
    arena_t a;
    arena_init(&a);
    for (size_t i = 0; !rc && i < n; i++) {
        if (i % 1024 == 0) arena_reset(&a);
        Legalaid__Notification *note;
        unsigned char key[8];
        store_be64(ids[i], key);
        int grc = store_get_pb(txn, notify_notifications, key, 8,
                               &legalaid__notification__descriptor, &a.pb,
                               (ProtobufCMessage **)&note);
        if (grc) { /* does not open or decode: left where it is, still found by id */
            log_warn("notification %llu: left as it was (%s)", (unsigned long long)ids[i],
                     store_strerror(grc));
            continue;
        }
        if (note->state != LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED) continue;
        if (!notify_store_has_case(note)) { /* stays a row, kept as delivered ones are */
            Legalaid__Notification kept = notify_store_delivered(note);
            rc = store_put_pb(txn, notify_notifications, key, 8, &kept.base, 0);
            continue;
        }
        rc = notify_store_settle_case(txn, &a.pb, note);
        moved++;
    }
    arena_destroy(&a);
    if (!rc) rc = notify_store_drop_caseless(txn);
    if (!rc) rc = store_put_u64(txn, notify_meta, NOTIFY_STORE_LAST_ID, last);
    if (!rc) rc = store_put_u64(txn, notify_meta, NOTIFY_STORE_RECORDED, recorded);
    if (!rc) rc = store_put_u64(txn, notify_meta, NOTIFY_STORE_CASES_KEPT, 1);
    if (!rc && moved)
        log_info("notifications: %zu delivered ones moved into their cases' records", moved);
out:
    free(ids);
    return rc;
}

int notify_store_open(daemon_t *d, MDB_txn *txn)
{
    notify_meta = daemon_meta(d);
    int rc = store_table_sealed(txn, "notifications", &notify_notifications), first = 0;
    if (!rc) rc = store_table(txn, "by_case", &notify_by_case);
    if (!rc) rc = store_table_sealed(txn, "case_notes", &notify_case_notes);
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
    if (rc || !store_count(txn, notify_case_notes)) return rc;
    MDB_cursor *c;
    if ((rc = store_rc(mdb_cursor_open(txn, notify_case_notes, &c)))) return rc;
    MDB_val k, v;
    for (int op = MDB_FIRST; !rc && mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT) {
        Legalaid__NotificationList *l;
        if (store_get_pb(txn, notify_case_notes, k.mv_data, k.mv_size,
                         &legalaid__notification_list__descriptor, NULL, (ProtobufCMessage **)&l))
            continue; /* as store_each_pb: one that does not open is passed over */
        for (size_t i = 0; !rc && i < l->n_notifications; i++)
            rc = fn(txn, &l->notifications[i]->base, ctx);
        legalaid__notification_list__free_unpacked(l, NULL);
    }
    mdb_cursor_close(c);
    return rc;
}

int notify_store_age_status(turn_t *t, Legalaid__StreamStatus *st)
{
    return ageq_status(t->txn, &notify_store_ages, notify_store_age_queues, t->now, st, t->arena);
}

int notify_store_get(MDB_txn *txn, uint64_t id, arena_t *a, Legalaid__Notification **n)
{
    unsigned char key[8];
    store_be64(id, key);
    return store_get_pb(txn, notify_notifications, key, 8, &legalaid__notification__descriptor,
                        a ? &a->pb : NULL, (ProtobufCMessage **)n);
}

int notify_store_was_recorded(MDB_txn *txn, uint64_t id)
{
    uint64_t last;
    return id > 0 && store_get_u64(txn, notify_meta, NOTIFY_STORE_LAST_ID, &last) == 0 &&
           id <= last;
}

int notify_store_put(turn_t *t, const Legalaid__Notification *n)
{
    int rc = notify_store_age(t->txn, n, t->now);
    if (rc) return rc;
    int delivered = n->state == LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED;
    if (delivered && notify_store_has_case(n))
        return notify_store_settle_case(t->txn, &t->arena->pb, n);
    Legalaid__Notification kept = delivered ? notify_store_delivered(n) : *n;
    unsigned char key[8];
    store_be64(n->id, key);
    return store_put_pb(t->txn, notify_notifications, key, 8, &kept.base, 0);
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
    unsigned char key[8];
    store_be64(id, key);
    rc = store_put_pb(t->txn, notify_notifications, key, 8, &n->base, MDB_APPEND);
    if (!rc && notify_store_has_case(n)) {
        unsigned char ckey[LA_CASE_ID_MAX + 9];
        MDB_val ck = {notify_case_key(n->case_id, id, ckey), ckey}, cv = {0, ""};
        rc = store_rc(mdb_put(t->txn, notify_by_case, &ck, &cv, 0));
    }
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

static int notify_store_by_id(const void *a, const void *b)
{
    uint64_t x = (*(Legalaid__Notification *const *)a)->id;
    uint64_t y = (*(Legalaid__Notification *const *)b)->id;
    return x < y ? -1 : x > y;
}

int notify_store_case_each(turn_t *t, const char *case_id, notify_store_visit_fn visit, void *ctx)
{
    size_t cn = strlen(case_id);
    if (cn == 0 || cn > LA_CASE_ID_MAX) return 0;
    Legalaid__NotificationList *l;
    int rc = notify_store_case_get(t->txn, case_id, &t->arena->pb, &l);
    if (rc) return rc;
    /* The delivered ones, then the waiting ones by the index; all taken
     * before any is visited (a visit may rewrite its notification). */
    size_t n = l ? l->n_notifications : 0, cap = n + 8;
    Legalaid__Notification **all = arena_alloc(t->arena, cap * sizeof *all);
    if (n) memcpy(all, l->notifications, n * sizeof *all);
    unsigned char prefix[LA_CASE_ID_MAX + 1];
    memcpy(prefix, case_id, cn + 1);
    MDB_cursor *c;
    if ((rc = store_rc(mdb_cursor_open(t->txn, notify_by_case, &c)))) return rc;
    MDB_val k = {cn + 1, prefix}, v;
    for (int op = MDB_SET_RANGE; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        if (k.mv_size != cn + 9 || memcmp(k.mv_data, prefix, cn + 1) != 0) break;
        Legalaid__Notification *note;
        rc = store_get_pb(t->txn, notify_notifications, (const unsigned char *)k.mv_data + cn + 1,
                          8, &legalaid__notification__descriptor, &t->arena->pb,
                          (ProtobufCMessage **)&note);
        if (rc == MDB_NOTFOUND) continue; /* cannot happen: row and index move together */
        if (rc) break;
        if (n == cap) {
            Legalaid__Notification **grown = arena_alloc(t->arena, 2 * cap * sizeof *grown);
            memcpy(grown, all, n * sizeof *all);
            all = grown;
            cap *= 2;
        }
        all[n++] = note;
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    qsort(all, n, sizeof *all, notify_store_by_id);
    rc = 0;
    for (size_t i = 0; !rc && i < n; i++) rc = visit(t, all[i], ctx);
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
