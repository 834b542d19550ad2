/*
 * notify_outbox.c - the outbox state machine (states in notify_outbox.h):
 * recording a notification with its outbox entry, routing it to its
 * channel, routing the ones held for a contact once the case's parties
 * are known, the outbox indexes, and settling each attempt.
 */
#include "notify_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "store.h"

MDB_dbi notify_outbox_due_dbi, notify_outbox_dead_dbi, notify_station_box_dbi,
    notify_outbox_unrouted_dbi;

static int outbox_unrouted_put(MDB_txn *txn, uint64_t id);

static int outbox_unrouted_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    const Legalaid__Notification *n = (const Legalaid__Notification *)m;
    if (n->state != LEGALAID__OUTBOX_STATE__OUTBOX_UNROUTED) return 0;
    ++*(size_t *)ctx;
    return outbox_unrouted_put(txn, n->id);
}

int notify_outbox_open(MDB_txn *txn)
{
    /* A store from before the unrouted list: the notifications left
     * unrouted are listed once, when the list is made. */
    MDB_dbi probe;
    int fresh = mdb_dbi_open(txn, "outbox_unrouted", 0, &probe) == MDB_NOTFOUND;
    int rc = store_table(txn, "outbox_due", &notify_outbox_due_dbi);
    if (!rc) rc = store_table(txn, "outbox_dead", &notify_outbox_dead_dbi);
    if (!rc) rc = store_table(txn, "station_box", &notify_station_box_dbi);
    if (!rc) rc = store_table(txn, "outbox_unrouted", &notify_outbox_unrouted_dbi);
    size_t n = 0;
    if (!rc && fresh) rc = notify_store_each(txn, outbox_unrouted_one, &n);
    if (!rc && n) log_info("unrouted notifications: %zu listed once", n);
    return rc;
}

static int outbox_present(const char *s)
{
    return s && s[0];
}

/* A person at home (an applicant, an internship candidate) is not texted
 * in the quiet hours unless the matter is urgent; lawyers, firms,
 * authorities and staff are. */
static int outbox_quiet(const Legalaid__Notification *n)
{
    return (n->party == LEGALAID__PARTY__APPLICANT || n->party == LEGALAID__PARTY__CANDIDATE) &&
           !n->urgent;
}

void notify_outbox_route(turn_t *t, Legalaid__Notification *n, const char *phone,
                         int authority_kind)
{
    arena_t *a = t->arena;
    if (!n->idempotency_key)
        n->idempotency_key = arena_printf(a, "legalaid-notify:%s:%s", n->source_event,
                                          notify_render_party(n->party));
    n->has_state = 1;
    n->state = LEGALAID__OUTBOX_STATE__OUTBOX_PENDING;
    n->has_channel = 1;
    n->channel = LEGALAID__NOTIFY_CHANNEL__CHANNEL_NONE;
    n->has_next_attempt_at = 1;
    n->next_attempt_at = t->now;
    if (n->contact_pending) return; /* routed when the contact arrives */
    int sms = outbox_present(notify_config.sms_url);
    const char *url = NULL;
    switch (n->party) {
    case LEGALAID__PARTY__STATION:
        if (outbox_present(n->station)) {
            n->channel = LEGALAID__NOTIFY_CHANNEL__CHANNEL_STATION;
            n->destination = n->station;
        }
        break;
    case LEGALAID__PARTY__STAFF:
        if (outbox_present(notify_config.webhook_staff)) {
            n->channel = LEGALAID__NOTIFY_CHANNEL__CHANNEL_WEBHOOK;
            n->destination = notify_config.webhook_staff;
        } else if (sms && outbox_present(notify_config.staff_phones)) {
            n->channel = LEGALAID__NOTIFY_CHANNEL__CHANNEL_SMS;
            n->destination = notify_config.staff_phones;
        }
        break;
    case LEGALAID__PARTY__AUTHORITY:
        url = notify_config_webhook(authority_kind, n->recipient);
        if (url) {
            n->channel = LEGALAID__NOTIFY_CHANNEL__CHANNEL_WEBHOOK;
            n->destination = arena_strdup(a, url);
            break;
        }
        /* By SMS to the authority's phone. */
        __attribute__((fallthrough));
    default:
        if (sms && outbox_present(phone)) {
            n->channel = LEGALAID__NOTIFY_CHANNEL__CHANNEL_SMS;
            n->destination = arena_strdup(a, phone);
        }
        break;
    }
    if (n->channel == LEGALAID__NOTIFY_CHANNEL__CHANNEL_NONE) {
        if (outbox_present(notify_config.spool_dir)) {
            n->channel = LEGALAID__NOTIFY_CHANNEL__CHANNEL_SPOOL;
        } else {
            n->state = LEGALAID__OUTBOX_STATE__OUTBOX_UNROUTED;
            n->has_next_attempt_at = 0;
            return;
        }
    }
    if (outbox_quiet(n)) n->next_attempt_at = notify_config_quiet_release(t->now);
}

