/*
 * test-notify-overdue.c - one overdue list (issue 14, item 6), through
 * notify's own turns: deadlines published on events become overdue as the
 * test clock passes them; OverdueQuery lists each with its case, owner,
 * deadline and how late, the longest overdue first; its total equals the
 * counters "overdue" and "overdue.<kind>" at every step; paging with limit
 * and after gives every item once and says when there are more; a deadline
 * met leaves the list; the age queue "overdue" moves as the clock moves;
 * a caseless duty-request deadline is named by its request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "notify.h"
#include "notify_config.h"
#include "test-notify.h"
#include "testutil.h"

#define NOW 1772416800000LL /* 2026-03-02 10:00 Beijing time */
#define MIN 60000LL

typedef struct fixture {
    test_daemon_t td;
    uint64_t seq;
} fixture_t;

static int setup(void **state)
{
    test_notify_templates();
    notify_config.deadline_lead_minutes = 60;
    return test_fixture_setup(state, sizeof(fixture_t), &notify_service, NOW);
}

static int teardown(void **state)
{
    notify_config.deadline_lead_minutes = 1440;
    return test_fixture_teardown(state);
}

/* dispatch's CaseProgressed for case_id carrying one deadline (key, due),
 * or meeting it (met). */
static void feed_deadline(fixture_t *f, const char *case_id, const char *key, int64_t due, int met)
{
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    Legalaid__CaseProgressed p = LEGALAID__CASE_PROGRESSED__INIT;
    Legalaid__Deadline dl = LEGALAID__DEADLINE__INIT, *dls[1] = {&dl};
    char *met_keys[1] = {(char *)key};
    p.case_id = (char *)case_id;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_CASE_PROGRESSED;
    ev.case_progressed = &p;
    if (met) {
        ev.deadlines_met = met_keys;
        ev.n_deadlines_met = 1;
    } else {
        dl.key = (char *)key;
        dl.due_at = due;
        dl.has_due_at = 1;
        dl.owner = LEGALAID__PARTY__LAWYER;
        dl.has_owner = 1;
        dl.owner_id = "L-001";
        dl.what = "提交结案材料";
        dl.article = "程序规定 art. 35";
        ev.deadlines = dls;
        ev.n_deadlines = 1;
    }
    test_feed(f->td.d, "dispatch", &f->seq, &ev);
}

static void tick_at(fixture_t *f, int64_t at)
{
    clock_set_ms(at);
    assert_int_equal(daemon_tick(f->td.d), 0);
}

static Legalaid__Reply *overdue(fixture_t *f, uint32_t limit, const char *after, const char *kind)
{
    Legalaid__OverdueQuery q = LEGALAID__OVERDUE_QUERY__INIT;
    q.limit = limit;
    q.has_limit = limit != 0;
    q.after = (char *)after;
    q.kind = (char *)kind;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_OVERDUE;
    req.overdue = &q;
    Legalaid__Reply *r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_OVERDUE);
    return r;
}

/* The list's total and length equal the counter "overdue" (and want). */
static void assert_total(fixture_t *f, uint64_t want)
{
    Legalaid__Reply *r = overdue(f, 0, NULL, NULL);
    assert_int_equal(r->overdue->total, want);
    assert_int_equal(r->overdue->n_items, want);
    assert_int_equal(test_counter(f->td.d, "overdue"), want);
    legalaid__reply__free_unpacked(r, NULL);
}

/* The age queue of name in d's status. */
static Legalaid__QueueAge *age_of(Legalaid__Reply *r, const char *name)
{
    for (size_t i = 0; i < r->stream_status->n_queue_ages; i++)
        if (strcmp(r->stream_status->queue_ages[i]->name, name) == 0)
            return r->stream_status->queue_ages[i];
    fail_msg("no age queue %s", name);
    return NULL;
}

static Legalaid__Reply *status(fixture_t *f)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    Legalaid__Reply *r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    return r;
}

