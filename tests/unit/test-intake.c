/*
 * test-intake.c - intake's handlers, called directly: validation errors
 * that name the field, case numbers without gaps, idempotent retries, the
 * events it publishes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intake.h"
#include "intake_validate.h"
#include "intakekit.h"
#include "testutil.h"

/* A valid walk-in application; the caller may spoil one field. */
static void app_init(test_submit_t *p)
{
    test_submit_init(p, "15020319800101123", "王建国",
                     LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION,
                     "unpaid wages, 8 months, construction site");
}

static void test_id_number_rules(void **state)
{
    (void)state;
    int64_t now = 1772416800000LL;
    char good[19];
    test_id_number("15020319800101123", good);
    assert_null(intake_person_id_number_problem(good, now));
    char bad[19];
    memcpy(bad, good, 19);
    bad[17] = bad[17] == '0' ? '1' : '0';
    assert_string_equal(intake_person_id_number_problem(bad, now),
                        "has a wrong check digit (mistyped?)");
    assert_non_null(intake_person_id_number_problem("15020319800101", now));
    char feb30[19];
    test_id_number("15020319800230123", feb30);
    assert_string_equal(intake_person_id_number_problem(feb30, now),
                        "has an impossible birth date in digits 7-14");
    char future[19];
    test_id_number("15020320990101123", future);
    assert_string_equal(intake_person_id_number_problem(future, now),
                        "has a birth date in the future");
    /* At the edges: born today (2026-03-02, Beijing time) is a valid number,
     * born tomorrow is not; 91 is the last region code, 92 is none. */
    char today[19], tomorrow[19], r91[19], r92[19];
    test_id_number("15020320260302123", today);
    assert_null(intake_person_id_number_problem(today, now));
    test_id_number("15020320260303123", tomorrow);
    assert_string_equal(intake_person_id_number_problem(tomorrow, now),
                        "has a birth date in the future");
    test_id_number("91020319800101123", r91);
    assert_null(intake_person_id_number_problem(r91, now));
    test_id_number("92020319800101123", r92);
    assert_string_equal(intake_person_id_number_problem(r92, now),
                        "has an unknown region code in its first two digits");
    /* Lower-case x is accepted as the check character X. */
    char with_x[19] = "";
    for (int i = 0; i < 1000 && !strchr(with_x, 'X'); i++) {
        char first[18];
        snprintf(first, sizeof first, "15020319800101%03d", i);
        test_id_number(first, with_x);
    }
    with_x[17] = 'x';
    assert_null(intake_person_id_number_problem(with_x, now));
    assert_null(intake_person_phone_problem("13904721234"));
    assert_null(intake_person_phone_problem("0472-2812348"));
    assert_non_null(intake_person_phone_problem("12345"));
    assert_non_null(intake_person_phone_problem("1390472123a"));
}

