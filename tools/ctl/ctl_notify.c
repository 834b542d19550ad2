/*
 * ctl_notify.c - `legalaidctl notifications`: what notify recorded for a
 * case, and its outbox for operations staff:
 *   notifications CASE-ID          each party's notifications (ctl_case.c)
 *   notifications dead             the dead letters: attempts spent, last error
 *   notifications pending          waiting for their next attempt
 *   notifications redrive ID|all [--by NAME]
 *                                  send a dead one (or all) again once the
 *                                  gateway or webhook is mended
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static int ctl_notify_usage(void)
{
    fprintf(stderr, "usage: legalaidctl notifications CASE-ID\n"
                    "       legalaidctl notifications dead|pending\n"
                    "       legalaidctl notifications redrive ID|all [--by NAME]\n");
    return CTL_EXIT_FAILURE;
}

static void ctl_notify_print(const ctl_t *ctl, const char *what,
                             const Legalaid__NotificationList *l)
{
    if (ctl->json) {
        ctl_json_print(ctl_json_from_message(&l->base, 1));
        return;
    }
    printf("notify: %llu %s\n", (unsigned long long)l->total, what);
    for (size_t i = 0; i < l->n_notifications; i++) {
        const Legalaid__Notification *n = l->notifications[i];
        char at[CTL_TIME_MAX], ch[CTL_ENUM_MAX], party[CTL_ENUM_MAX];
        printf("  %-6llu case %-16s %-10s %-20s %s  attempts %u",
               (unsigned long long)n->id, n->case_id && n->case_id[0] ? n->case_id : "-",
               ctl_enum_text(&legalaid__party__descriptor, n->party, party), n->kind ? n->kind : "-",
               ctl_enum_text(&legalaid__notify_channel__descriptor, n->channel, ch), n->attempts);
        if (n->has_next_attempt_at && n->state == LEGALAID__OUTBOX_STATE__OUTBOX_PENDING)
            printf("  next %s", ctl_time_format(ctl, n->next_attempt_at, at));
        printf("\n");
        if (n->last_error && n->last_error[0]) printf("         last error: %s\n", n->last_error);
    }
}

static int ctl_notify_list(ctl_t *ctl, Legalaid__OutboxState state, const char *what)
{
    Legalaid__NotificationsQuery q = LEGALAID__NOTIFICATIONS_QUERY__INIT;
    q.state = state;
    q.has_state = 1;
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_NOTIFY);
    a.req.body_case = LEGALAID__REQUEST__BODY_NOTIFICATIONS_QUERY;
    a.req.notifications_query = &q;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK && a.reply->body_case == LEGALAID__REPLY__BODY_NOTIFICATIONS)
        ctl_notify_print(ctl, what, a.reply->notifications);
    ctl_asks_free(&a, 1);
    return status;
}

static int ctl_notify_redrive(ctl_t *ctl, int argc, char **argv)
{
    Legalaid__RedriveNotification r = LEGALAID__REDRIVE_NOTIFICATION__INIT;
    if (argc != 3 && !(argc == 5 && strcmp(argv[3], "--by") == 0)) return ctl_notify_usage();
    if (argc == 5) r.by = argv[4];
    if (strcmp(argv[2], "all") == 0) {
        r.all = 1;
        r.has_all = 1;
    } else {
        char *end;
        unsigned long long id = strtoull(argv[2], &end, 10);
        if (*end || end == argv[2] || id == 0) {
            fprintf(stderr, "legalaidctl: notifications redrive: '%s' is not a notification id "
                            "(see legalaidctl notifications dead)\n",
                    argv[2]);
            return CTL_EXIT_FAILURE;
        }
        r.id = id;
        r.has_id = 1;
    }
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_NOTIFY);
    a.req.body_case = LEGALAID__REQUEST__BODY_REDRIVE_NOTIFICATION;
    a.req.redrive_notification = &r;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK && a.reply->body_case == LEGALAID__REPLY__BODY_NOTIFICATIONS)
        ctl_notify_print(ctl, "re-driven", a.reply->notifications);
    ctl_asks_free(&a, 1);
    return status;
}

int ctl_notify_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2 || !argv[1][0]) return ctl_notify_usage();
    if (strcmp(argv[1], "dead") == 0)
        return argc == 2 ? ctl_notify_list(ctl, LEGALAID__OUTBOX_STATE__OUTBOX_DEAD, "dead")
                         : ctl_notify_usage();
    if (strcmp(argv[1], "pending") == 0)
        return argc == 2 ? ctl_notify_list(ctl, LEGALAID__OUTBOX_STATE__OUTBOX_PENDING, "pending")
                         : ctl_notify_usage();
    if (strcmp(argv[1], "redrive") == 0) return ctl_notify_redrive(ctl, argc, argv);
    return ctl_notifications_run(ctl, argc, argv);
}
