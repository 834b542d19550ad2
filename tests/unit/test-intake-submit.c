/*
 * test-intake-submit.c - SubmitApplication (intake_submit.c): custody
 * forwarding and its 24 hours (art. 39), and duplicates of the same matter
 * linked to the open case with their documents (R-APP-02).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intake.h"
#include "intake_validate.h"
#include "intakekit.h"
#include "testutil.h"

#define NOW IK_T0 /* 2026-03-02 10:00 Beijing time */

static void test_custody_forward(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    ik_civil_init(&p);
    p.app.channel = LEGALAID__CHANNEL__CUSTODY_FORWARD;
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.has_scope_item = 0;
    p.app.has_applicant_role = 1;
    p.app.applicant_role = LEGALAID__APPLICANT_ROLE__FORWARDING_AUTHORITY;
    p.person.phone = NULL;
    test_submit_invalid(d, &p, "application.custody_facility", "art. 39");
    p.app.custody_facility = "包头市第二看守所";
    test_submit_invalid(d, &p, "application.custody_received_at", "24 hours");
    p.app.has_custody_received_at = 1;
    p.app.custody_received_at = NOW + MS_PER_HOUR;
    test_submit_invalid(d, &p, "application.custody_received_at", "after received_at");

    /* Within 24 hours: not late. */
    p.app.custody_received_at = NOW - 23 * MS_PER_HOUR;
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_false(ev->application_received->application->custody_forward_late);
    assert_string_equal(ev->application_received->application->custody_facility,
                        "包头市第二看守所");
    legalaid__batch__free_unpacked(b, NULL);

    /* 30 hours: accepted (not the applicant's fault) but flagged. */
    ik_civil_init(&p);
    p.app.channel = LEGALAID__CHANNEL__CUSTODY_FORWARD;
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.has_scope_item = 0;
    p.person.phone = NULL;
    p.app.custody_facility = "包头市第一看守所";
    p.app.has_custody_received_at = 1;
    p.app.custody_received_at = NOW - 30 * MS_PER_HOUR;
    r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    legalaid__reply__free_unpacked(r, NULL);
    ev = ik_stream_last(d, &b);
    assert_true(ev->application_received->application->has_custody_forward_late);
    assert_true(ev->application_received->application->custody_forward_late);
    legalaid__batch__free_unpacked(b, NULL);

    /* The time received in custody belongs to custody forwards only. */
    ik_civil_init(&p);
    p.app.has_custody_received_at = 1;
    p.app.custody_received_at = NOW - MS_PER_HOUR;
    test_submit_invalid(d, &p, "application.custody_received_at", "custody_forward");
}

