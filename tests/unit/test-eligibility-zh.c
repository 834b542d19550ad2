/*
 * test-eligibility-zh.c - what the daemons compose for people reads in
 * Chinese once the daemon chose zh_CN (issue 15, item 1): a decision's
 * reason and every test's explanation (a refusal on the means test, a
 * grant on the commitment letter, a notice of missing materials) hold
 * Chinese, no English word, and cite 《法律援助法》; intake's refusal of
 * a mistyped ID number says in Chinese what is wrong with which document,
 * while Reply.field keeps the API's English path
 * ("application.applicant.id_number"), as legalaidctl and the gateway show
 * it. The other unit tests run in English (LEGALAID_LANG=en); this one
 * sets Chinese itself and English again when it ends.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eligibility.h"
#include "eligibilitykit.h"
#include "i18n.h"
#include "intakekit.h"
#include "testutil.h"

/* Fails when text holds no Chinese character, or an English word: two or
 * more ASCII letters in a row, once the case number (which may hold
 * letters: BT-2026-000701) is taken out. */
static void assert_chinese(const char *what, const char *text, const char *case_id)
{
    if (!text || !text[0]) fail_msg("%s is empty", what);
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", text);
    size_t idlen = case_id ? strlen(case_id) : 0;
    for (char *p = idlen ? strstr(buf, case_id) : NULL; p; p = strstr(p, case_id))
        memset(p, '#', idlen);
    int chinese = 0;
    for (const unsigned char *p = (const unsigned char *)buf; *p; p++) {
        if (*p >= 0xe4 && *p <= 0xe9) chinese = 1; /* U+4E00..U+9FFF lead bytes */
        if (isalpha(p[0]) && p[0] < 0x80 && isalpha(p[1]) && p[1] < 0x80)
            fail_msg("%s holds an English word at \"%.20s\": %s", what, (const char *)p, text);
    }
    if (!chinese) fail_msg("%s holds no Chinese: %s", what, text);
}

/* The reason and each test's detail in Chinese; the reason or a detail
 * cites the law by its Chinese name, and so does every detail that cites
 * an article (第N条). */
static void assert_decision_chinese(const Legalaid__Decision *d)
{
    assert_chinese("reason", d->reason, d->case_id);
    int cited = strstr(d->reason, "《法律援助法》") != NULL;
    assert_true(d->n_tests > 0);
    for (size_t i = 0; i < d->n_tests; i++) {
        char what[64];
        snprintf(what, sizeof what, "test \"%s\"", d->tests[i]->name);
        assert_chinese(what, d->tests[i]->detail, d->case_id);
        const char *detail = d->tests[i]->detail;
        if (strstr(detail, "第") && strstr(detail, "条") && !strstr(detail, "《法律援助法》"))
            fail_msg("%s cites an article without the law's name: %s", what, detail);
        if (strstr(detail, "《法律援助法》")) cited = 1;
    }
    if (!cited) fail_msg("case %s cites no 《法律援助法》: %s", d->case_id, d->reason);
}

static int zh_setup_ik(void **state)
{
    assert_int_equal(i18n_init("zh_CN"), 0);
    return ik_setup(state);
}

static int zh_teardown_ik(void **state)
{
    i18n_init("en");
    return ik_teardown(state);
}

/* A labour arbitration (art. 31(5)) with income standards configured and
 * the roll unavailable. */
static void labour(test_received_t *p, const char *case_id, const char *id17)
{
    test_received_init(p, case_id, id17);
    eligibility_config.income_standards = "2022-01-01:1000,2025-07-01:1170.00";
}

static const Legalaid__Decision *decided(ek_fixture_t *f, test_received_t *p, const char *case_id,
                                         Legalaid__Outcome outcome, Legalaid__Reply **r)
{
    ek_feed(f, p);
    assert_int_equal(ek_published_outcome(f), outcome);
    *r = ek_decision(f, case_id);
    return (*r)->decision;
}

