/*
 * test-notify.c - notify through real turns: for each upstream event the
 * parties told and what they are told (case number, decision articles and
 * deadline, missing materials, the lawyer appointed), masked phones, a
 * contact learned after the event, one event never notifying a party
 * twice, and the per-case list in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "notify.h"
#include "notify_config.h"
#include "notify_int.h"
#include "notify_render.h"
#include "test-notify.h"
#include "testutil.h"

/* 2026-03-02 10:00 Beijing time */
#define NOW 1772416800000LL

typedef struct fixture {
    test_daemon_t td; /* first: see test_fixture_setup */
} fixture_t;

static int setup(void **state)
{
    test_notify_templates();
    return test_fixture_setup(state, sizeof(fixture_t), &notify_service, NOW);
}

static int teardown(void **state)
{
    return test_fixture_teardown(state);
}

/* Event parts kept alive for one feed. */
typedef struct parts {
    Legalaid__Event ev;
    char event_id[64];
    Legalaid__Application app;
    Legalaid__Person person;
    Legalaid__Authority authority;
    Legalaid__ApplicationReceived received;
    Legalaid__DefenceNotificationReceived notice;
    Legalaid__Decision decision;
    Legalaid__EligibilityDecided decided;
    Legalaid__Lawyer lawyer;
    Legalaid__Assignment assignment;
    Legalaid__LawyerAssigned assigned;
    Legalaid__Shift shift;
    Legalaid__ShiftAssigned shift_assigned;
    Legalaid__DeadLettered dead_lettered;
    Legalaid__MaterialsSupplemented supplemented;
    Legalaid__Objection objection;
    Legalaid__ObjectionFiled objection_filed;
    Legalaid__ObjectionDecided objection_decided;
} parts_t;

static void event_init(parts_t *p, const char *stream, uint64_t seq, const char *case_id)
{
    memset(p, 0, sizeof *p);
    legalaid__event__init(&p->ev);
    p->ev.has_seq = 1;
    p->ev.seq = seq;
    snprintf(p->event_id, sizeof p->event_id, "%s:%llu", stream, (unsigned long long)seq);
    p->ev.event_id = p->event_id;
    p->ev.stream = (char *)stream;
    p->ev.case_id = (char *)case_id;
    p->ev.has_occurred_at = 1;
    p->ev.occurred_at = NOW;
}

static void application_init(parts_t *p, const char *case_id)
{
    legalaid__application__init(&p->app);
    legalaid__person__init(&p->person);
    legalaid__authority__init(&p->authority);
    p->person.name = "王建国";
    p->person.phone = "13904721234";
    p->app.case_id = (char *)case_id;
    p->app.applicant = &p->person;
}

static void feed(fixture_t *f, const char *upstream, parts_t *p)
{
    Legalaid__Event *evs[1] = {&p->ev};
    assert_int_equal(daemon_feed(f->td.d, upstream, evs, 1), 0);
}

static void feed_received(fixture_t *f, uint64_t seq, const char *case_id)
{
    parts_t p;
    event_init(&p, "intake", seq, case_id);
    application_init(&p, case_id);
    legalaid__application_received__init(&p.received);
    p.received.application = &p.app;
    p.ev.body_case = LEGALAID__EVENT__BODY_APPLICATION_RECEIVED;
    p.ev.application_received = &p.received;
    feed(f, "intake", &p);
}

static void decision_init(parts_t *p, uint64_t seq, const char *case_id, Legalaid__Outcome outcome,
                          char **articles, size_t n_articles)
{
    event_init(p, "eligibility", seq, case_id);
    legalaid__decision__init(&p->decision);
    p->decision.case_id = (char *)case_id;
    p->decision.has_outcome = 1;
    p->decision.outcome = outcome;
    p->decision.articles = articles;
    p->decision.n_articles = n_articles;
    legalaid__eligibility_decided__init(&p->decided);
    p->decided.decision = &p->decision;
    p->ev.body_case = LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED;
    p->ev.eligibility_decided = &p->decided;
}

