/*
 * procs.c - see procs.h.
 */
#include "procs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "child.h"

const char *const procs_names[PROCS_N] = {"intake", "eligibility", "dispatch", "roster", "notify"};

const char *procs_endpoint(procs_t *p, int i, char *buf, int size)
{
    snprintf(buf, (size_t)size, "ipc://%s/%s.sock", p->dir, procs_names[i]);
    return buf;
}

/* dir/keys: the daemons' keys and the tester's, and the allow-list. */
static int procs_make_keys(procs_t *p, FILE *allow)
{
    char err[600], base[700];
    for (int i = 0; i <= PROCS_N; i++) {
        const char *name = i < PROCS_N ? procs_names[i] : "tester";
        keypair_t kp;
        if (keyfile_generate(&kp) < 0) return -1;
        const char *const meta[][2] = {{"name", name}};
        snprintf(base, sizeof base, "%s/keys/%s", p->dir, name);
        if (keyfile_write(base, &kp, meta, 1, err, sizeof err) < 0) {
            fprintf(stderr, "procs: %s\n", err);
            return -1;
        }
        fprintf(allow, "%s %s %s\n", kp.public_z85, name,
                i < PROCS_N ? "peer" : "staff,officer,operations,admin,unmask");
    }
    if (p->gateway) { /* acts for the people it serves, as deploy/legalaid-local makes it */
        keypair_t kp;
        if (keyfile_generate(&kp) < 0) return -1;
        const char *const meta[][2] = {{"name", "gateway"}};
        snprintf(base, sizeof base, "%s/keys/gateway", p->dir);
        if (keyfile_write(base, &kp, meta, 1, err, sizeof err) < 0) {
            fprintf(stderr, "procs: %s\n", err);
            return -1;
        }
        fprintf(allow, "%s gateway edge delegate=staff,station,lawyer,operations,admin\n",
                kp.public_z85);
    }
    /* The data key (keys_dir/data.key): personal data sealed at rest. */
    seal_ring_t ring;
    seal_ring_new(&ring);
    snprintf(base, sizeof base, "%s/keys/data.key", p->dir);
    int rc = seal_ring_save(&ring, base, err, sizeof err);
    seal_ring_wipe(&ring);
    if (rc < 0) fprintf(stderr, "procs: %s\n", err);
    return rc;
}

/* A loopback port free now (the kernel's pick, released at once). */
static int procs_free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(s);
    return port;
}

