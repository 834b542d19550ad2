/*
 * test-dispatch-guards.c - the hard rules where they are easiest to lose:
 * open offers hold capacity and the conflict index (two offers never put
 * one lawyer over capacity or on both co-defendants), acceptance checks
 * the lawyer's record as it is now, a defence case goes only to a lawyer
 * whatever the form of aid says, co-defendants are found from either
 * case, a termination is undone only by an approval decided after
 * eligibility recorded it (also after a backlog), and a freed lawyer is
 * offered the waiting case behind thousands that nobody may take.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatchkit.h"
#include "testutil.h"

#define HOUR (3600LL * 1000)
#define DAY (24 * HOUR)
typedef dk_fixture_t fixture_t;

static uint32_t open_cases(fixture_t *f, const char *id)
{
    Legalaid__Reply *r = dk_lawyers(f->td.d, id);
    test_assert_code(r, LEGALAID__CODE__OK);
    uint32_t n = r->lawyers->lawyers[0]->open_cases;
    legalaid__reply__free_unpacked(r, NULL);
    return n;
}

static int try_accept(fixture_t *f, const char *case_id, const char *lawyer)
{
    Legalaid__Reply *r = dk_answer(f->td.d, case_id, lawyer, 1, 0, NULL);
    int ok = r->code == LEGALAID__CODE__OK;
    legalaid__reply__free_unpacked(r, NULL);
    return ok;
}

/* 1. Two open offers to a lawyer with capacity 1: both accepted. */
static void test_capacity_pending_offers(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L1", "甲所")->capacity = 1;
    dk_import_ok(f->td.d, f->pool);
    dk_case_t a, b;
    dk_case_init(&a, "C-1", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    dk_case_init(&b, "C-2", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    dk_feed(f->td.d, &f->seq, &a.d);
    dk_feed(f->td.d, &f->seq, &b.d);
    char l[64];
    fprintf(stderr, "C-1 state %d to %s\n", dk_state(f->td.d, "C-1", l, sizeof l), l);
    fprintf(stderr, "C-2 state %d to %s\n", dk_state(f->td.d, "C-2", l, sizeof l), l);
    int a1 = try_accept(f, "C-1", "L1"), a2 = try_accept(f, "C-2", "L1");
    fprintf(stderr, "accepted %d %d; L1 open_cases %u (capacity 1)\n", a1, a2, open_cases(f, "L1"));
    assert_true(open_cases(f, "L1") <= 1);
}

/* 2. Co-defendants of one court case, both offered to L1 before either is
 * accepted: L1 ends up defending both (CPL interp. art. 43). */
static void test_codefendants_pending_offers(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L1", "甲所");
    dk_import_ok(f->td.d, f->pool);
    Legalaid__Person zhang = LEGALAID__PERSON__INIT, li = LEGALAID__PERSON__INIT;
    zhang.name = "张三";
    li.name = "李四";
    Legalaid__Person *pa[1] = {&li}, *pb[1] = {&zhang};
    dk_case_t a, b;
    dk_case_init(&a, "C-A", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    dk_case_notified(&a, "昆都仑区人民法院", "(2026)内0203刑初1号");
    a.applicant.name = "张三";
    a.facts.co_defendants = pa;
    a.facts.n_co_defendants = 1;
    dk_case_init(&b, "C-B", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    dk_case_notified(&b, "昆都仑区人民法院", "(2026)内0203刑初1号");
    b.applicant.name = "李四";
    b.facts.co_defendants = pb;
    b.facts.n_co_defendants = 1;
    dk_feed(f->td.d, &f->seq, &a.d);
    dk_feed(f->td.d, &f->seq, &b.d);
    int a1 = try_accept(f, "C-A", "L1"), a2 = try_accept(f, "C-B", "L1");
    fprintf(stderr, "L1 accepted C-A %d and C-B %d (co-defendants of one case)\n", a1, a2);
    assert_false(a1 && a2);
}

/* 3. Re-import removes the juvenile qualification while the offer of a
 * minor's case is open: the lawyer still accepts it. */
static void test_reimport_lost_qualification(void **state)
{
    fixture_t *f = *state;
    Legalaid__Lawyer *j = dk_lawyer(f->pool, "LJ", "甲所");
    j->has_juvenile_qualified = j->juvenile_qualified = 1;
    dk_import_ok(f->td.d, f->pool);
    dk_case_t c;
    dk_case_init(&c, "C-M", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    c.facts.has_minor = c.facts.minor = 1;
    dk_feed(f->td.d, &f->seq, &c.d);
    char l[64];
    assert_int_equal(dk_state(f->td.d, "C-M", l, sizeof l), LEGALAID__ASSIGNMENT_STATE__OFFERED);
    j->juvenile_qualified = 0; /* the registry withdrew it */
    dk_import_ok(f->td.d, f->pool);
    int ok = try_accept(f, "C-M", "LJ");
    fprintf(stderr, "LJ (no longer juvenile-qualified) accepted the minor's case: %d\n", ok);
    assert_false(ok);
}

/* 4. A criminal defence case whose application said aid_form
 * REPRESENTATION (intake accepts it; eligibility sets lawyer_required):
 * offered to a grassroots legal worker (art. 25 broken). */
static void test_defence_by_non_lawyer(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "G1", "基层所")->kind = LEGALAID__PROVIDER_KIND__PROVIDER_GRASSROOTS;
    dk_import_ok(f->td.d, f->pool);
    dk_case_t c, m;
    dk_case_init(&c, "C-D", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    c.facts.has_aid_form = 1;
    c.facts.aid_form = LEGALAID__AID_FORM__REPRESENTATION;
    c.d.has_lawyer_required = c.d.lawyer_required = 1;
    dk_feed(f->td.d, &f->seq, &c.d);
    dk_case_init(&m, "C-MED", LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL, clock_now_ms());
    m.facts.has_aid_form = 1;
    m.facts.aid_form = LEGALAID__AID_FORM__REPRESENTATION;
    m.d.has_lawyer_required = m.d.lawyer_required = 1;
    dk_feed(f->td.d, &f->seq, &m.d);
    char l1[64], l2[64];
    int s1 = dk_state(f->td.d, "C-D", l1, sizeof l1), s2 = dk_state(f->td.d, "C-MED", l2, sizeof l2);
    fprintf(stderr, "criminal defence case: state %d offered to '%s'; compulsory medical: %d '%s'\n",
            s1, l1, s2, l2);
    assert_int_not_equal(s1, LEGALAID__ASSIGNMENT_STATE__OFFERED);
    assert_int_not_equal(s2, LEGALAID__ASSIGNMENT_STATE__OFFERED);
}

/* 5. Dispatch down for days: it applies eligibility's termination and the
 * later approval (objection corrected) in one backlog. */
static void test_reapproval_backlog(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L1", "甲所");
    dk_lawyer(f->pool, "L2", "乙所");
    dk_import_ok(f->td.d, f->pool);
    int64_t t0 = clock_now_ms();
    dk_case_t c;
    dk_case_init(&c, "C-9", LEGALAID__MATTER_CATEGORY__CIVIL, t0);
    dk_feed(f->td.d, &f->seq, &c.d);
    dk_accept(f->td.d, "C-9", NULL, 0);
    clock_set_ms(t0 + 5 * DAY); /* dispatch comes back */
    c.d.outcome = LEGALAID__OUTCOME__TERMINATED;
    c.d.decided_at = t0 + 1 * DAY;
    dk_feed(f->td.d, &f->seq, &c.d);
    c.d.outcome = LEGALAID__OUTCOME__APPROVED;
    c.d.decided_at = t0 + 2 * DAY;
    c.d.assign_due_at = t0 + 5 * DAY;
    dk_feed(f->td.d, &f->seq, &c.d);
    int s = dk_state(f->td.d, "C-9", NULL, 0);
    fprintf(stderr, "after backlog (terminated, then approved again): state %d\n", s);
    assert_int_equal(s, LEGALAID__ASSIGNMENT_STATE__OFFERED);
}

/* 6. More than 2,000 cases waiting: the drain only ever reads the first
 * 2,000 keys, so a case behind them is never offered again. */
static void test_drain_cap_starves(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L1", "甲所")->capacity = 1;
    dk_import_ok(f->td.d, f->pool);
    dk_case_t c;
    dk_case_init(&c, "A-0", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    dk_feed(f->td.d, &f->seq, &c.d);
    dk_accept(f->td.d, "A-0", NULL, 0);
    int nm = 2100;
    for (int i = 0; i < nm; i++) {
        char id[32];
        snprintf(id, sizeof id, "M-%04d", i);
        dk_case_init(&c, id, LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
        c.facts.has_minor = c.facts.minor = 1; /* nobody juvenile-qualified */
        dk_feed(f->td.d, &f->seq, &c.d);
    }
    clock_advance_ms(1000);
    dk_case_init(&c, "Z-1", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    dk_feed(f->td.d, &f->seq, &c.d);
    assert_int_equal(dk_state(f->td.d, "Z-1", NULL, 0), LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF);
    Legalaid__Reply *r = dk_advance(f->td.d, "A-0", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED);
    legalaid__reply__free_unpacked(r, NULL);
    r = dk_advance(f->td.d, "A-0", LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS);
    legalaid__reply__free_unpacked(r, NULL);
    struct timespec t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r = dk_advance(f->td.d, "A-0", LEGALAID__ASSIGNMENT_STATE__CONCLUDED);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    fprintf(stderr, "conclusion turn with 2001 waiting: %.0f ms\n",
            (t2.tv_sec - t1.tv_sec) * 1e3 + (t2.tv_nsec - t1.tv_nsec) / 1e6);
    int s = dk_state(f->td.d, "Z-1", NULL, 0);
    fprintf(stderr, "Z-1 (L1 free again, may take it): state %d\n", s);
    assert_int_equal(s, LEGALAID__ASSIGNMENT_STATE__OFFERED);
}

/* 7. The co-defendant check is one-way: case A lists B's defendant as
 * co-defendant, B (notified separately) does not list A's. */
static void test_codefendant_one_way(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L1", "甲所");
    dk_import_ok(f->td.d, f->pool);
    Legalaid__Person li = LEGALAID__PERSON__INIT;
    li.name = "李四";
    li.id_number = "150203199001011234";
    Legalaid__Person *pa[1] = {&li};
    dk_case_t a, b;
    dk_case_init(&a, "C-A", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    dk_case_notified(&a, "昆都仑区人民法院", "(2026)内0203刑初1号");
    a.applicant.name = "张三";
    a.facts.co_defendants = pa;
    a.facts.n_co_defendants = 1;
    dk_feed(f->td.d, &f->seq, &a.d);
    dk_accept(f->td.d, "C-A", NULL, 0);
    dk_case_init(&b, "C-B", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    dk_case_notified(&b, "青山区人民法院", "(2026)内0204刑初9号");
    b.applicant.name = "李四";
    b.applicant.id_number = "150203199001011234";
    dk_feed(f->td.d, &f->seq, &b.d);
    char l[64];
    int s = dk_state(f->td.d, "C-B", l, sizeof l);
    fprintf(stderr, "C-B (defendant 李四, A's co-defendant): state %d lawyer '%s'\n", s, l);
    assert_false(s == LEGALAID__ASSIGNMENT_STATE__OFFERED && strcmp(l, "L1") == 0);
}

/* An approval that crossed staff's termination on the way does not undo
 * it, and the ground stays the one staff gave. */
static void test_approval_crossing_termination(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L1", "甲所"); dk_lawyer(f->pool, "L2", "乙所");
    dk_import_ok(f->td.d, f->pool);
    dk_case_t c;
    dk_case_init(&c, "C-1", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    c.d.outcome = LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION;
    dk_feed(f->td.d, &f->seq, &c.d);
    dk_accept(f->td.d, "C-1", NULL, 0);
    clock_advance_ms(3600 * 1000);
    Legalaid__Reply *r = dk_terminate(f->td.d, "C-1", LEGALAID__TERMINATION_REASON__OWN_COUNSEL, "受援人自行委托律师");
    test_assert_code(r, LEGALAID__CODE__OK); legalaid__reply__free_unpacked(r, NULL);
    /* eligibility, not yet having read CaseTerminated, verifies the commitment as truthful */
    clock_advance_ms(60 * 1000);
    c.d.outcome = LEGALAID__OUTCOME__APPROVED;
    c.d.decided_at = clock_now_ms();
    dk_feed(f->td.d, &f->seq, &c.d);
    char l[64];
    int s = dk_state(f->td.d, "C-1", l, sizeof l);
    fprintf(stderr, "after staff's art. 48(6) termination and a verification's APPROVED: state %d lawyer '%s'\n", s, l);
    /* then eligibility records dispatch's termination */
    clock_advance_ms(60 * 1000);
    c.d.outcome = LEGALAID__OUTCOME__TERMINATED;
    c.d.decided_at = clock_now_ms();
    dk_feed(f->td.d, &f->seq, &c.d);
    r = dk_get(f->td.d, "C-1");
    fprintf(stderr, "final state %d termination reason %d (staff said 6)\n", r->assignment->state, r->assignment->termination);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(s, LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED);
    r = dk_get(f->td.d, "C-1");
    assert_int_equal(r->assignment->termination, LEGALAID__TERMINATION_REASON__OWN_COUNSEL);
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_capacity_pending_offers, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_codefendants_pending_offers, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_reimport_lost_qualification, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_defence_by_non_lawyer, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_reapproval_backlog, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_codefendant_one_way, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_drain_cap_starves, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_approval_crossing_termination, dk_setup, dk_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
