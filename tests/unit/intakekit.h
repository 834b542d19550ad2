/*
 * intakekit.h - what the intake unit tests share: the fixture (an intake
 * daemon on a fresh directory at 2026-03-02 10:00 Beijing time, with the
 * upstream streams as the test plays them), the applications they submit,
 * the requests they send and the upstream events they feed.
 */
#ifndef LA_INTAKEKIT_H
#define LA_INTAKEKIT_H

#include <stddef.h>
#include <stdint.h>

#include "daemon.h"
#include "testutil.h"

#define IK_T0 1772416800000LL /* 2026-03-02 10:00 Beijing time */

/* The cmocka fixture of the intake tests (ik_setup / ik_teardown). */
typedef struct ik_fixture {
    test_daemon_t td;                       /* first: see test_fixture_setup */
    uint64_t eligibility_seq, dispatch_seq; /* the last event fed of each */
    int64_t at;                             /* occurred_at of the events fed; 0: IK_T0 */
} ik_fixture_t;
int ik_setup(void **state);
int ik_teardown(void **state);

/* A valid civil application at the window by a person of their own; each
 * call gives a new person, so valid ones are never linked. */
void ik_civil_init(test_submit_t *p);
/* A criminal defence application by a detained person's relative's
 * account: the handling authority named (art. 24); a new person each time. */
void ik_defence_init(test_submit_t *p);

/* Names the authority of p: kind and name (the handling authority of an
 * application, or the notifying one). */
void ik_authority_set(test_submit_t *p, Legalaid__AuthorityKind kind, const char *name);
/* An authority's notice (art. 25(1)(1), a minor without a defender) about
 * a new person with no phone of his own, from the authority of kind and
 * name under reference (NULL: none). */
void ik_notice_init(test_submit_t *p, Legalaid__AuthorityKind kind, const char *name,
                    const char *reference);

/* Submits and expects acceptance; returns the reply (free it). */
Legalaid__Reply *ik_expect_ok(daemon_t *d, test_submit_t *p);
/* Submits p and expects the case case_id, linked or not. */
void ik_expect_case(daemon_t *d, test_submit_t *p, const char *case_id, int linked);

/* GetApplication, expected to succeed (the reply is test_call's). */
Legalaid__Reply *ik_get_application(daemon_t *d, const char *case_id);
/* SupplyMaterials of n documents, or as s says; the reply (free it). */
Legalaid__Reply *ik_supply(daemon_t *d, const char *case_id, char **materials, size_t n);
Legalaid__Reply *ik_supply_read(daemon_t *d, Legalaid__SupplyMaterials *s);
/* WithdrawApplication; the reply (free it). */
Legalaid__Reply *ik_withdraw(daemon_t *d, const char *case_id, const char *reason);

/* How many events intake's stream holds, and the last of them (free with
 * legalaid__batch__free_unpacked through *batch). */
size_t ik_stream_count(daemon_t *d);
Legalaid__Event *ik_stream_last(daemon_t *d, Legalaid__Batch **batch);
/* The dead letters of d (its StreamStatus). */
uint64_t ik_dead_letters(daemon_t *d);

/* Feeds ev as the next event of upstream ("eligibility" or "dispatch"),
 * occurred at f->at (IK_T0 when 0). */
void ik_feed(ik_fixture_t *f, const char *upstream, Legalaid__Event *ev);
/* Feeds eligibility's decision on case_id (may be NULL) with outcome. */
void ik_decided(ik_fixture_t *f, const char *case_id, Legalaid__Outcome outcome);

#endif