static void test_duplicates_linked(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    ik_civil_init(&p);
    char *brought[] = {"申请表"};
    p.app.materials = brought;
    p.app.n_materials = 1;
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
    assert_false(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);

    /* The same person on the same matter, another desk, another request:
     * linked to the open case; nothing stored, published or numbered. */
    p.app.station = "GY-JUSTICE-WS";
    p.app.materials = NULL;
    p.app.n_materials = 0;
    for (int i = 0; i < 2; i++) {
        r = ik_expect_ok(d, &p);
        assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
        assert_true(r->application_accepted->has_linked && r->application_accepted->linked);
        assert_int_equal(r->application_accepted->n_materials_received, 1);
        legalaid__reply__free_unpacked(r, NULL);
    }
    assert_int_equal(ik_stream_count(d), 1);
    assert_int_equal(test_counter(d, "linked_duplicates"), 2);
    assert_int_equal(test_counter(d, "applications"), 1);

    /* Letters are compared in upper case: h... is the same permit as H.... */
    test_submit_t q;
    ik_civil_init(&q);
    q.person.has_id_type = 1;
    q.person.id_type = LEGALAID__ID_TYPE__HK_MACAO_PERMIT;
    q.person.id_number = "H12340000";
    r = ik_expect_ok(d, &q);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    legalaid__reply__free_unpacked(r, NULL);
    q.person.id_number = "h12340000";
    r = ik_expect_ok(d, &q);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    assert_true(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);

    /* Another kind of matter is another case. */
    p.app.category = LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION;
    p.app.scope_item = 5;
    r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000003");
    assert_false(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(ik_stream_count(d), 3);
    assert_int_equal(test_counter(d, "linked_duplicates"), 3);
}

static void test_duplicate_same_matter_only(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    ik_civil_init(&p);
    p.app.opposing_party = "王建国";
    ik_expect_case(d, &p, "BT-2026-000001", 0);
    /* The same matter: the opposing party without blanks around it
     * (ASCII and the ideographic space) is the same party. */
    p.app.opposing_party = "  王建国\xe3\x80\x80";
    ik_expect_case(d, &p, "BT-2026-000001", 1);
    /* Another opposing party in the same kind of matter is another matter. */
    p.app.opposing_party = "李秀英";
    ik_expect_case(d, &p, "BT-2026-000002", 0);
    /* Another item of art. 31 against the same party is another matter. */
    p.app.opposing_party = "王建国";
    p.app.scope_item = 7;
    ik_expect_case(d, &p, "BT-2026-000003", 0);
    ik_expect_case(d, &p, "BT-2026-000003", 1);
    /* No opposing party: empty and absent are the same, and differ from
     * a named one. */
    p.app.opposing_party = NULL;
    ik_expect_case(d, &p, "BT-2026-000004", 0);
    p.app.opposing_party = " ";
    ik_expect_case(d, &p, "BT-2026-000004", 1);
    assert_int_equal(test_counter(d, "applications"), 4);
    assert_int_equal(test_counter(d, "linked_duplicates"), 3);
}

static void test_duplicate_materials_join(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    ik_civil_init(&p);
    char *first[] = {"申请表"};
    p.app.materials = first;
    p.app.n_materials = 1;
    ik_expect_case(d, &p, "BT-2026-000001", 0);
    assert_int_equal(ik_stream_count(d), 1);

    /* The second visit brings the ID and the form again: the ID joins the
     * open case once, eligibility hears of it, the receipt lists both. */
    char *second[] = {"申请表", "身份证明", "身份证明"};
    p.app.materials = second;
    p.app.n_materials = 3;
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
    assert_true(r->application_accepted->linked);
    assert_int_equal(r->application_accepted->n_materials_received, 2);
    assert_string_equal(r->application_accepted->materials_received[0], "申请表");
    assert_string_equal(r->application_accepted->materials_received[1], "身份证明");
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED);
    assert_string_equal(ev->case_id, "BT-2026-000001");
    assert_int_equal(ev->materials_supplemented->n_materials, 1);
    assert_string_equal(ev->materials_supplemented->materials[0], "身份证明");
    assert_int_equal(ev->materials_supplemented->n_all_materials, 2);
    legalaid__batch__free_unpacked(b, NULL);
    r = ik_get_application(d, "BT-2026-000001");
    assert_int_equal(r->application->n_materials, 2);
    assert_string_equal(r->application->materials[1], "身份证明");
    legalaid__reply__free_unpacked(r, NULL);

    /* Nothing new: linked, nothing published. */
    ik_expect_case(d, &p, "BT-2026-000001", 1);
    assert_int_equal(ik_stream_count(d), 2);

    /* More than the case may hold: refused, naming the field. */
    static char names[INTAKE_MATERIALS_MAX][16];
    char *many[INTAKE_MATERIALS_MAX];
    for (int i = 0; i < INTAKE_MATERIALS_MAX; i++) {
        snprintf(names[i], sizeof names[i], "证据%02d", i);
        many[i] = names[i];
    }
    p.app.materials = many;
    p.app.n_materials = INTAKE_MATERIALS_MAX;
    test_submit_invalid(d, &p, "application.materials", "BT-2026-000001");
    assert_int_equal(ik_stream_count(d), 2);
    assert_int_equal(test_counter(d, "linked_duplicates"), 2);
}

