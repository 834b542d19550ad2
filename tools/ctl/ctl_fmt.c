/*
 * ctl_fmt.c - how legalaidctl reads and shows times, durations and
 * personal data: ISO 8601 in, "2026-03-02 10:00" and "3s" out, ID numbers
 * and phones masked (DESIGN.md, "Security": personal data is shown only as
 * much as staff need to recognise it).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "ctl.h"
#include "mask.h"

const char *ctl_fmt_str(const char *s)
{
    return s ? s : "";
}

void ctl_fmt_pad(const char *s, int cols)
{
    s = s ? s : "";
    int width = 0;
    /* Chinese characters (3-byte UTF-8 from U+2E80 on) take two columns on a terminal. */
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (*p < 0x80) {
            width++;
            p++;
        } else if ((*p & 0xE0) == 0xC0) {
            width++;
            p += p[1] ? 2 : 1;
        } else if ((*p & 0xF0) == 0xE0) {
            width += *p >= 0xE2 && !(*p == 0xE2 && p[1] < 0xBA) ? 2 : 1;
            p += p[1] && p[2] ? 3 : 1;
        } else {
            width += 2;
            p += p[1] && p[2] && p[3] ? 4 : 1;
        }
    }
    fputs(s, stdout);
    for (; width < cols; width++) putchar(' ');
}

static void ctl_local_tm(const ctl_t *ctl, int64_t ms, struct tm *tm)
{
    time_t t = (time_t)(ms / 1000 + (int64_t)ctl->utc_offset_min * 60);
    gmtime_r(&t, tm);
}

char *ctl_fmt_time(const ctl_t *ctl, int64_t ms, char buf[CTL_TIME_MAX])
{
    if (ms == 0) {
        snprintf(buf, CTL_TIME_MAX, "-");
        return buf;
    }
    struct tm tm;
    ctl_local_tm(ctl, ms, &tm);
    snprintf(buf, CTL_TIME_MAX, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min);
    return buf;
}

char *ctl_fmt_deadline(const ctl_t *ctl, int64_t ms, char buf[CTL_TIME_MAX])
{
    struct tm tm;
    ctl_local_tm(ctl, ms, &tm);
    if (ms == 0 || tm.tm_hour || tm.tm_min || ms % 60000) return ctl_fmt_time(ctl, ms, buf);
    ctl_local_tm(ctl, ms - 60000, &tm); /* midnight ends the day before: "2026-03-05 24:00" */
    snprintf(buf, CTL_TIME_MAX, "%04d-%02d-%02d 24:00", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday);
    return buf;
}

char *ctl_fmt_clock(const ctl_t *ctl, int64_t ms, char buf[CTL_TIME_MAX])
{
    struct tm tm;
    ctl_local_tm(ctl, ms, &tm);
    snprintf(buf, CTL_TIME_MAX, "%02d:%02d", tm.tm_hour, tm.tm_min);
    return buf;
}

char *ctl_fmt_age(int64_t ms, char buf[CTL_TIME_MAX])
{
    const char *sign = "";
    if (ms < 0) {
        sign = "-";
        ms = -ms;
    }
    int64_t s = ms / 1000;
    if (ms < 1000)
        snprintf(buf, CTL_TIME_MAX, "%s%lldms", sign, (long long)ms);
    else if (s < 60)
        snprintf(buf, CTL_TIME_MAX, "%s%llds", sign, (long long)s);
    else if (s < 3600)
        snprintf(buf, CTL_TIME_MAX, "%s%lldm%02llds", sign, (long long)(s / 60),
                 (long long)(s % 60));
    else if (s < 86400)
        snprintf(buf, CTL_TIME_MAX, "%s%lldh%02lldm", sign, (long long)(s / 3600),
                 (long long)(s % 3600 / 60));
    else
        snprintf(buf, CTL_TIME_MAX, "%s%lldd%02lldh", sign, (long long)(s / 86400),
                 (long long)(s % 86400 / 3600));
    return buf;
}

/* Reads exactly n digits at *p into *v. */
static int ctl_digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return -1;
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return 0;
}

int ctl_fmt_time_parse(const char *text, int utc_offset_min, int64_t *ms)
{
    const char *p = text;
    if (!p || !*p) return -1;
    size_t n = strlen(p);
    if (strspn(p, "0123456789") == n) {
        if (n > 15) return -1;
        *ms = strtoll(p, NULL, 10);
        return 0;
    }
    /* The day, as every daemon reads a date (common/check.c). */
    char date[11];
    int64_t day;
    if (n < 10) return -1;
    memcpy(date, p, 10);
    date[10] = 0;
    if (check_date(date, &day)) return -1;
    p += 10;
    int h = 0, mi = 0, s = 0, frac = 0;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (ctl_digits(&p, 2, &h) || *p++ != ':' || ctl_digits(&p, 2, &mi)) return -1;
        if (*p == ':') {
            p++;
            if (ctl_digits(&p, 2, &s)) return -1;
            if (*p == '.' || *p == ',') {
                p++;
                int digits = 0;
                while (isdigit((unsigned char)*p)) {
                    if (digits < 3) frac = frac * 10 + (*p - '0');
                    digits++;
                    p++;
                }
                if (digits == 0) return -1;
                for (; digits < 3; digits++) frac *= 10;
            }
        }
        if (h > 23 || mi > 59 || s > 60) return -1;
    }
    int offset = utc_offset_min;
    if (*p == 'Z' || *p == 'z') {
        offset = 0;
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
        if (ctl_digits(&p, 2, &oh)) return -1;
        if (*p == ':') p++;
        if (*p && ctl_digits(&p, 2, &om)) return -1;
        if (oh > 14 || om > 59) return -1;
        offset = sign * (oh * 60 + om);
    }
    if (*p) return -1;
    int64_t secs = day * 86400 + h * 3600 + mi * 60 + s;
    *ms = (secs - (int64_t)offset * 60) * 1000 + frac;
    return 0;
}

int ctl_fmt_unmasked;

char *ctl_fmt_mask_id(const char *id, char *buf, size_t size)
{
    if (ctl_fmt_unmasked && id && *id) {
        snprintf(buf, size, "%s", id);
        return buf;
    }
    return mask_id(id, buf, size);
}

char *ctl_fmt_mask_phone(const char *phone, char *buf, size_t size)
{
    if (ctl_fmt_unmasked && phone && *phone) {
        snprintf(buf, size, "%s", phone);
        return buf;
    }
    return mask_phone(phone, buf, size);
}
