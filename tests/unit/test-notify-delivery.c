/*
 * test-notify-delivery.c - notify's outbox and timers through real turns:
 * dispatch's events and who each tells; the channel each notification goes
 * by; an attempt's outcome settled in a later turn (delivered once, retried
 * with a growing backoff, a dead letter after max_attempts, re-driven by
 * staff); quiet hours for applicants but not for defence cases; station
 * terminals fetching and acknowledging; deadline timers that remind, breach,
 * move and are cancelled when met, with DeadlineDue on notify's stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lmdb.h>

#include "clock.h"
#include "config.h"
#include "notify.h"
#include "notify_config.h"
#include "notify_deliver.h"
#include "notify_outbox.h"
#include "test-notify.h"
#include "store.h"
#include "testutil.h"

/* 2026-03-02 10:00 Beijing time */
#define NOW 1772416800000LL
#define CASE "BT-2026-000101"

typedef struct fixture {
    test_daemon_t td;
} fixture_t;

/* The configuration the tests run with (set again after a reopen, which
 * restores the defaults). */
static void configure(void)
{
    test_notify_set(&notify_config.sms_url, "http://127.0.0.1:9/sms");
    test_notify_set(&notify_config.staff_phones, "13800000001,13800000002");
    notify_config.max_attempts = 3;
    notify_config.retry_base_ms = 1000;
    notify_config.retry_max_ms = 60000;
    notify_config.deadline_lead_minutes = 60;
    char err[256];
    assert_int_equal(notify_config_check(err, sizeof err), 0);
}

static int setup(void **state)
{
    test_notify_templates();
    int rc = test_fixture_setup(state, sizeof(fixture_t), &notify_service, NOW);
    configure();
    return rc;
}

static int teardown(void **state)
{
    notify_outcome_t drop[64];
    while (notify_deliver_take(drop, 64)) continue;
    return test_fixture_teardown(state);
}

/* --- events -------------------------------------------------------------- */

typedef struct ev {
    Legalaid__Event ev;
    char id[64];
    Legalaid__Application app;
    Legalaid__Person person;
    Legalaid__Authority auth;
    Legalaid__ApplicationReceived received;
    Legalaid__DefenceNotificationReceived notice;
    Legalaid__Lawyer lawyer;
    Legalaid__Offer offer;
    Legalaid__LawyerOffered offered;
    Legalaid__Assignment assignment;
    Legalaid__LawyerAssigned assigned;
    Legalaid__AssignmentQueued queued;
    Legalaid__CaseTerminated terminated;
    Legalaid__LawyerReleased released;
    Legalaid__FileReviewed reviewed;
    Legalaid__CaseProgressed progressed;
    Legalaid__Deadline dl;
    Legalaid__Deadline *dls[1];
    char *met[1];
} ev_t;

static void ev_init(ev_t *e, const char *stream, uint64_t seq, const char *case_id)
{
    memset(e, 0, sizeof *e);
    legalaid__event__init(&e->ev);
    e->ev.seq = seq;
    e->ev.has_seq = 1;
    snprintf(e->id, sizeof e->id, "%s:%llu", stream, (unsigned long long)seq);
    e->ev.event_id = e->id;
    e->ev.case_id = (char *)case_id;
    legalaid__lawyer__init(&e->lawyer);
    e->lawyer.id = "L-001";
    e->lawyer.name = "王明";
    e->lawyer.firm = "内蒙古正义律师事务所";
    e->lawyer.phone = "13900000001";
}

static void feed(fixture_t *f, const char *upstream, ev_t *e)
{
    Legalaid__Event *evs[1] = {&e->ev};
    assert_int_equal(daemon_feed(f->td.d, upstream, evs, 1), 0);
}

static void ev_deadline(ev_t *e, const char *key, int64_t due, Legalaid__Party owner,
                        const char *owner_id, const char *what)
{
    legalaid__deadline__init(&e->dl);
    e->dl.key = (char *)key;
    e->dl.due_at = due;
    e->dl.has_due_at = 1;
    e->dl.owner = owner;
    e->dl.has_owner = 1;
    e->dl.owner_id = (char *)owner_id;
    e->dl.what = (char *)what;
    e->dl.article = "Legal Aid Law art. 36";
    e->dls[0] = &e->dl;
    e->ev.deadlines = e->dls;
    e->ev.n_deadlines = 1;
}

/* feed_received's last argument: 0 an application at the window, 1 an
 * authority's notice, or an application forwarded from custody (art. 39). */
#define CUSTODY_FORWARDED 2
static void feed_received(fixture_t *f, uint64_t seq, const char *case_id, int notice)
{
    ev_t e;
    ev_init(&e, "intake", seq, case_id);
    legalaid__application__init(&e.app);
    legalaid__person__init(&e.person);
    e.person.name = "张三";
    e.person.phone = "13712345678";
    e.app.case_id = (char *)case_id;
    e.app.applicant = &e.person;
    if (notice == CUSTODY_FORWARDED) {
        e.app.has_channel = 1;
        e.app.channel = LEGALAID__CHANNEL__CUSTODY_FORWARD;
        notice = 0;
    }
    if (notice) {
        legalaid__authority__init(&e.auth);
        e.auth.kind = LEGALAID__AUTHORITY_KIND__COURT;
        e.auth.has_kind = 1;
        e.auth.name = "包头市昆都仑区人民法院";
        e.auth.phone = "04722222222";
        e.app.authority = &e.auth;
        legalaid__defence_notification_received__init(&e.notice);
        e.notice.application = &e.app;
        e.ev.body_case = LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED;
        e.ev.defence_notification_received = &e.notice;
    } else {
        legalaid__application_received__init(&e.received);
        e.received.application = &e.app;
        e.ev.body_case = LEGALAID__EVENT__BODY_APPLICATION_RECEIVED;
        e.ev.application_received = &e.received;
    }
    feed(f, "intake", &e);
}

