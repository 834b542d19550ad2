/*
 * test-eligibility-lifecycle.c - a case's life after intake's events and
 * the clock (eligibility_lifecycle.c): materials supplied and the case
 * decided again (the clock paused while they were awaited, art. 43(2);
 * what the materials establish, never read from their names); the
 * materials deadline running from the notice, one notice one deadline;
 * deemed withdrawal by the tick (art. 43(2)); withdrawal before and after
 * aid was granted (art. 48(7)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "eligibility_calendar.h"
#include "eligibilitykit.h"
#include "testutil.h"

/* Beijing time (UTC+8). */
#define T_0302_1000 1772416800000LL /* 2026-03-02 10:00: receipt */
#define T_0317_2400 1773763200000LL /* 2026-03-17 24:00: receipt + 15 days */

static void test_materials_supplied_decided_again(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000301", "15020319800101011");
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    Legalaid__Reply *r = ek_decision(f, "BT-2026-000301");
    assert_int_equal(r->decision->materials_due_at, T_0317_2400);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "deadlines_open"), 1);

    /* The roll now lists the applicant; what was supplied is reviewed. */
    ek_roll_one(f, p.id, 0, T_0302_1000 - MS_PER_DAY);
    clock_set_ms(T_0302_1000 + 2 * MS_PER_DAY);
    ek_feed_supplied(f, "BT-2026-000301", "低保证");
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED);
    r = ek_decision(f, "BT-2026-000301");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_YES);
    assert_in_range(r->decision->decided_at, T_0302_1000 + 2 * MS_PER_DAY,
                    T_0302_1000 + 2 * MS_PER_DAY + 10000);
    /* Art. 43(2): the two days spent waiting for the materials do not
     * count: the decision is due 7 + 2 days after receipt. */
    assert_int_equal(r->decision->decision_due_at,
                     T_0302_1000 - 10 * MS_PER_HOUR + 10 * MS_PER_DAY);
    legalaid__reply__free_unpacked(r, NULL);
    /* The materials deadline is gone: past it, the tick does nothing. */
    assert_int_equal(test_counter(f->td.d, "deadlines_open"), 0);
    clock_set_ms(T_0317_2400 + MS_PER_HOUR);
    assert_int_equal(daemon_tick(f->td.d), 0);
    ek_assert_nothing_published(f);

    /* Another case: a material merely named like the commitment letter
     * grants nothing (no free-text match) ... */
    test_received_t q;
    test_received_init(&q, "BT-2026-000302", "15020319800101022");
    ek_feed(f, &q);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    ek_feed_supplied(f, "BT-2026-000302", "签署的法律援助申请承诺告知书");
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    /* ... the signed letter, as intake records it, answers the notice and
     * opens the commitment route (art. 41). */
    ek_feed_supplied_facts(f, "BT-2026-000302", "签署的法律援助申请承诺告知书", 1, -1);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    r = ek_decision(f, "BT-2026-000302");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__COMMITMENT);
    legalaid__reply__free_unpacked(r, NULL);

    /* Materials for a case not awaiting any: kept, nothing decided. */
    ek_feed_supplied(f, "BT-2026-000301", "劳动合同");
    ek_assert_nothing_published(f);
    assert_int_equal(test_counter(f->td.d, "approved"), 1);
    assert_int_equal(test_counter(f->td.d, "needs_materials"), 3);
}

/* Art. 43(2): the materials deadline runs from the notice, not from
 * receipt, and one notice has one deadline. */
