/*
 * test-intake-law.c - intake under the Legal Aid Law: every validation rule
 * names its field (ID types, phones, art. 31 items, art. 24 and 29 fields,
 * dates, groups, grounds, materials), who may apply (art. 40), custody
 * forwarding and its 24 hours (art. 39), the receipt and supplied
 * materials and what they establish (art. 43(2), 34, 41, 42), duplicates
 * of the same matter linked to the open case with their documents
 * (R-APP-02), withdrawal, eligibility's closing decisions that let a
 * person apply again, and consultations (art. 23) numbered without gaps and counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intake.h"
#include "intake_validate.h"
#include "testutil.h"

#define NOW 1772416800000LL /* 2026-03-02 10:00 Beijing time */

typedef struct fixture {
    test_daemon_t td; /* first: see test_fixture_setup */
} fixture_t;

static int setup(void **state)
{
    return test_fixture_setup(state, sizeof(fixture_t), &intake_service, NOW);
}

static int teardown(void **state)
{
    return test_fixture_teardown(state);
}

/* A valid civil application at the window by a person of their own; each
 * app_init gives a new person, so valid ones are never linked. */
static void app_init(test_submit_t *p)
{
    static unsigned serial;
    char first[24];
    snprintf(first, sizeof first, "15020319800101%03u", serial++ % 1000);
    test_submit_init(p, first, "赵桂兰", LEGALAID__MATTER_CATEGORY__CIVIL, "三名子女拒付赡养费");
    test_id_number("15020319550612001", p->proxy_id);
    p->app.station = "BT-CENTRE";
    p->app.has_scope_item = 1;
    p->app.scope_item = 4;
}

/* Submits and expects acceptance; returns the reply. */
static Legalaid__Reply *expect_ok(daemon_t *d, test_submit_t *p)
{
    Legalaid__Reply *r = test_call_new(d, &p->req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED);
    return r;
}

static size_t stream_count(daemon_t *d)
{
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(d, 0, &b), 0);
    size_t n = b->n_events;
    legalaid__batch__free_unpacked(b, NULL);
    return n;
}

/* The last event on the stream (free with legalaid__batch__free_unpacked
 * through *batch). */
static Legalaid__Event *stream_last(daemon_t *d, Legalaid__Batch **batch)
{
    assert_int_equal(daemon_read_stream(d, 0, batch), 0);
    assert_true((*batch)->n_events > 0);
    return (*batch)->events[(*batch)->n_events - 1];
}

static uint64_t counter(daemon_t *d, const char *name)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    Legalaid__Reply *r = test_call(d, &req);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_STREAM_STATUS);
    uint64_t v = UINT64_MAX;
    for (size_t i = 0; i < r->stream_status->n_counters; i++)
        if (!strcmp(r->stream_status->counters[i]->name, name))
            v = r->stream_status->counters[i]->value;
    legalaid__reply__free_unpacked(r, NULL);
    if (v == UINT64_MAX) fail_msg("no counter %s", name);
    return v;
}

