#define _GNU_SOURCE
/*
 * http-sink.c - a loopback HTTP server standing in for the SMS gateway and
 * the agencies' webhooks in notify's system, fault and benchmark tests.
 *
 *   http-sink --port-file FILE --log FILE [--token T] [--fail-percent N]
 *             [--stall-percent N] [--stall-ms MS] [--seed S]
 *
 * Binds 127.0.0.1 on a free port and writes it to FILE (atomically). Each
 * POST is answered like a gateway that drops repeats by Idempotency-Key:
 *   - a key already accepted: 200 and logged "dup KEY PATH";
 *   - fail-percent of the rest: 500, nothing accepted, "fail KEY PATH";
 *   - stall-percent: accepted ("new") but answered only after stall-ms, past
 *     the client's timeout: the client must try again and get "dup";
 *   - otherwise accepted: 200, "new KEY PATH".
 * A path under /dead/ always fails ("fail") until the file LOG.heal exists.
 * A wrong or missing bearer token (with --token) gets 401 ("denied").
 * The log has one line per request; the test reads it. SIGTERM ends it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SINK_CONNS 512
#define SINK_BUF 65536

typedef struct conn {
    int fd;
    char in[SINK_BUF];
    size_t len;
    int64_t answer_at; /* a stalled answer: send at this time; 0 none */
} conn_t;

static conn_t conns[SINK_CONNS];
static FILE *sink_log;
static char heal_path[1100];
static const char *token;
static int fail_percent, stall_percent, stall_ms = 2000;
static uint64_t rng = 88172645463325252ULL;
static char **keys;
static size_t nkeys, capkeys;
static volatile sig_atomic_t stop;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned sink_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % 100);
}

/* The keys accepted: an open-addressing hash set (a linear scan made the
 * sink, not notify, the cost of a benchmark that delivers 100,000). */
static uint64_t key_hash(const char *k)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *k; k++) h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return h;
}

static int key_seen(const char *k)
{
    if (!capkeys) return 0;
    for (size_t i = key_hash(k) & (capkeys - 1); keys[i]; i = (i + 1) & (capkeys - 1))
        if (strcmp(keys[i], k) == 0) return 1;
    return 0;
}

static void key_put(char **set, size_t cap, char *k)
{
    size_t i = key_hash(k) & (cap - 1);
    while (set[i]) i = (i + 1) & (cap - 1);
    set[i] = k;
}

static void key_add(const char *k)
{
    if (2 * (nkeys + 1) > capkeys) { /* at most half full */
        size_t cap = capkeys ? capkeys * 2 : 1024;
        char **set = calloc(cap, sizeof *set);
        if (!set) abort();
        for (size_t i = 0; i < capkeys; i++)
            if (keys[i]) key_put(set, cap, keys[i]);
        free(keys);
        keys = set, capkeys = cap;
    }
    char *copy = strdup(k);
    if (!copy) abort();
    key_put(keys, capkeys, copy);
    nkeys++;
}

static void sink_reply(conn_t *c, int status, const char *body)
{
    char out[512];
    int n = snprintf(out, sizeof out,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     status, status == 200 ? "OK" : status == 401 ? "Unauthorized" : "Error",
                     strlen(body), body);
    ssize_t w = write(c->fd, out, (size_t)n);
    (void)w;
}

static void sink_close(conn_t *c)
{
    close(c->fd);
    c->fd = -1;
    c->len = 0;
    c->answer_at = 0;
}

/* The value of header name in the head (NUL-terminated), or "". */
static void header_get(const char *head, const char *name, char *out, size_t size)
{
    out[0] = 0;
    size_t n = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
            const char *v = p + 3 + n;
            while (*v == ' ') v++;
            size_t len = strcspn(v, "\r\n");
            if (len >= size) len = size - 1;
            memcpy(out, v, len);
            out[len] = 0;
            return;
        }
    }
}

/* Handles one complete request at the start of c->in; returns the bytes
 * it used, or 0 when it is not complete yet. */
static size_t sink_request(conn_t *c)
{
    c->in[c->len < SINK_BUF ? c->len : SINK_BUF - 1] = 0;
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end) return 0;
    size_t headlen = (size_t)(end - c->in) + 4;
    char head[8192];
    size_t hn = headlen < sizeof head ? headlen : sizeof head - 1;
    memcpy(head, c->in, hn);
    head[hn] = 0;
    char clen[32], key[512], auth[512], path[512] = "/";
    header_get(head, "Content-Length", clen, sizeof clen);
    size_t body = (size_t)strtoul(clen, NULL, 10);
    if (headlen + body > c->len) return 0;
    sscanf(head, "%*s %511s", path);
    header_get(head, "Idempotency-Key", key, sizeof key);
    header_get(head, "Authorization", auth, sizeof auth);
    if (token) {
        char want[600];
        snprintf(want, sizeof want, "Bearer %s", token);
        if (strcmp(auth, want) != 0) {
            fprintf(sink_log, "denied %s %s\n", key[0] ? key : "-", path);
            sink_reply(c, 401, "{\"error\":\"token\"}");
            return headlen + body;
        }
    }
    /* The body must carry the same key as the header. */
    char *copy = strndup(c->in + headlen, body);
    int key_in_body = key[0] && strstr(copy, key) != NULL;
    free(copy);
    if (!key[0] || !key_in_body) {
        fprintf(sink_log, "bad %s %s\n", key[0] ? key : "-", path);
        sink_reply(c, 400, "{\"error\":\"idempotency key\"}");
        return headlen + body;
    }
    struct stat st;
    if (strncmp(path, "/dead/", 6) == 0 && stat(heal_path, &st) != 0) {
        fprintf(sink_log, "fail %s %s\n", key, path);
        sink_reply(c, 503, "{\"error\":\"down\"}");
        return headlen + body;
    }
    if (key_seen(key)) {
        fprintf(sink_log, "dup %s %s\n", key, path);
        sink_reply(c, 200, "{\"duplicate\":true}");
        return headlen + body;
    }
    unsigned r = sink_random();
    if (r < (unsigned)fail_percent) {
        fprintf(sink_log, "fail %s %s\n", key, path);
        sink_reply(c, 500, "{\"error\":\"injected\"}");
        return headlen + body;
    }
    key_add(key);
    fprintf(sink_log, "new %s %s\n", key, path);
    if (r < (unsigned)(fail_percent + stall_percent)) {
        c->answer_at = now_ms() + stall_ms; /* accepted, but the answer comes too late */
        return headlen + body;
    }
    sink_reply(c, 200, "{\"accepted\":true}");
    return headlen + body;
}

