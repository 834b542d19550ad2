/*
 * test-eligibility-scope.c - the scope step (eligibility_scope.c) through
 * a real turn, for the one art. 25(1) person who applies himself: a
 * defendant in a death-penalty review (死刑复核) who applies gets a
 * defence lawyer without any means test (art. 25(1)(5)), where the same
 * defence applied for without that ground goes through the means test of
 * art. 24.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "eligibilitykit.h"
#include "testutil.h"

#define T_0302_1000 EK_T0           /* 2026-03-02 10:00, a Monday */
#define T_0305_2400 1772726400000LL /* 2026-03-05 24:00: 3 days after the decision */
#define LAW "Legal Aid Law "

/* The defendant's own application for defence in a death-penalty review
 * before the Supreme People's Court, forwarded by his detention centre:
 * no income declared, no commitment letter. */
static void review_init(test_received_t *p, const char *case_id, const char *id17)
{
    test_received_init(p, case_id, id17);
    p->person.name = "巴图";
    p->person.phone = NULL;
    p->app.channel = LEGALAID__CHANNEL__CUSTODY_FORWARD;
    p->app.custody_facility = "包头市第一看守所";
    p->app.has_custody_received_at = 1;
    p->app.custody_received_at = T_0302_1000 - 3 * MS_PER_HOUR;
    p->app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p->app.has_scope_item = 0;
    p->app.scope_item = 0;
    p->app.matter = "故意杀人罪一审判处死刑，二审维持，现最高人民法院复核，无辩护人";
    p->app.has_ground = 1;
    p->app.ground = LEGALAID__MANDATORY_GROUND__DEATH_REVIEW;
    p->authority.has_kind = 1;
    p->authority.kind = LEGALAID__AUTHORITY_KIND__COURT;
    p->authority.name = "最高人民法院";
    p->app.authority = &p->authority;
    p->app.received_at = T_0302_1000;
}

static void assert_granted_without_means(ek_fixture_t *f, const char *case_id)
{
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED);
    Legalaid__Reply *r = ek_decision(f, case_id);
    const Legalaid__Decision *d = r->decision;
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(d->means_path, LEGALAID__MEANS_PATH__NO_MEANS_TEST);
    assert_true(test_cites(d, LAW "art. 25(1)(5)"));
    assert_false(test_cites(d, LAW "art. 24"));
    const Legalaid__DecisionTest *means = ek_find_test(d, "means");
    assert_non_null(means);
    assert_true(means->passed);
    assert_non_null(strstr(means->detail, "death-penalty review"));
    assert_non_null(strstr(d->reason, "without any means test"));
    assert_int_equal(d->n_missing_materials, 0);
    /* A lawyer, named within 3 days of the decision (art. 43(1)); the
     * review's ground reaches dispatch, which wants 3 years of criminal
     * defence for it (art. 26). */
    assert_true(d->lawyer_required);
    assert_int_equal(d->assign_due_at, T_0305_2400);
    assert_non_null(d->facts);
    assert_int_equal(d->facts->ground, LEGALAID__MANDATORY_GROUND__DEATH_REVIEW);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_death_review_applied_for(void **state)
{
    ek_fixture_t *f = *state;
    eligibility_config.income_standards = "2022-01-01:1000";
    test_received_t p;
    review_init(&p, "BT-2026-000301", "15020319800101301");
    ek_feed(f, &p);
    assert_granted_without_means(f, "BT-2026-000301");

    /* Even a declared income above the standard changes nothing: no
     * economic condition applies. */
    review_init(&p, "BT-2026-000302", "15020319800101302");
    p.app.has_household_income_fen = 1;
    p.app.household_income_fen = 500000; /* 5,000 yuan a head, the standard 1,000 */
    ek_feed(f, &p);
    assert_granted_without_means(f, "BT-2026-000302");

    /* A near relative applying for him (art. 40): the same. */
    review_init(&p, "BT-2026-000303", "15020319800101303");
    p.app.channel = LEGALAID__CHANNEL__WINDOW;
    p.app.has_custody_received_at = 0;
    p.app.has_applicant_role = 1;
    p.app.applicant_role = LEGALAID__APPLICANT_ROLE__NEAR_RELATIVE;
    ek_feed(f, &p);
    assert_granted_without_means(f, "BT-2026-000303");
}

/* The same defence without the review's ground is art. 24: the means test
 * applies (refused above the standard, materials asked for otherwise). */
static void test_defence_without_review_is_means_tested(void **state)
{
    ek_fixture_t *f = *state;
    eligibility_config.income_standards = "2022-01-01:1000";
    test_received_t p;
    review_init(&p, "BT-2026-000311", "15020319800101311");
    p.app.has_ground = 0;
    p.app.ground = 0;
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    Legalaid__Reply *r = ek_decision(f, "BT-2026-000311");
    assert_true(test_cites(r->decision, LAW "art. 24"));
    assert_false(test_cites(r->decision, LAW "art. 25(1)(5)"));
    legalaid__reply__free_unpacked(r, NULL);

    review_init(&p, "BT-2026-000312", "15020319800101312");
    p.app.has_ground = 0;
    p.app.ground = 0;
    p.app.has_household_income_fen = 1;
    p.app.household_income_fen = 500000;
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__REFUSED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_death_review_applied_for, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_defence_without_review_is_means_tested, ek_setup,
                                        ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
