/*
 * fuzz-frames.c - untrusted bytes into a daemon's request path: frame
 * bounds, protobuf-c decoding, request_id rules, every validator of
 * intake. Whatever the bytes, the daemon answers with a reply (an error
 * naming the problem, or a result) and keeps serving.
 *
 * Built two ways: with -DLEGALAID_LIBFUZZER and clang's -fsanitize=fuzzer
 * as a libFuzzer target (cmake -DLEGALAID_FUZZ=ON -DCMAKE_C_COMPILER=clang);
 * otherwise as a ctest that replays seeded mutations of valid requests and
 * random frames, deterministic from its seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "clock.h"
#include "daemon.h"
#include "intake.h"

static daemon_t *fuzz_daemon;
static char fuzz_dir[256];

static void fuzz_open(void)
{
    if (fuzz_daemon) return;
    snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/legalaid-fuzz-XXXXXX");
    if (!mkdtemp(fuzz_dir)) abort();
    fuzz_daemon = daemon_open_test(&intake_service, fuzz_dir);
    if (!fuzz_daemon) abort();
}

/* Returns 0 when the daemon answered with a well-formed reply. */
static int fuzz_codes[16];

static int fuzz_one(const uint8_t *data, size_t size)
{
    fuzz_open();
    Legalaid__Reply *r = NULL;
    int rc = daemon_call_bytes(fuzz_daemon, data, size, &r);
    if (rc != 0 || !r) return -1;
    fuzz_codes[(r->has_code ? r->code : 0) & 15]++;
    int ok = !r->has_code || r->code == LEGALAID__CODE__OK || (r->error && r->error[0]);
    legalaid__reply__free_unpacked(r, NULL);
    return ok ? 0 : -1;
}

#ifdef LEGALAID_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_one(data, size) != 0) abort();
    return 0;
}
#else

static void seed_frames(buf_t *seeds, int *n)
{
    char idn[] = "110101199003074573"; /* valid check digit */
    Legalaid__Person p = LEGALAID__PERSON__INIT;
    p.name = "张三";
    p.id_number = idn;
    p.phone = "13904721234";
    Legalaid__Authority au = LEGALAID__AUTHORITY__INIT;
    au.has_kind = 1;
    au.kind = LEGALAID__AUTHORITY_KIND__POLICE;
    au.name = "包头市公安局";
    Legalaid__Application a = LEGALAID__APPLICATION__INIT;
    a.applicant = &p;
    a.has_channel = a.has_category = 1;
    a.channel = LEGALAID__CHANNEL__WINDOW;
    a.category = LEGALAID__MATTER_CATEGORY__CIVIL;
    Legalaid__SubmitApplication s = LEGALAID__SUBMIT_APPLICATION__INIT;
    s.application = &a;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = "seed-1";
    req.body_case = LEGALAID__REQUEST__BODY_SUBMIT_APPLICATION;
    req.submit_application = &s;
    client_pack(&req, &seeds[(*n)++]);

    a.channel = LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    a.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    a.authority = &au;
    a.has_ground = 1;
    a.ground = LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH;
    req.request_id = "seed-2";
    client_pack(&req, &seeds[(*n)++]);

    Legalaid__Fetch f = LEGALAID__FETCH__INIT;
    f.stream = "intake";
    f.consumer = "eligibility";
    Legalaid__Request fr = LEGALAID__REQUEST__INIT;
    fr.request_id = "seed-3";
    fr.body_case = LEGALAID__REQUEST__BODY_FETCH;
    fr.fetch = &f;
    client_pack(&fr, &seeds[(*n)++]);

    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    g.case_id = "BT-2026-000001";
    Legalaid__Request gr = LEGALAID__REQUEST__INIT;
    gr.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    gr.get_application = &g;
    client_pack(&gr, &seeds[(*n)++]);
}

int main(int argc, char **argv)
{
    unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20261123u;
    int rounds = argc > 2 ? atoi(argv[2]) : 20000;
    clock_set_ms(1772416800000LL);
    buf_t seeds[8] = {{0}};
    int nseeds = 0;
    seed_frames(seeds, &nseeds);
    uint8_t frame[4096];
    int failures = 0;
    for (int i = 0; i < rounds; i++) {
        size_t len;
        if (i % 4 == 0) {
            len = (size_t)(rand_r(&seed) % 512);
            for (size_t k = 0; k < len; k++) frame[k] = (uint8_t)rand_r(&seed);
        } else {
            buf_t *s = &seeds[rand_r(&seed) % (unsigned)nseeds];
            len = s->len;
            memcpy(frame, s->data, len);
            int flips = 1 + (int)(rand_r(&seed) % 6);
            for (int k = 0; k < flips; k++) {
                size_t at = (size_t)rand_r(&seed) % len;
                switch (rand_r(&seed) % 3) {
                case 0: frame[at] ^= (uint8_t)(1u << (rand_r(&seed) % 8)); break;
                case 1: frame[at] = (uint8_t)rand_r(&seed); break;
                default: len = at + 1; /* truncate */
                }
            }
        }
        if (fuzz_one(frame, len) != 0) {
            if (failures++ < 5) fprintf(stderr, "round %d: frame of %zu bytes got no proper reply\n", i, len);
        }
    }
    /* Still serving: a valid application goes in. */
    Legalaid__Reply *r = NULL;
    if (daemon_call_bytes(fuzz_daemon, seeds[3].data, seeds[3].len, &r) != 0 || !r) failures++;
    if (r) legalaid__reply__free_unpacked(r, NULL);
    for (int i = 0; i < nseeds; i++) buf_free(&seeds[i]);
    daemon_close_test(&fuzz_daemon);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir);
    if (system(cmd) != 0) failures++;
    printf("replies by code: ok %d, bad_request %d, invalid_field %d, not_found %d, unknown_type %d\n",
           fuzz_codes[0], fuzz_codes[1], fuzz_codes[2], fuzz_codes[3], fuzz_codes[9]);
    printf("%d passed, %d failed\n", rounds - failures, failures);
    return failures ? 1 : 0;
}
#endif
