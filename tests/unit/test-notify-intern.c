/*
 * test-notify-intern.c - the internship places told through notify's real
 * handlers, each event fed as dispatch publishes it (intern.proto): the
 * candidate offered a place hears the firm, the place, the first day, the
 * supervisor and the time to answer by, by SMS (not in the quiet hours);
 * its reply reminder reaches the candidate by name at the phone learned
 * from the offer, and not the staff; the firm hears who is coming when the
 * candidate accepts, nobody when the candidate declines; the candidate
 * hears of the firm's confirmation and of a lapse; the qualification
 * office hears of a published match, with the candidates left without a
 * place and the places left empty, each with why in Chinese. Every
 * notification once, however often its event comes again; no text carries
 * the candidate's ID number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "notify.h"
#include "notify_config.h"
#include "notify_store.h"
#include "test-notify.h"
#include "testutil.h"

/* 2026-03-02 10:00 Beijing time (a Monday). */
#define NOW 1772416800000LL
#define REPLY_BY (NOW + 3 * MS_PER_DAY) /* Thursday 10:00 */
#define REPLY_BY_ZH "2026年3月5日 10:00"
#define ID_NUMBER "150203199801011234"
#define MAX_NOTES 16

typedef struct fixture {
    test_daemon_t td; /* first: see test_fixture_setup */
    uint64_t seq;     /* dispatch's stream as the test plays it */
    uint64_t seen;
    Legalaid__Notification *notes[MAX_NOTES];
    size_t n;
} fixture_t;

/* One candidate's standing and the event parts that carry it. */
typedef struct intern {
    Legalaid__InternCandidate cand;
    Legalaid__InternStanding st;
    Legalaid__Deadline reply;
    Legalaid__Deadline *deadlines[1];
    char *met[1];
    char case_id[48];
    Legalaid__InternOffered offered;
    Legalaid__InternAnswered answered;
    Legalaid__InternLapsed lapsed;
    Legalaid__Event ev;
    char event_id[32];
} intern_t;

static void notes_free(fixture_t *f)
{
    for (size_t i = 0; i < f->n; i++) legalaid__notification__free_unpacked(f->notes[i], NULL);
    f->n = 0;
}

/* The notifications recorded since the last take into f->notes; none may
 * carry an ID number. */
static void take(fixture_t *f)
{
    notes_free(f);
    test_notify_take(f->td.d, &f->seen, f->notes, &f->n, MAX_NOTES);
    for (size_t i = 0; i < f->n; i++)
        if (strstr(f->notes[i]->text, ID_NUMBER))
            fail_msg("%s carries the ID number: %s", f->notes[i]->template_, f->notes[i]->text);
}

static int setup(void **state)
{
    test_notify_templates();
    int rc = test_fixture_setup(state, sizeof(fixture_t), &notify_service, NOW);
    test_notify_set(&notify_config.sms_url, "http://127.0.0.1:9/sms");
    test_notify_set(&notify_config.staff_phones, "13800000001");
    char err[256];
    assert_int_equal(notify_config_check(err, sizeof err), 0);
    return rc;
}

static int teardown(void **state)
{
    notes_free(*state);
    return test_fixture_teardown(state);
}

static void assert_has(const Legalaid__Notification *n, const char *part)
{
    if (!strstr(n->text, part)) fail_msg("text \"%s\" lacks \"%s\"", n->text, part);
}

/* Sent by SMS to phone. */
static void assert_sms(const Legalaid__Notification *n, const char *phone)
{
    assert_int_equal(n->channel, LEGALAID__NOTIFY_CHANNEL__CHANNEL_SMS);
    assert_string_equal(n->destination, phone);
}

/* 韩梅 (or another candidate of certificate cert), offered place P-2026-01
 * of 内蒙古正义律师事务所 from 1 April under 王明, to answer by REPLY_BY. */
