/*
 * bench-eligibility.c - eligibility alone, through real turns on a real
 * LMDB (fsync on, as in production), without sockets:
 *
 *   1. imports a generated 200,000-entry assistance roll (valid resident ID
 *      numbers) in requests of 5,000, as `legalaidctl import
 *      assistance-roll` sends it, and prints entries per second;
 *   2. applies 20,000 ApplicationReceived events from intake in batches of
 *      1,000 (a third on the roll, a third with a commitment letter, a third
 *      awaiting materials) and prints decisions per second;
 *   3. writes a year of figures by day (common/daily.h: 365 days of 200
 *      applications and 200 first decisions a day), then asks the board's
 *      DailyQuery (90 days of both) and a whole year's, 200 times each
 *      through real turns, and prints the time per query: what "the board
 *      stays fast with a year of data" costs.
 *
 * Usage: bench-eligibility [ROLL-ENTRIES [APPLICATIONS]]. Prints figures;
 * exits 1 only when something was not imported or not decided.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "daemon.h"
#include "daily.h"
#include "eligibility.h"
#include "log.h"

#define ROLL_CHUNK 5000
#define FEED_BATCH 1000

/* The i-th generated ID number: region 150203, birth dates from 1940 on, a
 * sequence number, and its GB 11643 check digit. */
static void bench_id(size_t i, char out[19])
{
    size_t k = i / 1000;
    snprintf(out, 19, "150203%04zu%02zu%02zu%03zu", 1940 + k % 60, 1 + (k / 60) % 12,
             1 + (k / 720) % 28, i % 1000);
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int s = 0;
    for (int j = 0; j < 17; j++) s += (out[j] - '0') * w[j];
    out[17] = "10X98765432"[s % 11];
    out[18] = '\0';
}

static int bench_roll(daemon_t *d, size_t n)
{
    Legalaid__RollEntry *entries = calloc(ROLL_CHUNK, sizeof *entries);
    Legalaid__RollEntry **list = calloc(ROLL_CHUNK, sizeof *list);
    char(*ids)[19] = calloc(ROLL_CHUNK, sizeof *ids);
    if (!entries || !list || !ids) return -1;
    size_t accepted = 0;
    int64_t exported_at = clock_now_ms() - MS_PER_DAY; /* one export, in chunks */
    int64_t start = clock_mono_ms();
    for (size_t first = 0; first < n; first += ROLL_CHUNK) {
        size_t m = n - first < ROLL_CHUNK ? n - first : ROLL_CHUNK;
        for (size_t i = 0; i < m; i++) {
            legalaid__roll_entry__init(&entries[i]);
            bench_id(first + i, ids[i]);
            entries[i].id_number = ids[i];
            entries[i].has_status = 1;
            entries[i].status = (Legalaid__RollStatus)(1 + (first + i) % 3);
            entries[i].region = "昆都仑区";
            list[i] = &entries[i];
        }
        Legalaid__ImportAssistanceRoll in = LEGALAID__IMPORT_ASSISTANCE_ROLL__INIT;
        in.entries = list;
        in.n_entries = m;
        in.has_exported_at = 1;
        in.exported_at = exported_at;
        char rid[32];
        snprintf(rid, sizeof rid, "bench-roll-%zu", first);
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.request_id = rid;
        req.body_case = LEGALAID__REQUEST__BODY_IMPORT_ASSISTANCE_ROLL;
        req.import_assistance_roll = &in;
        Legalaid__Reply *r = NULL;
        if (daemon_call(d, &req, &r) || !r || r->body_case != LEGALAID__REPLY__BODY_IMPORT_RESULT) {
            fprintf(stderr, "bench-eligibility: roll chunk at %zu failed: %s\n", first,
                    r && r->error ? r->error : "store error");
            if (r) legalaid__reply__free_unpacked(r, NULL);
            return -1;
        }
        accepted += r->import_result->accepted;
        legalaid__reply__free_unpacked(r, NULL);
    }
    int64_t ms = clock_mono_ms() - start;
    printf("assistance roll: %zu entries in %zu requests of %d, %lld ms: %.0f entries/s\n",
           accepted, (n + ROLL_CHUNK - 1) / ROLL_CHUNK, ROLL_CHUNK, (long long)ms,
           ms > 0 ? accepted * 1000.0 / (double)ms : 0.0);
    free(entries);
    free(list);
    free(ids);
    return accepted == n ? 0 : -1;
}

