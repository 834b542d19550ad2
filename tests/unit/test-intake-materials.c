/*
 * test-intake-materials.c - the receipt of the materials and SupplyMaterials
 * (intake_materials.c): documents supplied after the notice of what is
 * missing and what they establish (art. 43(2), 34, 41, 42).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intake.h"
#include "intake_validate.h"
#include "intakekit.h"
#include "testutil.h"

static void test_materials_receipt_and_supply(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    ik_civil_init(&p);
    char *brought[] = {"申请表", "身份证明", "申请表"};
    p.app.materials = brought;
    p.app.n_materials = 3;
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    /* The receipt (申请材料接收凭证) lists each document once. */
    assert_int_equal(r->application_accepted->n_materials_received, 2);
    assert_string_equal(r->application_accepted->materials_received[0], "申请表");
    assert_string_equal(r->application_accepted->materials_received[1], "身份证明");
    legalaid__reply__free_unpacked(r, NULL);

    char *later[] = {"经济困难状况说明表", "身份证明", "赡养关系证明"};
    r = ik_supply(d, "BT-2026-000001", later, 3);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_APPLICATION);
    assert_int_equal(r->application->n_materials, 4);
    assert_string_equal(r->application->materials[3], "赡养关系证明");
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED);
    assert_string_equal(ev->case_id, "BT-2026-000001");
    Legalaid__MaterialsSupplemented *m = ev->materials_supplemented;
    assert_int_equal(m->n_materials, 2); /* 身份证明 was already there */
    assert_string_equal(m->materials[0], "经济困难状况说明表");
    assert_string_equal(m->materials[1], "赡养关系证明");
    assert_int_equal(m->n_all_materials, 4);
    assert_string_equal(m->all_materials[0], "申请表");
    legalaid__batch__free_unpacked(b, NULL);

    /* The stored application holds them. */
    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    g.case_id = "BT-2026-000001";
    Legalaid__Request q = LEGALAID__REQUEST__INIT;
    q.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    q.get_application = &g;
    r = test_call(d, &q);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->application->n_materials, 4);
    legalaid__reply__free_unpacked(r, NULL);

    /* Bringing the same again changes nothing and publishes nothing. */
    size_t events = ik_stream_count(d);
    r = ik_supply(d, "BT-2026-000001", later, 2);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->application->n_materials, 4);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(ik_stream_count(d), events);

    r = ik_supply(d, "BT-2026-000404", later, 1);
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "supply_materials.case_id");
    assert_non_null(strstr(r->error, "BT-2026-000404"));
    legalaid__reply__free_unpacked(r, NULL);
    r = ik_supply(d, "BT-2026-000001", NULL, 0);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "supply_materials.materials");
    legalaid__reply__free_unpacked(r, NULL);
    char *blank[] = {"户口簿", ""};
    r = ik_supply(d, "BT-2026-000001", blank, 2);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "supply_materials.materials[1]");
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_supply_readings(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    ik_civil_init(&p);
    char *first[] = {"申请表"};
    p.app.materials = first;
    p.app.n_materials = 1;
    ik_expect_case(d, &p, "BT-2026-000001", 0);

    /* The signed commitment letter alone (art. 41): no new document
     * named, still a change eligibility must hear of. */
    Legalaid__SupplyMaterials s = LEGALAID__SUPPLY_MATERIALS__INIT;
    s.case_id = "BT-2026-000001";
    s.has_commitment_signed = s.commitment_signed = 1;
    Legalaid__Reply *r = ik_supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_true(r->application->has_commitment_signed && r->application->commitment_signed);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED);
    Legalaid__MaterialsSupplemented *m = ev->materials_supplemented;
    assert_true(m->has_commitment_signed && m->commitment_signed);
    assert_false(m->has_household_income_fen);
    assert_false(m->has_hardship_proof);
    assert_int_equal(m->n_materials, 0);
    assert_int_equal(m->n_all_materials, 1);
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(ik_stream_count(d), 2);
    /* The same again changes nothing and publishes nothing. */
    r = ik_supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(ik_stream_count(d), 2);

    /* The statement of hardship with the declared income and the
     * assistance certificate (art. 34, 42). */
    char *docs[] = {"经济困难状况说明表", "低保证"};
    legalaid__supply_materials__init(&s);
    s.case_id = "BT-2026-000001";
    s.materials = docs;
    s.n_materials = 2;
    s.has_household_income_fen = 1;
    s.household_income_fen = 98000;
    s.has_hardship_proof = 1;
    s.hardship_proof = LEGALAID__HARDSHIP_PROOF__SOCIAL_ASSISTANCE;
    r = ik_supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    ev = ik_stream_last(d, &b);
    m = ev->materials_supplemented;
    assert_int_equal(m->n_materials, 2);
    assert_true(m->has_household_income_fen);
    assert_int_equal(m->household_income_fen, 98000);
    assert_true(m->has_hardship_proof);
    assert_int_equal(m->hardship_proof, LEGALAID__HARDSHIP_PROOF__SOCIAL_ASSISTANCE);
    assert_false(m->has_commitment_signed);
    legalaid__batch__free_unpacked(b, NULL);
    r = ik_get_application(d, "BT-2026-000001");
    Legalaid__Application *a = r->application;
    assert_true(a->commitment_signed);
    assert_true(a->has_household_income_fen);
    assert_int_equal(a->household_income_fen, 98000);
    assert_int_equal(a->hardship_proof, LEGALAID__HARDSHIP_PROOF__SOCIAL_ASSISTANCE);
    assert_int_equal(a->n_materials, 3);
    legalaid__reply__free_unpacked(r, NULL);

    /* A corrected income alone is a change. */
    legalaid__supply_materials__init(&s);
    s.case_id = "BT-2026-000001";
    s.has_household_income_fen = 1;
    s.household_income_fen = 0;
    r = ik_supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->application->household_income_fen, 0);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(ik_stream_count(d), 4);

    /* Each wrong reading is refused, naming its field; nothing changes. */
    s.household_income_fen = -1;
    r = ik_supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "supply_materials.household_income_fen");
    assert_non_null(strstr(r->error, "0 or more"));
    legalaid__reply__free_unpacked(r, NULL);
    legalaid__supply_materials__init(&s);
    s.case_id = "BT-2026-000001";
    s.has_hardship_proof = 1;
    s.hardship_proof = (Legalaid__HardshipProof)99;
    r = ik_supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "supply_materials.hardship_proof");
    assert_non_null(strstr(r->error, "social_assistance"));
    legalaid__reply__free_unpacked(r, NULL);
    s.hardship_proof = LEGALAID__HARDSHIP_PROOF__HARDSHIP_PROOF_UNSPECIFIED;
    r = ik_supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "supply_materials.hardship_proof");
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(ik_stream_count(d), 4);
    r = ik_get_application(d, "BT-2026-000001");
    assert_int_equal(r->application->household_income_fen, 0);
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_materials_receipt_and_supply, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_supply_readings, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