static void assigned_init(parts_t *p, uint64_t seq, const char *case_id)
{
    event_init(p, "dispatch", seq, case_id);
    legalaid__lawyer__init(&p->lawyer);
    p->lawyer.id = "L017";
    p->lawyer.name = "李明";
    p->lawyer.firm = "内蒙古北辰律师事务所";
    p->lawyer.phone = "13847205678";
    legalaid__assignment__init(&p->assignment);
    p->assignment.case_id = (char *)case_id;
    p->assignment.has_state = 1;
    p->assignment.state = LEGALAID__ASSIGNMENT_STATE__ASSIGNED;
    p->assignment.lawyer = &p->lawyer;
    legalaid__lawyer_assigned__init(&p->assigned);
    p->assigned.assignment = &p->assignment;
    p->ev.body_case = LEGALAID__EVENT__BODY_LAWYER_ASSIGNED;
    p->ev.lawyer_assigned = &p->assigned;
}

/* The case's notifications (free with legalaid__reply__free_unpacked). */
static Legalaid__Reply *list(fixture_t *f, const char *case_id)
{
    Legalaid__ListNotifications ln = LEGALAID__LIST_NOTIFICATIONS__INIT;
    ln.case_id = (char *)case_id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_LIST_NOTIFICATIONS;
    req.list_notifications = &ln;
    Legalaid__Reply *r = test_call(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_NOTIFICATIONS);
    return r;
}

/* The dead letters of notify's status. */
static uint64_t dead_letters(fixture_t *f)
{
    Legalaid__StreamStatusQuery sq = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &sq;
    Legalaid__Reply *r = test_call(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    uint64_t v = r->stream_status->dead_letters;
    legalaid__reply__free_unpacked(r, NULL);
    return v;
}

static void assert_note(const Legalaid__Notification *n, Legalaid__Party party, const char *kind,
                        const char *recipient, const char *address)
{
    assert_int_equal(n->party, party);
    assert_string_equal(n->kind, kind);
    assert_string_equal(n->recipient, recipient);
    assert_string_equal(n->address, address);
}

static void assert_text_has(const Legalaid__Notification *n, const char *part)
{
    if (!strstr(n->text, part)) fail_msg("text \"%s\" lacks \"%s\"", n->text, part);
}

static void test_render_helpers(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a);
    assert_string_equal(notify_render_phone_mask(&a, "13904721234"), "139****1234");
    assert_string_equal(notify_render_phone_mask(&a, "0472-2812348"), "047****2348");
    assert_string_equal(notify_render_phone_mask(&a, "12345"), "****");
    assert_string_equal(notify_render_phone_mask(&a, NULL), "-");
    assert_string_equal(notify_render_phone_mask(&a, ""), "-");
    assert_string_equal(notify_render_article(&a, "Legal Aid Law art. 25(1)(1)"),
                        "《法律援助法》第25条第1款第1项");
    assert_string_equal(notify_render_article(&a, "Legal Aid Law art. 43(2)"),
                        "《法律援助法》第43条第2款");
    assert_string_equal(notify_render_article(&a, "Legal Aid Law art. 41"), "《法律援助法》第41条");
    assert_string_equal(notify_render_article(&a, "Legal Aid Law art. 31(4)"),
                        "《法律援助法》第31条第4项");
    assert_string_equal(notify_render_article(&a, "Legal Aid Law art. 42(3)"),
                        "《法律援助法》第42条第3项");
    /* Anything else stays as written rather than being guessed at. */
    assert_string_equal(notify_render_article(&a, "Legal Aid Law art. 41 (commitment)"),
                        "Legal Aid Law art. 41 (commitment)");
    assert_string_equal(notify_render_article(&a, "SPC Interpretation art. 47"),
                        "SPC Interpretation art. 47");
    assert_string_equal(notify_render_date(&a, NOW + 3 * MS_PER_DAY), "2026年3月5日");
    arena_destroy(&a);
}

