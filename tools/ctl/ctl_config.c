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
#include "la_limits.h"

const char *const ctl_daemon_names[CTL_NDAEMONS] = {"intake", "eligibility", "dispatch", "roster",
                                                    "notify"};

int ctl_config_daemon_find(const char *name)
{
    for (int i = 0; i < CTL_NDAEMONS; i++)
        if (strcmp(name, ctl_daemon_names[i]) == 0) return i;
    return -1;
}

int ctl_config_load(ctl_t *ctl)
{
    if (access(ctl->config, R_OK) != 0) {
        fprintf(stderr,
                "legalaidctl: cannot read the configuration %s: %s\n"
                "  (give it with -c CONFIG or LEGALAID_CONFIG)\n",
                ctl->config, strerror(errno));
        return -1;
    }
    for (int i = 0; i < CTL_NDAEMONS; i++) {
        int rc = config_lookup(ctl->config, ctl_daemon_names[i], "endpoint", ctl->endpoints[i],
                               sizeof ctl->endpoints[i]);
        if (rc == -EIO) {
            fprintf(stderr, "legalaidctl: cannot parse the configuration %s\n", ctl->config);
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
    }
    char offset[32];
    ctl->utc_offset_min = 480;
    if (config_lookup(ctl->config, "intake", "utc_offset_minutes", offset, sizeof offset) == 0)
        ctl->utc_offset_min = atoi(offset);
    return 0;
}

client_t *ctl_config_client_open(const ctl_t *ctl, ctl_daemon_t d, int deadline_ms)
{
    if (!ctl->endpoints[d][0]) {
        fprintf(stderr, "legalaidctl: %s has no endpoint in [%s] of %s\n", ctl_daemon_names[d],
                ctl_daemon_names[d], ctl->config);
        return NULL;
    }
    client_t *c = client_new(ctl->endpoints[d], ctl->resend_ms, deadline_ms);
    if (c) client_set_max_frame(c, ctl->max_frame[d]);
    if (!c)
        fprintf(stderr, "legalaidctl: cannot connect to %s at %s (is the endpoint well-formed?)\n",
                ctl_daemon_names[d], ctl->endpoints[d]);
    return c;
}