static void test_materials_deadline_from_the_notice(void **state)
{
    ek_fixture_t *f = *state;
    /* Received 03-02 but entered 20 days later (03-22, a Sunday): the
     * notice is given now, so the 15 days run from it: 04-06 24:00 (a
     * Monday), not 03-17 (already past). */
    clock_set_ms(T_0302_1000 + 20 * MS_PER_DAY);
    test_received_t p;
    test_received_init(&p, "BT-2026-000351", "15020319800101011");
    p.app.received_at = T_0302_1000;
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    Legalaid__Reply *r = ek_decision(f, "BT-2026-000351");
    int64_t due = T_0317_2400 + 20 * MS_PER_DAY;
    assert_int_equal(r->decision->materials_due_at, due);
    assert_non_null(strstr(r->decision->reason, "2026-04-06 24:00"));
    legalaid__reply__free_unpacked(r, NULL);
    /* A second later the tick deems nothing withdrawn. */
    clock_set_ms(T_0302_1000 + 20 * MS_PER_DAY + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    ek_assert_nothing_published(f);

    /* Ten days later something that settles nothing arrives: decided again,
     * still awaiting materials, by the same deadline (one notice). */
    clock_set_ms(T_0302_1000 + 30 * MS_PER_DAY);
    ek_feed_supplied(f, "BT-2026-000351", "劳动合同");
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    r = ek_decision(f, "BT-2026-000351");
    assert_int_equal(r->decision->materials_due_at, due);
    const Legalaid__DecisionTest *dt = ek_find_test(r->decision, "deadline");
    assert_non_null(dt);
    assert_non_null(strstr(dt->detail, "earlier notice"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "deadlines_open"), 1);
    /* At that deadline the case is deemed withdrawn. */
    clock_set_ms(due + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__DEEMED_WITHDRAWN);
}

static void test_deemed_withdrawn_by_the_tick(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000401", "15020319800101011");
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);

    /* Still within the period (03-17 24:00): nothing. */
    clock_set_ms(T_0317_2400 - MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    ek_assert_nothing_published(f);

    /* Past it: deemed withdrawn (art. 43(2)), once. */
    clock_set_ms(T_0317_2400 + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__DEEMED_WITHDRAWN);
    assert_int_equal(daemon_tick(f->td.d), 0);
    ek_assert_nothing_published(f);
    Legalaid__Reply *r = ek_decision(f, "BT-2026-000401");
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__DEEMED_WITHDRAWN);
    assert_true(test_cites(r->decision, "Legal Aid Law art. 43(2)"));
    assert_non_null(strstr(r->decision->reason, "2026-03-17 24:00"));
    assert_non_null(strstr(r->decision->reason, "deemed withdrawn"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "deemed_withdrawn"), 1);

    /* Materials arriving after that change nothing. */
    ek_feed_supplied(f, "BT-2026-000401", "经济困难状况说明表");
    ek_assert_nothing_published(f);
}

static void test_withdrawal(void **state)
{
    ek_fixture_t *f = *state;
    /* Withdrawn while materials are awaited: the deadline goes with it. */
    test_received_t p;
    test_received_init(&p, "BT-2026-000501", "15020319800101011");
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    ek_feed_withdrawn(f, "BT-2026-000501", "已与对方和解");
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__WITHDRAWN);
    Legalaid__Reply *r = ek_decision(f, "BT-2026-000501");
    assert_non_null(strstr(r->decision->reason, "已与对方和解"));
    assert_false(r->decision->has_assign_due_at);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "deadlines_open"), 0);
    clock_set_ms(T_0317_2400 + MS_PER_HOUR);
    assert_int_equal(daemon_tick(f->td.d), 0);
    ek_assert_nothing_published(f);

    /* Withdrawn after aid was granted: aid ends at the recipient's request
     * (art. 48(7)); a second withdrawal records nothing new. */
    test_received_t q;
    test_received_init(&q, "BT-2026-000502", "15020319800101022");
    ek_commit_letter(&q);
    ek_feed(f, &q);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    ek_feed_withdrawn(f, "BT-2026-000502", "自行委托律师");
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__WITHDRAWN);
    r = ek_decision(f, "BT-2026-000502");
    assert_true(test_cites(r->decision, "Legal Aid Law art. 48(7)"));
    legalaid__reply__free_unpacked(r, NULL);
    ek_feed_withdrawn(f, "BT-2026-000502", "again");
    ek_assert_nothing_published(f);
    assert_int_equal(test_counter(f->td.d, "withdrawn"), 2);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_materials_supplied_decided_again, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_materials_deadline_from_the_notice, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_deemed_withdrawn_by_the_tick, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_withdrawal, ek_setup, ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
