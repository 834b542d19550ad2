/*
 * test-stream-check.c - a stream log whose head, sequence and positions
 * disagree is damaged data (common/stream_check.c): a gap in the sequence,
 * a consumer acknowledged past the head, the time index past the head; and
 * a daemon whose log was damaged so does not open (it exits 76 with one
 * "data damaged" line, as for a damaged data.mdb).
 */
#include <string.h>

#include "daemon_int.h"
#include "intake.h"
#include "store.h"
#include "stream_check.h"
#include "testutil.h"

typedef struct fixture {
    test_lmdb_t l;
    stream_t s;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = test_lmdb_setup(state, sizeof *f);
    assert_int_equal(stream_open(&f->s, f->l.txn, "test"), 0);
    for (int i = 0; i < 3; i++) {
        Legalaid__Event ev = LEGALAID__EVENT__INIT;
        char id[64];
        ev.case_id = "C-1";
        assert_int_equal(stream_append(&f->s, f->l.txn, &ev, 1000 + i, id), 0);
    }
    assert_int_equal(stream_consumer_ack(&f->s, f->l.txn, "notify", 3, 2000), 0);
    return 0;
}

static void assert_damaged(fixture_t *f, const char *words)
{
    char why[256] = "";
    assert_int_equal(stream_check(&f->s, f->l.txn, why, sizeof why), -1);
    if (!strstr(why, words)) fail_msg("\"%s\" does not say \"%s\"", why, words);
}

static void test_a_whole_log_passes(void **state)
{
    fixture_t *f = *state;
    char why[256] = "";
    assert_int_equal(stream_check(&f->s, f->l.txn, why, sizeof why), 0);
    assert_string_equal(why, "");
}

static void test_a_gap_in_the_sequence(void **state)
{
    fixture_t *f = *state;
    unsigned char key[8];
    store_be64(2, key);
    MDB_val k = {8, key};
    assert_int_equal(mdb_del(f->l.txn, f->s.log, &k, NULL), 0);
    assert_damaged(f, "holds 2 events from 1, but its head is 3");
}

static void test_a_consumer_past_the_head(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(stream_consumer_ack(&f->s, f->l.txn, "dispatch", 9, 2000), 0);
    assert_damaged(f, "consumer dispatch of the stream log is at 9, past its head 3");
}

static void test_the_time_index_past_the_head(void **state)
{
    fixture_t *f = *state;
    unsigned char key[8], val[8];
    store_be64(5000, key);
    store_be64(7, val);
    MDB_val k = {8, key}, v = {8, val};
    assert_int_equal(mdb_put(f->l.txn, f->s.log_at, &k, &v, 0), 0);
    assert_damaged(f, "time index points past its head 3");
}

/* A daemon's own log, damaged while it was stopped: it does not open. */
static void test_a_daemon_does_not_open_a_damaged_log(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &intake_service, 1000);
    daemon_close_test(&td.d); /* the directory stays */
    daemon_t *whole = daemon_open_test(&intake_service, td.dir);
    assert_non_null(whole); /* undamaged, it opens again */
    daemon_close_test(&whole);
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_env *env = test_env_begin(td.dir, &txn);
    assert_int_equal(mdb_dbi_open(txn, "consumers", 0, &dbi), 0);
    unsigned char val[16] = {0};
    store_be64(42, val);
    MDB_val k = {6, "notify"}, v = {16, val};
    assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
    assert_null(daemon_open_test(&intake_service, td.dir));
    test_rmdir(td.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_whole_log_passes, setup, test_lmdb_teardown),
        cmocka_unit_test_setup_teardown(test_a_gap_in_the_sequence, setup, test_lmdb_teardown),
        cmocka_unit_test_setup_teardown(test_a_consumer_past_the_head, setup, test_lmdb_teardown),
        cmocka_unit_test_setup_teardown(test_the_time_index_past_the_head, setup,
                                        test_lmdb_teardown),
        cmocka_unit_test(test_a_daemon_does_not_open_a_damaged_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
