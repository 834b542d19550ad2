/*
 * ctl_case.c - `legalaidctl case ID`: the case as every daemon knows it.
 *
 * A case's timeline is spread over the daemons' streams: each is asked for
 * its events of the case (CaseEventsQuery), and intake, eligibility,
 * dispatch and notify for their record of it (application, decision and
 * objection, assignment, notifications), all at once. The events are merged by
 * occurred_at; a daemon that does not answer is shown as "(name: no
 * answer)" and the rest still prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "dispatch.pb-c.h"
#include "eligibility.pb-c.h"
#include "i18n.h"
#include "intake.pb-c.h"
#include "notify.pb-c.h"
#include "xalloc.h"

/* The asks of `case`, in this order. */
enum {
    ASK_EVENTS = 0, /* + daemon: CaseEventsQuery to each of the five */
    ASK_APPLICATION = CTL_NDAEMONS,
    ASK_DECISION,
    ASK_ASSIGNMENT,
    ASK_NOTIFICATIONS,
    ASK_OBJECTION,
    ASK_N
};

typedef struct ctl_case_event {
    ctl_daemon_t daemon;
    const Legalaid__Event *ev;
} ctl_case_event_t;

static int ctl_case_event_cmp(const void *a, const void *b)
{
    const ctl_case_event_t *x = a, *y = b;
    if (x->ev->occurred_at != y->ev->occurred_at)
        return x->ev->occurred_at < y->ev->occurred_at ? -1 : 1;
    if (x->daemon != y->daemon) return x->daemon < y->daemon ? -1 : 1;
    return x->ev->seq < y->ev->seq ? -1 : x->ev->seq > y->ev->seq;
}

/* A silent daemon is told once, in the timeline; the header shows only
 * the errors of daemons that answered. */
static int ctl_case_answered(const ctl_ask_t *a)
{
    return a->rc == 0 && a->reply;
}

/* No objection: none was filed (NOT_FOUND), or a daemon of a version
 * without objections (UNKNOWN_TYPE). */
static int ctl_case_no_objection(const ctl_ask_t *a)
{
    return ctl_ask_not_found(a) ||
           (a->rc == 0 && a->reply && a->reply->code == LEGALAID__CODE__UNKNOWN_TYPE);
}

static void ctl_case_print_header(const ctl_t *ctl, const char *case_id, const ctl_ask_t *asks)
{
    printf(_("case %s\n"), case_id);
    const Legalaid__Reply *r =
        ctl_ask_reply(&asks[ASK_APPLICATION], LEGALAID__REPLY__BODY_APPLICATION);
    if (r && r->application) {
        ctl_show_application(ctl, r->application);
    } else if (ctl_case_answered(&asks[ASK_APPLICATION]) &&
               !ctl_ask_not_found(&asks[ASK_APPLICATION])) {
        ctl_show_problem(ctl, &asks[ASK_APPLICATION]);
    }
    r = ctl_ask_reply(&asks[ASK_DECISION], LEGALAID__REPLY__BODY_DECISION);
    if (r && r->decision) {
        ctl_show_decision(ctl, r->decision);
    } else if (ctl_ask_not_found(&asks[ASK_DECISION])) {
        ctl_fmt_row(_("decision"));
        printf("%s\n", _("none yet"));
    } else if (ctl_case_answered(&asks[ASK_DECISION])) {
        ctl_show_problem(ctl, &asks[ASK_DECISION]);
    }
    r = ctl_ask_reply(&asks[ASK_OBJECTION], LEGALAID__REPLY__BODY_OBJECTION);
    if (r && r->objection)
        ctl_show_objection(ctl, r->objection);
    else if (ctl_case_answered(&asks[ASK_OBJECTION]) &&
             !ctl_case_no_objection(&asks[ASK_OBJECTION]))
        ctl_show_problem(ctl, &asks[ASK_OBJECTION]);
    r = ctl_ask_reply(&asks[ASK_ASSIGNMENT], LEGALAID__REPLY__BODY_ASSIGNMENT);
    if (r && r->assignment) {
        ctl_dispatch_show_assignment(ctl, r->assignment);
    } else if (ctl_ask_not_found(&asks[ASK_ASSIGNMENT])) {
        ctl_fmt_row(_("lawyer"));
        printf("%s\n", _("none yet"));
    } else if (ctl_case_answered(&asks[ASK_ASSIGNMENT])) {
        ctl_show_problem(ctl, &asks[ASK_ASSIGNMENT]);
    }
}

/* The daemon of a timeline row as staff name its work (受理, 审查, 指派,
 * 排班, 通知 in Chinese); ctl_daemon_names are the codes. */
static const char *ctl_case_daemon_label(ctl_daemon_t d)
{
    static const char *const labels[CTL_NDAEMONS] = {N_("intake"), N_("eligibility"),
                                                     N_("dispatch"), N_("roster"), N_("notify")};
    return _(labels[d]);
}

