/*
 * test-eligibility-signed.c - every kind of decision as an officer signs
 * it (issue 17, item 4), through real turns: its means path names what was
 * established, and it cites the scope article and the means article
 * whenever both were applied, also when the case is decided again from an
 * earlier decision (a refusal on the declared income; the termination after
 * a false commitment; the termination by dispatch; the withdrawal after
 * aid; the deemed withdrawal; the grant on a notice; the materials notice).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "eligibilitykit.h"
#include "testutil.h"

#define LAW "Legal Aid Law "

/* The labour arbitration of test_received_init (art. 31(5)), the roll
 * unavailable, income standards configured. */
static void labour(test_received_t *p, const char *case_id, const char *id17)
{
    test_received_init(p, case_id, id17);
    eligibility_config.income_standards = "2022-01-01:1000,2025-07-01:1170.00";
}

/* Asserts the decision cites each article of the NULL-terminated list. */
static void assert_cites(const Legalaid__Decision *d, const char *const *want)
{
    for (const char *const *a = want; *a; a++)
        if (!test_cites(d, *a)) {
            char got[1024] = "";
            for (size_t i = 0; i < d->n_articles; i++)
                snprintf(got + strlen(got), sizeof got - strlen(got), " [%s]", d->articles[i]);
            fail_msg("case %s (%s) does not cite %s; it cites%s", d->case_id,
                     d->reason ? d->reason : "-", *a, got);
        }
}

static Legalaid__Decision *decision(ek_fixture_t *f, const char *case_id, Legalaid__Reply **r)
{
    *r = ek_decision(f, case_id);
    return (*r)->decision;
}

/* Income above the standard in force: refused, the path says the income
 * was checked and found above it (not "materials awaited"), the means test
 * failed under art. 34, nothing asked for. */
static void test_refusal_above_the_standard(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    labour(&p, "BT-2026-000701", "15020319800101011");
    p.app.has_household_income_fen = 1;
    p.app.household_income_fen = 117001; /* a fen above 1170.00 */
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__REFUSED);
    Legalaid__Reply *r;
    Legalaid__Decision *d = decision(f, "BT-2026-000701", &r);
    assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__ABOVE_STANDARD);
    const Legalaid__DecisionTest *m = ek_find_test(d, "means");
    assert_non_null(m);
    assert_false(m->passed);
    assert_string_equal(m->article, LAW "art. 34");
    assert_non_null(strstr(m->detail, "1170.01 yuan"));
    assert_non_null(strstr(m->detail, "above the hardship standard of 1170.00 yuan"));
    assert_int_equal(d->n_missing_materials, 0);
    assert_false(d->has_materials_due_at);
    static const char *const want[] = {LAW "art. 31(5)", LAW "art. 34", LAW "art. 43(1)",
                                       LAW "art. 49", NULL};
    assert_cites(d, want);
    legalaid__reply__free_unpacked(r, NULL);

    /* Exactly at the standard: granted on the statement, path VERIFIED. */
    test_received_t at;
    labour(&at, "BT-2026-000702", "15020319800101022");
    at.app.has_household_income_fen = 1;
    at.app.household_income_fen = 117000;
    ek_feed(f, &at);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED);
    d = decision(f, "BT-2026-000702", &r);
    assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    static const char *const want_at[] = {LAW "art. 31(5)", LAW "art. 34", LAW "art. 43(1)", NULL};
    assert_cites(d, want_at);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Nothing settles the means: the materials notice, path NOT_SETTLED, the
 * scope article and art. 43(2); then, not supplied, deemed withdrawn: the
 * same two articles still cited. */
static void test_materials_and_deemed_withdrawal(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    labour(&p, "BT-2026-000711", "15020319800101033");
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    Legalaid__Reply *r;
    Legalaid__Decision *d = decision(f, "BT-2026-000711", &r);
    assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__NOT_SETTLED);
    static const char *const want[] = {LAW "art. 31(5)", LAW "art. 43(2)", NULL};
    assert_cites(d, want);
    int64_t due = d->materials_due_at;
    legalaid__reply__free_unpacked(r, NULL);

    clock_set_ms(due + 1);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__DEEMED_WITHDRAWN);
    d = decision(f, "BT-2026-000711", &r);
    assert_cites(d, want);
    legalaid__reply__free_unpacked(r, NULL);
}

