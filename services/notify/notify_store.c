/*
 * notify_store.c - notify's tables (layout in notify_store.h): recording a
 * notification with its indexes, the parties of each case, listing.
 */
#include "notify_store.h"

#include <stdio.h>
#include <string.h>

#include "ageq.h"
#include "clock.h"

#include "log.h"
#include "store.h"

static MDB_dbi notify_notifications, notify_by_case, notify_parties, notify_contacts;
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

int notify_store_open(MDB_txn *txn)
{
    int rc = store_table_sealed(txn, "notifications", &notify_notifications), first = 0;
    if (!rc) rc = store_table(txn, "by_case", &notify_by_case);
    /* "by_source" (source event, party -> id), kept by earlier builds
     * against an event recorded twice, is not needed (notify_store.h): its
     * pages are freed at the first open. */
    size_t dropped;
    if (!rc) rc = store_table_drop(txn, "by_source", &dropped);
    if (!rc && dropped) log_info("by_source dropped: %zu entries no longer kept", dropped);
    if (!rc) rc = store_table_sealed(txn, "parties", &notify_parties);
    if (!rc) rc = store_table_sealed(txn, "contacts", &notify_contacts);
    if (!rc) rc = ageq_open(txn, &notify_store_ages, NULL);
    if (!rc) rc = ageq_once(txn, &notify_store_ages, "outbox", &first);
    if (!rc && first && store_count(txn, notify_notifications))
        rc = store_each_pb(txn, notify_notifications, &legalaid__notification__descriptor,
                           notify_store_age_one, NULL);
    return rc;
}