static void test_receipt_and_decisions(void **state)
{
    fixture_t *f = *state;
    feed_received(f, 1, "BT-2026-000001");
    Legalaid__Reply *r = list(f, "BT-2026-000001");
    assert_int_equal(r->notifications->n_notifications, 1);
    Legalaid__Notification *n = r->notifications->notifications[0];
    assert_note(n, LEGALAID__PARTY__APPLICANT, "receipt", "王建国", "139****1234");
    assert_string_equal(n->text, "【法律援助】您的申请已受理，案件编号BT-2026-000001。");
    assert_string_equal(n->source_event, "intake:1");
    assert_string_equal(n->case_id, "BT-2026-000001");
    assert_in_range(n->recorded_at, NOW, NOW + 60000);
    legalaid__reply__free_unpacked(r, NULL);

    /* Approved on the commitment letter: articles, the check and the 3-day assignment deadline. */
    char *approved_articles[] = {"Legal Aid Law art. 31(5)", "Legal Aid Law art. 41"};
    parts_t p;
    decision_init(&p, 1, "BT-2026-000001", LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION,
                  approved_articles, 2);
    p.decision.has_assign_due_at = 1;
    p.decision.assign_due_at = NOW + 3 * MS_PER_DAY;
    p.decision.has_verification_due_at = 1;
    p.decision.verification_due_at = NOW + 30 * MS_PER_DAY;
    feed(f, "eligibility", &p);
    r = list(f, "BT-2026-000001");
    assert_int_equal(r->notifications->n_notifications, 2);
    n = r->notifications->notifications[1];
    assert_note(n, LEGALAID__PARTY__APPLICANT, "decision", "王建国", "139****1234");
    assert_text_has(n, "BT-2026-000001");
    assert_text_has(n, "决定给予法律援助");
    assert_text_has(n, "《法律援助法》第31条第5项、第41条");
    assert_text_has(n, "2026年4月1日前核查");
    assert_text_has(n, "2026年3月5日前为您指派律师");
    legalaid__reply__free_unpacked(r, NULL);

    /* Missing materials: every one of them in the one notice (art. 43(2)). */
    feed_received(f, 2, "BT-2026-000002");
    char *materials_articles[] = {"Legal Aid Law art. 43(2)"};
    char *missing[] = {"经济困难状况说明表", "劳动合同或工资欠条"};
    decision_init(&p, 2, "BT-2026-000002", LEGALAID__OUTCOME__NEEDS_MATERIALS, materials_articles,
                  1);
    p.decision.missing_materials = missing;
    p.decision.n_missing_materials = 2;
    p.decision.has_materials_due_at = 1;
    p.decision.materials_due_at = NOW + 7 * MS_PER_DAY;
    feed(f, "eligibility", &p);
    r = list(f, "BT-2026-000002");
    assert_int_equal(r->notifications->n_notifications, 2);
    n = r->notifications->notifications[1];
    assert_string_equal(n->kind, "decision");
    assert_text_has(n, "BT-2026-000002");
    assert_text_has(n, "《法律援助法》第43条第2款");
    assert_text_has(n, "经济困难状况说明表；劳动合同或工资欠条");
    assert_text_has(n, "请于2026年3月9日前补充");
    assert_text_has(n, "视为撤回");
    legalaid__reply__free_unpacked(r, NULL);

    /* Refused: the reason and where to object (art. 49). */
    feed_received(f, 3, "BT-2026-000003");
    char *refused_articles[] = {"Legal Aid Law art. 31"};
    decision_init(&p, 3, "BT-2026-000003", LEGALAID__OUTCOME__REFUSED, refused_articles, 1);
    p.decision.reason = "所涉事项不属于法律援助范围";
    feed(f, "eligibility", &p);
    r = list(f, "BT-2026-000003");
    n = r->notifications->notifications[1];
    assert_text_has(n, "决定不予法律援助（依据《法律援助法》第31条）");
    assert_text_has(n, "不予法律援助决定书");
    assert_text_has(n, "第49条");
    legalaid__reply__free_unpacked(r, NULL);

    assert_int_equal(test_counter(f->td.d, "notifications"), 6);
    assert_int_equal(test_counter(f->td.d, "notifications.applicant"), 6);
    assert_int_equal(test_counter(f->td.d, "notifications.lawyer"), 0);
}