static void test_id_documents(void **state)
{
    fixture_t *f = *state;
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
        app_init(&p);
        p.person.has_id_type = 1;
        p.person.id_type = cases[i].type;
        p.person.id_number = (char *)cases[i].number;
        if (!cases[i].problem) {
            Legalaid__Reply *r = expect_ok(d, &p);
            legalaid__reply__free_unpacked(r, NULL);
        } else {
            test_submit_invalid(d, &p, "application.applicant.id_number", cases[i].problem);
        }
    }
    test_submit_t p;
    app_init(&p);
    p.person.has_id_type = 1;
    p.person.id_type = (Legalaid__IdType)9;
    test_submit_invalid(d, &p, "application.applicant.id_type", "passport");
    app_init(&p);
    p.person.phone = "2812348";
    test_submit_invalid(d, &p, "application.applicant.phone", "area code");
    /* The stored number is upper-cased: the same permit is the same person. */
    app_init(&p);
    p.person.has_id_type = 1;
    p.person.id_type = LEGALAID__ID_TYPE__HK_MACAO_PERMIT;
    p.person.id_number = "h87654321";
    Legalaid__Reply *r = expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = stream_last(d, &b);
    assert_string_equal(ev->application_received->application->applicant->id_number, "H87654321");
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_fields_per_matter(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;

    /* Art. 31: the item a civil or administrative matter falls under. */
    app_init(&p);
    p.app.has_scope_item = 0;
    test_submit_invalid(d, &p, "application.scope_item", "art. 31 (1-9)");
    app_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE;
    p.app.has_scope_item = 0;
    test_submit_invalid(d, &p, "application.scope_item", "administrative");
    app_init(&p);
    p.app.scope_item = 10;
    test_submit_invalid(d, &p, "application.scope_item", "scope_item 10 is not an item");
    app_init(&p);
    p.app.scope_item = 0;
    test_submit_invalid(d, &p, "application.scope_item", "scope_item 0 is not an item");
    app_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM;
    p.app.opposing_party = "张某";
    test_submit_invalid(d, &p, "application.scope_item", "not criminal_victim");

    /* A labour matter defaults to art. 31(5), state compensation to 31(1). */
    app_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION;
    p.app.has_scope_item = 0;
    Legalaid__Reply *r = expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = stream_last(d, &b);
    assert_true(ev->application_received->application->has_scope_item);
    assert_int_equal(ev->application_received->application->scope_item, 5);
    assert_int_equal(ev->application_received->application->applicant_role,
                     LEGALAID__APPLICANT_ROLE__SELF);
    legalaid__batch__free_unpacked(b, NULL);
    app_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__STATE_COMPENSATION;
    p.app.has_scope_item = 0;
    r = expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    ev = stream_last(d, &b);
    assert_int_equal(ev->application_received->application->scope_item, 1);
    legalaid__batch__free_unpacked(b, NULL);

    /* Art. 24: criminal defence on application says where the case is. */
    app_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.has_scope_item = 0;
    test_submit_invalid(d, &p, "application.authority.name", "custody facility");
    p.app.authority = &p.authority;
    p.authority.name = "包头市公安局昆都仑区分局";
    r = expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    app_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.has_scope_item = 0;
    p.app.custody_facility = "包头市第一看守所";
    r = expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    /* A ground belongs to an authority's notification only. */
    app_init(&p);
    p.app.has_ground = 1;
    p.app.ground = LEGALAID__MANDATORY_GROUND__MINOR;
    test_submit_invalid(d, &p, "application.ground", "authority_notice");

    /* Art. 29: the victim's side names the other party. */
    app_init(&p);
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM;
    p.app.has_scope_item = 0;
    test_submit_invalid(d, &p, "application.opposing_party", "art. 29");

    /* Art. 25(2): only a court notifies at its discretion. */
    app_init(&p);
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
    r = expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_dates_means_groups_materials(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;

    app_init(&p);
    p.app.has_limitation_deadline = 1;
    p.app.limitation_deadline = NOW - 2 * MS_PER_DAY;
    test_submit_invalid(d, &p, "application.limitation_deadline", "before received_at");
    p.app.limitation_deadline = NOW + 3 * MS_PER_DAY; /* art. 44: still accepted, urgent */
    Legalaid__Reply *r = expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);

    app_init(&p);
    p.app.has_household_income_fen = 1;
    p.app.household_income_fen = -1;
    test_submit_invalid(d, &p, "application.household_income_fen", "0 or more");

    Legalaid__SpecialGroup groups[] = {LEGALAID__SPECIAL_GROUP__MIGRANT_WORKER,
                                       (Legalaid__SpecialGroup)42};
    app_init(&p);
    p.app.groups = groups;
    p.app.n_groups = 2;
    test_submit_invalid(d, &p, "application.groups[1]", "group 42");

    app_init(&p);
    p.app.has_no_means_ground = 1;
    p.app.no_means_ground = (Legalaid__NoMeansGround)9;
    test_submit_invalid(d, &p, "application.no_means_ground", "art. 32");
    app_init(&p);
    p.app.has_hardship_proof = 1;
    p.app.hardship_proof = (Legalaid__HardshipProof)9;
    test_submit_invalid(d, &p, "application.hardship_proof", "art. 42");

    char *too_many[33];
    for (int i = 0; i < 33; i++) too_many[i] = "申请表";
    app_init(&p);
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

    app_init(&p);
    p.app.duplicate_of = "BT-2026-000001";
    test_submit_invalid(d, &p, "application.duplicate_of", "set by intake");
    app_init(&p);
    p.app.has_custody_forward_late = 1;
    test_submit_invalid(d, &p, "application.custody_forward_late", "set by intake");
    /* Only the valid one took a number. */
    assert_int_equal(stream_count(d), 1);
}

