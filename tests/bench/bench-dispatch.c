/*
 * bench-dispatch.c - dispatch alone, through real turns on a real LMDB
 * (fsync on, as in production), without sockets. For a pool of 180 (the
 * city's first intake) and of 5,000 providers (firms, specialties, counties,
 * languages, juvenile qualification, kinds):
 *
 *   1. applies approved decisions from eligibility in batches of 100 (one
 *      turn each, as the stream delivers them) and prints offers made per
 *      second: each one runs the hard rules over the whole pool, the
 *      suitability tiers and the fair-share bookkeeping;
 *   2. accepts each offer, one request per turn (the way lawyers answer),
 *      and prints assignments per second.
 *
 * Usage: bench-dispatch [CASES]. Prints figures; exits 1 when a case was not
 * offered or not assigned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatchkit.h"
#include "log.h"
#include "testutil.h"

#define FEED_BATCH 100

static const char *const counties[] = {"昆都仑区", "青山区", "东河区", "九原区", "土默特右旗",
                                       "固阳县", "达茂旗"};

static void bench_pool(daemon_t *d, dk_pool_t *p, size_t n, char (*ids)[32], char (*firms)[64])
{
    static Legalaid__MatterCategory specs[6000][2];
    static Legalaid__Language langs[2] = {LEGALAID__LANGUAGE__MANDARIN, LEGALAID__LANGUAGE__MONGOLIAN};
    p->n = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[i], 32, "P%05zu", i);
        snprintf(firms[i], 64, "律师事务所%03zu", i % (n / 8 + 1));
        Legalaid__Lawyer *l = dk_lawyer(p, ids[i], firms[i]);
        l->capacity = 500;
        l->county = (char *)counties[i % 7];
        specs[i][0] = 1 + i % 7;
        specs[i][1] = 1 + (i / 7) % 7;
        l->specialties = specs[i];
        l->n_specialties = 2;
        l->languages = langs;
        l->n_languages = i % 9 == 0 ? 2 : 1;
        l->has_juvenile_qualified = 1;
        l->juvenile_qualified = i % 4 == 0;
    }
    Legalaid__Reply *r = dk_import_from(d, p, 0);
    if (r->code != LEGALAID__CODE__OK || r->import_result->accepted != n) {
        fprintf(stderr, "bench: pool import failed: %s\n", r->error ? r->error : "rejected rows");
        exit(1);
    }
    legalaid__reply__free_unpacked(r, NULL);
}

static void bench_decisions(daemon_t *d, size_t cases, uint64_t *seq)
{
    dk_case_t *c = calloc(FEED_BATCH, sizeof *c);
    Legalaid__Event *evs = calloc(FEED_BATCH, sizeof *evs);
    Legalaid__EligibilityDecided *bodies = calloc(FEED_BATCH, sizeof *bodies);
    Legalaid__Event **list = calloc(FEED_BATCH, sizeof *list);
    char (*eids)[32] = calloc(FEED_BATCH, 32), (*names)[32] = calloc(FEED_BATCH, 32);
    for (size_t first = 0; first < cases; first += FEED_BATCH) {
        size_t m = cases - first < FEED_BATCH ? cases - first : FEED_BATCH;
        for (size_t i = 0; i < m; i++) {
            size_t k = first + i;
            char id[32];
            snprintf(id, sizeof id, "BT-2026-%06zu", k + 1);
            Legalaid__MatterCategory cat = 1 + k % 7;
            dk_case_init(&c[i], id, cat, clock_now_ms());
            snprintf(names[i], 32, "申请人%zu", k);
            c[i].applicant.name = names[i];
            c[i].facts.county = (char *)counties[k % 7];
            if (k % 10 == 0) {
                c[i].facts.has_language = 1;
                c[i].facts.language = LEGALAID__LANGUAGE__MONGOLIAN;
            }
            if (k % 8 == 0) c[i].facts.has_minor = c[i].facts.minor = 1;
            legalaid__eligibility_decided__init(&bodies[i]);
            bodies[i].decision = &c[i].d;
            legalaid__event__init(&evs[i]);
            evs[i].seq = ++*seq;
            evs[i].has_seq = 1;
            snprintf(eids[i], 32, "eligibility:%llu", (unsigned long long)evs[i].seq);
            evs[i].event_id = eids[i];
            evs[i].case_id = c[i].case_id;
            evs[i].body_case = LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED;
            evs[i].eligibility_decided = &bodies[i];
            list[i] = &evs[i];
        }
        if (daemon_feed(d, "eligibility", list, m) != 0) {
            fprintf(stderr, "bench: a batch of decisions failed\n");
            exit(1);
        }
    }
    free(c);
    free(evs);
    free(bodies);
    free(list);
    free(eids);
    free(names);
}

static int bench_run(size_t pool_size, size_t cases)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    daemon_t *d = daemon_open_test(&dispatch_service, dir);
    if (!d) return 1;
    clock_set_ms(1772416800000LL);
    dk_pool_t *p = calloc(1, sizeof *p);
    char (*ids)[32] = calloc(pool_size, 32), (*firms)[64] = calloc(pool_size, 64);
    bench_pool(d, p, pool_size, ids, firms);
    uint64_t seq = 0;
    int64_t t0 = clock_mono_ms();
    bench_decisions(d, cases, &seq);
    int64_t t1 = clock_mono_ms();
    size_t assigned = 0;
    for (size_t k = 0; k < cases; k++) {
        char id[32], lawyer[64];
        snprintf(id, sizeof id, "BT-2026-%06zu", k + 1);
        if (dk_state(d, id, lawyer, sizeof lawyer) != LEGALAID__ASSIGNMENT_STATE__OFFERED) continue;
        Legalaid__Reply *r = dk_answer(d, id, lawyer, 1, 0, NULL);
        assigned += r->code == LEGALAID__CODE__OK;
        legalaid__reply__free_unpacked(r, NULL);
    }
    int64_t t2 = clock_mono_ms();
    printf("bench: pool %zu: %zu approved cases offered in %.2f s: %.0f offers/s (batches of %d)\n",
           pool_size, cases, (t1 - t0) / 1000.0, cases / ((t1 - t0) / 1000.0 + 1e-9), FEED_BATCH);
    printf("bench: pool %zu: %zu offers accepted one request per turn in %.2f s: %.0f "
           "assignments/s (each read + accept; fsync per turn)\n",
           pool_size, assigned, (t2 - t1) / 1000.0, assigned / ((t2 - t1) / 1000.0 + 1e-9));
    daemon_close_test(&d);
    test_rmdir(dir);
    free(p);
    free(ids);
    free(firms);
    return assigned == cases ? 0 : 1;
}

int main(int argc, char **argv)
{
    size_t cases = argc > 1 ? strtoul(argv[1], NULL, 10) : 5000;
    log_threshold = LOG_WARN;
    int rc = bench_run(180, cases);
    rc |= bench_run(5000, cases);
    return rc;
}
