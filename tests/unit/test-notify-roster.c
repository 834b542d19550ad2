/*
 * test-notify-roster.c - the roster's events told through notify, with both
 * daemons real: requests go through roster's turns, its stream is fed to
 * notify (daemon_feed), and the test asserts who is told what. A published
 * schedule tells each lawyer once per post and RosterPublished nobody; a
 * duty request reaches the A lawyer and the station (urgent, the detainee by
 * name, never the ID number), an unacknowledged one the B lawyer and the
 * staff, then the centre; B activation tells B and the station; a coverage
 * gap the staff and the station; an approved swap the lawyer relieved, the
 * lawyer taking over (once) and the station; the check-in timer of an A post
 * (breach to the lawyer and the staff, met by the check-in, handed over by
 * the swap) and a detention-centre request's 24-hour answer timer (S5
 * art. 49: reminder to the lawyer, met by the acknowledgement; breach to
 * the staff, the station told by the gap). And the template check in the
 * service's config_check, as `legalaid-notify -t` runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "notify.h"
#include "notify_config.h"
#include "notify_store.h"
#include "notify_template.h"
#include "roster.h"
#include "rosterkit.h"
#include "test-notify.h"
#include "testutil.h"

/* 2026-03-02 00:00 Beijing time (a Monday). */
#define DAY0 1772380800000LL
#define AT(h, m) (DAY0 + (int64_t)(h)*MS_PER_HOUR + (int64_t)(m)*60000LL)

#define ID_NUMBER "150203199001011234"
#define MAX_NOTES 64

typedef struct fixture {
    test_daemon_t roster, notify;
    uint64_t fed;  /* roster's last seq fed to notify */
    uint64_t seen; /* notify's last notification id taken */
    Legalaid__Notification *notes[MAX_NOTES];
    size_t n;
} fixture_t;

static const char *const lawyer_ids[] = {"L1", "L2", "L3", "L4", "L5"};
static const char *const lawyer_names[] = {"赵一", "钱二", "孙三", "李四", "周五"};
static const char *const lawyer_phones[] = {"13947200001", "13947200002", "13947200003",
                                            "13947200004", "13947200005"};

static void notes_free(fixture_t *f)
{
    for (size_t i = 0; i < f->n; i++) legalaid__notification__free_unpacked(f->notes[i], NULL);
    f->n = 0;
}

/* Feeds roster's new events to notify, then takes the notifications they
 * (and notify's tick, when tick) recorded into f->notes. */
static void pump(fixture_t *f, int tick)
{
    notes_free(f);
    if (tick) {
        assert_int_equal(daemon_tick(f->roster.d), 0);
    }
    Legalaid__Batch *b;
    assert_int_equal(daemon_read_stream(f->roster.d, f->fed, &b), 0);
    if (b->n_events) {
        assert_int_equal(daemon_feed(f->notify.d, "roster", b->events, b->n_events), 0);
        f->fed = b->events[b->n_events - 1]->seq;
    }
    legalaid__batch__free_unpacked(b, NULL);
    if (tick) {
        assert_int_equal(daemon_tick(f->notify.d), 0);
    }
    test_notify_take(f->notify.d, &f->seen, f->notes, &f->n, MAX_NOTES);
}

/* The one notification of kind to party among those just taken. */
static const Legalaid__Notification *note(fixture_t *f, const char *kind, Legalaid__Party party)
{
    const Legalaid__Notification *found = NULL;
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->notes[i]->kind, kind) == 0 && f->notes[i]->party == party) {
            if (found) fail_msg("two %s notifications to party %d", kind, (int)party);
            found = f->notes[i];
        }
    if (!found) fail_msg("no %s notification to party %d among %zu", kind, (int)party, f->n);
    return found;
}

static void assert_has(const Legalaid__Notification *n, const char *part)
{
    if (!strstr(n->text, part)) fail_msg("text \"%s\" lacks \"%s\"", n->text, part);
}

static void assert_lacks(const Legalaid__Notification *n, const char *part)
{
    if (strstr(n->text, part)) fail_msg("text \"%s\" has \"%s\"", n->text, part);
}

