/*
 * daemon_int.h - the skeleton's private state and the declarations its
 * files share. Services never include it (they have daemon.h); a unit test
 * of the skeleton may (test-stream.c). The files, each calling only the
 * ones below it (tests/structure/floors.sh checks there is no circle):
 *
 *   daemon.c      setup, loop, signals, shutdown; the test entry points
 *   commit.c      the group-commit engine: one write transaction per turn
 *   core.c        the requests every daemon answers (Ping, StreamStatus...)
 *   compact.c     Compact: a compacted copy put in data.mdb's place
 *   backup.c      Backup: hot copies
 *   daemon_store.c  the store opened as a start opens it (compact.c too)
 *   fetch.c       the producer side of a long-poll fetch: check, park, answer
 *   outbound.c    replies queued in the turn, sent after its commit
 *   upstream.c    the consumer side of a stream: fetch, apply, offsets
 *   deadletter.c  the dead-letter table of events that cannot apply
 *   turn.c        the handlers' helpers that daemon.h promises
 *
 * (core.c -> fetch.c -> outbound.c; core.c -> compact.c -> backup.c,
 * daemon_store.c; commit.c -> core.c, fetch.c, outbound.c,
 * upstream.c; upstream.c -> deadletter.c -> turn.c.) All of it runs on the
 * loop's one thread.
 */
#ifndef LA_DAEMON_INT_H
#define LA_DAEMON_INT_H

#include <uv.h>
#include <zmq.h>

#include "buf.h"
#include "daily.h"
#include "stats.h"
#include "metrics.h"
#include "daemon.h"
#include "security.h"
#include "store.h"
#include "stream.h"
#include "zwatch.h"

/* A request or event run in the turn's own transaction failed after it
 * wrote (commit.c, upstream.c): the turn is undone and runs again, each
 * message in a child transaction that its failure undoes. */
#define COMMIT_REDO (-200002)

typedef struct daemon_config {
    char *endpoint;
    char *data_dir;
    long long map_size_mb;
    long long max_frame_bytes;
    long long max_request_entries; /* entries of one list in a request (framescan.h) */
    long long max_decoded_bytes;   /* what one request may decode to (arena_limit) */
    long long batch_max;
    long long fetch_max_events;
    long long fetch_wait_ms;
    long long fetch_grace_ms;
    char *log_level;
    char *lang;
    int sync;
    int test_clock;
    long long utc_offset_minutes;
    long long reply_keep_days;
    long long stream_keep_days; /* stream_trim.h */
    char *consumers; /* further names that may consume the stream (fetch.c) */
    char *backup_dir; /* where Backup writes its copies; "": backups refused */
} daemon_config_t;

extern const cfg_key_t daemon_config_keys[];

/* A consumer of one upstream stream (upstream.c). */
typedef struct upstream {
    daemon_t *d;
    char *name;
    char *endpoint;
    void *socket;
    zwatch_t *watch;
    uint64_t applied;   /* committed offset */
    uint64_t tentative; /* offset reached in the turn being applied */
    int inflight;       /* a fetch is out */
    int fetch_due;      /* send a fetch after this turn commits */
    int64_t sent_mono;
    int64_t retry_mono; /* fetch again at this time (after a refusal or a fault); 0: no */
    uint64_t reconnects;
    int64_t grace_ms;   /* silence allowed past fetch_wait_ms now: fetch_grace_ms, doubled
                           by each reconnect up to UPSTREAM_GRACE_MAX_MS, reset by a reply */
    uint32_t fetch_events; /* events asked for by the next fetch: what the last batch
                              applied within UPSTREAM_APPLY_BUDGET_MS, at most
                              fetch_max_events; 0: fetch_max_events */
    /* The upstream's generation (epoch.c), in meta "upstream.<name>.*". */
    uint64_t epoch;     /* last seen; 0: none yet */
    uint64_t seen_head; /* the highest head it announced in that generation */
    uint64_t lost_from, lost_to; /* seen here, missing from a restored log */
    int halted;         /* restored behind what this daemon applied: not applied */
} upstream_t;