static void test_submit_numbers_without_gaps(void **state)
{
    ik_fixture_t *f = *state;
    test_submit_t p;
    app_init(&p);
    Legalaid__Reply *r = test_call_new(f->td.d, &p.req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000001");
    legalaid__reply__free_unpacked(r, NULL);

    /* A rejected application takes no number. */
    char badid[19];
    memcpy(badid, p.id_number, 19);
    badid[17] = p.id_number[17] == '0' ? '1' : '0';
    p.person.id_number = badid;
    r = test_call_new(f->td.d, &p.req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "application.applicant.id_number");
    assert_non_null(strstr(r->error, "check digit"));
    legalaid__reply__free_unpacked(r, NULL);

    /* Another person (the same one again would be linked to the open case). */
    char other[19];
    test_id_number("15020319850505321", other);
    p.person.id_number = other;
    p.person.name = "李秀英";
    r = test_call_new(f->td.d, &p.req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_string_equal(r->application_accepted->case_id, "BT-2026-000002");
    legalaid__reply__free_unpacked(r, NULL);

    /* Two events on the stream, numbered 1 and 2, carrying the case numbers. */
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(f->td.d, 0, &b), 0);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->seq, 1);
    assert_int_equal(b->events[1]->seq, 2);
    assert_string_equal(b->events[1]->case_id, "BT-2026-000002");
    assert_int_equal(b->events[1]->body_case, LEGALAID__EVENT__BODY_APPLICATION_RECEIVED);
    assert_string_equal(b->events[1]->application_received->application->applicant->name, "李秀英");
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_retry_returns_first_reply(void **state)
{
    ik_fixture_t *f = *state;
    test_submit_t p;
    app_init(&p);
    p.req.request_id = "desk-7-0001";
    Legalaid__Reply *r1 = test_call(f->td.d, &p.req);
    Legalaid__Reply *r2 = test_call(f->td.d, &p.req);
    test_assert_code(r2, LEGALAID__CODE__OK);
    assert_string_equal(r1->application_accepted->case_id, r2->application_accepted->case_id);
    legalaid__reply__free_unpacked(r1, NULL);
    legalaid__reply__free_unpacked(r2, NULL);
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(f->td.d, 0, &b), 0);
    assert_int_equal(b->n_events, 1); /* changed once */
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_notification_and_missing_fields(void **state)
{
    ik_fixture_t *f = *state;
    test_submit_t p;
    app_init(&p);
    p.app.channel = LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.person.phone = NULL; /* a detained defendant has no phone to give */
    p.app.authority = &p.authority;
    Legalaid__Reply *r = test_call_new(f->td.d, &p.req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "application.authority.kind");
    legalaid__reply__free_unpacked(r, NULL);

    p.authority.has_kind = 1;
    p.authority.kind = LEGALAID__AUTHORITY_KIND__COURT;
    p.authority.name = "包头市昆都仑区人民法院";
    r = test_call_new(f->td.d, &p.req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "application.ground");
    legalaid__reply__free_unpacked(r, NULL);

    p.app.has_ground = 1;
    p.app.ground = LEGALAID__MANDATORY_GROUND__MINOR;
    r = test_call_new(f->td.d, &p.req);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(f->td.d, 0, &b), 0);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED);
    legalaid__batch__free_unpacked(b, NULL);

    /* Forwarded from a detention centre: no phone of the applicant's own. */
    app_init(&p);
    p.app.channel = LEGALAID__CHANNEL__CUSTODY_FORWARD;
    p.app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p.app.custody_facility = "包头市第一看守所";
    p.app.has_custody_received_at = 1;
    p.app.custody_received_at = 1772416800000LL - 3 * 3600000LL;
    p.person.phone = NULL;
    r = test_call_new(f->td.d, &p.req);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    /* A walk-in applicant must leave a phone to be told of the decision. */
    p.app.channel = LEGALAID__CHANNEL__WINDOW;
    p.app.has_custody_received_at = 0;
    r = test_call_new(f->td.d, &p.req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "application.applicant.phone");
    legalaid__reply__free_unpacked(r, NULL);

    app_init(&p);
    p.person.name = NULL;
    r = test_call_new(f->td.d, &p.req);
    assert_string_equal(r->field, "application.applicant.name");
    legalaid__reply__free_unpacked(r, NULL);
    app_init(&p);
    p.app.has_category = 0;
    r = test_call_new(f->td.d, &p.req);
    assert_string_equal(r->field, "application.category");
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_bad_frames(void **state)
{
    ik_fixture_t *f = *state;
    Legalaid__Reply *r = NULL;
    assert_int_equal(daemon_call_bytes(f->td.d, "\xff\xff\xff\xff garbage", 13, &r), 0);
    test_assert_code(r, LEGALAID__CODE__BAD_REQUEST);
    assert_non_null(strstr(r->error, "malformed frame"));
    legalaid__reply__free_unpacked(r, NULL);

    /* A request with no body this daemon knows. */
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = "x1";
    r = test_call(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__UNKNOWN_TYPE);
    legalaid__reply__free_unpacked(r, NULL);

    /* Oversize frame: the error still carries the request_id, so the
     * client waiting for it hears why. */
    size_t big = 2u << 20;
    char *frame = calloc(1, big);
    memcpy(frame,
           "\x0a\x05"
           "big-1",
           7);
    assert_int_equal(daemon_call_bytes(f->td.d, frame, big, &r), 0);
    test_assert_code(r, LEGALAID__CODE__TOO_LARGE);
    assert_non_null(strstr(r->error, "max_frame_bytes"));
    assert_string_equal(r->request_id, "big-1");
    free(frame);
    legalaid__reply__free_unpacked(r, NULL);

    /* Mutating request without request_id. */
    test_submit_t p;
    app_init(&p);
    r = test_call(f->td.d, &p.req);
    test_assert_code(r, LEGALAID__CODE__BAD_REQUEST);
    assert_string_equal(r->field, "request_id");
    legalaid__reply__free_unpacked(r, NULL);

    /* Unknown case. */
    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    g.case_id = "BT-2026-999999";
    Legalaid__Request q = LEGALAID__REQUEST__INIT;
    q.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    q.get_application = &g;
    r = test_call(f->td.d, &q);
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_non_null(strstr(r->error, "BT-2026-999999"));
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_number_rules),
        cmocka_unit_test_setup_teardown(test_submit_numbers_without_gaps, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_retry_returns_first_reply, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_notification_and_missing_fields, ik_setup,
                                        ik_teardown),
        cmocka_unit_test_setup_teardown(test_bad_frames, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
