/*
 * test-dispatch-edges.c - dispatch's rules at their edges, with the shipped
 * defaults (issue 17, item 14): two years of practice to join the pool, three
 * years of criminal defence for a life-or-death case or a death-penalty
 * review (art. 26), two years after leaving judicial office before defending
 * (Lawyers Law art. 41); each exactly at the limit and a day short of it.
 * And the tie-break of the matcher: of two lawyers equally behind their fair
 * share, the one with fewer open cases. A capacity of 1 to 500.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatchkit.h"
#include "testutil.h"
#include "matchrule.h"

/* The fixture's clock is 2026-03-02 10:00 Beijing time (DK_T0). */

static const char *offered_to(dk_fixture_t *f, const char *case_id)
{
    static char lawyer[64];
    assert_int_equal(dk_state(f->td.d, case_id, lawyer, sizeof lawyer),
                     LEGALAID__ASSIGNMENT_STATE__OFFERED);
    return lawyer;
}

/* Recruitment: licensed exactly two years ago to the day is two years of
 * practice; a day later is one. */
static void test_practice_years_edge(void **state)
{
    dk_fixture_t *f = *state;
    dk_lawyer(f->pool, "L-TWO", "正大律师事务所")->licence_date = "2024-03-02";
    dk_lawyer(f->pool, "L-ONE", "正大律师事务所")->licence_date = "2024-03-03";
    Legalaid__Reply *r = dk_import_from(f->td.d, f->pool, 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 1);
    assert_int_equal(r->import_result->n_rejected, 1);
    assert_string_equal(r->import_result->rejected[0]->field, "lawyers[1].licence_date");
    assert_non_null(strstr(r->import_result->rejected[0]->message, "1 year of practice"));
    legalaid__reply__free_unpacked(r, NULL);
}

/* A lawyer's capacity: 1 to 500 open cases (DISPATCH_CAPACITY_MAX). */
static void test_capacity_edge(void **state)
{
    dk_fixture_t *f = *state;
    Legalaid__Lawyer *most = dk_lawyer(f->pool, "L-500", "正大律师事务所");
    most->has_capacity = 1;
    most->capacity = 500;
    Legalaid__Lawyer *over = dk_lawyer(f->pool, "L-501", "正大律师事务所");
    over->has_capacity = 1;
    over->capacity = 501;
    Legalaid__Lawyer *none = dk_lawyer(f->pool, "L-0", "正大律师事务所");
    none->has_capacity = 1;
    none->capacity = 0;
    Legalaid__Reply *r = dk_import_from(f->td.d, f->pool, 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 1);
    assert_int_equal(r->import_result->n_rejected, 2);
    assert_string_equal(r->import_result->rejected[0]->field, "lawyers[1].capacity");
    assert_string_equal(r->import_result->rejected[1]->field, "lawyers[2].capacity");
    legalaid__reply__free_unpacked(r, NULL);
}

static void capital_case(dk_fixture_t *f, const char *case_id, Legalaid__MandatoryGround ground)
{
    dk_case_t c;
    dk_case_init(&c, case_id, LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    c.facts.has_ground = 1;
    c.facts.ground = ground;
    dk_feed(f->td.d, &f->seq, &c.d);
}

/* Art. 26: three years of criminal defence, for a life-or-death case and
 * for a death-penalty review alike. */
static void test_capital_years_edge(void **state)
{
    dk_fixture_t *f = *state;
    dk_lawyer(f->pool, "L-A-SHORT", "甲律师事务所")->criminal_defence_since = "2023-03-03";
    dk_lawyer(f->pool, "L-B-THREE", "乙律师事务所")->criminal_defence_since = "2023-03-02";
    dk_import_ok(f->td.d, f->pool);
    capital_case(f, "K-1", LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH);
    assert_string_equal(offered_to(f, "K-1"), "L-B-THREE");
    capital_case(f, "K-2", LEGALAID__MANDATORY_GROUND__DEATH_REVIEW);
    assert_string_equal(offered_to(f, "K-2"), "L-B-THREE");
    Legalaid__Reply *r = dk_get(f->td.d, "K-2");
    Legalaid__MatchExplanation *x = r->assignment->offer->explanation;
    assert_int_equal(x->n_filtered, 1);
    assert_non_null(strstr(matchrule_count_text(x->filtered[0]), "art. 26"));
    assert_int_equal(x->filtered[0]->excluded, 1);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Lawyers Law art. 41: a former judge defends two years after leaving
 * office, to the day; a day sooner he is filtered out. */
static void test_judicial_cooling_edge(void **state)
{
    dk_fixture_t *f = *state;
    dk_lawyer(f->pool, "L-A-RECENT", "甲律师事务所")->left_judicial_office = "2024-03-03";
    dk_lawyer(f->pool, "L-B-COOLED", "乙律师事务所")->left_judicial_office = "2024-03-02";
    dk_import_ok(f->td.d, f->pool);
    dk_case_t c;
    dk_case_init(&c, "J-1", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    dk_case_notified(&c, "包头市昆都仑区人民法院", "(2026)内0203刑初21号");
    dk_feed(f->td.d, &f->seq, &c.d);
    assert_string_equal(offered_to(f, "J-1"), "L-B-COOLED");
}

/* Equally behind their fair share (no offers from the matcher yet), the
 * lawyer with fewer open cases goes first, whatever the order of the ids: a
 * case assigned by hand is outside the fair count but still a case in hand. */
static void test_tie_goes_to_fewer_open_cases(void **state)
{
    dk_fixture_t *f = *state;
    dk_lawyer(f->pool, "L-A", "甲律师事务所");
    dk_lawyer(f->pool, "L-B", "乙律师事务所");
    dk_lawyer(f->pool, "L-C", "丙律师事务所");
    dk_import_ok(f->td.d, f->pool);
    dk_case_t m;
    dk_case_init(&m, "M-1", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    dk_feed(f->td.d, &f->seq, &m.d);
    assert_string_equal(offered_to(f, "M-1"), "L-A");
    Legalaid__Reply *r = dk_assign_manually(f->td.d, "M-1", "L-B");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    /* L-A was offered one; L-B (one open case) and L-C (none) tie. */
    dk_case_t c;
    dk_case_init(&c, "C-1", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    dk_feed(f->td.d, &f->seq, &c.d);
    assert_string_equal(offered_to(f, "C-1"), "L-C");
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_practice_years_edge, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_capacity_edge, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_capital_years_edge, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_judicial_cooling_edge, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_tie_goes_to_fewer_open_cases, dk_setup,
                                        dk_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