static void test_proxy_rules(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    app_init(&p);
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
    Legalaid__Reply *r = expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = stream_last(d, &b);
    Legalaid__Application *a = ev->application_received->application;
    assert_int_equal(a->applicant_role, LEGALAID__APPLICANT_ROLE__NEAR_RELATIVE);
    assert_string_equal(a->proxy->person->name, "赵国强");
    assert_string_equal(a->proxy->relationship, "儿子");
    assert_string_equal(a->proxy->proof_of_authority, "户口簿");
    legalaid__batch__free_unpacked(b, NULL);

    /* A legal representative for a person without full capacity. */
    app_init(&p);
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
    r = expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);

    /* A person applying for themself has no proxy. */
    app_init(&p);
    p.app.proxy = &p.proxy;
    test_submit_invalid(d, &p, "application.proxy", "legal_representative or near_relative");
    /* An authority forwards only from custody (art. 39). */
    app_init(&p);
    p.app.has_applicant_role = 1;
    p.app.applicant_role = LEGALAID__APPLICANT_ROLE__FORWARDING_AUTHORITY;
    test_submit_invalid(d, &p, "application.applicant_role", "custody_forward");
    app_init(&p);
    p.app.has_applicant_role = 1;
    p.app.applicant_role = (Legalaid__ApplicantRole)7;
    test_submit_invalid(d, &p, "application.applicant_role", "near_relative");
    /* Without a proxy, the applicant's own phone is required. */
    app_init(&p);
    p.person.phone = NULL;
    test_submit_invalid(d, &p, "application.applicant.phone", "phone is required");
}

static void test_custody_forward(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    app_init(&p);
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
    Legalaid__Reply *r = expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = stream_last(d, &b);
    assert_false(ev->application_received->application->custody_forward_late);
    assert_string_equal(ev->application_received->application->custody_facility,
                        "包头市第二看守所");
    legalaid__batch__free_unpacked(b, NULL);

    /* 30 hours: accepted (not the applicant's fault) but flagged. */
    app_init(&p);
    p.app.channel = LEGALAID__CHANNEL__CUSTODY_FORWARD;
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.has_scope_item = 0;
    p.person.phone = NULL;
    p.app.custody_facility = "包头市第一看守所";
    p.app.has_custody_received_at = 1;
    p.app.custody_received_at = NOW - 30 * MS_PER_HOUR;
    r = expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    legalaid__reply__free_unpacked(r, NULL);
    ev = stream_last(d, &b);
    assert_true(ev->application_received->application->has_custody_forward_late);
    assert_true(ev->application_received->application->custody_forward_late);
    legalaid__batch__free_unpacked(b, NULL);

    /* The time received in custody belongs to custody forwards only. */
    app_init(&p);
    p.app.has_custody_received_at = 1;
    p.app.custody_received_at = NOW - MS_PER_HOUR;
    test_submit_invalid(d, &p, "application.custody_received_at", "custody_forward");
}

static Legalaid__Reply *supply(daemon_t *d, const char *case_id, char **materials, size_t n)
{
    Legalaid__SupplyMaterials s = LEGALAID__SUPPLY_MATERIALS__INIT;
    s.case_id = (char *)case_id;
    s.materials = materials;
    s.n_materials = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS;
    req.supply_materials = &s;
    return test_call_new(d, &req);
}

static Legalaid__Reply *withdraw(daemon_t *d, const char *case_id, const char *reason)
{
    Legalaid__WithdrawApplication w = LEGALAID__WITHDRAW_APPLICATION__INIT;
    w.case_id = (char *)case_id;
    w.reason = (char *)reason;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_WITHDRAW_APPLICATION;
    req.withdraw_application = &w;
    return test_call_new(d, &req);
}

