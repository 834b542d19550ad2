/*
 * test-ctl-csv.c - the CSV records `legalaidctl import lawyers` reads: fields
 * split at commas, quoted fields holding commas and doubled quotes, blanks
 * trimmed outside quotes, empty fields kept in place, an unclosed quote or
 * text after a closing quote refused with a reason, too many fields
 * counted; list cells split at ';' with empty items dropped.
 */
#include <string.h>

#include "testutil.h"

#include "../../tools/ctl/ctl_csv.c"

static void test_split(void **state)
{
    (void)state;
    char *f[8];
    const char *why = NULL;
    char line[] = "L001, 张伟 ,\"内蒙古 正大律师事务所, 包头分所\",,\"say \"\"hi\"\"\"";
    assert_int_equal(ctl_csv_split(line, f, 8, &why), 5);
    assert_string_equal(f[0], "L001");
    assert_string_equal(f[1], "张伟");
    assert_string_equal(f[2], "内蒙古 正大律师事务所, 包头分所");
    assert_string_equal(f[3], "");
    assert_string_equal(f[4], "say \"hi\"");

    char trailing[] = "a,b,";
    assert_int_equal(ctl_csv_split(trailing, f, 8, &why), 3);
    assert_string_equal(f[2], "");

    char many[] = "1,2,3,4";
    assert_int_equal(ctl_csv_split(many, f, 2, &why), 4);
    assert_string_equal(f[1], "2");

    char open[] = "a,\"b,c";
    assert_int_equal(ctl_csv_split(open, f, 8, &why), -1);
    assert_non_null(strstr(why, "not closed"));
    char after[] = "a,\"b\"c,d";
    assert_int_equal(ctl_csv_split(after, f, 8, &why), -1);
    assert_non_null(strstr(why, "follows the closing quote"));
}

static void test_list(void **state)
{
    (void)state;
    char *items[4];
    char cell[] = " civil; labour_arbitration ;;criminal_defence; ";
    assert_int_equal(ctl_csv_list(cell, items, 4), 3);
    assert_string_equal(items[0], "civil");
    assert_string_equal(items[1], "labour_arbitration");
    assert_string_equal(items[2], "criminal_defence");
    char empty[] = " ; ";
    assert_int_equal(ctl_csv_list(empty, items, 4), 0);
    char five[] = "a;b;c;d;e";
    assert_int_equal(ctl_csv_list(five, items, 4), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
