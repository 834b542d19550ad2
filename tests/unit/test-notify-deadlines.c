/*
 * test-notify-deadlines.c - the deadlines of the law reach notify's timers
 * and are told (issue 17, item 1). First with eligibility, dispatch and
 * notify all real, played stream to stream: a police notice nobody takes
 * for its 3 days (art. 36) gives the staff a reminder, then at the breach
 * the staff and the police are told, once each, and dispatch's own
 * DeadlineMissed for it adds nothing; the same notice taken by a lawyer
 * meets the timer in dispatch (same key, "assignment") and nobody hears of
 * a breach. The materials deadline (art. 43(2)) reminds the applicant and
 * the staff and is gone, its breach being the deemed withdrawal (told as
 * eligibility's decision); set too late for its reminder it is not kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatchkit.h"
#include "eligibility.h"
#include "eligibilitykit.h"
#include "notify.h"
#include "notify_config.h"
#include "notify_store.h"
#include "test-notify.h"
#include "testutil.h"

#define T0 EK_T0             /* 2026-03-02 10:00 Beijing time, a Monday */
#define END0 1772467200000LL /* 2026-03-02 24:00 */
#define END(n) (END0 + (n)*MS_PER_DAY)
#define POLICE "包头市公安局昆都仑区分局"
#define MAX_NOTES 32

typedef struct fixture {
    test_daemon_t elig, disp, notify;
    uint64_t intake_seq;           /* intake's stream as the test plays it */
    uint64_t elig_read, disp_read; /* fed on so far */
    uint64_t seen;                 /* notify's last notification taken */
    Legalaid__Notification *notes[MAX_NOTES];
    size_t n;
} fixture_t;

static void notes_free(fixture_t *f)
{
    for (size_t i = 0; i < f->n; i++) legalaid__notification__free_unpacked(f->notes[i], NULL);
    f->n = 0;
}