static void feed_offer(fixture_t *f, uint64_t seq, int64_t expires)
{
    ev_t e;
    ev_init(&e, "dispatch", seq, CASE);
    legalaid__offer__init(&e.offer);
    e.offer.lawyer = &e.lawyer;
    e.offer.expires_at = expires;
    e.offer.has_expires_at = 1;
    legalaid__lawyer_offered__init(&e.offered);
    e.offered.case_id = CASE;
    e.offered.offer = &e.offer;
    e.ev.body_case = LEGALAID__EVENT__BODY_LAWYER_OFFERED;
    e.ev.lawyer_offered = &e.offered;
    ev_deadline(&e, "offer", expires, LEGALAID__PARTY__LAWYER, "L-001", "答复案件指派");
    feed(f, "dispatch", &e);
}

/* --- reading back --------------------------------------------------------- */

static Legalaid__Reply *call(fixture_t *f, Legalaid__Request *req, Legalaid__Code code)
{
    Legalaid__Reply *r = test_call_new(f->td.d, req);
    test_assert_code(r, code);
    return r;
}

static Legalaid__Reply *list_case(fixture_t *f, const char *case_id)
{
    Legalaid__ListNotifications ln = LEGALAID__LIST_NOTIFICATIONS__INIT;
    ln.case_id = (char *)case_id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_LIST_NOTIFICATIONS;
    req.list_notifications = &ln;
    return call(f, &req, LEGALAID__CODE__OK);
}

static Legalaid__Reply *list_state(fixture_t *f, Legalaid__OutboxState state)
{
    Legalaid__NotificationsQuery q = LEGALAID__NOTIFICATIONS_QUERY__INIT;
    q.state = state;
    q.has_state = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_NOTIFICATIONS_QUERY;
    req.notifications_query = &q;
    return call(f, &req, LEGALAID__CODE__OK);
}

/* The events on notify's own stream of body kind, counted. */
static size_t stream_count(fixture_t *f, Legalaid__Event__BodyCase kind, Legalaid__Event **last)
{
    Legalaid__Batch *b;
    assert_int_equal(daemon_read_stream(f->td.d, 0, &b), 0);
    size_t n = 0;
    static Legalaid__Event copy;
    for (size_t i = 0; i < b->n_events; i++)
        if (b->events[i]->body_case == kind) n++;
    if (last) *last = NULL;
    (void)copy;
    legalaid__batch__free_unpacked(b, NULL);
    return n;
}

static void tick_at(fixture_t *f, int64_t at)
{
    clock_set_ms(at);
    assert_int_equal(daemon_tick(f->td.d), 0);
}

static void assert_has(const char *text, const char *part)
{
    if (!strstr(text, part)) fail_msg("text \"%s\" lacks \"%s\"", text, part);
}

/* --- tests ---------------------------------------------------------------- */

static void test_dispatch_events_tell_each_party(void **state)
{
    fixture_t *f = *state;
    feed_received(f, 1, CASE, 0);
    feed_offer(f, 1, NOW + 24 * MS_PER_HOUR);

    ev_t e;
    ev_init(&e, "dispatch", 2, CASE);
    legalaid__assignment_queued__init(&e.queued);
    e.queued.case_id = CASE;
    e.queued.reason = "no provider of the 2 in the pool may take this case: 2 declined";
    /* The staff read the rules' codes in Chinese, not dispatch's English. */
    Legalaid__RuleCount declined = LEGALAID__RULE_COUNT__INIT, *filtered[] = {&declined};
    declined.rule = "declined, let lapse or left this case before";
    declined.code = "declined";
    declined.excluded = 2;
    declined.has_excluded = 1;
    Legalaid__MatchExplanation why = LEGALAID__MATCH_EXPLANATION__INIT;
    why.pool = 2;
    why.has_pool = 1;
    why.filtered = filtered;
    why.n_filtered = 1;
    e.queued.explanation = &why;
    e.queued.state = LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
    e.queued.has_state = 1;
    e.ev.body_case = LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED;
    e.ev.assignment_queued = &e.queued;
    feed(f, "dispatch", &e);
    e.ev.seq = 3;
    snprintf(e.id, sizeof e.id, "dispatch:3");
    e.queued.state = LEGALAID__ASSIGNMENT_STATE__QUEUED; /* waiting: nobody told */
    feed(f, "dispatch", &e);

    ev_init(&e, "dispatch", 4, CASE);
    legalaid__case_terminated__init(&e.terminated);
    e.terminated.case_id = CASE;
    e.terminated.article = "Legal Aid Law art. 48(6)";
    e.terminated.detail = "受援人已自行委托律师";
    e.terminated.lawyer_id = "L-001";
    e.ev.body_case = LEGALAID__EVENT__BODY_CASE_TERMINATED;
    e.ev.case_terminated = &e.terminated;
    feed(f, "dispatch", &e);

    ev_init(&e, "dispatch", 5, CASE);
    legalaid__lawyer_released__init(&e.released);
    e.released.case_id = CASE;
    e.released.lawyer_id = "L-001";
    e.released.kind = LEGALAID__RELEASE_KIND__REPLACEMENT;
    e.released.has_kind = 1;
    e.ev.body_case = LEGALAID__EVENT__BODY_LAWYER_RELEASED;
    e.ev.lawyer_released = &e.released;
    feed(f, "dispatch", &e);

    ev_init(&e, "dispatch", 6, CASE);
    legalaid__file_reviewed__init(&e.reviewed);
    e.reviewed.case_id = CASE;
    e.reviewed.lawyer_id = "L-001";
    e.reviewed.grade = LEGALAID__GRADE__EXCELLENT;
    e.reviewed.has_grade = 1;
    e.reviewed.final_score = 92;
    e.reviewed.has_final_score = 1;
    e.ev.body_case = LEGALAID__EVENT__BODY_FILE_REVIEWED;
    e.ev.file_reviewed = &e.reviewed;
    feed(f, "dispatch", &e);

    Legalaid__Reply *r = list_case(f, CASE);
    Legalaid__NotificationList *l = r->notifications;
    static const struct {
        const char *kind;
        Legalaid__Party party;
        const char *part;
    } want[] = {
        {"receipt", LEGALAID__PARTY__APPLICANT, "您的申请已受理"},
        {"offer", LEGALAID__PARTY__LAWYER, "王明律师：法律援助案件BT-2026-000101拟指派您承办"},
        {"staff_queue", LEGALAID__PARTY__STAFF,
         "名册中2名法律援助人员均不能承办本案（已谢绝、逾期未答复或已退出本案2名）"},
        {"termination", LEGALAID__PARTY__APPLICANT, "《法律援助法》第48条第6项"},
        {"termination", LEGALAID__PARTY__LAWYER, "已终止法律援助"},
        {"released", LEGALAID__PARTY__LAWYER, "受援人申请更换律师"},
        {"replacement", LEGALAID__PARTY__APPLICANT, "更换律师的申请已同意"},
        {"file_graded", LEGALAID__PARTY__LAWYER, "优秀（92分）"},
    };
    assert_int_equal(l->n_notifications, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < l->n_notifications; i++) {
        assert_string_equal(l->notifications[i]->kind, want[i].kind);
        assert_int_equal(l->notifications[i]->party, want[i].party);
        assert_has(l->notifications[i]->text, want[i].part);
        assert_null(l->notifications[i]->destination); /* never listed */
    }
    /* The offer states its expiry; the lawyer is reached by the phone in the
     * offer, and later by the contacts table (the termination has only the id). */
    assert_has(l->notifications[1]->text, "2026年3月3日 10:00前");
    assert_string_equal(l->notifications[4]->address, "139****0001");
    assert_string_equal(l->notifications[4]->recipient, "王明");
    /* Staff by SMS to both configured phones. */
    assert_int_equal(l->notifications[2]->channel, LEGALAID__NOTIFY_CHANNEL__CHANNEL_SMS);
    legalaid__reply__free_unpacked(r, NULL);
}

