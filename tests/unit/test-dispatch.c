/*
 * test-dispatch.c - dispatch through real turns: lawyer imports with bad
 * rows, the least-loaded choice, capacity, the queue and its draining, no
 * double assignment, suspended lawyers never chosen, GetAssignment. What is
 * asserted is what staff would see: which lawyer, why, by when, and the
 * events published.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "testutil.h"

#define T_0302_1000 1772416800000LL /* 2026-03-02 10:00 Beijing time */
#define T_0305_2400 1772726400000LL /* 2026-03-05 24:00: 3 days later (art. 36) */

typedef struct fixture {
    test_daemon_t td; /* first: see test_fixture_setup */
    uint64_t seq; /* eligibility's stream as this test plays it */
} fixture_t;

static int setup(void **state)
{
    return test_fixture_setup(state, sizeof(fixture_t), &dispatch_service, T_0302_1000);
}

static int teardown(void **state)
{
    return test_fixture_teardown(state);
}

/* --- lawyers --------------------------------------------------------------- */

typedef struct pool {
    Legalaid__Lawyer lawyers[8];
    Legalaid__Lawyer *list[8];
    size_t n;
} pool_t;

static Legalaid__Lawyer *pool_add(pool_t *p, const char *id, Legalaid__LawyerStatus status,
                                  uint32_t capacity)
{
    Legalaid__Lawyer *l = &p->lawyers[p->n];
    legalaid__lawyer__init(l);
    l->id = (char *)id;
    l->name = "李律师";
    l->firm = "内蒙古正大律师事务所";
    l->phone = "13904720001";
    if (status) {
        l->has_status = 1;
        l->status = status;
    }
    if (capacity) {
        l->has_capacity = 1;
        l->capacity = capacity;
    }
    p->list[p->n] = l;
    p->n++;
    return l;
}

static Legalaid__Reply *pool_import(fixture_t *f, pool_t *p)
{
    Legalaid__ImportLawyers imp = LEGALAID__IMPORT_LAWYERS__INIT;
    imp.lawyers = p->list;
    imp.n_lawyers = p->n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_LAWYERS;
    req.import_lawyers = &imp;
    return test_call_new(f->td.d, &req);
}

/* Imports and expects every record accepted. */
static void pool_import_ok(fixture_t *f, pool_t *p)
{
    Legalaid__Reply *r = pool_import(f, p);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, p->n);
    assert_int_equal(r->import_result->n_rejected, 0);
    legalaid__reply__free_unpacked(r, NULL);
}

/* --- decisions --------------------------------------------------------------- */

static void feed_decision(fixture_t *f, const char *case_id, Legalaid__Outcome outcome)
{
    Legalaid__Authority au = LEGALAID__AUTHORITY__INIT;
    au.has_kind = 1;
    au.kind = LEGALAID__AUTHORITY_KIND__COURT;
    au.name = "包头市昆都仑区人民法院";
    Legalaid__Decision d = LEGALAID__DECISION__INIT;
    d.case_id = (char *)case_id;
    d.has_outcome = 1;
    d.outcome = outcome;
    d.has_assign_due_at = 1;
    d.assign_due_at = T_0305_2400;
    d.authority = &au;
    Legalaid__EligibilityDecided body = LEGALAID__ELIGIBILITY_DECIDED__INIT;
    body.decision = case_id || outcome ? &d : NULL;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.seq = ++f->seq;
    ev.has_seq = 1;
    char event_id[32];
    snprintf(event_id, sizeof event_id, "eligibility:%llu", (unsigned long long)ev.seq);
    ev.event_id = event_id;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED;
    ev.eligibility_decided = &body;
    Legalaid__Event *evs[1] = {&ev};
    assert_int_equal(daemon_feed(f->td.d, "eligibility", evs, 1), 0);
}

static Legalaid__Batch *published_after(fixture_t *f, uint64_t after)
{
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(f->td.d, after, &b), 0);
    return b;
}