/* Refused: the declared income is above the standard (art. 34). */
static void test_refusal_reads_chinese(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    labour(&p, "BT-2026-000701", "15020319800101011");
    p.app.has_household_income_fen = 1;
    p.app.household_income_fen = 250000;
    Legalaid__Reply *r;
    const Legalaid__Decision *d = decided(f, &p, "BT-2026-000701", LEGALAID__OUTCOME__REFUSED, &r);
    assert_decision_chinese(d);
    assert_non_null(strstr(d->reason, "不予法律援助"));
    assert_non_null(strstr(d->reason, "2500.00元"));
    assert_non_null(strstr(ek_find_test(d, "means")->detail, "《法律援助法》第34条"));
    /* The articles stay the codes notify and the gateway read. */
    assert_true(test_cites(d, "Legal Aid Law art. 34"));
    legalaid__reply__free_unpacked(r, NULL);
}

/* Granted on the commitment letter (art. 41), to be verified later. */
static void test_commitment_grant_reads_chinese(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    labour(&p, "BT-2026-000702", "15020319800101022");
    ek_commit_letter(&p);
    Legalaid__Reply *r;
    const Legalaid__Decision *d =
        decided(f, &p, "BT-2026-000702", LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION, &r);
    assert_decision_chinese(d);
    assert_non_null(strstr(d->reason, "告知承诺书"));
    assert_non_null(strstr(ek_find_test(d, "means")->detail, "《法律援助法》第41条"));
    assert_non_null(strstr(ek_find_test(d, "scope")->detail, "《法律援助法》第31条第5项"));
    legalaid__reply__free_unpacked(r, NULL);
}

/* Nothing settles the means: the applicant is told once of everything
 * missing (art. 43(2)). */
static void test_materials_notice_reads_chinese(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    labour(&p, "BT-2026-000703", "15020319800101033");
    Legalaid__Reply *r;
    const Legalaid__Decision *d =
        decided(f, &p, "BT-2026-000703", LEGALAID__OUTCOME__NEEDS_MATERIALS, &r);
    assert_decision_chinese(d);
    assert_non_null(strstr(d->reason, "一次性告知"));
    assert_non_null(strstr(ek_find_test(d, "deadline")->detail, "《法律援助法》第43条第2款"));
    assert_true(d->n_missing_materials > 0);
    assert_chinese("missing material", d->missing_materials[0], NULL);
    legalaid__reply__free_unpacked(r, NULL);
}

/* A mistyped check digit: refused in Chinese, naming the document; the
 * field is the API's path, in English like every field name. */
static void test_intake_refusal_reads_chinese(void **state)
{
    ik_fixture_t *f = *state;
    test_submit_t p;
    ik_civil_init(&p);
    char badid[19];
    memcpy(badid, p.id_number, 19);
    badid[17] = p.id_number[17] == '0' ? '1' : '0';
    p.person.id_number = badid;
    Legalaid__Reply *r = test_call_new(f->td.d, &p.req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "application.applicant.id_number");
    assert_chinese("intake's refusal", r->error, NULL);
    assert_non_null(strstr(r->error, "居民身份证号码"));
    assert_non_null(strstr(r->error, "校验码"));
    legalaid__reply__free_unpacked(r, NULL);
}

/* A Chinese refusal too long for its buffer is cut at a whole character:
 * a reply stays valid UTF-8 for the gateway's JSON. */
static void test_cut_keeps_whole_characters(void **state)
{
    (void)state;
    char msg[16];
    memcpy(msg, "法律援助", 7); /* 法律 and one byte of 援, as snprintf into 8 leaves it */
    msg[7] = '\0';
    i18n_cut(msg);
    assert_string_equal(msg, "法律");
    memcpy(msg, "ab法律", 9);
    i18n_cut(msg);
    assert_string_equal(msg, "ab法律");
    memcpy(msg, "ab法律", 7); /* one byte short of 律 */
    msg[7] = '\0';
    i18n_cut(msg);
    assert_string_equal(msg, "ab法");
    char empty[1] = "";
    i18n_cut(empty);
    assert_string_equal(empty, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refusal_reads_chinese, ek_setup_zh, ek_teardown_zh),
        cmocka_unit_test_setup_teardown(test_commitment_grant_reads_chinese, ek_setup_zh,
                                        ek_teardown_zh),
        cmocka_unit_test_setup_teardown(test_materials_notice_reads_chinese, ek_setup_zh,
                                        ek_teardown_zh),
        cmocka_unit_test_setup_teardown(test_intake_refusal_reads_chinese, zh_setup_ik,
                                        zh_teardown_ik),
        cmocka_unit_test(test_cut_keeps_whole_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