static uint64_t first_pending_id(fixture_t *f, const char *kind)
{
    Legalaid__Reply *r = list_state(f, LEGALAID__OUTBOX_STATE__OUTBOX_PENDING);
    uint64_t id = 0;
    for (size_t i = 0; i < r->notifications->n_notifications && !id; i++)
        if (!strcmp(r->notifications->notifications[i]->kind, kind))
            id = r->notifications->notifications[i]->id;
    legalaid__reply__free_unpacked(r, NULL);
    assert_true(id > 0);
    return id;
}

static Legalaid__Notification *get_one(fixture_t *f, uint64_t id, Legalaid__Reply **keep)
{
    *keep = list_case(f, CASE);
    for (size_t i = 0; i < (*keep)->notifications->n_notifications; i++)
        if ((*keep)->notifications->notifications[i]->id == id)
            return (*keep)->notifications->notifications[i];
    fail_msg("notification %llu not listed", (unsigned long long)id);
    return NULL;
}

static void test_attempts_retry_then_dead_then_redrive(void **state)
{
    fixture_t *f = *state;
    feed_received(f, 1, CASE, 0);
    uint64_t id = first_pending_id(f, "receipt");
    assert_int_equal(test_counter(f->td.d, "outbox.pending"), 1);

    /* A failed attempt: pending again after a backoff within [base/2, base],
     * its jitter a mix of the id and the attempt: the same on every run. */
    notify_deliver_inject(id, 0, "HTTP status 500");
    tick_at(f, NOW);
    Legalaid__Reply *keep;
    Legalaid__Notification *n = get_one(f, id, &keep);
    assert_int_equal(n->state, LEGALAID__OUTBOX_STATE__OUTBOX_PENDING);
    assert_int_equal(n->attempts, 1);
    test_assert_time(n->next_attempt_at, NOW + 781);
    assert_string_equal(n->last_error, "HTTP status 500");
    assert_string_equal(n->idempotency_key, "legalaid-notify:intake:1:applicant");
    legalaid__reply__free_unpacked(keep, NULL);

    /* Second: the wait doubles. */
    notify_deliver_inject(id, 0, "timeout");
    tick_at(f, NOW + 1000);
    n = get_one(f, id, &keep);
    test_assert_time(n->next_attempt_at, NOW + 1000 + 1424);
    legalaid__reply__free_unpacked(keep, NULL);

    /* Third (max_attempts = 3): a dead letter, on the stream and in the counters. */
    notify_deliver_inject(id, 0, "HTTP status 503");
    tick_at(f, NOW + 4000);
    assert_int_equal(test_counter(f->td.d, "outbox.dead"), 1);
    assert_int_equal(test_counter(f->td.d, "outbox.pending"), 0);
    assert_int_equal(test_counter(f->td.d, "outbox.failed_attempts"), 3);
    assert_int_equal(stream_count(f, LEGALAID__EVENT__BODY_NOTIFICATION_FAILED, NULL), 1);
    Legalaid__Reply *r = list_state(f, LEGALAID__OUTBOX_STATE__OUTBOX_DEAD);
    assert_int_equal(r->notifications->n_notifications, 1);
    assert_int_equal(r->notifications->notifications[0]->id, id);
    assert_string_equal(r->notifications->notifications[0]->last_error, "HTTP status 503");
    legalaid__reply__free_unpacked(r, NULL);

    /* Only a dead letter is re-driven; then it goes out at once. */
    Legalaid__RedriveNotification rd = LEGALAID__REDRIVE_NOTIFICATION__INIT;
    rd.id = 999;
    rd.has_id = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REDRIVE_NOTIFICATION;
    req.redrive_notification = &rd;
    r = call(f, &req, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "redrive_notification.id");
    legalaid__reply__free_unpacked(r, NULL);
    rd.id = id;
    r = call(f, &req, LEGALAID__CODE__OK);
    assert_int_equal(r->notifications->n_notifications, 1);
    legalaid__reply__free_unpacked(r, NULL);
    r = call(f, &req, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "outbox.dead"), 0);
    assert_int_equal(test_counter(f->td.d, "outbox.pending"), 1);

    /* Delivered: once, whatever late outcome arrives after. */
    notify_deliver_inject(id, 1, NULL);
    notify_deliver_inject(id, 1, NULL);
    tick_at(f, NOW + 5000);
    n = get_one(f, id, &keep);
    assert_int_equal(n->state, LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED);
    test_assert_time(n->delivered_at, NOW + 5000);
    legalaid__reply__free_unpacked(keep, NULL);
    assert_int_equal(test_counter(f->td.d, "outbox.delivered"), 1);
    assert_int_equal(stream_count(f, LEGALAID__EVENT__BODY_NOTIFICATION_DELIVERED, NULL), 1);
}