static Legalaid__Reply *call(fixture_t *f, Legalaid__Request *req)
{
    return test_call_new(f->roster.d, req);
}

static void ok(fixture_t *f, Legalaid__Request *req)
{
    Legalaid__Reply *r = call(f, req);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
}

static void reply_ok(Legalaid__Reply *r)
{
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
}

static void import_stations(fixture_t *f)
{
    reply_ok(rk_import_two_stations(f->roster.d, 0));
}

static void import_agreement(fixture_t *f)
{
    uint64_t pool_seq = 0;
    reply_ok(rk_import_one_agreement(f->roster.d, &pool_seq, lawyer_ids, lawyer_names,
                                     lawyer_phones, 5));
}

/* Court: A L1, B L2; detention centre: A L3, B L4; both 09:00-17:00. */
static void import_shifts(fixture_t *f)
{
    reply_ok(rk_import_four_shifts(f->roster.d, lawyer_ids, lawyer_names, lawyer_phones, AT(9, 0),
                                   AT(17, 0)));
}

static int setup_empty(void **state)
{
    test_notify_templates();
    fixture_t *f = calloc(1, sizeof *f);
    test_daemon_open(&f->roster, &roster_service, AT(8, 0));
    test_daemon_open(&f->notify, &notify_service, AT(8, 0));
    *state = f;
    import_stations(f);
    import_agreement(f);
    pump(f, 0);
    return 0;
}

static int setup(void **state)
{
    setup_empty(state);
    fixture_t *f = *state;
    import_shifts(f);
    pump(f, 0);
    assert_int_equal(f->n, 4); /* one "shift" per post */
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    notes_free(f);
    test_daemon_close(&f->notify);
    test_daemon_close(&f->roster);
    free(f);
    return 0;
}

static void check_in(fixture_t *f, const char *station, const char *lawyer)
{
    reply_ok(rk_check_in(f->roster.d, station, lawyer));
}

/* Raises a request at station; its id into id. */
static void raise_request(fixture_t *f, const char *station, Legalaid__DutyRequestKind kind,
                          const char *person, char id[32])
{
    Legalaid__DutyRequest dr = LEGALAID__DUTY_REQUEST__INIT;
    dr.station = (char *)station;
    dr.has_kind = 1;
    dr.kind = kind;
    dr.person_name = (char *)person;
    dr.person_id_number = ID_NUMBER;
    dr.raised_by = "值班民警";
    Legalaid__RaiseDutyRequest rd = LEGALAID__RAISE_DUTY_REQUEST__INIT;
    rd.request = &dr;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_RAISE_DUTY_REQUEST;
    req.raise_duty_request = &rd;
    Legalaid__Reply *r = call(f, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    snprintf(id, 32, "%s", r->duty_request->id);
    legalaid__reply__free_unpacked(r, NULL);
}

static void ack_request(fixture_t *f, const char *id, const char *lawyer)
{
    reply_ok(rk_ack(f->roster.d, id, lawyer));
}

/* A generated and published schedule: each post's lawyer told once, the
 * publication itself nobody; publishing posts already held tells nobody
 * again. */
static void test_published_schedule_once_per_post(void **state)
{
    fixture_t *f = *state;
    Legalaid__ShiftTemplate tp = LEGALAID__SHIFT_TEMPLATE__INIT, *tpp = &tp;
    tp.station = "BT-COURT-02";
    tp.name = "day";
    tp.days = "daily";
    tp.starts = "09:00";
    tp.ends = "17:00";
    reply_ok(rk_import_templates(f->roster.d, &tpp, 1));

    Legalaid__Reply *r = rk_generate(f->roster.d, "2026-03-03", "2026-03-05");
    test_assert_code(r, LEGALAID__CODE__OK);
    char id[64];
    snprintf(id, sizeof id, "%s", r->schedule->id);
    uint32_t posts = r->schedule->shifts;
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(posts, 6); /* 3 days, A and B */
    pump(f, 0);
    assert_int_equal(f->n, 0); /* a draft tells nobody */

    reply_ok(rk_publish(f->roster.d, id));
    pump(f, 0);
    assert_int_equal(f->n, posts);
    for (size_t i = 0; i < f->n; i++) {
        assert_string_equal(f->notes[i]->kind, "shift");
        assert_int_equal(f->notes[i]->party, LEGALAID__PARTY__LAWYER);
        assert_has(f->notes[i], "工作站BT-COURT-02");
        for (size_t k = 0; k < i; k++)
            if (!strcmp(f->notes[i]->text, f->notes[k]->text) &&
                !strcmp(f->notes[i]->recipient, f->notes[k]->recipient))
                fail_msg("%s told twice: %s", f->notes[i]->recipient, f->notes[i]->text);
    }
    /* The check-in timers: one per A post, beside the two of setup. */
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 3);

    /* An overlapping period: the posts already published stay as they
     * were and nobody is told of them again; only the new day's two. */
    r = rk_generate(f->roster.d, "2026-03-04", "2026-03-06");
    test_assert_code(r, LEGALAID__CODE__OK);
    snprintf(id, sizeof id, "%s", r->schedule->id);
    assert_int_equal(r->schedule->already_staffed, 4);
    legalaid__reply__free_unpacked(r, NULL);
    reply_ok(rk_publish(f->roster.d, id));
    pump(f, 0);
    assert_int_equal(f->n, 2);
    for (size_t i = 0; i < f->n; i++) assert_has(f->notes[i], "2026年3月6日09:00至17:00");
}