static size_t outbox_due_key(int64_t at, uint64_t id, unsigned char key[16])
{
    store_be64((uint64_t)(at < 0 ? 0 : at), key);
    store_be64(id, key + 8);
    return 16;
}

size_t notify_outbox_station_key(const char *station, uint64_t id, unsigned char *key)
{
    size_t n = strlen(station);
    memcpy(key, station, n);
    key[n] = 0;
    store_be64(id, key + n + 1);
    return n + 9;
}

int notify_outbox_meta_add(turn_t *t, const char *name, uint64_t delta)
{
    uint64_t v;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), name, &v);
    if (!rc) rc = store_put_u64(t->txn, daemon_meta(t->d), name, v + delta);
    return rc;
}

/* Lists notification id among the unrouted ones (legalaidctl notifications
 * unrouted), dropping the oldest past NOTIFY_UNROUTED_KEEP: the counter
 * notify.unrouted keeps counting them all. */
static int outbox_unrouted_put(MDB_txn *txn, uint64_t id)
{
    unsigned char key[8];
    store_be64(id, key);
    MDB_val k = {8, key}, v = {0, ""};
    int rc = store_rc(mdb_put(txn, notify_outbox_unrouted_dbi, &k, &v, 0));
    if (rc || store_count(txn, notify_outbox_unrouted_dbi) <= NOTIFY_UNROUTED_KEEP) return rc;
    MDB_cursor *c;
    rc = store_rc(mdb_cursor_open(txn, notify_outbox_unrouted_dbi, &c));
    if (rc) return rc;
    if (mdb_cursor_get(c, &k, &v, MDB_FIRST) == 0) rc = store_rc(mdb_cursor_del(c, 0));
    mdb_cursor_close(c);
    return rc;
}

int notify_outbox_due_put(turn_t *t, const Legalaid__Notification *n)
{
    unsigned char key[16];
    MDB_val k = {outbox_due_key(n->next_attempt_at, n->id, key), key}, v = {0, ""};
    return store_rc(mdb_put(t->txn, notify_outbox_due_dbi, &k, &v, 0));
}

int notify_outbox_index(turn_t *t, const Legalaid__Notification *n)
{
    if (n->state == LEGALAID__OUTBOX_STATE__OUTBOX_UNROUTED) {
        int rc = notify_outbox_meta_add(t, "notify.unrouted", 1);
        return rc ? rc : outbox_unrouted_put(t->txn, n->id);
    }
    if (n->state != LEGALAID__OUTBOX_STATE__OUTBOX_PENDING || n->contact_pending) return 0;
    if (n->channel == LEGALAID__NOTIFY_CHANNEL__CHANNEL_STATION) {
        if (strlen(n->station) > LA_CASE_ID_MAX) return 0;
        unsigned char key[LA_CASE_ID_MAX + 9];
        MDB_val k = {notify_outbox_station_key(n->station, n->id, key), key}, v = {0, ""};
        return store_rc(mdb_put(t->txn, notify_station_box_dbi, &k, &v, 0));
    }
    return notify_outbox_due_put(t, n);
}

int notify_outbox_record(turn_t *t, Legalaid__Notification *n)
{
    int rc = notify_store_add(t, n);
    return rc ? rc : notify_outbox_index(t, n);
}

