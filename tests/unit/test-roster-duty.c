/*
 * test-roster-duty.c - the roster on the day, with the test clock: check-in
 * at the right station and time (the wrong ones refused by field), the A
 * post absent -> the B post activated -> a coverage gap when neither
 * checks in; duty requests routed to A, escalated A -> B -> the centre when
 * not acknowledged, a detention-centre request unanswered in 24 hours
 * (T-07), meeting slots with capacity and no detainee double-booked, the
 * duty log of a plea signing (R-DUTY-04/05), and a legal-aid application a
 * duty lawyer took, which intake registers as a custody-forwarded
 * application (art. 39); swaps and leave with approval, a lawyer outside
 * the agreements or busy refused, a leave nobody can cover refused with the
 * roster unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intake.h"
#include "roster.h"
#include "rosterkit.h"
#include "testutil.h"

/* 2026-03-02 00:00 Beijing time (a Monday). */
#define DAY0 1772380800000LL
#define AT(h, m) (DAY0 + (int64_t)(h)*MS_PER_HOUR + (int64_t)(m)*60000LL)

/* The clock runs on from the instant set: a time stamped by a turn is
 * within a few seconds of it. */
#define assert_near(x, at) assert_true((x) >= (at) && (x) < (at) + 5000)

typedef struct fixture {
    test_daemon_t td;
    uint64_t pool_seq; /* dispatch's stream as the test feeds it */
} fixture_t;

static Legalaid__Reply *call(fixture_t *f, Legalaid__Request *req)
{
    return test_call_new(f->td.d, req);
}

static void import_stations(fixture_t *f)
{
    legalaid__reply__free_unpacked(rk_import_two_stations(f->td.d, 2), NULL);
}

static const char *const lawyer_ids[] = {"L1", "L2", "L3", "L4", "L5"};