static void test_notice_assignment_tells_authority(void **state)
{
    fixture_t *f = *state;
    const char *cid = "BT-2026-000010";
    parts_t p;
    event_init(&p, "intake", 1, cid);
    application_init(&p, cid);
    p.person.name = "赵小军";
    p.person.phone = NULL; /* a detained defendant */
    p.authority.has_kind = 1;
    p.authority.kind = LEGALAID__AUTHORITY_KIND__COURT;
    p.authority.name = "包头市昆都仑区人民法院";
    p.authority.phone = "0472-2123456";
    p.authority.reference = "(2026)内0203刑初88号";
    p.app.authority = &p.authority;
    legalaid__defence_notification_received__init(&p.notice);
    p.notice.application = &p.app;
    p.ev.body_case = LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED;
    p.ev.defence_notification_received = &p.notice;
    feed(f, "intake", &p);

    char *articles[] = {"Legal Aid Law art. 25(1)(1)"};
    decision_init(&p, 1, cid, LEGALAID__OUTCOME__APPROVED, articles, 1);
    feed(f, "eligibility", &p);

    Legalaid__Authority court = LEGALAID__AUTHORITY__INIT;
    court.has_kind = 1;
    court.kind = LEGALAID__AUTHORITY_KIND__COURT;
    court.name = "包头市昆都仑区人民法院";
    court.phone = "0472-2123456";
    court.reference = "(2026)内0203刑初88号";
    assigned_init(&p, 1, cid);
    p.assigned.authority = &court;
    feed(f, "dispatch", &p);

    Legalaid__Reply *r = list(f, cid);
    Legalaid__NotificationList *l = r->notifications;
    assert_int_equal(l->n_notifications, 5);
    for (size_t i = 1; i < l->n_notifications; i++)
        assert_true(l->notifications[i]->id > l->notifications[i - 1]->id);

    assert_note(l->notifications[0], LEGALAID__PARTY__AUTHORITY, "notice_acknowledged",
                "包头市昆都仑区人民法院", "047****3456");
    assert_text_has(l->notifications[0], "(2026)内0203刑初88号");
    assert_text_has(l->notifications[0], cid);
    assert_note(l->notifications[1], LEGALAID__PARTY__APPLICANT, "decision", "赵小军", "-");
    assert_text_has(l->notifications[1], "《法律援助法》第25条第1款第1项");
    assert_note(l->notifications[2], LEGALAID__PARTY__APPLICANT, "assignment", "赵小军", "-");
    assert_text_has(l->notifications[2], "内蒙古北辰律师事务所李明律师");
    assert_note(l->notifications[3], LEGALAID__PARTY__LAWYER, "assignment", "李明", "138****5678");
    assert_text_has(l->notifications[3], cid);
    assert_text_has(l->notifications[3], "赵小军");
    /* Legal Aid Law art. 36: the court is told who was appointed. */
    assert_note(l->notifications[4], LEGALAID__PARTY__AUTHORITY, "appointment",
                "包头市昆都仑区人民法院", "047****3456");
    assert_text_has(l->notifications[4], "李明律师");
    assert_text_has(l->notifications[4], "第36条");
    assert_string_equal(l->notifications[4]->source_event, "dispatch:1");
    legalaid__reply__free_unpacked(r, NULL);

    /* An application case: the applicant and the lawyer, no authority. */
    feed_received(f, 2, "BT-2026-000011");
    assigned_init(&p, 2, "BT-2026-000011");
    feed(f, "dispatch", &p);
    r = list(f, "BT-2026-000011");
    assert_int_equal(r->notifications->n_notifications, 3);
    assert_note(r->notifications->notifications[1], LEGALAID__PARTY__APPLICANT, "assignment",
                "王建国", "139****1234");
    assert_note(r->notifications->notifications[2], LEGALAID__PARTY__LAWYER, "assignment", "李明",
                "138****5678");
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "notifications.authority"), 2);
    assert_int_equal(test_counter(f->td.d, "notifications.lawyer"), 2);
    assert_int_equal(test_counter(f->td.d, "notifications.applicant"), 4);
}