static void test_materials_receipt_and_supply(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    app_init(&p);
    char *brought[] = {"申请表", "身份证明", "申请表"};
    p.app.materials = brought;
    p.app.n_materials = 3;
    Legalaid__Reply *r = expect_ok(d, &p);
    /* The receipt (申请材料接收凭证) lists each document once. */
    assert_int_equal(r->application_accepted->n_materials_received, 2);
    assert_string_equal(r->application_accepted->materials_received[0], "申请表");
    assert_string_equal(r->application_accepted->materials_received[1], "身份证明");
    legalaid__reply__free_unpacked(r, NULL);

    char *later[] = {"经济困难状况说明表", "身份证明", "赡养关系证明"};
    r = supply(d, "BT-2026-000001", later, 3);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_APPLICATION);
    assert_int_equal(r->application->n_materials, 4);
    assert_string_equal(r->application->materials[3], "赡养关系证明");
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = stream_last(d, &b);
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
    size_t events = stream_count(d);
    r = supply(d, "BT-2026-000001", later, 2);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->application->n_materials, 4);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(stream_count(d), events);

    r = supply(d, "BT-2026-000404", later, 1);
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "supply_materials.case_id");
    assert_non_null(strstr(r->error, "BT-2026-000404"));
    legalaid__reply__free_unpacked(r, NULL);
    r = supply(d, "BT-2026-000001", NULL, 0);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "supply_materials.materials");
    legalaid__reply__free_unpacked(r, NULL);
    char *blank[] = {"户口簿", ""};
    r = supply(d, "BT-2026-000001", blank, 2);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "supply_materials.materials[1]");
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_duplicates_linked(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    app_init(&p);
    char *brought[] = {"申请表"};
    p.app.materials = brought;
    p.app.n_materials = 1;
    Legalaid__Reply *r = expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
    assert_false(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);

    /* The same person on the same matter, another desk, another request:
     * linked to the open case; nothing stored, published or numbered. */
    p.app.station = "GY-JUSTICE-WS";
    p.app.materials = NULL;
    p.app.n_materials = 0;
    for (int i = 0; i < 2; i++) {
        r = expect_ok(d, &p);
        assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
        assert_true(r->application_accepted->has_linked && r->application_accepted->linked);
        assert_int_equal(r->application_accepted->n_materials_received, 1);
        legalaid__reply__free_unpacked(r, NULL);
    }
    assert_int_equal(stream_count(d), 1);
    assert_int_equal(counter(d, "linked_duplicates"), 2);
    assert_int_equal(counter(d, "applications"), 1);

    /* Letters are compared in upper case: h... is the same permit as H.... */
    test_submit_t q;
    app_init(&q);
    q.person.has_id_type = 1;
    q.person.id_type = LEGALAID__ID_TYPE__HK_MACAO_PERMIT;
    q.person.id_number = "H12340000";
    r = expect_ok(d, &q);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    legalaid__reply__free_unpacked(r, NULL);
    q.person.id_number = "h12340000";
    r = expect_ok(d, &q);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    assert_true(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);

    /* Another kind of matter is another case. */
    p.app.category = LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION;
    p.app.scope_item = 5;
    r = expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000003");
    assert_false(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(stream_count(d), 3);
    assert_int_equal(counter(d, "linked_duplicates"), 3);
}

static void test_withdrawal(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    app_init(&p);
    Legalaid__Reply *r = expect_ok(d, &p);
    legalaid__reply__free_unpacked(r, NULL);

    r = withdraw(d, "BT-2026-000001", "已与子女达成和解");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = stream_last(d, &b);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_APPLICATION_WITHDRAWN);
    assert_string_equal(ev->case_id, "BT-2026-000001");
    assert_string_equal(ev->application_withdrawn->case_id, "BT-2026-000001");
    assert_string_equal(ev->application_withdrawn->reason, "已与子女达成和解");
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(counter(d, "withdrawn"), 1);

    r = withdraw(d, "BT-2026-000001", NULL);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "already withdrawn"));
    legalaid__reply__free_unpacked(r, NULL);
    char *doc[] = {"户口簿"};
    r = supply(d, "BT-2026-000001", doc, 1);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "withdrawn"));
    legalaid__reply__free_unpacked(r, NULL);
    r = withdraw(d, "BT-2026-000777", NULL);
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "withdraw_application.case_id");
    assert_non_null(strstr(r->error, "BT-2026-000777"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(stream_count(d), 2);

    /* After withdrawal the same person and matter open a new case. */
    r = expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    assert_false(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);
    /* ... and that one is open: the next is linked to it. */
    r = expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    assert_true(r->application_accepted->linked);
    legalaid__reply__free_unpacked(r, NULL);

    /* An authority's notification is not the defendant's to withdraw. */
    app_init(&p);
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
    r = expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000003");
    legalaid__reply__free_unpacked(r, NULL);
    r = withdraw(d, "BT-2026-000003", NULL);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "notification"));
    legalaid__reply__free_unpacked(r, NULL);
}