/* A false commitment terminates aid: art. 41, 48(2), 64, 49, and the scope
 * article the grant rested on. */
static void test_termination_after_false_commitment(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    labour(&p, "BT-2026-000721", "15020319800101044");
    ek_commit_letter(&p);
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    Legalaid__Reply *r = ek_verify(f, "BT-2026-000721", 0, "民政核对：承诺不实");
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__Decision *d = r->decision;
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__TERMINATED);
    assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__COMMITMENT);
    static const char *const want[] = {LAW "art. 31(5)", LAW "art. 41", LAW "art. 48(2)",
                                       LAW "art. 64",    LAW "art. 49", NULL};
    assert_cites(d, want);
    legalaid__reply__free_unpacked(r, NULL);
    /* As stored and published. */
    d = decision(f, "BT-2026-000721", &r);
    assert_cites(d, want);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Dispatch terminates aid granted on the roll... here on a proof of status
 * (art. 42(3)); the recipient withdraws another after the grant. Both keep
 * the scope and means articles beside their own. */
static void test_termination_and_withdrawal_after_grant(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    labour(&p, "BT-2026-000731", "15020319800101055");
    p.app.has_hardship_proof = 1;
    p.app.hardship_proof = LEGALAID__HARDSHIP_PROOF__MIGRANT_WAGES_OR_INJURY;
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED);

    Legalaid__CaseTerminated c = LEGALAID__CASE_TERMINATED__INIT;
    c.case_id = "BT-2026-000731";
    c.has_reason = 1;
    c.reason = LEGALAID__TERMINATION_REASON__OWN_COUNSEL;
    c.detail = "受援人已自行委托律师";
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = c.case_id;
    ev.body_case = LEGALAID__EVENT__BODY_CASE_TERMINATED;
    ev.case_terminated = &c;
    test_feed(f->td.d, "dispatch", &f->dispatch_seq, &ev);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__TERMINATED);
    Legalaid__Reply *r;
    Legalaid__Decision *d = decision(f, "BT-2026-000731", &r);
    assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__PRESUMED);
    static const char *const want[] = {LAW "art. 31(5)", LAW "art. 42(3)", LAW "art. 48(6)",
                                       LAW "art. 49", NULL};
    assert_cites(d, want);
    legalaid__reply__free_unpacked(r, NULL);

    test_received_t w;
    labour(&w, "BT-2026-000732", "15020319800101066");
    w.app.has_hardship_proof = 1;
    w.app.hardship_proof = LEGALAID__HARDSHIP_PROOF__MIGRANT_WAGES_OR_INJURY;
    ek_feed(f, &w);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED);
    ek_feed_withdrawn(f, "BT-2026-000732", "已与单位和解");
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__WITHDRAWN);
    d = decision(f, "BT-2026-000732", &r);
    static const char *const want_w[] = {LAW "art. 31(5)", LAW "art. 42(3)", LAW "art. 48(7)",
                                         NULL};
    assert_cites(d, want_w);
    legalaid__reply__free_unpacked(r, NULL);
}

/* The police's notice: no means test, art. 25(1)(n) for both, art. 36. */
static void test_notice_grant(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000741", "15020319800101077");
    test_received_notice(&p, LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH,
                         LEGALAID__AUTHORITY_KIND__POLICE, "包头市公安局昆都仑区分局");
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED);
    Legalaid__Reply *r;
    Legalaid__Decision *d = decision(f, "BT-2026-000741", &r);
    assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__NO_MEANS_TEST);
    static const char *const want[] = {LAW "art. 25(1)(4)", LAW "art. 36", NULL};
    assert_cites(d, want);
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refusal_above_the_standard, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_materials_and_deemed_withdrawal, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_termination_after_false_commitment, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_termination_and_withdrawal_after_grant, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_notice_grant, ek_setup, ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
