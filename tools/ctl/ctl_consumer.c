/*
 * ctl_consumer.c - `legalaidctl consumer drop NAME [DAEMON...]`: staff
 * forget the position NAME holds on each daemon's stream (or the daemons
 * named). A daemon keeps positions only for the consumers of its stream
 * (issue 18); this removes one left by a peer before that was checked, or
 * a consumer taken out of service. A real consumer's position comes back
 * at its next fetch, from its own offset.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"

static void ctl_consumer_print(const ctl_t *ctl, const ctl_ask_t *a, const char *name)
{
    char why[1024];
    const Legalaid__Reply *r = ctl_ask_reply(a, LEGALAID__REPLY__BODY_CONSUMER_DROPPED);
    ctl_fmt_cell(ctl_daemon_names[a->daemon], 12);
    if (!r) {
        printf(" %s\n", ctl_ask_problem(ctl, a, why, sizeof why));
        return;
    }
    const Legalaid__ConsumerDropped *c = r->consumer_dropped;
    if (c->dropped)
        printf(_(" dropped the position of %s (it had acknowledged %llu)"), ctl_fmt_str(name),
               (unsigned long long)c->acked_seq);
    else
        printf(_(" no position named %s"), ctl_fmt_str(name));
    if (c->configured) printf(_("; %s consumes this stream: its next fetch makes it again"), name);
    printf("\n");
}

int ctl_consumer_run(ctl_t *ctl, int argc, char **argv)
{
    int first = ctl_ops_words("consumer", argc, argv);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (first == argc || strcmp(argv[first], "drop") != 0)
        return ctl_help_usage_error("consumer", first == argc ? _("give drop and the NAME")
                                                              : _("'%s' is not drop"),
                                    argv[first]);
    if (first + 1 == argc) return ctl_help_usage_error("consumer", _("give the consumer's NAME"));
    const char *name = argv[first + 1];
    ctl_ask_t asks[CTL_NDAEMONS];
    Legalaid__DropConsumer q = LEGALAID__DROP_CONSUMER__INIT;
    q.consumer = (char *)name;
    size_t n = 0;
    for (int i = first + 2; i < argc; i++) {
        int d = ctl_config_daemon_find(argv[i]);
        if (d < 0)
            return ctl_help_usage_error(
                "consumer", _("'%s' is not a daemon (intake, eligibility, dispatch, roster, notify)"),
                argv[i]);
        if (n == CTL_NDAEMONS) return ctl_help_usage_error("consumer", "%s", _("too many daemons"));
        ctl_ask_body(&asks[n++], (ctl_daemon_t)d, LEGALAID__REQUEST__BODY_DROP_CONSUMER, &q.base);
    }
    if (first + 2 == argc)
        for (int d = 0; d < CTL_NDAEMONS; d++)
            ctl_ask_body(&asks[n++], (ctl_daemon_t)d, LEGALAID__REQUEST__BODY_DROP_CONSUMER,
                         &q.base);
    ctl_ask_all(ctl, asks, n);
    int status = CTL_EXIT_OK;
    json_t *arr = ctl->json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        const Legalaid__Reply *r = ctl_ask_reply(&asks[i], LEGALAID__REPLY__BODY_CONSUMER_DROPPED);
        if (!r) status = asks[i].reply ? CTL_EXIT_REJECTED : CTL_EXIT_FAILURE;
        if (!arr) {
            ctl_consumer_print(ctl, &asks[i], name);
            continue;
        }
        json_t *j = r ? ctl_json_from_message(&r->consumer_dropped->base, 1) : json_object();
        json_object_set_new(j, "daemon", json_string(ctl_daemon_names[asks[i].daemon]));
        if (!r) {
            char why[1024];
            json_object_set_new(j, "error",
                                json_string(ctl_ask_problem(ctl, &asks[i], why, sizeof why)));
        }
        json_array_append_new(arr, j);
    }
    if (arr) ctl_json_print(arr);
    ctl_ask_free(asks, n);
    return status;
}