static Legalaid__Reply *get_application(daemon_t *d, const char *case_id)
{
    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    g.case_id = (char *)case_id;
    Legalaid__Request q = LEGALAID__REQUEST__INIT;
    q.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    q.get_application = &g;
    Legalaid__Reply *r = test_call(d, &q);
    test_assert_code(r, LEGALAID__CODE__OK);
    return r;
}

/* Submits p and expects the case case_id, linked or not. */
static void expect_case(daemon_t *d, test_submit_t *p, const char *case_id, int linked)
{
    Legalaid__Reply *r = expect_ok(d, p);
    assert_string_equal(r->application_accepted->case_id, case_id);
    assert_int_equal(r->application_accepted->linked, linked);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_duplicate_same_matter_only(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    app_init(&p);
    p.app.opposing_party = "王建国";
    expect_case(d, &p, "BT-2026-000001", 0);
    /* The same matter: the opposing party without blanks around it
     * (ASCII and the ideographic space) is the same party. */
    p.app.opposing_party = "  王建国\xe3\x80\x80";
    expect_case(d, &p, "BT-2026-000001", 1);
    /* Another opposing party in the same kind of matter is another matter. */
    p.app.opposing_party = "李秀英";
    expect_case(d, &p, "BT-2026-000002", 0);
    /* Another item of art. 31 against the same party is another matter. */
    p.app.opposing_party = "王建国";
    p.app.scope_item = 7;
    expect_case(d, &p, "BT-2026-000003", 0);
    expect_case(d, &p, "BT-2026-000003", 1);
    /* No opposing party: empty and absent are the same, and differ from
     * a named one. */
    p.app.opposing_party = NULL;
    expect_case(d, &p, "BT-2026-000004", 0);
    p.app.opposing_party = " ";
    expect_case(d, &p, "BT-2026-000004", 1);
    assert_int_equal(counter(d, "applications"), 4);
    assert_int_equal(counter(d, "linked_duplicates"), 3);
}

static void test_duplicate_materials_join(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    app_init(&p);
    char *first[] = {"申请表"};
    p.app.materials = first;
    p.app.n_materials = 1;
    expect_case(d, &p, "BT-2026-000001", 0);
    assert_int_equal(stream_count(d), 1);

    /* The second visit brings the ID and the form again: the ID joins the
     * open case once, eligibility hears of it, the receipt lists both. */
    char *second[] = {"申请表", "身份证明", "身份证明"};
    p.app.materials = second;
    p.app.n_materials = 3;
    Legalaid__Reply *r = expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
    assert_true(r->application_accepted->linked);
    assert_int_equal(r->application_accepted->n_materials_received, 2);
    assert_string_equal(r->application_accepted->materials_received[0], "申请表");
    assert_string_equal(r->application_accepted->materials_received[1], "身份证明");
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = stream_last(d, &b);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED);
    assert_string_equal(ev->case_id, "BT-2026-000001");
    assert_int_equal(ev->materials_supplemented->n_materials, 1);
    assert_string_equal(ev->materials_supplemented->materials[0], "身份证明");
    assert_int_equal(ev->materials_supplemented->n_all_materials, 2);
    legalaid__batch__free_unpacked(b, NULL);
    r = get_application(d, "BT-2026-000001");
    assert_int_equal(r->application->n_materials, 2);
    assert_string_equal(r->application->materials[1], "身份证明");
    legalaid__reply__free_unpacked(r, NULL);

    /* Nothing new: linked, nothing published. */
    expect_case(d, &p, "BT-2026-000001", 1);
    assert_int_equal(stream_count(d), 2);

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
    assert_int_equal(stream_count(d), 2);
    assert_int_equal(counter(d, "linked_duplicates"), 2);
}