/* A court request: the A lawyer and the station at the raise; unanswered,
 * the B lawyer, the staff and the station; unanswered again, the centre. */
static void test_duty_request_routed_and_escalated(void **state)
{
    fixture_t *f = *state;
    test_notify_set(&notify_config.sms_url, "http://127.0.0.1:9/sms");
    clock_set_ms(AT(9, 0));
    check_in(f, "BT-COURT-02", "L1");
    pump(f, 0);
    assert_int_equal(f->n, 0);                                        /* a check-in tells nobody */
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 1); /* L3's check-in left */
    check_in(f, "BT-DC-01", "L3");
    pump(f, 0);
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 0);

    /* Quiet hours now: a duty request is never held. */
    test_notify_set(&notify_config.quiet_hours, "08:00-20:00");
    char err[256];
    assert_int_equal(notify_service.config_check(err, sizeof err), 0);
    clock_set_ms(AT(9, 5));
    char id[32];
    raise_request(f, "BT-COURT-02", LEGALAID__DUTY_REQUEST_KIND__DUTY_CONSULTATION, "张某某", id);
    pump(f, 0);
    assert_int_equal(f->n, 2);
    const Legalaid__Notification *n = note(f, "duty_request", LEGALAID__PARTY__LAWYER);
    assert_string_equal(n->recipient, "赵一");
    assert_string_equal(n->address, "139****0001");
    assert_int_equal(n->channel, LEGALAID__NOTIFY_CHANNEL__CHANNEL_SMS);
    assert_true(n->urgent);
    assert_true(n->next_attempt_at <= AT(9, 5) + 5000);
    assert_has(n, "赵一律师：工作站BT-COURT-02请求值班律师提供法律咨询，当事人张某某，请求编号");
    assert_has(n, id);
    assert_has(n, "请于2026年3月2日 09:35前在系统中确认接收");
    assert_lacks(n, ID_NUMBER);
    assert_lacks(n, "A岗律师未在时限内确认");
    assert_lacks(n, "看守所");
    n = note(f, "duty_request", LEGALAID__PARTY__STATION);
    assert_string_equal(n->station, "BT-COURT-02");
    assert_int_equal(n->channel, LEGALAID__NOTIFY_CHANNEL__CHANNEL_STATION);
    assert_has(n, "（法律咨询，当事人张某某）已转A岗（主班）赵一律师，电话13947200001。");
    assert_lacks(n, ID_NUMBER);

    /* Not acknowledged in 30 minutes: B, and the staff. */
    clock_set_ms(AT(9, 36));
    pump(f, 1);
    assert_int_equal(f->n, 3);
    n = note(f, "duty_request", LEGALAID__PARTY__LAWYER);
    assert_string_equal(n->recipient, "钱二");
    assert_has(n, "钱二律师：因A岗律师未在时限内确认，现转由您（B岗（备班））处理。");
    n = note(f, "duty_escalation", LEGALAID__PARTY__STAFF);
    assert_has(n, "值班请求升级：工作站BT-COURT-02的请求");
    assert_has(n, "未在时限内获确认（第1次升级），已转B岗（备班）钱二律师。");
    assert_lacks(n, ID_NUMBER);
    n = note(f, "duty_request", LEGALAID__PARTY__STATION);
    assert_has(n, "因前一岗位未在时限内确认，已转B岗（备班）钱二律师，电话13947200002。");

    /* Nor by B: the centre arranges; no lawyer to tell. */
    clock_set_ms(AT(10, 7));
    pump(f, 1);
    assert_int_equal(f->n, 2);
    n = note(f, "duty_escalation", LEGALAID__PARTY__STAFF);
    assert_has(n, "（第2次升级），已转中心，请立即安排值班律师。");
    n = note(f, "duty_request", LEGALAID__PARTY__STATION);
    assert_has(n, "值班律师未在时限内确认，已转法律援助中心安排律师。");

    /* Acknowledged and completed: nobody told. */
    ack_request(f, id, "L5");
    pump(f, 0);
    assert_int_equal(f->n, 0);
}

