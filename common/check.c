/*
 * check.c - see check.h.
 */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "i18n.h"

int check_blank(const char *s)
{
    if (!s) return 1;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t') return 0;
    return 1;
}

const char *check_key_text(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0) return _("is required");
    if (n > max) return _("is too long");
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x21 || s[i] > 0x7e) return _("must be printable ASCII without spaces");
    return NULL;
}

static int check_digit(char c)
{
    return c >= '0' && c <= '9';
}

const char *check_phone(const char *phone)
{
    if (!phone || !phone[0]) return _("is required");
    size_t n = strlen(phone);
    if (n == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9') {
        for (size_t i = 0; i < n; i++)
            if (!check_digit(phone[i])) return _("must be digits only");
        return NULL;
    }
    if (phone[0] == '0') {
        size_t digits = 0;
        int dash = 0;
        for (size_t i = 0; i < n; i++) {
            if (phone[i] == '-' && !dash && (i == 3 || i == 4)) {
                dash = 1;
                continue;
            }
            if (!check_digit(phone[i])) return _("must be a mobile number or 0AREA-NUMBER");
            digits++;
        }
        if (digits >= 10 && digits <= 12) return NULL;
    }
    return _(
        "must be an 11-digit mobile number (1xx...) or a landline with area code (0472-1234567)");
}

int check_fail(const char **field, const char *name, char *msg, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    *field = name;
    return -1;
}

static int check_days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t check_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

const char *check_date(const char *s, int64_t *day)
{
    if (!s || !s[0]) return _("is required, as YYYY-MM-DD");
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return _("is not written YYYY-MM-DD");
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !check_digit(s[i])) return _("is not written YYYY-MM-DD");
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || y > 2200) return _("has a year outside 1900-2200");
    if (m < 1 || m > 12) return _("has no such month");
    if (d < 1 || d > check_days_in_month(y, m)) return _("has no such day in that month");
    if (day) *day = check_days_from_civil(y, m, d);
    return NULL;
}

const char *check_resident_id(const char *id, int64_t now_ms)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check_chars[] = "10X98765432";
    if (!id || !id[0]) return _("is required");
    if (strlen(id) != 18) return _("must be 18 characters (17 digits and a check digit or X)");
    for (int i = 0; i < 17; i++)
        if (!check_digit(id[i])) return _("must have digits in its first 17 places");
    int province = (id[0] - '0') * 10 + (id[1] - '0');
    if (province < 11 || province > 91)
        return _("has an unknown region code in its first two digits");
    int y = 0;
    for (int i = 6; i < 10; i++) y = y * 10 + (id[i] - '0');
    int m = (id[10] - '0') * 10 + (id[11] - '0');
    int dd = (id[12] - '0') * 10 + (id[13] - '0');
    if (y < 1900 || m < 1 || m > 12 || dd < 1 || dd > check_days_in_month(y, m))
        return _("has an impossible birth date in digits 7-14");
    struct tm tm;
    clock_local_tm(now_ms, &tm);
    long today = (tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100L + tm.tm_mday;
    if (y * 10000L + m * 100L + dd > today) return _("has a birth date in the future");
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (id[i] - '0') * weights[i];
    char got = id[17] == 'x' ? 'X' : id[17];
    if (got != check_chars[sum % 11]) return _("has a wrong check digit (mistyped?)");
    return NULL;
}
