/*
 * test-epoch.c - the generation of a stream (epoch.c, fetch.c): a consumer
 * that applied more than a restored upstream holds halts, applies nothing
 * and records the seqs lost (kept across a restart); one within the
 * restored head takes the new generation and goes on, recording what it
 * had only been told of; a trim past it later names the range recorded
 * before in the log as it replaces it; a head that goes back within one generation is a
 * restore too; the producer answers a fetch of another generation at once
 * and does not record its position.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon_int.h"
#include "log.h"
#include "store.h"
#include "testutil.h"

static MDB_dbi epoch_rows;

static int epoch_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    return store_table(txn, "rows", &epoch_rows);
}

/* One row per event applied, keyed by its seq. */
static int epoch_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    (void)upstream;
    char key[32];
    snprintf(key, sizeof key, "%llu", (unsigned long long)ev->seq);
    MDB_val k = {strlen(key), key}, v = {0, ""};
    return store_rc(mdb_put(t->txn, epoch_rows, &k, &v, 0));
}

static const char *const epoch_upstreams[] = {"src", NULL};
static const char *const epoch_consumers[] = {"notify", NULL};
static const service_t epoch_service = {
    .name = "sink", .upstreams = epoch_upstreams, .consumers = epoch_consumers,
    .open = epoch_open, .apply = epoch_apply,
};

/* A batch of src as a producer sends it: events from..to (none when from
 * > to), its head, its generation and the head it was restored at. */
static void batch(daemon_t *d, uint64_t from, uint64_t to, uint64_t head, uint64_t epoch,
                  uint64_t restored)
{
    test_feed_range(d, "src", from, to, head, epoch, restored);
}

/* What the daemon shows of its upstream src. */
typedef struct seen {
    uint64_t applied, epoch, lost_from, lost_to;
    int halted;
} seen_t;

static seen_t upstream_seen(daemon_t *d)
{
    Legalaid__Reply *r = test_status(d);
    assert_int_equal(r->stream_status->n_upstreams, 1);
    const Legalaid__UpstreamOffset *u = r->stream_status->upstreams[0];
    seen_t s = {u->applied_seq, u->epoch, u->lost_from, u->lost_to, u->halted};
    legalaid__reply__free_unpacked(r, NULL);
    return s;
}

/* Each test: a fresh consumer "sink" of "src" in its own directory. */
typedef struct fixture {
    char dir[256];
    daemon_t *d;
} fixture_t;

static int fixture_setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "%s", test_tmpdir());
    f->d = daemon_open_test(&epoch_service, f->dir);
    assert_non_null(f->d);
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    fixture_t *f = *state;
    daemon_close_test(&f->d);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

static void test_restored_behind_halts(void **state)
{
    fixture_t *f = *state;
    batch(f->d, 1, 5, 5, 1, 0);
    batch(f->d, 6, 5, 8, 1, 0); /* told of a head of 8, nothing applied yet */
    seen_t s = upstream_seen(f->d);
    assert_int_equal(s.applied, 5);
    assert_int_equal(s.epoch, 1);
    assert_false(s.halted);

    /* src restored from a copy that ends at 3; its new event 4 is not ours. */
    batch(f->d, 4, 4, 4, 77, 3);
    s = upstream_seen(f->d);
    assert_int_equal(s.applied, 5);
    assert_true(s.halted);
    assert_int_equal(s.lost_from, 4);
    assert_int_equal(s.lost_to, 8);
    assert_int_equal(s.epoch, 1); /* the new generation is not taken */

    /* Still halted, and the loss kept, after a restart. */
    daemon_close_test(&f->d);
    f->d = daemon_open_test(&epoch_service, f->dir);
    s = upstream_seen(f->d);
    assert_int_equal(s.lost_from, 4);
    assert_int_equal(s.lost_to, 8);
    batch(f->d, 6, 6, 6, 77, 3);
    s = upstream_seen(f->d);
    assert_true(s.halted);
    assert_int_equal(s.applied, 5);
}