static void intern_init(intern_t *x, const char *cert, const char *name, const char *phone)
{
    memset(x, 0, sizeof *x);
    legalaid__intern_candidate__init(&x->cand);
    x->cand.period = "2026";
    x->cand.certificate = (char *)cert;
    x->cand.name = (char *)name;
    x->cand.phone = (char *)phone;
    x->cand.county = "昆都仑区";
    /* dispatch clears it; were it ever left, no text may carry it. */
    x->cand.id_number = ID_NUMBER;
    snprintf(x->case_id, sizeof x->case_id, "INT-2026-%s", cert);
    legalaid__intern_standing__init(&x->st);
    x->st.candidate = &x->cand;
    x->st.case_id = x->case_id;
    x->st.has_state = 1;
    x->st.state = LEGALAID__INTERN_STATE__INTERN_OFFERED;
    x->st.place_id = "P-2026-01";
    x->st.firm = "内蒙古正义律师事务所";
    x->st.has_reason = 1;
    x->st.reason = LEGALAID__INTERN_REASON__INTERN_WISH_FIRM;
    x->st.has_wish_rank = 1;
    x->st.wish_rank = 2;
    x->st.has_offered_at = x->st.has_reply_by = 1;
    x->st.offered_at = NOW;
    x->st.reply_by = REPLY_BY;
    x->st.starts_on = "2026-04-01";
    x->st.supervisor_name = "王明";
    x->st.contact_phone = "04725100000";
    legalaid__deadline__init(&x->reply);
    x->reply.key = "intern_reply";
    x->reply.has_due_at = x->reply.has_owner = x->reply.has_reminder_only = 1;
    x->reply.due_at = REPLY_BY;
    x->reply.owner = LEGALAID__PARTY__CANDIDATE;
    x->reply.owner_id = x->case_id;
    x->reply.what = "answer the internship offer";
    x->reply.reminder_only = 1;
    x->deadlines[0] = &x->reply;
    x->met[0] = "intern_reply";
    legalaid__intern_offered__init(&x->offered);
    legalaid__intern_answered__init(&x->answered);
    legalaid__intern_lapsed__init(&x->lapsed);
    x->offered.standing = x->answered.standing = x->lapsed.standing = &x->st;
}

/* Feeds ev as dispatch's event seq, with event_id "dispatch:<seq>". */
static void feed(fixture_t *f, Legalaid__Event *ev, char event_id[32], uint64_t seq)
{
    ev->has_seq = 1;
    ev->seq = seq;
    snprintf(event_id, 32, "dispatch:%llu", (unsigned long long)seq);
    ev->event_id = event_id;
    ev->stream = "dispatch";
    ev->has_occurred_at = 1;
    ev->occurred_at = clock_now_ms();
    assert_int_equal(daemon_feed(f->td.d, "dispatch", &ev, 1), 0);
    if (seq > f->seq) f->seq = seq;
}

/* Dispatch's next event, then the same batch again (a resent fetch), which
 * adds nothing; what the first recorded is taken into f->notes. */
static void publish(fixture_t *f, Legalaid__Event *ev, char event_id[32])
{
    uint64_t seq = f->seq + 1;
    feed(f, ev, event_id, seq);
    take(f);
    feed(f, ev, event_id, seq);
    Legalaid__Notification *again[MAX_NOTES];
    size_t n = 0;
    test_notify_take(f->td.d, &f->seen, again, &n, MAX_NOTES);
    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, "told again: %s\n", again[i]->template_);
        legalaid__notification__free_unpacked(again[i], NULL);
    }
    assert_int_equal(n, 0);
}

static void offer(fixture_t *f, intern_t *x)
{
    legalaid__event__init(&x->ev);
    x->ev.case_id = x->case_id;
    x->ev.body_case = LEGALAID__EVENT__BODY_INTERN_OFFERED;
    x->ev.intern_offered = &x->offered;
    x->ev.deadlines = x->deadlines;
    x->ev.n_deadlines = 1;
    publish(f, &x->ev, x->event_id);
}

static void answer(fixture_t *f, intern_t *x, Legalaid__InternState state)
{
    x->st.state = state;
    x->st.has_answered_at = 1;
    x->st.answered_at = clock_now_ms();
    legalaid__event__init(&x->ev);
    x->ev.case_id = x->case_id;
    x->ev.body_case = LEGALAID__EVENT__BODY_INTERN_ANSWERED;
    x->ev.intern_answered = &x->answered;
    if (state != LEGALAID__INTERN_STATE__INTERN_CONFIRMED) {
        x->ev.deadlines_met = x->met;
        x->ev.n_deadlines_met = 1;
    }
    publish(f, &x->ev, x->event_id);
}

/* Ticks notify at `at` and takes what its timers told. */
static void tick_at(fixture_t *f, int64_t at)
{
    clock_set_ms(at);
    assert_int_equal(daemon_tick(f->td.d), 0);
    take(f);
}

/* The offer, by SMS, with everything the candidate needs to answer; the
 * reminder a day before reply_by to the candidate by name at the phone
 * learned from the offer, the staff not copied; nothing at reply_by
 * (dispatch lapses the offer); the lapse, held for the quiet hours. */
