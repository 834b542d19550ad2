/*
 * client.h - the request side of the protocol, for legalaidctl, tests,
 * the benchmark and other agencies' adapters.
 *
 * A request carries a client-chosen request_id; on silence the client
 * resends the same frame (same request_id) until its deadline, so a daemon
 * that crashed and restarted answers with the stored first reply and
 * changes nothing twice.
 */
#ifndef LA_CLIENT_H
#define LA_CLIENT_H

#include <stddef.h>

#include "buf.h"
#include "keyfile.h"
#include "legalaid.pb-c.h"

typedef struct client client_t;

/* Connects a DEALER to endpoint. resend_ms: silence before a resend;
 * deadline_ms: give up on a request after this long. NULL on failure. */
client_t *client_new(const char *endpoint, int resend_ms, int deadline_ms);
/* The same as a CURVE client that knows the daemon by server_public (Z85)
 * and shows itself with self (both keys; copied). A daemon that refuses
 * the key makes client_call and client_pipeline return -EACCES. */
client_t *client_new_curve(const char *endpoint, const char *server_public,
                           const keypair_t *self, int resend_ms, int deadline_ms);
/* Closes the socket and frees *c; sets *c to NULL (NULL is harmless). */
void client_destroy(client_t **c);

/* The largest frame the daemon decodes (its max_frame_bytes; 0, the
 * default: no limit known). A larger request is not sent: it gets at once
 * a TOO_LARGE reply made here, saying that nothing was sent, so that the
 * caller reports it refused, never as lost (the daemon would cut off a peer
 * sending a frame far past its limit, which looks like silence). */
void client_set_max_frame(client_t *c, size_t max_frame);

/* Fills out (33 bytes) with a fresh request_id: 32 hex digits, the time
 * it was made (clock_now_ms) and a sequence, then 64 random bits: the ids
 * a process makes sort in the order it made them. */
void client_request_id(char out[33]);

/* Sends req and waits for its reply (*reply is malloc'ed: free with
 * legalaid__reply__free_unpacked). A mutating request without request_id
 * gets a fresh one. Returns 0, -ETIMEDOUT past the deadline, or -EACCES when the daemon refused
 * this client's key (client_set_curve). */
int client_call(client_t *c, Legalaid__Request *req, Legalaid__Reply **reply);

/* Called once per request of a pipeline, in the order replies arrive. */
typedef void (*client_reply_cb)(void *ctx, size_t index, const Legalaid__Reply *reply);

/* Sends n packed requests with at most window in flight, resending the
 * silent ones and those answered UNAVAILABLE or INTERNAL (same request_id),
 * and calls cb once for each final reply (a frame over the max frame is
 * answered TOO_LARGE without being sent). request_ids[i] must be the id
 * packed in frames[i]. A request still answered UNAVAILABLE with
 * nothing_written at deadline_ms gets that reply as its final one (the
 * daemon said it changed nothing: a full disk). Returns 0 when every
 * request was answered, or -ETIMEDOUT when one went unanswered for
 * deadline_ms (cb was called for those answered). */
int client_pipeline(client_t *c, const buf_t *frames, char *const *request_ids, size_t n,
                    size_t window, client_reply_cb cb, void *ctx);

/* client_pipeline sends request i no sooner than i/per_second seconds
 * after it began: a steady load instead of a burst (a benchmark's --rate);
 * 0, the default, sends as fast as the window allows. */
void client_pace(client_t *c, int per_second);

/* Packs req into out (replacing what out held). */
void client_pack(const Legalaid__Request *req, buf_t *out);
/* Packs reply into out (replacing what out held): what a daemon sends. */
void client_pack_reply(const Legalaid__Reply *reply, buf_t *out);

#endif
