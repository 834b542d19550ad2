/*
 * testutil.h - helpers shared by the unit tests: a temporary data
 * directory per test, and building requests and events.
 */
#ifndef LA_TESTUTIL_H
#define LA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four above first. */
#include <cmocka.h>

#include "arena.h"
#include "daemon.h"
#include "principal.h"

/* Creates a fresh temporary directory; returns its path (static storage
 * per call: copy it if you need two). */
char *test_tmpdir(void);
/* Removes a directory made by test_tmpdir and its files. */
void test_rmdir(const char *dir);
/* A bare LMDB environment (8 tables) on a fresh directory with a write
 * transaction open and an arena for replies, for a module tested below any
 * daemon (ageq, daily, stats). */
typedef struct test_lmdb {
    char *dir;
    MDB_env *env;
    MDB_txn *txn;
    arena_t arena;
} test_lmdb_t;
void test_lmdb_open(test_lmdb_t *l);
/* Aborts the transaction, closes and removes it all. */
void test_lmdb_close(test_lmdb_t *l);
/* cmocka setup for a fixture of `size` bytes whose first member is a
 * test_lmdb_t: allocates it, opens the environment and returns it (the
 * caller opens its table in f->txn); test_lmdb_teardown undoes it. */
void *test_lmdb_setup(void **state, size_t size);
int test_lmdb_teardown(void **state);
/* Opens the LMDB store in dir, while no daemon has it open, and begins a
 * write transaction in *txn (commit it, then mdb_env_close). */
MDB_env *test_env_begin(const char *dir, MDB_txn **txn);
/* Drops the table name of the LMDB store in dir, while no daemon has it
 * open: a store from before that table. Fails the test if it cannot. */
void test_drop_table(const char *dir, const char *name);

/* A service's daemon on a fresh temporary directory, for a fixture: put it
 * first in the fixture struct. */
typedef struct test_daemon {
    char dir[256];
    daemon_t *d;
} test_daemon_t;

/* Opens svc's daemon on a fresh directory and holds the test clock at
 * now_ms (clock_hold); fails the test if it cannot. */
void test_daemon_open(test_daemon_t *td, const service_t *svc, int64_t now_ms);
/* Closes it and removes its directory. */
void test_daemon_close(test_daemon_t *td);

/* cmocka setup/teardown for a fixture of `size` bytes whose first member is
 * a test_daemon_t. */
int test_fixture_setup(void **state, size_t size, const service_t *svc, int64_t now_ms);
int test_fixture_teardown(void **state);

/* Sends req through d (a full turn) and returns the reply (free with
 * legalaid__reply__free_unpacked). Fails the test on a store error. */
Legalaid__Reply *test_call(daemon_t *d, Legalaid__Request *req);
/* Same with a fresh request_id. */
Legalaid__Reply *test_call_new(daemon_t *d, Legalaid__Request *req);

/* Asserts reply->code == code, printing the reply's error when it is not. */
void test_assert_code(const Legalaid__Reply *r, Legalaid__Code code);

/* A valid 18-digit resident ID number built from the 17 digits given. */
void test_id_number(const char *first17, char out[19]);

/* Feeds ev to d as upstream's next event: ev->seq = ++*seq and, for the
 * feed only, the event_id "UPSTREAM:SEQ". Fails the test on a store error. */
void test_feed(daemon_t *d, const char *upstream, uint64_t *seq, Legalaid__Event *ev);
/* Feeds d a batch of stream as its producer sends it: events from..to with
 * empty bodies (none when from > to), its head, its generation and the head
 * it was restored at (0: never). Fails the test if the turn fails. */
void test_feed_range(daemon_t *d, const char *stream, uint64_t from, uint64_t to, uint64_t head,
                     uint64_t epoch, uint64_t restored);

/* A Fetch of d's stream as consumer after after (a turn of its own); the
 * reply, unchecked (free it). */
Legalaid__Reply *test_fetch(daemon_t *d, const char *stream, const char *consumer, uint64_t after);
/* A DropConsumer of consumer's position on d's stream; the reply, unchecked. */
Legalaid__Reply *test_consumer_drop(daemon_t *d, const char *consumer);

/* d's StreamStatus reply (a request in a turn of its own; OK checked); the
 * caller frees it. */
Legalaid__Reply *test_status(daemon_t *d);
/* The value of the status counter name of d (a StreamStatus request in a
 * turn of its own); fails the test when d has no such counter. */
uint64_t test_counter(daemon_t *d, const char *name);
/* The same, read from a status reply already at hand. */
uint64_t test_status_counter(const Legalaid__StreamStatus *st, const char *name);
/* d's StreamStatus reply (a turn of its own; fails the test unless OK). */
Legalaid__Reply *test_status(daemon_t *d);

/* Whether the decision cites article ("Legal Aid Law art. 49"). */
int test_cites(const Legalaid__Decision *d, const char *article);

/* An application as intake publishes it to eligibility, and the event that
 * carries it. */
typedef struct test_received {
    Legalaid__Application app;
    Legalaid__Person person;
    Legalaid__Authority authority;
    Legalaid__ApplicationReceived received;
    Legalaid__DefenceNotificationReceived notice;
    Legalaid__Event ev;
    char id[19];
} test_received_t;

/* A labour arbitration application (art. 31(5)) at the BT centre's window,
 * received now, by 李四 with a resident ID number built from id17 (none
 * when id17 is NULL); no means ground, no commitment. */
void test_received_init(test_received_t *p, const char *case_id, const char *id17);

/* Turns p into an authority's notice (DefenceNotificationReceived): a
 * criminal defence on ground, notified by the authority of kind named
 * name (art. 25(1), 36). */
void test_received_notice(test_received_t *p, Legalaid__MandatoryGround ground,
                          Legalaid__AuthorityKind kind, const char *name);

/* An application submitted to intake, and the request that carries it. */
typedef struct test_submit {
    Legalaid__Request req;
    Legalaid__SubmitApplication sub;
    Legalaid__Application app;
    Legalaid__Person person;
    Legalaid__Proxy proxy;
    Legalaid__Person proxy_person;
    Legalaid__Authority authority;
    char id_number[19];
    char proxy_id[19];
} test_submit_t;

/* A window application by name with a resident ID number built from id17
 * and a mobile phone, in category about matter; the caller adds the rest. */
void test_submit_init(test_submit_t *p, const char *id17, const char *name,
                      Legalaid__MatterCategory category, const char *matter);
/* Submits p to d and expects INVALID_FIELD naming field, with words in
 * the message. */
void test_submit_invalid(daemon_t *d, test_submit_t *p, const char *field, const char *words);

/* A time stamped inside a turn: the unit tests' clock is held (clock_hold),
 * so the time is exactly the one the test set or advanced to. */
#define test_assert_time(got, want)                                                                \
    do {                                                                                           \
        int64_t test_got_ = (got), test_want_ = (want);                                            \
        if (test_got_ != test_want_)                                                               \
            fail_msg("time %lld is not %lld", (long long)test_got_, (long long)test_want_);        \
    } while (0)

/* Feeds roster (or any consumer of dispatch) the pool as dispatch
 * publishes it: one LawyersImported with n active lawyers of firm, as
 * dispatch's next event (*seq advanced). */
void test_feed_pool(daemon_t *d, uint64_t *seq, char *const *ids, size_t n, const char *firm);

#endif