int procs_write_config(procs_t *p)
{
    snprintf(p->config, sizeof p->config, "%s/legalaid.ini", p->dir);
    char path[700];
    if (!p->security_off) {
        snprintf(path, sizeof path, "%s/keys", p->dir);
        mkdir(path, 0700);
        snprintf(path, sizeof path, "%s/keys/principals", p->dir);
        FILE *allow = fopen(path, "w");
        if (!allow) return -1;
        int rc = procs_make_keys(p, allow);
        fclose(allow);
        if (rc < 0) return -1;
    }
    FILE *f = fopen(p->config, "w");
    if (!f) return -1;
    if (p->security_off)
        fprintf(f, "[security]\nmode = off\n\n");
    else
        fprintf(f, "[security]\nallow_list = %s/keys/principals\nkeys_dir = %s/keys\n%s\n", p->dir,
                p->dir, p->sealing_off ? "data_key = off\n" : "");
    /* sync = true unless a --set line gives sync itself (a benchmark of
     * what the disk costs: la-system --set sync=false). */
    int sync_given = 0;
    for (int k = 0; k < p->n_extra; k++)
        if (!strncmp(p->extra[k], "sync", 4) && strspn(p->extra[k] + 4, " =") > 0) sync_given = 1;
    for (int i = 0; i < PROCS_N; i++) {
        char ep[600];
        fprintf(f, "[%s]\nendpoint = %s\ndata_dir = %s/data-%s\nmap_size_mb = 16\n"
                   "fetch_wait_ms = 500\nfetch_grace_ms = 1000\n%s\n",
                procs_names[i], procs_endpoint(p, i, ep, sizeof ep), p->dir, procs_names[i],
                sync_given ? "" : "sync = true\n");
        for (int k = 0; k < p->n_extra; k++) fprintf(f, "%s\n", p->extra[k]);
        if (i == 2) /* la-system's lawyers' desk follows dispatch's offers */
            fprintf(f, "consumers = tester\n\n");
        if (i == 4) { /* notify's templates: the source tree's (tests/system/procs.c -> deploy/) */
            const char *cut = strstr(__FILE__, "tests/system/");
            fprintf(f, "templates_dir = %.*sdeploy/notify-templates\n%s\n",
                    cut ? (int)(cut - __FILE__) : 0, __FILE__,
                    p->notify_lines ? p->notify_lines : "");
        }
    }
    if (p->gateway) {
        p->gw_port = procs_free_port();
        if (p->gw_port <= 0) {
            fclose(f);
            return -1;
        }
        fprintf(f, "[gateway]\nendpoint = ipc://%s/gateway.sock\ndata_dir = %s/data-gateway\n"
                   "map_size_mb = 16\nlisten = 127.0.0.1:%d\nagencies = %s/agencies\n"
                   "users = %s/users\n\n",
                p->dir, p->dir, p->gw_port, p->dir, p->dir);
        for (int k = 0; k < 2; k++) {
            snprintf(path, sizeof path, "%s/%s", p->dir, k ? "users" : "agencies");
            FILE *empty = fopen(path, "w");
            if (!empty) {
                fclose(f);
                return -1;
            }
            fclose(empty);
        }
    }
    fclose(f);
    char err[600];
    snprintf(path, sizeof path, "%s/keys/tester.key_secret", p->dir);
    if (security_load(&p->sec, p->config, NULL, p->security_off ? NULL : path, err, sizeof err) < 0) {
        fprintf(stderr, "procs: %s\n", err);
        return -1;
    }
    return 0;
}

Legalaid__Reply *procs_ask(procs_t *p, int i, Legalaid__Request *req, int body)
{
    client_t *c = procs_client(p, i, 500, 5000);
    if (!c) return NULL;
    Legalaid__Reply *rep = NULL;
    int rc = client_call(c, req, &rep);
    client_destroy(&c);
    if (rc == 0 && (int)rep->body_case == body) return rep;
    if (rep) legalaid__reply__free_unpacked(rep, NULL);
    return NULL;
}

Legalaid__Reply *procs_status(procs_t *p, int i)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = "status";
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    return procs_ask(p, i, &req, LEGALAID__REPLY__BODY_STREAM_STATUS);
}

client_t *procs_client(procs_t *p, int i, int resend_ms, int deadline_ms)
{
    char ep[600], err[800];
    client_t *c = security_client_new(&p->sec, procs_names[i], procs_endpoint(p, i, ep, sizeof ep),
                                      resend_ms, deadline_ms, err, sizeof err);
    if (!c) fprintf(stderr, "procs: %s\n", err);
    return c;
}

int procs_start(procs_t *p, int i)
{
    char exe[700], log[700];
    snprintf(exe, sizeof exe, "%s/legalaid-%s", p->bin_dir, procs_names[i]);
    snprintf(log, sizeof log, "%s/%s.log", p->dir, procs_names[i]);
    char *argv[] = {exe, "-c", p->config, NULL};
    p->pid[i] = child_spawn(argv, log);
    return p->pid[i] ? 0 : -1;
}

