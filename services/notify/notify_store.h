/*
 * notify_store.h - notify's tables:
 *   "notifications"  id(BE64) -> Notification
 *   "by_case"        case_id NUL id(BE64) -> empty (no case: NUL id)
 *   "by_source"      source event_id NUL party(1 byte) -> id(BE64), put with
 *                    MDB_NOOVERWRITE: one event never records the same party
 *                    twice (the offsets already make delivery exactly-once;
 *                    this is defence in depth against a re-driven event)
 *   "parties"        case_id -> CaseParties (names and phones from intake)
 *   "contacts"       lawyer id -> LawyerContact (from offers, assignments,
 *                    shifts), so that a deadline owned by a lawyer reaches them
 * and in "meta" the per-party counters "notify.party.<party>". The outbox
 * indexes are notify_outbox.c's.
 */
#ifndef LA_NOTIFY_STORE_H
#define LA_NOTIFY_STORE_H

#include "daemon.h"

/* Longest case_id / event_id that fits the keys; longer ones are refused. */
#define NOTIFY_CASE_ID_MAX 256
#define NOTIFY_EVENT_ID_MAX 128

int notify_store_open(MDB_txn *txn);

/* Records n (id and recorded_at are set here, and its outbox entry, as
 * notify_outbox_route() chose it) unless its source_event has already
 * recorded n->party: then *recorded is 0 and nothing changes. Returns 0 or
 * a store error. n must live in t's arena. */
int notify_record(turn_t *t, Legalaid__Notification *n, int *recorded);

/* The parties of case_id, or *p = NULL when notify has not heard of them.
 * Returns 0 or a store error. */
int notify_parties_get(turn_t *t, const char *case_id, Legalaid__CaseParties **p);

/* Merges what learned says (non-empty fields win) into the case's parties,
 * and fills in the name and address of the case's notifications recorded
 * while the contact was not known yet. Returns 0 or a store error. */
int notify_parties_learn(turn_t *t, const Legalaid__CaseParties *learned);

/* All notifications of case_id in id order (arena); an unknown case gives
 * an empty list. Returns 0 or a store error. */
int notify_list(turn_t *t, const char *case_id, Legalaid__NotificationList *out);

/* One notification by id (unpacked with a's allocator; a NULL: malloc):
 * 0, MDB_NOTFOUND or a store error. Usable with a read-only txn. */
int notify_store_get(MDB_txn *txn, uint64_t id, arena_t *a, Legalaid__Notification **n);
/* Rewrites the row of n->id. */
int notify_store_put(MDB_txn *txn, const Legalaid__Notification *n);

/* Learns (or updates) a lawyer's name and phone; an empty id is ignored. */
int notify_contact_learn(turn_t *t, const char *id, const char *name, const char *phone);
/* The lawyer's contact, or *c = NULL when not known. */
int notify_contact_get(turn_t *t, const char *id, Legalaid__LawyerContact **c);

/* Notifications recorded for party (0: all of them). */
int notify_count(turn_t *t, Legalaid__Party party, uint64_t *count);

#endif
