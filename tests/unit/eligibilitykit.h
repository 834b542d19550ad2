/*
 * eligibilitykit.h - an eligibility daemon on a fresh directory and the
 * events and requests its unit tests play through real turns: intake's
 * events (an application, materials supplied, a withdrawal), the roll, the
 * check of a commitment, objections, and reading back what eligibility
 * published. Shared by the test-eligibility*.c files (like dispatchkit for
 * dispatch); status counters are testutil's test_counter.
 */
#ifndef LA_ELIGIBILITYKIT_H
#define LA_ELIGIBILITYKIT_H

#include <stddef.h>
#include <stdint.h>

#include "daemon.h"
#include "testutil.h"

/* 2026-03-02 10:00 Beijing time (UTC+8): the fixture's clock, a Monday. */
#define EK_T0 1772416800000LL

/* The cmocka fixture of the eligibility tests (ek_setup / ek_teardown): an
 * eligibility daemon at EK_T0; the configuration is restored after each
 * test, so a test may change eligibility_config freely. */
typedef struct ek_fixture {
    test_daemon_t td;      /* first: see test_fixture_setup */
    uint64_t seq;          /* intake's stream as the test plays it */
    uint64_t dispatch_seq; /* dispatch's stream as the test plays it */
    uint64_t read;         /* eligibility's own stream read so far */
} ek_fixture_t;
int ek_setup(void **state);
int ek_teardown(void **state);
/* The same, the daemon speaking Chinese (English again after). */
int ek_setup_zh(void **state);
int ek_teardown_zh(void **state);
/* Stops the daemon (the configuration restored first) and starts it again
 * on the same directory, as a restart would; between(dir, arg) (may be
 * NULL) runs while it is stopped. */
void ek_restart(ek_fixture_t *f, void (*between)(const char *dir, void *arg), void *arg);

/* ---- intake's events ---------------------------------------------------- */

/* Feeds p's event as intake's next. */
void ek_feed(ek_fixture_t *f, test_received_t *p);
/* The applicant signed the commitment letter (art. 41). */
void ek_commit_letter(test_received_t *p);
/* Materials supplied, with what they establish: commitment (1: the letter
 * is signed, -1: not said), income_fen (declared income, -1: not said). */
void ek_feed_supplied_facts(ek_fixture_t *f, const char *case_id, const char *material,
                            int commitment, int64_t income_fen);
/* Materials supplied that establish nothing by themselves. */
void ek_feed_supplied(ek_fixture_t *f, const char *case_id, const char *material);
/* The applicant withdrew case_id for reason. */
void ek_feed_withdrawn(ek_fixture_t *f, const char *case_id, const char *reason);

/* ---- eligibility's stream and its decisions ----------------------------- */

/* The events eligibility published since the last call (free the batch),
 * each decision worded as a reader's query words it. */
Legalaid__Batch *ek_published(ek_fixture_t *f);
/* The same, each decision as the event holds it: codes, no sentences. */
Legalaid__Batch *ek_published_codes(ek_fixture_t *f);
/* Asserts that nothing was published since the last read. */
void ek_assert_nothing_published(ek_fixture_t *f);
/* Reads the one EligibilityDecided published since the last read (with
 * other events allowed before it) and returns its outcome. */
Legalaid__Outcome ek_published_outcome(ek_fixture_t *f);

/* GetDecision on case_id: the reply as it comes (free it). */
Legalaid__Reply *ek_get_decision(ek_fixture_t *f, const char *case_id);
/* The same, asserted OK with a decision. */
Legalaid__Reply *ek_decision(ek_fixture_t *f, const char *case_id);
/* The decision's test named name, or NULL. */
const Legalaid__DecisionTest *ek_find_test(const Legalaid__Decision *d, const char *name);

/* ---- requests ----------------------------------------------------------- */

/* Imports the roll entries exported at exported_at (0: not said). */
Legalaid__Reply *ek_import_roll(ek_fixture_t *f, Legalaid__RollEntry **entries, size_t n,
                                int64_t exported_at);
/* An export listing one person as DIBAO, exported at exported_at; asserts
 * it went in. */
void ek_roll_one(ek_fixture_t *f, const char *id, int64_t valid_until, int64_t exported_at);
/* VerifyCommitment by 民政核对. */
Legalaid__Reply *ek_verify(ek_fixture_t *f, const char *case_id, int truthful, const char *finding);
Legalaid__Reply *ek_file_objection(ek_fixture_t *f, const char *case_id, const char *reason);
/* DecideObjection; reasoning NULL: "收入证明把家庭总收入当作人均收入". */
Legalaid__Reply *ek_decide_objection(ek_fixture_t *f, const char *case_id, int correct,
                                     const char *officer, const char *reasoning);
Legalaid__Reply *ek_get_objection(ek_fixture_t *f, const char *case_id);

#endif
