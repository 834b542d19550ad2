/*
 * calendar.c - the check of one holiday-calendar entry and the text of a
 * day number (see calendar.h). The date itself is checked by check_date.
 */
#include "calendar.h"

#include <string.h>

#include "check.h"
#include "i18n.h"

/* The year of a date whose digits and dashes are in place, or -1. */
static int calendar_year(const char *date)
{
    if (strlen(date) != CALENDAR_DATE_LEN || date[4] != '-' || date[7] != '-') return -1;
    for (int i = 0; i < CALENDAR_DATE_LEN; i++)
        if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9')) return -1;
    return (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
}

const char *calendar_date_problem(const char *date, const calendar_years_t *years, int64_t *day)
{
    if (!date || !date[0]) return _("the date is required, as YYYY-MM-DD");
    int y = calendar_year(date);
    if (y < 0) return _("the date is not written YYYY-MM-DD");
    if (y < years->year_min || y > years->year_max) return years->year_why;
    int64_t n;
    if (check_date(date, &n)) {
        int m = (date[5] - '0') * 10 + (date[6] - '0');
        return m < 1 || m > 12 ? "there is no such month" : "there is no such day in that month";
    }
    if (day) *day = n;
    return NULL;
}

int calendar_day_check(const Legalaid__CalendarDay *cd, const calendar_years_t *years, int64_t *day,
                       const char **field, const char **msg)
{
    *field = "date";
    if (!cd) {
        *msg = _("the entry is empty");
        return -1;
    }
    if ((*msg = calendar_date_problem(cd->date, years, day))) return -1;
    if (!cd->has_kind ||
        (cd->kind != LEGALAID__DAY_KIND__HOLIDAY && cd->kind != LEGALAID__DAY_KIND__WORKDAY)) {
        *field = "kind";
        *msg = _("the kind is required: holiday (a statutory rest day) or workday (a make-up "
                 "working day)");
        return -1;
    }
    if (cd->name && strlen(cd->name) > 200) {
        *field = "name";
        *msg = _("the name is longer than 200 bytes");
        return -1;
    }
    return 0;
}

void calendar_day_ymd(int64_t day, int *year, int *month, int *mday)
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    *year = (int)y;
    *month = (int)m;
    *mday = (int)d;
}

void calendar_day_text(int64_t day, char out[CALENDAR_DATE_LEN + 1])
{
    int y, m, d;
    calendar_day_ymd(day, &y, &m, &d);
    int yy = ((y % 10000) + 10000) % 10000;
    out[0] = (char)('0' + yy / 1000);
    out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10);
    out[3] = (char)('0' + yy % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}
