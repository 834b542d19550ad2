/*
 * daemon.h - the skeleton every legalaid daemon runs on (STYLE.md, "Shape").
 *
 * A service hands daemon_main() its name, its configuration keys, the
 * streams it consumes and its handlers; the skeleton parses options and the
 * INI file, opens LMDB, binds the ROUTER, connects to upstream streams,
 * installs signals, runs the libuv loop and shuts down.
 *
 * One loop turn (group commit, DESIGN.md "Inside a daemon"): every request
 * and upstream batch that is ready (up to batch_max) is applied in one LMDB
 * write transaction, each request in a child transaction of its own so a
 * rejected one leaves nothing behind; the transaction commits once (fsync);
 * only then are the replies sent, the parked fetches answered and the next
 * upstream fetches sent. No reply ever precedes its commit. (The engine is
 * common/commit.c; the helpers below are common/turn.c.)
 *
 * A handler is a plain function of (turn, decoded message) so that unit
 * tests call it through daemon_call()/daemon_feed() without sockets.
 */
#ifndef LA_DAEMON_H
#define LA_DAEMON_H

#include <lmdb.h>
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"
#include "legalaid.pb-c.h"
#include "stats.h"

/* Exit statuses (sysexits.h): EXIT_CONFIG a bad configuration (fix it,
 * then start), EXIT_TEMPFAIL a temporary failure (systemd restarts it),
 * EXIT_DAMAGED a permanent fault of the data (a damaged LMDB environment:
 * restore it). The units' RestartPreventExitStatus=78 76 keep systemd
 * from restarting the permanent ones in a loop. */
#define EXIT_CONFIG 78
#define EXIT_TEMPFAIL 75
#define EXIT_DAMAGED 76

/* An upstream event that can never be applied: apply() returns this after
 * turn_reject(); the event goes to the dead-letter table and the stream
 * moves on. */
#define LA_EREJECT (-200001)

typedef struct daemon daemon_t;

typedef struct turn {
    daemon_t *d;
    MDB_txn *txn;          /* this request's or event's own (child) transaction */
    arena_t *arena;        /* freed at the end of the loop turn */
    int64_t now;           /* the clock, read once per request */
    const char *causation; /* request_id or upstream event_id */
    const char *reject_reason;
    /* Who acts: the principal of the request's key (DESIGN.md "Security"),
     * or the daemon itself for upstream events and ticks. Never NULL in a
     * handler. turn_emit records its name in every event. */
    const struct principal *who;
    const char *audit_case; /* the case the audit entry names (turn_emit sets it) */
} turn_t;

typedef struct service {
    const char *name;             /* stream name, config section, log name */
    const char *const *upstreams; /* NULL-terminated stream names consumed, or NULL */
    /* The daemons that consume its stream (NULL-terminated, or NULL): only
     * they, and the names [SERVICE] consumers adds, keep a position on it
     * (fetch.c); another name's fetch is refused. */
    const char *const *consumers;
    const cfg_key_t *config_keys; /* service keys of its section, or NULL */
    void *config;                 /* where they are stored */
    const int *queries;           /* Request body cases that only read, 0-terminated */
    /* Checks the loaded configuration beyond each key's type and range (a
     * list's syntax, keys that must agree) and prepares what it derives;
     * may be NULL. 0, or -1 with "[section] key: what is wrong" in err:
     * the daemon then exits 78 (and daemon_open_test fails). */
    int (*config_check)(char *err, size_t errlen);
    /* Opens the service's tables at start (once, in a write transaction). */
    int (*open)(daemon_t *d, MDB_txn *txn);
    /* Handles one request the core does not: fills reply (code OK or an
     * error with turn_fail), returns 0, or a store error to fail the turn. */
    int (*handle)(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply);
    /* Applies one upstream event: 0, LA_EREJECT (turn_reject), or a store error. */
    int (*apply)(turn_t *t, const char *upstream, const Legalaid__Event *ev);
    /* Adds the service's counters to a status reply (may be NULL). */
    int (*counters)(turn_t *t, Legalaid__StreamStatus *status);
    /* Called about once a second in a write turn of its own (may be NULL):
     * acts on what has fallen due by t->now (deadlines are data, indexed by
     * due time, so a restart loses none). 0, or a store error. */
    int (*tick)(turn_t *t);
    /* Optional, daemon_main only (never in tests): called once after LMDB
     * is open and the sockets are bound, before the loop runs, so that the
     * service can add libuv handles of its own to loop (an HTTP client's
     * sockets and timers). Work done in those callbacks runs outside any
     * write turn: it may read with its own read-only transactions, and
     * hands its results to the next tick (daemon_tick_soon). Returns 0, or
     * -1 after logging why: the daemon then exits EXIT_CONFIG. */
    int (*start)(daemon_t *d, void *loop);
    /* Optional: called once when the daemon begins to stop (SIGTERM,
     * SIGINT); the service closes the handles start() added (uv_close), so
     * that the loop can end. */
    void (*stop)(daemon_t *d);
    /* Optional: called after every write turn, once its transaction has
     * committed (ok 1) or failed (ok 0), so that a service answering
     * outside the ROUTER (the gateway's HTTP) sends only what is durable. */
    void (*committed)(daemon_t *d, int ok);
    /* Optional: called in every write turn's transaction after everything
     * of the turn was applied, just before it commits: the service writes
     * what it kept back in memory during the turn (dispatch's fair shares,
     * dispatch_poolmem.c). 0, or a store error that fails the turn. */
    int (*precommit)(daemon_t *d, MDB_txn *txn);
    /* Optional: readies one of its own events, read back from the log for
     * a person (the case's events), for reading: eligibility words the
     * codes its decisions carry instead of sentences. */
    void (*shown)(arena_t *arena, Legalaid__Event *ev);
    /* Optional: kinds of its events (Event body cases, 0-terminated) whose
     * step the case's timeline need not keep once the event is trimmed from
     * the log (stream_trim.h), because the service's own record of the case
     * says it, with its time: notify's NotificationDelivered (the
     * notification, listed with the case, keeps delivered_at). Their
     * "log_case" entry goes with them: no compact record kept for good. */
    const int *trim_forgets;
} service_t;

