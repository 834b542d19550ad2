/*
 * test-ageq.c - the ages of a domain queue as the board shows them: members
 * counted into <=5 min, <=1 h, <=1 day, <=1 week and older; a member that
 * moves leaves its old queue; one that stays keeps the time it entered;
 * one that leaves every queue is gone; the oldest's time; a name too long
 * refused with nothing written; the young members counted by a count kept
 * with each move (not walked), rebuilt for a store from before it or one
 * whose counts no longer add up to its members; the older buckets counted
 * from the members kept counted by day, hour and minute of entry, the same
 * as a walk of every member would count them, after moves and departures,
 * at any hour, and rebuilt for a store that kept only the totals.
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

static const Legalaid__QueueAge *age_at(fixture_t *f, const char *queue, int64_t now)
{
    static const char *const queues[] = {"waiting", "offered", NULL};
    Legalaid__StreamStatus *st = ARENA_NEW(&f->db.arena, Legalaid__StreamStatus,
                                           legalaid__stream_status__init);
    assert_int_equal(ageq_status(f->db.txn, &f->q, queues, now, st, &f->db.arena), 0);
    for (size_t i = 0; i < st->n_queue_ages; i++)
        if (strcmp(st->queue_ages[i]->name, queue) == 0) return st->queue_ages[i];
    fail();
    return NULL;
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

/* The mark NUL m of "ages_by_id" put or dropped (ageq_count.h). */
static void put_mark(fixture_t *f, unsigned char m)
{
    unsigned char key[2] = {0, m};
    MDB_val k = {2, key}, none = {0, ""};
    assert_int_equal(mdb_put(f->db.txn, f->q.by_id, &k, &none, 0), 0);
}

static void drop_mark(fixture_t *f, unsigned char m)
{
    unsigned char key[2] = {0, m};
    MDB_val k = {2, key};
    assert_int_equal(mdb_del(f->db.txn, f->q.by_id, &k, NULL), 0);
}

static int has_mark(fixture_t *f, unsigned char m)
{
    unsigned char key[2] = {0, m};
    MDB_val k = {2, key}, v;
    return mdb_get(f->db.txn, f->q.by_id, &k, &v) == 0;
}

/* Moves id as the build before the slots did: its entries and its
 * queues' totals, not the slots. */