/* A message taken from a socket, waiting for the turn to apply it. */
typedef struct inbound {
    zmq_msg_t identity; /* router peer; unused for upstream batches */
    char key[KEYFILE_Z85_LEN + 1]; /* the peer's CURVE key (User-Id); "" without */
    zmq_msg_t body;
    int delimiter;  /* the peer is a REQ socket: reply with an empty frame */
    int bad_frames; /* the peer sent a frame count we do not speak */
    upstream_t *up; /* NULL: a request on the ROUTER */
} inbound_t;

/* A reply to send after the commit. */
typedef struct outbound {
    zmq_msg_t identity;
    int delimiter;
    buf_t body;
} outbound_t;

/* A consumer's fetch waiting for events or for its wait to run out. */
typedef struct parked {
    zmq_msg_t identity;
    int delimiter;
    char consumer[64];
    char request_id[64];
    uint64_t after_seq;
    uint32_t max_events;
    int64_t deadline_mono;
    int used;
} parked_t;

/* A refused connection waiting for the next turn's audit (zap.c). */
typedef struct pending_refusal {
    int64_t at;
    char address[64];
    char detail[300];
} pending_refusal_t;

/* The last refusals by key and reason, to audit a retrying peer once a
 * minute. */
typedef struct auth_refusal {
    int64_t at_mono;
    char key[KEYFILE_Z85_LEN + 1];
    char reason[200];
    unsigned repeats;
} auth_refusal_t;

#define ZAP_RECENT 32
#define ZAP_PENDING_MAX 256

struct daemon {
    const service_t *svc;
    daemon_config_t cfg;
    const char *config_path;
    int test_mode;
    /* datalock.h: the data directory's lock and the ipc:// socket's, held
     * for the daemon's life (-1: none; never taken in test mode). */
    int data_lock, socket_lock;
    /* Why the store is damaged (storecheck.h), when daemon_store_open
     * returned MDB_CORRUPTED after its check; else empty. */
    char damaged[512];
    /* The disk is full (store_disk_full): a turn that failed so runs again
     * with writes_refused, answering what only reads and refusing the rest
     * (commit.c); disk_full stays set until a write commits again. */
    int writes_refused, disk_full;
    size_t disk_full_txnid; /* the last transaction committed before */
    /* LMDB cannot go on (MDB_PANIC: a write of its meta page failed): the
     * daemon stops and exits with this status (EXIT_TEMPFAIL) so that it is
     * started again from its last commit (commit.c sets it). */
    int fatal;

    store_t store;
    MDB_dbi meta, replies, replies_by_time, offsets, dead;
    MDB_dbi reply_hashes; /* the hashes of replies kept before they sat in "replies" (replies.h) */
    MDB_dbi daily;      /* figures by day (daily.h), through turn_observe */
    int daily_empty;    /* the table held nothing when the store opened */
    MDB_dbi stats;      /* statistics by period and dimension (stats.h), through turn_count */
    int stats_empty;
    stream_t stream;
    stream_cache_t fetch_cache; /* events opened for one consumer, for the next (fetch.c) */

    uv_loop_t loop;
    void *zctx;
    void *router;
    zwatch_t router_watch;
    uv_check_t check;
    uv_prepare_t prepare; /* writes the held log lines before each wait */
    uv_timer_t tick;
    uv_timer_t watchdog; /* WATCHDOG=1 to systemd (WatchdogSec=) */
    uv_signal_t sigterm, sigint, sighup;

    security_t sec;
    principal_t self;       /* the daemon itself: upstream events, ticks */
    principal_t anyone;     /* every peer when security is off; tests' default */
    const principal_t *test_principal; /* daemon_call's principal (tests) */
    void *zap, *monitor;
    zwatch_t zap_watch, monitor_watch;
    pending_refusal_t pending_refusals[ZAP_PENDING_MAX];
    int n_pending_refusals;
    auth_refusal_t refusals[ZAP_RECENT];
    unsigned char *fd_spoke; /* by fd: 1 accepted, 2 a request came on it (zap.c) */
    int fd_cap;
    MDB_dbi audit, audit_by_case;
    int stopping;

    upstream_t *upstreams;
    int n_upstreams;

    inbound_t *inbound;
    int n_inbound;
    outbound_t *outbound;
    int n_outbound, cap_outbound;
    parked_t *parked;
    int n_parked;
    int answer_parked; /* the stream advanced or a fetch arrived */
    int tick_due;      /* run the service's tick in the next turn */
    int64_t tick_last_mono;