static void import_agreement(fixture_t *f)
{
    Legalaid__Reply *r = rk_import_one_agreement(f->td.d, &f->pool_seq, lawyer_ids, NULL, NULL, 5);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Court: A L1, B L2; detention centre: A L3, B L4; both 09:00-17:00. */
static void import_shifts(fixture_t *f)
{
    Legalaid__Reply *r =
        rk_import_four_shifts(f->td.d, lawyer_ids, NULL, NULL, AT(9, 0), AT(17, 0));
    assert_int_equal(r->import_result->accepted, 4);
    legalaid__reply__free_unpacked(r, NULL);
}

static int setup(void **state)
{
    int rc = test_fixture_setup(state, sizeof(fixture_t), &roster_service, AT(8, 0));
    if (rc) return rc;
    fixture_t *f = *state;
    import_stations(f);
    import_agreement(f);
    import_shifts(f);
    return 0;
}

static int teardown(void **state)
{
    return test_fixture_teardown(state);
}

static Legalaid__Reply *check_in(fixture_t *f, const char *station, const char *lawyer)
{
    return rk_check_in(f->td.d, station, lawyer);
}

/* Events of kind body on the stream after seq *after (advanced); the
 * last one's batch index in *last. Caller frees *b. */
static int events_of(fixture_t *f, int body, uint64_t *after, Legalaid__Batch **b, size_t *last)
{
    assert_int_equal(daemon_read_stream(f->td.d, *after, b), 0);
    int n = 0;
    for (size_t i = 0; i < (*b)->n_events; i++) {
        if ((int)(*b)->events[i]->body_case == body) {
            n++;
            *last = i;
        }
        *after = (*b)->events[i]->seq;
    }
    return n;
}

static void tick_at(fixture_t *f, int64_t at)
{
    clock_set_ms(at);
    assert_int_equal(daemon_tick(f->td.d), 0);
}

/* The roster announces the A post's check-in on its own events, for
 * notify's timers (Event.deadlines): set by ShiftAssigned of an A post,
 * due at the shift's start, owed by the A lawyer; met by its CheckedIn. The
 * B post, on call, carries none. */
static void test_checkin_deadline_on_events(void **state)
{
    fixture_t *f = *state;
    uint64_t after = 0;
    Legalaid__Batch *b;
    size_t last = 0;
    int n = events_of(f, LEGALAID__EVENT__BODY_SHIFT_ASSIGNED, &after, &b, &last);
    assert_int_equal(n, 4);
    int with = 0;
    for (size_t i = 0; i < b->n_events; i++) {
        const Legalaid__Event *ev = b->events[i];
        if (ev->body_case != LEGALAID__EVENT__BODY_SHIFT_ASSIGNED) continue;
        const Legalaid__Shift *s = ev->shift_assigned->shift;
        if (s->role != LEGALAID__SHIFT_ROLE__PRIMARY) {
            assert_int_equal(ev->n_deadlines, 0);
            continue;
        }
        assert_int_equal(ev->n_deadlines, 1);
        const Legalaid__Deadline *dl = ev->deadlines[0];
        assert_non_null(strstr(dl->key, "checkin:"));
        assert_non_null(strstr(dl->key, s->station));
        assert_int_equal(dl->due_at, AT(9, 0));
        assert_int_equal(dl->owner, LEGALAID__PARTY__LAWYER);
        assert_string_equal(dl->owner_id, s->lawyer_id);
        with++;
    }
    assert_int_equal(with, 2);
    char court_key[128];
    for (size_t i = 0; i < b->n_events; i++)
        if (b->events[i]->n_deadlines && strstr(b->events[i]->deadlines[0]->key, "BT-COURT-02"))
            snprintf(court_key, sizeof court_key, "%s", b->events[i]->deadlines[0]->key);
    legalaid__batch__free_unpacked(b, NULL);

    clock_set_ms(AT(8, 50));
    legalaid__reply__free_unpacked(check_in(f, "BT-COURT-02", "L1"), NULL);
    n = events_of(f, LEGALAID__EVENT__BODY_CHECKED_IN, &after, &b, &last);
    assert_int_equal(n, 1);
    const Legalaid__Event *ev = b->events[last];
    assert_int_equal(ev->n_deadlines_met, 1);
    assert_string_equal(ev->deadlines_met[0], court_key);
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_check_in_rules(void **state)
{
    fixture_t *f = *state;
    clock_set_ms(AT(8, 30));
    Legalaid__Reply *r = check_in(f, "BT-DC-01", "L1");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "check_in.station");
    assert_non_null(strstr(r->error, "on duty at BT-COURT-02"));
    legalaid__reply__free_unpacked(r, NULL);
    clock_set_ms(AT(7, 0)); /* two hours early: check-in opens 60 minutes before */
    r = check_in(f, "BT-COURT-02", "L1");
    assert_string_equal(r->field, "check_in.lawyer_id");
    assert_non_null(strstr(r->error, "wrong time"));
    legalaid__reply__free_unpacked(r, NULL);
    r = check_in(f, "BT-NOWHERE", "L1");
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    legalaid__reply__free_unpacked(r, NULL);
    clock_set_ms(AT(8, 50));
    r = check_in(f, "BT-COURT-02", "L1");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_near(r->shift->checked_in_at, AT(8, 50));
    legalaid__reply__free_unpacked(r, NULL);
    r = check_in(f, "BT-COURT-02", "L1");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
    /* A checked in: no backup at the court; at the detention centre nobody
     * came: B is activated at 09:15, a gap at 09:45. */
    uint64_t after = 0;
    Legalaid__Batch *b;
    size_t last = 0;
    events_of(f, 0, &after, &b, &last);
    legalaid__batch__free_unpacked(b, NULL);
    tick_at(f, AT(9, 14));
    assert_int_equal(events_of(f, LEGALAID__EVENT__BODY_BACKUP_ACTIVATED, &after, &b, &last), 0);
    legalaid__batch__free_unpacked(b, NULL);
    tick_at(f, AT(9, 16));
    assert_int_equal(events_of(f, LEGALAID__EVENT__BODY_BACKUP_ACTIVATED, &after, &b, &last), 1);
    const Legalaid__BackupActivated *ba = b->events[last]->backup_activated;
    assert_string_equal(ba->backup->station, "BT-DC-01");
    assert_string_equal(ba->backup->lawyer_id, "L4");
    assert_string_equal(ba->absent->lawyer_id, "L3");
    legalaid__batch__free_unpacked(b, NULL);
    tick_at(f, AT(9, 45));
    assert_int_equal(events_of(f, LEGALAID__EVENT__BODY_COVERAGE_GAP, &after, &b, &last), 0);
    legalaid__batch__free_unpacked(b, NULL);
    tick_at(f, AT(9, 47));
    assert_int_equal(events_of(f, LEGALAID__EVENT__BODY_COVERAGE_GAP, &after, &b, &last), 1);
    assert_int_equal(b->events[last]->coverage_gap->reason,
                     LEGALAID__GAP_REASON__GAP_NOBODY_CHECKED_IN);
    assert_string_equal(b->events[last]->coverage_gap->station, "BT-DC-01");
    legalaid__batch__free_unpacked(b, NULL);
    /* The operations' view: one post nobody holds now. */
    assert_int_equal(test_counter(f->td.d, "coverage_gaps_now"), 1);
    /* Check-out of the court shift. */
    clock_set_ms(AT(17, 5));
    Legalaid__CheckIn c = LEGALAID__CHECK_IN__INIT;
    c.station = "BT-COURT-02";
    c.lawyer_id = "L1";
    c.has_out = c.out = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_CHECK_IN;
    req.check_in = &c;
    r = call(f, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_near(r->shift->checked_out_at, AT(17, 5));
    legalaid__reply__free_unpacked(r, NULL);
}

static Legalaid__Reply *raise(fixture_t *f, const char *station, int kind, const char *person,
                              int64_t meeting_at)
{
    return rk_raise(f->td.d, station, kind, person, meeting_at);
}

static Legalaid__Reply *ack(fixture_t *f, const char *id, const char *lawyer)
{
    return rk_ack(f->td.d, id, lawyer);
}

static Legalaid__Reply *get(fixture_t *f, const char *id)
{
    Legalaid__GetDutyRequest g = LEGALAID__GET_DUTY_REQUEST__INIT;
    g.id = (char *)id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_DUTY_REQUEST;
    req.get_duty_request = &g;
    return test_call(f->td.d, &req);
}

static Legalaid__Reply *complete(fixture_t *f, const char *id, const char *lawyer,
                                 Legalaid__DutyLog *log)
{
    return rk_complete(f->td.d, id, lawyer, log);
}

static void test_request_escalates_a_b_centre(void **state)
{
    fixture_t *f = *state;
    clock_set_ms(AT(10, 0));
    Legalaid__Reply *r =
        raise(f, "BT-COURT-02", LEGALAID__DUTY_REQUEST_KIND__DUTY_PLEA_SIGNING, "李某", 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    char *id = strdup(r->duty_request->id);
    assert_string_equal(id, "DR-2026-000001");
    assert_int_equal(test_counter(f->td.d, "duty_requests_open"), 1);
    assert_int_equal(r->duty_request->routed_to, LEGALAID__ROUTED_TO__ROUTED_A);
    assert_string_equal(r->duty_request->lawyer_id, "L1");
    legalaid__reply__free_unpacked(r, NULL);
    tick_at(f, AT(10, 29));
    r = get(f, id);
    assert_string_equal(r->duty_request->lawyer_id, "L1");
    legalaid__reply__free_unpacked(r, NULL);
    tick_at(f, AT(10, 31));
    r = get(f, id);
    assert_int_equal(r->duty_request->routed_to, LEGALAID__ROUTED_TO__ROUTED_B);
    assert_string_equal(r->duty_request->lawyer_id, "L2");
    legalaid__reply__free_unpacked(r, NULL);
    r = ack(f, id, "L1"); /* A may no longer take it */
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    assert_string_equal(r->field, "ack_duty_request.lawyer_id");
    legalaid__reply__free_unpacked(r, NULL);
    tick_at(f, AT(11, 2));
    r = get(f, id);
    assert_int_equal(r->duty_request->routed_to, LEGALAID__ROUTED_TO__ROUTED_CENTRE);
    assert_int_equal(r->duty_request->escalations, 2);
    legalaid__reply__free_unpacked(r, NULL);
    r = ack(f, id, "X-99"); /* outside the agreements */
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    assert_non_null(strstr(r->error, "outside the agreements"));
    legalaid__reply__free_unpacked(r, NULL);
    r = ack(f, id, "L5"); /* the centre arranges L5 */
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "duty_requests_open"), 1); /* acknowledged: still open */
    /* The plea signing's log needs the presence (R-DUTY-05). */
    Legalaid__DutyLog lg = LEGALAID__DUTY_LOG__INIT;
    lg.charge = "危险驾驶罪";
    lg.question = "认罪认罚的法律后果";
    lg.help_given = "释明认罪认罚的性质和后果，对量刑建议提出意见";
    r = complete(f, id, "L5", &lg);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "complete_duty_request.log.plea_signing_present");
    legalaid__reply__free_unpacked(r, NULL);
    lg.has_plea_signing_present = lg.plea_signing_present = 1;
    r = complete(f, id, "L5", &lg);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->duty_request->state, LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_COMPLETED);
    assert_true(r->duty_request->log->plea_signing_present);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "duty_requests_open"), 0);
    free(id);
}

