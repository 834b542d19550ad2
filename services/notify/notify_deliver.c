/*
 * notify_deliver.c - the pump and the HTTP client on the daemon's loop
 * (see notify_deliver.h). libcurl's multi-socket interface tells us which
 * sockets to watch (uv_poll) and when to call it back (uv_timer); a
 * finished transfer becomes a queued outcome and asks for a tick.
 */
#include "notify_deliver.h"
#include "notify_payload.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "clock.h"
#include "log.h"
#include "notify_config.h"
#include "notify_outbox.h"
#include "notify_store.h"
#include "xalloc.h"

#define DELIVER_PUMP_MS 100
#define DELIVER_DUE_MAX 256

typedef struct deliver_job {
    struct deliver_job *next, *prev; /* the transfers in flight */
    uint64_t id;
    CURL *easy;
    struct curl_slist *headers;
    char *body;
    char errbuf[CURL_ERROR_SIZE];
} deliver_job_t;

typedef struct deliver_sock {
    uv_poll_t poll;
    curl_socket_t fd;
} deliver_sock_t;

static struct {
    daemon_t *d;
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t curl_timer, pump;
    deliver_job_t *jobs;
    int started, stopping;
    uint64_t *inflight; /* ids attempted and not settled yet */
    size_t n_inflight, cap_inflight;
    notify_outcome_t *done;
    size_t n_done, cap_done;
} dl;

static void deliver_pump_cb(uv_timer_t *h);

/* --- in flight and outcomes ----------------------------------------------- */

static int deliver_inflight_has(uint64_t id)
{
    for (size_t i = 0; i < dl.n_inflight; i++)
        if (dl.inflight[i] == id) return 1;
    return 0;
}

static void deliver_inflight_add(uint64_t id)
{
    if (dl.n_inflight == dl.cap_inflight) {
        dl.cap_inflight = dl.cap_inflight ? dl.cap_inflight * 2 : 64;
        dl.inflight = xrealloc(dl.inflight, dl.cap_inflight * sizeof *dl.inflight);
    }
    dl.inflight[dl.n_inflight++] = id;
}

static void deliver_inflight_remove(uint64_t id)
{
    for (size_t i = 0; i < dl.n_inflight; i++)
        if (dl.inflight[i] == id) {
            dl.inflight[i] = dl.inflight[--dl.n_inflight];
            return;
        }
}

void notify_deliver_inject(uint64_t id, int ok, const char *error)
{
    if (dl.n_done == dl.cap_done) {
        dl.cap_done = dl.cap_done ? dl.cap_done * 2 : 64;
        dl.done = xrealloc(dl.done, dl.cap_done * sizeof *dl.done);
    }
    notify_outcome_t *o = &dl.done[dl.n_done++];
    o->id = id;
    o->ok = ok;
    snprintf(o->error, sizeof o->error, "%s", error ? error : "");
    if (dl.d) daemon_tick_soon(dl.d);
    /* The tick settles it in this loop iteration; the pump looks again
     * right after, so that the freed slot is used at once. */
    if (dl.started && !dl.stopping) uv_timer_start(&dl.pump, deliver_pump_cb, 1, DELIVER_PUMP_MS);
}

size_t notify_deliver_take(notify_outcome_t *out, size_t max)
{
    size_t n = dl.n_done < max ? dl.n_done : max;
    if (n == 0) return 0;
    memcpy(out, dl.done, n * sizeof *out);
    memmove(dl.done, dl.done + n, (dl.n_done - n) * sizeof *dl.done);
    dl.n_done -= n;
    for (size_t i = 0; i < n; i++) deliver_inflight_remove(out[i].id);
    return n;
}

/* --- libcurl on libuv ----------------------------------------------------- */

static void deliver_job_free(deliver_job_t *job)
{
    if (job->prev)
        job->prev->next = job->next;
    else
        dl.jobs = job->next;
    if (job->next) job->next->prev = job->prev;
    curl_multi_remove_handle(dl.multi, job->easy);
    curl_easy_cleanup(job->easy);
    curl_slist_free_all(job->headers);
    free(job->body);
    free(job);
}

