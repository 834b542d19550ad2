/*
 * ctl_notify.c - `legalaidctl notifications`: what notify recorded for a
 * case, and its outbox for operations staff:
 *   notifications CASE-ID          each party's notifications (also the end
 *                                  of `case`'s view, ctl_case.c)
 *   notifications dead             the dead letters: attempts spent, last error
 *   notifications pending          waiting for their next attempt
 *   notifications unrouted         the ones no channel reached (no SMS
 *                                  gateway, webhook or spool configured
 *                                  for the recipient)
 *   notifications redrive ID|all [--by NAME]
 *                                  send a dead one (or all) again once the
 *                                  gateway or webhook is mended
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"

#define CTL_NOTIFY_CMD "notifications"

static void ctl_notify_print(const ctl_t *ctl, const char *what,
                             const Legalaid__NotificationList *l)
{
    if (ctl->json) {
        ctl_json_print(ctl_json_from_message(&l->base, 1));
        return;
    }
    printf(_("notify: %llu %s\n"), (unsigned long long)l->total, what);
    for (size_t i = 0; i < l->n_notifications; i++) {
        const Legalaid__Notification *n = l->notifications[i];
        char at[CTL_TIME_MAX], ch[PBJSON_ENUM_MAX], party[PBJSON_ENUM_MAX];
            printf(_("  %-6llu case %-16s %-10s %-20s %s  attempts %u"), (unsigned long long)n->id,
               n->case_id && n->case_id[0] ? n->case_id : "-",
               pbjson_enum_text(&legalaid__party__descriptor, n->party, party),
               n->kind ? n->kind : "-",
               pbjson_enum_text(&legalaid__notify_channel__descriptor, n->channel, ch),
               n->attempts);
        if (n->has_next_attempt_at && n->state == LEGALAID__OUTBOX_STATE__OUTBOX_PENDING)
            printf(_("  next %s"), ctl_fmt_time(ctl, n->next_attempt_at, at));
        if (n->state == LEGALAID__OUTBOX_STATE__OUTBOX_UNROUTED)
            printf(_("  recorded %s"), ctl_fmt_time(ctl, n->recorded_at, at));
        printf("\n");
        if (n->last_error && n->last_error[0])
            printf(_("         last error: %s\n"), n->last_error);
    }
}

static void ctl_notification_print(const ctl_t *ctl, const Legalaid__Notification *nt)
{
    char t[CTL_TIME_MAX], party[PBJSON_ENUM_MAX], phone[64];
    printf("  %s  %-9s %s", ctl_fmt_time(ctl, nt->recorded_at, t),
           pbjson_enum_text(&legalaid__party__descriptor, nt->party, party),
           ctl_fmt_str(nt->recipient));
    if (nt->address && nt->address[0] && strcmp(nt->address, "-") != 0)
        printf(" (%s)", ctl_fmt_mask_phone(nt->address, phone, sizeof phone));
    printf("  %s: %s%s", ctl_fmt_str(nt->kind), ctl_fmt_str(nt->text),
           nt->has_contact_pending && nt->contact_pending ? _("  [contact pending]") : "");
    /* Where it went: once the log is trimmed, the notification is the one
     * record of its delivery (stream_trim.h, trim_forgets). */
    switch (nt->state) {
    case LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED:
        if (nt->has_delivered_at) printf(_("  [delivered %s]"), ctl_fmt_time(ctl, nt->delivered_at, t));
        break;
    case LEGALAID__OUTBOX_STATE__OUTBOX_PENDING:
        printf("%s", _("  [not yet delivered]"));
        break;
    case LEGALAID__OUTBOX_STATE__OUTBOX_DEAD:
        printf("%s", _("  [not delivered: the attempts ran out]"));
        break;
    case LEGALAID__OUTBOX_STATE__OUTBOX_UNROUTED:
        printf("%s", _("  [not sent: no channel reaches the recipient]"));
        break;
    default:
        break;
    }
    printf("\n");
}

void ctl_notify_case_print(const ctl_t *ctl, const ctl_ask_t *a)
{
    printf("%s\n", _("notifications"));
    const Legalaid__Reply *r = ctl_ask_reply(a, LEGALAID__REPLY__BODY_NOTIFICATIONS);
    if (!r) {
        if (ctl_ask_not_found(a))
            printf("%s\n", _("  (none)"));
        else
            ctl_show_problem(ctl, a);
        return;
    }
    if (!r->notifications || r->notifications->n_notifications == 0) printf("%s\n", _("  (none)"));
    for (size_t i = 0; r->notifications && i < r->notifications->n_notifications; i++)
        ctl_notification_print(ctl, r->notifications->notifications[i]);
}