typedef struct bench_app {
    Legalaid__Application app;
    Legalaid__Person person;
    Legalaid__ApplicationReceived received;
    Legalaid__Event ev;
    char case_id[32];
    char event_id[32];
    char id[19];
} bench_app_t;

static int bench_decide(daemon_t *d, size_t n, size_t roll)
{
    bench_app_t *apps = calloc(FEED_BATCH, sizeof *apps);
    Legalaid__Event **evs = calloc(FEED_BATCH, sizeof *evs);
    if (!apps || !evs) return -1;
    int64_t now = clock_now_ms();
    int64_t start = clock_mono_ms();
    for (size_t first = 0; first < n; first += FEED_BATCH) {
        size_t m = n - first < FEED_BATCH ? n - first : FEED_BATCH;
        for (size_t i = 0; i < m; i++) {
            size_t k = first + i;
            bench_app_t *p = &apps[i];
            legalaid__application__init(&p->app);
            legalaid__person__init(&p->person);
            legalaid__application_received__init(&p->received);
            legalaid__event__init(&p->ev);
            snprintf(p->case_id, sizeof p->case_id, "BT-2026-%06zu", k + 1);
            snprintf(p->event_id, sizeof p->event_id, "intake:%zu", k + 1);
            /* A third on the roll; the rest are people it does not list. */
            bench_id(k % 3 == 0 ? k % roll : roll + k, p->id);
            p->person.name = "申请人";
            p->person.phone = "13904720000";
            p->person.id_number = p->id;
            p->app.case_id = p->case_id;
            p->app.centre = "BT";
            p->app.applicant = &p->person;
            p->app.has_channel = 1;
            p->app.channel = LEGALAID__CHANNEL__WINDOW;
            p->app.has_category = 1;
            p->app.category = k % 2 ? LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION
                                    : LEGALAID__MATTER_CATEGORY__CIVIL;
            p->app.has_scope_item = 1;
            p->app.scope_item = k % 2 ? 5 : 4;
            p->app.matter = "追索劳动报酬";
            p->app.has_commitment_signed = k % 3 == 1;
            p->app.commitment_signed = k % 3 == 1;
            p->app.has_received_at = 1;
            /* Spread over the past year, as a year of the reports is. */
            p->app.received_at = now - (int64_t)(k % 365) * MS_PER_DAY;
            static const char *const counties[] = {"昆都仑区", "青山区", "东河区", "九原区",
                                                   "石拐区", "固阳县", "土默特右旗"};
            static Legalaid__SpecialGroup migrant = LEGALAID__SPECIAL_GROUP__MIGRANT_WORKER;
            p->app.county = (char *)counties[k % 7];
            p->app.station = "BT-CENTRE";
            p->app.n_groups = k % 4 == 0;
            p->app.groups = &migrant;
            p->received.application = &p->app;
            p->ev.seq = k + 1;
            p->ev.has_seq = 1;
            p->ev.event_id = p->event_id;
            p->ev.case_id = p->case_id;
            p->ev.occurred_at = now;
            p->ev.has_occurred_at = 1;
            p->ev.stream = "intake";
            p->ev.body_case = LEGALAID__EVENT__BODY_APPLICATION_RECEIVED;
            p->ev.application_received = &p->received;
            evs[i] = &p->ev;
        }
        int rc = daemon_feed(d, "intake", evs, m);
        if (rc) {
            fprintf(stderr, "bench-eligibility: feeding batch at %zu failed: %d\n", first, rc);
            return -1;
        }
    }
    int64_t ms = clock_mono_ms() - start;
    printf("decisions: %zu ApplicationReceived in batches of %d, %lld ms: %.0f decisions/s\n", n,
           FEED_BATCH, (long long)ms, ms > 0 ? n * 1000.0 / (double)ms : 0.0);
    free(apps);
    free(evs);
    return 0;
}

