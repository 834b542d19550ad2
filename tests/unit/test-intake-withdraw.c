/*
 * test-intake-withdraw.c - WithdrawApplication (intake_withdraw.c): the
 * applicant withdraws; an authority's notification cannot be withdrawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intake.h"
#include "intake_validate.h"
#include "intakekit.h"
#include "testutil.h"

static void test_withdrawal(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    ik_civil_init(&p);
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);

    r = ik_withdraw(d, "BT-2026-000001", "已与子女达成和解");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_APPLICATION_WITHDRAWN);
    assert_string_equal(ev->case_id, "BT-2026-000001");
    assert_string_equal(ev->application_withdrawn->case_id, "BT-2026-000001");
    assert_string_equal(ev->application_withdrawn->reason, "已与子女达成和解");
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(test_counter(d, "withdrawn"), 1);

    r = ik_withdraw(d, "BT-2026-000001", NULL);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "already withdrawn"));
    legalaid__reply__free_unpacked(r, NULL);
    char *doc[] = {"户口簿"};
    r = ik_supply(d, "BT-2026-000001", doc, 1);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "withdrawn"));
    legalaid__reply__free_unpacked(r, NULL);
    r = ik_withdraw(d, "BT-2026-000777", NULL);
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "withdraw_application.case_id");
    assert_non_null(strstr(r->error, "BT-2026-000777"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(ik_stream_count(d), 2);

    /* After withdrawal the same person and matter open a new case. */
    r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    assert_false(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);
    /* ... and that one is open: the next is linked to it. */
    r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    assert_true(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);

    /* An authority's notification is not the defendant's to withdraw. */
    ik_civil_init(&p);
    p.app.channel = LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.has_scope_item = 0;
    p.person.phone = NULL;
    p.app.authority = &p.authority;
    p.authority.has_kind = 1;
    p.authority.kind = LEGALAID__AUTHORITY_KIND__COURT;
    p.authority.name = "包头市东河区人民法院";
    p.app.has_ground = 1;
    p.app.ground = LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH;
    r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000003");
    legalaid__reply__free_unpacked(r, NULL);
    r = ik_withdraw(d, "BT-2026-000003", NULL);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "notification"));
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_withdrawal, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