static int ctl_notify_case(ctl_t *ctl, const char *case_id)
{
    Legalaid__ListNotifications ln = LEGALAID__LIST_NOTIFICATIONS__INIT;
    ln.case_id = (char *)case_id;
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_NOTIFY);
    a.req.body_case = LEGALAID__REQUEST__BODY_LIST_NOTIFICATIONS;
    a.req.list_notifications = &ln;
    int status = ctl_ask_answer(ctl, &a);
    char why[1024];
    if (status != CTL_EXIT_OK) {
        /* no answer: said on stderr */
    } else if (ctl->json) {
        if (ctl_ask_reply(&a, LEGALAID__REPLY__BODY_NOTIFICATIONS) && a.reply->notifications)
            ctl_json_print(ctl_json_from_message(&a.reply->notifications->base, 1));
        else
            ctl_json_print(ctl_json_from_message(&a.reply->base, 1));
        if (!ctl_ask_ok(&a)) status = CTL_EXIT_REJECTED;
    } else if (!ctl_ask_ok(&a) && !ctl_ask_not_found(&a)) {
        fprintf(stderr, "legalaidctl: %s\n", ctl_ask_problem(ctl, &a, why, sizeof why));
        status = CTL_EXIT_REJECTED;
    } else {
        printf(_("case %s\n"), case_id);
        ctl_notify_case_print(ctl, &a);
    }
    ctl_ask_free(&a, 1);
    return status;
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
    ctl_ask_free(&a, 1);
    return status;
}

static int ctl_notify_redrive(ctl_t *ctl, const char *which, const char *by)
{
    Legalaid__RedriveNotification r = LEGALAID__REDRIVE_NOTIFICATION__INIT;
    r.by = (char *)by;
    if (strcmp(which, "all") == 0) {
        r.all = 1;
        r.has_all = 1;
    } else {
        char *end;
        unsigned long long id = strtoull(which, &end, 10);
        if (*end || end == which || id == 0)
            return ctl_help_usage_error(CTL_NOTIFY_CMD,
                                        _("redrive: '%s' is not a notification id "
                                          "(see legalaidctl notifications dead)"),
                                        which);
        r.id = id;
        r.has_id = 1;
    }
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_NOTIFY);
    a.req.body_case = LEGALAID__REQUEST__BODY_REDRIVE_NOTIFICATION;
    a.req.redrive_notification = &r;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK && a.reply->body_case == LEGALAID__REPLY__BODY_NOTIFICATIONS)
        ctl_notify_print(ctl, _("re-driven"), a.reply->notifications);
    ctl_ask_free(&a, 1);
    return status;
}

/* The lists of one outbox state: notifications dead|pending|unrouted. */
static const struct {
    const char *word;
    Legalaid__OutboxState state;
    const char *what; /* N_(): "notify: 3 dead" */
} ctl_notify_lists[] = {
    {"dead", LEGALAID__OUTBOX_STATE__OUTBOX_DEAD, N_("dead")},
    {"pending", LEGALAID__OUTBOX_STATE__OUTBOX_PENDING, N_("pending")},
    {"unrouted", LEGALAID__OUTBOX_STATE__OUTBOX_UNROUTED, N_("unrouted (no channel)")},
};

int ctl_notify_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option longopts[] = {{"by", required_argument, NULL, 1},
                                              {NULL, 0, NULL, 0}};
    const char *by = NULL;
    int first = ctl_args_parse(CTL_NOTIFY_CMD, argc, argv, longopts, &by, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **rest = argv + first;
    int n = argc - first;
    if (n < 1 || !rest[0][0])
        return ctl_help_usage_error(CTL_NOTIFY_CMD,
                                    _("give a case number, or dead, pending, unrouted or redrive"));
    if (strcmp(rest[0], "redrive") == 0) {
        if (n != 2)
            return ctl_help_usage_error(CTL_NOTIFY_CMD,
                                        _("redrive takes one notification id, or all"));
        return ctl_notify_redrive(ctl, rest[1], by);
    }
    if (by) return ctl_help_usage_error(CTL_NOTIFY_CMD, _("--by goes only with redrive"));
    for (size_t i = 0; i < sizeof ctl_notify_lists / sizeof ctl_notify_lists[0]; i++) {
        if (strcmp(rest[0], ctl_notify_lists[i].word) != 0) continue;
        if (n != 1)
            return ctl_help_usage_error(CTL_NOTIFY_CMD, _("'%s' takes no more arguments"),
                                        rest[0]);
        return ctl_notify_list(ctl, ctl_notify_lists[i].state, _(ctl_notify_lists[i].what));
    }
    if (n != 1)
        return ctl_help_usage_error(CTL_NOTIFY_CMD,
                                    _("one case number (like BT-2026-000001), not %d words"), n);
    return ctl_notify_case(ctl, rest[0]);
}