static uint64_t head(fixture_t *f)
{
    Legalaid__Batch *b = published_after(f, 0);
    uint64_t h = b->n_events;
    legalaid__batch__free_unpacked(b, NULL);
    return h;
}

/* The lawyer id of the LawyerAssigned event at seq (1-based). */
static void assert_assigned(fixture_t *f, uint64_t seq, const char *case_id, const char *lawyer_id)
{
    Legalaid__Batch *b = published_after(f, seq - 1);
    assert_true(b->n_events >= 1);
    Legalaid__Event *ev = b->events[0];
    assert_int_equal(ev->body_case, LEGALAID__EVENT__BODY_LAWYER_ASSIGNED);
    assert_string_equal(ev->case_id, case_id);
    assert_string_equal(ev->lawyer_assigned->assignment->case_id, case_id);
    assert_string_equal(ev->lawyer_assigned->assignment->lawyer->id, lawyer_id);
    legalaid__batch__free_unpacked(b, NULL);
}

static Legalaid__Reply *get_assignment(fixture_t *f, const char *case_id)
{
    Legalaid__GetAssignment g = LEGALAID__GET_ASSIGNMENT__INIT;
    g.case_id = (char *)case_id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_ASSIGNMENT;
    req.get_assignment = &g;
    return test_call(f->td.d, &req);
}

static uint64_t counter(fixture_t *f, const char *name)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    Legalaid__Reply *r = test_call(f->td.d, &req);
    uint64_t v = UINT64_MAX;
    for (size_t i = 0; i < r->stream_status->n_counters; i++)
        if (!strcmp(r->stream_status->counters[i]->name, name))
            v = r->stream_status->counters[i]->value;
    if (!strcmp(name, "dead_letters")) v = r->stream_status->dead_letters;
    legalaid__reply__free_unpacked(r, NULL);
    if (v == UINT64_MAX) fail_msg("no counter %s", name);
    return v;
}

/* --- tests ------------------------------------------------------------------- */

static void test_import_reports_bad_rows(void **state)
{
    fixture_t *f = *state;
    pool_t p = {0};
    pool_add(&p, "L001", LEGALAID__LAWYER_STATUS__ACTIVE, 5);
    pool_add(&p, "L002", 0, 0)->name = NULL;
    pool_add(&p, "L003", 0, 0)->phone = "12345";
    pool_add(&p, "L004", 0, 0)->has_capacity = 1; /* capacity 0 given */
    pool_add(&p, "L005", 0, 0);                   /* defaults: ACTIVE, capacity 10 */
    pool_add(&p, "L001", 0, 0);                   /* twice in one import */
    pool_add(&p, "L007 X", 0, 0);                 /* a space in the id */
    pool_add(&p, "L008", (Legalaid__LawyerStatus)9, 0);
    Legalaid__Reply *r = pool_import(f, &p);
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__ImportResult *res = r->import_result;
    assert_int_equal(res->accepted, 2);
    assert_int_equal(res->n_rejected, 6);
    static const struct {
        uint32_t index;
        const char *field, *says;
    } want[] = {
        {1, "lawyers[1].name", "name is required"},
        {2, "lawyers[2].phone", "11-digit mobile"},
        {3, "lawyers[3].capacity", "capacity must be 1 to 500"},
        {5, "lawyers[5].id", "appears twice in this import (first at index 0)"},
        {6, "lawyers[6].id", "without spaces"},
        {7, "lawyers[7].status", "not ACTIVE, SUSPENDED or LEFT"},
    };
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(res->rejected[i]->index, want[i].index);
        assert_string_equal(res->rejected[i]->field, want[i].field);
        if (!strstr(res->rejected[i]->message, want[i].says))
            fail_msg("rejection %zu says '%s'", i, res->rejected[i]->message);
    }
    legalaid__reply__free_unpacked(r, NULL);

    /* One event for the import; the good rows are in the pool. */
    Legalaid__Batch *b = published_after(f, 0);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_LAWYERS_IMPORTED);
    assert_int_equal(b->events[0]->lawyers_imported->count, 2);
    assert_int_equal(b->events[0]->lawyers_imported->pool_size, 2);
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(counter(f, "pool_size"), 2);
    assert_int_equal(counter(f, "active_lawyers"), 2);

    /* The defaults were applied to L005: it takes up to 10 cases. */
    char ids[12][16];
    for (int i = 0; i < 12; i++) {
        snprintf(ids[i], sizeof ids[i], "BT-2026-%06d", i + 1);
        feed_decision(f, ids[i], LEGALAID__OUTCOME__APPROVED);
    }
    /* 15 places (5 + 10): all 12 assigned. */
    assert_int_equal(counter(f, "assigned"), 12);
    r = get_assignment(f, "BT-2026-000012");
    assert_string_equal(r->assignment->lawyer->id, "L005");
    assert_int_equal(r->assignment->lawyer->capacity, 10);
    assert_int_equal(r->assignment->lawyer->status, LEGALAID__LAWYER_STATUS__ACTIVE);
    legalaid__reply__free_unpacked(r, NULL);

    /* An import of nothing is an error; one with only bad rows changes nothing. */
    pool_t empty = {0};
    r = pool_import(f, &empty);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "import_lawyers.lawyers");
    legalaid__reply__free_unpacked(r, NULL);
    uint64_t h = head(f);
    pool_t bad = {0};
    pool_add(&bad, "", 0, 0);
    r = pool_import(f, &bad);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 0);
    assert_string_equal(r->import_result->rejected[0]->field, "lawyers[0].id");
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(head(f), h);
}

