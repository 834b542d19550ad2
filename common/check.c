/*
 * check.c - see check.h.
 */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"

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
    if (n == 0) return "is required";
    if (n > max) return "is too long";
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x21 || s[i] > 0x7e) return "must be printable ASCII without spaces";
    return NULL;
}

static int check_digit(char c)
{
    return c >= '0' && c <= '9';
}

const char *check_phone(const char *phone)
{
    if (!phone || !phone[0]) return "is required";
    size_t n = strlen(phone);
    if (n == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9') {
        for (size_t i = 0; i < n; i++)
            if (!check_digit(phone[i])) return "must be digits only";
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
            if (!check_digit(phone[i])) return "must be a mobile number or 0AREA-NUMBER";
            digits++;
        }
        if (digits >= 10 && digits <= 12) return NULL;
    }
    return "must be an 11-digit mobile number (1xx...) or a landline with area code (0472-1234567)";
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

const char *check_resident_id(const char *id, int64_t now_ms)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check_chars[] = "10X98765432";
    if (!id || !id[0]) return "is required";
    if (strlen(id) != 18) return "must be 18 characters (17 digits and a check digit or X)";
    for (int i = 0; i < 17; i++)
        if (!check_digit(id[i])) return "must have digits in its first 17 places";
    int province = (id[0] - '0') * 10 + (id[1] - '0');
    if (province < 11 || province > 91) return "has an unknown region code in its first two digits";
    int y = 0;
    for (int i = 6; i < 10; i++) y = y * 10 + (id[i] - '0');
    int m = (id[10] - '0') * 10 + (id[11] - '0');
    int dd = (id[12] - '0') * 10 + (id[13] - '0');
    if (y < 1900 || m < 1 || m > 12 || dd < 1 || dd > check_days_in_month(y, m))
        return "has an impossible birth date in digits 7-14";
    struct tm tm;
    clock_local_tm(now_ms, &tm);
    long today = (tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100L + tm.tm_mday;
    if (y * 10000L + m * 100L + dd > today) return "has a birth date in the future";
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (id[i] - '0') * weights[i];
    char got = id[17] == 'x' ? 'X' : id[17];
    if (got != check_chars[sum % 11]) return "has a wrong check digit (mistyped?)";
    return NULL;
}
