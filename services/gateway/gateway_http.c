/*
 * gateway_http.c - libmicrohttpd driven by the daemon's libuv loop, so the
 * gateway stays one thread like every daemon: MHD runs in "external" epoll
 * mode, its epoll descriptor is watched by a uv_poll and its timeouts by a
 * uv_timer, and MHD_run does whatever is ready without waiting. A request
 * that needs a daemon suspends its connection; the daemon's reply resumes
 * it. A slow client (a body trickled byte by byte) holds only its own
 * connection, and is cut after [gateway] client_timeout_s of silence.
 *
 * Plain HTTP only on loopback; anywhere else TLS (GnuTLS inside MHD) with
 * the certificate and key files of [gateway].
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/stat.h>

#include "clock.h"
#include "gateway_int.h"
#include "log.h"
#include "xalloc.h"
#include "i18n.h"

#define GATEWAY_HTTP_TALLIES 64

static struct MHD_Daemon *gateway_mhd;
static daemon_t *gateway_http_d;
static gateway_http_handler gateway_http_handle;
static uv_poll_t gateway_http_poll;
static uv_timer_t gateway_http_timer;
static int gateway_http_handles;
static char *gateway_http_cert, *gateway_http_key;
static gateway_http_tally_t gateway_http_tally[GATEWAY_HTTP_TALLIES];
static size_t gateway_http_n_tally;
static metrics_hist_t gateway_http_hist;
static const double gateway_http_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,   0.25,   0.5,   1,    2.5,   10};
static size_t gateway_http_open;

static void gateway_http_schedule(void);

static void gateway_http_run(void)
{
    if (!gateway_mhd) return;
    MHD_run(gateway_mhd);
    gateway_http_schedule();
}

static void gateway_http_timer_cb(uv_timer_t *h)
{
    (void)h;
    gateway_http_run();
}

static void gateway_http_poll_cb(uv_poll_t *h, int status, int events)
{
    (void)h, (void)status, (void)events;
    gateway_http_run();
}

/* The next MHD_run: at MHD's next timeout, and at least every second. */
static void gateway_http_schedule(void)
{
    MHD_UNSIGNED_LONG_LONG ms = 1000;
    if (MHD_get_timeout(gateway_mhd, &ms) != MHD_YES || ms > 1000) ms = 1000;
    uv_timer_start(&gateway_http_timer, gateway_http_timer_cb, (uint64_t)ms, 0);
}

static void gateway_http_count(gateway_req_t *r)
{
    const char *route = r->route ? r->route : "other";
    gateway_http_tally_t *t = NULL;
    for (size_t i = 0; i < gateway_http_n_tally && !t; i++)
        if (gateway_http_tally[i].status == r->status &&
            strcmp(gateway_http_tally[i].route, route) == 0)
            t = &gateway_http_tally[i];
    if (!t && gateway_http_n_tally < GATEWAY_HTTP_TALLIES) {
        t = &gateway_http_tally[gateway_http_n_tally++];
        t->route = route; /* a literal */
        t->status = r->status;
    }
    if (t) t->count++;
    metrics_hist_observe(&gateway_http_hist,
                         (double)(clock_mono_us() / 1000 - r->started_mono) / 1000.0);
}

const gateway_http_tally_t *gateway_http_tallies(size_t *n)
{
    *n = gateway_http_n_tally;
    return gateway_http_tally;
}

const metrics_hist_t *gateway_http_durations(void)
{
    return &gateway_http_hist;
}

size_t gateway_http_open_connections(void)
{
    return gateway_http_open;
}

void gateway_http_suspend(gateway_req_t *r)
{
    if (r->suspended || r->response) return;
    r->suspended = 1;
    MHD_suspend_connection(r->conn);
}

void gateway_http_answer(gateway_req_t *r, unsigned status, const char *type, const char *body,
                         size_t len)
{
    if (r->response) return;
    r->response = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    r->status = status;
    MHD_add_response_header(r->response, "Content-Type", type);
    MHD_add_response_header(r->response, "Cache-Control", "no-store");
    MHD_add_response_header(r->response, "X-Content-Type-Options", "nosniff");
    if (r->suspended) {
        r->suspended = 0;
        MHD_resume_connection(r->conn);
        uv_timer_start(&gateway_http_timer, gateway_http_timer_cb, 0, 0);
    }
}

void gateway_http_header(gateway_req_t *r, const char *name, const char *value)
{
    if (r->response) MHD_add_response_header(r->response, name, value);
}

void gateway_http_json(gateway_req_t *r, unsigned status, json_t *j)
{
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!text) {
        gateway_http_answer(r, 500, "text/plain; charset=utf-8", "out of memory\n", 14);
        return;
    }
    gateway_http_answer(r, status, "application/json; charset=utf-8", text, strlen(text));
    free(text);
}