static void move_as_before(fixture_t *f, const char *id, const char *from, int64_t since,
                           const char *to, int64_t at)
{
    unsigned char key[128];
    size_t ni = strlen(id);
    const char *q[2] = {from, to};
    int64_t t[2] = {since, at};
    for (int side = 0; side < 2; side++) {
        size_t nq = strlen(q[side]);
        memcpy(key, q[side], nq + 1);
        store_be64((uint64_t)t[side], key + nq + 1);
        memcpy(key + nq + 9, id, ni);
        MDB_val member = {nq + 9 + ni, key}, none = {0, ""};
        if (side == 0) {
            assert_int_equal(mdb_del(f->db.txn, f->q.by_age, &member, NULL), 0);
        } else {
            assert_int_equal(mdb_put(f->db.txn, f->q.by_age, &member, &none, 0), 0);
            MDB_val byid = {ni, (void *)id}, where = {nq + 9, key};
            assert_int_equal(mdb_put(f->db.txn, f->q.by_id, &byid, &where, 0), 0);
        }
        unsigned char tkey[64] = {0, 1}, be[8];
        memcpy(tkey + 2, q[side], nq);
        MDB_val tk = {2 + nq, tkey}, tv;
        uint64_t n = mdb_get(f->db.txn, f->q.by_id, &tk, &tv) == 0 ? store_from_be64(tv.mv_data) : 0;
        store_be64(side == 0 ? n - 1 : n + 1, be);
        tv.mv_size = 8;
        tv.mv_data = be;
        assert_int_equal(mdb_put(f->db.txn, f->q.by_id, &tk, &tv, 0), 0);
    }
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
    const char *const names[] = {"waiting", "offered"};
    for (int i = 0; i < 2; i++) {
        unsigned char key[64] = {0, 1};
        memcpy(key + 2, names[i], strlen(names[i]));
        MDB_val k = {2 + strlen(names[i]), key};
        assert_int_equal(mdb_del(f->db.txn, f->q.by_id, &k, NULL), 0);
    }
    drop_mark(f, 3);
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

/* The members as the test put them: queue (NULL: none) and time. */
#define MEMBERS 2000
typedef struct shadow {
    const char *queue[MEMBERS];
    int64_t at[MEMBERS];
} shadow_t;

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* Each queue's buckets at now, as ageq_status gives them, against a count
 * of every member the test put there. */
static void expect_as_walked(fixture_t *f, const shadow_t *sh, int64_t now)
{
    static const char *const names[] = {"waiting", "offered"};
    for (int qi = 0; qi < 2; qi++) {
        uint64_t want[AGEQ_BUCKETS] = {0}, total = 0;
        int64_t oldest = 0;
        for (int i = 0; i < MEMBERS; i++) {
            if (!sh->queue[i] || strcmp(sh->queue[i], names[qi]) != 0) continue;
            want[ageq_bucket(now - sh->at[i])]++;
            total++;
            if (!oldest || sh->at[i] < oldest) oldest = sh->at[i];
        }
        const Legalaid__QueueAge *a = age_at(f, names[qi], now);
        assert_int_equal(a->total, total);
        assert_int_equal(a->oldest_at, oldest);
        for (int b = 0; b < AGEQ_BUCKETS; b++) {
            if (a->buckets[b] != want[b])
                fprintf(stderr, "%s at now%+lld ms: bucket %d is %llu, walked %llu\n", names[qi],
                        (long long)(now - NOW), b, (unsigned long long)a->buckets[b],
                        (unsigned long long)want[b]);
            assert_int_equal(a->buckets[b], want[b]);
        }
    }
}

static void set_member(fixture_t *f, shadow_t *sh, int i, const char *queue, int64_t at)
{
    char id[32];
    snprintf(id, sizeof id, "BT-2026-%06d", i + 1);
    assert_int_equal(ageq_set(f->db.txn, &f->q, id, queue, at), 0);
    if (queue && sh->queue[i] && strcmp(sh->queue[i], queue) == 0) return; /* keeps its time */
    sh->queue[i] = queue;
    sh->at[i] = at;
}

/* The older buckets come from counts by day, hour and minute of entry;
 * they must say what a walk of every member says, on the bounds too. */
static void test_slots_count_as_a_walk(void **state)
{
    fixture_t *f = *state;
    shadow_t *sh = calloc(1, sizeof *sh);
    uint32_t seed = 12345;
    for (int i = 0; i < MEMBERS; i++) {
        /* Up to ten days back, a tenth of them on a bound exactly. */
        int64_t at = NOW - (int64_t)(lcg(&seed) % (10 * 1440)) * MIN - (int64_t)(lcg(&seed) % MIN);
        if (i % 10 == 0) at = NOW - ageq_bounds_ms[i / 10 % (AGEQ_BUCKETS - 1)];
        set_member(f, sh, i, i % 3 ? "waiting" : "offered", at);
    }
    expect_as_walked(f, sh, NOW);
    for (int op = 0; op < 600; op++) {
        int i = (int)(lcg(&seed) % MEMBERS);
        switch (lcg(&seed) % 3) {
        case 0:
            set_member(f, sh, i, NULL, NOW);
            break;
        case 1:
            set_member(f, sh, i, lcg(&seed) % 2 ? "waiting" : "offered",
                       NOW - (int64_t)(lcg(&seed) % (3 * 1440 * MIN)));
            break;
        default: /* set again where it is: its time stays */
            if (sh->queue[i]) set_member(f, sh, i, sh->queue[i], NOW);
        }
    }
    const int64_t later[] = {0, 1, 3 * MIN, 59 * MIN + 1, 2 * 60 * MIN, 3 * 1440 * MIN, 30 * 1440 * MIN};
    for (size_t t = 0; t < sizeof later / sizeof later[0]; t++) expect_as_walked(f, sh, NOW + later[t]);

    /* A store of the build before: its totals kept and its mark, no
     * slots. Counted again at open, and the same. */
    drop_mark(f, 3);
    put_mark(f, 1);
    MDB_cursor *c;
    assert_int_equal(mdb_cursor_open(f->db.txn, f->q.by_id, &c), 0);
    for (;;) {
        unsigned char from[2] = {0, 2};
        MDB_val k = {2, from}, v;
        if (mdb_cursor_get(c, &k, &v, MDB_SET_RANGE) != 0) break;
        if (k.mv_size < 2 || ((unsigned char *)k.mv_data)[0] != 0 || ((unsigned char *)k.mv_data)[1] != 2)
            break;
        assert_int_equal(mdb_cursor_del(c, 0), 0);
    }
    mdb_cursor_close(c);
    int empty = 1;
    assert_int_equal(ageq_open(f->db.txn, &f->q, &empty), 0);
    assert_false(empty);
    assert_false(has_mark(f, 1));
    assert_true(has_mark(f, 3));
    for (size_t t = 0; t < sizeof later / sizeof later[0]; t++) expect_as_walked(f, sh, NOW + later[t]);

    /* The build before opened the store (its mark) and moved an old member
     * from one queue to the other: every sum still adds up, the slots are
     * wrong; its mark has it counted again. */
    int m = 0;
    while (!sh->queue[m] || strcmp(sh->queue[m], "waiting") != 0 || sh->at[m] > NOW - 2 * 1440 * MIN) m++;
    char mid[32];
    snprintf(mid, sizeof mid, "BT-2026-%06d", m + 1);
    put_mark(f, 1);
    move_as_before(f, mid, "waiting", sh->at[m], "offered", NOW - MIN);
    sh->queue[m] = "offered";
    sh->at[m] = NOW - MIN;
    assert_int_equal(ageq_open(f->db.txn, &f->q, &empty), 0);
    for (size_t t = 0; t < sizeof later / sizeof later[0]; t++) expect_as_walked(f, sh, NOW + later[t]);

    /* The build before ran on the store in between: it took a member out
     * and kept its queue's total, not the slots it does not know. The days
     * no longer add up to the members: counted again at open. */
    for (int y = MEMBERS - 5; y < MEMBERS; y++) /* young ones, that a stale count would show */
        set_member(f, sh, y, "waiting", NOW - MIN);
    int i = 0;
    while (!sh->queue[i] || strcmp(sh->queue[i], "waiting") != 0 || sh->at[i] > NOW - 2 * 1440 * MIN) i++;
    char id[32];
    snprintf(id, sizeof id, "BT-2026-%06d", i + 1);
    unsigned char key[64];
    size_t nq = strlen(sh->queue[i]);
    memcpy(key, sh->queue[i], nq + 1);
    store_be64((uint64_t)sh->at[i], key + nq + 1);
    memcpy(key + nq + 9, id, strlen(id));
    MDB_val member = {nq + 9 + strlen(id), key}, byid = {strlen(id), id};
    assert_int_equal(mdb_del(f->db.txn, f->q.by_age, &member, NULL), 0);
    assert_int_equal(mdb_del(f->db.txn, f->q.by_id, &byid, NULL), 0);
    unsigned char tkey[64] = {0, 1}, be[8];
    memcpy(tkey + 2, sh->queue[i], nq);
    MDB_val tk = {2 + nq, tkey}, tv;
    assert_int_equal(mdb_get(f->db.txn, f->q.by_id, &tk, &tv), 0);
    store_be64(store_from_be64(tv.mv_data) - 1, be);
    tv.mv_size = 8;
    tv.mv_data = be;
    assert_int_equal(mdb_put(f->db.txn, f->q.by_id, &tk, &tv, 0), 0);
    sh->queue[i] = NULL;
    assert_int_equal(ageq_open(f->db.txn, &f->q, &empty), 0);
    for (size_t t = 0; t < sizeof later / sizeof later[0]; t++) expect_as_walked(f, sh, NOW + later[t]);
    free(sh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_buckets_and_moves, setup, test_lmdb_teardown),
        cmocka_unit_test_setup_teardown(test_counts_kept_and_rebuilt, setup, test_lmdb_teardown),
        cmocka_unit_test_setup_teardown(test_slots_count_as_a_walk, setup, test_lmdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
