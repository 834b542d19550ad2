/*
 * test-intake-cases.c - the case finder (intake_cases*.c): paging walks
 * every case exactly once over several pages, each filter and their
 * combinations select exactly the expected cases, overdue follows the
 * deadlines of upstream events and the clock, and a person's cases by ID
 * number are a staff right, audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "intakekit.h"
#include "principal.h"
#include "testutil.h"

#define N_CASES 23

/* Case i: civil in 昆都仑区 at station S-A for even i, criminal in 青山区
 * at S-B for odd i; received i hours before IK_T0 (so newest numbers are
 * oldest receipts). */
static void submit_cases(daemon_t *d, char ids[N_CASES][19])
{
    for (int i = 0; i < N_CASES; i++) {
        test_submit_t p;
        if (i % 2) {
            ik_defence_init(&p);
            p.app.county = "青山区";
            p.app.station = "S-B";
        } else {
            ik_civil_init(&p);
            p.app.county = "昆都仑区";
            p.app.station = "S-A";
        }
        p.app.has_received_at = 1;
        p.app.received_at = IK_T0 - (int64_t)i * 3600 * 1000;
        if (ids) memcpy(ids[i], p.id_number, 19);
        legalaid__reply__free_unpacked(ik_expect_ok(d, &p), NULL);
    }
}

/* Every case q matches, page by page of `limit`: the case numbers in a
 * "," joined string; *pages gets how many pages it took. */
static char *list_all(daemon_t *d, Legalaid__CasesQuery *q, unsigned limit, int *pages)
{
    static char out[4096];
    out[0] = 0;
    *pages = 0;
    char after[128] = "";
    for (;;) {
        q->has_limit = 1;
        q->limit = limit;
        q->after = after[0] ? after : NULL;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.body_case = LEGALAID__REQUEST__BODY_CASES;
        req.cases = q;
        Legalaid__Reply *r = test_call_new(d, &req);
        test_assert_code(r, LEGALAID__CODE__OK);
        assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_CASES);
        const Legalaid__CaseList *l = r->cases;
        assert_true(l->n_cases <= limit);
        (*pages)++;
        for (size_t i = 0; i < l->n_cases; i++) {
            strcat(out, l->cases[i]->case_id + 8); /* "000001" */
            strcat(out, ",");
        }
        int done = l->complete;
        assert_true(done == !l->next_after);
        if (!done) snprintf(after, sizeof after, "%s", l->next_after);
        legalaid__reply__free_unpacked(r, NULL);
        if (done) break;
        assert_true(*pages < 100);
    }
    return out;
}

static void test_paging_walks_every_case_once(void **state)
{
    ik_fixture_t *f = *state;
    submit_cases(f->td.d, NULL);
    Legalaid__CasesQuery q = LEGALAID__CASES_QUERY__INIT;
    int pages;
    char *got = list_all(f->td.d, &q, 5, &pages);
    /* Received order: the oldest receipt (case 23) first. */
    assert_string_equal(got, "000023,000022,000021,000020,000019,000018,000017,000016,000015,"
                             "000014,000013,000012,000011,000010,000009,000008,000007,000006,"
                             "000005,000004,000003,000002,000001,");
    assert_int_equal(pages, 5);
    /* A page that ends exactly at the end still says so. */
    got = list_all(f->td.d, &q, 23, &pages);
    assert_int_equal(pages, 1);
    /* Filtered pages too: the criminal cases (even numbers), 3 a page. */
    q.has_kind = 1;
    q.kind = LEGALAID__CASE_KIND__CASE_KIND_CRIMINAL;
    got = list_all(f->td.d, &q, 3, &pages);
    assert_string_equal(got, "000022,000020,000018,000016,000014,000012,000010,000008,000006,"
                             "000004,000002,");
    assert_int_equal(pages, 4);
    /* A cursor of another query's order, or no cursor at all, is refused. */
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_CASES;
    req.cases = &q;
    q.after = "zz";
    Legalaid__Reply *r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "cases.after");
    legalaid__reply__free_unpacked(r, NULL);
    q.after = NULL;
    q.has_limit = 1;
    q.limit = 501;
    r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "cases.limit");
    legalaid__reply__free_unpacked(r, NULL);
}