static Legalaid__Reply *supply_read(daemon_t *d, Legalaid__SupplyMaterials *s)
{
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS;
    req.supply_materials = s;
    return test_call_new(d, &req);
}

static void test_supply_readings(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    test_submit_t p;
    app_init(&p);
    char *first[] = {"申请表"};
    p.app.materials = first;
    p.app.n_materials = 1;
    expect_case(d, &p, "BT-2026-000001", 0);

    /* The signed commitment letter alone (art. 41): no new document
     * named, still a change eligibility must hear of. */
    Legalaid__SupplyMaterials s = LEGALAID__SUPPLY_MATERIALS__INIT;
    s.case_id = "BT-2026-000001";
    s.has_commitment_signed = s.commitment_signed = 1;
    Legalaid__Reply *r = supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_true(r->application->has_commitment_signed && r->application->commitment_signed);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    Legalaid__Event *ev = stream_last(d, &b);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED);
    Legalaid__MaterialsSupplemented *m = ev->materials_supplemented;
    assert_true(m->has_commitment_signed && m->commitment_signed);
    assert_false(m->has_household_income_fen);
    assert_false(m->has_hardship_proof);
    assert_int_equal(m->n_materials, 0);
    assert_int_equal(m->n_all_materials, 1);
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(stream_count(d), 2);
    /* The same again changes nothing and publishes nothing. */
    r = supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(stream_count(d), 2);

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
    r = supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    ev = stream_last(d, &b);
    m = ev->materials_supplemented;
    assert_int_equal(m->n_materials, 2);
    assert_true(m->has_household_income_fen);
    assert_int_equal(m->household_income_fen, 98000);
    assert_true(m->has_hardship_proof);
    assert_int_equal(m->hardship_proof, LEGALAID__HARDSHIP_PROOF__SOCIAL_ASSISTANCE);
    assert_false(m->has_commitment_signed);
    legalaid__batch__free_unpacked(b, NULL);
    r = get_application(d, "BT-2026-000001");
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
    r = supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->application->household_income_fen, 0);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(stream_count(d), 4);

    /* Each wrong reading is refused, naming its field; nothing changes. */
    s.household_income_fen = -1;
    r = supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "supply_materials.household_income_fen");
    assert_non_null(strstr(r->error, "0 or more"));
    legalaid__reply__free_unpacked(r, NULL);
    legalaid__supply_materials__init(&s);
    s.case_id = "BT-2026-000001";
    s.has_hardship_proof = 1;
    s.hardship_proof = (Legalaid__HardshipProof)99;
    r = supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "supply_materials.hardship_proof");
    assert_non_null(strstr(r->error, "social_assistance"));
    legalaid__reply__free_unpacked(r, NULL);
    s.hardship_proof = LEGALAID__HARDSHIP_PROOF__HARDSHIP_PROOF_UNSPECIFIED;
    r = supply_read(d, &s);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "supply_materials.hardship_proof");
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(stream_count(d), 4);
    r = get_application(d, "BT-2026-000001");
    assert_int_equal(r->application->household_income_fen, 0);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Feeds eligibility's decision on case_id (outcome) as event seq. */
static void decided(daemon_t *d, uint64_t seq, const char *case_id, Legalaid__Outcome outcome)
{
    Legalaid__Decision dec = LEGALAID__DECISION__INIT;
    dec.case_id = (char *)case_id;
    if (outcome) {
        dec.has_outcome = 1;
        dec.outcome = outcome;
    }
    Legalaid__EligibilityDecided body = LEGALAID__ELIGIBILITY_DECIDED__INIT;
    body.decision = &dec;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.has_seq = 1;
    ev.seq = seq;
    char event_id[32];
    snprintf(event_id, sizeof event_id, "eligibility:%llu", (unsigned long long)seq);
    ev.event_id = event_id;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED;
    ev.eligibility_decided = &body;
    Legalaid__Event *evs[1] = {&ev};
    assert_int_equal(daemon_feed(d, "eligibility", evs, 1), 0);
}

