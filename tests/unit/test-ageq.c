/*
 * test-ageq.c - the ages of a domain queue as the board shows them: members
 * counted into <=5 min, <=1 h, <=1 day, <=1 week and older; a member that
 * moves leaves its old queue; one that stays keeps the time it entered;
 * one that leaves every queue is gone; the oldest's time; a name too long
 * refused with nothing written; the young members counted by a count kept
 * with each move (not walked), rebuilt for a store from before it or one
 * whose counts no longer add up to its members.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ageq.h"
#include "clock.h"
#include "store.h"
#include "testutil.h"

#define NOW 1767225600000LL /* 2026-01-01T00:00:00Z */
#define MIN 60000LL

typedef struct fixture {
    test_lmdb_t db; /* first: test_lmdb_setup */
    ageq_t q;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = test_lmdb_setup(state, sizeof *f);
    int empty = 0;
    assert_int_equal(ageq_open(f->db.txn, &f->q, &empty), 0);
    assert_true(empty);
    return 0;
}

static const Legalaid__QueueAge *age_of(fixture_t *f, const char *queue)
{
    static const char *const queues[] = {"waiting", "offered", NULL};
    Legalaid__StreamStatus *st = ARENA_NEW(&f->db.arena, Legalaid__StreamStatus,
                                           legalaid__stream_status__init);
    assert_int_equal(ageq_status(f->db.txn, &f->q, queues, NOW, st, &f->db.arena), 0);
    assert_int_equal(st->n_queue_ages, 2);
    for (size_t i = 0; i < st->n_queue_ages; i++)
        if (strcmp(st->queue_ages[i]->name, queue) == 0) return st->queue_ages[i];
    fail();
    return NULL;
}