static void sink_read(conn_t *c)
{
    ssize_t n = read(c->fd, c->in + c->len, SINK_BUF - 1 - c->len);
    if (n <= 0) {
        sink_close(c);
        return;
    }
    c->len += (size_t)n;
    while (!c->answer_at) {
        size_t used = sink_request(c);
        if (!used) break;
        memmove(c->in, c->in + used, c->len - used);
        c->len -= used;
    }
    if (c->len >= SINK_BUF - 1) sink_close(c); /* a request too large */
}

static void sink_stop_cb(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    const char *port_file = NULL, *log_path = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port-file")) port_file = argv[i + 1];
        else if (!strcmp(argv[i], "--log")) log_path = argv[i + 1];
        else if (!strcmp(argv[i], "--token")) token = argv[i + 1];
        else if (!strcmp(argv[i], "--fail-percent")) fail_percent = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--stall-percent")) stall_percent = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--stall-ms")) stall_ms = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed")) rng = strtoull(argv[i + 1], NULL, 10) | 1;
        else {
            fprintf(stderr, "http-sink: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (!port_file || !log_path) {
        fprintf(stderr, "usage: http-sink --port-file FILE --log FILE [--token T] "
                        "[--fail-percent N] [--stall-percent N] [--stall-ms MS] [--seed S]\n");
        return 2;
    }
    sink_log = fopen(log_path, "a");
    if (!sink_log) return 1;
    setvbuf(sink_log, NULL, _IOLBF, 0);
    snprintf(heal_path, sizeof heal_path, "%s.heal", log_path);
    signal(SIGTERM, sink_stop_cb);
    signal(SIGINT, sink_stop_cb);
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t slen = sizeof sa;
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) || listen(lfd, 256) ||
        getsockname(lfd, (struct sockaddr *)&sa, &slen)) {
        perror("http-sink");
        return 1;
    }
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
    FILE *pf = fopen(tmp, "w");
    if (!pf) return 1;
    fprintf(pf, "%d\n", ntohs(sa.sin_port));
    fclose(pf);
    rename(tmp, port_file);
    for (int i = 0; i < SINK_CONNS; i++) conns[i].fd = -1;

    while (!stop) {
        struct pollfd pfd[SINK_CONNS + 1];
        int map[SINK_CONNS + 1], n = 0, timeout = 200;
        int64_t now = now_ms();
        pfd[n].fd = lfd;
        pfd[n].events = POLLIN;
        map[n++] = -1;
        for (int i = 0; i < SINK_CONNS; i++) {
            if (conns[i].fd < 0) continue;
            if (conns[i].answer_at) {
                int64_t wait = conns[i].answer_at - now;
                if (wait < timeout) timeout = wait < 0 ? 0 : (int)wait;
            }
            pfd[n].fd = conns[i].fd;
            pfd[n].events = POLLIN;
            map[n++] = i;
        }
        if (poll(pfd, (nfds_t)n, timeout) < 0 && errno != EINTR) break;
        now = now_ms();
        for (int k = 0; k < n; k++) {
            if (map[k] < 0) {
                if (!(pfd[k].revents & POLLIN)) continue;
                int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
                int slot = -1;
                for (int i = 0; i < SINK_CONNS && slot < 0; i++)
                    if (conns[i].fd < 0) slot = i;
                if (fd >= 0 && slot < 0) close(fd);
                if (fd >= 0 && slot >= 0) {
                    conns[slot].fd = fd;
                    conns[slot].len = 0;
                    conns[slot].answer_at = 0;
                }
                continue;
            }
            conn_t *c = &conns[map[k]];
            if (c->fd < 0) continue;
            if (c->answer_at && now >= c->answer_at) {
                c->answer_at = 0;
                sink_reply(c, 200, "{\"accepted\":true}");
            }
            if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR)) {
                if (c->answer_at) {
                    /* The client gave up waiting: it closed, or sends again. */
                    char probe;
                    if (recv(c->fd, &probe, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) {
                        sink_close(c);
                        continue;
                    }
                }
                if (!c->answer_at) sink_read(c);
            }
        }
    }
    close(lfd);
    for (int i = 0; i < SINK_CONNS; i++)
        if (conns[i].fd >= 0) close(conns[i].fd);
    for (size_t i = 0; i < capkeys; i++) free(keys[i]);
    free(keys);
    fclose(sink_log);
    return 0;
}