static int setup(void **state)
{
    test_notify_templates();
    fixture_t *f = calloc(1, sizeof *f);
    test_daemon_open(&f->elig, &eligibility_service, T0);
    test_daemon_open(&f->disp, &dispatch_service, T0);
    test_daemon_open(&f->notify, &notify_service, T0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    notes_free(f);
    notify_config.deadline_lead_minutes = 1440; /* the shipped default */
    test_daemon_close(&f->notify);
    test_daemon_close(&f->disp);
    test_daemon_close(&f->elig);
    free(f);
    return 0;
}

/* Feeds from's new events (after *read) to each of to[0..n). */
static void relay(daemon_t *from, const char *stream, uint64_t *read, daemon_t **to, size_t n)
{
    Legalaid__Batch *b;
    assert_int_equal(daemon_read_stream(from, *read, &b), 0);
    if (b->n_events) {
        for (size_t i = 0; i < n; i++)
            assert_int_equal(daemon_feed(to[i], stream, b->events, b->n_events), 0);
        *read = b->events[b->n_events - 1]->seq;
    }
    legalaid__batch__free_unpacked(b, NULL);
}

/* One round: (the ticks, when tick,) eligibility's stream to dispatch and
 * notify, dispatch's to eligibility and notify; then the notifications
 * recorded since the last round into f->notes. */
static void pump(fixture_t *f, int tick)
{
    notes_free(f);
    if (tick) {
        assert_int_equal(daemon_tick(f->elig.d), 0);
        assert_int_equal(daemon_tick(f->disp.d), 0);
    }
    daemon_t *from_elig[] = {f->disp.d, f->notify.d};
    relay(f->elig.d, "eligibility", &f->elig_read, from_elig, 2);
    daemon_t *from_disp[] = {f->elig.d, f->notify.d};
    relay(f->disp.d, "dispatch", &f->disp_read, from_disp, 2);
    if (tick) {
        assert_int_equal(daemon_tick(f->notify.d), 0);
    }
    test_notify_take(f->notify.d, &f->seen, f->notes, &f->n, MAX_NOTES);
}

/* The notifications of kind just taken (to party, or any when 0). */
static size_t count(fixture_t *f, const char *kind, Legalaid__Party party)
{
    return test_notify_count(f->notes, f->n, kind, party);
}

static const Legalaid__Notification *note(fixture_t *f, const char *kind, Legalaid__Party party)
{
    return test_notify_one(f->notes, f->n, kind, party);
}

static void assert_has(const Legalaid__Notification *n, const char *part)
{
    if (!strstr(n->text, part)) fail_msg("text \"%s\" lacks \"%s\"", n->text, part);
}

/* Feeds intake's event p to notify and eligibility. */
static void intake_event(fixture_t *f, test_received_t *p)
{
    uint64_t seq = f->intake_seq;
    test_feed(f->notify.d, "intake", &seq, &p->ev);
    test_feed(f->elig.d, "intake", &f->intake_seq, &p->ev);
}

/* The police notify that the suspect of case_id may face life
 * imprisonment or death and has no defender (art. 25(1)(4)): intake's
 * event, fed to eligibility and to notify. */
static void police_notice(fixture_t *f, const char *case_id)
{
    test_received_t p;
    test_received_init(&p, case_id, "15020319800101011");
    test_received_notice(&p, LEGALAID__MANDATORY_GROUND__BLIND_DEAF_MUTE,
                         LEGALAID__AUTHORITY_KIND__POLICE, POLICE);
    p.authority.phone = "13804720110";
    intake_event(f, &p);
}

/* Nobody takes it: the staff are reminded a day before (Thursday 24:00 is
 * the end of the 3 days), then the staff and the police hear of the
 * breach, once; dispatch's DeadlineMissed adds nothing. */
static void test_police_notice_left_unassigned(void **state)
{
    fixture_t *f = *state;
    police_notice(f, "BT-2026-000901");
    pump(f, 0);
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 1);

    clock_set_ms(END(2) + 60000); /* the lead time (a day) before the breach */
    pump(f, 1);
    const Legalaid__Notification *n = note(f, "deadline_reminder", LEGALAID__PARTY__STAFF);
    assert_string_equal(n->case_id, "BT-2026-000901");
    assert_has(n, "指派律师并告知通知机关");
    assert_has(n, "2026年3月5日 24:00");
    assert_has(n, "《法律援助法》第36条");
    assert_int_equal(count(f, "deadline_reminder", 0), 1); /* the police are not reminded */

    clock_set_ms(END(3) + 60000);
    pump(f, 1);
    n = note(f, "deadline_breach", LEGALAID__PARTY__STAFF);
    assert_has(n, "期限已过");
    assert_has(n, "《法律援助法》第36条");
    n = note(f, "deadline_breach", LEGALAID__PARTY__AUTHORITY);
    assert_string_equal(n->recipient, POLICE);
    assert_string_equal(n->template_, "deadline_informed.authority");
    assert_has(n, "贵单位通知的法律援助案件BT-2026-000901");
    assert_has(n, "法定期限2026年3月5日 24:00已到，尚未办结（《法律援助法》第36条）");
    assert_int_equal(count(f, "deadline_breach", 0), 2);
    assert_int_equal(f->n, 2); /* dispatch's DeadlineMissed, in this round, told nobody */
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 0);
    /* Overdue until met, counted by its kind (the operations' queue). */
    assert_int_equal(test_counter(f->notify.d, "overdue.assignment"), 1);

    /* Dispatch missed it too (its DeadlineMissed, now or at a later
     * round): no second notice of the same legal deadline. */
    Legalaid__Batch *b = dk_events(f->disp.d, 0, LEGALAID__EVENT__BODY_DEADLINE_MISSED);
    assert_int_equal(b->n_events, 1);
    assert_string_equal(b->events[0]->deadline_missed->deadline->key, "assignment");
    legalaid__batch__free_unpacked(b, NULL);
    clock_set_ms(END(4));
    pump(f, 1);
    assert_int_equal(count(f, "deadline_breach", 0), 0);
    assert_int_equal(count(f, "deadline_reminder", 0), 0);
    assert_int_equal(test_counter(f->notify.d, "overdue.assignment"), 1);

    /* Staff assign a lawyer at last: the deadline is met, nothing overdue. */
    dk_pool_t *pool = calloc(1, sizeof *pool);
    dk_lawyer(pool, "L009", "内蒙古正义律师事务所");
    dk_import_ok(f->disp.d, pool);
    free(pool);
    Legalaid__Reply *r = dk_assign_manually(f->disp.d, "BT-2026-000901", "L009");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    pump(f, 0);
    assert_int_equal(test_counter(f->notify.d, "overdue.assignment"), 0);
}

