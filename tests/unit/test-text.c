/*
 * test-text.c - formatted text into a growing buffer (buf_printf) and into
 * an arena (arena_printf): short texts, texts longer than the first guess,
 * Chinese (multi-byte) text, and empty text, each whole and terminated.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "testutil.h"

static void test_buf_printf_appends_whole_text(void **state)
{
    (void)state;
    buf_t b = {0};
    buf_printf(&b, "第%d条", 43);
    buf_printf(&b, "%s", "");
    char long_text[1000];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    buf_printf(&b, "[%s]", long_text);
    assert_int_equal(b.len, strlen("第43条") + 1001);
    assert_int_equal(b.data[b.len], '\0');
    assert_memory_equal(b.data, "第43条[x", strlen("第43条[x"));
    assert_int_equal(b.data[b.len - 1], ']');
    buf_free(&b);
}

static void test_arena_printf_short_and_long(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a);
    assert_string_equal(arena_printf(&a, "%d年%d月%d日", 2026, 10, 8), "2026年10月8日");
    assert_string_equal(arena_printf(&a, "%s", ""), "");
    char long_text[600];
    memset(long_text, 'y', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    char *s = arena_printf(&a, "%s-%s", long_text, long_text);
    assert_int_equal(strlen(s), 2 * 599 + 1);
    assert_int_equal(s[599], '-');
    assert_int_equal(s[2 * 599], 'y');
    arena_destroy(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_printf_appends_whole_text),
        cmocka_unit_test(test_arena_printf_short_and_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