/* dispatch's LawyerAssigned of case to lawyer. */
static void assigned(ik_fixture_t *f, const char *case_id, const char *lawyer)
{
    Legalaid__Lawyer l = LEGALAID__LAWYER__INIT;
    l.id = (char *)lawyer;
    Legalaid__Assignment a = LEGALAID__ASSIGNMENT__INIT;
    a.case_id = (char *)case_id;
    a.lawyer = &l;
    a.has_state = 1;
    a.state = LEGALAID__ASSIGNMENT_STATE__ASSIGNED;
    Legalaid__LawyerAssigned body = LEGALAID__LAWYER_ASSIGNED__INIT;
    body.assignment = &a;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_LAWYER_ASSIGNED;
    ev.lawyer_assigned = &body;
    /* with the agreement due in an hour (S6 art. 27) */
    Legalaid__Deadline dl = LEGALAID__DEADLINE__INIT, *dls[1] = {&dl};
    dl.key = "agreement";
    dl.has_due_at = 1;
    dl.due_at = IK_T0 + 3600 * 1000;
    ev.deadlines = dls;
    ev.n_deadlines = 1;
    ik_feed(f, "dispatch", &ev);
}

static void test_filters_select_exactly(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    submit_cases(d, NULL);
    ik_decided(f, "BT-2026-000001", LEGALAID__OUTCOME__APPROVED);
    ik_decided(f, "BT-2026-000002", LEGALAID__OUTCOME__APPROVED);
    ik_decided(f, "BT-2026-000003", LEGALAID__OUTCOME__REFUSED);
    ik_decided(f, "BT-2026-000004", LEGALAID__OUTCOME__APPROVED);
    assigned(f, "BT-2026-000002", "L-7");
    assigned(f, "BT-2026-000004", "L-7");
    /* A late approval does not take the case back from its lawyer. */
    ik_decided(f, "BT-2026-000004", LEGALAID__OUTCOME__APPROVED);
    int pages;
    Legalaid__CasesQuery q = LEGALAID__CASES_QUERY__INIT;
    q.has_state = 1;
    q.state = LEGALAID__CASE_STATE__CASE_APPROVED;
    assert_string_equal(list_all(d, &q, 50, &pages), "000001,");
    q.state = LEGALAID__CASE_STATE__CASE_ASSIGNED;
    assert_string_equal(list_all(d, &q, 50, &pages), "000004,000002,");
    q.state = LEGALAID__CASE_STATE__CASE_RECEIVED;
    q.county = "昆都仑区";
    q.station = "S-A";
    assert_string_equal(list_all(d, &q, 2, &pages),
                        "000023,000021,000019,000017,000015,000013,000011,000009,000007,000005,");
    Legalaid__CasesQuery l = LEGALAID__CASES_QUERY__INIT;
    l.lawyer_id = "L-7";
    assert_string_equal(list_all(d, &l, 1, &pages), "000004,000002,");
    assert_int_equal(pages, 2);
    Legalaid__CasesQuery c = LEGALAID__CASES_QUERY__INIT;
    c.has_category = 1;
    c.category = LEGALAID__MATTER_CATEGORY__CIVIL;
    c.county = "青山区";
    assert_string_equal(list_all(d, &c, 50, &pages), "");
    /* Received between: [T0 - 3 h, T0 - 1 h) is cases 4 and 3. */
    Legalaid__CasesQuery r = LEGALAID__CASES_QUERY__INIT;
    r.has_received_from = r.has_received_to = 1;
    r.received_from = IK_T0 - 3 * 3600 * 1000;
    r.received_to = IK_T0 - 1 * 3600 * 1000;
    assert_string_equal(list_all(d, &r, 1, &pages), "000004,000003,");

    /* Overdue: nothing yet; two hours on, the two agreements are late;
     * case 2's agreement signed (met) leaves case 4 alone. */
    Legalaid__CasesQuery o = LEGALAID__CASES_QUERY__INIT;
    o.has_overdue = o.overdue = 1;
    assert_string_equal(list_all(d, &o, 50, &pages), "");
    clock_advance_ms(2 * 3600 * 1000);
    assert_string_equal(list_all(d, &o, 1, &pages), "000002,000004,");
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    char *met[1] = {"agreement"};
    ev.case_id = "BT-2026-000002";
    ev.deadlines_met = met;
    ev.n_deadlines_met = 1;
    Legalaid__CaseProgressed cp = LEGALAID__CASE_PROGRESSED__INIT;
    cp.case_id = "BT-2026-000002";
    cp.has_to = 1;
    cp.to = LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED;
    ev.body_case = LEGALAID__EVENT__BODY_CASE_PROGRESSED;
    ev.case_progressed = &cp;
    ik_feed(f, "dispatch", &ev);
    assert_string_equal(list_all(d, &o, 50, &pages), "000004,");
    /* Overdue with another filter: checked on the filter's rows. */
    o.lawyer_id = "L-7";
    assert_string_equal(list_all(d, &o, 50, &pages), "000004,");
    o.lawyer_id = "L-8";
    assert_string_equal(list_all(d, &o, 50, &pages), "");
    /* Concluded by dispatch: out of "assigned". */
    cp.to = LEGALAID__ASSIGNMENT_STATE__CONCLUDED;
    ik_feed(f, "dispatch", &ev);
    q.state = LEGALAID__CASE_STATE__CASE_CONCLUDED;
    q.county = q.station = NULL;
    assert_string_equal(list_all(d, &q, 50, &pages), "000002,");
}

