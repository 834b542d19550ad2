/*
 * gateway_int.h - what the gateway's files share. The floors, each file
 * calling only those above it in this list:
 *
 *   gateway.c          the service: tables, tick, hooks
 *   gateway_route.c    which handler answers a method and path
 *   gateway_event.c    POST /v1/events: what an agency tells later of its case
 *   gateway_notice.c   POST /v1/notices, GET /v1/notices/{reference}, and what
 *                      every agency request shares (body, request_id, 409, call)
 *   gateway_metrics.c  GET /metrics: asks each daemon, as an exporter does
 *   gateway_store.c    the notices table and the writes that wait for a commit
 *   gateway_http.c     libmicrohttpd on the libuv loop: bodies, answers, problems
 *   gateway_link.c     requests to the five daemons, without blocking
 *   gateway_agency.c   agencies: their tokens (hashed) and rate limits
 *   gateway_openapi.c  the OpenAPI document, embedded at build time
 *   gateway_config.c   the [gateway] keys
 */
#ifndef LA_GATEWAY_INT_H
#define LA_GATEWAY_INT_H

#include <jansson.h>
#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "arena.h"
#include "buf.h"
#include "daemon.h"
#include "gateway.pb-c.h"
#include "legalaid.pb-c.h"
#include "metrics.h"

/* --- gateway_config.c: configuration ------------------------------------ */

typedef struct gateway_config {
    char *listen;            /* HOST:PORT */
    char *tls_cert, *tls_key; /* PEM files; both empty: plain HTTP (loopback only) */
    char *agencies;          /* the agencies file */
    long long body_max_bytes;
    long long rate_per_minute;
    long long rate_burst;
    long long daemon_timeout_ms;
    long long metrics_timeout_ms;
    long long connections_max;
    long long client_timeout_s;
    long long utc_offset_minutes;
} gateway_config_t;

extern gateway_config_t gateway_config;
extern const cfg_key_t gateway_config_keys[];

/* --- gateway_openapi.c ------------------------------------------------- */

extern const char gateway_openapi_yaml[];
extern const size_t gateway_openapi_yaml_len;

/* --- gateway_agency.c: who may call ------------------------------------- */

#include "keyfile.h"


typedef struct gateway_agency {
    char name[64];
    Legalaid__AuthorityKind kind;
    char authority[128];
    char hash[KEYFILE_TOKEN_HASH_LEN + 1]; /* blake2b:HEX, as in the file */
    long long rate_per_minute; /* its own, or [gateway] rate_per_minute */
    double tokens;             /* the bucket: requests it may make now */
    int64_t refilled_mono;
} gateway_agency_t;

/* Loads the agencies file: one agency a line, NAME KIND AUTHORITY
 * blake2b:HEX [rate=N] ('#' comments). 0, or -1 with the line at fault in
 * err. Replaces what was loaded only on success. */
int gateway_agency_load(const char *path, char *err, size_t errlen);
void gateway_agency_free(void);
size_t gateway_agency_count(void);
/* The agency whose token this is (compared in constant time), or NULL. */
gateway_agency_t *gateway_agency_find(const char *token);
/* Takes one request from a's bucket: 1, or 0 with the seconds until the
 * next in *retry_s. */
int gateway_agency_take(gateway_agency_t *a, int64_t now_mono, int *retry_s);

/* --- gateway_link.c: requests to the daemons ---------------------------- */

enum { GW_INTAKE, GW_ELIGIBILITY, GW_DISPATCH, GW_ROSTER, GW_NOTIFY, GW_NDAEMONS };
extern const char *const gateway_link_names[GW_NDAEMONS];

/* The daemon's reply (NULL: no answer before the deadline), valid during
 * the call only. */
typedef void (*gateway_link_cb)(void *ctx, const Legalaid__Reply *reply);

/* Connects a DEALER to each daemon of the configuration ([NAME] endpoint),
 * as a CURVE client with the gateway's own key when security is on. 0, or
 * -1 after logging why. */
int gateway_link_start(daemon_t *d, uv_loop_t *loop);
/* Answers every call still out with NULL and closes the sockets. */
void gateway_link_stop(void);
/* 1 when the configuration names the daemon's endpoint. */
int gateway_link_configured(int daemon);
/* Sends req (a request_id is made when it has none) and calls cb once:
 * with the reply, or NULL after deadline_ms. With resend, a silent request
 * and one answered UNAVAILABLE or INTERNAL is sent again (same
 * request_id) every second until then. */
void gateway_link_call(int daemon, Legalaid__Request *req, int deadline_ms, int resend,
                       gateway_link_cb cb, void *ctx);
/* Calls still waiting for their reply. */
size_t gateway_link_waiting(void);

/* --- gateway_http.c: the HTTP side -------------------------------------- */

typedef struct gateway_req gateway_req_t;
struct gateway_req {
    struct MHD_Connection *conn;
    char method[8];
    char *url;
    buf_t body;
    size_t body_limit;
    int too_large;
    int routed;
    gateway_agency_t *agency; /* set by the route when it needs one */
    struct MHD_Response *response;
    unsigned status;
    int suspended;
    int64_t started_mono;
    const char *route;  /* for the gateway's own counters */
    arena_t arena;      /* freed with the request */
    void *work;         /* the handler's state, in the arena */
    gateway_req_t *next; /* gateway_store's queue */
};