/* Checks the whole configuration file (every section's keys), as
 * sections_check (common/sections) does: 0, or -1 with "file:line: ..." in
 * err. */
typedef int (*daemon_file_check_fn)(const char *path, char *err, size_t errlen);

/* Runs a daemon; returns the process exit status. file_check (may be NULL)
 * checks the other sections of the file after the daemon's own, at start
 * and with -t: a mistake anywhere in the file is exit EXIT_CONFIG. */
int daemon_main(const service_t *svc, daemon_file_check_fn file_check, int argc, char **argv);

/* --- For handlers, inside a turn (turn.c). Everything they make lives in
 * the turn's arena until the end of the loop turn. ----------------------- */

/* Appends ev to the daemon's stream inside t's transaction, with case_id
 * (not copied: it must outlive the turn) and the turn's causation. ev must
 * come from the turn's arena. Returns 0 or a store error. */
int turn_emit(turn_t *t, const char *case_id, Legalaid__Event *ev);
/* A new, initialised Event in the turn's arena, to fill and turn_emit. */
Legalaid__Event *turn_event(turn_t *t);

/* Makes reply an error naming the field at fault (NULL: none); message is
 * printf-like. Both are copied into the turn's arena; the body is unset. */
void turn_fail(turn_t *t, Legalaid__Reply *reply, Legalaid__Code code, const char *field,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Counts one domain thing on the local day of at, in the turn's
 * transaction (the "daily" table, daily.h: the board's charts), and, when
 * ms >= 0 is its duration, in the exporter's histogram of that name once
 * the turn commits. name is a literal: "applications", "decision_seconds",
 * "assign_seconds". 0 or a store error. */
int turn_observe(turn_t *t, const char *name, int64_t at, int64_t ms);
/* Counts count things of measure (a literal: "aided_cases") on the local
 * day of at with amount sum, for "all" and each dimension of ds (NULL:
 * none), in the turn's transaction (the "stats" table, stats.h: the
 * reports). 0, -EINVAL for a name too long, or a store error. */
int turn_count(turn_t *t, const char *measure, int64_t at, uint64_t count, int64_t sum,
               const stats_dims_t *ds);
/* Adds a counter to a status reply (for a service's counters()). */
void turn_counter(turn_t *t, Legalaid__StreamStatus *status, const char *name, uint64_t value);

/* An import result in the turn's arena with room for n rejections (the
 * caller sets accepted). */
Legalaid__ImportResult *turn_import_result(turn_t *t, size_t n);
/* Records that record index of list was rejected: field "list[index].field"
 * with message (copied). At most the n of turn_import_result. */
void turn_import_reject(turn_t *t, Legalaid__ImportResult *res, const char *list, size_t index,
                        const char *field, const char *message);

/* A deadline the event sets (Event.deadlines, DESIGN "Time and deadlines"):
 * notify keeps it as a timer that reminds owner before due_at and tells
 * the owner and the staff at the breach. key is unique within the case
 * ("assignment", "checkin" ...): setting it again moves it. Strings are not
 * copied (they must outlive the turn: literals or the turn's arena). When
 * ev is not NULL the deadline is appended to ev->deadlines; returns it. */
Legalaid__Deadline *turn_deadline(turn_t *t, Legalaid__Event *ev, const char *key, int64_t due_at,
                                  Legalaid__Party owner, const char *owner_id, const char *what,
                                  const char *article);
/* Records on ev that the deadline key of its case was met (or no longer
 * applies): notify cancels the timer (Event.deadlines_met). */
void turn_deadline_met(turn_t *t, Legalaid__Event *ev, const char *key);

/* For a request a station desk, a lawyer or an agency may make only for
 * its own station, lawyer or authority: station, lawyer and authority are
 * what the request is for (NULL: not concerned), field names it. Staff,
 * officers and administrators act for anyone; a bound principal only when
 * one of its bindings is the request's (a desk checks in its station's
 * lawyers; a lawyer checks in itself). Returns 1 after filling reply with
 * FORBIDDEN when t's principal may not act, else 0. */
int turn_refuse_binding(turn_t *t, Legalaid__Reply *reply, const char *station,
                        const char *lawyer, const char *authority, const char *field);
/* The name of who acts (the authenticated principal). */
const char *turn_who(const turn_t *t);
/* Who acted, as a record names it: the authenticated principal, with a
 * name the client typed (an --officer or --by, kept only as a note) after
 * it when it says something else: "wang-li (注: 王立)". In the arena. */
const char *turn_actor(turn_t *t, const char *typed);

/* For apply(): records why the event cannot be applied (printf-like, copied
 * into the arena; the dead letter keeps it); returns LA_EREJECT. */
int turn_reject(turn_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Asks for the service's tick in a turn of its own at the next loop
 * iteration instead of at the next whole second (a service whose
 * callbacks, from start(), have results to commit). Harmless in tests. */
void daemon_tick_soon(daemon_t *d);

/* The daemon's LMDB environment and its "meta" table (counters), valid
 * while the daemon runs; and its service's name (service_t.name). */
MDB_env *daemon_env(daemon_t *d);
MDB_dbi daemon_meta(daemon_t *d);
/* Its "daily" table (daily.h); *empty (may be NULL) is set when the table
 * held nothing as the store opened: a service's open() may then fill it
 * from its records (daily_add each). */
MDB_dbi daemon_daily(daemon_t *d, int *empty);
/* Its "stats" table (stats.h); *empty as for daemon_daily: a service fills
 * it once from the records of an older store. */
MDB_dbi daemon_stats(daemon_t *d, int *empty);
const char *daemon_name(daemon_t *d);
/* The data key's ring ([security] data_key), or NULL without one: what
 * signs a lawyer's offer link (offerlink.h). */
const struct seal_ring *daemon_ring(daemon_t *d);
/* For a service that is itself a client of the other daemons (the
 * gateway, from start()): the process's ZeroMQ context, its [security]
 * (its own key and the allow-list, where each daemon's key is) and the
 * configuration file it was started with. */
struct security;
void *daemon_zmq_context(daemon_t *d);
const struct security *daemon_security(daemon_t *d);
const char *daemon_config_path(daemon_t *d);

/* --- For tests: the same code paths, without sockets. -------------------- */

/* Opens a daemon on dir with default configuration (test_clock on).
 * Returns NULL with a message on stderr on failure. */
daemon_t *daemon_open_test(const service_t *svc, const char *dir);
/* Makes daemon_call act as p (not copied: it must outlive the calls);
 * NULL: back to the default, a principal with every role. */
void daemon_test_act_as(daemon_t *d, const struct principal *p);
/* Closes what daemon_open_test opened and sets *d to NULL. */
void daemon_close_test(daemon_t **d);
/* Runs one turn holding this request; *reply is malloc'ed (free with
 * legalaid__reply__free_unpacked). Returns 0 or a store error. */
int daemon_call(daemon_t *d, const Legalaid__Request *req, Legalaid__Reply **reply);
/* The same with a frame as it came off the wire (len bytes, not kept). */
int daemon_call_bytes(daemon_t *d, const void *frame, size_t len, Legalaid__Reply **reply);
/* Runs one turn applying events as a batch from upstream (its name in
 * service_t.upstreams; -ENOENT otherwise). 0 or a store error. */
int daemon_feed(daemon_t *d, const char *upstream, Legalaid__Event **events, size_t n);
/* The same with a whole batch as a producer sends it (head, generation). */
int daemon_feed_batch(daemon_t *d, const Legalaid__Batch *batch);
/* Runs one turn holding only the service's tick (at the test clock's now).
 * 0 or a store error. */
int daemon_tick(daemon_t *d);
/* Reads the daemon's own stream after after_seq: *batch is malloc'ed (free
 * with legalaid__batch__free_unpacked). 0 or a store error. */
int daemon_read_stream(daemon_t *d, uint64_t after_seq, Legalaid__Batch **batch);

#endif
