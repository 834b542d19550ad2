/*
 * test-regulation.c - a citation worded in one place (common/regulation.c):
 * 《法律援助法》第N条 in Chinese, the stable English form in English, the
 * paragraph (款) and item (项) of an article, a run of articles of one
 * statute named once, the names older records used, and text that is not
 * a citation kept as written.
 */
#include <string.h>

#include "i18n.h"
#include "regulation.h"
#include "testutil.h"

static void test_cite_in_the_readers_language(void **state)
{
    (void)state;
    i18n_init("zh_CN");
    assert_string_equal(regulation_cite(REG_LEGAL_AID_LAW, "41"), "《法律援助法》第41条");
    /* 款 and 项, and a list: test-notify-sms-zh reads them through notify. */
    assert_string_equal(regulation_cite(REG_LEGAL_AID_LAW, "25(1)(1), 31(4)"),
                        "《法律援助法》第25条第1款第1项、第31条第4项");
    assert_string_equal(regulation_cite(REG_CPL, "34"), "《刑事诉讼法》第34条");
    assert_string_equal(regulation_cite(REG_LEGAL_AID_PROCEDURE, "27"),
                        "《法律援助法实施程序规定》第27条");
    i18n_init("en");
    assert_string_equal(regulation_cite(REG_LEGAL_AID_LAW, "43(2)"), "Legal Aid Law art. 43(2)");
    assert_string_equal(regulation_cite(REG_CPL, "34"), "Criminal Procedure Law art. 34");
    /* An SMS is Chinese whatever the reader's language. */
    assert_string_equal(regulation_cite_in(REG_LEGAL_AID_LAW, "50", 1), "《法律援助法》第50条");
}

static void test_render_stored_and_older_forms(void **state)
{
    (void)state;
    i18n_init("zh_CN");
    assert_string_equal(regulation_render("Legal Aid Law art. 48(7)"), "《法律援助法》第48条第7项");
    assert_string_equal(regulation_render("法律援助法实施程序规定 art. 27"),
                        "《法律援助法实施程序规定》第27条");
    assert_string_equal(regulation_render("CPL interpretation art. 41"), "《刑诉法解释》第41条");
    /* Not a citation, or one with words after it: as written. */
    assert_string_equal(regulation_render("指派之日起五日内"), "指派之日起五日内");
    assert_string_equal(regulation_render("Legal Aid Law art. 43 or later"),
                        "Legal Aid Law art. 43 or later");
    assert_string_equal(regulation_render("Unknown Act art. 3"), "Unknown Act art. 3");
    i18n_init("en");
    assert_string_equal(regulation_render("法律援助法实施程序规定 art. 27"),
                        "Legal Aid Procedure Provisions art. 27");
    assert_string_equal(regulation_render("Legal Aid Law art. 41"), "Legal Aid Law art. 41");
}

static void test_a_list_names_each_statute_once_per_run(void **state)
{
    (void)state;
    char *arts[] = {"Legal Aid Law art. 41", "Legal Aid Law art. 43(2)", "CPL art. 35",
                    "Legal Aid Law art. 36"};
    i18n_init("zh_CN");
    assert_string_equal(regulation_render_list(arts, 4),
                        "《法律援助法》第41条、第43条第2款、《刑事诉讼法》第35条、《法律援助法》第36条");
    i18n_init("en");
    assert_string_equal(regulation_render_list(arts, 4),
                        "Legal Aid Law art. 41, art. 43(2), Criminal Procedure Law art. 35, "
                        "Legal Aid Law art. 36");
    assert_string_equal(regulation_render_list(NULL, 0), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cite_in_the_readers_language),
        cmocka_unit_test(test_render_stored_and_older_forms),
        cmocka_unit_test(test_a_list_names_each_statute_once_per_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
