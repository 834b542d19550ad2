/*
 * test-matchrule.c - why dispatch chose a lawyer or nobody, stored as codes
 * and figures and worded in the reader's language (common/matchrule.c):
 * Chinese by default, English on request; a record written before the codes
 * (English sentences) still reads as it was stored.
 */
#include <string.h>

#include "i18n.h"
#include "matchrule.h"
#include "testutil.h"

static Legalaid__RuleCount capacity = {
    PROTOBUF_C_MESSAGE_INIT(&legalaid__rule_count__descriptor), .excluded = 2, .has_excluded = 1,
    .rule_code = LEGALAID__MATCH_RULE__MATCH_RULE_CAPACITY, .has_rule_code = 1};
static Legalaid__RuleCount minor = {
    PROTOBUF_C_MESSAGE_INIT(&legalaid__rule_count__descriptor), .excluded = 1, .has_excluded = 1,
    .rule_code = LEGALAID__MATCH_RULE__MATCH_RULE_MINOR, .has_rule_code = 1};

static void nobody(Legalaid__MatchExplanation *x, Legalaid__RuleCount **v)
{
    legalaid__match_explanation__init(x);
    x->pool = 3;
    x->has_pool = 1;
    v[0] = &capacity;
    v[1] = &minor;
    x->filtered = v;
    x->n_filtered = 2;
}

static void test_nobody_in_either_language(void **state)
{
    (void)state;
    Legalaid__MatchExplanation x;
    Legalaid__RuleCount *v[2];
    nobody(&x, v);
    Legalaid__Assignment a = LEGALAID__ASSIGNMENT__INIT;
    a.match = &x;
    char out[MATCHRULE_TEXT_MAX];
    i18n_init("zh_CN");
    assert_string_equal(
        matchrule_assignment_reason(&a, out),
        "律师库中的 3 名法律援助人员均不能承办本案：在办案件已满：排除 2 名；"
        "未成年人案件须由熟悉未成年人身心特点的律师承担（《未成年人保护法》第104条）："
        "排除 1 名");
    i18n_init("en");
    assert_string_equal(matchrule_assignment_reason(&a, out),
                        "no provider of the 3 in the pool may take this case: at capacity: 2 "
                        "excluded; a minor: a juvenile-qualified lawyer (Minors Protection Law "
                        "art. 104): 1 excluded");
    assert_string_equal(matchrule_code(LEGALAID__MATCH_RULE__MATCH_RULE_CAPACITY), "capacity");
}

static void test_the_chosen_one_in_either_language(void **state)
{
    (void)state;
    Legalaid__MatchChoice c = {PROTOBUF_C_MESSAGE_INIT(&legalaid__match_choice__descriptor),
                               .specialty = LEGALAID__FIT__FIT_MATCHES,
                               .language = LEGALAID__FIT__FIT_NOT_NEEDED,
                               .county = LEGALAID__FIT__FIT_NO_MATCH,
                               .offers = 2,
                               .ideal_micro = 2500000,
                               .firm = "甲律师事务所",
                               .open_cases = 4,
                               .capacity = 10};
    Legalaid__MatchExplanation x = {
        PROTOBUF_C_MESSAGE_INIT(&legalaid__match_explanation__descriptor),
        .pool = 5,
        .examined = 4,
        .candidates = 3,
        .best_tier = 2,
        .choice = &c};
    char out[MATCHRULE_TEXT_MAX];
    i18n_init("zh_CN");
    assert_string_equal(
        matchrule_why(&x, out),
        "律师库 5 名中审查最合适的 4 名，3 名同样合适且可以承办（专业 符合，语言 无需，"
        "旗县区 不符合）；按距公平份额最远选定：已获指派邀请 2.00 次，应得 2.50 次，"
        "律师事务所 甲律师事务所；在办案件 4 件，上限 10 件");
    i18n_init("en");
    assert_non_null(strstr(matchrule_why(&x, out),
                           "3 equally suitable may take it, of the 4 examined in the pool of 5 "
                           "(specialty matches, language not needed, county does not match)"));
}

static void test_an_older_record_reads_as_stored(void **state)
{
    (void)state;
    Legalaid__RuleCount old_rule = LEGALAID__RULE_COUNT__INIT;
    old_rule.rule = "at capacity";
    old_rule.excluded = 1;
    Legalaid__RuleCount *v[] = {&old_rule};
    Legalaid__MatchExplanation x = LEGALAID__MATCH_EXPLANATION__INIT;
    x.why = "1 equally suitable may take it, of the 1 examined in the pool of 1";
    x.filtered = v;
    x.n_filtered = 1;
    Legalaid__Assignment a = LEGALAID__ASSIGNMENT__INIT;
    a.reason = "no provider of the 2 in the pool may take this case: 2 at capacity";
    char out[MATCHRULE_TEXT_MAX];
    i18n_init("zh_CN");
    assert_string_equal(matchrule_why(&x, out), x.why);
    assert_string_equal(matchrule_count_text(&old_rule), "at capacity");
    assert_string_equal(matchrule_assignment_reason(&a, out), a.reason);
    a.reason = NULL;
    assert_string_equal(matchrule_assignment_reason(&a, out), "");
}

static void test_same_reasons_are_the_same(void **state)
{
    (void)state;
    Legalaid__MatchExplanation x, y;
    Legalaid__RuleCount *vx[2], *vy[2];
    nobody(&x, vx);
    nobody(&y, vy);
    assert_true(matchrule_same(&x, &y));
    y.n_filtered = 1;
    assert_false(matchrule_same(&x, &y));
    assert_false(matchrule_same(NULL, &y));
    assert_true(matchrule_same(NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nobody_in_either_language),
        cmocka_unit_test(test_the_chosen_one_in_either_language),
        cmocka_unit_test(test_an_older_record_reads_as_stored),
        cmocka_unit_test(test_same_reasons_are_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