/* The court that notified the case tells of the hearing and then of the
 * judgment (ReportCaseEvent): the handling lawyer hears of each, in
 * Chinese, and is reminded of the hearing the day before; the judgment
 * makes the closing file due (art. 50). A hearing at short notice (高法解释
 * art. 49) is told to the staff as well. */
static void test_court_tells_hearing_and_judgment(void **state)
{
    fixture_t *f = *state;
    dk_pool_t *pool = calloc(1, sizeof *pool);
    dk_lawyer(pool, "L001", "内蒙古正义律师事务所")->phone = "13900000001";
    dk_import_ok(f->disp.d, pool);
    free(pool);
    police_notice(f, "BT-2026-000905");
    pump(f, 0);
    dk_accept(f->disp.d, "BT-2026-000905", NULL, 0);
    pump(f, 0);

    Legalaid__ReportCaseEvent e = LEGALAID__REPORT_CASE_EVENT__INIT;
    e.case_id = "BT-2026-000905";
    e.kind = LEGALAID__CASE_EVENT_KIND__HEARING_SET;
    e.has_kind = 1;
    e.reference = "开庭通知1号";
    e.at = END(9) - 15 * 3600 * 1000LL; /* 2026-03-11 09:00 */
    e.has_at = 1;
    e.place = "第三法庭";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REPORT_CASE_EVENT;
    req.report_case_event = &e;
    Legalaid__Reply *r = test_call_new(f->disp.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    pump(f, 0);
    const Legalaid__Notification *n = note(f, "case_event", LEGALAID__PARTY__LAWYER);
    assert_has(n, "开庭时间已确定");
    assert_has(n, "2026年3月11日 09:00");
    assert_has(n, "第三法庭");
    assert_has(n, "距开庭不足十五日"); /* 9 days ahead */
    n = note(f, "case_event", LEGALAID__PARTY__STAFF);
    assert_has(n, "《刑诉法解释》第49条");

    clock_set_ms(END(8) + 60000); /* the day before */
    pump(f, 1);
    size_t hearing = 0;
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->notes[i]->kind, "deadline_reminder") &&
            f->notes[i]->party == LEGALAID__PARTY__LAWYER &&
            strstr(f->notes[i]->text, "出庭参加庭审：第三法庭"))
            hearing++;
    assert_int_equal(hearing, 1);
    clock_set_ms(END(9) + 60000); /* after it: a hearing is not breached */
    pump(f, 1);
    for (size_t i = 0; i < f->n; i++)
        if (strstr(f->notes[i]->text, "出庭")) fail_msg("a hearing breached: %s", f->notes[i]->text);
    /* The lawyer never reported the agreement signed: overdue, till the
     * judgment ends the case. */
    assert_int_equal(test_counter(f->notify.d, "overdue.agreement"), 1);

    e.kind = LEGALAID__CASE_EVENT_KIND__JUDGMENT;
    e.reference = "(2026)蒙0203刑初5号";
    e.has_at = 0;
    e.place = NULL;
    e.result = "判处有期徒刑六个月";
    r = test_call_new(f->disp.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__CONCLUDED);
    legalaid__reply__free_unpacked(r, NULL);
    pump(f, 0);
    n = note(f, "case_event", LEGALAID__PARTY__LAWYER);
    assert_has(n, "案件已判决");
    assert_has(n, "判处有期徒刑六个月");
    assert_int_equal(count(f, "case_event", LEGALAID__PARTY__STAFF), 0);
    assert_int_equal(test_counter(f->notify.d, "overdue.agreement"), 0);
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 1); /* the closing file */
}