int notify_store_each(MDB_txn *txn, store_each_fn fn, void *ctx)
{
    if (!store_count(txn, notify_notifications)) return 0;
    return store_each_pb(txn, notify_notifications, &legalaid__notification__descriptor, fn, ctx);
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

int notify_store_put(MDB_txn *txn, const Legalaid__Notification *n)
{
    int rc = notify_store_age(txn, n, clock_now_ms());
    if (rc) return rc;
    unsigned char key[8];
    store_be64(n->id, key);
    return store_put_pb(txn, notify_notifications, key, 8, &n->base, 0);
}

int notify_store_contact_learn(turn_t *t, const char *id, const char *name, const char *phone)
{
    if (!id || !id[0] || strlen(id) > LA_CASE_ID_MAX) return 0;
    Legalaid__LawyerContact *c;
    int rc = notify_store_contact_get(t, id, &c);
    if (rc) return rc;
    if (!c) {
        c = ARENA_NEW(t->arena, Legalaid__LawyerContact, legalaid__lawyer_contact__init);
        c->id = (char *)id;
    }
    int changed = 0;
    if (name && name[0] && (!c->name || strcmp(c->name, name) != 0)) {
        c->name = (char *)name;
        changed = 1;
    }
    if (phone && phone[0] && (!c->phone || strcmp(c->phone, phone) != 0)) {
        c->phone = (char *)phone;
        changed = 1;
    }
    if (!changed) return 0;
    return store_put_pb(t->txn, notify_contacts, id, strlen(id), &c->base, 0);
}

int notify_store_contact_get(turn_t *t, const char *id, Legalaid__LawyerContact **c)
{
    *c = NULL;
    if (!id || !id[0] || strlen(id) > LA_CASE_ID_MAX) return 0;
    int rc =
        store_get_pb(t->txn, notify_contacts, id, strlen(id), &legalaid__lawyer_contact__descriptor,
                     &t->arena->pb, (ProtobufCMessage **)c);
    if (rc == MDB_NOTFOUND) {
        *c = NULL;
        return 0;
    }
    return rc;
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

static int notify_next_id(turn_t *t, uint64_t *id)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, notify_notifications, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    *id = rc == 0 && k.mv_size == 8 ? store_from_be64(k.mv_data) + 1 : 1;
    mdb_cursor_close(c);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

static size_t notify_case_key(const char *case_id, uint64_t id, unsigned char *key)
{
    size_t n = case_id ? strlen(case_id) : 0;
    if (n) memcpy(key, case_id, n);
    key[n] = 0;
    store_be64(id, key + n + 1);
    return n + 9;
}

int notify_store_add(turn_t *t, Legalaid__Notification *n)
{
    uint64_t id;
    int rc = notify_next_id(t, &id);
    if (rc) return rc;
    unsigned char idkey[8];
    store_be64(id, idkey);

    n->id = id;
    n->has_id = 1;
    n->recorded_at = t->now;
    n->has_recorded_at = 1;
    rc = store_put_pb(t->txn, notify_notifications, idkey, 8, &n->base, MDB_APPEND);
    if (!rc) rc = notify_store_age(t->txn, n, t->now);
    if (rc) return rc;
    unsigned char ckey[LA_CASE_ID_MAX + 9];
    MDB_val ck = {notify_case_key(n->case_id, id, ckey), ckey}, cv = {0, ""};
    rc = store_rc(mdb_put(t->txn, notify_by_case, &ck, &cv, 0));
    if (rc) return rc;
    uint64_t count;
    const char *counter = notify_party_key(n->party);
    rc = store_get_u64(t->txn, daemon_meta(t->d), counter, &count);
    if (!rc) rc = store_put_u64(t->txn, daemon_meta(t->d), counter, count + 1);
    if (rc) return rc;
    log_debug("notification id=%llu case=%s party=%d kind=%s", (unsigned long long)id,
              n->case_id && n->case_id[0] ? n->case_id : "-", (int)n->party, n->kind);
    return 0;
}

int notify_store_parties_get(turn_t *t, const char *case_id, Legalaid__CaseParties **p)
{
    *p = NULL;
    int rc =
        store_get_pb(t->txn, notify_parties, case_id, strlen(case_id),
                     &legalaid__case_parties__descriptor, &t->arena->pb, (ProtobufCMessage **)p);
    if (rc == MDB_NOTFOUND) {
        *p = NULL;
        return 0;
    }
    return rc;
}

static int notify_present(const char *s)
{
    return s && s[0];
}

int notify_store_case_each(turn_t *t, const char *case_id, notify_store_visit_fn visit, void *ctx)
{
    size_t n = strlen(case_id);
    if (n > LA_CASE_ID_MAX) return 0;
    unsigned char prefix[LA_CASE_ID_MAX + 1];
    memcpy(prefix, case_id, n);
    prefix[n] = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, notify_by_case, &c);
    if (rc) return store_rc(rc);
    MDB_val k = {n + 1, prefix}, v;
    int op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != n + 9 || memcmp(k.mv_data, prefix, n + 1) != 0) break;
        Legalaid__Notification *note;
        rc = store_get_pb(t->txn, notify_notifications, (const unsigned char *)k.mv_data + n + 1, 8,
                          &legalaid__notification__descriptor, &t->arena->pb,
                          (ProtobufCMessage **)&note);
        if (rc == MDB_NOTFOUND) continue; /* cannot happen: row and index move together */
        if (rc) break;
        rc = visit(t, note, ctx);
        if (rc) break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static void notify_merge(char **into, const char *from)
{
    if (notify_present(from)) *into = (char *)from;
}

int notify_store_parties_learn(turn_t *t, const Legalaid__CaseParties *learned,
                               Legalaid__CaseParties **merged)
{
    Legalaid__CaseParties *p;
    int rc = notify_store_parties_get(t, learned->case_id, &p);
    if (rc) return rc;
    if (!p) {
        p = ARENA_NEW(t->arena, Legalaid__CaseParties, legalaid__case_parties__init);
        p->case_id = learned->case_id;
    }
    notify_merge(&p->applicant_name, learned->applicant_name);
    notify_merge(&p->applicant_phone, learned->applicant_phone);
    notify_merge(&p->authority_name, learned->authority_name);
    notify_merge(&p->authority_phone, learned->authority_phone);
    if (learned->urgent) {
        p->urgent = 1;
        p->has_urgent = 1;
    }
    if (learned->has_authority_kind && learned->authority_kind) {
        p->authority_kind = learned->authority_kind;
        p->has_authority_kind = 1;
    }
    *merged = p;
    return store_put_pb(t->txn, notify_parties, p->case_id, strlen(p->case_id), &p->base, 0);
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
    if (party == LEGALAID__PARTY__PARTY_UNSPECIFIED) {
        *count = store_count(t->txn, notify_notifications);
        return 0;
    }
    return store_get_u64(t->txn, daemon_meta(t->d), notify_party_key(party), count);
}
