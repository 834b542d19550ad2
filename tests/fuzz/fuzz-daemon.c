/*
 * fuzz-daemon.c - opens the daemon a request or stream target feeds
 * (FUZZ_SERVICE) on the target's scratch directory, as the unit tests do
 * (daemon_open_test); notify first loads the templates of the source tree
 * (deploy/notify-templates), which the running daemon reads at start.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#ifdef FUZZ_NOTIFY
#include "notify.h"
#endif

extern const service_t FUZZ_SERVICE;

daemon_t *fuzz_daemon_open(void)
{
#ifdef FUZZ_NOTIFY
    char err[512];
    if (notify_templates_reload(FUZZ_TEMPLATES_DIR, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz: templates: %s\n", err);
        abort();
    }
#endif
    daemon_t *d = daemon_open_test(&FUZZ_SERVICE, fuzz_dir());
    if (!d) abort();
    return d;
}