/* S5 art. 49: a detention-centre request answered within 24 h. The
 * reminder reaches the lawyer who owes it; the acknowledgement meets it;
 * one left unanswered ends in the breach to the staff and the gap to the
 * station (the staff not told twice). */
static void test_detention_answer_timer(void **state)
{
    fixture_t *f = *state;
    notify_config.deadline_lead_minutes = 24 * 60 - 10;
    clock_set_ms(AT(9, 0));
    check_in(f, "BT-COURT-02", "L1");
    check_in(f, "BT-DC-01", "L3");
    pump(f, 0);
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 0);

    clock_set_ms(AT(9, 10));
    char id[32];
    raise_request(f, "BT-DC-01", LEGALAID__DUTY_REQUEST_KIND__DUTY_CONSULTATION, "刘某", id);
    pump(f, 0);
    assert_int_equal(f->n, 2);
    const Legalaid__Notification *n = note(f, "duty_request", LEGALAID__PARTY__LAWYER);
    assert_string_equal(n->recipient, "孙三");
    assert_has(
        n, "看守所请求须于2026年3月3日 09:10前答复（《公安机关办理刑事案件程序规定》第49条）。");
    n = note(f, "duty_request", LEGALAID__PARTY__STATION);
    assert_has(n, "依法应于2026年3月3日 09:10前答复");
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 1);

    clock_set_ms(AT(9, 21));
    pump(f, 1);
    assert_int_equal(f->n, 2);
    n = note(f, "deadline_reminder", LEGALAID__PARTY__LAWYER);
    assert_string_equal(n->recipient, "孙三");
    assert_string_equal(n->case_id, "");
    char want[256];
    snprintf(
        want, sizeof want,
        "【法律援助】提醒：“答复工作站BT-DC-01的值班请求%s（当事人刘某）”的期限为2026年3月3日 "
        "09:10（《公安机关办理刑事案件程序规定》第49条），请按时办理。",
        id);
    assert_string_equal(n->text, want);
    n = note(f, "deadline_reminder", LEGALAID__PARTY__STAFF);
    assert_has(n, "责任人孙三");
    ack_request(f, id, "L3");
    pump(f, 0);
    assert_int_equal(f->n, 0);
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 0);

    /* A second one nobody takes: A, B, the centre, then the breach. */
    char id2[32];
    raise_request(f, "BT-DC-01", LEGALAID__DUTY_REQUEST_KIND__DUTY_CONSULTATION, "陈某", id2);
    pump(f, 0);
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 1);
    clock_set_ms(AT(9, 52));
    pump(f, 1); /* to B (the reminder was due at raise + 10 min: it goes to L3 as well) */
    clock_set_ms(AT(10, 23));
    pump(f, 1); /* to the centre: the staff owe it now */
    note(f, "duty_escalation", LEGALAID__PARTY__STAFF);
    clock_set_ms(AT(9, 22) + MS_PER_DAY);
    pump(f, 1);
    /* Roster's gap to the station; notify's breach to the staff only. */
    assert_int_equal(f->n, 2);
    n = note(f, "coverage_gap", LEGALAID__PARTY__STATION);
    snprintf(want, sizeof want, "【法律援助】工作站BT-DC-01：值班请求%s未在规定时限内获答复", id2);
    assert_has(n, want);
    n = note(f, "deadline_breach", LEGALAID__PARTY__STAFF);
    assert_has(n, "期限已过：“答复工作站BT-DC-01的值班请求");
    assert_has(n, "陈某");
    assert_lacks(n, ID_NUMBER);
    assert_int_equal(test_counter(f->notify.d, "timers.pending"), 0);
}

