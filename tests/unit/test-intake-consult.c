/*
 * test-intake-consult.c - RecordConsultation (intake_consult.c):
 * consultations (art. 23) numbered without gaps and counted by channel.
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
    ik_fixture_t *f = *state;
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
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_int_equal(b->n_events, 4);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_CONSULTATION_RECORDED);
    assert_string_equal(ev->consultation_recorded->consultation->id, "C-BT-2026-000004");
    assert_string_equal(ev->consultation_recorded->consultation->topic, "赡养费标准");
    assert_true(ev->consultation_recorded->consultation->told_of_aid);
    legalaid__batch__free_unpacked(b, NULL);

    assert_int_equal(test_counter(d, "consultations"), 4);
    assert_int_equal(test_counter(d, "consultations_visit"), 2);
    assert_int_equal(test_counter(d, "consultations_by_telephone"), 1);
    assert_int_equal(test_counter(d, "consultations_letter"), 0);
    assert_int_equal(test_counter(d, "consultations_internet"), 1);
    /* Consultations are not applications and take no case number. */
    assert_int_equal(test_counter(d, "applications"), 0);
    test_submit_t p;
    ik_civil_init(&p);
    r = ik_expect_ok(d, &p);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_consultations, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
