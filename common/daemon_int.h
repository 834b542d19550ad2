/*
 * daemon_int.h - the skeleton's private state, shared by daemon.c (setup,
 * loop, signals), turn.c (group commit), upstream.c (stream consumers) and
 * core_req.c (requests every daemon answers). Services never include it.
 */
#ifndef LA_DAEMON_INT_H
#define LA_DAEMON_INT_H

#include <uv.h>
#include <zmq.h>

#include "buf.h"
#include "daemon.h"
#include "store.h"
#include "stream.h"
#include "zwatch.h"

typedef struct daemon_config {
    char *endpoint;
    char *data_dir;
    long long map_size_mb;
    long long max_frame_bytes;
    long long batch_max;
    long long fetch_max_events;
    long long fetch_wait_ms;
    long long fetch_grace_ms;
    char *log_level;
    int sync;
    int test_clock;
    long long utc_offset_minutes;
    long long reply_keep_days;
} daemon_config_t;

extern const cfg_key_t daemon_config_keys[];

/* A consumer of one upstream stream (upstream.c). */
typedef struct upstream {
    daemon_t *d;
    char *name;
    char *endpoint;
    void *socket;
    zwatch_t *watch;
    uint64_t applied;        /* committed offset */
    uint64_t tentative;      /* offset reached in the turn being applied */
    int inflight;            /* a fetch is out */
    int fetch_due;           /* send a fetch after this turn commits */
    int64_t sent_mono;
    int64_t retry_mono;      /* fetch again at this time (after a refusal or a fault); 0: no */
    uint64_t reconnects;
} upstream_t;

/* A message taken from a socket, waiting for the turn to apply it. */
typedef struct inbound {
    zmq_msg_t identity;      /* router peer; unused for upstream batches */
    zmq_msg_t body;
    int delimiter;           /* the peer is a REQ socket: reply with an empty frame */
    int bad_frames;          /* the peer sent a frame count we do not speak */
    upstream_t *up;          /* NULL: a request on the ROUTER */
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

struct daemon {
    const service_t *svc;
    daemon_config_t cfg;
    const char *config_path;
    int test_mode;

    store_t store;
    MDB_dbi meta, replies, replies_by_time, offsets, dead;
    stream_t stream;

    uv_loop_t loop;
    void *zctx;
    void *router;
    zwatch_t router_watch;
    uv_check_t check;
    uv_timer_t tick;
    uv_signal_t sigterm, sigint;
    int stopping;

    upstream_t *upstreams;
    int n_upstreams;

    inbound_t *inbound;
    int n_inbound;
    outbound_t *outbound;
    int n_outbound, cap_outbound;
    parked_t *parked;
    int n_parked;
    int answer_parked;       /* the stream advanced or a fetch arrived */
    int tick_due;            /* run the service's tick in the next turn */
    int64_t tick_last_mono;

    arena_t arena;
    uint64_t turns, requests, events_applied;
};

/* turn.c */
int turn_run(daemon_t *d);
void turn_outbound_add(daemon_t *d, zmq_msg_t *identity, int delimiter, buf_t *body);
void turn_send_outbound(daemon_t *d);
void turn_answer_parked(daemon_t *d, int expire_only);
void turn_release_inbound(daemon_t *d);

/* upstream.c */
int upstream_connect(upstream_t *up);
void upstream_send_fetch(upstream_t *up);
void upstream_check_timeout(upstream_t *up, int64_t now_mono);
/* Sends the next fetch after fetch_wait_ms instead of at once. */
void upstream_fetch_later(upstream_t *up);
void upstream_close(upstream_t *up);
int upstream_load_offsets(daemon_t *d, MDB_txn *txn);
int upstream_apply_batch(daemon_t *d, MDB_txn *txn, upstream_t *up, const Legalaid__Batch *batch);

/* deadletter.c: the dead-letter table. */
int deadletter_put(daemon_t *d, MDB_txn *txn, const char *stream, const Legalaid__Event *ev,
                   const char *reason);
int deadletter_list(turn_t *t, const Legalaid__DeadLettersQuery *q, Legalaid__Reply *reply);
int deadletter_redrive(turn_t *t, const Legalaid__RedriveDeadLetter *r, Legalaid__Reply *reply);

/* core_req.c: requests every daemon answers; returns 1 if it handled req. */
int core_request(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply, parked_t *park);
int core_is_query(daemon_t *d, const Legalaid__Request *req);

/* daemon.c */
int daemon_open_store(daemon_t *d);

#endif
