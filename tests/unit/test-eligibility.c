/*
 * test-eligibility.c - eligibility's rules through real turns: intake's
 * events fed as an upstream batch, the decision read back from the stream
 * and through GetDecision. Each rule path is checked for what a person
 * would see: the outcome, how the means question was settled, the
 * articles cited and the deadlines to the millisecond.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "eligibilitykit.h"
#include "testutil.h"

/* Beijing time (UTC+8) instants used below. */
#define T_0302_1000 1772416800000LL /* 2026-03-02 10:00: receipt */
#define T_0302_2330 1772465400000LL /* 2026-03-02 23:30 */
#define T_0303_0930 1772501400000LL /* 2026-03-03 09:30: the decision, a day later */
#define T_0305_2400 1772726400000LL /* 2026-03-05 24:00 = 03-06 00:00 */
#define T_0306_2400 1772812800000LL /* 2026-03-06 24:00 */
#define T_0309_2400 1773072000000LL /* 2026-03-09 24:00 */
#define T_0402_2400 1775145600000LL /* 2026-04-02 24:00 */

/* An application as intake publishes it: a labour claim with no ID
 * number received at 10:00; the caller changes what it tests. */
static void app_init(test_received_t *p, const char *case_id)
{
    test_received_init(p, case_id, NULL);
    p->person.name = "王建国";
    p->app.has_scope_item = 0;
    p->app.scope_item = 0;
    p->app.matter = "unpaid wages, 8 months, construction site";
    p->app.received_at = T_0302_1000;
}

/* Turns p into a court's notification of a defendant without counsel. */
static void app_notice(test_received_t *p, Legalaid__MandatoryGround ground)
{
    p->app.channel = LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    p->app.category = ground == LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT
                          ? LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL
                          : LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p->app.has_ground = 1;
    p->app.ground = ground;
    p->authority.has_kind = 1;
    p->authority.kind = LEGALAID__AUTHORITY_KIND__COURT;
    p->authority.name = "包头市昆都仑区人民法院";
    p->authority.reference = "(2026)内0203刑初17号";
    p->authority.phone = "0472-2812348";
    p->app.authority = &p->authority;
    p->notice.application = &p->app;
    p->ev.body_case = LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED;
    p->ev.defence_notification_received = &p->notice;
}

/* The test clock runs on from where it was set (real time plus an offset),
 * so the decision time is the set time plus the few ms the test took. */
static void assert_decided_near(int64_t decided_at, int64_t set_at)
{
    assert_in_range(decided_at, set_at, set_at + 10 * MS_PER_SECOND);
}

/* The decisions eligibility has published, in order (free the batch). */
static Legalaid__Batch *published(ek_fixture_t *f)
{
    f->read = 0;
    Legalaid__Batch *b = ek_published(f);
    size_t w = 0; /* DeadLettered events (for staff) are not decisions */
    for (size_t i = 0; i < b->n_events; i++) {
        if (b->events[i]->body_case == LEGALAID__EVENT__BODY_DEAD_LETTERED) {
            legalaid__event__free_unpacked(b->events[i], NULL);
            continue;
        }
        assert_int_equal(b->events[i]->body_case, LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED);
        b->events[w++] = b->events[i];
    }
    b->n_events = w;
    return b;
}

static Legalaid__Reply *get_status(ek_fixture_t *f)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    Legalaid__Reply *r = test_call(f->td.d, &req);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_STREAM_STATUS);
    return r;
}