static uint64_t dead_letters(daemon_t *d)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    Legalaid__Reply *r = test_call(d, &req);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_STREAM_STATUS);
    uint64_t n = r->stream_status->dead_letters;
    legalaid__reply__free_unpacked(r, NULL);
    return n;
}

static void test_eligibility_closes_cases(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    uint64_t seq = 0;
    static const Legalaid__Outcome closing[] = {
        LEGALAID__OUTCOME__REFUSED, LEGALAID__OUTCOME__WITHDRAWN,
        LEGALAID__OUTCOME__DEEMED_WITHDRAWN, LEGALAID__OUTCOME__TERMINATED};
    test_submit_t p;
    app_init(&p);
    expect_case(d, &p, "BT-2026-000001", 0);
    /* Each ending of a case lets the person apply again on the matter:
     * the next application opens a new case, which is then the open one. */
    for (int i = 0; i < 4; i++) {
        char prev[32], next[32];
        snprintf(prev, sizeof prev, "BT-2026-%06d", i + 1);
        snprintf(next, sizeof next, "BT-2026-%06d", i + 2);
        decided(d, ++seq, prev, LEGALAID__OUTCOME__NEEDS_MATERIALS);
        expect_case(d, &p, prev, 1);
        decided(d, ++seq, prev, closing[i]);
        assert_int_equal(counter(d, "closed"), (uint64_t)i + 1);
        expect_case(d, &p, next, 0);
        expect_case(d, &p, next, 1);
    }
    assert_int_equal(counter(d, "applications"), 5);

    /* An objection corrected (art. 49): the refused case is open again and
     * new applications join it. */
    test_submit_t q;
    app_init(&q);
    q.app.category = LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION;
    q.app.scope_item = 5;
    expect_case(d, &q, "BT-2026-000006", 0);
    decided(d, ++seq, "BT-2026-000006", LEGALAID__OUTCOME__REFUSED);
    assert_int_equal(counter(d, "closed"), 5);
    decided(d, ++seq, "BT-2026-000006", LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(counter(d, "closed"), 4);
    expect_case(d, &q, "BT-2026-000006", 1);

    /* A case re-opened after the person has opened a new one: the new one
     * stays the case new applications join. */
    decided(d, ++seq, "BT-2026-000001", LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(counter(d, "closed"), 3);
    expect_case(d, &p, "BT-2026-000005", 1);

    /* The applicant's own withdrawal is final: a later decision does not
     * re-open it. */
    Legalaid__Reply *r = withdraw(d, "BT-2026-000005", NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    decided(d, ++seq, "BT-2026-000005", LEGALAID__OUTCOME__APPROVED);
    expect_case(d, &p, "BT-2026-000007", 0);

    /* A case intake does not hold (a restored store) and other events are
     * passed over; a decision without a case number is a dead letter. */
    size_t events = stream_count(d);
    decided(d, ++seq, "BT-2025-000999", LEGALAID__OUTCOME__REFUSED);
    assert_int_equal(dead_letters(d), 0);
    Legalaid__Event other = LEGALAID__EVENT__INIT;
    other.has_seq = 1;
    other.seq = ++seq;
    other.event_id = "eligibility:other";
    other.case_id = "BT-2026-000007";
    other.body_case = LEGALAID__EVENT__BODY_APPLICATION_WITHDRAWN;
    Legalaid__ApplicationWithdrawn aw = LEGALAID__APPLICATION_WITHDRAWN__INIT;
    aw.case_id = "BT-2026-000007";
    other.application_withdrawn = &aw;
    Legalaid__Event *evs[1] = {&other};
    assert_int_equal(daemon_feed(d, "eligibility", evs, 1), 0);
    expect_case(d, &p, "BT-2026-000007", 1);
    assert_int_equal(dead_letters(d), 0);
    decided(d, ++seq, NULL, LEGALAID__OUTCOME__REFUSED);
    assert_int_equal(dead_letters(d), 1);
    /* Nothing of the bad event was published, only DeadLettered for staff. */
    assert_int_equal(stream_count(d), events + 1);
    assert_int_equal(counter(d, "closed"), 3);
}

static Legalaid__Reply *consult(daemon_t *d, Legalaid__ConsultationChannel channel,
                                const char *topic)
{
    Legalaid__Consultation c = LEGALAID__CONSULTATION__INIT;
    if (channel) {
        c.has_channel = 1;
        c.channel = channel;
    }
    c.station = "BT-CENTRE";
    c.has_category = 1;
    c.category = LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION;
    c.topic = (char *)topic;
    c.has_told_of_aid = 1;
    c.told_of_aid = 1;
    Legalaid__RecordConsultation rc = LEGALAID__RECORD_CONSULTATION__INIT;
    rc.consultation = &c;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_RECORD_CONSULTATION;
    req.record_consultation = &rc;
    return test_call_new(d, &req);
}

static void test_consultations(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    Legalaid__Reply *r = consult(d, LEGALAID__CONSULTATION_CHANNEL__VISIT, "工资被拖欠怎么办");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_CONSULTATION);
    assert_string_equal(r->consultation->id, "C-BT-2026-000001");
    /* Stamped by intake's clock, which runs on from NOW while the test runs. */
    assert_in_range(r->consultation->at, NOW, NOW + 60 * MS_PER_SECOND);
    legalaid__reply__free_unpacked(r, NULL);

    /* Rejected ones take no number. */
    r = consult(d, 0, "工伤认定");
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "consultation.channel");
    legalaid__reply__free_unpacked(r, NULL);
    r = consult(d, LEGALAID__CONSULTATION_CHANNEL__BY_TELEPHONE, " ");
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "consultation.topic");
    legalaid__reply__free_unpacked(r, NULL);
    char topic[520];
    memset(topic, 'a', 501);
    topic[501] = 0;
    r = consult(d, LEGALAID__CONSULTATION_CHANNEL__LETTER, topic);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "consultation.topic");
    assert_non_null(strstr(r->error, "500"));
    legalaid__reply__free_unpacked(r, NULL);

    r = consult(d, LEGALAID__CONSULTATION_CHANNEL__BY_TELEPHONE, "拨打2812348：离婚财产分割");
    assert_string_equal(r->consultation->id, "C-BT-2026-000002");
    legalaid__reply__free_unpacked(r, NULL);
    r = consult(d, LEGALAID__CONSULTATION_CHANNEL__INTERNET, "网上咨询：租房押金不退");
    assert_string_equal(r->consultation->id, "C-BT-2026-000003");
    legalaid__reply__free_unpacked(r, NULL);
    r = consult(d, LEGALAID__CONSULTATION_CHANNEL__VISIT, "赡养费标准");
    assert_string_equal(r->consultation->id, "C-BT-2026-000004");
    legalaid__reply__free_unpacked(r, NULL);

    Legalaid__Batch *b;
    Legalaid__Event *ev = stream_last(d, &b);
    assert_int_equal(b->n_events, 4);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_CONSULTATION_RECORDED);
    assert_string_equal(ev->consultation_recorded->consultation->id, "C-BT-2026-000004");
    assert_string_equal(ev->consultation_recorded->consultation->topic, "赡养费标准");
    assert_true(ev->consultation_recorded->consultation->told_of_aid);
    legalaid__batch__free_unpacked(b, NULL);

    assert_int_equal(counter(d, "consultations"), 4);
    assert_int_equal(counter(d, "consultations_visit"), 2);
    assert_int_equal(counter(d, "consultations_by_telephone"), 1);
    assert_int_equal(counter(d, "consultations_letter"), 0);
    assert_int_equal(counter(d, "consultations_internet"), 1);
    /* Consultations are not applications and take no case number. */
    assert_int_equal(counter(d, "applications"), 0);
    test_submit_t p;
    app_init(&p);
    r = expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_id_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields_per_matter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates_means_groups_materials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_proxy_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_custody_forward, setup, teardown),
        cmocka_unit_test_setup_teardown(test_materials_receipt_and_supply, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicates_linked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_same_matter_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_materials_join, setup, teardown),
        cmocka_unit_test_setup_teardown(test_supply_readings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eligibility_closes_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consultations, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
