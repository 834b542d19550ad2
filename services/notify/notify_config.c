/*
 * notify_config.c - the [notify] keys with their defaults and ranges, and
 * the parsing of the structured ones (quiet hours, webhooks by name).
 */
#include "notify_config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "intake.pb-c.h"

notify_config_t notify_config;

#define OFF(f) offsetof(notify_config_t, f)
const cfg_key_t notify_config_keys[] = {
    {"templates_dir", CFG_STRING, "/etc/legalaid/notify-templates", 0, 0, OFF(templates_dir),
     "directory of the templates, one <kind>.<party>.txt each, checked at start"},
    {"web_base", CFG_STRING, "", 0, 0, OFF(web_base),
     "the gateway's address as a lawyer's phone reaches it (https://legalaid.example.cn): "
     "the offer SMS carries a signed link to accept or decline; empty: no link"},
    {"sms_url", CFG_STRING, "", 0, 0, OFF(sms_url),
     "SMS gateway URL (HTTP POST of JSON); empty: no SMS"},
    {"sms_token", CFG_STRING, "", 0, 0, OFF(sms_token),
     "bearer token sent to the SMS gateway (Authorization header)"},
    {"webhook_court", CFG_STRING, "", 0, 0, OFF(webhook_court),
     "URL that receives notices to courts (JSON POST); empty: by SMS"},
    {"webhook_procuratorate", CFG_STRING, "", 0, 0, OFF(webhook_procuratorate),
     "URL that receives notices to procuratorates"},
    {"webhook_police", CFG_STRING, "", 0, 0, OFF(webhook_police),
     "URL that receives notices to the police"},
    {"webhooks", CFG_STRING, "", 0, 0, OFF(webhooks),
     "webhooks of single agencies by name: NAME=URL;NAME=URL (before the per-kind ones)"},
    {"webhook_staff", CFG_STRING, "", 0, 0, OFF(webhook_staff),
     "URL that receives the centre staff's notices (escalations, deadlines)"},
    {"webhook_token", CFG_STRING, "", 0, 0, OFF(webhook_token),
     "bearer token sent to every webhook"},
    {"staff_phones", CFG_STRING, "", 0, 0, OFF(staff_phones),
     "the staff's phones for SMS, comma-separated (when webhook_staff is empty)"},
    {"spool_dir", CFG_STRING, "", 0, 0, OFF(spool_dir),
     "offline channel: one JSON file per message for a recipient no other channel reaches"},
    {"quiet_hours", CFG_STRING, "21:00-08:00", 0, 0, OFF(quiet_hours),
     "local hours when applicants and internship candidates get no messages (HH:MM-HH:MM, "
     "empty: none); never for custody, defence or duty"},
    {"http_timeout_ms", CFG_INT, "10000", 100, 600000, OFF(http_timeout_ms),
     "an HTTP attempt that takes longer has failed (and is tried again)"},
    {"max_inflight", CFG_INT, "32", 1, 1024, OFF(max_inflight), "HTTP attempts in flight at once"},
    {"max_attempts", CFG_INT, "8", 1, 1000, OFF(max_attempts),
     "attempts before a notification becomes a dead letter"},
    {"retry_base_ms", CFG_INT, "30000", 10, 86400000, OFF(retry_base_ms),
     "wait before the 2nd attempt; doubles each time, with jitter"},
    {"retry_max_ms", CFG_INT, "3600000", 10, 604800000, OFF(retry_max_ms),
     "longest wait between two attempts"},
    {"deadline_lead_minutes", CFG_INT, "1440", 0, 525600, OFF(deadline_lead_minutes),
     "a deadline's reminder goes out this long before it falls due (another at the breach)"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

static int quiet_from = -1, quiet_to = -1; /* minutes of the local day */

static int config_hhmm(const char *s, int *minutes)
{
    int h, m, n = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || h < 0 || h > 23 || m < 0 || m > 59)
        return -1;
    *minutes = h * 60 + m;
    return 0;
}

static int config_check_webhooks(const char *list, char *err, size_t errlen)
{
    const char *p = list;
    while (p && *p) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (!eq || eq == p || (size_t)(eq - p) + 1 >= n) {
            snprintf(err, errlen, "[notify] webhooks: '%.*s' is not NAME=URL", (int)n, p);
            return -1;
        }
        p = end ? end + 1 : NULL;
    }
    return 0;
}

int notify_config_check(char *err, size_t errlen)
{
    quiet_from = quiet_to = -1;
    const char *q = notify_config.quiet_hours;
    if (q && q[0]) {
        if (strlen(q) != 11 || q[5] != '-' || config_hhmm(q, &quiet_from) ||
            config_hhmm(q + 6, &quiet_to) || quiet_from == quiet_to) {
            snprintf(err, errlen,
                     "[notify] quiet_hours: '%s' is not HH:MM-HH:MM with two different times", q);
            quiet_from = quiet_to = -1;
            return -1;
        }
    }
    if (notify_config.retry_max_ms < notify_config.retry_base_ms) {
        snprintf(err, errlen, "[notify] retry_max_ms (%lld) is less than retry_base_ms (%lld)",
                 notify_config.retry_max_ms, notify_config.retry_base_ms);
        return -1;
    }
    return config_check_webhooks(notify_config.webhooks, err, errlen);
}

static const char *config_present(const char *s)
{
    return s && s[0] ? s : NULL;
}

const char *notify_config_webhook(int kind, const char *name)
{
    static char url[1024];
    const char *p = notify_config.webhooks;
    size_t nn = name ? strlen(name) : 0;
    while (nn && p && *p) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq && (size_t)(eq - p) == nn && memcmp(p, name, nn) == 0) {
            size_t un = n - nn - 1;
            if (un >= sizeof url) un = sizeof url - 1;
            memcpy(url, eq + 1, un);
            url[un] = 0;
            return url;
        }
        p = end ? end + 1 : NULL;
    }
    switch (kind) {
    case LEGALAID__AUTHORITY_KIND__COURT:
        return config_present(notify_config.webhook_court);
    case LEGALAID__AUTHORITY_KIND__PROCURATORATE:
        return config_present(notify_config.webhook_procuratorate);
    case LEGALAID__AUTHORITY_KIND__POLICE:
        return config_present(notify_config.webhook_police);
    default:
        return NULL;
    }
}

int64_t notify_config_quiet_release(int64_t at)
{
    if (quiet_from < 0) return at;
    int64_t day = clock_local_day(at);
    int64_t midnight = clock_local_midnight(day);
    int minute = (int)((at - midnight) / 60000);
    int inside = quiet_from < quiet_to ? minute >= quiet_from && minute < quiet_to
                                       : minute >= quiet_from || minute < quiet_to;
    if (!inside) return at;
    /* The end of the quiet hours: today's if it is still ahead, else tomorrow's. */
    int64_t end = midnight + (int64_t)quiet_to * 60000;
    return end > at ? end : clock_local_midnight(day + 1) + (int64_t)quiet_to * 60000;
}
