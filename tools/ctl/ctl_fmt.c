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
#include "i18n.h"
#include "mask.h"

const char *ctl_fmt_str(const char *s)
{
    return s ? s : "";
}

void ctl_fmt_pad(const char *s, int cols)
{
    i18n_pad(stdout, s, cols);
}

void ctl_fmt_row(const char *label)
{
    printf("  ");
    ctl_fmt_cell(label, CTL_FMT_LABEL_COLS);
}

void ctl_fmt_cell(const char *s, int cols)
{
    int w = i18n_width(s);
    i18n_pad(stdout, s, cols);
    if (w >= cols) printf(" "); /* a cell that fills its column still ends with a space */
}

void ctl_fmt_rpad(const char *s, int cols)
{
    for (int w = i18n_width(s); w < cols; w++) printf(" ");
    printf("%s", s);
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
