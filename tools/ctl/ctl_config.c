/*
 * ctl_config.c - the five daemons as legalaidctl knows them: their names
 * (also the INI sections), each one's endpoint and the display offset
 * from the INI file, and a client for one of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ctl.h"
#include "i18n.h"
#include "la_limits.h"

const char *const ctl_daemon_names[CTL_NDAEMONS] = {"intake", "eligibility", "dispatch", "roster",
                                                    "notify"};

int ctl_config_daemon_find(const char *name)
{
    for (int i = 0; i < CTL_NDAEMONS; i++)
        if (strcmp(name, ctl_daemon_names[i]) == 0) return i;
    return -1;
}

/* Loads [security] and this client's key; a problem is kept in
 * ctl->sec_error and told when a command tries to connect (legalaidctl keys
 * new needs no connection). */
static void ctl_config_security(ctl_t *ctl)
{
    char err[600];
    ctl->sec_error[0] = 0;
    if (security_load(&ctl->sec, ctl->config, NULL, NULL, err, sizeof err) < 0) {
        snprintf(ctl->sec_error, sizeof ctl->sec_error, "%s", err);
        return;
    }
    if (!ctl->sec.on) return;
    ctl->key_path = security_client_key_path(&ctl->sec, ctl->key_opt);
    if (!ctl->key_path) {
        snprintf(ctl->sec_error, sizeof ctl->sec_error,
                 _("no key to connect with: give --key FILE (a .key_secret file from legalaidctl "
                   "keys new), set LEGALAID_KEY, or client_key in [security] of %s"),
                 ctl->config);
        return;
    }
    if (keyfile_read(ctl->key_path, &ctl->sec.self, err, sizeof err) < 0)
        snprintf(ctl->sec_error, sizeof ctl->sec_error, "%s", err);
    else if (!ctl->sec.self.secret_z85[0])
        snprintf(ctl->sec_error, sizeof ctl->sec_error,
                 _("%s is a public key: the .key_secret file is needed to connect"), ctl->key_path);
}

client_t *ctl_config_client(const ctl_t *ctl, ctl_daemon_t d, int deadline_ms, char *err,
                            size_t errlen)
{
    if (ctl->sec_error[0]) {
        snprintf(err, errlen, "%s", ctl->sec_error);
        return NULL;
    }
    client_t *c = security_client_new(&ctl->sec, ctl_daemon_names[d], ctl->endpoints[d],
                                      ctl->resend_ms, deadline_ms, err, errlen);
    if (c) client_set_max_frame(c, ctl->max_frame[d]);
    return c;
}

int ctl_config_load(ctl_t *ctl)
{
    if (access(ctl->config, R_OK) != 0) {
        fprintf(stderr,
                _("legalaidctl: cannot read the configuration %s: %s\n"
                  "  (give it with -c CONFIG or LEGALAID_CONFIG)\n"),
                ctl->config, strerror(errno));
        return -1;
    }
    for (int i = 0; i < CTL_NDAEMONS; i++) {
        int rc = config_lookup(ctl->config, ctl_daemon_names[i], "endpoint", ctl->endpoints[i],
                               sizeof ctl->endpoints[i]);
        if (rc == -EIO) {
            fprintf(stderr, _("legalaidctl: cannot parse the configuration %s\n"), ctl->config);
            return -1;
        }
        if (rc != 0) ctl->endpoints[i][0] = 0;
        /* The daemon's own limit: a larger request is refused here, unsent. */
        char frame[32];
        ctl->max_frame[i] = LA_FRAME_MAX_DEFAULT;
        if (config_lookup(ctl->config, ctl_daemon_names[i], "max_frame_bytes", frame,
                          sizeof frame) == 0 &&
            atoll(frame) > 0)
            ctl->max_frame[i] = (size_t)atoll(frame);
        ctl->max_entries[i] = LA_REQUEST_ENTRIES_DEFAULT;
        if (config_lookup(ctl->config, ctl_daemon_names[i], "max_request_entries", frame,
                          sizeof frame) == 0 &&
            atoll(frame) > 0)
            ctl->max_entries[i] = (size_t)atoll(frame);
    }
    ctl_config_security(ctl);
    char offset[32];
    ctl->utc_offset_min = 480;
    if (config_lookup(ctl->config, "intake", "utc_offset_minutes", offset, sizeof offset) == 0)
        ctl->utc_offset_min = atoi(offset);
    return 0;
}

client_t *ctl_config_client_open(const ctl_t *ctl, ctl_daemon_t d, int deadline_ms)
{
    if (!ctl->endpoints[d][0]) {
        fprintf(stderr, _("legalaidctl: %s has no endpoint in [%s] of %s\n"), ctl_daemon_names[d],
                ctl_daemon_names[d], ctl->config);
        return NULL;
    }
    char err[800];
    client_t *c = ctl_config_client(ctl, d, deadline_ms, err, sizeof err);
    if (!c) fprintf(stderr, "legalaidctl: %s\n", err);
    return c;
}