/* Prints the merged timeline; returns the number of events. */
static size_t ctl_case_print_timeline(const ctl_t *ctl, const ctl_ask_t *asks)
{
    size_t n = 0;
    for (int d = 0; d < CTL_NDAEMONS; d++) {
        const Legalaid__Reply *r =
            ctl_ask_reply(&asks[ASK_EVENTS + d], LEGALAID__REPLY__BODY_CASE_EVENTS);
        if (r && r->case_events) n += r->case_events->n_events;
    }
    ctl_case_event_t *events = xcalloc(n ? n : 1, sizeof *events);
    size_t k = 0;
    for (int d = 0; d < CTL_NDAEMONS; d++) {
        const Legalaid__Reply *r =
            ctl_ask_reply(&asks[ASK_EVENTS + d], LEGALAID__REPLY__BODY_CASE_EVENTS);
        if (!r || !r->case_events) continue;
        for (size_t i = 0; i < r->case_events->n_events; i++)
            events[k++] = (ctl_case_event_t){(ctl_daemon_t)d, r->case_events->events[i]};
    }
    qsort(events, n, sizeof *events, ctl_case_event_cmp);
    printf("%s", _("timeline\n"));
    if (n == 0) printf("%s", _("  (no events)\n"));
    for (size_t i = 0; i < n; i++) {
        char t[CTL_TIME_MAX], line[1024];
        ctl_fmt_row(ctl_case_daemon_label(events[i].daemon));
        /* A step whose event was trimmed from the stream log: its kind and
         * time; its detail is in the daemons' state shown above. */
        printf("%s  %s%s\n", ctl_fmt_time(ctl, events[i].ev->occurred_at, t),
               ctl_summary_event(ctl, events[i].ev, line, sizeof line),
               events[i].ev->payload_trimmed ? _(" (detail above; trimmed from the stream log)")
                                             : "");
    }
    for (int d = 0; d < CTL_NDAEMONS; d++)
        if (!ctl_ask_reply(&asks[ASK_EVENTS + d], LEGALAID__REPLY__BODY_CASE_EVENTS))
            ctl_show_problem(ctl, &asks[ASK_EVENTS + d]);
    free(events);
    return n;
}

/* --json: one object holding every daemon's answer. */
static void ctl_case_print_json(const ctl_t *ctl, const char *case_id, const ctl_ask_t *asks)
{
    json_t *j = json_object(), *events = json_array(), *problems = json_object();
    json_object_set_new(j, "case_id", json_string(case_id));
    static const struct {
        int ask;
        const char *key;
        Legalaid__Reply__BodyCase body;
    } parts[] = {
        {ASK_APPLICATION, "application", LEGALAID__REPLY__BODY_APPLICATION},
        {ASK_DECISION, "decision", LEGALAID__REPLY__BODY_DECISION},
        {ASK_OBJECTION, "objection", LEGALAID__REPLY__BODY_OBJECTION},
        {ASK_ASSIGNMENT, "assignment", LEGALAID__REPLY__BODY_ASSIGNMENT},
        {ASK_NOTIFICATIONS, "notifications", LEGALAID__REPLY__BODY_NOTIFICATIONS},
    };
    char why[1024];
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const ctl_ask_t *a = &asks[parts[i].ask];
        const Legalaid__Reply *r = ctl_ask_reply(a, parts[i].body);
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field(&legalaid__reply__descriptor, parts[i].body);
        const ProtobufCMessage *m =
            r && f ? *(ProtobufCMessage *const *)((const char *)r + f->offset) : NULL;
        json_object_set_new(j, parts[i].key, m ? ctl_json_from_message(m, 1) : json_null());
        if (!r && !ctl_ask_not_found(a) &&
            !(parts[i].ask == ASK_OBJECTION && ctl_case_no_objection(a)))
            json_object_set_new(problems, parts[i].key,
                                json_string(ctl_ask_problem(ctl, a, why, sizeof why)));
    }
    size_t n = 0;
    for (int d = 0; d < CTL_NDAEMONS; d++) {
        const Legalaid__Reply *r =
            ctl_ask_reply(&asks[ASK_EVENTS + d], LEGALAID__REPLY__BODY_CASE_EVENTS);
        if (r && r->case_events)
            n += r->case_events->n_events;
        else
            json_object_set_new(
                problems, ctl_daemon_names[d],
                json_string(ctl_ask_problem(ctl, &asks[ASK_EVENTS + d], why, sizeof why)));
    }
    ctl_case_event_t *list = xcalloc(n ? n : 1, sizeof *list);
    size_t k = 0;
    for (int d = 0; d < CTL_NDAEMONS; d++) {
        const Legalaid__Reply *r =
            ctl_ask_reply(&asks[ASK_EVENTS + d], LEGALAID__REPLY__BODY_CASE_EVENTS);
        for (size_t i = 0; r && r->case_events && i < r->case_events->n_events; i++)
            list[k++] = (ctl_case_event_t){(ctl_daemon_t)d, r->case_events->events[i]};
    }
    qsort(list, n, sizeof *list, ctl_case_event_cmp);
    for (size_t i = 0; i < n; i++) {
        json_t *e = ctl_json_from_message(&list[i].ev->base, 1);
        json_object_set_new(e, "daemon", json_string(ctl_daemon_names[list[i].daemon]));
        json_array_append_new(events, e);
    }
    free(list);
    json_object_set_new(j, "events", events);
    json_object_set_new(j, "unavailable", problems);
    ctl_json_print(j);
}

