/*
 * test-config.c - typed INI keys: defaults, ranges, unknown keys and
 * missing required keys are errors naming file, line and key; so is a key
 * given twice.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "testutil.h"

typedef struct conf {
    char *endpoint;
    long long batch;
    int sync;
} conf_t;

static const cfg_key_t keys[] = {
    {"endpoint", CFG_STRING, NULL, 0, 0, offsetof(conf_t, endpoint), "required"},
    {"batch", CFG_INT, "64", 1, 1000, offsetof(conf_t, batch), "range"},
    {"sync", CFG_BOOL, "true", 0, 0, offsetof(conf_t, sync), "bool"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

static char path[512];

static int load(const char *text, conf_t *c, char *err)
{
    snprintf(path, sizeof path, "%s/test.ini", test_tmpdir());
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    memset(c, 0, sizeof *c);
    cfg_table_t t = {keys, c};
    return config_load(path, "intake", &t, 1, err, 512);
}

static void release(conf_t *c)
{
    cfg_table_t t = {keys, c};
    config_free(&t, 1);
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = 0;
    test_rmdir(dir);
}

static void test_defaults_and_values(void **state)
{
    (void)state;
    conf_t c;
    char err[512] = "";
    assert_int_equal(
        load("[other]\nwhatever = 1\n[intake]\nendpoint = ipc:///x\nsync = no\n", &c, err), 0);
    assert_string_equal(c.endpoint, "ipc:///x");
    assert_int_equal(c.batch, 64);
    assert_int_equal(c.sync, 0);
    release(&c);
}

static void test_errors_name_line_and_key(void **state)
{
    (void)state;
    conf_t c;
    char err[512];
    assert_int_equal(load("[intake]\nendpoint = x\nbatchh = 5\n", &c, err), -1);
    assert_non_null(strstr(err, ":3: [intake] unknown key 'batchh'"));
    release(&c);
    assert_int_equal(load("[intake]\nendpoint = x\nbatch = 5000\n", &c, err), -1);
    assert_non_null(strstr(err, ":3: [intake] batch: 5000 is outside 1..1000"));
    release(&c);
    assert_int_equal(load("[intake]\nendpoint = x\nbatch = many\n", &c, err), -1);
    assert_non_null(strstr(err, "'many' is not a whole number"));
    release(&c);
    assert_int_equal(load("[intake]\nbatch = 5\n", &c, err), -1);
    assert_non_null(strstr(err, "[intake] endpoint is required"));
    release(&c);
    assert_int_equal(load("[intake]\nendpoint = x\nsync = perhaps\n", &c, err), -1);
    assert_non_null(strstr(err, "'perhaps' is not true or false"));
    release(&c);
}

/* Issue 18, item 7: a key given twice in a section is an error naming the
 * second line and the first, in the section loaded and in one only checked
 * (a daemon's -t); the same key in two sections is no repeat. */
static void test_key_given_twice(void **state)
{
    (void)state;
    conf_t c;
    char err[512];
    assert_int_equal(load("[intake]\nendpoint = a\nbatch = 5\n\nbatch = 6\n", &c, err), -1);
    assert_non_null(strstr(err, "test.ini:5: [intake] batch given twice (first on line 3)"));
    release(&c);
    assert_int_equal(load("[intake]\nendpoint = a\n[other]\nx = 1\n[intake]\nendpoint = b\n", &c, err),
                     -1);
    assert_non_null(strstr(err, ":6: [intake] endpoint given twice (first on line 2)"));
    release(&c);
    assert_int_equal(load("[intake]\nendpoint = a\n[dispatch]\nendpoint = b\n", &c, err), 0);
    release(&c);
    assert_int_equal(load("[intake]\nendpoint = a\n[dispatch]\nbatch = 1\nbatch = 2\n", &c, err), 0);
    const cfg_key_t *checked[] = {keys, NULL};
    assert_int_equal(config_check(path, "dispatch", checked, err, sizeof err), -1);
    assert_non_null(strstr(err, ":5: [dispatch] batch given twice (first on line 4)"));
    release(&c);
}

static void test_lookup_other_section(void **state)
{
    (void)state;
    conf_t c;
    char err[512], buf[64];
    assert_int_equal(load("[intake]\nendpoint = a\n[dispatch]\nendpoint = ipc:///d\n", &c, err), 0);
    assert_int_equal(config_lookup(path, "dispatch", "endpoint", buf, sizeof buf), 0);
    assert_string_equal(buf, "ipc:///d");
    assert_int_equal(config_lookup(path, "roster", "endpoint", buf, sizeof buf), -2);
    release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_values),
        cmocka_unit_test(test_errors_name_line_and_key),
        cmocka_unit_test(test_key_given_twice),
        cmocka_unit_test(test_lookup_other_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
