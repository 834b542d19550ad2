/*
 * ctl_ping.c - `legalaidctl ping [NAME...]`: asks every daemon (or the
 * named ones) at once whether it is up, and its pid. Exit status 0 only
 * when every one answered: legalaid-local waits on it for readiness.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"

int ctl_ping_run(ctl_t *ctl, int argc, char **argv)
{
    ctl_ask_t asks[CTL_NDAEMONS];
    Legalaid__Ping ping = LEGALAID__PING__INIT;
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        int d = ctl_daemon_find(argv[i]);
        if (d < 0 || n == CTL_NDAEMONS) {
            fprintf(stderr, "usage: legalaidctl [--json] ping "
                            "[intake|eligibility|dispatch|roster|notify ...]\n");
            return CTL_EXIT_FAILURE;
        }
        ctl_ask_init(&asks[n++], (ctl_daemon_t)d);
    }
    if (argc == 1)
        for (int d = 0; d < CTL_NDAEMONS; d++) ctl_ask_init(&asks[n++], (ctl_daemon_t)d);
    for (size_t i = 0; i < n; i++) {
        asks[i].req.body_case = LEGALAID__REQUEST__BODY_PING;
        asks[i].req.ping = &ping;
    }
    ctl_asks_run(ctl, asks, n);
    int down = 0;
    char why[1024];
    json_t *arr = ctl->json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        const char *name = ctl_daemon_names[asks[i].daemon];
        const char *endpoint = ctl->endpoints[asks[i].daemon];
        int up = ctl_ask_ok(&asks[i]) && asks[i].reply->body_case == LEGALAID__REPLY__BODY_PONG;
        if (!up) down++;
        if (arr) {
            json_t *j = json_object();
            json_object_set_new(j, "daemon", json_string(name));
            json_object_set_new(j, "endpoint", json_string(endpoint));
            json_object_set_new(j, "up", json_boolean(up));
            if (up)
                json_object_set_new(j, "pid", json_integer(asks[i].reply->pong->pid));
            else
                json_object_set_new(j, "error",
                                    json_string(ctl_ask_problem(ctl, &asks[i], why, sizeof why)));
            json_array_append_new(arr, j);
        } else if (up) {
            printf("%-12s up    pid %-8d %s\n", name, asks[i].reply->pong->pid, endpoint);
        } else {
            printf("%-12s DOWN  %s\n", name, ctl_ask_problem(ctl, &asks[i], why, sizeof why));
        }
    }
    if (arr) ctl_json_print(arr);
    ctl_asks_free(asks, n);
    return down ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
}
