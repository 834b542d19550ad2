/*
 * ctl_compact.c - compact NAME: a daemon's data.mdb compacted in place
 * while it keeps serving (README "Compaction", common/compact.c). Asks for
 * the compaction, then how it stands every 100 ms until it is done or
 * failed, and prints the size of data.mdb and the pages in use before and
 * after, how long the daemon's loop was held and the map it has now
 * (--json: the CompactState). Exit status: 0 compacted; 1 refused (one
 * runs already, a backup copies) or failed (nothing changed: the daemon
 * goes on with its old file); 2 no answer or bad usage.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "i18n.h"

static void ctl_compact_print(const ctl_t *ctl, const char *name, const Legalaid__CompactState *c)
{
    if (ctl->json) {
        ctl_json_print(ctl_json_from_message(&c->base, 0));
        return;
    }
    if (c->error) {
        fprintf(stderr, _("legalaidctl: %s: compaction failed (%s); nothing changed, %s goes on "
                          "with its old data.mdb\n"),
                name, c->error, name);
        return;
    }
    printf(_("%s: compacted: data.mdb %.1f MB -> %.1f MB, pages in use %llu -> %llu; the loop "
             "held %.1f ms (copies: %u, copying %.1f ms); map %.0f MB\n"),
           name, (double)c->bytes_before / 1e6, (double)c->bytes_after / 1e6,
           (unsigned long long)c->pages_before, (unsigned long long)c->pages_after, c->held_ms,
           c->copies, c->copy_ms, (double)c->map_bytes / 1e6);
    if (c->repacked)
        printf("%s", _("  every table written again in key order: its pages full\n"));
    else if (c->not_repacked)
        printf(_("  the pages copied as they are: %s\n"), c->not_repacked);
}

int ctl_compact_run(ctl_t *ctl, int argc, char **argv)
{
    int first = ctl_ops_words("compact", argc, argv);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 1)
        return ctl_help_usage_error("compact", "%s",
                                    _("give one daemon: intake, eligibility, dispatch, roster or "
                                      "notify"));
    int d = ctl_config_daemon_find(argv[first]);
    if (d < 0)
        return ctl_help_usage_error(
            "compact", _("'%s' is not a daemon (intake, eligibility, dispatch, roster, notify)"),
            argv[first]);
    Legalaid__Compact req = LEGALAID__COMPACT__INIT;
    ctl_ask_t a;
    ctl_ask_body(&a, (ctl_daemon_t)d, LEGALAID__REQUEST__BODY_COMPACT, &req.base);
    int status = ctl_ask_one(ctl, &a);
    req.status = req.has_status = 1;
    const Legalaid__Reply *r;
    while (status == CTL_EXIT_OK && (r = ctl_ask_reply(&a, LEGALAID__REPLY__BODY_COMPACT)) &&
           strcmp(ctl_fmt_str(r->compact->state), "running") == 0) {
        ctl_ask_free(&a, 1);
        struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep(&pause, NULL);
        ctl_ask_body(&a, (ctl_daemon_t)d, LEGALAID__REQUEST__BODY_COMPACT, &req.base);
        status = ctl_ask_one(ctl, &a);
    }
    if (status == CTL_EXIT_OK && (r = ctl_ask_reply(&a, LEGALAID__REPLY__BODY_COMPACT))) {
        ctl_compact_print(ctl, argv[first], r->compact);
        if (r->compact->error) status = CTL_EXIT_REJECTED;
    }
    ctl_ask_free(&a, 1);
    return status;
}