static const char *gateway_http_title(unsigned status)
{
    switch (status) {
    case 400: return "请求无法解析 (the body is not a JSON object)";
    case 401: return "未认证 (no valid agency token)";
    case 403: return "无权办理 (not allowed for this agency)";
    case 404: return "未找到 (not found)";
    case 405: return "方法不允许 (method not allowed)";
    case 409: return "与已收到的内容冲突 (conflicts with what was received)";
    case 413: return "请求体过大 (the body is too large)";
    case 415: return "内容类型不支持 (send application/json)";
    case 422: return "字段有误 (a field is missing or wrong)";
    case 429: return "请求过于频繁 (too many requests)";
    case 503: return "暂时无法办理, 请稍后重试 (temporarily unavailable; retry)";
    default: return "错误 (error)";
    }
}

void gateway_http_problem(gateway_req_t *r, unsigned status, const char *code, const char *field,
                          const char *fmt, ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    json_t *j = json_object();
    char type[128];
    snprintf(type, sizeof type, "https://legalaid.example/problems/%s", code);
    json_object_set_new(j, "type", json_string(type));
    json_object_set_new(j, "title", json_string(gateway_http_title(status)));
    json_object_set_new(j, "status", json_integer(status));
    json_object_set_new(j, "code", json_string(code));
    json_object_set_new(j, "detail", json_string(detail));
    if (field) json_object_set_new(j, "field", json_string(field));
    if (r->url) json_object_set_new(j, "instance", json_string(r->url));
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    gateway_http_answer(r, status, "application/problem+json; charset=utf-8", text ? text : "{}",
                        text ? strlen(text) : 2);
    free(text);
}

const char *gateway_http_get_header(gateway_req_t *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *gateway_http_get_cookie(gateway_req_t *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *gateway_http_get_arg(gateway_req_t *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    return v && v[0] ? v : NULL;
}

static enum MHD_Result gateway_http_queue(gateway_req_t *r)
{
    enum MHD_Result rc = MHD_queue_response(r->conn, r->status, r->response);
    gateway_http_count(r);
    return rc;
}

static enum MHD_Result gateway_http_access(void *cls, struct MHD_Connection *conn, const char *url,
                                           const char *method, const char *version,
                                           const char *upload, size_t *upload_size, void **ctx)
{
    (void)cls, (void)version;
    gateway_req_t *r = *ctx;
    if (!r) {
        r = xcalloc(1, sizeof *r);
        arena_init(&r->arena);
        r->conn = conn;
        snprintf(r->method, sizeof r->method, "%s", method);
        r->url = arena_strdup(&r->arena, url);
        r->body_limit = (size_t)gateway_config.body_max_bytes;
        r->started_mono = clock_mono_us() / 1000;
        *ctx = r;
        gateway_http_open++;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > r->body_limit) {
            r->route = "too_large";
            gateway_http_problem(r, 413, "too-large", NULL,
                                 _("请求体 %s 字节, 上限 %zu 字节 (the body of %s bytes exceeds the "
                                 "limit of %zu bytes)"),
                                 cl, r->body_limit, cl, r->body_limit);
            return gateway_http_queue(r);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_large && r->body.len + *upload_size > r->body_limit) {
            r->too_large = 1;
            buf_free(&r->body);
        }
        if (!r->too_large) buf_append(&r->body, upload, *upload_size);
        *upload_size = 0;
        if (r->too_large && !r->response) {
            r->route = "too_large";
            gateway_http_problem(r, 413, "too-large", NULL,
                                 _("请求体超过上限 %zu 字节 (the body exceeds the limit of %zu bytes)"),
                                 r->body_limit, r->body_limit);
            return gateway_http_queue(r);
        }
        return MHD_YES;
    }
    if (r->response) return gateway_http_queue(r);
    if (r->routed) return MHD_YES; /* resumed before its answer: nothing to say yet */
    r->routed = 1;
    buf_append(&r->body, "", 1); /* a C string for the JSON reader */
    r->body.len--;
    gateway_http_handle(gateway_http_d, r);
    if (r->response) return gateway_http_queue(r);
    return MHD_YES; /* suspended: a daemon's reply answers it */
}

static void gateway_http_completed(void *cls, struct MHD_Connection *conn, void **ctx,
                                   enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn;
    gateway_req_t *r = *ctx;
    if (!r) return;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        log_debug("HTTP request %s %s ended early (code %d)", r->method, r->url, (int)toe);
    if (r->response) MHD_destroy_response(r->response);
    buf_free(&r->body);
    arena_destroy(&r->arena);
    free(r);
    *ctx = NULL;
    gateway_http_open--;
}

/* HOST:PORT (an IPv4 address, or [::1]:PORT) into sa; 1 when loopback. */
static int gateway_http_address(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                                int *loopback)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host) return -1;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535) return -1;
    memset(ss, 0, sizeof *ss);
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 3 || host[n - 1] != ']') return -1;
        host[n - 1] = 0;
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) return -1;
        *loopback = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
        *len = sizeof *s6;
        return 0;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &s4->sin_addr) != 1) return -1;
    *loopback = (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
    *len = sizeof *s4;
    return 0;
}

/* A PEM file whole (malloc'ed), or NULL after logging why. A private key
 * that others may read is refused, as the daemons refuse their keys. */