static void test_court_notice_of_minor(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    app_init(&p, "BT-2026-000001");
    app_notice(&p, LEGALAID__MANDATORY_GROUND__MINOR);
    p.person.phone = NULL;
    ek_feed(f, &p);

    Legalaid__Batch *b = published(f);
    assert_int_equal(b->n_events, 1);
    assert_string_equal(b->events[0]->case_id, "BT-2026-000001");
    assert_string_equal(b->events[0]->causation_id, "intake:1");
    Legalaid__Decision *d = b->events[0]->eligibility_decided->decision;
    assert_string_equal(d->case_id, "BT-2026-000001");
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__NO_MEANS_TEST);
    assert_int_equal(d->n_articles, 2);
    assert_string_equal(d->articles[0], "Legal Aid Law art. 25(1)(1)");
    assert_string_equal(d->articles[1], "Legal Aid Law art. 36");
    assert_true(d->lawyer_required);
    /* Art. 36: a lawyer within 3 days of the notice (received 03-02 10:00). */
    assert_true(d->has_assign_due_at);
    assert_int_equal(d->assign_due_at, T_0305_2400);
    assert_int_equal(d->decision_due_at, T_0309_2400);
    assert_decided_near(d->decided_at, T_0302_1000);
    assert_false(d->has_verification_due_at);
    assert_int_equal(d->n_missing_materials, 0);
    assert_string_equal(d->rule_version, "2022-01-01");
    assert_int_equal(d->category, LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE);
    assert_string_equal(d->centre, "BT");
    assert_non_null(d->authority);
    assert_int_equal(d->authority->kind, LEGALAID__AUTHORITY_KIND__COURT);
    assert_string_equal(d->authority->name, "包头市昆都仑区人民法院");
    assert_string_equal(d->authority->reference, "(2026)内0203刑初17号");
    assert_non_null(strstr(d->reason, "is a minor"));
    assert_non_null(strstr(d->reason, "2026-03-05 24:00"));
    legalaid__batch__free_unpacked(b, NULL);

    /* The same decision through GetDecision. */
    Legalaid__Reply *r = ek_get_decision(f, "BT-2026-000001");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_DECISION);
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(r->decision->assign_due_at, T_0305_2400);
    assert_string_equal(r->decision->articles[0], "Legal Aid Law art. 25(1)(1)");
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_every_mandatory_ground_cites_its_item(void **state)
{
    ek_fixture_t *f = *state;
    static const struct {
        Legalaid__MandatoryGround ground;
        const char *article;
    } cases[] = {
        {LEGALAID__MANDATORY_GROUND__MINOR, "Legal Aid Law art. 25(1)(1)"},
        {LEGALAID__MANDATORY_GROUND__BLIND_DEAF_MUTE, "Legal Aid Law art. 25(1)(2)"},
        {LEGALAID__MANDATORY_GROUND__MENTAL_CAPACITY, "Legal Aid Law art. 25(1)(3)"},
        {LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH, "Legal Aid Law art. 25(1)(4)"},
        {LEGALAID__MANDATORY_GROUND__DEATH_REVIEW, "Legal Aid Law art. 25(1)(5)"},
        {LEGALAID__MANDATORY_GROUND__ABSENTIA, "Legal Aid Law art. 25(1)(6)"},
        {LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT, "Legal Aid Law art. 28"},
    };
    size_t n = sizeof cases / sizeof cases[0];
    char ids[7][32];
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[i], sizeof ids[i], "BT-2026-00001%zu", i);
        test_received_t p;
        app_init(&p, ids[i]);
        app_notice(&p, cases[i].ground);
        p.authority.kind = LEGALAID__AUTHORITY_KIND__PROCURATORATE;
        ek_feed(f, &p);
    }
    Legalaid__Batch *b = published(f);
    assert_int_equal(b->n_events, n);
    for (size_t i = 0; i < n; i++) {
        Legalaid__Decision *d = b->events[i]->eligibility_decided->decision;
        assert_string_equal(d->case_id, ids[i]);
        assert_int_equal(d->outcome, LEGALAID__OUTCOME__APPROVED);
        assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__NO_MEANS_TEST);
        assert_int_equal(d->n_articles, 2);
        assert_string_equal(d->articles[0], cases[i].article);
        assert_string_equal(d->articles[1], "Legal Aid Law art. 36");
        assert_true(d->lawyer_required);
        assert_int_equal(d->assign_due_at, T_0305_2400);
        assert_non_null(strstr(d->reason, "the procuratorate"));
        assert_non_null(
            strstr(d->reason, cases[i].ground == LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT
                                  ? "has no agent"
                                  : "has no defender"));
    }
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_commitment_letter(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    app_init(&p, "BT-2026-000002");
    p.app.commitment_signed = 1;
    p.app.has_commitment_signed = 1;
    /* Received 03-02 10:00, decided the next morning. */
    clock_set_ms(T_0303_0930);
    ek_feed(f, &p);

    Legalaid__Reply *r = ek_get_decision(f, "BT-2026-000002");
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__Decision *d = r->decision;
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__COMMITMENT);
    assert_true(test_cites(d, "Legal Aid Law art. 41"));
    assert_true(test_cites(d, "Legal Aid Law art. 43(1)"));
    assert_decided_near(d->decided_at, T_0303_0930);
    /* 7 days from receipt; 30 days to verify and 3 to assign from the decision. */
    assert_int_equal(d->decision_due_at, T_0309_2400);
    assert_int_equal(d->verification_due_at, T_0402_2400);
    assert_int_equal(d->assign_due_at, T_0306_2400);
    assert_false(d->lawyer_required);
    assert_null(d->authority);
    assert_int_equal(d->category, LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION);
    assert_non_null(strstr(d->reason, "commitment letter"));
    assert_non_null(strstr(d->reason, "2026-04-02 24:00"));
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_missing_hardship_statement(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    app_init(&p, "BT-2026-000003");
    p.app.received_at = T_0302_2330; /* late evening: still day 0 of the period */
    clock_set_ms(T_0302_2330 + 60000);
    ek_feed(f, &p);

    Legalaid__Batch *b = published(f);
    assert_int_equal(b->n_events, 1);
    Legalaid__Decision *d = b->events[0]->eligibility_decided->decision;
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__NEEDS_MATERIALS);
    assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__NOT_SETTLED);
    assert_true(test_cites(d, "Legal Aid Law art. 43(2)"));
    assert_false(test_cites(d, "Legal Aid Law art. 41"));
    /* One notice of everything: the hardship statement, and the identity
     * document the applicant (who gave no ID number) still owes. */
    assert_int_equal(d->n_missing_materials, 2);
    assert_non_null(strstr(d->missing_materials[0], "经济困难状况说明表"));
    assert_non_null(strstr(d->missing_materials[0], "承诺告知书"));
    assert_non_null(strstr(d->missing_materials[1], "身份证明"));
    assert_int_equal(d->decision_due_at, T_0309_2400);
    assert_false(d->has_assign_due_at);
    assert_false(d->has_verification_due_at);
    assert_non_null(strstr(d->reason, "2026-03-09 24:00"));
    legalaid__batch__free_unpacked(b, NULL);

    Legalaid__Reply *r = get_status(f);
    assert_int_equal(test_status_counter(r->stream_status, "needs_materials"), 1);
    assert_int_equal(test_status_counter(r->stream_status, "approved"), 0);
    assert_int_equal(test_status_counter(r->stream_status, "pending_verification"), 0);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_configured_periods_and_rule_version(void **state)
{
    ek_fixture_t *f = *state;
    long long review = eligibility_config.review_days;
    char *version = eligibility_config.rule_version;
    eligibility_config.review_days = 5;
    eligibility_config.rule_version = "2026-07-01";
    test_received_t p;
    app_init(&p, "BT-2026-000004");
    ek_feed(f, &p);
    eligibility_config.review_days = review;
    eligibility_config.rule_version = version;

    /* 5 days from Monday 03-02 end on Saturday 03-07, a rest day: the
     * decision is due by the end of Monday 03-09 (R-TIME-00). */
    Legalaid__Reply *r = ek_get_decision(f, "BT-2026-000004");
    assert_int_equal(r->decision->decision_due_at, T_0309_2400);
    assert_string_equal(r->decision->rule_version, "2026-07-01");
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_dead_letters_and_one_decision_per_case(void **state)
{
    ek_fixture_t *f = *state;
    /* An event that carries no application can never be decided. */
    test_received_t empty;
    app_init(&empty, "BT-2026-000005");
    empty.received.application = NULL;
    ek_feed(f, &empty);
    /* Nor one whose application has no case number. */
    test_received_t nocase;
    app_init(&nocase, NULL);
    ek_feed(f, &nocase);
    /* Nor a notification without its ground. */
    test_received_t noground;
    app_init(&noground, "BT-2026-000006");
    app_notice(&noground, LEGALAID__MANDATORY_GROUND__MINOR);
    noground.app.has_ground = 0;
    ek_feed(f, &noground);

    Legalaid__Reply *r = get_status(f);
    assert_int_equal(r->stream_status->dead_letters, 3);
    /* No decision for any of them: only DeadLettered, one each, for staff. */
    assert_int_equal(r->stream_status->head_seq, 3);
    /* The stream moved on past them. */
    assert_int_equal(r->stream_status->n_upstreams, 2); /* intake's, and dispatch's */
    assert_string_equal(r->stream_status->upstreams[0]->stream, "intake");
    assert_int_equal(r->stream_status->upstreams[0]->applied_seq, 3);
    legalaid__reply__free_unpacked(r, NULL);

    /* A case published twice is decided once. */
    test_received_t p;
    app_init(&p, "BT-2026-000007");
    p.app.commitment_signed = 1;
    p.app.has_commitment_signed = 1;
    ek_feed(f, &p);
    clock_advance_ms(MS_PER_HOUR);
    p.app.commitment_signed = 0; /* even if the second copy differs */
    ek_feed(f, &p);
    Legalaid__Batch *b = published(f);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->eligibility_decided->decision->outcome,
                     LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    legalaid__batch__free_unpacked(b, NULL);
    r = ek_get_decision(f, "BT-2026-000007");
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    assert_decided_near(r->decision->decided_at, T_0302_1000);
    legalaid__reply__free_unpacked(r, NULL);

    r = get_status(f);
    assert_int_equal(test_status_counter(r->stream_status, "pending_verification"), 1);
    assert_int_equal(r->stream_status->dead_letters, 3);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_get_decision_errors(void **state)
{
    ek_fixture_t *f = *state;
    Legalaid__Reply *r = ek_get_decision(f, "BT-2026-999999");
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "get_decision.case_id");
    assert_non_null(strstr(r->error, "BT-2026-999999"));
    legalaid__reply__free_unpacked(r, NULL);

    r = ek_get_decision(f, NULL);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "get_decision.case_id");
    legalaid__reply__free_unpacked(r, NULL);

    /* Eligibility takes no other request. */
    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    g.case_id = "BT-2026-000001";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    req.get_application = &g;
    r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__UNKNOWN_TYPE);
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_court_notice_of_minor, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_every_mandatory_ground_cites_its_item, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_commitment_letter, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_missing_hardship_statement, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_configured_periods_and_rule_version, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_dead_letters_and_one_decision_per_case, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_get_decision_errors, ek_setup, ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