/* A not checked in: the check-in breach to A and the staff, B activated
 * (B and the station told), then neither: the gap to staff and station. */
static void test_backup_and_gap(void **state)
{
    fixture_t *f = *state;
    clock_set_ms(AT(9, 0));
    check_in(f, "BT-DC-01", "L3");
    pump(f, 0);
    clock_set_ms(AT(9, 1));
    pump(f, 1);
    assert_int_equal(f->n, 2);
    const Legalaid__Notification *n = note(f, "deadline_breach", LEGALAID__PARTY__LAWYER);
    assert_string_equal(n->recipient, "赵一");
    assert_string_equal(n->text,
                        "【法律援助】逾期：“到工作站BT-COURT-02签到值班（A岗（主班））”的期限"
                        "2026年3月2日 09:00已到，尚未办结，请立即处理。");
    n = note(f, "deadline_breach", LEGALAID__PARTY__STAFF);
    assert_has(n, "责任人赵一");

    clock_set_ms(AT(9, 16));
    pump(f, 1);
    assert_int_equal(f->n, 2);
    n = note(f, "backup_activated", LEGALAID__PARTY__LAWYER);
    assert_string_equal(n->recipient, "钱二");
    assert_true(n->urgent);
    assert_has(n, "钱二律师：2026年3月2日09:00至17:00工作站BT-COURT-02的A岗律师未按时签到");
    n = note(f, "backup_activated", LEGALAID__PARTY__STATION);
    assert_string_equal(n->station, "BT-COURT-02");
    assert_has(n, "A岗律师赵一未按时签到，已启用B岗钱二律师（电话13947200002）顶岗。");

    clock_set_ms(AT(9, 47));
    pump(f, 1);
    assert_int_equal(f->n, 2);
    n = note(f, "coverage_gap", LEGALAID__PARTY__STAFF);
    assert_string_equal(n->text,
                        "【法律援助】值班缺岗：2026年3月2日09:00至17:00，工作站BT-COURT-02的"
                        "A岗、B岗律师均未签到，请立即安排值班律师。");
    n = note(f, "coverage_gap", LEGALAID__PARTY__STATION);
    assert_has(n, "暂无值班律师到岗，法律援助中心正在安排。");
}

/* An approved swap: the lawyer taking over told once (the shift), the one
 * relieved and the station told of the change; the check-in timer follows
 * the post. */