static char *gateway_http_read_pem(const char *path, int secret)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        log_error("[gateway] cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    if (secret && (st.st_mode & S_IROTH)) {
        log_error("[gateway] tls_key %s may be read by anyone (mode %o): chmod 600 or 640",
                  path, (unsigned)(st.st_mode & 0777));
        return NULL;
    }
    if (st.st_size <= 0 || st.st_size > (1 << 20)) {
        log_error("[gateway] %s is empty or larger than 1 MB: not a PEM file", path);
        return NULL;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        log_error("[gateway] cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = xmalloc((size_t)st.st_size + 1);
    size_t n = fread(text, 1, (size_t)st.st_size, f);
    fclose(f);
    text[n] = 0;
    return text;
}

int gateway_http_start(daemon_t *d, uv_loop_t *loop, gateway_http_handler handler)
{
    gateway_http_d = d;
    gateway_http_handle = handler;
    gateway_http_hist.name = "http_request_seconds";
    gateway_http_hist.bounds = gateway_http_bounds;
    gateway_http_hist.n_bounds = (int)(sizeof gateway_http_bounds / sizeof gateway_http_bounds[0]);
    struct sockaddr_storage ss;
    socklen_t sslen;
    int loopback = 0;
    if (gateway_http_address(gateway_config.listen, &ss, &sslen, &loopback)) {
        log_error("[gateway] listen = %s: expected HOST:PORT (127.0.0.1:8480, [::1]:8480, "
                  "0.0.0.0:8443)",
                  gateway_config.listen);
        return -1;
    }
    int tls = gateway_config.tls_cert[0] || gateway_config.tls_key[0];
    if (tls && (!gateway_config.tls_cert[0] || !gateway_config.tls_key[0])) {
        log_error("[gateway] tls_cert and tls_key go together: set both, or neither for plain "
                  "HTTP on loopback");
        return -1;
    }
    if (!tls && !loopback) {
        log_error("[gateway] listen = %s is not a loopback address: set tls_cert and tls_key "
                  "(plain HTTP only on 127.0.0.1 or [::1])",
                  gateway_config.listen);
        return -1;
    }
    unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    if (tls) {
        gateway_http_cert = gateway_http_read_pem(gateway_config.tls_cert, 0);
        gateway_http_key = gateway_http_read_pem(gateway_config.tls_key, 1);
        if (!gateway_http_cert || !gateway_http_key) return -1;
        flags |= MHD_USE_TLS;
    }
    uint16_t port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                   : ((struct sockaddr_in *)&ss)->sin_port);
    if (tls)
        gateway_mhd = MHD_start_daemon(
            flags, port, NULL, NULL, gateway_http_access, NULL, MHD_OPTION_SOCK_ADDR,
            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
            (unsigned)gateway_config.connections_max, MHD_OPTION_CONNECTION_TIMEOUT,
            (unsigned)gateway_config.client_timeout_s, MHD_OPTION_NOTIFY_COMPLETED,
            gateway_http_completed, NULL, MHD_OPTION_HTTPS_MEM_CERT, gateway_http_cert,
            MHD_OPTION_HTTPS_MEM_KEY, gateway_http_key, MHD_OPTION_END);
    else
        gateway_mhd = MHD_start_daemon(
            flags, port, NULL, NULL, gateway_http_access, NULL, MHD_OPTION_SOCK_ADDR,
            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
            (unsigned)gateway_config.connections_max, MHD_OPTION_CONNECTION_TIMEOUT,
            (unsigned)gateway_config.client_timeout_s, MHD_OPTION_NOTIFY_COMPLETED,
            gateway_http_completed, NULL, MHD_OPTION_END);
    if (!gateway_mhd) {
        log_error("[gateway] cannot listen on %s (%s): in use, or a certificate or key that "
                  "does not load",
                  gateway_config.listen, tls ? "HTTPS" : "HTTP");
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(gateway_mhd, MHD_DAEMON_INFO_EPOLL_FD);
    uv_poll_init(loop, &gateway_http_poll, info->epoll_fd);
    uv_poll_start(&gateway_http_poll, UV_READABLE, gateway_http_poll_cb);
    uv_timer_init(loop, &gateway_http_timer);
    gateway_http_handles = 1;
    gateway_http_schedule();
    log_info("gateway listening on %s://%s", tls ? "https" : "http", gateway_config.listen);
    return 0;
}

void gateway_http_stop(void)
{
    if (gateway_mhd) {
        MHD_run(gateway_mhd); /* the answers the stopping link gave go out */
        MHD_stop_daemon(gateway_mhd);
        gateway_mhd = NULL;
    }
    if (gateway_http_handles) {
        uv_poll_stop(&gateway_http_poll);
        uv_close((uv_handle_t *)&gateway_http_poll, NULL);
        uv_close((uv_handle_t *)&gateway_http_timer, NULL);
        gateway_http_handles = 0;
    }
    if (gateway_http_key) sodium_memzero(gateway_http_key, strlen(gateway_http_key));
    free(gateway_http_key);
    free(gateway_http_cert);
    gateway_http_cert = gateway_http_key = NULL;
}
