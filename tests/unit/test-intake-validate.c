/*
 * test-intake-validate.c - intake's checks (intake_validate.c,
 * intake_person.c) through SubmitApplication: every validation rule names
 * its field (ID types, phones, art. 31 items, art. 24 and 29 fields,
 * dates, groups, grounds, materials) and who may apply (art. 40).
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

static void test_id_documents(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    static const struct {
        Legalaid__IdType type;
        const char *number;
        const char *problem; /* NULL: accepted */
    } cases[] = {
        {LEGALAID__ID_TYPE__PASSPORT, "E12345678", NULL},
        {LEGALAID__ID_TYPE__PASSPORT, "E12", "passport number must be 5-20 letters or digits"},
        {LEGALAID__ID_TYPE__PASSPORT, "E1234-5678",
         "passport number must be 5-20 letters or digits"},
        {LEGALAID__ID_TYPE__HK_MACAO_PERMIT, "H12345678", NULL},
        {LEGALAID__ID_TYPE__HK_MACAO_PERMIT, "m1234567890", NULL},
        {LEGALAID__ID_TYPE__HK_MACAO_PERMIT, "H1234567",
         "Hong Kong/Macao permit number must be H or M followed by 8 or 10 digits"},
        {LEGALAID__ID_TYPE__HK_MACAO_PERMIT, "K12345678",
         "Hong Kong/Macao permit number must be H or M followed by 8 or 10 digits"},
        {LEGALAID__ID_TYPE__TAIWAN_PERMIT, "12345678", NULL},
        {LEGALAID__ID_TYPE__TAIWAN_PERMIT, "1234567A", "Taiwan permit number must be 8 digits"},
        {LEGALAID__ID_TYPE__FOREIGN_PERMANENT_ID, "USA123456789012", NULL},
        {LEGALAID__ID_TYPE__FOREIGN_PERMANENT_ID, "USA1234567890123",
         "foreign permanent residence ID number must be 15 or 18 letters or digits"},
        {LEGALAID__ID_TYPE__RESIDENT_ID, "150203198001011234",
         "resident ID number has a wrong check digit"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_submit_t p;
        ik_civil_init(&p);
        p.person.has_id_type = 1;
        p.person.id_type = cases[i].type;
        p.person.id_number = (char *)cases[i].number;
        if (!cases[i].problem) {
            Legalaid__Reply *r = ik_expect_ok(d, &p);
            legalaid__reply__free_unpacked(r, NULL);
        } else {
            test_submit_invalid(d, &p, "application.applicant.id_number", cases[i].problem);
        }
    }
    test_submit_t p;
    ik_civil_init(&p);
    p.person.has_id_type = 1;
    p.person.id_type = (Legalaid__IdType)9;
    test_submit_invalid(d, &p, "application.applicant.id_type", "passport");
    ik_civil_init(&p);
    p.person.phone = "2812348";
    test_submit_invalid(d, &p, "application.applicant.phone", "area code");
    /* The stored number is upper-cased: the same permit is the same person. */
    ik_civil_init(&p);
    p.person.has_id_type = 1;
    p.person.id_type = LEGALAID__ID_TYPE__HK_MACAO_PERMIT;
    p.person.id_number = "h87654321";
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_string_equal(ev->application_received->application->applicant->id_number, "H87654321");
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_fields_per_matter(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;

    /* Art. 31: the item a civil or administrative matter falls under. */
    ik_civil_init(&p);
    p.app.has_scope_item = 0;
    test_submit_invalid(d, &p, "application.scope_item", "art. 31 (1-9)");
    ik_civil_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE;
    p.app.has_scope_item = 0;
    test_submit_invalid(d, &p, "application.scope_item", "administrative");
    ik_civil_init(&p);
    p.app.scope_item = 10;
    test_submit_invalid(d, &p, "application.scope_item", "scope_item 10 is not an item");
    ik_civil_init(&p);
    p.app.scope_item = 0;
    test_submit_invalid(d, &p, "application.scope_item", "scope_item 0 is not an item");
    ik_civil_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM;
    p.app.opposing_party = "张某";
    test_submit_invalid(d, &p, "application.scope_item", "not criminal_victim");

    /* A labour matter defaults to art. 31(5), state compensation to 31(1). */
    ik_civil_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION;
    p.app.has_scope_item = 0;
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_true(ev->application_received->application->has_scope_item);
    assert_int_equal(ev->application_received->application->scope_item, 5);
    assert_int_equal(ev->application_received->application->applicant_role,
                     LEGALAID__APPLICANT_ROLE__SELF);
    legalaid__batch__free_unpacked(b, NULL);
    ik_civil_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__STATE_COMPENSATION;
    p.app.has_scope_item = 0;
    r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    ev = ik_stream_last(d, &b);
    assert_int_equal(ev->application_received->application->scope_item, 1);
    legalaid__batch__free_unpacked(b, NULL);

    /* Art. 24: criminal defence on application says where the case is. */
    ik_civil_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.has_scope_item = 0;
    test_submit_invalid(d, &p, "application.authority.name", "custody facility");
    p.app.authority = &p.authority;
    p.authority.name = "包头市公安局昆都仑区分局";
    r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    ik_civil_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.has_scope_item = 0;
    p.app.custody_facility = "包头市第一看守所";
    r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    /* A ground belongs to an authority's notification only. */
    ik_civil_init(&p);
    p.app.has_ground = 1;
    p.app.ground = LEGALAID__MANDATORY_GROUND__MINOR;
    test_submit_invalid(d, &p, "application.ground", "authority_notice");

    /* Art. 29: the victim's side names the other party. */
    ik_civil_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM;
    p.app.has_scope_item = 0;
    test_submit_invalid(d, &p, "application.opposing_party", "art. 29");

    /* Art. 25(2): only a court notifies at its discretion. */
    ik_civil_init(&p);
    p.app.channel = LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.has_scope_item = 0;
    p.app.authority = &p.authority;
    p.authority.has_kind = 1;
    p.authority.kind = LEGALAID__AUTHORITY_KIND__POLICE;
    p.authority.name = "包头市公安局青山区分局";
    p.app.has_ground = 1;
    p.app.ground = LEGALAID__MANDATORY_GROUND__DISCRETIONARY;
    test_submit_invalid(d, &p, "application.authority.kind", "art. 25(2)");
    p.authority.kind = LEGALAID__AUTHORITY_KIND__COURT;
    p.authority.name = "包头市青山区人民法院";
    r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_dates_means_groups_materials(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;

    ik_civil_init(&p);
    p.app.has_limitation_deadline = 1;
    p.app.limitation_deadline = NOW - 2 * MS_PER_DAY;
    test_submit_invalid(d, &p, "application.limitation_deadline", "before received_at");
    p.app.limitation_deadline = NOW + 3 * MS_PER_DAY; /* art. 44: still accepted, urgent */
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);

    ik_civil_init(&p);
    p.app.has_household_income_fen = 1;
    p.app.household_income_fen = -1;
    test_submit_invalid(d, &p, "application.household_income_fen", "0 or more");

    Legalaid__SpecialGroup groups[] = {LEGALAID__SPECIAL_GROUP__MIGRANT_WORKER,
                                       (Legalaid__SpecialGroup)42};
    ik_civil_init(&p);
    p.app.groups = groups;
    p.app.n_groups = 2;
    test_submit_invalid(d, &p, "application.groups[1]", "group 42");

    ik_civil_init(&p);
    p.app.has_no_means_ground = 1;
    p.app.no_means_ground = (Legalaid__NoMeansGround)9;
    test_submit_invalid(d, &p, "application.no_means_ground", "art. 32");
    ik_civil_init(&p);
    p.app.has_hardship_proof = 1;
    p.app.hardship_proof = (Legalaid__HardshipProof)9;
    test_submit_invalid(d, &p, "application.hardship_proof", "art. 42");

    char *too_many[33];
    for (int i = 0; i < 33; i++) too_many[i] = "申请表";
    ik_civil_init(&p);
    p.app.materials = too_many;
    p.app.n_materials = 33;
    test_submit_invalid(d, &p, "application.materials", "at most 32");
    char *blank[] = {"申请表", "身份证明", " "};
    p.app.materials = blank;
    p.app.n_materials = 3;
    test_submit_invalid(d, &p, "application.materials[2]", "empty");
    char long_name[80];
    memset(long_name, 'a', 65);
    long_name[65] = 0;
    char *too_long[] = {long_name};
    p.app.materials = too_long;
    p.app.n_materials = 1;
    test_submit_invalid(d, &p, "application.materials[0]", "longer than 64");

    ik_civil_init(&p);
    p.app.duplicate_of = "BT-2026-000001";
    test_submit_invalid(d, &p, "application.duplicate_of", "set by intake");
    ik_civil_init(&p);
    p.app.has_custody_forward_late = 1;
    test_submit_invalid(d, &p, "application.custody_forward_late", "set by intake");
    /* Only the valid one took a number. */
    assert_int_equal(ik_stream_count(d), 1);
}

static void test_proxy_rules(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    ik_civil_init(&p);
    p.app.has_applicant_role = 1;
    p.app.applicant_role = LEGALAID__APPLICANT_ROLE__NEAR_RELATIVE;
    p.person.phone = NULL; /* the relative is reached instead */
    test_submit_invalid(d, &p, "application.proxy", "a near relative applies");
    p.app.proxy = &p.proxy;
    test_submit_invalid(d, &p, "application.proxy.person", "who applies");
    p.proxy.person = &p.proxy_person;
    p.proxy_person.name = "赵国强";
    p.proxy_person.phone = "15947201234";
    test_submit_invalid(d, &p, "application.proxy.person.id_number",
                        "resident ID number is required");
    p.proxy_person.id_number = p.proxy_id;
    p.proxy_person.phone = "159472";
    test_submit_invalid(d, &p, "application.proxy.person.phone", "phone must be");
    p.proxy_person.phone = "15947201234";
    test_submit_invalid(d, &p, "application.proxy.relationship", "relationship");
    p.proxy.relationship = "儿子";
    test_submit_invalid(d, &p, "application.proxy.proof_of_authority",
                        "proof_of_authority is required");
    p.proxy.proof_of_authority = "户口簿";
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    Legalaid__Application *a = ev->application_received->application;
    assert_int_equal(a->applicant_role, LEGALAID__APPLICANT_ROLE__NEAR_RELATIVE);
    assert_string_equal(a->proxy->person->name, "赵国强");
    assert_string_equal(a->proxy->relationship, "儿子");
    assert_string_equal(a->proxy->proof_of_authority, "户口簿");
    legalaid__batch__free_unpacked(b, NULL);

    /* A legal representative for a person without full capacity. */
    ik_civil_init(&p);
    p.app.has_applicant_role = 1;
    p.app.applicant_role = LEGALAID__APPLICANT_ROLE__LEGAL_REPRESENTATIVE;
    test_submit_invalid(d, &p, "application.proxy", "a legal representative applies");
    p.app.proxy = &p.proxy;
    p.proxy.person = &p.proxy_person;
    p.proxy_person.name = "钱淑芬";
    p.proxy_person.id_number = p.proxy_id;
    p.proxy_person.phone = "0472-2812348";
    p.proxy.relationship = "监护人";
    p.proxy.proof_of_authority = "法院指定监护判决书";
    r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);

    /* A person applying for themself has no proxy. */
    ik_civil_init(&p);
    p.app.proxy = &p.proxy;
    test_submit_invalid(d, &p, "application.proxy", "legal_representative or near_relative");
    /* An authority forwards only from custody (art. 39). */
    ik_civil_init(&p);
    p.app.has_applicant_role = 1;
    p.app.applicant_role = LEGALAID__APPLICANT_ROLE__FORWARDING_AUTHORITY;
    test_submit_invalid(d, &p, "application.applicant_role", "custody_forward");
    ik_civil_init(&p);
    p.app.has_applicant_role = 1;
    p.app.applicant_role = (Legalaid__ApplicantRole)7;
    test_submit_invalid(d, &p, "application.applicant_role", "near_relative");
    /* Without a proxy, the applicant's own phone is required. */
    ik_civil_init(&p);
    p.person.phone = NULL;
    test_submit_invalid(d, &p, "application.applicant.phone", "phone is required");
}

