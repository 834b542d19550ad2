/*
 * test-eligibility-verify.c - the check afterwards of a commitment letter
 * (eligibility_verify.c; art. 41, R-ECON-07): bad requests; a false
 * commitment terminating aid (art. 48(2), art. 64) with the objection
 * route (art. 49) and barring the route next time (R-ECON-07(h)); a
 * truthful one verifying it; one check, one finding; the termination
 * corrected by objection lifting that case's bar only.
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

static void test_false_commitment_terminates_and_bars(void **state)
{
    ek_fixture_t *f = *state;
    eligibility_config.verification_share_percent = 100;
    test_received_t p;
    test_received_init(&p, "BT-2026-000601", "15020319800101011");
    ek_commit_letter(&p);
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    Legalaid__Reply *r = ek_decision(f, "BT-2026-000601");
    assert_true(r->decision->verification_drawn); /* every case drawn at 100% */
    legalaid__reply__free_unpacked(r, NULL);

    /* Bad requests: no finding; a case that rests on no commitment. */
    r = ek_verify(f, "BT-2026-000601", 0, " ");
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "verify_commitment.finding");
    legalaid__reply__free_unpacked(r, NULL);
    test_received_t other;
    test_received_init(&other, "BT-2026-000602", "15020319800101022");
    ek_feed(f, &other);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    r = ek_verify(f, "BT-2026-000602", 0, "x");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "NOT_SETTLED"));
    legalaid__reply__free_unpacked(r, NULL);
    r = ek_verify(f, "BT-2026-000999", 1, "x");
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    legalaid__reply__free_unpacked(r, NULL);

    /* False: aid already granted is terminated (art. 48(2)), art. 64
     * named, the objection route given (art. 49). */
    clock_set_ms(T_0302_1000 + 10 * MS_PER_DAY);
    r = ek_verify(f, "BT-2026-000601", 0, "民政核对：家庭有两套房产，承诺不实");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_DECISION);
    Legalaid__Decision *d = r->decision;
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__TERMINATED);
    assert_true(test_cites(d, "Legal Aid Law art. 41"));
    assert_true(test_cites(d, "Legal Aid Law art. 48(2)"));
    assert_true(test_cites(d, "Legal Aid Law art. 64"));
    assert_true(test_cites(d, "Legal Aid Law art. 49"));
    assert_non_null(d->objection_route);
    assert_non_null(strstr(d->objection_route, "art. 49"));
    const Legalaid__DecisionTest *vt = ek_find_test(d, "verification");
    assert_non_null(vt);
    assert_false(vt->passed);
    assert_non_null(strstr(vt->detail, "两套房产"));
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b = ek_published(f);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_COMMITMENT_VERIFIED);
    assert_false(b->events[0]->commitment_verified->truthful);
    assert_int_equal(b->events[0]->commitment_verified->outcome, LEGALAID__OUTCOME__TERMINATED);
    assert_int_equal(b->events[1]->body_case, LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED);
    assert_int_equal(b->events[1]->eligibility_decided->decision->outcome,
                     LEGALAID__OUTCOME__TERMINATED);
    legalaid__batch__free_unpacked(b, NULL);
    r = ek_verify(f, "BT-2026-000601", 1, "again");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "两套房产"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "terminated"), 1);

    /* The same person applies again with a commitment letter: the route is
     * barred (R-ECON-07(h)); the letter does not settle the condition. */
    test_received_t again;
    test_received_init(&again, "BT-2026-000603", "15020319800101011");
    ek_commit_letter(&again);
    ek_feed(f, &again);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    r = ek_decision(f, "BT-2026-000603");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__NOT_SETTLED);
    const Legalaid__DecisionTest *ct = ek_find_test(r->decision, "credit");
    assert_non_null(ct);
    assert_false(ct->passed);
    legalaid__reply__free_unpacked(r, NULL);

    /* Truthful: aid now rests on a verified condition (art. 41): APPROVED,
     * means path VERIFIED, the "verification" test passed. */
    test_received_t honest;
    test_received_init(&honest, "BT-2026-000604", "15020319800101033");
    ek_commit_letter(&honest);
    ek_feed(f, &honest);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    r = ek_verify(f, "BT-2026-000604", 1, "民政核对：无房产车辆，收入属实");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    assert_true(test_cites(r->decision, "Legal Aid Law art. 41"));
    vt = ek_find_test(r->decision, "verification");
    assert_non_null(vt);
    assert_true(vt->passed);
    assert_string_equal(vt->article, "Legal Aid Law art. 41");
    assert_non_null(strstr(vt->detail, "无房产车辆"));
    legalaid__reply__free_unpacked(r, NULL);
    b = ek_published(f);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_COMMITMENT_VERIFIED);
    assert_true(b->events[0]->commitment_verified->truthful);
    assert_int_equal(b->events[0]->commitment_verified->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(b->events[1]->body_case, LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED);
    assert_int_equal(b->events[1]->eligibility_decided->decision->outcome,
                     LEGALAID__OUTCOME__APPROVED);
    legalaid__batch__free_unpacked(b, NULL);
    r = ek_decision(f, "BT-2026-000604");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    legalaid__reply__free_unpacked(r, NULL);
    /* One check, one finding: a second is refused, naming the first. */
    r = ek_verify(f, "BT-2026-000604", 0, "另一次核对");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "无房产车辆"));
    assert_non_null(strstr(r->error, "already verified"));
    legalaid__reply__free_unpacked(r, NULL);
    ek_assert_nothing_published(f);

    /* The termination is objected to and corrected: decided again with the
     * credit bar lifted, the commitment honoured again. */
    r = ek_file_objection(f, "BT-2026-000601", "房产登记在已故父亲名下，并非本人所有");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    r = ek_decide_objection(f, "BT-2026-000601", 1, "王司法", NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__CORRECTED);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    r = ek_decision(f, "BT-2026-000601");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__COMMITMENT);
    assert_true(test_cites(r->decision, "Legal Aid Law art. 49"));
    legalaid__reply__free_unpacked(r, NULL);
    /* The flag that case set is lifted: the person's next letter counts. */
    test_received_t later;
    test_received_init(&later, "BT-2026-000605", "15020319800101011");
    ek_commit_letter(&later);
    ek_feed(f, &later);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);

    /* Two false commitments of one person: correcting one leaves the other's
     * bar standing, for the corrected case and for the next application. */
    test_received_t first, second, next;
    test_received_init(&first, "BT-2026-000606", "15020319800101044");
    ek_commit_letter(&first);
    ek_feed(f, &first);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    test_received_init(&second, "BT-2026-000607", "15020319800101044");
    second.app.has_category = 1;
    second.app.category = LEGALAID__MATTER_CATEGORY__CIVIL;
    second.app.has_scope_item = 1;
    second.app.scope_item = 7;
    ek_commit_letter(&second);
    ek_feed(f, &second);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    r = ek_verify(f, "BT-2026-000606", 0, "名下有车辆两台");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    r = ek_verify(f, "BT-2026-000607", 0, "隐瞒经营收入");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    b = ek_published(f);
    legalaid__batch__free_unpacked(b, NULL);
    r = ek_file_objection(f, "BT-2026-000607", "经营收入已停止");
    legalaid__reply__free_unpacked(r, NULL);
    r = ek_decide_objection(f, "BT-2026-000607", 1, "王司法", NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    b = ek_published(f);
    legalaid__batch__free_unpacked(b, NULL);
    r = ek_decision(f, "BT-2026-000607");
    assert_int_not_equal(r->decision->means_path, LEGALAID__MEANS_PATH__COMMITMENT);
    ct = ek_find_test(r->decision, "credit");
    assert_non_null(ct);
    assert_false(ct->passed); /* case 606's false commitment still bars the route */
    legalaid__reply__free_unpacked(r, NULL);
    test_received_init(&next, "BT-2026-000608", "15020319800101044");
    ek_commit_letter(&next);
    ek_feed(f, &next);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
}