/* The backoff's jitter is the same for the same notification and attempt
 * (a retry's time is stated exactly, whatever the machine), yet spreads
 * notifications that fail at once over [base/2, base]: the gateway down
 * does not bring them all back at the same instant. */
static void test_backoff_exact_and_spread(void **state)
{
    (void)state;
    assert_int_equal(notify_outbox_backoff(1, 1), 781);
    assert_int_equal(notify_outbox_backoff(1, 2), 1424);
    assert_int_equal(notify_outbox_backoff(1, 1), notify_outbox_backoff(1, 1));
    int64_t lo = 1000, hi = 0;
    int distinct = 0;
    for (uint64_t id = 1; id <= 200; id++) {
        int64_t w = notify_outbox_backoff(id, 1);
        assert_true(w >= 500 && w <= 1000);
        if (w < lo) lo = w;
        if (w > hi) hi = w;
        if (w != notify_outbox_backoff(id + 1, 1)) distinct++;
    }
    assert_true(distinct >= 190);      /* neighbours' ids do not share a time */
    assert_true(lo < 550 && hi > 950); /* the whole window is used */
    /* Capped at retry_max_ms: [max/2, max]. */
    int64_t w = notify_outbox_backoff(7, 30);
    assert_true(w >= 30000 && w <= 60000);
}

static void test_quiet_hours_spare_defence(void **state)
{
    fixture_t *f = *state;
    /* 22:30 local: inside 21:00-08:00. */
    int64_t late = NOW + 12 * MS_PER_HOUR + 30 * 60000;
    clock_set_ms(late);
    feed_received(f, 1, CASE, 0);
    feed_received(f, 2, "BT-2026-000102", 1);
    Legalaid__Reply *r = list_case(f, CASE);
    Legalaid__Notification *n = r->notifications->notifications[0];
    /* Held until 08:00 the next morning. */
    test_assert_time(n->next_attempt_at, NOW + 22 * MS_PER_HOUR);
    legalaid__reply__free_unpacked(r, NULL);
    r = list_case(f, "BT-2026-000102");
    n = r->notifications->notifications[0];
    assert_int_equal(n->party, LEGALAID__PARTY__AUTHORITY);
    test_assert_time(n->next_attempt_at, late); /* not held */
    legalaid__reply__free_unpacked(r, NULL);
}

/* The quiet hours at their edges, as shipped (21:00-08:00): 20:59:59.999
 * goes out, 21:00 waits for 08:00 the next morning, 07:59 for 08:00 that
 * morning, 08:00 goes out; hours that do not wrap midnight end at their end
 * too. An urgent notice to an applicant (an application forwarded from
 * custody, art. 39) is not held. */
static void test_quiet_hours_edges(void **state)
{
    fixture_t *f = *state;
    const int64_t h21 = NOW + 11 * MS_PER_HOUR; /* NOW is 10:00 local */
    const int64_t next8 = NOW + 22 * MS_PER_HOUR;
    assert_int_equal(notify_config_quiet_release(h21 - 1), h21 - 1);
    assert_int_equal(notify_config_quiet_release(h21), next8);
    assert_int_equal(notify_config_quiet_release(next8 - 60000), next8);
    assert_int_equal(notify_config_quiet_release(next8), next8);
    test_notify_set(&notify_config.quiet_hours, "12:00-14:00");
    char err[256];
    assert_int_equal(notify_config_check(err, sizeof err), 0);
    const int64_t h12 = NOW + 2 * MS_PER_HOUR, h14 = NOW + 4 * MS_PER_HOUR;
    assert_int_equal(notify_config_quiet_release(h12 - 1), h12 - 1);
    assert_int_equal(notify_config_quiet_release(h12), h14);
    assert_int_equal(notify_config_quiet_release(h14 - 1), h14);
    assert_int_equal(notify_config_quiet_release(h14), h14);
    test_notify_set(&notify_config.quiet_hours, "21:00-08:00");
    assert_int_equal(notify_config_check(err, sizeof err), 0);

    /* 22:30: a custody-forwarded application's receipt is not held. */
    int64_t late = NOW + 12 * MS_PER_HOUR + 30 * 60000;
    clock_set_ms(late);
    feed_received(f, 1, CASE, CUSTODY_FORWARDED);
    Legalaid__Reply *r = list_case(f, CASE);
    Legalaid__Notification *n = r->notifications->notifications[0];
    assert_int_equal(n->party, LEGALAID__PARTY__APPLICANT);
    assert_true(n->urgent);
    test_assert_time(n->next_attempt_at, late);
    uint64_t id = n->id;
    legalaid__reply__free_unpacked(r, NULL);
    /* Nor is its retry: after the backoff, not at 08:00. */
    notify_deliver_inject(id, 0, "HTTP status 500");
    tick_at(f, late);
    r = list_case(f, CASE);
    n = r->notifications->notifications[0];
    assert_int_equal(n->attempts, 1);
    test_assert_time(n->next_attempt_at, late + notify_outbox_backoff(id, 1));
    legalaid__reply__free_unpacked(r, NULL);
}

