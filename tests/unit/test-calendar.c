/*
 * test-calendar.c - the shared check of a holiday-calendar entry
 * (common/calendar.h): which field is wrong and why, the service's own
 * years, and the day text that keys a calendar table.
 */
#include <string.h>

#include "calendar.h"
#include "testutil.h"

static const calendar_years_t years = {2000, 2200, "the year is outside 2000-2200"};

static const char *check(const char *date, int has_kind, Legalaid__DayKind kind, const char *name,
                         const char **field)
{
    Legalaid__CalendarDay cd = LEGALAID__CALENDAR_DAY__INIT;
    cd.date = (char *)date;
    cd.has_kind = has_kind;
    cd.kind = kind;
    cd.name = (char *)name;
    const char *msg = NULL;
    int64_t day = -1;
    if (calendar_day_check(&cd, &years, &day, field, &msg) == 0) return NULL;
    return msg;
}

static void test_calendar_day_fields(void **state)
{
    (void)state;
    const char *field;
    assert_null(check("2026-10-01", 1, LEGALAID__DAY_KIND__HOLIDAY, "国庆节", &field));
    assert_string_equal(check("2026-02-30", 1, LEGALAID__DAY_KIND__HOLIDAY, NULL, &field),
                        "there is no such day in that month");
    assert_string_equal(field, "date");
    assert_string_equal(check("2026-13-01", 1, LEGALAID__DAY_KIND__HOLIDAY, NULL, &field),
                        "there is no such month");
    assert_string_equal(check("1999-12-31", 1, LEGALAID__DAY_KIND__HOLIDAY, NULL, &field),
                        "the year is outside 2000-2200");
    assert_string_equal(check("2026/10/01", 1, LEGALAID__DAY_KIND__HOLIDAY, NULL, &field),
                        "the date is not written YYYY-MM-DD");
    assert_string_equal(check("", 1, LEGALAID__DAY_KIND__HOLIDAY, NULL, &field),
                        "the date is required, as YYYY-MM-DD");
    assert_non_null(check("2026-10-01", 0, LEGALAID__DAY_KIND__HOLIDAY, NULL, &field));
    assert_string_equal(field, "kind");
    char longname[202];
    memset(longname, 'x', 201);
    longname[201] = 0;
    assert_non_null(check("2026-10-01", 1, LEGALAID__DAY_KIND__WORKDAY, longname, &field));
    assert_string_equal(field, "name");
}

static void test_calendar_day_number_and_text(void **state)
{
    (void)state;
    int64_t day = 0;
    assert_null(calendar_date_problem("2028-02-29", &years, &day));
    char text[CALENDAR_DATE_LEN + 1];
    calendar_day_text(day, text);
    assert_string_equal(text, "2028-02-29");
    calendar_day_text(0, text);
    assert_string_equal(text, "1970-01-01");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar_day_fields),
        cmocka_unit_test(test_calendar_day_number_and_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
