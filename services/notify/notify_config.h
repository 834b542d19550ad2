/*
 * notify_config.h - notify's configuration keys ([notify] section) and what
 * is derived from them once at start: the quiet hours, the webhook of each
 * agency, the staff contacts.
 */
#ifndef LA_NOTIFY_CONFIG_H
#define LA_NOTIFY_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef struct notify_config {
    char *templates_dir;
    char *web_base; /* the gateway's address as lawyers reach it: the offer link */
    char *sms_url;
    char *sms_token;
    char *webhook_court;
    char *webhook_procuratorate;
    char *webhook_police;
    char *webhooks; /* "name=url;name=url": one agency by its name */
    char *webhook_staff;
    char *webhook_token;
    char *staff_phones; /* comma-separated */
    char *spool_dir;
    char *quiet_hours; /* "HH:MM-HH:MM" local, "" for none */
    long long http_timeout_ms;
    long long max_inflight;
    long long max_attempts;
    long long retry_base_ms;
    long long retry_max_ms;
    long long deadline_lead_minutes;
} notify_config_t;

extern notify_config_t notify_config;
extern const cfg_key_t notify_config_keys[];

/* Checks and derives what the keys say (quiet hours, webhooks). Returns 0
 * or -1 with a message naming the key in err. */
int notify_config_check(char *err, size_t errlen);

/* The webhook URL for an authority of kind (AuthorityKind) named name, or
 * NULL: a webhook for that name first, then one for its kind. */
const char *notify_config_webhook(int kind, const char *name);

/* at, or the end of the quiet hours when at falls inside them. */
int64_t notify_config_quiet_release(int64_t at);

#endif