/* max_attempts as shipped (8): seven failures leave it pending, the eighth
 * makes it a dead letter. */
static void test_shipped_max_attempts(void **state)
{
    fixture_t *f = *state;
    notify_config_t shipped;
    memset(&shipped, 0, sizeof shipped);
    cfg_table_t table = {notify_config_keys, &shipped};
    char err[256];
    assert_int_equal(config_defaults(&table, 1, err, sizeof err), 0);
    notify_config.max_attempts = shipped.max_attempts;
    config_free(&table, 1);
    feed_received(f, 1, CASE, 0);
    uint64_t id = first_pending_id(f, "receipt");
    int64_t at = NOW;
    for (int i = 1; i <= 8; i++) {
        assert_int_equal(test_counter(f->td.d, "outbox.dead"), 0);
        notify_deliver_inject(id, 0, "HTTP status 500");
        tick_at(f, at);
        at += notify_config.retry_max_ms;
        assert_int_equal(test_counter(f->td.d, "outbox.failed_attempts"), i);
    }
    assert_int_equal(test_counter(f->td.d, "outbox.dead"), 1);
    assert_int_equal(test_counter(f->td.d, "outbox.pending"), 0);
}

static void test_webhook_and_unrouted(void **state)
{
    fixture_t *f = *state;
    test_notify_set(&notify_config.webhook_court, "http://127.0.0.1:9/court");
    test_notify_set(&notify_config.webhooks, "包头市昆都仑区人民法院=http://127.0.0.1:9/kdq");
    test_notify_set(&notify_config.sms_url, "");
    feed_received(f, 1, CASE, 1);
    feed_received(f, 2, "BT-2026-000103", 0);
    Legalaid__Reply *r = list_state(f, LEGALAID__OUTBOX_STATE__OUTBOX_PENDING);
    assert_int_equal(r->notifications->n_notifications, 1);
    assert_int_equal(r->notifications->notifications[0]->channel,
                     LEGALAID__NOTIFY_CHANNEL__CHANNEL_WEBHOOK);
    legalaid__reply__free_unpacked(r, NULL);
    /* No SMS gateway and no spool: the applicant's receipt is unrouted. */
    assert_int_equal(test_counter(f->td.d, "outbox.unrouted"), 1);
    r = list_state(f, LEGALAID__OUTBOX_STATE__OUTBOX_UNROUTED);
    assert_int_equal(r->notifications->n_notifications, 1);
    uint64_t id = r->notifications->notifications[0]->id;
    legalaid__reply__free_unpacked(r, NULL);

    /* A store from before the unrouted list: listed once at start. */
    daemon_close_test(&f->td.d);
    test_drop_table(f->td.dir, "outbox_unrouted");
    f->td.d = daemon_open_test(&notify_service, f->td.dir);
    assert_non_null(f->td.d);
    r = list_state(f, LEGALAID__OUTBOX_STATE__OUTBOX_UNROUTED);
    assert_int_equal(r->notifications->n_notifications, 1);
    assert_int_equal(r->notifications->notifications[0]->id, id);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_station_fetch_acknowledges(void **state)
{
    fixture_t *f = *state;
    /* A deadline owned by a station: its reminders go to the terminal. */
    ev_t e;
    ev_init(&e, "dispatch", 1, CASE);
    legalaid__case_progressed__init(&e.progressed);
    e.progressed.case_id = CASE;
    e.ev.body_case = LEGALAID__EVENT__BODY_CASE_PROGRESSED;
    e.ev.case_progressed = &e.progressed;
    ev_deadline(&e, "duty_request", NOW + 2 * MS_PER_HOUR, LEGALAID__PARTY__STATION, "BT-KDQ-COURT",
                "派出值班律师");
    feed(f, "dispatch", &e);
    tick_at(f, NOW + MS_PER_HOUR);     /* the reminder (lead 60 minutes) */
    tick_at(f, NOW + 2 * MS_PER_HOUR); /* the breach */

    Legalaid__StationFetch sf = LEGALAID__STATION_FETCH__INIT;
    sf.station = "BT-KDQ-COURT";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STATION_FETCH;
    req.station_fetch = &sf;
    Legalaid__Reply *r = call(f, &req, LEGALAID__CODE__OK);
    assert_int_equal(r->station_messages->n_messages, 2);
    assert_has(r->station_messages->messages[0]->text, "派出值班律师");
    assert_has(r->station_messages->messages[1]->text, "逾期");
    uint64_t first = r->station_messages->messages[0]->id;
    uint64_t second = r->station_messages->messages[1]->id;
    legalaid__reply__free_unpacked(r, NULL);
    /* The same fetch again: the same messages (nothing acknowledged yet). */
    r = call(f, &req, LEGALAID__CODE__OK);
    assert_int_equal(r->station_messages->n_messages, 2);
    legalaid__reply__free_unpacked(r, NULL);
    sf.after_id = first;
    sf.has_after_id = 1;
    r = call(f, &req, LEGALAID__CODE__OK);
    assert_int_equal(r->station_messages->n_messages, 1);
    assert_int_equal(r->station_messages->messages[0]->id, second);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "outbox.delivered"), 1);
    sf.station = "";
    r = call(f, &req, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "station_fetch.station");
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_deadline_reminder_breach_met_moved(void **state)
{
    fixture_t *f = *state;
    feed_received(f, 1, CASE, 0);
    int64_t due = NOW + 3 * MS_PER_HOUR;
    feed_offer(f, 1, due);
    assert_int_equal(test_counter(f->td.d, "timers.pending"), 1);
    size_t before = test_counter(f->td.d, "notifications");

    tick_at(f, due - 61 * 60000); /* not yet */
    assert_int_equal(test_counter(f->td.d, "notifications"), before);
    tick_at(f, due - 60 * 60000); /* the reminder: lawyer and staff */
    assert_int_equal(test_counter(f->td.d, "notifications"), before + 2);
    assert_int_equal(stream_count(f, LEGALAID__EVENT__BODY_DEADLINE_DUE, NULL), 1);
    tick_at(f, due - 30 * 60000); /* nothing more before the breach */
    assert_int_equal(test_counter(f->td.d, "notifications"), before + 2);
    tick_at(f, due);
    assert_int_equal(test_counter(f->td.d, "notifications"), before + 4);
    assert_int_equal(test_counter(f->td.d, "timers.pending"), 0);
    Legalaid__Reply *r = list_case(f, CASE);
    Legalaid__NotificationList *l = r->notifications;
    size_t n = l->n_notifications;
    assert_string_equal(l->notifications[n - 2]->kind, "deadline_breach");
    assert_int_equal(l->notifications[n - 2]->party, LEGALAID__PARTY__LAWYER);
    assert_string_equal(l->notifications[n - 2]->address, "139****0001");
    assert_has(l->notifications[n - 2]->text, "答复案件指派");
    assert_has(l->notifications[n - 2]->text, "2026年3月2日 13:00");
    assert_int_equal(l->notifications[n - 1]->party, LEGALAID__PARTY__STAFF);
    assert_has(l->notifications[n - 1]->text, "责任人王明");
    legalaid__reply__free_unpacked(r, NULL);

    /* A deadline no longer than the lead time (here exactly the lead, 60
     * minutes): no reminder at the moment it is set, only the breach. */
    const int64_t set = NOW + 3 * MS_PER_HOUR + 1000;
    clock_set_ms(set);
    before = test_counter(f->td.d, "notifications");
    feed_offer(f, 2, set + 60 * 60000);
    tick_at(f, set + 1000);
    assert_int_equal(test_counter(f->td.d, "notifications"), before + 1); /* the offer itself */
    tick_at(f, set + 60 * 60000);
    assert_int_equal(test_counter(f->td.d, "notifications"),
                     before + 3); /* breach: lawyer, staff */

    /* A new offer deadline, then moved, then met: no reminder at all. */
    clock_set_ms(NOW + 4 * MS_PER_HOUR);
    feed_offer(f, 3, NOW + 10 * MS_PER_HOUR);
    feed_offer(f, 4, NOW + 20 * MS_PER_HOUR);
    tick_at(f, NOW + 9 * MS_PER_HOUR + 1); /* the first one's reminder time: moved away */
    before = test_counter(f->td.d, "notifications");
    ev_t e;
    ev_init(&e, "dispatch", 5, CASE);
    legalaid__case_progressed__init(&e.progressed);
    e.progressed.case_id = CASE;
    e.ev.body_case = LEGALAID__EVENT__BODY_CASE_PROGRESSED;
    e.ev.case_progressed = &e.progressed;
    e.met[0] = "offer";
    e.ev.deadlines_met = e.met;
    e.ev.n_deadlines_met = 1;
    feed(f, "dispatch", &e);
    assert_int_equal(test_counter(f->td.d, "timers.pending"), 0);
    tick_at(f, NOW + 21 * MS_PER_HOUR);
    assert_int_equal(test_counter(f->td.d, "notifications"), before);
}