static void test_list_grows_with_the_clock(void **state)
{
    fixture_t *f = *state;
    char case_id[32];
    /* Five closing files due 1 h, 2 h, 3 h, 1 day and 10 days from now. */
    const int64_t due[] = {60 * MIN, 120 * MIN, 180 * MIN, 1440 * MIN, 14400 * MIN};
    for (int i = 0; i < 5; i++) {
        snprintf(case_id, sizeof case_id, "BT-2026-%06d", i + 1);
        feed_deadline(f, case_id, "closing_file", NOW + due[i], 0);
    }
    assert_total(f, 0);
    tick_at(f, NOW + 61 * MIN);
    tick_at(f, NOW + 62 * MIN);
    assert_total(f, 1);
    tick_at(f, NOW + 181 * MIN);
    tick_at(f, NOW + 182 * MIN);
    assert_total(f, 3);
    assert_int_equal(test_counter(f->td.d, "overdue.closing_file"), 3);

    /* The longest overdue first, with case, owner, deadline and lateness. */
    Legalaid__Reply *r = overdue(f, 0, NULL, NULL);
    const Legalaid__OverdueItem *it = r->overdue->items[0];
    assert_string_equal(it->case_id, "BT-2026-000001");
    assert_string_equal(it->kind, "closing_file");
    assert_int_equal(it->owner, LEGALAID__PARTY__LAWYER);
    assert_string_equal(it->owner_id, "L-001");
    assert_int_equal(it->due_at, NOW + 60 * MIN);
    assert_int_equal(it->late_ms, 122 * MIN);
    assert_string_equal(r->overdue->items[2]->case_id, "BT-2026-000003");
    assert_null(r->overdue->next_after);
    legalaid__reply__free_unpacked(r, NULL);

    /* How late, by bucket, moves as the clock moves. */
    r = status(f);
    Legalaid__QueueAge *q = age_of(r, "overdue");
    assert_int_equal(q->total, 3);
    assert_int_equal(q->buckets[0], 1); /* 2 min late */
    assert_int_equal(q->buckets[1], 0);
    assert_int_equal(q->buckets[2], 2); /* 62 and 122 min late: over an hour */
    legalaid__reply__free_unpacked(r, NULL);

    tick_at(f, NOW + 3 * 1440 * MIN);
    tick_at(f, NOW + 3 * 1440 * MIN + MIN);
    assert_total(f, 4);
    r = status(f);
    q = age_of(r, "overdue");
    assert_int_equal(q->buckets[3], 4); /* all between a day and a week late */
    legalaid__reply__free_unpacked(r, NULL);

    /* One met: it leaves the list and the counter. */
    feed_deadline(f, "BT-2026-000002", "closing_file", 0, 1);
    assert_total(f, 3);
    assert_int_equal(test_counter(f->td.d, "overdue.closing_file"), 3);
}

static void test_paging_never_caps(void **state)
{
    fixture_t *f = *state;
    char case_id[32];
    for (int i = 0; i < 7; i++) {
        snprintf(case_id, sizeof case_id, "BT-2026-%06d", i + 1);
        feed_deadline(f, case_id, i < 5 ? "closing_file" : "agreement", NOW + (i + 1) * MIN, 0);
    }
    tick_at(f, NOW + 30 * MIN);
    tick_at(f, NOW + 31 * MIN);
    assert_total(f, 7);

    /* Pages of 3: 3, 3, 1, each item once, in order. */
    char *after = NULL;
    int seen = 0;
    for (int page = 0; page < 3; page++) {
        Legalaid__Reply *r = overdue(f, 3, after, NULL);
        assert_int_equal(r->overdue->total, 7);
        for (size_t i = 0; i < r->overdue->n_items; i++) {
            snprintf(case_id, sizeof case_id, "BT-2026-%06d", ++seen);
            assert_string_equal(r->overdue->items[i]->case_id, case_id);
        }
        free(after);
        after = r->overdue->next_after && r->overdue->next_after[0]
                    ? strdup(r->overdue->next_after)
                    : NULL;
        assert_true(page < 2 ? after != NULL : after == NULL);
        legalaid__reply__free_unpacked(r, NULL);
    }
    assert_int_equal(seen, 7);

    /* One kind: its own total, its counter. */
    Legalaid__Reply *r = overdue(f, 0, NULL, "agreement");
    assert_int_equal(r->overdue->total, 2);
    assert_int_equal(r->overdue->n_items, 2);
    assert_int_equal(test_counter(f->td.d, "overdue.agreement"), 2);
    legalaid__reply__free_unpacked(r, NULL);

    /* A token that is not one is refused. */
    Legalaid__OverdueQuery q = LEGALAID__OVERDUE_QUERY__INIT;
    q.after = "nonsense";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_OVERDUE;
    req.overdue = &q;
    r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_grows_with_the_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_never_caps, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
