/*
 * bench-roster.c - the roster alone, through real turns on a real LMDB
 * (fsync on, as in production), without sockets:
 *
 *   1. Baotou's 31 duty stations (12 courts and 12 procuratorates on
 *      working days 09:00-17:00, 7 detention centres daily 08:30-17:30),
 *      four firms' agreements with 80 duty lawyers: generates the schedule
 *      of a month (A and B for every shift, rest and shares kept) and
 *      publishes it, and prints the time of each;
 *   2. asks "who is on duty at station X at T" LOOKUPS times for random
 *      stations and times of the month (each a request decoded, a cursor
 *      seek on station|start, a reply packed) and prints look-ups per
 *      second.
 *
 * Usage: bench-roster [LOOKUPS]. Prints figures; exits 1 when a step fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "daemon.h"
#include "log.h"
#include "roster.h"
#include "rosterkit.h"
#include "testutil.h"

#define NSTATIONS 31
#define NFIRMS 4
/* 2026-03-01 00:00 Beijing time. */
#define MAR1 1772294400000LL

static int bench_ok(Legalaid__Reply *r, const char *what)
{
    if (!r || (r->has_code && r->code != LEGALAID__CODE__OK)) {
        fprintf(stderr, "bench-roster: %s failed: %s\n", what, r && r->error ? r->error : "?");
        return -1;
    }
    return 0;
}

static int bench_call(daemon_t *d, Legalaid__Request *req, const char *id, const char *what,
                      Legalaid__Reply **out)
{
    req->request_id = (char *)id;
    Legalaid__Reply *r = NULL;
    if (daemon_call(d, req, &r) != 0 || bench_ok(r, what) < 0) {
        if (r) legalaid__reply__free_unpacked(r, NULL);
        return -1;
    }
    if (out)
        *out = r;
    else
        legalaid__reply__free_unpacked(r, NULL);
    return 0;
}

static int bench_setup(daemon_t *d)
{
    static rk_baotou_t b;
    rk_baotou_build(&b, 0);
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    Legalaid__ImportStations is = LEGALAID__IMPORT_STATIONS__INIT;
    is.stations = b.sp;
    is.n_stations = NSTATIONS;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_STATIONS;
    req.import_stations = &is;
    if (bench_call(d, &req, "bench-stations", "import stations", NULL)) return -1;
    Legalaid__ImportTemplates it = LEGALAID__IMPORT_TEMPLATES__INIT;
    it.templates = b.tpp;
    it.n_templates = NSTATIONS;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_TEMPLATES;
    req.import_templates = &it;
    if (bench_call(d, &req, "bench-templates", "import templates", NULL)) return -1;

    static char firm[NFIRMS][32];
    const char *firms[NFIRMS];
    for (int k = 0; k < NFIRMS; k++) {
        snprintf(firm[k], 32, "律师事务所%d", k + 1);
        firms[k] = firm[k];
    }
    static rk_firms_t fm;
    rk_firms_build(&fm, firms);
    /* The duty lawyers are vetted members of dispatch's pool. */
    uint64_t pool_seq = 0;
    for (int k = 0; k < NFIRMS; k++)
        test_feed_pool(d, &pool_seq, fm.pool[k], (size_t)rk_firm_lawyers[k], firms[k]);
    Legalaid__ImportAgreements ia = LEGALAID__IMPORT_AGREEMENTS__INIT;
    ia.agreements = fm.agp;
    ia.n_agreements = NFIRMS;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_AGREEMENTS;
    req.import_agreements = &ia;
    return bench_call(d, &req, "bench-agreements", "import agreements", NULL);
}

static int bench_month(daemon_t *d)
{
    Legalaid__GenerateSchedule g = LEGALAID__GENERATE_SCHEDULE__INIT;
    g.from = "2026-03-01";
    g.to = "2026-03-31";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GENERATE_SCHEDULE;
    req.generate_schedule = &g;
    Legalaid__Reply *r;
    int64_t t0 = clock_mono_ms();
    if (bench_call(d, &req, "bench-generate", "generate", &r)) return -1;
    int64_t t1 = clock_mono_ms();
    printf("generate: a month (2026-03) for %d stations, %u A and B posts, in %lld ms\n", NSTATIONS,
           r->schedule->shifts, (long long)(t1 - t0));
    for (size_t i = 0; i < r->schedule->n_firms; i++)
        printf("  %s: %u posts, %u per mille (share %u), %u to %u posts per lawyer\n",
               r->schedule->firms[i]->firm, r->schedule->firms[i]->posts,
               r->schedule->firms[i]->actual_permille, r->schedule->firms[i]->target_permille,
               r->schedule->firms[i]->min_posts, r->schedule->firms[i]->max_posts);
    Legalaid__PublishSchedule p = LEGALAID__PUBLISH_SCHEDULE__INIT;
    p.id = r->schedule->id;
    req.body_case = LEGALAID__REQUEST__BODY_PUBLISH_SCHEDULE;
    req.publish_schedule = &p;
    int rc = bench_call(d, &req, "bench-publish", "publish", NULL);
    printf("publish: %u shifts checked and placed in %lld ms\n", r->schedule->shifts,
           (long long)(clock_mono_ms() - t1));
    legalaid__reply__free_unpacked(r, NULL);
    return rc;
}

static int bench_lookups(daemon_t *d, size_t n)
{
    char codes[NSTATIONS][32];
    for (int i = 0; i < NSTATIONS; i++) rk_station_code(i, codes[i]);
    srand(20261123);
    size_t found = 0;
    int64_t t0 = clock_mono_ms();
    for (size_t i = 0; i < n; i++) {
        Legalaid__DutyQuery q = LEGALAID__DUTY_QUERY__INIT;
        q.station = codes[rand() % NSTATIONS];
        q.has_at = 1;
        q.at = MAR1 + (int64_t)(rand() % (31 * 24 * 60)) * 60000LL;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.body_case = LEGALAID__REQUEST__BODY_DUTY_QUERY;
        req.duty_query = &q;
        Legalaid__Reply *r;
        if (bench_call(d, &req, NULL, "duty query", &r)) return -1;
        found += r->duty_answer->n_on_duty == 2;
        legalaid__reply__free_unpacked(r, NULL);
    }
    int64_t ms = clock_mono_ms() - t0;
    printf("duty look-ups: %zu at random stations and times of the month, %lld ms: %.0f "
           "look-ups/s (%zu found A and B on duty)\n",
           n, (long long)ms, ms ? n * 1000.0 / (double)ms : 0.0, found);
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
    size_t lookups = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
    if (lookups == 0) {
        fprintf(stderr, "usage: bench-roster [LOOKUPS]\n");
        return 2;
    }
    char dir[] = "/tmp/bench-roster-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench-roster: mkdtemp");
        return 1;
    }
    daemon_t *d = daemon_open_test(&roster_service, dir);
    if (!d) {
        bench_rmdir(dir);
        return 1;
    }
    log_threshold = LOG_WARN;
    clock_set_ms(MAR1 - 7 * MS_PER_DAY);
    int rc = bench_setup(d);
    if (!rc) rc = bench_month(d);
    if (!rc) rc = bench_lookups(d, lookups);
    daemon_close_test(&d);
    bench_rmdir(dir);
    return rc ? 1 : 0;
}