static Legalaid__Reply *person_cases(daemon_t *d, const char *id, const principal_t *as)
{
    Legalaid__PersonCasesQuery pq = LEGALAID__PERSON_CASES_QUERY__INIT;
    pq.id_number = (char *)id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_PERSON_CASES;
    req.person_cases = &pq;
    daemon_test_act_as(d, as);
    Legalaid__Reply *r = test_call_new(d, &req);
    daemon_test_act_as(d, NULL);
    return r;
}

/* The audit entries of action person_cases, newest first. */
static Legalaid__Reply *audit_of(daemon_t *d)
{
    Legalaid__AuditQuery aq = LEGALAID__AUDIT_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_AUDIT;
    req.audit = &aq;
    Legalaid__Reply *r = test_call_new(d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    return r;
}

static void test_person_cases_staff_audited(void **state)
{
    ik_fixture_t *f = *state;
    daemon_t *d = f->td.d;
    char ids[N_CASES][19];
    submit_cases(d, ids);
    static const principal_t staff = {.name = "clerk", .roles = ROLE_STAFF};
    static const principal_t ops = {.name = "watcher", .roles = ROLE_OPERATIONS};
    Legalaid__Reply *r = person_cases(d, ids[6], &staff);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->cases->n_cases, 1);
    assert_string_equal(r->cases->cases[0]->case_id, "BT-2026-000007");
    assert_true(r->cases->complete);
    legalaid__reply__free_unpacked(r, NULL);
    r = person_cases(d, "110101199003070000", &staff);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->cases->n_cases, 0);
    legalaid__reply__free_unpacked(r, NULL);
    r = person_cases(d, ids[6], &ops);
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    legalaid__reply__free_unpacked(r, NULL);

    /* Three entries, newest first: the refusal, then the two reads; the
     * number searched is in none of them. */
    Legalaid__Reply *a = audit_of(d);
    size_t n = 0;
    const Legalaid__AuditEntry *e[3];
    for (size_t i = 0; i < a->audit_list->n_entries && n < 3; i++)
        if (strcmp(a->audit_list->entries[i]->action, "person_cases") == 0)
            e[n++] = a->audit_list->entries[i];
    assert_int_equal(n, 3);
    assert_string_equal(e[0]->principal, "watcher");
    assert_int_equal(e[0]->code, LEGALAID__CODE__FORBIDDEN);
    assert_string_equal(e[1]->principal, "clerk");
    assert_string_equal(e[1]->detail, "read");
    assert_string_equal(e[2]->case_id, "BT-2026-000007");
    for (size_t i = 0; i < 3; i++) assert_null(strstr(e[i]->detail ? e[i]->detail : "", ids[6]));
    legalaid__reply__free_unpacked(a, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_paging_walks_every_case_once, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_filters_select_exactly, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_person_cases_staff_audited, ik_setup, ik_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