/* Counts the decisions published, by outcome. */
static int bench_count(daemon_t *d, size_t n)
{
    size_t decided = 0, by[8] = {0};
    uint64_t after = 0;
    for (;;) {
        Legalaid__Batch *b = NULL;
        if (daemon_read_stream(d, after, &b) || !b) return -1;
        if (b->n_events == 0) {
            legalaid__batch__free_unpacked(b, NULL);
            break;
        }
        for (size_t i = 0; i < b->n_events; i++) {
            const Legalaid__Event *ev = b->events[i];
            after = ev->seq;
            if (ev->body_case != LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED) continue;
            decided++;
            unsigned o = (unsigned)ev->eligibility_decided->decision->outcome;
            if (o < 8) by[o]++;
        }
        legalaid__batch__free_unpacked(b, NULL);
    }
    printf("published: %zu decisions (approved %zu, pending verification %zu, needs materials "
           "%zu)\n",
           decided, by[LEGALAID__OUTCOME__APPROVED],
           by[LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION],
           by[LEGALAID__OUTCOME__NEEDS_MATERIALS]);
    return decided == n ? 0 : -1;
}

#define DAILY_YEAR 365
#define DAILY_PER_DAY 200
#define DAILY_ASKS 200

/* Asks DailyQuery for days (both names) DAILY_ASKS times; the mean time of
 * one, in microseconds, or -1. */
static double bench_daily_ask(daemon_t *d, uint32_t days)
{
    static char *names[] = {"applications", "decision_seconds"};
    Legalaid__DailyQuery q = LEGALAID__DAILY_QUERY__INIT;
    q.names = names;
    q.n_names = 2;
    q.days = days;
    q.has_days = 1;
    int64_t start = clock_mono_us();
    for (int k = 0; k < DAILY_ASKS; k++) {
        char rid[32];
        snprintf(rid, sizeof rid, "bench-daily-%u-%d", days, k);
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.request_id = rid;
        req.body_case = LEGALAID__REQUEST__BODY_DAILY;
        req.daily = &q;
        Legalaid__Reply *r = NULL;
        int ok = daemon_call(d, &req, &r) == 0 && r && r->body_case == LEGALAID__REPLY__BODY_DAILY &&
                 r->daily->n_series == 2 && r->daily->series[0]->n_points == days &&
                 r->daily->series[0]->count >= (uint64_t)(days < DAILY_YEAR ? days : DAILY_YEAR) *
                                                   DAILY_PER_DAY;
        if (!ok) {
            fprintf(stderr, "bench-eligibility: daily query of %u days failed: %s\n", days,
                    r && r->error ? r->error : "wrong answer");
            if (r) legalaid__reply__free_unpacked(r, NULL);
            return -1;
        }
        legalaid__reply__free_unpacked(r, NULL);
    }
    return (double)(clock_mono_us() - start) / DAILY_ASKS;
}

#define STATS_ASKS 20

/* The report's queries through real turns: the year whole (every measure
 * and dimension), and month by month as `report --by month` asks. */
