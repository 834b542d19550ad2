/*
 * intakekit.c - the intake tests' fixture, applications, requests and
 * upstream events (intakekit.h).
 */
#include "intakekit.h"

#include <stdio.h>
#include <string.h>

#include "intake.h"

int ik_setup(void **state)
{
    return test_fixture_setup(state, sizeof(ik_fixture_t), &intake_service, IK_T0);
}

int ik_teardown(void **state)
{
    return test_fixture_teardown(state);
}

void ik_civil_init(test_submit_t *p)
{
    static unsigned serial;
    char first[24];
    snprintf(first, sizeof first, "15020319800101%03u", serial++ % 1000);
    test_submit_init(p, first, "赵桂兰", LEGALAID__MATTER_CATEGORY__CIVIL, "三名子女拒付赡养费");
    test_id_number("15020319550612001", p->proxy_id);
    p->app.station = "BT-CENTRE";
    p->app.has_scope_item = 1;
    p->app.scope_item = 4;
}

void ik_defence_init(test_submit_t *p)
{
    static unsigned serial;
    char first[24];
    snprintf(first, sizeof first, "15020319850101%03u", serial++ % 1000);
    test_submit_init(p, first, "巴特尔", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, "涉嫌盗窃");
    p->authority.name = "包头市公安局青山区分局";
    p->app.authority = &p->authority;
}

void ik_authority_set(test_submit_t *p, Legalaid__AuthorityKind kind, const char *name)
{
    p->authority.has_kind = 1;
    p->authority.kind = kind;
    p->authority.name = (char *)name;
    p->app.authority = &p->authority;
}

void ik_notice_init(test_submit_t *p, Legalaid__AuthorityKind kind, const char *name,
                    const char *reference)
{
    ik_defence_init(p);
    p->app.channel = LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    p->person.phone = NULL;
    ik_authority_set(p, kind, name);
    p->authority.reference = (char *)reference;
    p->app.has_ground = 1;
    p->app.ground = LEGALAID__MANDATORY_GROUND__MINOR;
}

Legalaid__Reply *ik_expect_ok(daemon_t *d, test_submit_t *p)
{
    Legalaid__Reply *r = test_call_new(d, &p->req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED);
    return r;
}

void ik_expect_case(daemon_t *d, test_submit_t *p, const char *case_id, int linked)
{
    Legalaid__Reply *r = ik_expect_ok(d, p);
    assert_string_equal(r->application_accepted->case_id, case_id);
    assert_int_equal(r->application_accepted->linked, linked);
    legalaid__reply__free_unpacked(r, NULL);
}

Legalaid__Reply *ik_get_application(daemon_t *d, const char *case_id)
{
    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    g.case_id = (char *)case_id;
    Legalaid__Request q = LEGALAID__REQUEST__INIT;
    q.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    q.get_application = &g;
    Legalaid__Reply *r = test_call(d, &q);
    test_assert_code(r, LEGALAID__CODE__OK);
    return r;
}

Legalaid__Reply *ik_supply(daemon_t *d, const char *case_id, char **materials, size_t n)
{
    Legalaid__SupplyMaterials s = LEGALAID__SUPPLY_MATERIALS__INIT;
    s.case_id = (char *)case_id;
    s.materials = materials;
    s.n_materials = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS;
    req.supply_materials = &s;
    return test_call_new(d, &req);
}

Legalaid__Reply *ik_supply_read(daemon_t *d, Legalaid__SupplyMaterials *s)
{
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS;
    req.supply_materials = s;
    return test_call_new(d, &req);
}

Legalaid__Reply *ik_withdraw(daemon_t *d, const char *case_id, const char *reason)
{
    Legalaid__WithdrawApplication w = LEGALAID__WITHDRAW_APPLICATION__INIT;
    w.case_id = (char *)case_id;
    w.reason = (char *)reason;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_WITHDRAW_APPLICATION;
    req.withdraw_application = &w;
    return test_call_new(d, &req);
}

size_t ik_stream_count(daemon_t *d)
{
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(d, 0, &b), 0);
    size_t n = b->n_events;
    legalaid__batch__free_unpacked(b, NULL);
    return n;
}

Legalaid__Event *ik_stream_last(daemon_t *d, Legalaid__Batch **batch)
{
    assert_int_equal(daemon_read_stream(d, 0, batch), 0);
    assert_true((*batch)->n_events > 0);
    return (*batch)->events[(*batch)->n_events - 1];
}

uint64_t ik_dead_letters(daemon_t *d)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    Legalaid__Reply *r = test_call(d, &req);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_STREAM_STATUS);
    uint64_t n = r->stream_status->dead_letters;
    legalaid__reply__free_unpacked(r, NULL);
    return n;
}

void ik_feed(ik_fixture_t *f, const char *upstream, Legalaid__Event *ev)
{
    uint64_t *seq = strcmp(upstream, "dispatch") == 0 ? &f->dispatch_seq : &f->eligibility_seq;
    ev->has_occurred_at = 1;
    ev->occurred_at = f->at ? f->at : IK_T0;
    test_feed(f->td.d, upstream, seq, ev);
}

void ik_decided(ik_fixture_t *f, const char *case_id, Legalaid__Outcome outcome)
{
    Legalaid__Decision dec = LEGALAID__DECISION__INIT;
    dec.case_id = (char *)case_id;
    if (outcome) {
        dec.has_outcome = 1;
        dec.outcome = outcome;
    }
    Legalaid__EligibilityDecided body = LEGALAID__ELIGIBILITY_DECIDED__INIT;
    body.decision = &dec;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED;
    ev.eligibility_decided = &body;
    ik_feed(f, "eligibility", &ev);
}