static void deliver_check_done(void)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(dl.multi, &left))) {
        if (msg->msg != CURLMSG_DONE) continue;
        deliver_job_t *job;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&job);
        long status = 0;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
        char error[160];
        int ok = msg->data.result == CURLE_OK && status >= 200 && status < 300;
        if (msg->data.result != CURLE_OK)
            snprintf(error, sizeof error, "%.150s",
                     job->errbuf[0] ? job->errbuf : curl_easy_strerror(msg->data.result));
        else
            snprintf(error, sizeof error, "HTTP status %ld", status);
        notify_deliver_inject(job->id, ok, ok ? NULL : error);
        deliver_job_free(job);
    }
}

static void deliver_poll_cb(uv_poll_t *h, int status, int events)
{
    deliver_sock_t *s = h->data;
    int flags = 0, running;
    if (status < 0) flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    curl_multi_socket_action(dl.multi, s->fd, flags, &running);
    deliver_check_done();
}

static void deliver_sock_close_cb(uv_handle_t *h)
{
    free(h->data);
}

static int deliver_socket_cb(CURL *easy, curl_socket_t fd, int action, void *userp, void *socketp)
{
    deliver_sock_t *s = socketp;
    if (action == CURL_POLL_REMOVE) {
        if (s) {
            uv_poll_stop(&s->poll);
            uv_close((uv_handle_t *)&s->poll, deliver_sock_close_cb);
            curl_multi_assign(dl.multi, fd, NULL);
        }
        return 0;
    }
    if (!s) {
        s = xcalloc(1, sizeof *s);
        s->fd = fd;
        s->poll.data = s;
        if (uv_poll_init_socket(dl.loop, &s->poll, fd) != 0) {
            free(s);
            return -1;
        }
        curl_multi_assign(dl.multi, fd, s);
    }
    int events = 0;
    if (action == CURL_POLL_IN || action == CURL_POLL_INOUT) events |= UV_READABLE;
    if (action == CURL_POLL_OUT || action == CURL_POLL_INOUT) events |= UV_WRITABLE;
    uv_poll_start(&s->poll, events, deliver_poll_cb);
    return 0;
}

static void deliver_curl_timeout_cb(uv_timer_t *h)
{
    int running;
    curl_multi_socket_action(dl.multi, CURL_SOCKET_TIMEOUT, 0, &running);
    deliver_check_done();
}

static int deliver_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    if (timeout_ms < 0)
        uv_timer_stop(&dl.curl_timer);
    else
        uv_timer_start(&dl.curl_timer, deliver_curl_timeout_cb, (uint64_t)timeout_ms, 0);
    return 0;
}

/* --- attempts ------------------------------------------------------------- */

static void deliver_http(const Legalaid__Notification *n)
{
    int sms = n->channel == LEGALAID__NOTIFY_CHANNEL__CHANNEL_SMS;
    const char *url = sms ? notify_config.sms_url : n->destination;
    const char *token = sms ? notify_config.sms_token : notify_config.webhook_token;
    if (!url || !url[0]) {
        notify_deliver_inject(n->id, 0, "no URL configured for this channel");
        return;
    }
    deliver_job_t *job = xcalloc(1, sizeof *job);
    job->id = n->id;
    job->body = notify_payload_json(n);
    job->easy = curl_easy_init();
    char header[600];
    job->headers = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
    snprintf(header, sizeof header, "Idempotency-Key: %s", n->idempotency_key);
    job->headers = curl_slist_append(job->headers, header);
    if (token && token[0]) {
        snprintf(header, sizeof header, "Authorization: Bearer %s", token);
        job->headers = curl_slist_append(job->headers, header);
    }
    job->headers = curl_slist_append(job->headers, "Expect:");
    CURL *e = job->easy;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, job->headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, job->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(job->body));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)notify_config.http_timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PRIVATE, job);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, job->errbuf);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "legalaid-notify");
    job->next = dl.jobs;
    if (dl.jobs) dl.jobs->prev = job;
    dl.jobs = job;
    curl_multi_add_handle(dl.multi, e);
}

