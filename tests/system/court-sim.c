/*
 * court-sim - a court's IT system, simulated: posts notices to the
 * gateway's /v1/notices with N clients at once (libcurl multi), as a court
 * would, and checks what it is told.
 *
 *   court-sim --url URL --token T [--notices 1000] [--clients 16] [--resend 10]
 *             [--bad 5] [--cacert PEM] [--seed N] [--bench]
 *
 * Each notice has its own reference and person (a minor, so Legal Aid Law
 * art. 25(1)(1)). --bad percent of them carry a wrong ID number (a bad
 * check digit) and must be refused 4xx naming applicant.id_number;
 * --resend percent are sent again after their answer and must get the
 * same case. A 503, a refused connection or silence is retried with the
 * same notice (the same reference and content) until it is answered, as
 * is a 429 (the agency's rate),
 * the API asks, for up to 90 s: the test kills the gateway and intake
 * meanwhile. At the end, GET /v1/notices/{reference} of every accepted
 * notice must name its case. Prints one line of figures (with --bench:
 * notices a second and p50/p99 latency of the answered POSTs) and the
 * accepted "reference case" pairs to --out. Exit 0 when every check held.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct notice {
    char ref[64];
    char body[768];
    int bad, resend, stage; /* stage: 0 post, 1 resend, 2 status, 3 done */
    char case_id[40];
    int answered, ok;
    double first_at, deadline;
} notice_t;

typedef struct slot {
    CURL *h;
    notice_t *n;
    char buf[8192];
    size_t len;
    double started;
    struct curl_slist *hdr;
} slot_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t on_data(char *p, size_t sz, size_t nm, void *ud)
{
    slot_t *s = ud;
    size_t n = sz * nm;
    if (s->len + n < sizeof s->buf) {
        memcpy(s->buf + s->len, p, n);
        s->len += n;
        s->buf[s->len] = 0;
    }
    return n;
}