/* The facts of the matter are required on every application, as on the
 * paper form (R-APP-06); blanks are no facts. An authority's notice is
 * taken on its ground without them (art. 25, 36). */
static void test_matter_required(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    static const Legalaid__MatterCategory kinds[] = {LEGALAID__MATTER_CATEGORY__CIVIL,
                                                     LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE,
                                                     LEGALAID__MATTER_CATEGORY__STATE_COMPENSATION,
                                                     LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION};
    static const char *const empty[] = {NULL, "", "   ", " \t\r\n", "\xe3\x80\x80 "};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t e = 0; e < sizeof empty / sizeof empty[0]; e++) {
            ik_civil_init(&p);
            p.app.category = kinds[k];
            p.app.matter = (char *)empty[e];
            test_submit_invalid(d, &p, "application.matter", "matter is required");
        }
    ik_civil_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE;
    p.app.matter = NULL;
    test_submit_invalid(d, &p, "application.matter", "administrative application");
    p.app.matter = "\xe3\x80\x80低保资格被取消\xe3\x80\x80";
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);

    /* Criminal defence and the victim's side on application: the form
     * asks for the facts too. */
    ik_defence_init(&p);
    p.app.matter = " ";
    test_submit_invalid(d, &p, "application.matter", "criminal_defence application");
    ik_civil_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM;
    p.app.has_scope_item = 0;
    p.app.opposing_party = "张某";
    p.app.matter = NULL;
    test_submit_invalid(d, &p, "application.matter", "criminal_victim application");

    /* A court's notice without a description is taken: a lawyer within
     * 3 days (art. 36). */
    ik_notice_init(&p, LEGALAID__AUTHORITY_KIND__COURT, "包头市昆都仑区人民法院", NULL);
    p.app.matter = NULL;
    r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Art. 25(1)(5): a defendant in a death-penalty review applies himself
 * (申请法律援助的死刑复核案件被告人), through his detention centre or a
 * near relative (art. 39, 40); the application carries the ground for
 * eligibility to grant without a means test. The other art. 25(1)
 * grounds still come only with an authority's notice. */
