/*
 * test-intake-duty.c - the roster's custody forwards (intake_duty.c): an
 * application a duty lawyer took is submitted as a custody forward; the
 * facts the form asks for are the charge of the duty log when the
 * application states none, so the forward is not refused for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intake.h"
#include "intakekit.h"
#include "testutil.h"

#define NOW IK_T0 /* 2026-03-02 10:00 Beijing time */

/* Feeds the roster's DutyRequestCompleted with the duty log's charge and
 * an application by a new person stating matter (NULL: none). */
static void forward(ik_fixture_t *f, uint64_t *seq, const char *charge, const char *matter)
{
    test_submit_t p;
    ik_defence_init(&p);
    p.person.phone = NULL;
    p.app.authority = NULL;
    p.app.matter = (char *)matter;
    p.app.channel = LEGALAID__CHANNEL__CUSTODY_FORWARD;
    p.app.custody_facility = "包头市第一看守所";
    p.app.has_custody_received_at = 1;
    p.app.custody_received_at = NOW - MS_PER_HOUR;
    Legalaid__DutyLog log = LEGALAID__DUTY_LOG__INIT;
    log.charge = (char *)charge;
    log.question = "如何申请法律援助";
    log.help_given = "代为填写申请表并转交法律援助中心";
    log.application = &p.app;
    Legalaid__DutyRequest r = LEGALAID__DUTY_REQUEST__INIT;
    r.id = "DR-2026-000001";
    r.log = &log;
    Legalaid__DutyRequestCompleted c = LEGALAID__DUTY_REQUEST_COMPLETED__INIT;
    c.request = &r;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.body_case = LEGALAID__EVENT__BODY_DUTY_REQUEST_COMPLETED;
    ev.duty_request_completed = &c;
    ev.has_occurred_at = 1;
    ev.occurred_at = NOW;
    test_feed(f->td.d, "roster", seq, &ev);
}

/* The matter of the application last published. */
static void expect_matter(daemon_t *d, size_t events, const char *matter)
{
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_int_equal(b->n_events, events);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_APPLICATION_RECEIVED);
    assert_string_equal(ev->application_received->application->matter, matter);
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_duty_forward_matter(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    uint64_t seq = 0;
    forward(f, &seq, "盗窃罪", NULL);
    expect_matter(d, 1, "罪名：盗窃罪");
    forward(f, &seq, "盗窃罪", "涉嫌盗窃罪，审查起诉阶段无辩护人");
    expect_matter(d, 2, "涉嫌盗窃罪，审查起诉阶段无辩护人");
    assert_int_equal(ik_dead_letters(d), 0);
    /* Neither facts nor a charge: refused with the field, to the dead
     * letters for staff to mend. */
    forward(f, &seq, NULL, NULL);
    assert_int_equal(ik_dead_letters(d), 1);
    Legalaid__Batch *b;
    Legalaid__Event *ev = ik_stream_last(d, &b);
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_DEAD_LETTERED);
    legalaid__batch__free_unpacked(b, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_duty_forward_matter, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