static void test_detention_request_24h_and_meetings(void **state)
{
    fixture_t *f = *state;
    clock_set_ms(AT(10, 0));
    Legalaid__Reply *r =
        raise(f, "BT-DC-01", LEGALAID__DUTY_REQUEST_KIND__DUTY_CONSULTATION, "王某", 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_near(r->duty_request->answer_due_at, AT(10, 0) + 24 * MS_PER_HOUR);
    legalaid__reply__free_unpacked(r, NULL);
    /* Meetings at 14:10 and 14:20 share the 14:00 slot of capacity 2. */
    r = raise(f, "BT-DC-01", LEGALAID__DUTY_REQUEST_KIND__DUTY_MEETING, "赵某", AT(14, 10));
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->duty_request->meeting_slot_at, AT(14, 0));
    legalaid__reply__free_unpacked(r, NULL);
    r = raise(f, "BT-DC-01", LEGALAID__DUTY_REQUEST_KIND__DUTY_MEETING, "赵某", AT(14, 20));
    test_assert_code(r, LEGALAID__CODE__CONFLICT); /* the same detainee, the same slot */
    assert_non_null(strstr(r->error, "booked twice"));
    legalaid__reply__free_unpacked(r, NULL);
    r = raise(f, "BT-DC-01", LEGALAID__DUTY_REQUEST_KIND__DUTY_MEETING, "钱某", AT(14, 20));
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    r = raise(f, "BT-DC-01", LEGALAID__DUTY_REQUEST_KIND__DUTY_MEETING, "孙某", AT(14, 25));
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "raise_duty_request.request.meeting_at");
    assert_non_null(strstr(r->error, "full"));
    assert_non_null(strstr(r->error, "2026-03-02 14:30"));
    legalaid__reply__free_unpacked(r, NULL);
    /* Nobody answers the first request: after 24 h a gap names it (T-07). */
    uint64_t after = 0;
    Legalaid__Batch *b;
    size_t last = 0;
    /* (The shifts nobody checked in to raise their own gaps meanwhile.) */
    for (int h = 1; h <= 23; h++) tick_at(f, AT(10 + h, 0));
    events_of(f, LEGALAID__EVENT__BODY_COVERAGE_GAP, &after, &b, &last);
    for (size_t i = 0; i < b->n_events; i++)
        if (b->events[i]->body_case == LEGALAID__EVENT__BODY_COVERAGE_GAP)
            assert_int_not_equal(b->events[i]->coverage_gap->reason,
                                 LEGALAID__GAP_REASON__GAP_REQUEST_UNANSWERED);
    legalaid__batch__free_unpacked(b, NULL);
    tick_at(f, AT(34, 1));
    /* The consultation and the two meetings booked: none acknowledged. */
    assert_int_equal(events_of(f, LEGALAID__EVENT__BODY_COVERAGE_GAP, &after, &b, &last), 3);
    int first = 0;
    for (size_t i = 0; i < b->n_events; i++)
        if (b->events[i]->body_case == LEGALAID__EVENT__BODY_COVERAGE_GAP) {
            assert_int_equal(b->events[i]->coverage_gap->reason,
                             LEGALAID__GAP_REASON__GAP_REQUEST_UNANSWERED);
            first += !strcmp(b->events[i]->coverage_gap->request_id, "DR-2026-000001");
        }
    assert_int_equal(first, 1);
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_application_forwarded_to_intake(void **state)
{
    fixture_t *f = *state;
    clock_set_ms(AT(11, 0));
    Legalaid__Reply *r =
        raise(f, "BT-DC-01", LEGALAID__DUTY_REQUEST_KIND__DUTY_AID_APPLICATION, "周某", 0);
    char *id = strdup(r->duty_request->id);
    assert_string_equal(r->duty_request->lawyer_id, "L3");
    legalaid__reply__free_unpacked(r, NULL);
    r = ack(f, id, "L3");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    char idno[19];
    test_id_number("15020319850312001", idno);
    Legalaid__Person p = LEGALAID__PERSON__INIT;
    p.name = "周某";
    p.id_number = idno;
    Legalaid__Application a = LEGALAID__APPLICATION__INIT;
    a.applicant = &p;
    a.matter = "涉嫌盗窃罪，审查起诉阶段无辩护人，申请法律援助";
    Legalaid__DutyLog lg = LEGALAID__DUTY_LOG__INIT;
    lg.charge = "盗窃罪";
    lg.question = "如何申请法律援助";
    lg.help_given = "代为填写申请表并转交法律援助中心";
    lg.application = &a;
    r = complete(f, id, "L4", &lg);
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    legalaid__reply__free_unpacked(r, NULL);
    r = complete(f, id, "L3", &lg);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    uint64_t after = 0;
    Legalaid__Batch *b;
    size_t last = 0;
    assert_int_equal(events_of(f, LEGALAID__EVENT__BODY_DUTY_REQUEST_COMPLETED, &after, &b, &last),
                     1);
    const Legalaid__Application *fw =
        b->events[last]->duty_request_completed->request->log->application;
    assert_int_equal(fw->channel, LEGALAID__CHANNEL__CUSTODY_FORWARD);
    assert_string_equal(fw->custody_facility, "包头市第一看守所值班律师工作站");
    assert_near(fw->custody_received_at, AT(11, 0));

    /* Intake consumes it: a custody-forwarded application with a case number. */
    test_daemon_t in;
    test_daemon_open(&in, &intake_service, AT(12, 0));
    Legalaid__Event *evs[1] = {b->events[last]};
    evs[0]->seq = 1; /* the first event intake hears from this roster */
    assert_int_equal(daemon_feed(in.d, "roster", evs, 1), 0);
    Legalaid__Batch *ib;
    assert_int_equal(daemon_read_stream(in.d, 0, &ib), 0);
    assert_int_equal(ib->n_events, 1);
    assert_int_equal(ib->events[0]->body_case, LEGALAID__EVENT__BODY_APPLICATION_RECEIVED);
    const Legalaid__Application *got = ib->events[0]->application_received->application;
    assert_int_equal(got->channel, LEGALAID__CHANNEL__CUSTODY_FORWARD);
    assert_non_null(got->case_id);
    assert_false(got->custody_forward_late); /* an hour after the lawyer took it */
    legalaid__batch__free_unpacked(ib, NULL);
    test_daemon_close(&in);
    legalaid__batch__free_unpacked(b, NULL);
    free(id);
}