static void test_death_review_application(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    ik_defence_init(&p);
    p.app.matter = "故意杀人罪被判处死刑，现最高人民法院复核，无辩护人";
    p.app.channel = LEGALAID__CHANNEL__CUSTODY_FORWARD;
    p.app.custody_facility = "包头市第一看守所";
    p.app.has_custody_received_at = 1;
    p.app.custody_received_at = NOW - 5 * MS_PER_HOUR;
    p.person.phone = NULL;
    ik_authority_set(&p, LEGALAID__AUTHORITY_KIND__COURT, "最高人民法院");
    p.app.has_ground = 1;
    p.app.ground = LEGALAID__MANDATORY_GROUND__DEATH_REVIEW;
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    assert_false(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_APPLICATION_RECEIVED);
    const Legalaid__Application *a = ev->application_received->application;
    assert_int_equal(a->channel, LEGALAID__CHANNEL__CUSTODY_FORWARD);
    assert_true(a->has_ground);
    assert_int_equal(a->ground, LEGALAID__MANDATORY_GROUND__DEATH_REVIEW);
    legalaid__batch__free_unpacked(b, NULL);

    /* His wife applies for him at the window (art. 40). */
    ik_defence_init(&p);
    p.app.matter = "死刑复核案件，被告人无辩护人";
    p.person.phone = NULL;
    ik_authority_set(&p, LEGALAID__AUTHORITY_KIND__COURT, "内蒙古自治区高级人民法院");
    p.app.has_ground = 1;
    p.app.ground = LEGALAID__MANDATORY_GROUND__DEATH_REVIEW;
    p.app.has_applicant_role = 1;
    p.app.applicant_role = LEGALAID__APPLICANT_ROLE__NEAR_RELATIVE;
    p.app.proxy = &p.proxy;
    p.proxy.person = &p.proxy_person;
    p.proxy_person.name = "其其格";
    p.proxy_person.phone = "15947201234";
    test_id_number("15020319860505123", p.proxy_id);
    p.proxy_person.id_number = p.proxy_id;
    p.proxy.relationship = "配偶";
    p.proxy.proof_of_authority = "结婚证";
    r = ik_expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);

    /* The review is before a court, of a criminal defendant. */
    p.authority.kind = LEGALAID__AUTHORITY_KIND__POLICE;
    test_submit_invalid(d, &p, "application.authority.kind", "before a court");
    p.authority.kind = LEGALAID__AUTHORITY_KIND__COURT;
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM;
    p.app.opposing_party = "某甲";
    test_submit_invalid(d, &p, "application.category", "criminal_defence");
    /* Any other art. 25(1) ground on an application: the authority
     * notifies it. */
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.ground = LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH;
    test_submit_invalid(d, &p, "application.ground", "authority_notice");
}

