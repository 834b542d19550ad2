/*
 * test-dispatch-desk.c - a lawyer's own desk (LawyerCasesQuery, the
 * "by_lawyer" index): the offer open to the lawyer with its answer
 * deadline; once accepted, the case with its agreement deadline (S6 art.
 * 27) and no longer among the offers; the case stays through its steps and
 * leaves when aid ends (art. 48); another lawyer may not read the desk; an
 * unknown lawyer is named; and a store from before the index is indexed
 * from its records at start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatchkit.h"
#include "principal.h"
#include "testutil.h"

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

static Legalaid__Reply *desk(fixture_t *f, const char *lawyer)
{
    Legalaid__LawyerCasesQuery q = LEGALAID__LAWYER_CASES_QUERY__INIT;
    q.lawyer_id = (char *)lawyer;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_LAWYER_CASES;
    req.lawyer_cases = &q;
    return test_call_new(f->td.d, &req);
}

/* The desk of lawyer: n_offers offers, n_cases cases, the first of each
 * named as given (NULL: not checked). */
static void desk_is(fixture_t *f, const char *lawyer, size_t n_offers, const char *offer,
                    size_t n_cases, const char *case_id)
{
    Legalaid__Reply *r = desk(f, lawyer);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_LAWYER_CASES);
    assert_string_equal(r->lawyer_cases->lawyer_id, lawyer);
    assert_int_equal(r->lawyer_cases->n_offers, n_offers);
    assert_int_equal(r->lawyer_cases->n_cases, n_cases);
    if (offer) {
        const Legalaid__Assignment *a = r->lawyer_cases->offers[0];
        assert_string_equal(a->case_id, offer);
        assert_int_equal(a->state, LEGALAID__ASSIGNMENT_STATE__OFFERED);
        assert_true(a->offer && a->offer->expires_at > clock_now_ms());
    }
    if (case_id) {
        const Legalaid__Assignment *a = r->lawyer_cases->cases[0];
        assert_string_equal(a->case_id, case_id);
        assert_true(a->agreement_due_at > clock_now_ms());
    }
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_offer_then_case(void **state)
{
    fixture_t *f = *state;
    dk_case_t c;
    dk_case_init(&c, "C-1", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    dk_feed(f->td.d, &f->seq, &c.d);
    char lawyer[32], other[32];
    assert_int_equal(dk_state(f->td.d, "C-1", lawyer, sizeof lawyer),
                     LEGALAID__ASSIGNMENT_STATE__OFFERED);
    snprintf(other, sizeof other, "%s", strcmp(lawyer, "L-1") == 0 ? "L-2" : "L-1");
    desk_is(f, lawyer, 1, "C-1", 0, NULL);
    desk_is(f, other, 0, NULL, 0, NULL);

    /* The other lawyer may not read this desk; their own, yes. */
    principal_t p = {.name = "l", .roles = ROLE_LAWYER};
    snprintf(p.lawyer, sizeof p.lawyer, "%s", other);
    daemon_test_act_as(f->td.d, &p);
    Legalaid__Reply *r = desk(f, lawyer);
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    legalaid__reply__free_unpacked(r, NULL);
    desk_is(f, other, 0, NULL, 0, NULL);
    daemon_test_act_as(f->td.d, NULL);

    /* Accepted: a case with its agreement deadline, no longer an offer. */
    char took[32];
    dk_accept(f->td.d, "C-1", took, sizeof took);
    assert_string_equal(took, lawyer);
    desk_is(f, lawyer, 0, NULL, 1, "C-1");
    r = dk_advance(f->td.d, "C-1", LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    desk_is(f, lawyer, 0, NULL, 1, NULL);

    /* A store from before the index: indexed from the records at start. */
    daemon_close_test(&f->td.d);
    test_drop_table(f->td.dir, "by_lawyer");
    f->td.d = daemon_open_test(&dispatch_service, f->td.dir);
    assert_non_null(f->td.d);
    desk_is(f, lawyer, 0, NULL, 1, NULL);

    /* Aid ends (art. 48): the case leaves the desk. */
    r = dk_terminate(f->td.d, "C-1", 1, "受援人经济状况好转，不再符合条件");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    desk_is(f, lawyer, 0, NULL, 0, NULL);
}

static void test_refused(void **state)
{
    fixture_t *f = *state;
    Legalaid__Reply *r = desk(f, "L-99");
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_non_null(strstr(r->error, "L-99"));
    legalaid__reply__free_unpacked(r, NULL);
    r = desk(f, "");
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "lawyer_cases.lawyer_id");
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_offer_then_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
