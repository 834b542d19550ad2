/*
 * test-dispatch-agency.c - what the notifying court tells dispatch later
 * (ReportCaseEvent), through real turns: a hearing set kept on the case
 * with a reminder-only deadline to the handling lawyer, and flagged short
 * notice under hearing_notice_days (高法解释 art. 49); a release and a
 * transfer kept; the judgment concluding the case with the closing file
 * due (art. 50) and the lawyer's capacity freed; another court refused; a
 * case no lawyer handles, an ended case and each missing field refused by
 * name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatchkit.h"
#include "la_limits.h"
#include "principal.h"
#include "testutil.h"

#define HOUR (3600LL * 1000)
#define DAY (24 * HOUR)
#define COURT "包头市昆都仑区人民法院"

typedef dk_fixture_t fixture_t;

static int setup(void **state)
{
    if (dk_setup(state)) return -1;
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L-1", "甲律师事务所");
    dk_lawyer(f->pool, "L-2", "乙律师事务所");
    dk_import_ok(f->td.d, f->pool);
    return 0;
}

#define teardown dk_teardown

static const principal_t court = {.name = "court@gateway", .roles = ROLE_AGENCY, .authority = COURT};
static const principal_t other_court = {
    .name = "other@gateway", .roles = ROLE_AGENCY, .authority = "包头市青山区人民法院"};

/* A defence notified by COURT, accepted by its lawyer (into *lawyer). */
static void notified_case(fixture_t *f, const char *id, char *lawyer, size_t size)
{
    dk_case_t c;
    dk_case_init(&c, id, LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    dk_case_notified(&c, COURT, "(2026)蒙0203刑初1号");
    dk_feed(f->td.d, &f->seq, &c.d);
    if (lawyer) dk_accept(f->td.d, id, lawyer, size);
}

static Legalaid__Reply *report(fixture_t *f, const principal_t *as, Legalaid__ReportCaseEvent *e)
{
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REPORT_CASE_EVENT;
    req.report_case_event = e;
    daemon_test_act_as(f->td.d, as);
    Legalaid__Reply *r = test_call_new(f->td.d, &req);
    daemon_test_act_as(f->td.d, NULL);
    return r;
}

static void event_init(Legalaid__ReportCaseEvent *e, const char *id, Legalaid__CaseEventKind kind,
                       const char *reference)
{
    legalaid__report_case_event__init(e);
    e->case_id = (char *)id;
    e->kind = kind;
    e->has_kind = 1;
    e->reference = (char *)reference;
}

static void refused(fixture_t *f, const principal_t *as, Legalaid__ReportCaseEvent *e,
                    Legalaid__Code code, const char *field, const char *words)
{
    Legalaid__Reply *r = report(f, as, e);
    test_assert_code(r, code);
    if (field) assert_string_equal(r->field, field);
    if (words && !strstr(r->error, words)) fail_msg("\"%s\" lacks \"%s\"", r->error, words);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_hearing_reaches_the_lawyer(void **state)
{
    fixture_t *f = *state;
    char lawyer[64];
    notified_case(f, "C-1", lawyer, sizeof lawyer);
    uint64_t before = dk_head(f->td.d);
    Legalaid__ReportCaseEvent e;
    event_init(&e, "C-1", LEGALAID__CASE_EVENT_KIND__HEARING_SET, "开庭通知1号");
    e.has_at = 1;
    e.at = clock_now_ms() + 20 * DAY;
    e.place = "第三法庭";
    Legalaid__Reply *r = report(f, &court, &e);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->hearing_at, e.at);
    assert_string_equal(r->assignment->hearing_place, "第三法庭");
    legalaid__reply__free_unpacked(r, NULL);

    Legalaid__Batch *b = dk_events(f->td.d, before, LEGALAID__EVENT__BODY_CASE_EVENT_REPORTED);
    assert_int_equal(b->n_events, 1);
    const Legalaid__CaseEventReported *ev = b->events[0]->case_event_reported;
    assert_string_equal(ev->lawyer_id, lawyer);
    assert_string_equal(ev->authority, COURT);
    assert_false(ev->short_notice); /* 20 days ahead: notice enough */
    const Legalaid__Deadline *dl = dk_deadline(b->events[0], "hearing");
    assert_non_null(dl);
    assert_int_equal(dl->due_at, e.at);
    assert_int_equal(dl->owner, LEGALAID__PARTY__LAWYER);
    assert_string_equal(dl->owner_id, lawyer);
    assert_true(dl->reminder_only); /* a hearing is attended, not breached */
    assert_non_null(strstr(dl->what, "第三法庭"));
    legalaid__batch__free_unpacked(b, NULL);

    /* Moved to ten days ahead: short notice (高法解释 art. 49: 15 days). */
    before = dk_head(f->td.d);
    event_init(&e, "C-1", LEGALAID__CASE_EVENT_KIND__HEARING_MOVED, "延期开庭通知2号");
    e.has_at = 1;
    e.at = clock_now_ms() + 10 * DAY;
    r = report(f, &court, &e);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->hearing_at, e.at);
    assert_string_equal(r->assignment->hearing_place, "第三法庭"); /* the place stays */
    legalaid__reply__free_unpacked(r, NULL);
    b = dk_events(f->td.d, before, LEGALAID__EVENT__BODY_CASE_EVENT_REPORTED);
    assert_true(b->events[0]->case_event_reported->short_notice);
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_only_the_notifying_court(void **state)
{
    fixture_t *f = *state;
    char lawyer[64];
    notified_case(f, "C-2", lawyer, sizeof lawyer);
    Legalaid__ReportCaseEvent e;
    event_init(&e, "C-2", LEGALAID__CASE_EVENT_KIND__RELEASED, "释放通知");
    uint64_t before = dk_head(f->td.d);
    refused(f, &other_court, &e, LEGALAID__CODE__FORBIDDEN, "report_case_event.case_id",
            "an agency acts only for its own authority");
    assert_int_equal(dk_head(f->td.d), before); /* nothing written */
    /* The centre's staff may enter what a court told them by telephone. */
    Legalaid__Reply *r = report(f, NULL, &e);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->released_at, clock_now_ms());
    legalaid__reply__free_unpacked(r, NULL);
    event_init(&e, "C-2", LEGALAID__CASE_EVENT_KIND__TRANSFERRED, "移送函");
    refused(f, &court, &e, LEGALAID__CODE__INVALID_FIELD, "report_case_event.place", "where to");
    e.place = "包头市第二看守所";
    r = report(f, &court, &e);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_string_equal(r->assignment->transferred_to, "包头市第二看守所");
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_judgment_concludes(void **state)
{
    fixture_t *f = *state;
    char lawyer[64];
    notified_case(f, "C-3", lawyer, sizeof lawyer);
    Legalaid__ReportCaseEvent e;
    event_init(&e, "C-3", LEGALAID__CASE_EVENT_KIND__JUDGMENT, "(2026)蒙0203刑初1号判决");
    refused(f, &court, &e, LEGALAID__CODE__INVALID_FIELD, "report_case_event.result",
            "gives its result");
    e.result = "判处有期徒刑一年，缓刑一年";
    uint64_t before = dk_head(f->td.d);
    Legalaid__Reply *r = report(f, &court, &e);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__CONCLUDED);
    assert_string_equal(r->assignment->result, "判处有期徒刑一年，缓刑一年");
    assert_string_equal(r->assignment->judgment_reference, "(2026)蒙0203刑初1号判决");
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b = dk_events(f->td.d, before, 0);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_CASE_EVENT_REPORTED);
    assert_int_equal(b->events[0]->case_event_reported->state,
                     LEGALAID__ASSIGNMENT_STATE__CONCLUDED);
    assert_int_equal(b->events[1]->body_case, LEGALAID__EVENT__BODY_CASE_PROGRESSED);
    const Legalaid__Deadline *dl = dk_deadline(b->events[1], "closing_file");
    assert_non_null(dl); /* art. 50 */
    assert_string_equal(dl->owner_id, lawyer);
    assert_true(dk_met(b->events[1], "hearing"));
    legalaid__batch__free_unpacked(b, NULL);
    Legalaid__Reply *l = dk_lawyers(f->td.d, lawyer);
    assert_int_equal(l->lawyers->lawyers[0]->open_cases, 0);
    legalaid__reply__free_unpacked(l, NULL);
    /* Ended: nothing more is taken for it. */
    event_init(&e, "C-3", LEGALAID__CASE_EVENT_KIND__HEARING_SET, "开庭通知");
    e.has_at = 1;
    e.at = clock_now_ms() + DAY;
    refused(f, &court, &e, LEGALAID__CODE__CONFLICT, "report_case_event.case_id", "concluded");
}