int procs_wait_ready(procs_t *p, int timeout_ms)
{
    for (int i = 0; i < PROCS_N; i++) {
        client_t *c = procs_client(p, i, 200, timeout_ms);
        if (!c) return -1;
        Legalaid__Ping ping = LEGALAID__PING__INIT;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.request_id = "ping";
        req.body_case = LEGALAID__REQUEST__BODY_PING;
        req.ping = &ping;
        Legalaid__Reply *r = NULL;
        int rc = client_call(c, &req, &r);
        client_destroy(&c);
        if (rc) {
            fprintf(stderr, "%s did not answer a ping within %d ms (see %s/%s.log)\n",
                    procs_names[i], timeout_ms, p->dir, procs_names[i]);
            return -1;
        }
        legalaid__reply__free_unpacked(r, NULL);
    }
    return 0;
}

void procs_kill(procs_t *p, int i)
{
    if (p->pid[i] <= 0) return;
    kill(p->pid[i], SIGKILL);
    int status;
    waitpid(p->pid[i], &status, 0);
    p->pid[i] = 0;
}

int procs_stop_all(procs_t *p)
{
    security_free(&p->sec); /* the end of the run: no client after this */
    int bad = 0;
    if (p->gw_pid > 0) { /* first: it is a client of the others */
        kill(p->gw_pid, SIGTERM);
        int status = 0;
        waitpid(p->gw_pid, &status, 0);
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            fprintf(stderr, "gateway did not stop cleanly (status %d)\n", status);
            bad++;
        }
        p->gw_pid = 0;
    }
    for (int i = 0; i < PROCS_N; i++)
        if (p->pid[i] > 0) kill(p->pid[i], SIGTERM);
    for (int i = 0; i < PROCS_N; i++) {
        if (p->pid[i] <= 0) continue;
        int status = 0;
        for (int waited = 0; waited < 100; waited++) {
            pid_t w = waitpid(p->pid[i], &status, WNOHANG);
            if (w == p->pid[i]) break;
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
            if (waited == 99) {
                fprintf(stderr, "%s (pid %d) ignored SIGTERM for 10 s: killing it\n", procs_names[i],
                        (int)p->pid[i]);
                kill(p->pid[i], SIGKILL);
                waitpid(p->pid[i], &status, 0);
                status = -1;
            }
        }
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            fprintf(stderr, "%s did not stop cleanly (status %d)\n", procs_names[i], status);
            bad++;
        }
        p->pid[i] = 0;
    }
    return bad;
}

int procs_gateway_start(procs_t *p)
{
    char exe[700], log[700];
    snprintf(exe, sizeof exe, "%s/legalaid-gateway", p->bin_dir);
    snprintf(log, sizeof log, "%s/gateway.log", p->dir);
    char *argv[] = {exe, "-c", p->config, NULL};
    p->gw_pid = child_spawn(argv, log);
    return p->gw_pid ? 0 : -1;
}

void procs_gateway_kill(procs_t *p)
{
    if (p->gw_pid <= 0) return;
    kill(p->gw_pid, SIGKILL);
    int status;
    waitpid(p->gw_pid, &status, 0);
    p->gw_pid = 0;
}

int procs_gateway_get(procs_t *p, const char *path, char *body, size_t size)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return 0;
    struct timeval tv = {5, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p->gw_port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int status = 0;
    if (connect(s, (struct sockaddr *)&a, sizeof a) == 0) {
        char req[512];
        int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
        if (write(s, req, (size_t)n) == n) {
            static char resp[1 << 20];
            size_t got = 0;
            ssize_t r;
            while (got < sizeof resp - 1 && (r = read(s, resp + got, sizeof resp - 1 - got)) > 0)
                got += (size_t)r;
            resp[got] = 0;
            if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1) status = 0;
            const char *start = strstr(resp, "\r\n\r\n");
            if (body && size) snprintf(body, size, "%s", start ? start + 4 : "");
        }
    }
    close(s);
    return status;
}

int procs_gateway_wait_ready(procs_t *p, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 100) {
        if (procs_gateway_get(p, "/healthz", NULL, 0) == 200) return 0;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "the gateway did not answer /healthz within %d ms (see %s/gateway.log)\n",
            timeout_ms, p->dir);
    return -1;
}