static void test_offer_reminder_lapse(void **state)
{
    fixture_t *f = *state;
    intern_t x;
    intern_init(&x, "A20261501000123", "韩梅", "13900000123");
    offer(f, &x);
    assert_int_equal(f->n, 1);
    const Legalaid__Notification *n =
        test_notify_one(f->notes, f->n, "intern_offer", LEGALAID__PARTY__CANDIDATE);
    assert_string_equal(n->recipient, "韩梅");
    assert_string_equal(n->case_id, x.case_id);
    assert_string_equal(n->template_, "intern_offer.candidate");
    assert_sms(n, "13900000123");
    assert_string_equal(n->address, "139****0123");
    assert_has(n, "韩梅您好");
    assert_has(n, "2026年度");
    assert_has(n, "内蒙古正义律师事务所");
    assert_has(n, "岗位P-2026-01");
    assert_has(n, "第2志愿");
    assert_has(n, "实习自2026年4月1日开始");
    assert_has(n, "指导律师为王明");
    assert_has(n, "请于" REPLY_BY_ZH "前答复接受或谢绝");
    assert_has(n, "04725100000");
    assert_has(n, "法律职业资格管理科");
    assert_int_equal(test_counter(f->td.d, "timers.pending"), 1);

    tick_at(f, REPLY_BY - MS_PER_DAY - 60000); /* not yet */
    assert_int_equal(f->n, 0);
    tick_at(f, REPLY_BY - MS_PER_DAY + 60000);
    assert_int_equal(f->n, 1);
    assert_int_equal(test_notify_count(f->notes, f->n, "deadline_reminder", LEGALAID__PARTY__STAFF),
                     0);
    n = test_notify_one(f->notes, f->n, "deadline_reminder", LEGALAID__PARTY__CANDIDATE);
    assert_string_equal(n->recipient, "韩梅");
    assert_string_equal(n->template_, "deadline_reminder.candidate");
    assert_sms(n, "13900000123");
    assert_has(n, "韩梅您好");
    assert_has(n, REPLY_BY_ZH);
    assert_has(n, "答复实习岗位录用通知");
    tick_at(f, REPLY_BY + 60000); /* reminder only: dispatch lapses it */
    assert_int_equal(f->n, 0);
    assert_int_equal(test_counter(f->td.d, "timers.pending"), 0);

    /* Dispatch lapses the offer at reply_by; say the lapse is read at
     * 22:30: the candidate hears of it at 08:00. */
    int64_t late = NOW + 3 * MS_PER_DAY + 12 * MS_PER_HOUR + 30 * 60000;
    clock_set_ms(late);
    x.st.state = LEGALAID__INTERN_STATE__INTERN_LAPSED;
    legalaid__event__init(&x.ev);
    x.ev.case_id = x.case_id;
    x.ev.body_case = LEGALAID__EVENT__BODY_INTERN_LAPSED;
    x.ev.intern_lapsed = &x.lapsed;
    publish(f, &x.ev, x.event_id);
    assert_int_equal(f->n, 1);
    n = test_notify_one(f->notes, f->n, "intern_lapsed", LEGALAID__PARTY__CANDIDATE);
    assert_string_equal(n->recipient, "韩梅");
    assert_sms(n, "13900000123");
    test_assert_time(n->next_attempt_at, NOW + 4 * MS_PER_DAY - 2 * MS_PER_HOUR);
    assert_has(n, "您未在" REPLY_BY_ZH "前答复内蒙古正义律师事务所实习岗位P-2026-01");
    assert_has(n, "岗位将安排给其他人选");
    assert_has(n, "请联系司法局法律职业资格管理科");
    assert_int_equal(test_counter(f->td.d, "notifications.candidate"), 3);
    assert_int_equal(test_counter(f->td.d, "notifications.staff"), 0);
}

/* Accepted: the firm hears who is coming, from when, under whom; the
 * reply's timer is met (no reminder). Declined: nobody hears. Confirmed:
 * the candidate hears. */