static void deliver_one(const Legalaid__Notification *n)
{
    deliver_inflight_add(n->id);
    switch (n->channel) {
    case LEGALAID__NOTIFY_CHANNEL__CHANNEL_SMS:
    case LEGALAID__NOTIFY_CHANNEL__CHANNEL_WEBHOOK:
        deliver_http(n);
        break;
    case LEGALAID__NOTIFY_CHANNEL__CHANNEL_SPOOL: {
        char error[160] = "";
        int rc = notify_payload_spool_write(notify_config.spool_dir, n, error, sizeof error);
        notify_deliver_inject(n->id, rc == 0, error);
        break;
    }
    default:
        notify_deliver_inject(n->id, 0, "no channel");
        break;
    }
}

static void deliver_pump_cb(uv_timer_t *h)
{
    if (dl.stopping) return;
    size_t room = (size_t)notify_config.max_inflight;
    if (dl.n_inflight >= room) return;
    MDB_txn *txn;
    if (mdb_txn_begin(daemon_env(dl.d), NULL, MDB_RDONLY, &txn) != 0) return;
    uint64_t ids[DELIVER_DUE_MAX];
    /* The in-flight ones are still due (until settled): the scan skips them. */
    size_t n = notify_outbox_due(txn, clock_now_ms(), ids, DELIVER_DUE_MAX);
    for (size_t i = 0; i < n && dl.n_inflight < room; i++) {
        if (deliver_inflight_has(ids[i])) continue;
        Legalaid__Notification *note;
        if (notify_store_get(txn, ids[i], NULL, &note) != 0) continue;
        deliver_one(note);
        protobuf_c_message_free_unpacked(&note->base, NULL);
    }
    mdb_txn_abort(txn);
    int running;
    curl_multi_socket_action(dl.multi, CURL_SOCKET_TIMEOUT, 0, &running);
    deliver_check_done();
}

int notify_deliver_start(daemon_t *d, void *loop)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        log_error("libcurl cannot start");
        return -1;
    }
    dl.d = d;
    dl.loop = loop;
    dl.multi = curl_multi_init();
    curl_multi_setopt(dl.multi, CURLMOPT_SOCKETFUNCTION, deliver_socket_cb);
    curl_multi_setopt(dl.multi, CURLMOPT_TIMERFUNCTION, deliver_timer_cb);
    curl_multi_setopt(dl.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)notify_config.max_inflight);
    uv_timer_init(dl.loop, &dl.curl_timer);
    uv_timer_init(dl.loop, &dl.pump);
    uv_timer_start(&dl.pump, deliver_pump_cb, DELIVER_PUMP_MS, DELIVER_PUMP_MS);
    dl.started = 1;
    return 0;
}

static void deliver_noop_close(uv_handle_t *h)
{
    (void)h;
}

void notify_deliver_stop(daemon_t *d)
{
    if (!dl.started || dl.stopping) return;
    dl.stopping = 1;
    /* Transfers in flight are dropped: not settled, they are attempted
     * again after the restart, with the same idempotency key. Removing a
     * handle makes libcurl close its socket (CURL_POLL_REMOVE). */
    while (dl.jobs) deliver_job_free(dl.jobs);
    curl_multi_cleanup(dl.multi);
    dl.multi = NULL;
    curl_global_cleanup();
    free(dl.inflight);
    free(dl.done);
    dl.inflight = NULL;
    dl.done = NULL;
    dl.n_inflight = dl.n_done = dl.cap_inflight = dl.cap_done = 0;
    uv_timer_stop(&dl.pump);
    uv_timer_stop(&dl.curl_timer);
    uv_close((uv_handle_t *)&dl.pump, deliver_noop_close);
    uv_close((uv_handle_t *)&dl.curl_timer, deliver_noop_close);
    (void)d;
}