static int outbox_fill_contact(turn_t *t, Legalaid__Notification *n, void *ctx)
{
    const Legalaid__CaseParties *p = ctx;
    if (!n->contact_pending) return 0;
    const char *name = NULL, *phone = NULL;
    int kind = 0;
    if (n->party == LEGALAID__PARTY__APPLICANT) {
        name = p->applicant_name;
        phone = p->applicant_phone;
    } else if (n->party == LEGALAID__PARTY__AUTHORITY) {
        name = p->authority_name;
        phone = p->authority_phone;
        kind = p->authority_kind;
    }
    if (!outbox_present(name)) return 0;
    n->recipient = (char *)name;
    n->address = notify_render_phone_mask(t->arena, phone);
    n->contact_pending = 0;
    n->has_contact_pending = 0;
    if (p->urgent) {
        n->urgent = 1;
        n->has_urgent = 1;
    }
    /* Now that the contact is known, the notification can go out. */
    notify_outbox_route(t, n, phone, kind);
    int rc = notify_outbox_index(t, n);
    if (rc) return rc;
    return notify_store_put(t, n);
}

int notify_outbox_parties_learn(turn_t *t, const Legalaid__CaseParties *learned,
                                notify_parties_memo_t *m)
{
    Legalaid__CaseParties *p;
    int rc = notify_parties_learn(t, learned, &p);
    if (rc) return rc;
    m->known = 1;
    m->p = p;
    return notify_store_case_each(t, p->case_id, outbox_fill_contact, p);
}

/* The jitter of one retry: a mix (splitmix64's finaliser) of the
 * notification's id and its attempt, not a random draw, so that a retry's
 * time is the same on every run and every machine (a test states it
 * exactly), while many notifications failing at once (the gateway down)
 * still spread over the window: their ids differ. */
static uint64_t outbox_jitter_mix(uint64_t id, uint32_t attempts)
{
    uint64_t z = id * 0x9e3779b97f4a7c15ULL + attempts;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int64_t notify_outbox_backoff(uint64_t id, uint32_t attempts)
{
    int64_t delay = notify_config.retry_base_ms;
    for (uint32_t i = 1; i < attempts && delay < notify_config.retry_max_ms; i++) delay *= 2;
    if (delay > notify_config.retry_max_ms) delay = notify_config.retry_max_ms;
    /* Equal jitter: half fixed, half spread, so that many failures at once
     * (the gateway down) do not all come back at the same instant. */
    int64_t half = delay / 2;
    return delay - half + (int64_t)(outbox_jitter_mix(id, attempts) % (uint64_t)(half + 1));
}

/* NotificationDelivered and NotificationFailed open with the same six
 * fields (notify.proto: id, case_id, party, kind, channel, attempts), each
 * a field of Notification by the same name and type: copies them from n
 * into e (either event) through the messages' descriptors, so the two
 * events are filled in one place. */
static void outbox_event_fill(ProtobufCMessage *e, const Legalaid__Notification *n)
{
    static const char *const shared[] = {"id", "case_id", "party", "kind", "channel", "attempts"};
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++) {
        const ProtobufCFieldDescriptor *to =
            protobuf_c_message_descriptor_get_field_by_name(e->descriptor, shared[i]);
        const ProtobufCFieldDescriptor *from =
            protobuf_c_message_descriptor_get_field_by_name(n->base.descriptor, shared[i]);
        assert(to && from && to->type == from->type);
        size_t size = to->type == PROTOBUF_C_TYPE_STRING   ? sizeof(char *)
                      : to->type == PROTOBUF_C_TYPE_UINT64 ? sizeof(uint64_t)
                                                           : sizeof(uint32_t); /* enum, uint32 */
        memcpy((char *)e + to->offset, (const char *)n + from->offset, size);
        if (to->type != PROTOBUF_C_TYPE_STRING)
            *(protobuf_c_boolean *)((char *)e + to->quantifier_offset) = 1;
    }
}

int notify_outbox_emit_delivered(turn_t *t, const Legalaid__Notification *n)
{
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_NOTIFICATION_DELIVERED;
    Legalaid__NotificationDelivered *d = ARENA_NEW(t->arena, Legalaid__NotificationDelivered,
                                                   legalaid__notification_delivered__init);
    outbox_event_fill(&d->base, n);
    d->idempotency_key = n->idempotency_key;
    ev->notification_delivered = d;
    int rc = turn_emit(t, n->case_id ? n->case_id : "", ev);
    if (!rc) rc = notify_outbox_meta_add(t, "notify.delivered", 1);
    return rc;
}