/* The draw is random, recorded with the decision with the share it was
 * drawn at, and explains the outcome: drawn exactly when draw < share x 100.
 * Consecutive case numbers do not give consecutive or equal draws (the
 * old hash of the case number let anyone predict them). */
static void test_draw_recorded_and_unpredictable(void **state)
{
    ek_fixture_t *f = *state;
    eligibility_config.verification_share_percent = 50;
    uint32_t draws[40];
    int drawn = 0, distinct = 0;
    for (int i = 0; i < 40; i++) {
        char id[32], idno[32];
        snprintf(id, sizeof id, "BT-2026-%06d", 700 + i);
        snprintf(idno, sizeof idno, "150203198001%05d", 1000 + i);
        test_received_t p;
        test_received_init(&p, id, idno);
        ek_commit_letter(&p);
        ek_feed(f, &p);
        Legalaid__Reply *r = ek_decision(f, id);
        test_assert_code(r, LEGALAID__CODE__OK);
        const Legalaid__Decision *d = r->decision;
        assert_true(d->has_verification_draw);
        assert_in_range(d->verification_draw, 0, 9999);
        assert_int_equal(d->verification_share_percent, 50);
        assert_int_equal(!!d->verification_drawn, d->verification_draw < 5000);
        draws[i] = d->verification_draw;
        drawn += d->verification_drawn;
        legalaid__reply__free_unpacked(r, NULL);
        int seen = 0;
        for (int j = 0; j < i; j++) seen |= draws[j] == draws[i];
        distinct += !seen;
    }
    /* 40 fair coins: all heads or all tails once in 5e11 runs. */
    assert_in_range(drawn, 1, 39);
    assert_true(distinct >= 35);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_false_commitment_terminates_and_bars, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_draw_recorded_and_unpredictable, ek_setup,
                                        ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