static void test_restored_ahead_goes_on(void **state)
{
    fixture_t *f = *state;
    batch(f->d, 1, 3, 6, 1, 0); /* applied 3, told of 6 */
    batch(f->d, 4, 5, 5, 88, 3);
    seen_t s = upstream_seen(f->d);
    assert_int_equal(s.applied, 5);
    assert_false(s.halted);
    assert_int_equal(s.epoch, 88);
    assert_int_equal(s.lost_from, 4); /* 4..6 of generation 1: told of, gone */
    assert_int_equal(s.lost_to, 6);
    batch(f->d, 6, 6, 6, 88, 3); /* the new generation goes on as usual */
    assert_int_equal(upstream_seen(f->d).applied, 6);
}

static void test_head_back_in_one_generation(void **state)
{
    fixture_t *f = *state;
    batch(f->d, 1, 5, 5, 1, 0);
    batch(f->d, 3, 3, 3, 1, 0); /* a copy put back by hand: head 3 < 5 */
    seen_t s = upstream_seen(f->d);
    assert_true(s.halted);
    assert_int_equal(s.applied, 5);
    assert_int_equal(s.lost_from, 4);
    assert_int_equal(s.lost_to, 5);
}

/* src, trimmed past what this daemon applied: its log now starts at
 * oldest, its head at head. */
static void trimmed(fixture_t *f, uint64_t oldest, uint64_t head)
{
    Legalaid__Batch b = LEGALAID__BATCH__INIT;
    b.stream = "src";
    b.head_seq = head;
    b.has_head_seq = 1;
    b.epoch = 88;
    b.has_epoch = 1;
    b.oldest_seq = oldest;
    b.has_oldest_seq = 1;
    assert_int_equal(daemon_feed_batch(f->d, &b), 0);
}

/* What fd 2 received while the daemon took a trimmed batch (trimmed). */
static char *stderr_of_trim(fixture_t *f, uint64_t oldest, uint64_t head)
{
    char path[300];
    snprintf(path, sizeof path, "%s/stderr.txt", f->dir);
    fflush(stderr);
    int saved = dup(2), fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    trimmed(f, oldest, head);
    log_flush();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    static char text[8192];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    close(fd);
    text[n > 0 ? n : 0] = 0;
    return text;
}

/* One range is kept per upstream: a restore's, replaced by a trim's, is
 * named in the log (never forgotten without a word); the same trim's
 * range growing while halted is one loss, said once. */
static void test_a_trim_after_a_restore_names_both_losses(void **state)
{
    fixture_t *f = *state;
    batch(f->d, 1, 3, 6, 1, 0);
    batch(f->d, 4, 6, 6, 88, 3); /* restored at 3: 4..6 of generation 1 lost */
    seen_t s = upstream_seen(f->d);
    assert_int_equal(s.lost_from, 4);
    assert_int_equal(s.lost_to, 6);
    const char *log = stderr_of_trim(f, 10, 12);
    s = upstream_seen(f->d);
    assert_true(s.halted);
    assert_int_equal(s.lost_from, 7);
    assert_int_equal(s.lost_to, 9);
    if (!strstr(log, "(4..6)") || !strstr(log, "(7..9)")) fprintf(stderr, "log: %s\n", log);
    assert_non_null(strstr(log, "lost before (4..6)"));
    assert_non_null(strstr(log, "trimmed now (7..9)"));
    log = stderr_of_trim(f, 15, 20);
    assert_null(strstr(log, "lost before"));
    s = upstream_seen(f->d);
    assert_int_equal(s.lost_from, 7);
    assert_int_equal(s.lost_to, 14);
}

static void test_fetch_of_another_generation(void **state)
{
    fixture_t *f = *state;
    Legalaid__Fetch fetch = LEGALAID__FETCH__INIT;
    fetch.stream = "sink";
    fetch.consumer = "notify";
    fetch.epoch = 5;
    fetch.has_epoch = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_FETCH;
    req.fetch = &fetch;
    Legalaid__Reply *r = test_call(f->d, &req);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_BATCH);
    assert_int_equal(r->batch->epoch, 1);
    assert_int_equal(r->batch->n_events, 0);
    legalaid__reply__free_unpacked(r, NULL);
    r = test_status(f->d);
    assert_int_equal(r->stream_status->n_consumers, 0); /* its position not recorded */
    assert_int_equal(r->stream_status->epoch, 1);
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_restored_behind_halts, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_restored_ahead_goes_on, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_head_back_in_one_generation, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_a_trim_after_a_restore_names_both_losses,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_fetch_of_another_generation, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
