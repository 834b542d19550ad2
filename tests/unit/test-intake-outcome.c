/*
 * test-intake-outcome.c - eligibility's decisions applied
 * (intake_outcome.c): a closing decision lets the person apply again on
 * the matter (R-APP-02), an objection corrected (art. 49) re-opens the
 * case, a withdrawal stays final, a decision without a case number is a
 * dead letter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intake.h"
#include "intake_validate.h"
#include "intakekit.h"
#include "testutil.h"

static void test_eligibility_closes_cases(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    static const Legalaid__Outcome closing[] = {
        LEGALAID__OUTCOME__REFUSED, LEGALAID__OUTCOME__WITHDRAWN,
        LEGALAID__OUTCOME__DEEMED_WITHDRAWN, LEGALAID__OUTCOME__TERMINATED};
    test_submit_t p;
    ik_civil_init(&p);
    ik_expect_case(d, &p, "BT-2026-000001", 0);
    /* Each ending of a case lets the person apply again on the matter:
     * the next application opens a new case, which is then the open one. */
    for (int i = 0; i < 4; i++) {
        char prev[32], next[32];
        snprintf(prev, sizeof prev, "BT-2026-%06d", i + 1);
        snprintf(next, sizeof next, "BT-2026-%06d", i + 2);
        ik_decided(f, prev, LEGALAID__OUTCOME__NEEDS_MATERIALS);
        ik_expect_case(d, &p, prev, 1);
        ik_decided(f, prev, closing[i]);
        assert_int_equal(test_counter(d, "closed"), (uint64_t)i + 1);
        ik_expect_case(d, &p, next, 0);
        ik_expect_case(d, &p, next, 1);
    }
    assert_int_equal(test_counter(d, "applications"), 5);

    /* An objection corrected (art. 49): the refused case is open again and
     * new applications join it. */
    test_submit_t q;
    ik_civil_init(&q);
    q.app.category = LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION;
    q.app.scope_item = 5;
    ik_expect_case(d, &q, "BT-2026-000006", 0);
    ik_decided(f, "BT-2026-000006", LEGALAID__OUTCOME__REFUSED);
    assert_int_equal(test_counter(d, "closed"), 5);
    ik_decided(f, "BT-2026-000006", LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(test_counter(d, "closed"), 4);
    ik_expect_case(d, &q, "BT-2026-000006", 1);

    /* A case re-opened after the person has opened a new one: the new one
     * stays the case new applications join. */
    ik_decided(f, "BT-2026-000001", LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(test_counter(d, "closed"), 3);
    ik_expect_case(d, &p, "BT-2026-000005", 1);

    /* The applicant's own withdrawal is final: a later decision does not
     * re-open it. */
    Legalaid__Reply *r = ik_withdraw(d, "BT-2026-000005", NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    ik_decided(f, "BT-2026-000005", LEGALAID__OUTCOME__APPROVED);
    ik_expect_case(d, &p, "BT-2026-000007", 0);

    /* A case intake does not hold (a restored store) and other events are
     * passed over; a decision without a case number is a dead letter. */
    size_t events = ik_stream_count(d);
    ik_decided(f, "BT-2025-000999", LEGALAID__OUTCOME__REFUSED);
    assert_int_equal(ik_dead_letters(d), 0);
    Legalaid__Event other = LEGALAID__EVENT__INIT;
    other.has_seq = 1;
    other.seq = ++f->eligibility_seq;
    other.event_id = "eligibility:other";
    other.case_id = "BT-2026-000007";
    other.body_case = LEGALAID__EVENT__BODY_APPLICATION_WITHDRAWN;
    Legalaid__ApplicationWithdrawn aw = LEGALAID__APPLICATION_WITHDRAWN__INIT;
    aw.case_id = "BT-2026-000007";
    other.application_withdrawn = &aw;
    Legalaid__Event *evs[1] = {&other};
    assert_int_equal(daemon_feed(d, "eligibility", evs, 1), 0);
    ik_expect_case(d, &p, "BT-2026-000007", 1);
    assert_int_equal(ik_dead_letters(d), 0);
    ik_decided(f, NULL, LEGALAID__OUTCOME__REFUSED);
    assert_int_equal(ik_dead_letters(d), 1);
    /* Nothing of the bad event was published, only DeadLettered for staff. */
    assert_int_equal(ik_stream_count(d), events + 1);
    assert_int_equal(test_counter(d, "closed"), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_eligibility_closes_cases, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