static void test_events_that_concern_nobody(void **state)
{
    fixture_t *f = *state;
    parts_t p;
    event_init(&p, "dispatch", 1, "BT-2026-000020");
    Legalaid__AssignmentQueued q = LEGALAID__ASSIGNMENT_QUEUED__INIT;
    q.case_id = "BT-2026-000020";
    p.ev.body_case = LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED;
    p.ev.assignment_queued = &q;
    feed(f, "dispatch", &p);
    event_init(&p, "dispatch", 2, NULL);
    Legalaid__LawyersImported li = LEGALAID__LAWYERS_IMPORTED__INIT;
    p.ev.body_case = LEGALAID__EVENT__BODY_LAWYERS_IMPORTED;
    p.ev.lawyers_imported = &li;
    feed(f, "dispatch", &p);
    event_init(&p, "roster", 1, NULL);
    Legalaid__StationsImported si = LEGALAID__STATIONS_IMPORTED__INIT;
    p.ev.body_case = LEGALAID__EVENT__BODY_STATIONS_IMPORTED;
    p.ev.stations_imported = &si;
    feed(f, "roster", &p);
    /* An event with no body this build knows. */
    event_init(&p, "intake", 1, "BT-2026-000020");
    feed(f, "intake", &p);
    assert_int_equal(test_counter(f->td.d, "notifications"), 0);
    assert_int_equal(dead_letters(f), 0);

    /* A duty shift tells the lawyer, under no case. */
    event_init(&p, "roster", 2, NULL);
    legalaid__shift__init(&p.shift);
    p.shift.station = "KDL-COURT";
    p.shift.lawyer_id = "L017";
    p.shift.lawyer_name = "李明";
    p.shift.lawyer_phone = "13847205678";
    p.shift.has_starts_at = p.shift.has_ends_at = p.shift.has_role = p.shift.has_mode = 1;
    p.shift.starts_at = NOW - 2 * MS_PER_HOUR;
    p.shift.ends_at = NOW + 7 * MS_PER_HOUR;
    p.shift.role = LEGALAID__SHIFT_ROLE__BACKUP;
    p.shift.mode = LEGALAID__DUTY_MODE__ON_SITE;
    legalaid__shift_assigned__init(&p.shift_assigned);
    p.shift_assigned.shift = &p.shift;
    p.ev.body_case = LEGALAID__EVENT__BODY_SHIFT_ASSIGNED;
    p.ev.shift_assigned = &p.shift_assigned;
    feed(f, "roster", &p);
    assert_int_equal(test_counter(f->td.d, "notifications"), 1);
    assert_int_equal(test_counter(f->td.d, "notifications.lawyer"), 1);

    /* An unknown case lists empty, not an error; no case_id is one. */
    Legalaid__Reply *r = list(f, "BT-2026-000020");
    assert_int_equal(r->notifications->n_notifications, 0);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__ListNotifications ln = LEGALAID__LIST_NOTIFICATIONS__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_LIST_NOTIFICATIONS;
    req.list_notifications = &ln;
    r = test_call(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "list_notifications.case_id");
    legalaid__reply__free_unpacked(r, NULL);

    /* A LawyerAssigned without its lawyer can never apply: dead letter,
     * and the stream moves on. */
    parts_t bad;
    assigned_init(&bad, 3, "BT-2026-000021");
    bad.assignment.lawyer = NULL;
    feed(f, "dispatch", &bad);
    assert_int_equal(test_counter(f->td.d, "notifications"), 1);
    assert_int_equal(dead_letters(f), 1);
    assigned_init(&p, 4, "BT-2026-000021");
    feed(f, "dispatch", &p);
    assert_int_equal(test_counter(f->td.d, "notifications"), 3);
}

/* The messages waiting for delivery (caseless ones are found here). */
static Legalaid__Reply *pending(fixture_t *f)
{
    Legalaid__NotificationsQuery q = LEGALAID__NOTIFICATIONS_QUERY__INIT;
    q.state = LEGALAID__OUTBOX_STATE__OUTBOX_PENDING;
    q.has_state = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_NOTIFICATIONS_QUERY;
    req.notifications_query = &q;
    Legalaid__Reply *r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    return r;
}

