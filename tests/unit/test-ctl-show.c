/*
 * test-ctl-show.c - what legalaidctl's screens of a case show people, in
 * their language: the label column is as wide in Chinese as in English
 * (display width: a Chinese character takes two columns), a cell wider
 * than its column still ends with a space, a title sits right-aligned over
 * its figures; the states, outcomes, enum words and report titles are
 * Chinese under zh_CN and the stable English words under en.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "i18n.h"
#include "report.h"
#include "testutil.h"

/* What fn(arg) printed to stdout. */
typedef void (*print_fn)(const void *arg);
static char printed[4096];

static const char *capture(print_fn fn, const void *arg)
{
    fflush(stdout);
    int saved = dup(1);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    dup2(fileno(tmp), 1);
    fn(arg);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    rewind(tmp);
    size_t n = fread(printed, 1, sizeof printed - 1, tmp);
    printed[n] = 0;
    fclose(tmp);
    return printed;
}

static void print_row(const void *label)
{
    ctl_fmt_row(label);
    printf("|\n");
}

static void print_cell(const void *text)
{
    ctl_fmt_cell(text, 6);
    printf("|");
}

static void print_rpad(const void *text)
{
    ctl_fmt_rpad(text, 10);
    printf("|");
}

static void print_assignment(const void *as)
{
    ctl_t ctl = {0};
    ctl.utc_offset_min = 480;
    ctl_dispatch_show_assignment(&ctl, as);
}

static void test_label_column_by_display_width(void **state)
{
    (void)state;
    i18n_init("en"); /* widths need the UTF-8 character type i18n_init sets */
    /* 审查决定: 4 characters, 8 columns, then 6 spaces to 14. */
    assert_string_equal(capture(print_row, "审查决定"), "  审查决定      |\n");
    assert_string_equal(capture(print_row, "decision"), "  decision      |\n");
    assert_string_equal(capture(print_row, ""), "                |\n");
}

static void test_cell_never_runs_into_the_next(void **state)
{
    (void)state;
    assert_string_equal(capture(print_cell, "民事"), "民事  |");
    assert_string_equal(capture(print_cell, "待人工指派"), "待人工指派 |"); /* 10 columns of 6 */
    assert_string_equal(capture(print_cell, "civil"), "civil |");
    assert_string_equal(capture(print_cell, "signed"), "signed |");
}

static void test_title_right_aligned(void **state)
{
    (void)state;
    assert_string_equal(capture(print_rpad, "已确认"), "    已确认|");
    assert_string_equal(capture(print_rpad, "acked"), "     acked|");
}

/* The labels of a state, a decline, a termination (art. 48(7)), a grade,
 * an outcome, an objection's state, a channel, the shift post A (a code in
 * every language), a report's column and a value that has no title. */
static void check_labels(const char *lang, const char *const want[10])
{
    char e[PBJSON_ENUM_MAX], e2[PBJSON_ENUM_MAX];
    assert_int_equal(i18n_init(lang), 0);
    const char *got[10] = {
        ctl_dispatch_show_state_name(LEGALAID__ASSIGNMENT_STATE__QUEUED),
        ctl_dispatch_show_decline_name(LEGALAID__DECLINE_CODE__DECLINE_CONFLICT),
        ctl_dispatch_show_termination_name(7),
        ctl_dispatch_show_grade_name(LEGALAID__GRADE__GOOD),
        ctl_show_outcome_name(LEGALAID__OUTCOME__REFUSED),
        ctl_show_objection_state_name(LEGALAID__OBJECTION_STATE__UPHELD),
        ctl_fmt_enum(&legalaid__channel__descriptor, LEGALAID__CHANNEL__WINDOW, e),
        ctl_fmt_enum(&legalaid__shift_role__descriptor, 1, e2),
        report_title("aided_cases"),
        report_title("BT-CENTRE"),
    };
    for (int i = 0; i < 10; i++) assert_string_equal(got[i], want[i]);
}

/* English first: the tests that read Chinese come after every one that
 * reads English (gettext, once it has read the Chinese catalogue in a
 * process, is not asked to go back). */
static void test_labels_in_english(void **state)
{
    (void)state;
    static const char *const want[10] = {
        "waiting", "conflict", "recipient-request", "good (良好)", "REFUSED",
        "UPHELD",  "window",   "A",                 "aided cases", "BT-CENTRE"};
    check_labels("en", want);
}

static void test_labels_in_chinese(void **state)
{
    (void)state;
    static const char *const want[10] = {
        "待指派",   "利益冲突", "受援人要求终止", "良好",     "不予法律援助",
        "维持原决定", "窗口",     "A",              "援助案件", "BT-CENTRE"};
    check_labels("zh_CN", want);
}

/* An assigned case's dispatch rows, in the language i18n_init chose. */
static const char *assignment_rows(void)
{
    static Legalaid__Assignment as = LEGALAID__ASSIGNMENT__INIT;
    static Legalaid__Lawyer l = LEGALAID__LAWYER__INIT;
    l.id = "BT-L0001";
    l.name = "包朝鲁";
    l.firm = "内蒙古北梁律师事务所";
    as.state = LEGALAID__ASSIGNMENT_STATE__ASSIGNED;
    as.lawyer = &l;
    return capture(print_assignment, &as);
}

static void test_assignment_rows_in_english(void **state)
{
    (void)state;
    i18n_init("en");
    const char *out = assignment_rows();
    assert_non_null(strstr(out, "  dispatch      assigned\n"));
    assert_non_null(strstr(out, "  lawyer        BT-L0001 包朝鲁 (内蒙古北梁律师事务所)\n"));
}

static void test_assignment_rows_align_in_chinese(void **state)
{
    (void)state;
    i18n_init("zh_CN");
    const char *out = assignment_rows();
    assert_non_null(strstr(out, "  指派          已指派\n"));
    assert_non_null(strstr(out, "  律师          BT-L0001 包朝鲁（内蒙古北梁律师事务所）\n"));
}

/* The yearly CSV's header row, for people; its items are the JSON's paths. */
static void check_year_csv(const char *lang, const char *want)
{
    json_t *year = json_pack("{ss}", "from", "2026-01-01");
    buf_t b = {0};
    i18n_init(lang);
    report_year_csv(year, &b);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    buf_free(&b);
    json_decref(year);
}

static void test_report_csv_header_in_english(void **state)
{
    (void)state;
    check_year_csv("en", "\xEF\xBB\xBFitem,value\r\nfrom,2026-01-01\r\n");
}

static void test_report_csv_header_in_chinese(void **state)
{
    (void)state;
    check_year_csv("zh_CN", "\xEF\xBB\xBF项目,数值\r\nfrom,2026-01-01\r\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_column_by_display_width),
        cmocka_unit_test(test_cell_never_runs_into_the_next),
        cmocka_unit_test(test_title_right_aligned),
        cmocka_unit_test(test_labels_in_english),
        cmocka_unit_test(test_assignment_rows_in_english),
        cmocka_unit_test(test_report_csv_header_in_english),
        cmocka_unit_test(test_labels_in_chinese),
        cmocka_unit_test(test_assignment_rows_align_in_chinese),
        cmocka_unit_test(test_report_csv_header_in_chinese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