static void test_least_loaded_lawyer(void **state)
{
    fixture_t *f = *state;
    pool_t p = {0};
    pool_add(&p, "L003", 0, 0);
    pool_add(&p, "L001", 0, 0);
    pool_add(&p, "L002", 0, 0);
    pool_import_ok(f, &p); /* seq 1 */

    /* Equal loads: the lowest id; then whoever has the fewest open cases. */
    static const char *const expect[] = {"L001", "L002", "L003", "L001", "L002", "L003"};
    char ids[6][16];
    for (int i = 0; i < 6; i++) {
        snprintf(ids[i], sizeof ids[i], "BT-2026-%06d", i + 1);
        feed_decision(f, ids[i],
                      i % 2 ? LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION
                            : LEGALAID__OUTCOME__APPROVED);
        assert_assigned(f, (uint64_t)i + 2, ids[i], expect[i]);
    }

    Legalaid__Reply *r = get_assignment(f, "BT-2026-000001");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__ASSIGNED);
    assert_string_equal(r->assignment->reason,
                        "least loaded active lawyer: 0 open cases of capacity 10; 3 candidates");
    legalaid__reply__free_unpacked(r, NULL);
    r = get_assignment(f, "BT-2026-000004");
    assert_string_equal(r->assignment->reason,
                        "least loaded active lawyer: 1 open case of capacity 10; 3 candidates");
    legalaid__reply__free_unpacked(r, NULL);

    /* A newcomer has the fewest open cases: it takes the next two, then
     * the ties go back to the lowest id. */
    pool_t more = {0};
    pool_add(&more, "L004", 0, 0);
    pool_import_ok(f, &more); /* seq 8 */
    static const char *const next[] = {"L004", "L004", "L001"};
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "BT-2026-%06d", i + 7);
        feed_decision(f, id, LEGALAID__OUTCOME__APPROVED);
        assert_assigned(f, (uint64_t)i + 9, id, next[i]);
    }
    assert_int_equal(counter(f, "assigned"), 9);
    assert_int_equal(counter(f, "queued"), 0);
}