static void test_swap_tells_both_lawyers_once(void **state)
{
    fixture_t *f = *state;
    Legalaid__Swap sw = LEGALAID__SWAP__INIT;
    sw.station = "BT-COURT-02";
    sw.has_starts_at = sw.has_role = 1;
    sw.starts_at = AT(9, 0);
    sw.role = LEGALAID__SHIFT_ROLE__PRIMARY;
    sw.from_lawyer = "L1";
    sw.to_lawyer = "L5";
    sw.reason = "出庭";
    Legalaid__RequestSwap rs = LEGALAID__REQUEST_SWAP__INIT;
    rs.swap = &sw;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REQUEST_SWAP;
    req.request_swap = &rs;
    Legalaid__Reply *r = call(f, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    char id[32];
    snprintf(id, sizeof id, "%s", r->change->swap->id);
    legalaid__reply__free_unpacked(r, NULL);
    pump(f, 0);
    assert_int_equal(f->n, 0); /* asked, not approved: nobody told */

    Legalaid__DecideChange dc = LEGALAID__DECIDE_CHANGE__INIT;
    dc.id = id;
    dc.has_approve = 1;
    dc.approve = 1;
    dc.officer = "王科长";
    req.body_case = LEGALAID__REQUEST__BODY_DECIDE_CHANGE;
    req.decide_change = &dc;
    ok(f, &req);
    pump(f, 0);
    assert_int_equal(f->n, 3);
    const Legalaid__Notification *n = note(f, "shift", LEGALAID__PARTY__LAWYER);
    assert_string_equal(n->recipient, "周五");
    n = note(f, "shift_changed", LEGALAID__PARTY__LAWYER);
    assert_string_equal(n->recipient, "赵一");
    char want[400];
    snprintf(want, sizeof want,
             "【法律援助】赵一律师：经批准换班（%s），您2026年3月2日09:00至17:00在工作站BT-COURT-02"
             "的A岗（主班）值班改由周五律师担任，您无需到岗。",
             id);
    assert_string_equal(n->text, want);
    n = note(f, "shift_changed", LEGALAID__PARTY__STATION);
    assert_has(n, "A岗（主班）值班律师由赵一改为周五（电话13947200005）。");

    /* The post's check-in is now the new lawyer's to make. */
    clock_set_ms(AT(9, 0));
    check_in(f, "BT-DC-01", "L3");
    clock_set_ms(AT(9, 1));
    pump(f, 1);
    assert_int_equal(f->n, 2);
    n = note(f, "deadline_breach", LEGALAID__PARTY__LAWYER);
    assert_string_equal(n->recipient, "周五");
}

/* The service's config_check loads and checks the templates: a bad one
 * fails it with file:line (legalaid-notify -t, exit 78 at a start); an ID
 * number is no field a template may name. */
static void test_config_check_templates(void **state)
{
    (void)state;
    char src[1024], cmd[2600], err[600], path[600];
    test_notify_source_path("deploy/notify-templates", src, sizeof src);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    snprintf(cmd, sizeof cmd, "cp %s/*.txt %s/", src, dir);
    assert_int_equal(system(cmd), 0);
    notify_template_free();
    test_notify_set(&notify_config.templates_dir, dir);
    assert_int_equal(notify_service.config_check(err, sizeof err), 0);
    assert_int_equal(notify_template_loaded(), 1);

    snprintf(path, sizeof path, "%s/duty_request.lawyer.txt", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("# the "
          "detainee\n【法律援助】当事人{request.person_name}，\n身份证{request.person_id_number}\n",
          fp);
    fclose(fp);
    notify_template_free();
    assert_int_equal(notify_service.config_check(err, sizeof err), -1);
    if (!strstr(err, "[notify] templates_dir: ") ||
        !strstr(err, "duty_request.lawyer.txt:3: unknown field {request.person_id_number}"))
        fail_msg("error was: %s", err);

    snprintf(path, sizeof path, "%s/coverage_gap.station.txt", dir);
    unlink(path);
    snprintf(cmd, sizeof cmd, "cp %s/duty_request.lawyer.txt %s/", src, dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(notify_service.config_check(err, sizeof err), -1);
    if (!strstr(err, "coverage_gap.station.txt: cannot read")) fail_msg("error was: %s", err);

    free(notify_config.templates_dir);
    notify_config.templates_dir = NULL;
    test_rmdir(dir);
    test_notify_templates();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_published_schedule_once_per_post, setup_empty,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_duty_request_routed_and_escalated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detention_answer_timer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_and_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_swap_tells_both_lawyers_once, setup, teardown),
        cmocka_unit_test(test_config_check_templates),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    notify_template_free();
    return rc;
}