/* The authority's name and reference are bounded and printable: they
 * identify a notice sent again. */
static void test_authority_bounds(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    char name[130], ref[66];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = 0;
    memset(ref, '7', sizeof ref - 1);
    ref[sizeof ref - 1] = 0;
    ik_notice_init(&p, LEGALAID__AUTHORITY_KIND__POLICE, name, "青公(刑)通字〔2026〕21号");
    test_submit_invalid(d, &p, "application.authority.name", "longer than 128 bytes");
    name[128] = 0; /* exactly 128: taken */
    ik_expect_case(d, &p, "BT-2026-000001", 0);
    p.authority.reference = ref;
    test_submit_invalid(d, &p, "application.authority.reference", "longer than 64 bytes");
    ref[64] = 0;
    ik_expect_case(d, &p, "BT-2026-000002", 0);
    p.authority.reference = "青公\n21号";
    test_submit_invalid(d, &p, "application.authority.reference", "control character");
    /* On an application too (the handling authority, art. 24). */
    ik_defence_init(&p);
    p.authority.reference = ref;
    ref[64] = '7';
    test_submit_invalid(d, &p, "application.authority.reference", "longer than 64 bytes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_id_documents, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_fields_per_matter, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_dates_means_groups_materials, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_proxy_rules, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_matter_required, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_death_review_application, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_authority_bounds, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