/* The authority told of the appointment (art. 36) may come in the
 * assignment itself: it is found there, with its file number. */
static void test_appointment_from_assignment_authority(void **state)
{
    fixture_t *f = *state;
    ev_t e;
    ev_init(&e, "dispatch", 1, CASE);
    legalaid__authority__init(&e.auth);
    e.auth.kind = LEGALAID__AUTHORITY_KIND__PROCURATORATE;
    e.auth.has_kind = 1;
    e.auth.name = "包头市青山区人民检察院";
    e.auth.reference = "青检刑通〔2026〕9号";
    e.auth.phone = "04723333333";
    legalaid__assignment__init(&e.assignment);
    e.assignment.case_id = CASE;
    e.assignment.lawyer = &e.lawyer;
    e.assignment.authority = &e.auth;
    legalaid__lawyer_assigned__init(&e.assigned);
    e.assigned.assignment = &e.assignment;
    e.ev.body_case = LEGALAID__EVENT__BODY_LAWYER_ASSIGNED;
    e.ev.lawyer_assigned = &e.assigned;
    feed(f, "dispatch", &e);
    Legalaid__Reply *r = list_case(f, CASE);
    Legalaid__NotificationList *l = r->notifications;
    assert_int_equal(l->n_notifications, 3);
    assert_string_equal(l->notifications[2]->kind, "appointment");
    assert_string_equal(l->notifications[2]->recipient, "包头市青山区人民检察院");
    assert_string_equal(l->notifications[2]->address, "047****3333");
    assert_has(l->notifications[2]->text, "（文号青检刑通〔2026〕9号）");
    assert_has(l->notifications[2]->text, "内蒙古正义律师事务所王明律师承办");
    /* The applicant is not known yet: recorded, sent once intake tells. */
    assert_true(l->notifications[0]->contact_pending);
    legalaid__reply__free_unpacked(r, NULL);
}

/* An installation from before common/due.h keeps its timers: its index
 * "timers_due" (next_at | case_id NUL key, no kind byte) is rebuilt from
 * the timers at open, and the timer still reminds and breaches. */