    arena_t arena;
    arena_t req_arena; /* one request's decoded frame: bounded, reset after each request */
    uint64_t turns, requests, events_applied;
    int isolate; /* this turn runs again: a child transaction per request and event (commit.c) */
    metrics_t metrics; /* for the exporter (core.c answers MetricsQuery) */
    int reseal_due;  /* a re-seal pass is running (reseal.c) */
    int reseal_done; /* one finished in this process (tests) */
    struct backup_job *backup; /* the last Backup (backup.c); NULL: none yet */
    struct compact_job *compact; /* the last Compact (compact.c); NULL: none yet */
    int compacting; /* a compaction runs: no Backup copy meanwhile (compact.c sets it) */
    int compact_due; /* a Compact was asked: compact_start after this turn (compact.c) */
    int64_t hold_until_mono;   /* upstream batches not applied before (backup.c) */
};

/* --- reseal.c: the data key of the store -------------------------------- */

/* Checks the data key file against the store (or that the store is clear
 * when there is none) and seals from now on. 0, -EKEYREJECTED (logged: the
 * wrong key, a missing key, a clear store) or a store error. */
int reseal_open(daemon_t *d, MDB_txn *txn);
/* Re-reads the data key file and takes it when it fits the store: a new
 * key seals from now on and starts a pass. 0, or -1 with err (the old
 * keys stay). */
int reseal_reload(daemon_t *d, MDB_txn *txn, char *err, size_t errlen);
/* One turn's share of a running pass. 0 or a store error. */
int reseal_step(daemon_t *d, MDB_txn *txn);
/* The figures operations see: the sealing key, keys still in use, whether
 * a pass runs, values moved by it. 0 or a store error. */
#define RESEAL_COUNTERS 4
int reseal_counters(daemon_t *d, MDB_txn *txn, uint64_t out[RESEAL_COUNTERS]);

/* --- zap.c: the ZAP handler and the handshake watch ---------------------- */

/* Binds the ZAP handler in the daemon's context and watches the ROUTER's
 * failed handshakes (security on; before the ROUTER binds). 0 or -1. */
int zap_start(daemon_t *d);
void zap_close(daemon_t *d);
/* Appends the queued refusals to the audit in txn (the queue is emptied by
 * commit_run after the commit). 0 or a store error. */
int zap_flush(daemon_t *d, MDB_txn *txn);
/* A request came on the connection of fd (the ROUTER's callback). */
void zap_spoke(daemon_t *d, int fd);

/* --- audit.c: the audit table -------------------------------------------- */

/* Opens the audit tables (at start, in txn). 0 or a store error. */
int audit_open(daemon_t *d, MDB_txn *txn);
/* Appends e (at set by the caller; id and daemon set here) in txn. */
int audit_append(daemon_t *d, MDB_txn *txn, Legalaid__AuditEntry *e);
/* For core_request: the entries matching q, newest first. Returns 1. */
int audit_query(turn_t *t, const Legalaid__AuditQuery *q, Legalaid__Reply *reply);

/* --- commit.c: the group-commit engine ---------------------------------- */

/* Applies every inbound message and, when due, the service's tick in one
 * write transaction, commits once, then sends the replies, answers the
 * parked fetches and sends the upstream fetches that fell due (the diagram
 * is in commit.c). Releases the inbound messages and resets the arena in
 * every case. Returns 0, or the store error that failed the whole turn
 * (its requests were answered UNAVAILABLE). Does nothing with no inbound
 * message and no tick due. */
int commit_run(daemon_t *d);
/* Closes the inbound messages not yet applied (at shutdown); n_inbound = 0. */
void commit_release_inbound(daemon_t *d);

/* --- outbound.c: replies of the turn, sent after its commit ------------- */

/* Queues body for the peer identity (copied; identity may be NULL), with an
 * empty delimiter frame first when delimiter is set. Takes body over and
 * zeroes *body: the caller frees nothing. */
void outbound_add(daemon_t *d, zmq_msg_t *identity, int delimiter, buf_t *body);
/* Sends one reply on the ROUTER now, never blocking: 0, or -errno
 * (-EHOSTUNREACH when the peer is gone). Leaves body to the caller. In test
 * mode (no router) sends nothing and returns 0. */