/* A resident ID number (GB 11643) born on the day'th day after 2010-01-01. */
static void id_number(int day, int serial, int bad, char out[19])
{
    struct tm tm = {0};
    tm.tm_year = 110;
    tm.tm_mday = 1 + day % 2000;
    timegm(&tm);
    char all[64];
    snprintf(all, sizeof all, "150203%04d%02d%02d%03d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, serial % 1000);
    memcpy(out, all, 17);
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (out[i] - '0') * w[i];
    char check = "10X98765432"[sum % 11];
    if (bad) check = check == '0' ? '1' : '0';
    out[17] = check;
    out[18] = 0;
}

static const char *url, *token, *cacert;
static int failures;

static void fail(const char *fmt, const char *a, const char *b)
{
    if (failures++ < 20) {
        fprintf(stderr, "court-sim: ");
        fprintf(stderr, fmt, a, b);
        fprintf(stderr, "\n");
    }
}

static void start(CURLM *m, slot_t *s, notice_t *n)
{
    s->n = n;
    s->len = 0;
    s->buf[0] = 0;
    s->started = now_s();
    curl_easy_reset(s->h);
    char u[512];
    curl_slist_free_all(s->hdr);
    s->hdr = NULL;
    char auth[200];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    s->hdr = curl_slist_append(s->hdr, auth);
    if (n->stage == 2) {
        char *esc = curl_easy_escape(s->h, n->ref, 0);
        snprintf(u, sizeof u, "%s/v1/notices/%s", url, esc);
        curl_free(esc);
    } else {
        snprintf(u, sizeof u, "%s/v1/notices", url);
        s->hdr = curl_slist_append(s->hdr, "Content-Type: application/json");
        curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, n->body);
    }
    curl_easy_setopt(s->h, CURLOPT_URL, u);
    curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, s->hdr);
    curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(s->h, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(s->h, CURLOPT_TIMEOUT_MS, 15000L);
    curl_easy_setopt(s->h, CURLOPT_NOSIGNAL, 1L);
    if (cacert) curl_easy_setopt(s->h, CURLOPT_CAINFO, cacert);
    curl_easy_setopt(s->h, CURLOPT_PRIVATE, s);
    curl_multi_add_handle(m, s->h);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int total = 1000, clients = 16, resend_pct = 10, bad_pct = 5, bench = 0;
    unsigned seed = 20261204;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--bench")) { bench = 1; continue; }
        if (!v) { fprintf(stderr, "court-sim: %s needs a value\n", a); return 2; }
        i++;
        if (!strcmp(a, "--url")) url = v;
        else if (!strcmp(a, "--token")) token = v;
        else if (!strcmp(a, "--notices")) total = atoi(v);
        else if (!strcmp(a, "--clients")) clients = atoi(v);
        else if (!strcmp(a, "--resend")) resend_pct = atoi(v);
        else if (!strcmp(a, "--bad")) bad_pct = atoi(v);
        else if (!strcmp(a, "--cacert")) cacert = v;
        else if (!strcmp(a, "--seed")) seed = (unsigned)atoi(v);
        else if (!strcmp(a, "--out")) out = v;
        else { fprintf(stderr, "court-sim: unknown option %s\n", a); return 2; }
    }
    if (!url || !token || total <= 0 || clients <= 0) {
        fprintf(stderr, "usage: court-sim --url URL --token T [--notices N] [--clients C] ...\n");
        return 2;
    }
    srand(seed);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    notice_t *ns = calloc((size_t)total, sizeof *ns);
    double *lat = calloc((size_t)total * 2 + 1, sizeof *lat);
    size_t n_lat = 0;
    for (int i = 0; i < total; i++) {
        notice_t *n = &ns[i];
        snprintf(n->ref, sizeof n->ref, "(2026)内02刑初%u-%d号", seed, i + 1);
        n->bad = rand() % 100 < bad_pct;
        n->resend = !n->bad && rand() % 100 < resend_pct;
        char id[19];
        id_number(i, i, n->bad, id);
        snprintf(n->body, sizeof n->body,
                 "{\"authority\":{\"reference\":\"%s\"},\"applicant\":{\"name\":\"模拟被告人%d\","
                 "\"id_number\":\"%s\"},\"category\":\"criminal_defence\",\"ground\":\"minor\","
                 "\"matter\":\"未成年被告人, 审判阶段无辩护人\",\"county\":\"昆都仑区\"}",
                 n->ref, i + 1, id);
    }
    CURLM *m = curl_multi_init();
    slot_t *slots = calloc((size_t)clients, sizeof *slots);
    for (int i = 0; i < clients; i++) slots[i].h = curl_easy_init();
    int next = 0, running = 0, done = 0, retries = 0, accepted = 0, refused = 0, resent = 0;
    double t0 = now_s();
    /* Notices to send again, a ring: each notice is in a slot or here, at
     * most once, so total places are enough. */
    size_t ring = (size_t)total + 1;
    int *retry = calloc(ring, sizeof *retry);
    size_t r_head = 0, r_tail = 0;
    double *retry_at = calloc(ring, sizeof *retry_at);
    while (done < total) {
        for (int i = 0; i < clients; i++) {
            if (slots[i].n) continue;
            notice_t *n = NULL;
            if (r_head != r_tail && retry_at[r_head] <= now_s()) {
                n = &ns[retry[r_head]];
                r_head = (r_head + 1) % ring;
            }
            else if (next < total) {
                n = &ns[next++];
                n->deadline = now_s() + 90;
            }
            if (!n) break;
            start(m, &slots[i], n);
            running++;
        }
        int still;
        curl_multi_perform(m, &still);
        curl_multi_poll(m, NULL, 0, 20, NULL);
        CURLMsg *msg;
        int q;
        while ((msg = curl_multi_info_read(m, &q))) {
            if (msg->msg != CURLMSG_DONE) continue;
            slot_t *s;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            long code = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
            curl_multi_remove_handle(m, msg->easy_handle);
            notice_t *n = s->n;
            s->n = NULL;
            running--;
            double took = now_s() - s->started;
            int again = msg->data.result != CURLE_OK || code == 503 || code == 429 || code == 0;
            if (again) {
                if (now_s() > n->deadline) {
                    fail("%s: no answer within 90 s (%s)", n->ref, s->buf);
                    done++;
                    continue;
                }
                retries++;
                retry[r_tail] = (int)(n - ns);
                retry_at[r_tail] = now_s() + 0.5;
                r_tail = (r_tail + 1) % ring;
                continue;
            }
            json_t *j = json_loads(s->buf, 0, NULL);
            const char *case_id = j ? json_string_value(json_object_get(j, "case_id")) : NULL;
            const char *field = j ? json_string_value(json_object_get(j, "field")) : NULL;
            if (n->stage == 0) {
                if (code == 200 || code == 201) lat[n_lat++] = took;
                if (n->bad) {
                    if (code < 400 || code > 499 || !field || strcmp(field, "applicant.id_number"))
                        fail("%s: a bad ID number was answered %s", n->ref, s->buf);
                    refused++;
                    n->stage = 3;
                } else if ((code == 201 || code == 200) && case_id) {
                    snprintf(n->case_id, sizeof n->case_id, "%s", case_id);
                    accepted++;
                    n->stage = n->resend ? 1 : bench ? 3 : 2;
                } else {
                    fail("%s: refused %s", n->ref, s->buf);
                    n->stage = 3;
                }
            } else if (n->stage == 1) {
                resent++;
                if (code != 200 || !case_id || strcmp(case_id, n->case_id))
                    fail("%s: the resend was not the first answer: %s", n->ref, s->buf);
                n->stage = 2;
            } else if (n->stage == 2) {
                if (code != 200 || !case_id || strcmp(case_id, n->case_id))
                    fail("%s: the status does not name its case: %s", n->ref, s->buf);
                n->stage = 3;
            }
            json_decref(j);
            if (n->stage == 3)
                done++;
            else {
                retry[r_tail] = (int)(n - ns);
                retry_at[r_tail] = now_s();
                r_tail = (r_tail + 1) % ring;
            }
        }
    }
    double secs = now_s() - t0;
    if (out) {
        FILE *f = fopen(out, "w");
        for (int i = 0; f && i < total; i++)
            if (ns[i].case_id[0]) fprintf(f, "%s %s\n", ns[i].ref, ns[i].case_id);
        if (f) fclose(f);
    }
    qsort(lat, n_lat, sizeof *lat, cmp_double);
    double p50 = n_lat ? lat[n_lat / 2] : 0, p99 = n_lat ? lat[(n_lat * 99) / 100] : 0;
    printf("court-sim: %d notices: %d accepted, %d refused as bad, %d resends answered alike, "
           "%d retries after 503 or no answer, %d failures\n",
           total, accepted, refused, resent, retries, failures);
    if (bench)
        printf("court-sim bench: %d clients, %.0f notices/s (all requests %.1f s), POST latency "
               "p50 %.1f ms p99 %.1f ms\n",
               clients, total / secs, secs, p50 * 1000, p99 * 1000);
    for (int i = 0; i < clients; i++) {
        curl_slist_free_all(slots[i].hdr);
        curl_easy_cleanup(slots[i].h);
    }
    curl_multi_cleanup(m);
    curl_global_cleanup();
    free(slots), free(ns), free(lat), free(retry), free(retry_at);
    return failures ? 1 : 0;
}