static void test_answers(void **state)
{
    fixture_t *f = *state;
    intern_t a, d;
    intern_init(&a, "A20261501000123", "韩梅", "13900000123");
    intern_init(&d, "A20261501000124", "李雷", "13900000124");
    d.st.place_id = "P-2026-02";
    offer(f, &a);
    offer(f, &d);
    assert_int_equal(test_counter(f->td.d, "timers.pending"), 2);

    clock_set_ms(NOW + MS_PER_HOUR);
    answer(f, &a, LEGALAID__INTERN_STATE__INTERN_ACCEPTED);
    assert_int_equal(f->n, 1);
    const Legalaid__Notification *n =
        test_notify_one(f->notes, f->n, "intern_coming", LEGALAID__PARTY__FIRM);
    assert_string_equal(n->recipient, "内蒙古正义律师事务所");
    assert_string_equal(n->template_, "intern_coming.firm");
    assert_sms(n, "04725100000");
    assert_has(n, "实习人员韩梅（联系电话13900000123）");
    assert_has(n, "岗位P-2026-01（昆都仑区）");
    assert_has(n, "将于2026年4月1日开始实习");
    assert_has(n, "指导律师为王明");

    answer(f, &d, LEGALAID__INTERN_STATE__INTERN_DECLINED);
    assert_int_equal(f->n, 0); /* the declining candidate acted; the office sees its figures */
    assert_int_equal(test_counter(f->td.d, "timers.pending"), 0);
    tick_at(f, REPLY_BY - MS_PER_DAY + 60000);
    assert_int_equal(f->n, 0); /* both answered: no reminder */

    answer(f, &a, LEGALAID__INTERN_STATE__INTERN_CONFIRMED);
    assert_int_equal(f->n, 1);
    n = test_notify_one(f->notes, f->n, "intern_confirmed", LEGALAID__PARTY__CANDIDATE);
    assert_string_equal(n->recipient, "韩梅");
    assert_sms(n, "13900000123");
    assert_has(n, "内蒙古正义律师事务所已确认接收您实习（岗位P-2026-01）");
    assert_has(n, "请于2026年4月1日按时到岗");
    assert_int_equal(test_counter(f->td.d, "notifications.firm"), 1);
    assert_int_equal(test_counter(f->td.d, "notifications.candidate"), 3);
}

/* The published match, to the staff under no case: the offers, each
 * candidate left without a place with why, each place left empty with
 * why, in Chinese. */
static void test_published(void **state)
{
    fixture_t *f = *state;
    Legalaid__InternMatchRow outranked = LEGALAID__INTERN_MATCH_ROW__INIT,
                             no_wish = LEGALAID__INTERN_MATCH_ROW__INIT;
    outranked.certificate = "A20261501000125";
    outranked.name = "张伟";
    outranked.county = "青山区";
    outranked.has_reason = no_wish.has_reason = 1;
    outranked.reason = LEGALAID__INTERN_REASON__INTERN_OUTRANKED;
    no_wish.certificate = "A20261501000126";
    no_wish.name = "王芳";
    no_wish.reason = LEGALAID__INTERN_REASON__INTERN_NO_WISH_OPEN;
    Legalaid__InternMatchRow *left[] = {&outranked, &no_wish};
    Legalaid__InternPlaceRow place = LEGALAID__INTERN_PLACE_ROW__INIT;
    place.place_id = "P-2026-09";
    place.firm = "包头市明理律师事务所";
    place.county = "东河区";
    place.has_count = place.has_filled = place.has_reason = 1;
    place.count = 3;
    place.filled = 1;
    place.reason = LEGALAID__INTERN_REASON__INTERN_NOT_WISHED;
    Legalaid__InternPlaceRow *empty[] = {&place};
    Legalaid__InternMatchPublished mp = LEGALAID__INTERN_MATCH_PUBLISHED__INIT;
    mp.period = "2026";
    mp.has_offers = mp.has_unplaced = mp.has_unfilled = 1;
    mp.offers = 17;
    mp.unplaced = 2;
    mp.unfilled = 1;
    mp.left = left;
    mp.n_left = 2;
    mp.empty = empty;
    mp.n_empty = 1;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    char event_id[32];
    ev.body_case = LEGALAID__EVENT__BODY_INTERN_MATCH_PUBLISHED;
    ev.intern_match_published = &mp;
    publish(f, &ev, event_id);
    assert_int_equal(f->n, 1);
    const Legalaid__Notification *n =
        test_notify_one(f->notes, f->n, "intern_published", LEGALAID__PARTY__STAFF);
    assert_string_equal(n->case_id, "");
    assert_string_equal(n->template_, "intern_published.staff");
    assert_sms(n, "13800000001");
    assert_has(n, "2026年度实习岗位匹配结果已发布，共发出录用通知17份");
    assert_has(n, "未获得岗位的人选2名");
    assert_has(n, "张伟（青山区，所填志愿的岗位均已由排序在前的人选占满）");
    assert_has(n, "王芳（志愿中没有本期的实习岗位）");
    assert_has(n, "仍有空缺的岗位1个");
    assert_has(n, "包头市明理律师事务所岗位P-2026-09（东河区，空缺2名，无人填报（或填报不足））");
    if (strstr(n->text, "A20261501000125"))
        fail_msg("a named candidate by certificate: %s", n->text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_offer_reminder_lapse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_published, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