static void test_refusals(void **state)
{
    fixture_t *f = *state;
    notified_case(f, "C-4", NULL, 0); /* offered, no lawyer handles it yet */
    Legalaid__ReportCaseEvent e;
    event_init(&e, "C-4", LEGALAID__CASE_EVENT_KIND__JUDGMENT, "判决");
    e.result = "无罪";
    refused(f, &court, &e, LEGALAID__CODE__CONFLICT, "report_case_event.kind", "no lawyer");
    /* A hearing is still kept, and the staff are its owner. */
    event_init(&e, "C-4", LEGALAID__CASE_EVENT_KIND__HEARING_SET, "开庭通知");
    refused(f, &court, &e, LEGALAID__CODE__INVALID_FIELD, "report_case_event.at", "future");
    e.has_at = 1;
    e.at = clock_now_ms() - HOUR;
    refused(f, &court, &e, LEGALAID__CODE__INVALID_FIELD, "report_case_event.at", "future");
    e.at = clock_now_ms() + 30 * DAY;
    uint64_t before = dk_head(f->td.d);
    Legalaid__Reply *r = report(f, &court, &e);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b = dk_events(f->td.d, before, LEGALAID__EVENT__BODY_CASE_EVENT_REPORTED);
    assert_null(b->events[0]->case_event_reported->lawyer_id);
    assert_int_equal(dk_deadline(b->events[0], "hearing")->owner, LEGALAID__PARTY__STAFF);
    legalaid__batch__free_unpacked(b, NULL);

    event_init(&e, "C-4", LEGALAID__CASE_EVENT_KIND__CASE_EVENT_UNSPECIFIED, "x");
    refused(f, &court, &e, LEGALAID__CODE__INVALID_FIELD, "report_case_event.kind", "hearing_set");
    event_init(&e, "C-4", LEGALAID__CASE_EVENT_KIND__RELEASED, NULL);
    refused(f, &court, &e, LEGALAID__CODE__INVALID_FIELD, "report_case_event.reference", NULL);
    event_init(&e, "C-404", LEGALAID__CASE_EVENT_KIND__RELEASED, "释放");
    refused(f, &court, &e, LEGALAID__CODE__NOT_FOUND, "report_case_event.case_id", "no case C-404");
    event_init(&e, "C-4", LEGALAID__CASE_EVENT_KIND__RELEASED, "释放");
    e.has_at = 1;
    e.at = clock_now_ms() + DAY;
    refused(f, &court, &e, LEGALAID__CODE__INVALID_FIELD, "report_case_event.at", "not ahead");
    char big[LA_REASON_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    e.has_at = 0;
    e.note = big;
    refused(f, &court, &e, LEGALAID__CODE__INVALID_FIELD, "report_case_event.note", "longer than");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hearing_reaches_the_lawyer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_the_notifying_court, setup, teardown),
        cmocka_unit_test_setup_teardown(test_judgment_concludes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
