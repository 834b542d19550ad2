/*
 * notify_outbox.h - the outbox: which channel each notification goes by,
 * and its delivery states, kept in LMDB so that nothing is lost or sent
 * twice across a crash:
 *
 *   "outbox_due"   next_attempt_at(BE64) id(BE64) -> empty: PENDING rows an
 *                  HTTP or spool attempt is due for (the pump reads it)
 *   "outbox_dead"  id(BE64) -> empty: the dead letters
 *   "station_box"  station NUL id(BE64) -> empty: messages a station's
 *                  terminal has not acknowledged yet (StationFetch)
 *   "outbox_unrouted" id(BE64) -> empty: the newest NOTIFY_UNROUTED_KEEP
 *                  messages no channel reached (NotificationsQuery UNROUTED)
 * and in "meta": notify.delivered, notify.failed_attempts, notify.unrouted.
 *
 * The state machine of a notification (Notification.state):
 *
 *   recorded --route--> PENDING   --attempt ok-------------> DELIVERED
 *                       PENDING   --attempt failed---------> PENDING (backoff)
 *                       PENDING   --failed, attempts spent-> DEAD
 *                       DEAD      --staff re-drive---------> PENDING
 *            --no channel--> UNROUTED
 *   contact not known yet: PENDING without an outbox entry until it is.
 *
 * The row is committed before any attempt; an attempt runs outside the
 * write transaction and its outcome is settled in a later turn
 * (notify_outbox_settle, from the tick), so a slow gateway never holds a
 * turn. An attempt whose outcome is lost (crash) is made again with the
 * same idempotency key: the gateway drops the repeat.
 */
#ifndef LA_NOTIFY_OUTBOX_H
#define LA_NOTIFY_OUTBOX_H

#include "daemon.h"
#include "notify_store.h"

/* How many unrouted messages are listed; older ones only count. */
#define NOTIFY_UNROUTED_KEEP 10000

int notify_outbox_open(MDB_txn *txn);

/* Records n: stores it (notify_store_add) and puts it in the outbox index
 * its state and channel call for (its route, as notify_outbox_route()
 * chose it). Returns 0 or a store error. n must live in t's arena. */
int notify_outbox_record(turn_t *t, Legalaid__Notification *n);

/* Merges what learned says into the case's parties (notify_store.c), and
 * fills in the name and address of the case's notifications recorded
 * while the contact was not known yet, routing them now. m (the event's
 * memo of the case's parties) gets the merged parties. Returns 0 or a
 * store error. */
int notify_outbox_parties_learn(turn_t *t, const Legalaid__CaseParties *learned,
                                notify_parties_memo_t *m);

/* Chooses n's channel and destination from the recipient's phone (may be
 * NULL) and, for an authority, its kind; sets its idempotency key, state
 * and first attempt time (after the quiet hours for an applicant's or an
 * internship candidate's message that is not urgent). */
void notify_outbox_route(turn_t *t, Legalaid__Notification *n, const char *phone,
                         int authority_kind);
/* Puts n (id set) in the outbox index its state and channel call for. */
int notify_outbox_index(turn_t *t, const Legalaid__Notification *n);

/* Settles one attempt of notification id: delivered, or failed with error
 * (tried again after a backoff with jitter, or a dead letter once
 * max_attempts are spent). Emits NotificationDelivered or, for a dead
 * letter, NotificationFailed. An id no longer PENDING is left alone. */
int notify_outbox_settle(turn_t *t, uint64_t id, int ok, const char *error);

/* The wait before the attempt after attempt number attempts (1, 2 ...) of
 * notification id: retry_base_ms doubled each time up to retry_max_ms, the
 * upper half of it spread by a mix of id and attempts (jitter that is the
 * same on every run, so a test asserts the exact time). */
int64_t notify_outbox_backoff(uint64_t id, uint32_t attempts);

/* Up to max ids whose attempt is due at now, in due order, read with txn
 * (read-only is enough). Returns how many. */
size_t notify_outbox_due(MDB_txn *txn, int64_t now, uint64_t *ids, size_t max);

/* Requests: staff's (notify_outbox_ops.c), terminals' (notify_station.c). */
int notify_outbox_ops_redrive(turn_t *t, const Legalaid__RedriveNotification *r,
                              Legalaid__Reply *reply);
int notify_outbox_ops_query(turn_t *t, const Legalaid__NotificationsQuery *q,
                            Legalaid__Reply *reply);
int notify_station_fetch(turn_t *t, const Legalaid__StationFetch *f, Legalaid__Reply *reply);

/* outbox.pending, outbox.delivered, outbox.failed_attempts, outbox.dead,
 * outbox.unrouted. */
int notify_outbox_counters(turn_t *t, Legalaid__StreamStatus *st);

#endif
