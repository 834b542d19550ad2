/*
 * ctl_time.c - a time a person types on the command line: ISO 8601 as every
 * JSON file carries it (pbjson_text_time: a date, a date and time, an offset
 * or the centre's own), or a day by its name: "today" / "今天" and
 * "yesterday" / "昨天", the start of that day at the centre
 * ([intake] utc_offset_minutes), so `audit --since today` works.
 */
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "json/pbjson.h"

#define CTL_TIME_DAY_MS 86400000LL

int ctl_time_parse(const ctl_t *ctl, const char *text, int64_t *ms)
{
    int days_back;
    if (!text) return -1;
    if (strcmp(text, "today") == 0 || strcmp(text, "今天") == 0)
        days_back = 0;
    else if (strcmp(text, "yesterday") == 0 || strcmp(text, "昨天") == 0)
        days_back = 1;
    else
        return pbjson_text_time(text, ctl->utc_offset_min, ms);
    int64_t offset_ms = (int64_t)ctl->utc_offset_min * 60000;
    int64_t local = (int64_t)time(NULL) * 1000 + offset_ms;
    int64_t midnight = local - local % CTL_TIME_DAY_MS;
    *ms = midnight - days_back * CTL_TIME_DAY_MS - offset_ms;
    return 0;
}