/* A lawyer takes it on Tuesday: dispatch's acceptance meets "assignment",
 * the timer is gone, and at the 3 days' end nobody is told of a breach. */
static void test_police_notice_assigned_in_time(void **state)
{
    fixture_t *f = *state;
    dk_pool_t *pool = calloc(1, sizeof *pool);
    dk_lawyer(pool, "L001", "内蒙古正义律师事务所");
    dk_import_ok(f->disp.d, pool);
    free(pool);
    police_notice(f, "BT-2026-000902");
    pump(f, 0);
    assert_int_equal(count(f, "offer", LEGALAID__PARTY__LAWYER), 1);

    clock_set_ms(T0 + MS_PER_DAY);
    dk_accept(f->disp.d, "BT-2026-000902", NULL, 0);
    pump(f, 0);
    note(f, "appointment", LEGALAID__PARTY__AUTHORITY);
    Legalaid__Batch *b = dk_events(f->disp.d, 0, LEGALAID__EVENT__BODY_LAWYER_ASSIGNED);
    assert_int_equal(b->n_events, 1);
    assert_true(dk_met(b->events[0], "assignment"));
    legalaid__batch__free_unpacked(b, NULL);

    clock_set_ms(END(2) + 60000);
    pump(f, 1);
    for (size_t i = 0; i < f->n; i++)
        if (strstr(f->notes[i]->text, "指派律师并告知通知机关"))
            fail_msg("told of a met deadline: %s", f->notes[i]->text);
    clock_set_ms(END(3) + 60000);
    pump(f, 1);
    for (size_t i = 0; i < f->n; i++)
        if (strstr(f->notes[i]->text, "指派律师并告知通知机关"))
            fail_msg("told of a met deadline: %s", f->notes[i]->text);
    assert_int_equal(count(f, "deadline_breach", LEGALAID__PARTY__AUTHORITY), 0);
}

/* Materials awaited, by 2026-03-17 24:00 (art. 43(2)): the applicant and
 * the staff are reminded the day before and the timer is done; at the
 * deadline the application is deemed withdrawn and that decision tells the
 * applicant: no breach notice besides. */
static void test_materials_reminder_only(void **state)
{
    fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000911", "15020319800101022");
    intake_event(f, &p);
    pump(f, 0);
    note(f, "decision", LEGALAID__PARTY__APPLICANT);
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 1);

    clock_set_ms(END(14) + 60000);
    pump(f, 1);
    const Legalaid__Notification *n = note(f, "deadline_reminder", LEGALAID__PARTY__APPLICANT);
    assert_string_equal(n->recipient, "李四");
    assert_has(n, "补充所缺材料（逾期视为撤回申请）");
    assert_has(n, "2026年3月17日 24:00");
    assert_has(n, "《法律援助法》第43条第2款");
    note(f, "deadline_reminder", LEGALAID__PARTY__STAFF);
    assert_int_equal(f->n, 2);
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 0);

    clock_set_ms(END(15) + 60000);
    pump(f, 1);
    n = note(f, "decision", LEGALAID__PARTY__APPLICANT);
    assert_has(n, "视为撤回");
    assert_int_equal(count(f, "deadline_breach", 0), 0);

    /* Asked for when the lead time is longer than the period: no reminder
     * can come, and no timer is kept for a breach that tells nobody. */
    notify_config.deadline_lead_minutes = 20 * 24 * 60;
    test_received_t q;
    test_received_init(&q, "BT-2026-000912", "15020319800101033");
    intake_event(f, &q);
    pump(f, 0);
    note(f, "decision", LEGALAID__PARTY__APPLICANT);
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 0);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_police_notice_left_unassigned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_police_notice_assigned_in_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_court_tells_hearing_and_judgment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_materials_reminder_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