static Legalaid__Reply *decide(fixture_t *f, const char *id, int approve)
{
    Legalaid__DecideChange dc = LEGALAID__DECIDE_CHANGE__INIT;
    dc.id = (char *)id;
    dc.has_approve = 1;
    dc.approve = approve;
    dc.officer = "王主任";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DECIDE_CHANGE;
    req.decide_change = &dc;
    return call(f, &req);
}

static Legalaid__Reply *swap(fixture_t *f, const char *from, const char *to)
{
    Legalaid__Swap sw = LEGALAID__SWAP__INIT;
    sw.station = "BT-COURT-02";
    sw.has_starts_at = sw.has_role = 1;
    sw.starts_at = AT(9, 0);
    sw.role = LEGALAID__SHIFT_ROLE__PRIMARY;
    sw.from_lawyer = (char *)from;
    sw.to_lawyer = (char *)to;
    sw.reason = "家中有事";
    Legalaid__RequestSwap rs = LEGALAID__REQUEST_SWAP__INIT;
    rs.swap = &sw;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REQUEST_SWAP;
    req.request_swap = &rs;
    return call(f, &req);
}

static Legalaid__Reply *leave(fixture_t *f, const char *lawyer)
{
    Legalaid__Leave lv = LEGALAID__LEAVE__INIT;
    lv.lawyer_id = (char *)lawyer;
    lv.has_starts_at = lv.has_ends_at = 1;
    lv.starts_at = AT(0, 0);
    lv.ends_at = AT(24, 0);
    lv.reason = "病假";
    Legalaid__RequestLeave rl = LEGALAID__REQUEST_LEAVE__INIT;
    rl.leave = &lv;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REQUEST_LEAVE;
    req.request_leave = &rl;
    return call(f, &req);
}