/* Starts libmicrohttpd on [gateway] listen, driven by the loop (its epoll
 * descriptor under a uv_poll, its timeouts as a uv_timer): nothing blocks.
 * handler answers each complete request (gateway_route).
 * 0, or -1 after logging why. */
typedef void (*gateway_http_handler)(daemon_t *d, gateway_req_t *r);
int gateway_http_start(daemon_t *d, uv_loop_t *loop, gateway_http_handler handler);
void gateway_http_stop(void);
/* The request waits for a daemon: its connection is suspended until one
 * of the answers below resumes it. */
void gateway_http_suspend(gateway_req_t *r);
/* Answers r with body (copied) of type. May be called once per request. */
void gateway_http_answer(gateway_req_t *r, unsigned status, const char *type, const char *body,
                         size_t len);
/* Adds a header to the answer (after gateway_http_answer). */
void gateway_http_header(gateway_req_t *r, const char *name, const char *value);
/* Answers j (released) as application/json. */
void gateway_http_json(gateway_req_t *r, unsigned status, json_t *j);
/* Answers an RFC 9457 problem (application/problem+json): its type is the
 * code ("invalid-field"), title the plain words, detail the message,
 * field the JSON path at fault (NULL: none). */
void gateway_http_problem(gateway_req_t *r, unsigned status, const char *code, const char *field,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A request header, or NULL. */
const char *gateway_http_get_header(gateway_req_t *r, const char *name);
/* The gateway's own figures for /metrics: requests by route and status,
 * and their durations. */
typedef struct gateway_http_tally {
    const char *route;
    unsigned status;
    uint64_t count;
} gateway_http_tally_t;
const gateway_http_tally_t *gateway_http_tallies(size_t *n);
const metrics_hist_t *gateway_http_durations(void);
size_t gateway_http_open_connections(void);

/* --- gateway_store.c: the gateway's table -------------------------------- */

/* Opens the notices table (at start, in txn). */
int gateway_store_open(MDB_txn *txn);
/* The record of agency's reference, read in its own read transaction of
 * env: 0 with *out (malloc'ed: legalaid__gateway_notice__free_unpacked),
 * MDB_NOTFOUND, or a store error. */
int gateway_store_get(MDB_env *env, int event, const char *agency, const char *reference,
                      Legalaid__GatewayNotice **out);
/* Queues n (taken: freed after the write) to be written in the next turn;
 * r is answered (with what it holds) once that turn has committed. */
void gateway_store_queue(daemon_t *d, gateway_req_t *r, Legalaid__GatewayNotice *n);
/* In the tick's turn: writes what is queued. 0 or a store error. */
int gateway_store_write(turn_t *t);
/* After a turn: answers the requests whose records it wrote. */
void gateway_store_committed(daemon_t *d, int ok);
/* Records waiting for a turn or for its commit. */
size_t gateway_store_queued(void);
/* At stop: every request still waiting for its record answered 503 (the
 * daemon has it; a resend gets the first answer). */
void gateway_store_abandon(void);

/* --- gateway_notice.c, gateway_metrics.c, gateway_route.c --------------- */

void gateway_notice_post(daemon_t *d, gateway_req_t *r);
void gateway_notice_get(daemon_t *d, gateway_req_t *r, const char *reference);
/* Shared with gateway_event.c: a time as an agency reads it (RFC 3339 at
 * utc_offset_minutes; JSON null for 0); a daemon's refusal as an HTTP
 * status and problem type; 503 with Retry-After when a daemon did not
 * answer; the paths of the fields two JSON objects differ in; one request
 * at a time per (agency, key): fly is 0 when one is already in flight. */
json_t *gateway_notice_time(int64_t ms);
/* The request's JSON body as desc (in r's arena); NULL after answering
 * 415, 400 or 422 naming the field. */
ProtobufCMessage *gateway_notice_body(gateway_req_t *r, const ProtobufCMessageDescriptor *desc);
/* "gw-" and the keyed hash of (domain, agency, reference, content): the
 * same request always asks the daemon the same thing. */
void gateway_notice_request_id(const char *domain, const char *agency, const char *reference,
                               const buf_t *content, char out[40]);
/* 409 naming the fields in which now differs from first. */
void gateway_notice_conflict(gateway_req_t *r, const ProtobufCMessage *first,
                             const ProtobufCMessage *now, const char *reference,
                             const char *case_id);
/* Sends req to daemon on behalf of r's agency, with request_id (resent
 * until answered or daemon_timeout_ms), and suspends r until cb. */
void gateway_notice_ask(gateway_req_t *r, int daemon, Legalaid__Request *req,
                        const char *request_id, gateway_link_cb cb, void *ctx);
/* A heap copy of n (free with legalaid__gateway_notice__free_unpacked). */
Legalaid__GatewayNotice *gateway_notice_copy(const Legalaid__GatewayNotice *n);
unsigned gateway_notice_status(Legalaid__Code code, const char **type);
void gateway_notice_unavailable(gateway_req_t *r, const char *daemon, const char *what);
void gateway_notice_differ(json_t *a, json_t *b, const char *prefix, json_t *out);
int gateway_notice_fly(const char *agency, const char *key);
void gateway_notice_land(const char *agency, const char *key);
/* gateway_event.c: POST /v1/events. */
void gateway_event_post(daemon_t *d, gateway_req_t *r);
void gateway_metrics_scrape(daemon_t *d, gateway_req_t *r);
/* Answers r (a complete request: method, url, body). */
void gateway_route(daemon_t *d, gateway_req_t *r);

#endif
