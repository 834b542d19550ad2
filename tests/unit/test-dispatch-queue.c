/*
 * test-dispatch-queue.c - the queue staff watch agrees with the counter
 * they are shown (issue 17, item 10): a case is overdue while it waits past
 * its 3-day assignment deadline (Legal Aid Law art. 36, 43(1)); once it is
 * assigned it leaves both the list and the counter, and its case view says
 * it was assigned late. The list pages through every case, in the order of
 * work, so that a long queue is read whole. The counter is kept with each
 * record (not read from every waiting case at each status), and a store
 * from before it was kept counts it once when opened.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "daemon_int.h"
#include "dispatch.h"
#include "dispatch_int.h"
#include "dispatchkit.h"
#include "testutil.h"

#define HOUR (3600LL * 1000)
#define CASES 240
#define ASSIGNED 10

typedef dk_fixture_t fixture_t;

static Legalaid__Reply *queue_page(fixture_t *f, int overdue, uint32_t offset, uint32_t max)
{
    Legalaid__DispatchQueueQuery q = LEGALAID__DISPATCH_QUEUE_QUERY__INIT;
    q.has_overdue = 1;
    q.overdue = overdue;
    q.has_offset = 1;
    q.offset = offset;
    q.has_max = 1;
    q.max = max;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DISPATCH_QUEUE;
    req.dispatch_queue = &q;
    Legalaid__Reply *r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    return r;
}

/* CASES cases waiting past their deadline; then a lawyer takes ASSIGNED. */
static void overdue_then_some_assigned(fixture_t *f)
{
    for (int i = 0; i < CASES; i++) {
        dk_case_t c;
        char id[32];
        snprintf(id, sizeof id, "BT-2026-%06d", i + 1);
        dk_case_init(&c, id, LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms() + i);
        c.d.assign_due_at = clock_now_ms() + HOUR;
        dk_feed(f->td.d, &f->seq, &c.d);
    }
    clock_advance_ms(2 * HOUR);
    for (int i = 0; i < 20; i++) assert_int_equal(daemon_tick(f->td.d), 0);
    Legalaid__Batch *b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_DEADLINE_MISSED);
    assert_int_equal(b->n_events, CASES);
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(test_counter(f->td.d, "assignment_overdue"), CASES);

    /* One lawyer with room for ASSIGNED cases: offered the first of the
     * order of work, accepts them all. */
    dk_lawyer(f->pool, "BT-L0001", "甲律师事务所")->capacity = ASSIGNED;
    dk_import_ok(f->td.d, f->pool);
    for (int i = 0; i < ASSIGNED; i++) {
        char id[32], lawyer[64];
        snprintf(id, sizeof id, "BT-2026-%06d", i + 1);
        dk_accept(f->td.d, id, lawyer, sizeof lawyer);
        assert_string_equal(lawyer, "BT-L0001");
    }
}

static void test_counter_counts_only_cases_still_waiting(void **state)
{
    fixture_t *f = *state;
    overdue_then_some_assigned(f);
    assert_int_equal(test_counter(f->td.d, "assignment_overdue"), CASES - ASSIGNED);
    /* The assigned case keeps the mark of having been late. */
    Legalaid__Reply *r = dk_get(f->td.d, "BT-2026-000001");
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__ASSIGNED);
    assert_true(r->assignment->overdue);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_counter_of_a_store_from_before(void **state)
{
    fixture_t *f = *state;
    overdue_then_some_assigned(f);
    daemon_t *d = f->td.d;
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, 0, &txn), 0);
    MDB_val k = {strlen(DISPATCH_OVERDUE), DISPATCH_OVERDUE};
    assert_int_equal(mdb_del(txn, dispatch_states, &k, NULL), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    assert_int_equal(test_counter(d, "assignment_overdue"), 0); /* as a store from before */
    store_close(&d->store);
    assert_int_equal(daemon_store_open(d, 0), 0);
    assert_int_equal(test_counter(d, "assignment_overdue"), CASES - ASSIGNED);
}

static void test_overdue_list_pages_to_the_counter(void **state)
{
    fixture_t *f = *state;
    overdue_then_some_assigned(f);
    uint64_t counter = test_counter(f->td.d, "assignment_overdue");
    size_t listed = 0;
    char seen[CASES + 1] = {0};
    for (uint32_t offset = 0;; offset += 100) {
        Legalaid__Reply *r = queue_page(f, 1, offset, 100);
        const Legalaid__DispatchQueue *dq = r->dispatch_queue;
        assert_int_equal(dq->total, counter);
        assert_true(dq->n_cases <= 100);
        for (size_t i = 0; i < dq->n_cases; i++) {
            const Legalaid__Assignment *a = dq->cases[i];
            assert_true(a->overdue);
            assert_int_not_equal(a->state, LEGALAID__ASSIGNMENT_STATE__ASSIGNED);
            int n = 0;
            assert_int_equal(sscanf(a->case_id, "BT-2026-%d", &n), 1);
            assert_true(n > ASSIGNED && n <= CASES);
            assert_int_equal(seen[n], 0); /* no case on two pages */
            seen[n] = 1;
        }
        listed += dq->n_cases;
        size_t page = dq->n_cases;
        legalaid__reply__free_unpacked(r, NULL);
        if (page < 100) break;
    }
    assert_int_equal(listed, CASES - ASSIGNED);
    assert_int_equal(listed, counter);
    /* Past the end: an empty page, the same total. */
    Legalaid__Reply *r = queue_page(f, 1, CASES, 100);
    assert_int_equal(r->dispatch_queue->n_cases, 0);
    assert_int_equal(r->dispatch_queue->total, CASES - ASSIGNED);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_pages_follow_the_order_of_work(void **state)
{
    fixture_t *f = *state;
    overdue_then_some_assigned(f);
    /* First come within the overdue: page 2 starts where page 1 ended. */
    Legalaid__Reply *p1 = queue_page(f, 0, 0, 7);
    Legalaid__Reply *p2 = queue_page(f, 0, 7, 7);
    assert_int_equal(p1->dispatch_queue->n_cases, 7);
    assert_int_equal(p2->dispatch_queue->n_cases, 7);
    assert_string_equal(p1->dispatch_queue->cases[0]->case_id, "BT-2026-000011");
    assert_string_equal(p1->dispatch_queue->cases[6]->case_id, "BT-2026-000017");
    assert_string_equal(p2->dispatch_queue->cases[0]->case_id, "BT-2026-000018");
    legalaid__reply__free_unpacked(p1, NULL);
    legalaid__reply__free_unpacked(p2, NULL);
    /* A page never exceeds 1,000 cases, whatever is asked. */
    Legalaid__Reply *r = queue_page(f, 0, 0, 5000);
    assert_int_equal(r->dispatch_queue->n_cases, CASES - ASSIGNED);
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counter_counts_only_cases_still_waiting, dk_setup,
                                        dk_teardown),
        cmocka_unit_test_setup_teardown(test_counter_of_a_store_from_before, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_overdue_list_pages_to_the_counter, dk_setup,
                                        dk_teardown),
        cmocka_unit_test_setup_teardown(test_pages_follow_the_order_of_work, dk_setup, dk_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