static void test_queue_drained_by_import(void **state)
{
    fixture_t *f = *state;
    /* Nobody in the pool: the approved cases wait, in order. */
    feed_decision(f, "BT-2026-000001", LEGALAID__OUTCOME__APPROVED);
    clock_advance_ms(60000);
    feed_decision(f, "BT-2026-000002", LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    Legalaid__Batch *b = published_after(f, 0);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED);
    assert_string_equal(b->events[0]->assignment_queued->case_id, "BT-2026-000001");
    assert_non_null(strstr(b->events[0]->assignment_queued->reason, "pool is empty"));
    assert_string_equal(b->events[1]->assignment_queued->case_id, "BT-2026-000002");
    legalaid__batch__free_unpacked(b, NULL);
    Legalaid__Reply *r = get_assignment(f, "BT-2026-000001");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__QUEUED);
    assert_null(r->assignment->lawyer);
    assert_int_equal(r->assignment->assign_due_at, T_0305_2400);
    int64_t queued_at = r->assignment->queued_at;
    assert_in_range(queued_at, T_0302_1000, T_0302_1000 + 10000);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "queued"), 2);

    /* One lawyer with room for one case: the oldest case goes to them, in
     * the same transaction as the import; the other keeps waiting. */
    pool_t p = {0};
    pool_add(&p, "L001", 0, 1);
    pool_import_ok(f, &p);
    b = published_after(f, 2);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_LAWYERS_IMPORTED);
    assert_int_equal(b->events[1]->body_case, LEGALAID__EVENT__BODY_LAWYER_ASSIGNED);
    Legalaid__Assignment *a = b->events[1]->lawyer_assigned->assignment;
    assert_string_equal(a->case_id, "BT-2026-000001");
    assert_string_equal(a->lawyer->id, "L001");
    assert_string_equal(a->lawyer->phone, "13904720001");
    assert_int_equal(a->queued_at, queued_at);
    assert_int_equal(a->assign_due_at, T_0305_2400);
    assert_string_equal(b->events[1]->lawyer_assigned->authority->name, "包头市昆都仑区人民法院");
    legalaid__batch__free_unpacked(b, NULL);
    r = get_assignment(f, "BT-2026-000002");
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__QUEUED);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "queued"), 1);

    /* Capacity holds: a new case waits behind it, with the reason. */
    feed_decision(f, "BT-2026-000003", LEGALAID__OUTCOME__APPROVED);
    r = get_assignment(f, "BT-2026-000003");
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__QUEUED);
    assert_string_equal(r->assignment->reason,
                        "every active lawyer is at capacity (1 active of 1 in the pool)");
    legalaid__reply__free_unpacked(r, NULL);

    /* More room: the two waiting cases, oldest first. */
    pool_t q = {0};
    pool_add(&q, "L002", 0, 0);
    pool_import_ok(f, &q);
    b = published_after(f, 5);
    assert_int_equal(b->n_events, 3);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_LAWYERS_IMPORTED);
    assert_string_equal(b->events[1]->lawyer_assigned->assignment->case_id, "BT-2026-000002");
    assert_string_equal(b->events[1]->lawyer_assigned->assignment->lawyer->id, "L002");
    assert_string_equal(b->events[2]->lawyer_assigned->assignment->case_id, "BT-2026-000003");
    assert_string_equal(b->events[2]->lawyer_assigned->assignment->lawyer->id, "L002");
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(counter(f, "queued"), 0);
    assert_int_equal(counter(f, "assigned"), 3);
}

