/*
 * notify_store.h - notify's tables:
 *   "notifications"  id(BE64) -> Notification: each one while it waits
 *                    (pending, dead, unrouted), and those without a case
 *   "by_case"        case_id NUL id(BE64) -> empty: the waiting ones of a
 *                    case
 *   "case_notes"     case_id -> NotificationList: the case's delivered ones,
 *                    in id order, one record (sealed and packed:
 *                    what a case's messages repeat, its number, the names,
 *                    the words of its notices, is kept once)
 *   "parties"        case_id -> CaseParties (names and phones from intake)
 *   "contacts"       lawyer id -> LawyerContact (from offers, assignments,
 *                    shifts), so that a deadline owned by a lawyer reaches them;
 *                    an internship candidate's under the case id "INT-..."
 *                    (from the standing of each intern event: its reply
 *                    reminder is owned by that id)
 * and in "meta" the per-party counters "notify.party.<party>", the count
 * "notify.recorded", the last id given "notify.last_id", and
 * "notify.cases_kept" once a store of the earlier layout is moved over.
 * (notify_store.c the notifications, notify_parties.c the parties and
 * contacts.)
 *
 * A case's delivered notifications in one record (issue 16, the
 * footprint): kept as rows, a case's 5 or 6 messages took 906 bytes and
 * their index entries 185 more; its record keeps them in 458-579 (256
 * with a dictionary learnt from finished records: README, issue 16). A
 * waiting one stays a row by id, which the outbox reads and rewrites at
 * each attempt without touching the case's record; it joins the record
 * once, when delivered. A store of the earlier layout (every one a row,
 * delivered or not) is moved over at its first open; its format is 4
 * (common/daemon_store.c), which earlier builds refuse. A delivered
 * notification keeps neither its destination nor its idempotency key: it
 * is never sent again (re-driving takes dead ones only), and a destination
 * is never listed.
 *
 * No event is recorded twice, with no index of its own for that (earlier
 * builds kept "by_source", 65 bytes a notification; dropped at open): the
 * offset of each upstream advances in the transaction that applies its
 * event (DESIGN.md "Streams"), the rule table has one row per (event kind,
 * party) (test-notify checks it), and the deadline notices name each
 * party once (notify_rules_deadline). Were one sent twice all the same, it
 * carries the same idempotency key, which the gateway drops
 * (notify_outbox.c). The outbox
 * indexes are notify_outbox.c's. The tables floor: no rule, no routing;
 * recording a notification together with its outbox entry is
 * notify_outbox_record's (notify_outbox.c). A module header because a unit
 * test reads the notifications (notify_store_each).
 */
#ifndef LA_NOTIFY_STORE_H
#define LA_NOTIFY_STORE_H

#include "daemon.h"
#include "la_limits.h"
#include "store.h"

/* Keys hold a case_id of at most LA_CASE_ID_MAX and an event_id of at most
 * LA_EVENT_ID_MAX bytes (la_limits.h); an event with longer ones is
 * refused (notify_rules_apply). Lawyer ids and station codes are keyed
 * within the same LA_CASE_ID_MAX bound, above their own limits. */

/* Opens notify's tables (the parties' too), moving a store of the earlier
 * layout over. */
int notify_store_open(daemon_t *d, MDB_txn *txn);
int notify_parties_open(MDB_txn *txn);
/* fn on every notification kept: the rows (waiting ones, those without a
 * case) by id, then each case's delivered ones; not in id order overall.
 * For a pass at open, and tests. */
int notify_store_each(MDB_txn *txn, store_each_fn fn, void *ctx);

/* The outbox by state and age ("outbox.pending", "outbox.retrying",
 * "outbox.dead", "outbox.unrouted", "outbox.awaiting_contact"; ageq.h,
 * table "ages"), kept by notify_store_add and notify_store_put and filled
 * once at the first open with them, into the status. */
int notify_store_age_status(turn_t *t, Legalaid__StreamStatus *st);

/* Stores n (id and recorded_at are set here) with its case's index entry
 * and counts it. The outbox
 * entry is the caller's (notify_outbox_record). Returns 0 or a store
 * error. n must live in t's arena. */
int notify_store_add(turn_t *t, Legalaid__Notification *n);

/* The parties of case_id, or *p = NULL when notify has not heard of them.
 * Returns 0 or a store error. */
int notify_parties_get(turn_t *t, const char *case_id, Legalaid__CaseParties **p);

/* A case's parties read at most once for one event or one deadline:
 * each of its notifications asks for the same case, and recording one
 * changes no party (zero-initialise it for each case). */
typedef struct notify_parties_memo {
    int known;
    Legalaid__CaseParties *p; /* NULL: notify has not heard of them */
} notify_parties_memo_t;

/* notify_parties_get of case_id through m: the store is read the first
 * time only ("" reads nothing: *p = NULL). 0 or a store error. */
int notify_parties_memo_get(turn_t *t, const char *case_id, notify_parties_memo_t *m,
                            Legalaid__CaseParties **p);

/* Merges what learned says (non-empty fields win) into the case's parties
 * and stores them; *merged (arena) gets the result. Filling in the
 * notifications held for the contact is notify_outbox_parties_learn's.
 * Returns 0 or a store error. */
int notify_parties_learn(turn_t *t, const Legalaid__CaseParties *learned,
                         Legalaid__CaseParties **merged);

/* Calls visit for each notification of case_id, in id order, until it
 * returns non-zero (that is returned). 0 or a store error. */
typedef int (*notify_store_visit_fn)(turn_t *t, Legalaid__Notification *n, void *ctx);
int notify_store_case_each(turn_t *t, const char *case_id, notify_store_visit_fn visit, void *ctx);

/* All notifications of case_id in id order (arena); an unknown case gives
 * an empty list. Returns 0 or a store error. */
int notify_store_list(turn_t *t, const char *case_id, Legalaid__NotificationList *out);

/* One notification by id (unpacked with a's allocator; a NULL: malloc):
 * 0, MDB_NOTFOUND or a store error. Finds the waiting ones and those
 * without a case; a delivered one of a case is read with its case
 * (notify_store_case_each). Usable with a read-only txn. */
int notify_store_get(MDB_txn *txn, uint64_t id, arena_t *a, Legalaid__Notification **n);
/* Rewrites n (recorded by notify_store_add and still waiting); delivered,
 * it moves to its case's record. */
int notify_store_put(turn_t *t, const Legalaid__Notification *n);
/* Whether id was given to a notification (one notify_store_get no longer
 * finds was delivered, and is kept with its case). */
int notify_store_was_recorded(MDB_txn *txn, uint64_t id);

/* Learns (or updates) a lawyer's name and phone (or a candidate's, under the
 * internship case id); an empty id is ignored. */
int notify_parties_contact_learn(turn_t *t, const char *id, const char *name, const char *phone);
/* The lawyer's contact, or *c = NULL when not known. */
int notify_parties_contact_get(turn_t *t, const char *id, Legalaid__LawyerContact **c);

/* Notifications recorded for party (0: all of them). */
int notify_store_count(turn_t *t, Legalaid__Party party, uint64_t *count);

#endif