/* A police notice (art. 36) about a new person under reference ref. */
static void notice_init(test_submit_t *p, const char *ref)
{
    ik_notice_init(p, LEGALAID__AUTHORITY_KIND__POLICE, "包头市公安局青山区分局", ref);
}

/* The same notice sent again (the authority's system retries with a new
 * request id, a fax sent twice) joins the open case; another person under
 * the same reference, another authority (the next stage) or a notice
 * without a reference is a notice of its own (art. 36: each needs its own
 * appointment). */
static void test_notice_resent_linked(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    notice_init(&p, "青公(刑)通字〔2026〕17号");
    ik_expect_case(d, &p, "BT-2026-000001", 0);
    assert_int_equal(ik_stream_count(d), 1);
    ik_expect_case(d, &p, "BT-2026-000001", 1);
    /* Blanks around the name or the reference change nothing. */
    p.authority.reference = " 青公(刑)通字〔2026〕17号\xe3\x80\x80";
    p.authority.name = "包头市公安局青山区分局 ";
    char *brought[] = {"提供法律援助通知书"};
    p.app.materials = brought;
    p.app.n_materials = 1;
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
    assert_true(r->application_accepted->linked);
    assert_int_equal(r->application_accepted->n_materials_received, 1);
    legalaid__reply__free_unpacked(r, NULL);
    /* No second DefenceNotificationReceived: only the documents it brought. */
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED);
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(test_counter(d, "applications"), 1);
    assert_int_equal(test_counter(d, "linked_duplicates"), 2);

    /* A co-defendant under the same reference: his own case. */
    test_submit_t co;
    notice_init(&co, "青公(刑)通字〔2026〕17号");
    ik_expect_case(d, &co, "BT-2026-000002", 0);
    /* The procuratorate's notice at the next stage: a case of its own. */
    p.app.materials = NULL;
    p.app.n_materials = 0;
    p.authority.kind = LEGALAID__AUTHORITY_KIND__PROCURATORATE;
    p.authority.name = "包头市青山区人民检察院";
    p.authority.reference = "青检刑援〔2026〕5号";
    ik_expect_case(d, &p, "BT-2026-000003", 0);
    ik_expect_case(d, &p, "BT-2026-000003", 1);
    /* Without a reference nothing tells a resent notice from a new one:
     * never merged. */
    test_submit_t bare;
    notice_init(&bare, NULL);
    ik_expect_case(d, &bare, "BT-2026-000004", 0);
    ik_expect_case(d, &bare, "BT-2026-000005", 0);
    /* Before the person is identified: the name stands for the person. */
    test_submit_t anon;
    notice_init(&anon, "青公(刑)通字〔2026〕18号");
    anon.person.id_number = NULL;
    ik_expect_case(d, &anon, "BT-2026-000006", 0);
    ik_expect_case(d, &anon, "BT-2026-000006", 1);
    anon.person.name = "巴特尔的同案人";
    ik_expect_case(d, &anon, "BT-2026-000007", 0);

    /* Once the case is closed (aid terminated), the same notice opens a
     * new case; the old one decided again does not take the index back. */
    notice_init(&p, "青公(刑)通字〔2026〕19号");
    ik_expect_case(d, &p, "BT-2026-000008", 0);
    ik_decided(f, "BT-2026-000008", LEGALAID__OUTCOME__TERMINATED);
    ik_expect_case(d, &p, "BT-2026-000009", 0);
    ik_decided(f, "BT-2026-000008", LEGALAID__OUTCOME__APPROVED);
    ik_expect_case(d, &p, "BT-2026-000009", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_custody_forward, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_duplicates_linked, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_same_matter_only, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_materials_join, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_notice_resent_linked, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