static void test_timers_due_converted_at_open(void **state)
{
    fixture_t *f = *state;
    feed_received(f, 1, CASE, 0);
    int64_t due = NOW + 3 * MS_PER_HOUR;
    feed_offer(f, 1, due);
    assert_int_equal(test_counter(f->td.d, "timers.pending"), 1);
    size_t before = test_counter(f->td.d, "notifications");
    daemon_close_test(&f->td.d);

    /* Put the index back as the old code wrote it. */
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi at, old;
    MDB_cursor *c;
    MDB_val k, v;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 32), 0);
    assert_int_equal(mdb_env_open(env, f->td.dir, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "timers_at", 0, &at), 0);
    assert_int_equal(mdb_dbi_open(txn, "timers_due", MDB_CREATE, &old), 0);
    assert_int_equal(mdb_cursor_open(txn, at, &c), 0);
    size_t n = 0;
    for (int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        unsigned char key[512];
        memcpy(key, k.mv_data, 8);                                      /* next_at */
        memcpy(key + 8, (unsigned char *)k.mv_data + 9, k.mv_size - 9); /* no kind */
        MDB_val ok = {k.mv_size - 1, key}, ov = {0, ""};
        assert_int_equal(mdb_put(txn, old, &ok, &ov, 0), 0);
        n++;
    }
    mdb_cursor_close(c);
    assert_int_equal(n, 1);
    assert_int_equal(mdb_drop(txn, at, 1), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    f->td.d = daemon_open_test(&notify_service, f->td.dir);
    assert_non_null(f->td.d);
    configure();
    assert_int_equal(test_counter(f->td.d, "timers.pending"), 1);
    tick_at(f, due - 60 * 60000); /* the reminder: lawyer and staff */
    assert_int_equal(test_counter(f->td.d, "notifications"), before + 2);
    tick_at(f, due); /* the breach */
    assert_int_equal(test_counter(f->td.d, "notifications"), before + 4);
    assert_int_equal(test_counter(f->td.d, "timers.pending"), 0);
    assert_int_equal(stream_count(f, LEGALAID__EVENT__BODY_DEADLINE_DUE, NULL), 2);

    /* The old table is gone: a second open rebuilds nothing. */
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 32), 0);
    assert_int_equal(mdb_env_open(env, f->td.dir, MDB_RDONLY, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "timers_due", 0, &old), MDB_NOTFOUND);
    mdb_txn_abort(txn);
    mdb_env_close(env);
}

/* Writes the store in dir back to the layout of earlier builds: every
 * notification a row by id in "notifications" with its entry in "by_case"
 * (case NUL id), delivered or not; no case records; no id, count or mark
 * in "meta". */
static void notes_to_earlier_layout(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi notes, byid, bycase, meta;
    MDB_cursor *c;
    MDB_val k, v;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 64), 0);
    assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "case_notes", 0, &notes), 0);
    assert_int_equal(mdb_dbi_open(txn, "notifications", 0, &byid), 0);
    assert_int_equal(mdb_dbi_open(txn, "by_case", 0, &bycase), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    assert_int_equal(mdb_cursor_open(txn, notes, &c), 0);
    size_t n = 0;
    for (int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        Legalaid__NotificationList *l =
            legalaid__notification_list__unpack(NULL, v.mv_size, v.mv_data);
        assert_non_null(l); /* the suite's stores are not sealed */
        for (size_t i = 0; i < l->n_notifications; i++, n++) {
            Legalaid__Notification *note = l->notifications[i];
            assert_int_equal(note->state, LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED);
            note->destination = "13100000001"; /* as earlier builds kept it */
            note->idempotency_key = "legalaid-notify:intake:1:applicant";
            unsigned char id[8], ck[64];
            store_be64(note->id, id);
            size_t len = legalaid__notification__get_packed_size(note);
            uint8_t *buf = malloc(len);
            legalaid__notification__pack(note, buf);
            note->destination = note->idempotency_key = NULL; /* not the list's to free */
            MDB_val ik = {8, id}, iv = {len, buf};
            assert_int_equal(mdb_put(txn, byid, &ik, &iv, 0), 0);
            free(buf);
            size_t cn = strlen(note->case_id);
            memcpy(ck, note->case_id, cn);
            ck[cn] = 0;
            memcpy(ck + cn + 1, id, 8);
            MDB_val bk = {cn + 9, ck}, bv = {0, ""};
            assert_int_equal(mdb_put(txn, bycase, &bk, &bv, 0), 0);
        }
        legalaid__notification_list__free_unpacked(l, NULL);
    }
    mdb_cursor_close(c);
    assert_int_equal(n, 1); /* the receipt delivered */
    /* Earlier builds indexed a notification without a case under NUL id. */
    unsigned char nk[9] = {0, 0, 0, 0, 0, 0, 0, 0, 50};
    MDB_val nkey = {9, nk}, nval = {0, ""};
    assert_int_equal(mdb_put(txn, bycase, &nkey, &nval, 0), 0);
    assert_int_equal(mdb_drop(txn, notes, 0), 0);
    const char *keys[] = {"notify.last_id", "notify.recorded", "notify.cases_kept"};
    for (size_t i = 0; i < 3; i++) {
        MDB_val mk = {strlen(keys[i]), (void *)keys[i]};
        assert_int_equal(mdb_del(txn, meta, &mk, NULL), 0);
    }
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

/* The rows and the index entries by case of the store in dir. */
static void notes_rows(const char *dir, size_t *rows, size_t *indexed)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_stat st;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 64), 0);
    assert_int_equal(mdb_env_open(env, dir, MDB_RDONLY, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "notifications", 0, &dbi), 0);
    assert_int_equal(mdb_stat(txn, dbi, &st), 0);
    *rows = st.ms_entries;
    assert_int_equal(mdb_dbi_open(txn, "by_case", 0, &dbi), 0);
    assert_int_equal(mdb_stat(txn, dbi, &st), 0);
    *indexed = st.ms_entries;
    mdb_txn_abort(txn);
    mdb_env_close(env);
}

/* Each case's list, as staff see it, the same as in before (ids, states,
 * texts, in id order). */
static void notes_same(fixture_t *f, const char *case_id, const Legalaid__Reply *before)
{
    Legalaid__Reply *after = list_case(f, case_id);
    size_t n = before->notifications->n_notifications;
    assert_int_equal(after->notifications->n_notifications, n);
    for (size_t i = 0; i < n; i++) {
        const Legalaid__Notification *a = after->notifications->notifications[i];
        const Legalaid__Notification *b = before->notifications->notifications[i];
        assert_int_equal(a->id, b->id);
        assert_int_equal(a->state, b->state);
        assert_string_equal(a->text, b->text);
        if (i) assert_true(a->id > after->notifications->notifications[i - 1]->id);
    }
    legalaid__reply__free_unpacked(after, NULL);
}

