/*
 * test-intake-numbers.c - case and consultation numbers
 * (intake_store_number_take) when the clock steps back: an NTP
 * correction or a restored VM must never restart a year's numbers
 * (BT-2025-000001 after BT-2026-...); numbers never repeat and never go
 * back, across a year boundary and within a year.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intake.h"
#include "intakekit.h"
#include "testutil.h"

#define NOW IK_T0                           /* 2026-03-02 10:00 Beijing time */
#define T_20251231 (NOW - 61 * MS_PER_DAY)  /* 2025-12-31 10:00 */
#define T_20260201 (NOW - 29 * MS_PER_DAY)  /* 2026-02-01 10:00 */
#define T_20270101 (NOW + 305 * MS_PER_DAY) /* 2027-01-01 10:00 */

/* Submits a new person's civil application now (received_at from intake's
 * clock) and expects case_id. */
static void submit_expect(daemon_t *d, const char *case_id)
{
    test_submit_t p;
    ik_civil_init(&p);
    ik_expect_case(d, &p, case_id, 0);
}

static void consult_expect(daemon_t *d, const char *id)
{
    Legalaid__Consultation c = LEGALAID__CONSULTATION__INIT;
    c.has_channel = 1;
    c.channel = LEGALAID__CONSULTATION_CHANNEL__BY_TELEPHONE;
    c.topic = "赡养费怎么要";
    Legalaid__RecordConsultation rc = LEGALAID__RECORD_CONSULTATION__INIT;
    rc.consultation = &c;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_RECORD_CONSULTATION;
    req.record_consultation = &rc;
    Legalaid__Reply *r = test_call_new(d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_string_equal(r->consultation->id, id);
    legalaid__reply__free_unpacked(r, NULL);
}

/* The clock stepped back from 2026 into 2025: the numbers go on with
 * 2026's, they do not start 2025's again. */
static void test_clock_back_across_new_year(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    submit_expect(d, "BT-2026-000001");
    consult_expect(d, "C-BT-2026-000001");
    clock_set_ms(T_20251231);
    submit_expect(d, "BT-2026-000002");
    consult_expect(d, "C-BT-2026-000002");
    /* The clock put right: still the same sequence, nothing repeated. */
    clock_set_ms(NOW + MS_PER_HOUR);
    submit_expect(d, "BT-2026-000003");
    consult_expect(d, "C-BT-2026-000003");

    /* Into 2027, then back into 2026 for a while, then 2027 again. */
    clock_set_ms(T_20270101);
    submit_expect(d, "BT-2027-000001");
    clock_set_ms(T_20270101 - 12 * MS_PER_HOUR); /* 2026-12-31 22:00 */
    submit_expect(d, "BT-2027-000002");
    /* Consultations keep their own sequence: none of 2027 yet. */
    consult_expect(d, "C-BT-2026-000004");
    clock_set_ms(T_20270101 + MS_PER_HOUR);
    submit_expect(d, "BT-2027-000003");
    consult_expect(d, "C-BT-2027-000001");
    clock_set_ms(T_20270101 - MS_PER_HOUR);
    consult_expect(d, "C-BT-2027-000002");
}

/* A receipt dated last year (a desk entering a paper form late) takes the
 * current year's next number, not one of last year's. */
static void test_receipt_dated_last_year(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    submit_expect(d, "BT-2026-000001");
    test_submit_t p;
    ik_civil_init(&p);
    p.app.has_received_at = 1;
    p.app.received_at = T_20251231;
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    /* The receipt keeps its own date: the 7 days run from it. */
    assert_int_equal(r->application_accepted->received_at, T_20251231);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Within a year the clock going back changes nothing: the next number. */
static void test_clock_back_within_year(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    submit_expect(d, "BT-2026-000001");
    submit_expect(d, "BT-2026-000002");
    clock_set_ms(T_20260201);
    submit_expect(d, "BT-2026-000003");
    consult_expect(d, "C-BT-2026-000001");
    clock_set_ms(NOW);
    submit_expect(d, "BT-2026-000004");
    consult_expect(d, "C-BT-2026-000002");
}

/* A store written before the latest year was kept has only its counters:
 * the latest year is read from them, so the first number after the
 * upgrade does not go back either. */
static void test_store_without_latest_year(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    clock_set_ms(T_20270101);
    submit_expect(d, "BT-2027-000001");
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(daemon_env(d), NULL, 0, &txn), 0);
    MDB_val k = {strlen("caseno.BT.year"), "caseno.BT.year"};
    assert_int_equal(mdb_del(txn, daemon_meta(d), &k, NULL), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    clock_set_ms(T_20270101 - 12 * MS_PER_HOUR);
    submit_expect(d, "BT-2027-000002");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_clock_back_across_new_year, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_receipt_dated_last_year, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_clock_back_within_year, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_store_without_latest_year, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