static int bench_stats(daemon_t *d, size_t apps)
{
    int64_t now = clock_now_ms();
    int64_t start = clock_mono_us();
    size_t rows = 0;
    uint64_t received = 0;
    for (int k = 0; k < STATS_ASKS + 12; k++) {
        Legalaid__StatsQuery q = LEGALAID__STATS_QUERY__INIT;
        int month = k >= STATS_ASKS ? k - STATS_ASKS : -1;
        q.from = month < 0 ? now - 365 * MS_PER_DAY : now - (int64_t)(12 - month) * 30 * MS_PER_DAY;
        q.to = month < 0 ? now : q.from + 29 * MS_PER_DAY;
        q.has_from = q.has_to = 1;
        char rid[32];
        snprintf(rid, sizeof rid, "bench-stats-%d", k);
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.request_id = rid;
        req.body_case = LEGALAID__REQUEST__BODY_STATS;
        req.stats = &q;
        Legalaid__Reply *r = NULL;
        if (daemon_call(d, &req, &r) != 0 || !r || r->body_case != LEGALAID__REPLY__BODY_STATS) {
            fprintf(stderr, "bench-eligibility: stats query failed: %s\n",
                    r && r->error ? r->error : "no answer");
            if (r) legalaid__reply__free_unpacked(r, NULL);
            return -1;
        }
        if (k == STATS_ASKS - 1) {
            int64_t year_us = (clock_mono_us() - start) / STATS_ASKS;
            rows = r->stats->n_rows;
            for (size_t i = 0; i < rows; i++)
                if (!strcmp(r->stats->rows[i]->measure, "applications") &&
                    !strcmp(r->stats->rows[i]->dim, "all"))
                    received = r->stats->rows[i]->count;
            printf("report: the year of %zu applications (%llu counted, %zu rows of measure x "
                   "dimension x value) read in %.2f ms (mean of %d, through real turns)\n",
                   apps, (unsigned long long)received, rows, year_us / 1000.0, STATS_ASKS);
            start = clock_mono_us();
        }
        legalaid__reply__free_unpacked(r, NULL);
    }
    printf("report: the same year month by month (12 queries, as --by month): %.2f ms\n",
           (double)(clock_mono_us() - start) / 1000.0);
    return received == apps ? 0 : -1;
}

static int bench_daily(daemon_t *d)
{
    MDB_txn *txn;
    if (mdb_txn_begin(daemon_env(d), NULL, 0, &txn)) return -1;
    MDB_dbi dbi = daemon_daily(d, NULL);
    int64_t today = clock_now_ms(), start = clock_mono_ms();
    for (int day = 0; day < DAILY_YEAR; day++) {
        int64_t at = today - (int64_t)day * MS_PER_DAY;
        for (int i = 0; i < DAILY_PER_DAY; i++)
            if (daily_add(txn, dbi, "applications", at, -1) ||
                daily_add(txn, dbi, "decision_seconds", at, (int64_t)(i % 40) * 4 * MS_PER_HOUR)) {
                mdb_txn_abort(txn);
                return -1;
            }
    }
    if (mdb_txn_commit(txn)) return -1;
    int64_t fill = clock_mono_ms() - start;
    double q90 = bench_daily_ask(d, 90), q365 = q90 < 0 ? -1 : bench_daily_ask(d, DAILY_YEAR);
    if (q365 < 0) return -1;
    printf("daily: a year of figures (%d days x %d applications and decisions) written in %lld ms; "
           "the board's query, 90 days of both: %.0f us; a year of both: %.0f us (mean of %d, "
           "through real turns)\n",
           DAILY_YEAR, DAILY_PER_DAY, (long long)fill, q90, q365, DAILY_ASKS);
    return 0;
}

static void bench_rmdir(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/lock.mdb", dir);
    unlink(path);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    size_t roll = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
    size_t apps = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000;
    if (roll == 0 || apps == 0) {
        fprintf(stderr, "usage: bench-eligibility [ROLL-ENTRIES [APPLICATIONS]]\n");
        return 2;
    }
    char dir[] = "/tmp/bench-eligibility-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench-eligibility: mkdtemp");
        return 1;
    }
    daemon_t *d = daemon_open_test(&eligibility_service, dir);
    if (!d) {
        bench_rmdir(dir);
        return 1;
    }
    /* Quiet: the figures are the output. */
    log_threshold = LOG_WARN;
    int rc = bench_roll(d, roll);
    if (!rc) rc = bench_decide(d, apps, roll);
    if (!rc) rc = bench_count(d, apps);
    if (!rc) rc = bench_stats(d, apps);
    if (!rc) rc = bench_daily(d);
    daemon_close_test(&d);
    bench_rmdir(dir);
    return rc ? 1 : 0;
}