static void test_shift_text(void **state)
{
    fixture_t *f = *state;
    parts_t p;
    event_init(&p, "roster", 1, NULL);
    legalaid__shift__init(&p.shift);
    p.shift.station = "BT-DC1";
    p.shift.lawyer_id = "L-7";
    p.shift.lawyer_name = "周律师";
    p.shift.starts_at = NOW + 10 * MS_PER_HOUR; /* 20:00 */
    p.shift.has_starts_at = 1;
    p.shift.ends_at = NOW + 22 * MS_PER_HOUR; /* 08:00 next day */
    p.shift.has_ends_at = 1;
    p.shift.role = LEGALAID__SHIFT_ROLE__PRIMARY;
    p.shift.has_role = 1;
    p.shift.mode = LEGALAID__DUTY_MODE__BY_PHONE;
    p.shift.has_mode = 1;
    legalaid__shift_assigned__init(&p.shift_assigned);
    p.shift_assigned.shift = &p.shift;
    p.ev.body_case = LEGALAID__EVENT__BODY_SHIFT_ASSIGNED;
    p.ev.shift_assigned = &p.shift_assigned;
    p.shift.lawyer_phone = "13900000007";
    test_notify_set(&notify_config.sms_url, "http://127.0.0.1:9/sms");
    feed(f, "roster", &p);
    assert_int_equal(test_counter(f->td.d, "notifications.lawyer"), 1);
    /* A shift concerns no case: it is found among the pending messages. */
    Legalaid__Reply *r = pending(f);
    assert_int_equal(r->notifications->n_notifications, 1);
    Legalaid__Notification *n = r->notifications->notifications[0];
    assert_string_equal(n->kind, "shift");
    assert_string_equal(n->recipient, "周律师");
    assert_string_equal(n->address, "139****0007");
    assert_string_equal(n->text, "【法律援助】值班安排：2026年3月2日20:00至3月3日08:00，工作站BT-"
                                 "DC1，A岗（主班），电话值班。");
    legalaid__reply__free_unpacked(r, NULL);
}