int ctl_case_run(ctl_t *ctl, int argc, char **argv)
{
    int first = ctl_ops_words("case", argc, argv);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (argc - first != 1 || !argv[first][0])
        return ctl_help_usage_error("case", "%s",
                                    argc - first > 1 ? _("give one case number")
                                                     : _("give the case number, like BT-2026-000001"));
    char *case_id = argv[first];
    ctl_ask_t asks[ASK_N];
    Legalaid__CaseEventsQuery q = LEGALAID__CASE_EVENTS_QUERY__INIT;
    Legalaid__GetApplication ga = LEGALAID__GET_APPLICATION__INIT;
    Legalaid__GetDecision gd = LEGALAID__GET_DECISION__INIT;
    Legalaid__GetAssignment gs = LEGALAID__GET_ASSIGNMENT__INIT;
    Legalaid__ListNotifications ln = LEGALAID__LIST_NOTIFICATIONS__INIT;
    Legalaid__GetObjection go = LEGALAID__GET_OBJECTION__INIT;
    q.case_id = ga.case_id = gd.case_id = gs.case_id = ln.case_id = go.case_id = case_id;
    for (int d = 0; d < CTL_NDAEMONS; d++) {
        ctl_ask_init(&asks[ASK_EVENTS + d], (ctl_daemon_t)d);
        asks[ASK_EVENTS + d].req.body_case = LEGALAID__REQUEST__BODY_CASE_EVENTS;
        asks[ASK_EVENTS + d].req.case_events = &q;
    }
    ctl_ask_init(&asks[ASK_APPLICATION], CTL_INTAKE);
    asks[ASK_APPLICATION].req.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    asks[ASK_APPLICATION].req.get_application = &ga;
    ctl_ask_init(&asks[ASK_DECISION], CTL_ELIGIBILITY);
    asks[ASK_DECISION].req.body_case = LEGALAID__REQUEST__BODY_GET_DECISION;
    asks[ASK_DECISION].req.get_decision = &gd;
    ctl_ask_init(&asks[ASK_ASSIGNMENT], CTL_DISPATCH);
    asks[ASK_ASSIGNMENT].req.body_case = LEGALAID__REQUEST__BODY_GET_ASSIGNMENT;
    asks[ASK_ASSIGNMENT].req.get_assignment = &gs;
    ctl_ask_init(&asks[ASK_NOTIFICATIONS], CTL_NOTIFY);
    asks[ASK_NOTIFICATIONS].req.body_case = LEGALAID__REQUEST__BODY_LIST_NOTIFICATIONS;
    asks[ASK_NOTIFICATIONS].req.list_notifications = &ln;
    ctl_ask_init(&asks[ASK_OBJECTION], CTL_ELIGIBILITY);
    asks[ASK_OBJECTION].req.body_case = LEGALAID__REQUEST__BODY_GET_OBJECTION;
    asks[ASK_OBJECTION].req.get_objection = &go;
    ctl_ask_all(ctl, asks, ASK_N);

    int unanswered = 0, known = 0;
    for (int i = 0; i < ASK_N; i++) {
        if (asks[i].rc != 0 || !asks[i].reply) unanswered = 1;
        if (!ctl_ask_ok(&asks[i])) continue;
        const Legalaid__Reply *r = asks[i].reply;
        if ((r->body_case == LEGALAID__REPLY__BODY_CASE_EVENTS && r->case_events &&
             r->case_events->n_events) ||
            (r->body_case == LEGALAID__REPLY__BODY_NOTIFICATIONS && r->notifications &&
             r->notifications->n_notifications) ||
            i == ASK_APPLICATION || i == ASK_DECISION || i == ASK_ASSIGNMENT || i == ASK_OBJECTION)
            known = 1;
    }
    if (ctl->json) {
        ctl_case_print_json(ctl, case_id, asks);
    } else if (!known && !unanswered) {
        printf(_("case %s: no daemon knows this case\n"), case_id);
    } else {
        ctl_case_print_header(ctl, case_id, asks);
        ctl_case_print_timeline(ctl, asks);
        ctl_notify_case_print(ctl, &asks[ASK_NOTIFICATIONS]);
    }
    ctl_ask_free(asks, ASK_N);
    if (unanswered) return CTL_EXIT_FAILURE;
    return known ? CTL_EXIT_OK : CTL_EXIT_REJECTED;
}
