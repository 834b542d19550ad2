/*
 * test-ctl-outcomes.c - a file sent to two daemons (`legalaidctl import
 * calendar`: eligibility and dispatch each keep the holidays): a line is
 * accepted only when both took it; the second daemon's refusal is told
 * with its name; a line the first never answered but the second refused is
 * still reported; the counts follow.
 */
#include <string.h>

#include "ctl.h"
#include "testutil.h"

static const ctl_outcome_t *line_of(const ctl_outcomes_t *o, size_t line)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->items[i].line == line) return &o->items[i];
    fail_msg("line %zu not reported", line);
    return NULL;
}

static void test_merge(void **state)
{
    (void)state;
    ctl_outcomes_t first = {0}, second = {0};
    ctl_outcomes_add(&first, 1, 1, NULL, NULL);
    ctl_outcomes_add(&first, 2, 1, NULL, NULL);
    ctl_outcomes_add(&first, 3, 0, "date", "the date 2026-13-01 is not a day");
    ctl_outcomes_add(&second, 1, 1, NULL, NULL);
    ctl_outcomes_add(&second, 2, 0, NULL, "not imported: no answer");
    ctl_outcomes_add(&second, 3, 0, "date", "the date 2026-13-01 is not a day");
    ctl_outcomes_add(&second, 4, 0, "kind", "the kind is missing");
    ctl_outcomes_merge(&first, &second, "dispatch");

    assert_int_equal(first.accepted, 1);
    assert_int_equal(first.rejected, 3);
    assert_true(line_of(&first, 1)->accepted);
    const ctl_outcome_t *o = line_of(&first, 2);
    assert_false(o->accepted);
    assert_string_equal(o->detail, "dispatch: not imported: no answer");
    o = line_of(&first, 3); /* refused by the first: told once, as it said */
    assert_string_equal(o->detail, "the date 2026-13-01 is not a day");
    o = line_of(&first, 4);
    assert_false(o->accepted);
    assert_string_equal(o->field, "kind");
    assert_string_equal(o->detail, "dispatch: the kind is missing");
    ctl_outcomes_free(&first);
    ctl_outcomes_free(&second);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