int outbound_send_frames(daemon_t *d, zmq_msg_t *identity, int delimiter, buf_t *body);
/* Sends every queued reply and empties the queue (a dropped one is logged:
 * the client's retry gets the stored reply). In test mode leaves the queue
 * to daemon_call. */
void outbound_send_all(daemon_t *d);
/* Empties the queue without sending (the turn did not commit). */
void outbound_discard(daemon_t *d);

/* --- fetch.c: the producer side of long-poll fetch ----------------------- */

/* 1 when name may consume d's stream: one of service_t.consumers or of
 * [SERVICE] consumers. */
int fetch_consumer_known(const daemon_t *d, const char *name);
/* Calls each with every name that may consume d's stream (the service's
 * consumers, then the consumers key's; name is not NUL-terminated at len)
 * until it returns nonzero; returns that, or 0. */
int fetch_consumer_each(const daemon_t *d, int (*each)(const char *name, size_t len, void *arg),
                        void *arg);

/* For core_request, in the turn: checks a Fetch, acknowledges the
 * consumer's offset in t's transaction and fills *park (park->used = 1).
 * Returns 1 when handled (reply filled with an error, or park filled), or
 * a store error. */
int fetch_request(turn_t *t, const Legalaid__Fetch *f, Legalaid__Reply *reply, parked_t *park);
/* After the commit: parks p, answering to in's peer (identity copied),
 * replacing the consumer's older parked fetch, if any. */
void fetch_park(daemon_t *d, inbound_t *in, parked_t *p);
/* Answers each parked fetch whose stream passed after_seq (unless
 * expire_only) or whose wait ran out, in a read transaction of its own, and
 * forgets it. With a router sends at once; in test mode queues the batch
 * with outbound_add. */
void fetch_answer_parked(daemon_t *d, int expire_only);
/* Answers every parked fetch now, as if its wait ran out (daemon_call). */
void fetch_answer_now(daemon_t *d);
/* Forgets every parked fetch unanswered (at shutdown). */
void fetch_release(daemon_t *d);

/* --- upstream.c: the consumer side of a stream --------------------------- */

/* Opens the DEALER to up->endpoint, watches it and sends the first fetch:
 * 0, or -errno (logged). */
int upstream_connect(upstream_t *up);
/* Sends a fetch after the committed offset now (never blocks). */
void upstream_send_fetch(upstream_t *up);
/* From the loop's timer: sends a fetch whose retry time came, and
 * reconnects an upstream silent past fetch_wait_ms + fetch_grace_ms. */
void upstream_check_timeout(upstream_t *up, int64_t now_mono);
/* Sends the next fetch after fetch_wait_ms instead of at once. */
void upstream_fetch_later(upstream_t *up);
/* Closes the socket (the watch closes asynchronously). */
void upstream_close(upstream_t *up);
/* Reads every upstream's committed offset (at start, in txn). 0 or a store
 * error. */
int upstream_load_offsets(daemon_t *d, MDB_txn *txn);
/* Applies the events of batch after the offset reached in this turn, each
 * in a child transaction of txn; an event that can never apply goes to the
 * dead letters. Writes the offset reached in txn. Returns 0, or
 * MDB_MAP_FULL or another error that fails the whole turn; a passing fault
 * stops this stream only (fetched again later). */
int upstream_apply_batch(daemon_t *d, MDB_txn *txn, upstream_t *up, const Legalaid__Batch *batch);
/* For the engine, in the turn: decodes up's reply frame (len bytes, not
 * kept) and applies its batch with upstream_apply_batch; a refusal or a
 * frame that is no batch schedules a later fetch and returns 0. Marks the
 * next fetch due. Returns what upstream_apply_batch returns. */
int upstream_apply_reply(upstream_t *up, MDB_txn *txn, const void *frame, size_t len);
/* The turn committed: the offsets reached become the committed ones. */
void upstream_after_commit(daemon_t *d);
/* The turn did not commit: the offsets reached go back to the committed. */
void upstream_discard(daemon_t *d);
/* After the turn: sends a fetch for each upstream whose batch was applied
 * and that has none out. */