static void test_buckets_and_moves(void **state)
{
    fixture_t *f = *state;
    /* 2 min, 5 min (on the bound), 30 min, 3 h, 2 days, 8 days. */
    const int64_t ago[] = {2 * MIN, 5 * MIN, 30 * MIN, 180 * MIN, 2880 * MIN, 8 * 1440 * MIN};
    for (int i = 0; i < 6; i++) {
        char id[32];
        snprintf(id, sizeof id, "BT-2026-%06d", i + 1);
        assert_int_equal(ageq_set(f->db.txn, &f->q, id, "waiting", NOW - ago[i]), 0);
    }
    const Legalaid__QueueAge *w = age_of(f, "waiting");
    assert_int_equal(w->n_buckets, AGEQ_BUCKETS);
    const uint64_t want[] = {2, 1, 1, 1, 1};
    for (int b = 0; b < AGEQ_BUCKETS; b++) assert_int_equal(w->buckets[b], want[b]);
    assert_int_equal(w->total, 6);
    assert_int_equal(w->oldest_at, NOW - 8 * 1440 * MIN);

    /* The oldest is offered now: it leaves "waiting", enters "offered" now. */
    assert_int_equal(ageq_set(f->db.txn, &f->q, "BT-2026-000006", "offered", NOW - MIN), 0);
    w = age_of(f, "waiting");
    assert_int_equal(w->total, 5);
    assert_int_equal(w->buckets[4], 0);
    assert_int_equal(w->oldest_at, NOW - 2880 * MIN);
    const Legalaid__QueueAge *o = age_of(f, "offered");
    assert_int_equal(o->total, 1);
    assert_int_equal(o->buckets[0], 1);

    /* Set again into the same queue: it keeps the time it entered. */
    assert_int_equal(ageq_set(f->db.txn, &f->q, "BT-2026-000005", "waiting", NOW), 0);
    assert_int_equal(age_of(f, "waiting")->buckets[3], 1);

    /* Assigned: in no queue. */
    assert_int_equal(ageq_set(f->db.txn, &f->q, "BT-2026-000006", NULL, NOW), 0);
    assert_int_equal(age_of(f, "offered")->total, 0);
    assert_int_equal(age_of(f, "offered")->oldest_at, 0);
    MDB_val gone = {strlen("BT-2026-000006"), "BT-2026-000006"}, v;
    assert_int_equal(mdb_get(f->db.txn, f->q.by_id, &gone, &v), MDB_NOTFOUND);

    char longname[AGEQ_NAME_MAX + 2];
    memset(longname, 'q', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    assert_int_equal(ageq_set(f->db.txn, &f->q, "BT-2026-000001", longname, NOW), -EINVAL);
    assert_int_equal(age_of(f, "waiting")->total, 5);
}

/* The young members are counted, not walked: a queue's count is kept with
 * each move, and a store from before the counts is counted when opened. */
static void test_counts_kept_and_rebuilt(void **state)
{
    fixture_t *f = *state;
    for (int i = 0; i < 300; i++) {
        char id[32];
        snprintf(id, sizeof id, "BT-2026-%06d", i + 1);
        int64_t at = i < 3 ? NOW - 2 * 1440 * MIN : NOW - MIN; /* three 2 days old */
        assert_int_equal(ageq_set(f->db.txn, &f->q, id, i % 2 ? "offered" : "waiting", at), 0);
    }
    for (int i = 0; i < 100; i++) { /* 100 leave: 50 of each queue */
        char id[32];
        snprintf(id, sizeof id, "BT-2026-%06d", 300 - i);
        assert_int_equal(ageq_set(f->db.txn, &f->q, id, NULL, NOW), 0);
    }
    const Legalaid__QueueAge *w = age_of(f, "waiting"), *o = age_of(f, "offered");
    assert_int_equal(w->total, 100);
    assert_int_equal(w->buckets[0], 98);
    assert_int_equal(w->buckets[3], 2);
    assert_int_equal(o->total, 100);
    assert_int_equal(o->buckets[0], 99);
    assert_int_equal(o->buckets[3], 1);

    /* As a store from before the counts: they are gone, then rebuilt. */
    const char *const names[] = {"", "waiting", "offered"};
    for (int i = 0; i < 3; i++) {
        unsigned char key[64] = {0, 1};
        memcpy(key + 2, names[i], strlen(names[i]));
        MDB_val k = {2 + strlen(names[i]), key};
        assert_int_equal(mdb_del(f->db.txn, f->q.by_id, &k, NULL), 0);
    }
    assert_int_equal(age_of(f, "waiting")->buckets[0], 0); /* the count is gone */
    int empty = 1;
    assert_int_equal(ageq_open(f->db.txn, &f->q, &empty), 0);
    assert_false(empty);
    w = age_of(f, "waiting");
    assert_int_equal(w->total, 100);
    assert_int_equal(w->buckets[0], 98);
    assert_int_equal(age_of(f, "offered")->total, 100);

    /* A build from before the counts put a member in between: the counts
     * no longer add up to the members, and are counted again at open. */
    unsigned char key[64];
    memcpy(key, "waiting", 8); /* with its NUL */
    store_be64((uint64_t)(NOW - MIN), key + 8);
    memcpy(key + 16, "BT-2026-999999", 14);
    MDB_val k = {30, key}, none = {0, ""};
    assert_int_equal(mdb_put(f->db.txn, f->q.by_age, &k, &none, 0), 0);
    MDB_val id = {14, "BT-2026-999999"}, where = {16, key};
    assert_int_equal(mdb_put(f->db.txn, f->q.by_id, &id, &where, 0), 0);
    assert_int_equal(age_of(f, "waiting")->total, 100); /* the stale count */
    assert_int_equal(ageq_open(f->db.txn, &f->q, &empty), 0);
    w = age_of(f, "waiting");
    assert_int_equal(w->total, 101);
    assert_int_equal(w->buckets[0], 99);
    assert_int_equal(age_of(f, "offered")->total, 100);
    assert_int_equal(ageq_set(f->db.txn, &f->q, "BT-2026-000001", "", NOW), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_buckets_and_moves, setup, test_lmdb_teardown),
        cmocka_unit_test_setup_teardown(test_counts_kept_and_rebuilt, setup, test_lmdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