static void test_suspended_never_chosen(void **state)
{
    fixture_t *f = *state;
    pool_t p = {0};
    pool_add(&p, "L001", LEGALAID__LAWYER_STATUS__SUSPENDED, 0);
    pool_add(&p, "L002", LEGALAID__LAWYER_STATUS__LEFT, 0);
    pool_add(&p, "L003", LEGALAID__LAWYER_STATUS__ACTIVE, 5);
    pool_import_ok(f, &p);
    assert_int_equal(counter(f, "active_lawyers"), 1);
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "BT-2026-%06d", i + 1);
        feed_decision(f, id, LEGALAID__OUTCOME__APPROVED);
        assert_assigned(f, (uint64_t)i + 2, id, "L003");
    }

    /* L003 suspended by a re-import: nobody active is left. */
    pool_t s = {0};
    pool_add(&s, "L003", LEGALAID__LAWYER_STATUS__SUSPENDED, 5);
    pool_import_ok(f, &s);
    feed_decision(f, "BT-2026-000004", LEGALAID__OUTCOME__APPROVED);
    Legalaid__Reply *r = get_assignment(f, "BT-2026-000004");
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__QUEUED);
    assert_string_equal(r->assignment->reason,
                        "no active lawyer: all 3 lawyers in the pool are suspended or have left");
    legalaid__reply__free_unpacked(r, NULL);

    /* Back to active: the queued case is assigned, and L003's caseload was
     * kept across the re-imports (3 open before this one). */
    s.lawyers[0].status = LEGALAID__LAWYER_STATUS__ACTIVE;
    pool_import_ok(f, &s);
    r = get_assignment(f, "BT-2026-000004");
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__ASSIGNED);
    assert_string_equal(r->assignment->lawyer->id, "L003");
    assert_string_equal(r->assignment->reason,
                        "least loaded active lawyer: 3 open cases of capacity 5; 1 candidate");
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "pool_size"), 3);
}

static void test_no_double_assignment(void **state)
{
    fixture_t *f = *state;
    pool_t p = {0};
    pool_add(&p, "L001", 0, 0);
    pool_add(&p, "L002", 0, 0);
    pool_import_ok(f, &p);
    feed_decision(f, "BT-2026-000001", LEGALAID__OUTCOME__APPROVED);
    feed_decision(f, "BT-2026-000001", LEGALAID__OUTCOME__APPROVED);
    /* Materials awaited or refused: nothing to assign, nothing published. */
    feed_decision(f, "BT-2026-000002", LEGALAID__OUTCOME__NEEDS_MATERIALS);
    feed_decision(f, "BT-2026-000003", LEGALAID__OUTCOME__REFUSED);
    Legalaid__Batch *b = published_after(f, 0);
    assert_int_equal(b->n_events, 2); /* LawyersImported, one LawyerAssigned */
    assert_string_equal(b->events[1]->lawyer_assigned->assignment->lawyer->id, "L001");
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(counter(f, "assigned"), 1);

    Legalaid__Reply *r = get_assignment(f, "BT-2026-000002");
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "get_assignment.case_id");
    assert_non_null(strstr(r->error, "BT-2026-000002"));
    legalaid__reply__free_unpacked(r, NULL);
    r = get_assignment(f, "");
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    legalaid__reply__free_unpacked(r, NULL);

    /* A queued case published twice is queued once. */
    pool_t s = {0};
    pool_add(&s, "L001", LEGALAID__LAWYER_STATUS__LEFT, 0);
    pool_add(&s, "L002", LEGALAID__LAWYER_STATUS__LEFT, 0);
    pool_import_ok(f, &s);
    uint64_t h = head(f);
    feed_decision(f, "BT-2026-000004", LEGALAID__OUTCOME__APPROVED);
    feed_decision(f, "BT-2026-000004", LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(head(f), h + 1);
    assert_int_equal(counter(f, "queued"), 1);

    /* A decision event without its decision, or without a case, is a dead letter. */
    feed_decision(f, NULL, LEGALAID__OUTCOME__OUTCOME_UNSPECIFIED);
    feed_decision(f, NULL, LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(counter(f, "dead_letters"), 2);
    assert_int_equal(head(f), h + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_reports_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_least_loaded_lawyer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_drained_by_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suspended_never_chosen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_double_assignment, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