static int outbox_emit_dead(turn_t *t, const Legalaid__Notification *n)
{
    Legalaid__NotificationFailed *f =
        ARENA_NEW(t->arena, Legalaid__NotificationFailed, legalaid__notification_failed__init);
    outbox_event_fill(&f->base, n);
    f->reason = n->last_error;
    f->dead = 1;
    f->has_dead = 1;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_NOTIFICATION_FAILED;
    ev->notification_failed = f;
    return turn_emit(t, n->case_id ? n->case_id : "", ev);
}

int notify_outbox_settle(turn_t *t, uint64_t id, int ok, const char *error)
{
    Legalaid__Notification *n;
    int rc = notify_store_get(t->txn, id, t->arena, &n);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    if (n->state != LEGALAID__OUTBOX_STATE__OUTBOX_PENDING ||
        n->channel == LEGALAID__NOTIFY_CHANNEL__CHANNEL_STATION)
        return 0; /* re-driven or settled already: this outcome is stale */
    unsigned char key[16];
    MDB_val k = {outbox_due_key(n->next_attempt_at, n->id, key), key};
    rc = mdb_del(t->txn, notify_outbox_due_dbi, &k, NULL);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    n->attempts++;
    n->has_attempts = 1;
    if (ok) {
        n->state = LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED;
        n->delivered_at = t->now;
        n->has_delivered_at = 1;
        n->has_next_attempt_at = 0;
        log_debug("delivered id=%llu case=%s attempts=%u", (unsigned long long)id,
                  n->case_id && n->case_id[0] ? n->case_id : "-", n->attempts);
        rc = notify_outbox_emit_delivered(t, n);
        if (!rc) rc = notify_store_put(t, n);
        return rc;
    }
    n->last_error = arena_strdup(t->arena, error ? error : "failed");
    rc = notify_outbox_meta_add(t, "notify.failed_attempts", 1);
    if (rc) return rc;
    if (n->attempts >= (uint32_t)notify_config.max_attempts) {
        n->state = LEGALAID__OUTBOX_STATE__OUTBOX_DEAD;
        n->has_next_attempt_at = 0;
        unsigned char dk[8];
        store_be64(n->id, dk);
        MDB_val dkey = {8, dk}, v = {0, ""};
        rc = store_rc(mdb_put(t->txn, notify_outbox_dead_dbi, &dkey, &v, 0));
        if (!rc) rc = outbox_emit_dead(t, n);
        log_warn("dead letter id=%llu case=%s attempts=%u: %s", (unsigned long long)id,
                 n->case_id && n->case_id[0] ? n->case_id : "-", n->attempts, n->last_error);
    } else {
        int64_t at = t->now + notify_outbox_backoff(n->id, n->attempts);
        if (outbox_quiet(n)) at = notify_config_quiet_release(at);
        n->next_attempt_at = at;
        n->has_next_attempt_at = 1;
        rc = notify_outbox_due_put(t, n);
    }
    if (!rc) rc = notify_store_put(t, n);
    return rc;
}

size_t notify_outbox_due(MDB_txn *txn, int64_t now, uint64_t *ids, size_t max)
{
    MDB_cursor *c;
    if (mdb_cursor_open(txn, notify_outbox_due_dbi, &c)) return 0;
    MDB_val k, v;
    size_t n = 0;
    int op = MDB_FIRST;
    while (n < max && mdb_cursor_get(c, &k, &v, op) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != 16) continue;
        if ((int64_t)store_from_be64(k.mv_data) > now) break;
        ids[n++] = store_from_be64((const unsigned char *)k.mv_data + 8);
    }
    mdb_cursor_close(c);
    return n;
}

int notify_outbox_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    static const char *const meta[][2] = {
        {"outbox.delivered", "notify.delivered"},
        {"outbox.failed_attempts", "notify.failed_attempts"},
        {"outbox.unrouted", "notify.unrouted"},
    };
    turn_counter(t, st, "outbox.pending",
                 store_count(t->txn, notify_outbox_due_dbi) +
                     store_count(t->txn, notify_station_box_dbi));
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        uint64_t v;
        int rc = store_get_u64(t->txn, daemon_meta(t->d), meta[i][1], &v);
        if (rc) return rc;
        turn_counter(t, st, meta[i][0], v);
    }
    turn_counter(t, st, "outbox.dead", store_count(t->txn, notify_outbox_dead_dbi));
    return 0;
}
