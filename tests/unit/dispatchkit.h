/*
 * dispatchkit.h - building a pool, approving cases and answering offers
 * through dispatch's real turns, for the dispatch unit tests, the
 * fairness property test and the benchmark.
 */
#ifndef LA_DISPATCHKIT_H
#define LA_DISPATCHKIT_H

#include <stddef.h>
#include <stdint.h>

#include "daemon.h"
#include "testutil.h"

#define DK_POOL_MAX 6000

/* A pool being built: records live in the struct (strings must outlive it). */
typedef struct dk_pool {
    Legalaid__Lawyer lawyers[DK_POOL_MAX];
    Legalaid__Lawyer *list[DK_POOL_MAX];
    size_t n;
} dk_pool_t;

/* A dispatch daemon on a fresh directory at 2026-03-02 10:00 Beijing time,
 * eligibility's stream as the test plays it, and an empty pool to fill:
 * the cmocka fixture of the dispatch tests (dk_setup / dk_teardown). */
#define DK_T0 1772416800000LL
typedef struct dk_fixture {
    test_daemon_t td; /* first: see test_fixture_setup */
    uint64_t seq;
    dk_pool_t *pool;
} dk_fixture_t;
int dk_setup(void **state);
int dk_teardown(void **state);


/* Adds an active lawyer of the firm: licensed 2015, criminal defence since
 * 2016, capacity 10, Mandarin, no specialties. Change fields afterwards. */
Legalaid__Lawyer *dk_lawyer(dk_pool_t *p, const char *id, const char *firm);
/* Sends ImportLawyers (lawyers [from, p->n)); returns the reply. */
Legalaid__Reply *dk_import_from(daemon_t *d, dk_pool_t *p, size_t from);
/* Imports all and asserts every record went in. */
void dk_import_ok(daemon_t *d, dk_pool_t *p);

/* A decision approving case_id (arena-free: the caller's storage). */
typedef struct dk_case {
    Legalaid__Decision d;
    Legalaid__CaseFacts facts;
    Legalaid__Priority prio;
    Legalaid__Authority authority;
    Legalaid__Person applicant;
    char case_id[32];
} dk_case_t;
/* A civil case approved now (assign_due_at 3 days on), no authority. */
void dk_case_init(dk_case_t *c, const char *case_id, Legalaid__MatterCategory category,
                  int64_t now);
/* Gives it a notifying court and file number (a mandatory defence). */
void dk_case_notified(dk_case_t *c, const char *court, const char *reference);
/* Feeds the decision as eligibility's next event (*seq advanced). */
void dk_feed(daemon_t *d, uint64_t *seq, const Legalaid__Decision *dec);

/* Requests; each returns the reply (free with legalaid__reply__free_unpacked). */
Legalaid__Reply *dk_get(daemon_t *d, const char *case_id);
Legalaid__Reply *dk_answer(daemon_t *d, const char *case_id, const char *lawyer_id, int accept,
                           Legalaid__DeclineCode code, const char *reason);
Legalaid__Reply *dk_advance(daemon_t *d, const char *case_id, Legalaid__AssignmentState to);
Legalaid__Reply *dk_lawyers(daemon_t *d, const char *id);
/* Staff assign lawyer to the case by hand (staff 赵主任, a reason). */
Legalaid__Reply *dk_assign_manually(daemon_t *d, const char *case_id, const char *lawyer);
/* The lawyer leaves the case (by 赵主任, a reason; evidence may be NULL). */
Legalaid__Reply *dk_release(daemon_t *d, const char *case_id, Legalaid__ReleaseKind kind,
                            const char *evidence);
/* Aid ends on ground reason (0: none given) of art. 48, by 赵主任. */
Legalaid__Reply *dk_terminate(daemon_t *d, const char *case_id, int reason, const char *detail);

/* The state of the case and the lawyer offered it (or handling it): "" when none. */
Legalaid__AssignmentState dk_state(daemon_t *d, const char *case_id, char *lawyer,
                                   size_t size);
/* Accepts the open offer of the case; returns the lawyer's id in out. */
void dk_accept(daemon_t *d, const char *case_id, char *out, size_t size);

/* The daemon's published events after seq of one kind (0: all), in order;
 * *n set; free the batch with legalaid__batch__free_unpacked. */
Legalaid__Batch *dk_events(daemon_t *d, uint64_t after, int kind);
uint64_t dk_head(daemon_t *d);
/* 1 when the event meets (lists in deadlines_met) key / sets a deadline key. */
int dk_met(const Legalaid__Event *ev, const char *key);
const Legalaid__Deadline *dk_deadline(const Legalaid__Event *ev, const char *key);

#endif