static Legalaid__Reply *redrive(fixture_t *f, uint64_t id, Legalaid__Code code)
{
    Legalaid__RedriveNotification rd = LEGALAID__REDRIVE_NOTIFICATION__INIT;
    rd.id = id;
    rd.has_id = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REDRIVE_NOTIFICATION;
    req.redrive_notification = &rd;
    return call(f, &req, code);
}

/* A case's delivered notifications are one record; the waiting ones rows
 * by id. A store that kept every one as a row, with an index entry by
 * case, is moved over at its first open, and only then: each case lists
 * the same messages in the same states; a dead one is re-driven and
 * delivered; a waiting one of another case is delivered; re-driving a
 * delivered one is refused as before; the count and the ids go on. A
 * delivered one keeps no destination or key. */
static void test_notifications_moved_into_their_cases_at_open(void **state)
{
    fixture_t *f = *state;
    const char *other = "BT-2026-000102";
    feed_received(f, 1, CASE, 0);
    feed_offer(f, 1, NOW + 3 * MS_PER_HOUR);
    feed_received(f, 2, other, 0);
    uint64_t receipt = first_pending_id(f, "receipt"), offer = first_pending_id(f, "offer");
    notify_deliver_inject(receipt, 1, NULL);
    notify_deliver_inject(offer, 0, "HTTP status 500");
    tick_at(f, NOW);
    notify_deliver_inject(offer, 0, "HTTP status 500");
    tick_at(f, NOW + 1000);
    notify_deliver_inject(offer, 0, "HTTP status 500");
    tick_at(f, NOW + 4000);
    assert_int_equal(test_counter(f->td.d, "outbox.dead"), 1);
    uint64_t waiting = first_pending_id(f, "receipt"); /* the other case's */
    assert_true(waiting != receipt);
    Legalaid__Reply *mine = list_case(f, CASE), *theirs = list_case(f, other);
    assert_int_equal(mine->notifications->n_notifications, 2);
    assert_int_equal(theirs->notifications->n_notifications, 1);
    Legalaid__Reply *keep;
    Legalaid__Notification *got = get_one(f, receipt, &keep);
    assert_int_equal(got->state, LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED);
    assert_null(got->idempotency_key);
    legalaid__reply__free_unpacked(keep, NULL);
    size_t count = test_counter(f->td.d, "notifications"), rows, indexed;
    assert_int_equal(count, 3);
    daemon_close_test(&f->td.d);
    notes_rows(f->td.dir, &rows, &indexed);
    assert_int_equal(rows, 2); /* the dead offer and the other receipt */
    assert_int_equal(indexed, 2);

    notes_to_earlier_layout(f->td.dir);
    for (int open = 0; open < 2; open++) { /* the second open moves nothing */
        f->td.d = daemon_open_test(&notify_service, f->td.dir);
        assert_non_null(f->td.d);
        configure();
        notes_same(f, CASE, mine);
        notes_same(f, other, theirs);
        got = get_one(f, receipt, &keep); /* moved: it keeps no key */
        assert_null(got->idempotency_key);
        legalaid__reply__free_unpacked(keep, NULL);
        assert_int_equal(test_counter(f->td.d, "notifications"), count);
        assert_int_equal(test_counter(f->td.d, "outbox.dead"), 1);
        daemon_close_test(&f->td.d);
        notes_rows(f->td.dir, &rows, &indexed);
        assert_int_equal(rows, 2);
        assert_int_equal(indexed, 2);
    }
    legalaid__reply__free_unpacked(mine, NULL);
    legalaid__reply__free_unpacked(theirs, NULL);
    f->td.d = daemon_open_test(&notify_service, f->td.dir);
    assert_non_null(f->td.d);
    configure();

    /* The dead one is re-driven and delivered; the other case's goes out. */
    Legalaid__Reply *r = redrive(f, offer, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    notify_deliver_inject(offer, 1, NULL);
    notify_deliver_inject(waiting, 1, NULL);
    tick_at(f, NOW + 5000);
    got = get_one(f, offer, &keep);
    assert_int_equal(got->state, LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED);
    legalaid__reply__free_unpacked(keep, NULL);
    keep = list_case(f, other);
    assert_int_equal(keep->notifications->notifications[0]->state,
                     LEGALAID__OUTBOX_STATE__OUTBOX_DELIVERED);
    legalaid__reply__free_unpacked(keep, NULL);
    /* A delivered one is not re-driven (kept with its case, not by id). */
    r = redrive(f, receipt, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
    r = redrive(f, 999, LEGALAID__CODE__NOT_FOUND);
    legalaid__reply__free_unpacked(r, NULL);

    /* New ones go on from the last id. */
    feed_received(f, 3, "BT-2026-000103", 0);
    assert_int_equal(test_counter(f->td.d, "notifications"), count + 1);
    assert_int_equal(first_pending_id(f, "receipt"), 4);
    daemon_close_test(&f->td.d);
    notes_rows(f->td.dir, &rows, &indexed);
    assert_int_equal(rows, 1); /* only the new receipt waits */
    assert_int_equal(indexed, 1);
    f->td.d = daemon_open_test(&notify_service, f->td.dir);
    assert_non_null(f->td.d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dispatch_events_tell_each_party, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attempts_retry_then_dead_then_redrive, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_backoff_exact_and_spread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quiet_hours_spare_defence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quiet_hours_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shipped_max_attempts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_webhook_and_unrouted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_station_fetch_acknowledges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deadline_reminder_breach_met_moved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timers_due_converted_at_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notifications_moved_into_their_cases_at_open, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_appointment_from_assignment_authority, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
