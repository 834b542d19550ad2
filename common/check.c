/*
 * check.c - see check.h.
 */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