/* The lawyer on post role at station at 10:00 (copied into out). */
static void on_duty(fixture_t *f, const char *station, int role, char out[16])
{
    Legalaid__DutyQuery q = LEGALAID__DUTY_QUERY__INIT;
    q.station = (char *)station;
    q.has_at = 1;
    q.at = AT(10, 0);
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DUTY_QUERY;
    req.duty_query = &q;
    Legalaid__Reply *r = test_call(f->td.d, &req);
    out[0] = 0;
    for (size_t i = 0; i < r->duty_answer->n_on_duty; i++)
        if ((int)r->duty_answer->on_duty[i]->role == role)
            snprintf(out, 16, "%s", r->duty_answer->on_duty[i]->lawyer_id);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_swap_and_leave(void **state)
{
    fixture_t *f = *state;
    char who[16];
    Legalaid__Reply *r = swap(f, "L1", "L3"); /* L3 holds the detention centre's A post */
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "request_swap.swap.to_lawyer");
    assert_non_null(strstr(r->error, "on duty at BT-DC-01"));
    legalaid__reply__free_unpacked(r, NULL);
    r = swap(f, "L1", "X-99");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "outside the agreements"));
    legalaid__reply__free_unpacked(r, NULL);
    r = swap(f, "L1", "L5");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_string_equal(r->change->swap->id, "SW-000001");
    legalaid__reply__free_unpacked(r, NULL);
    on_duty(f, "BT-COURT-02", LEGALAID__SHIFT_ROLE__PRIMARY, who);
    assert_string_equal(who, "L1"); /* not before approval */
    r = decide(f, "SW-000001", 1);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->change->swap->state, LEGALAID__CHANGE_STATE__CHANGE_APPROVED);
    legalaid__reply__free_unpacked(r, NULL);
    on_duty(f, "BT-COURT-02", LEGALAID__SHIFT_ROLE__PRIMARY, who);
    assert_string_equal(who, "L5");
    r = decide(f, "SW-000001", 1);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);

    /* L2 (court B) on leave: L1, free now, takes the post. */
    r = leave(f, "L2");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    r = decide(f, "LV-000001", 1);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->change->n_changed, 1);
    assert_string_equal(r->change->changed[0]->lawyer_id, "L1");
    legalaid__reply__free_unpacked(r, NULL);
    on_duty(f, "BT-COURT-02", LEGALAID__SHIFT_ROLE__BACKUP, who);
    assert_string_equal(who, "L1");
    /* L3 on leave: everybody else is on a post or on leave; refused, unchanged. */
    r = leave(f, "L3");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    r = decide(f, "LV-000002", 1);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "decide_change.approve");
    assert_non_null(strstr(r->error, "nobody can take the A post at BT-DC-01"));
    legalaid__reply__free_unpacked(r, NULL);
    on_duty(f, "BT-DC-01", LEGALAID__SHIFT_ROLE__PRIMARY, who);
    assert_string_equal(who, "L3");
    r = leave(f, "X-99");
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "request_leave.leave.lawyer_id");
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_check_in_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkin_deadline_on_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request_escalates_a_b_centre, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detention_request_24h_and_meetings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_application_forwarded_to_intake, setup, teardown),
        cmocka_unit_test_setup_teardown(test_swap_and_leave, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
