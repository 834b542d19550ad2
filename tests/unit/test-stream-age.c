/*
 * test-stream-age.c - the age of a consumer's backlog (common/stream_age.h)
 * as `legalaidctl queues` shows it: the events not yet acknowledged by how
 * long ago they were appended, moving as the clock moves and as the
 * consumer acknowledges; a clock set back never reorders them; a log from
 * before the table is indexed once at open.
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "store.h"
#include "stream.h"
#include "stream_age.h"
#include "testutil.h"

#define T0 1772416800000LL /* 2026-03-02 10:00 Beijing time */
#define MIN 60000LL

static void append_at(test_lmdb_t *db, stream_t *s, int64_t at)
{
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    char id[64];
    assert_int_equal(stream_append(s, db->txn, &ev, at, id), 0);
}

static void backlog(test_lmdb_t *db, stream_t *s, uint64_t acked, int64_t now,
                    const uint64_t want[AGEQ_BUCKETS])
{
    uint64_t head, got[AGEQ_BUCKETS];
    assert_int_equal(stream_head(s, db->txn, &head, NULL), 0);
    assert_int_equal(stream_age_backlog(db->txn, s->log_at, acked, head, now, got), 0);
    for (int b = 0; b < AGEQ_BUCKETS; b++)
        if (got[b] != want[b])
            fail_msg("bucket %d: %llu, want %llu", b, (unsigned long long)got[b],
                     (unsigned long long)want[b]);
}

static void test_backlog_by_age(void **state)
{
    (void)state;
    test_lmdb_t db;
    test_lmdb_open(&db);
    stream_t s;
    assert_int_equal(stream_open(&s, db.txn, "intake"), 0);
    /* Events 1-2 at T0, 3 at T0+10 min, 4-5 at T0+2 h. */
    append_at(&db, &s, T0);
    append_at(&db, &s, T0);
    append_at(&db, &s, T0 + 10 * MIN);
    append_at(&db, &s, T0 + 120 * MIN);
    append_at(&db, &s, T0 + 120 * MIN);

    backlog(&db, &s, 0, T0 + 120 * MIN, (const uint64_t[]){2, 0, 3, 0, 0});
    /* Three minutes on: 1-3 still over an hour, 4-5 under 5 minutes. */
    backlog(&db, &s, 0, T0 + 123 * MIN, (const uint64_t[]){2, 0, 3, 0, 0});
    /* Six minutes on: 4-5 past 5 minutes. */
    backlog(&db, &s, 0, T0 + 126 * MIN, (const uint64_t[]){0, 2, 3, 0, 0});
    /* A consumer that acknowledged 2: only 3, 4, 5. */
    backlog(&db, &s, 2, T0 + 126 * MIN, (const uint64_t[]){0, 2, 1, 0, 0});
    /* Eight days on: all older than a week; one fully acknowledged: none. */
    backlog(&db, &s, 0, T0 + 8 * MS_PER_DAY, (const uint64_t[]){0, 0, 0, 0, 5});
    backlog(&db, &s, 5, T0 + 8 * MS_PER_DAY, (const uint64_t[]){0, 0, 0, 0, 0});

    /* A clock set back: the event counts from the last time, not before it. */
    append_at(&db, &s, T0);
    backlog(&db, &s, 4, T0 + 126 * MIN, (const uint64_t[]){0, 2, 0, 0, 0});

    /* A log from before the table: indexed once from occurred_at. */
    assert_int_equal(mdb_drop(db.txn, s.log_at, 1), 0);
    stream_t again;
    assert_int_equal(stream_open(&again, db.txn, "intake"), 0);
    assert_int_equal(store_count(db.txn, again.log_at), 3); /* T0, +10 min, +2 h (6 kept at +2 h) */
    backlog(&db, &again, 0, T0 + 126 * MIN, (const uint64_t[]){0, 3, 3, 0, 0});
    test_lmdb_close(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backlog_by_age),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