void upstream_send_due(daemon_t *d);

/* --- deadletter.c: the dead-letter table --------------------------------- */

/* Keeps ev (from stream) with reason under the next id, in txn, and emits
 * DeadLettered on the daemon's own stream. ev and reason are copied; stream
 * must outlive the turn (an upstream's name). 0 or a store error. */
int deadletter_put(daemon_t *d, MDB_txn *txn, const char *stream, const Legalaid__Event *ev,
                   const char *reason);
/* Core requests: fill reply and return 1, or return a store error. */
int deadletter_list(turn_t *t, const Legalaid__DeadLettersQuery *q, Legalaid__Reply *reply);
int deadletter_redrive(turn_t *t, const Legalaid__RedriveDeadLetter *r, Legalaid__Reply *reply);

/* --- epoch.c: the generation of a stream ------------------------------- */

/* Reads the stream's generation and restored head and each upstream's
 * generation, highest head seen and lost range from meta (at start). 0 or
 * a store error. */
int epoch_load(daemon_t *d, MDB_txn *txn);
/* Before up's batch is applied, in the turn: compares its generation and
 * head with what this daemon saw. 1: apply it; 0: do not (the upstream was
 * restored behind what this daemon applied: logged once, up->halted set;
 * the caller fetches again later). Records what it saw in txn. <0: a store
 * error. */
int epoch_check_batch(daemon_t *d, MDB_txn *txn, upstream_t *up, const Legalaid__Batch *batch);
/* Sets the generation fields of a status reply (the stream's lost range
 * read in txn). */
void epoch_status(daemon_t *d, MDB_txn *txn, Legalaid__StreamStatus *st);

/* --- backup.c: hot copies ------------------------------------------------- */

/* Backup request: starts a copy on a worker thread, or answers how the
 * copy of that set stands. Fills reply, returns 1. */
int backup_request(turn_t *t, const Legalaid__Backup *b, Legalaid__Reply *reply);
/* 1 while a Backup hold is on: upstream batches are not applied. */
int backup_holding(daemon_t *d);
/* At shutdown, after the loop ended: frees the last job. */
void backup_free(daemon_t *d);
/* 1 while a Backup copy runs on its worker thread. */
int backup_running(daemon_t *d);
/* fsyncs the directory dir (a rename in it made durable): 0 or -errno. */
int backup_sync_dir(const char *dir);

/* --- compact.c: compaction in place --------------------------------------- */

/* Compact request: starts a compaction (a compacted copy on a worker
 * thread, then put in data.mdb's place between two turns), refuses one
 * while one runs, or (status) answers how the last one stands. Fills
 * reply, returns 1. */
int compact_request(turn_t *t, const Legalaid__Compact *c, Legalaid__Reply *reply);
/* After the turn that asked for it (d->compact_due), with no transaction
 * open on the loop's thread: opens every table's handle for the copy
 * (store_repack_tables) and puts the first copy on a worker thread. */
void compact_start(daemon_t *d);
/* At start, what a stopped compaction left in data_dir: before the store
 * opens (opened 0) a partial data.mdb.compact is removed; data.mdb.old
 * (the environment from before the swap) only once data.mdb has opened
 * and passed its checks (opened 1); when it does not open (opened -1),
 * data.mdb.old is kept and named for the operator. */
void compact_clean(daemon_t *d, int opened);
/* At shutdown, after the loop ended: frees the last job. */
void compact_free(daemon_t *d);

/* --- core.c: requests every daemon answers ------------------------------- */

/* Handles req if it is one of the core's: fills reply (or park, for a
 * Fetch) and returns 1; returns 0 when the service must handle it; or a
 * store error. */
int core_request(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply, parked_t *park);
/* 1 when req is a core request that only reads (no stored reply). */
int core_is_query(daemon_t *d, const Legalaid__Request *req);

/* --- daemon_store.c ------------------------------------------------------ */

/* Opens LMDB in cfg.data_dir with a map of map_size bytes (0: map_size_mb),
 * the skeleton's tables, the stream, the service's tables and the upstream
 * offsets. 0 or a store error; on an error the store may be open (the
 * caller closes it). */
int daemon_store_open(daemon_t *d, size_t map_size);

#endif