/* A daemon's dead letter reaches the centre's staff, with what to do. */
static void test_dead_letter_tells_staff(void **state)
{
    fixture_t *f = *state;
    parts_t p;
    event_init(&p, "dispatch", 1, NULL);
    legalaid__dead_lettered__init(&p.dead_lettered);
    p.dead_lettered.daemon = "dispatch";
    p.dead_lettered.stream = "eligibility";
    p.dead_lettered.seq = 42;
    p.dead_lettered.has_seq = 1;
    p.dead_lettered.reason = "the decision has no case_id";
    p.dead_lettered.id = 3;
    p.dead_lettered.has_id = 1;
    p.ev.body_case = LEGALAID__EVENT__BODY_DEAD_LETTERED;
    p.ev.dead_lettered = &p.dead_lettered;
    test_notify_set(&notify_config.sms_url, "http://127.0.0.1:9/sms");
    test_notify_set(&notify_config.staff_phones, "13900000009");
    char err[256];
    assert_int_equal(notify_config_check(err, sizeof err), 0);
    feed(f, "dispatch", &p);
    assert_int_equal(dead_letters(f), 0);
    assert_int_equal(test_counter(f->td.d, "notifications.staff"), 1);
    Legalaid__Reply *r = pending(f);
    assert_int_equal(r->notifications->n_notifications, 1);
    Legalaid__Notification *n = r->notifications->notifications[0];
    assert_string_equal(n->kind, "dead_letter");
    assert_int_equal(n->party, LEGALAID__PARTY__STAFF);
    assert_string_equal(n->text,
                        "【法律援助】系统告警：指派服务无法处理来自审查服务的第42号事件，"
                        "已转为死信第3号。请查明原因后执行 legalaidctl redrive dispatch 3 重新处理。");
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_same_event_never_twice(void **state)
{
    fixture_t *f = *state;
    feed_received(f, 1, "BT-2026-000030");
    assert_int_equal(test_counter(f->td.d, "notifications"), 1);
    /* The same batch again (a resent fetch): seq 1 is already applied. */
    feed_received(f, 1, "BT-2026-000030");
    assert_int_equal(test_counter(f->td.d, "notifications"), 1);
    Legalaid__Reply *r = list(f, "BT-2026-000030");
    assert_int_equal(r->notifications->n_notifications, 1);
    legalaid__reply__free_unpacked(r, NULL);
    /* The stream went on: seq 2 is applied. */
    feed_received(f, 2, "BT-2026-000031");
    assert_int_equal(test_counter(f->td.d, "notifications"), 2);
}

/* A store of an earlier build, which kept "by_source" beside every
 * notification: the table is gone after the next open, with its pages, and
 * the case's notifications still list. */
static void test_by_source_of_an_earlier_build_dropped(void **state)
{
    fixture_t *f = *state;
    feed_received(f, 1, "BT-2026-000032");
    daemon_close_test(&f->td.d);
    MDB_txn *txn;
    MDB_env *env = test_env_begin(f->td.dir, &txn);
    MDB_dbi dbi;
    assert_int_equal(mdb_dbi_open(txn, "by_source", MDB_CREATE, &dbi), 0);
    unsigned char id[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    MDB_val k = {strlen("intake:1") + 2, "intake:1\0\1"}, v = {8, id};
    assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    f->td.d = daemon_open_test(&notify_service, f->td.dir);
    assert_non_null(f->td.d);
    assert_int_equal(mdb_txn_begin(daemon_env(f->td.d), NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "by_source", 0, &dbi), MDB_NOTFOUND);
    mdb_txn_abort(txn);
    Legalaid__Reply *r = list(f, "BT-2026-000032");
    assert_int_equal(r->notifications->n_notifications, 1);
    legalaid__reply__free_unpacked(r, NULL);
    feed_received(f, 2, "BT-2026-000033");
    assert_int_equal(test_counter(f->td.d, "notifications"), 2);
}

/* What keeps one event from telling one party twice, with no index of its
 * own (notify_store.h): the rule table has one row per (event kind,
 * party); a second row would send a second notice of the same event to
 * the same person. */
static void test_one_rule_row_per_event_and_party(void **state)
{
    (void)state;
    assert_true(notify_rules_count > 30);
    for (size_t i = 0; i < notify_rules_count; i++)
        for (size_t j = i + 1; j < notify_rules_count; j++)
            if (notify_rules[i].body == notify_rules[j].body &&
                notify_rules[i].party == notify_rules[j].party)
                fail_msg("rows %zu and %zu: event kind %d, party %d twice", i, j,
                         notify_rules[i].body, (int)notify_rules[i].party);
}

static void test_contact_learned_after_decision(void **state)
{
    fixture_t *f = *state;
    /* eligibility's stream arrives before intake's. */
    char *articles[] = {"Legal Aid Law art. 42(3)"};
    parts_t p;
    decision_init(&p, 1, "BT-2026-000040", LEGALAID__OUTCOME__APPROVED, articles, 1);
    feed(f, "eligibility", &p);
    Legalaid__Reply *r = list(f, "BT-2026-000040");
    assert_int_equal(r->notifications->n_notifications, 1);
    assert_note(r->notifications->notifications[0], LEGALAID__PARTY__APPLICANT, "decision",
                "申请人", "-");
    assert_true(r->notifications->notifications[0]->contact_pending);
    legalaid__reply__free_unpacked(r, NULL);

    feed_received(f, 1, "BT-2026-000040");
    r = list(f, "BT-2026-000040");
    assert_int_equal(r->notifications->n_notifications, 2);
    assert_note(r->notifications->notifications[0], LEGALAID__PARTY__APPLICANT, "decision",
                "王建国", "139****1234");
    assert_false(r->notifications->notifications[0]->contact_pending);
    assert_note(r->notifications->notifications[1], LEGALAID__PARTY__APPLICANT, "receipt", "王建国",
                "139****1234");
    legalaid__reply__free_unpacked(r, NULL);
}

/* After the first decision: materials supplied, withdrawal, deemed
 * withdrawal, termination and the objection route each reach the applicant. */
static void test_lifecycle_notices(void **state)
{
    fixture_t *f = *state;
    const char *cid = "BT-2026-000020";
    feed_received(f, 1, cid);
    parts_t p;

    event_init(&p, "intake", 2, cid);
    char *added[] = {"经济困难状况说明表", "工资欠条"};
    legalaid__materials_supplemented__init(&p.supplemented);
    p.supplemented.case_id = (char *)cid;
    p.supplemented.materials = added;
    p.supplemented.n_materials = 2;
    p.ev.body_case = LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED;
    p.ev.materials_supplemented = &p.supplemented;
    feed(f, "intake", &p);

    char *terminated[] = {"Legal Aid Law art. 48(1)"};
    decision_init(&p, 1, cid, LEGALAID__OUTCOME__TERMINATED, terminated, 1);
    feed(f, "eligibility", &p);

    event_init(&p, "eligibility", 2, cid);
    legalaid__objection__init(&p.objection);
    p.objection.case_id = (char *)cid;
    p.objection.has_state = 1;
    p.objection.state = LEGALAID__OBJECTION_STATE__FILED;
    p.objection.has_due_at = 1;
    p.objection.due_at = NOW + 5 * MS_PER_DAY;
    legalaid__objection_filed__init(&p.objection_filed);
    p.objection_filed.objection = &p.objection;
    p.ev.body_case = LEGALAID__EVENT__BODY_OBJECTION_FILED;
    p.ev.objection_filed = &p.objection_filed;
    feed(f, "eligibility", &p);

    event_init(&p, "eligibility", 3, cid);
    legalaid__objection__init(&p.objection);
    p.objection.case_id = (char *)cid;
    p.objection.has_state = 1;
    p.objection.state = LEGALAID__OBJECTION_STATE__UPHELD;
    legalaid__objection_decided__init(&p.objection_decided);
    p.objection_decided.objection = &p.objection;
    p.ev.body_case = LEGALAID__EVENT__BODY_OBJECTION_DECIDED;
    p.ev.objection_decided = &p.objection_decided;
    feed(f, "eligibility", &p);

    Legalaid__Reply *r = list(f, cid);
    Legalaid__NotificationList *nl = r->notifications;
    assert_int_equal(nl->n_notifications, 5);
    assert_string_equal(nl->notifications[1]->kind, "materials_received");
    assert_text_has(nl->notifications[1], "经济困难状况说明表、工资欠条");
    assert_string_equal(nl->notifications[2]->kind, "decision");
    assert_text_has(nl->notifications[2], "决定终止法律援助（依据《法律援助法》第48条第1项）");
    assert_text_has(nl->notifications[2], "第49条");
    assert_string_equal(nl->notifications[3]->kind, "objection_received");
    assert_text_has(nl->notifications[3], "2026年3月7日前作出决定");
    assert_string_equal(nl->notifications[4]->kind, "objection_decided");
    assert_text_has(nl->notifications[4], "维持原决定");
    assert_text_has(nl->notifications[4], "行政复议");
    for (size_t i = 0; i < nl->n_notifications; i++)
        assert_int_equal(nl->notifications[i]->party, LEGALAID__PARTY__APPLICANT);
    legalaid__reply__free_unpacked(r, NULL);

    /* Deemed withdrawn (art. 43(2)) and withdrawn by the applicant. */
    const char *cid2 = "BT-2026-000021";
    feed_received(f, 3, cid2);
    char *art43[] = {"Legal Aid Law art. 43(2)"};
    decision_init(&p, 4, cid2, LEGALAID__OUTCOME__DEEMED_WITHDRAWN, art43, 1);
    feed(f, "eligibility", &p);
    decision_init(&p, 5, cid2, LEGALAID__OUTCOME__WITHDRAWN, NULL, 0);
    feed(f, "eligibility", &p);
    r = list(f, cid2);
    nl = r->notifications;
    assert_int_equal(nl->n_notifications, 3);
    assert_text_has(nl->notifications[1], "视为撤回申请");
    assert_text_has(nl->notifications[2], "您已撤回法律援助申请");
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lifecycle_notices, setup, teardown),
        cmocka_unit_test(test_render_helpers),
        cmocka_unit_test_setup_teardown(test_shift_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dead_letter_tells_staff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receipt_and_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notice_assignment_tells_authority, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_that_concern_nobody, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_event_never_twice, setup, teardown),
        cmocka_unit_test(test_one_rule_row_per_event_and_party),
        cmocka_unit_test_setup_teardown(test_by_source_of_an_earlier_build_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contact_learned_after_decision, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
