/*
 * test-eligibility-dispatch.c - eligibility and dispatch: every grant of
 * aid carries the case's facts (ground, minor by ground, group or age at
 * receipt, form of aid, county, language, the applicant's name and ID
 * number only, opposing party, co-defendants, related cases, art. 31 item)
 * and nothing else does; aid terminated by dispatch (art. 48) becomes a
 * TERMINATED decision with its article and the objection route (art. 49),
 * once; eligibility's own terminations are not recorded twice; an
 * objection against dispatch's termination is filed, corrected, and the
 * case approved again with its facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "eligibilitykit.h"
#include "testutil.h"

#define NOW EK_T0 /* 2026-03-02 10:00 Beijing time */

/* A migrant worker's wage claim (art. 31(5), hardship presumed, art.
 * 42(3)): approved. */
static void labour_init(test_received_t *p, const char *case_id, const char *id17)
{
    test_received_init(p, case_id, id17);
    p->person.address = "包头市昆都仑区钢铁大街1号";
    p->app.matter = "拖欠工资";
    p->app.opposing_party = "包头某建筑公司";
    p->app.has_hardship_proof = 1;
    p->app.hardship_proof = LEGALAID__HARDSHIP_PROOF__MIGRANT_WAGES_OR_INJURY;
    p->app.received_at = NOW;
}

/* A court's notice (art. 25(1)) on the given ground: approved. */
static void notice_init(test_received_t *p, const char *case_id, const char *id17,
                        Legalaid__MandatoryGround ground)
{
    labour_init(p, case_id, id17);
    p->app.channel = LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    p->app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p->app.has_scope_item = 0;
    p->app.has_hardship_proof = 0;
    p->app.opposing_party = NULL;
    p->app.has_ground = 1;
    p->app.ground = ground;
    p->authority.has_kind = 1;
    p->authority.kind = LEGALAID__AUTHORITY_KIND__COURT;
    p->authority.name = "包头市昆都仑区人民法院";
    p->app.authority = &p->authority;
    p->notice.application = &p->app;
    p->ev.body_case = LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED;
    p->ev.defence_notification_received = &p->notice;
}

/* Dispatch terminates aid on case_id. */
static void terminated(ek_fixture_t *f, const char *case_id, Legalaid__TerminationReason reason,
                       const char *article, int from_eligibility)
{
    Legalaid__CaseTerminated c = LEGALAID__CASE_TERMINATED__INIT;
    c.case_id = (char *)case_id;
    c.has_reason = 1;
    c.reason = reason;
    c.article = (char *)article;
    c.detail = "受援人已自行委托律师";
    c.has_from_eligibility = 1;
    c.from_eligibility = from_eligibility;
    c.lawyer_id = "L001";
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_CASE_TERMINATED;
    ev.case_terminated = &c;
    test_feed(f->td.d, "dispatch", &f->dispatch_seq, &ev);
}

/* The decisions published since the last read: how many, and the last
 * (a copy the caller frees with legalaid__decision__free_unpacked). */
static size_t published(ek_fixture_t *f, Legalaid__Decision **last)
{
    Legalaid__Batch *b = ek_published(f);
    size_t n = 0;
    if (last) *last = NULL;
    for (size_t i = 0; i < b->n_events; i++) {
        f->read = b->events[i]->seq;
        if (b->events[i]->body_case != LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED) continue;
        n++;
        if (!last) continue;
        if (*last) legalaid__decision__free_unpacked(*last, NULL);
        const Legalaid__Decision *d = b->events[i]->eligibility_decided->decision;
        uint8_t buf[16384];
        size_t len = legalaid__decision__pack(d, buf);
        *last = legalaid__decision__unpack(NULL, len, buf);
    }
    legalaid__batch__free_unpacked(b, NULL);
    return n;
}

/* The one decision published since the last read. */
static Legalaid__Decision *decided(ek_fixture_t *f)
{
    Legalaid__Decision *d;
    assert_int_equal(published(f, &d), 1);
    return d;
}

static void test_facts_on_every_grant(void **state)
{
    ek_fixture_t *f = *state;
    /* A court's notice on a minor in Mongolian, with co-defendants and a
     * related case: defence, minor, everything dispatch checks conflicts
     * against. */
    test_received_t p;
    notice_init(&p, "BT-2026-000001", "15020320100101001", LEGALAID__MANDATORY_GROUND__MINOR);
    Legalaid__Person co[2];
    Legalaid__Person *cos[2] = {&co[0], &co[1]};
    char co_id[19];
    test_id_number("15020320090505002", co_id);
    legalaid__person__init(&co[0]);
    legalaid__person__init(&co[1]);
    co[0].name = "王五";
    co[0].id_number = co_id;
    co[0].phone = "13904720000";
    co[1].name = "赵六";
    p.app.co_defendants = cos;
    p.app.n_co_defendants = 2;
    char *related[1] = {"(2026)蒙0203刑初45号"};
    p.app.related_cases = related;
    p.app.n_related_cases = 1;
    p.app.county = "昆都仑区";
    p.app.has_language = 1;
    p.app.language = LEGALAID__LANGUAGE__MONGOLIAN;
    ek_feed(f, &p);
    Legalaid__Decision *d = decided(f);
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__APPROVED);
    const Legalaid__CaseFacts *fa = d->facts;
    assert_non_null(fa);
    assert_int_equal(fa->ground, LEGALAID__MANDATORY_GROUND__MINOR);
    assert_true(fa->minor);
    assert_int_equal(fa->aid_form, LEGALAID__AID_FORM__DEFENCE);
    assert_string_equal(fa->county, "昆都仑区");
    assert_int_equal(fa->language, LEGALAID__LANGUAGE__MONGOLIAN);
    assert_string_equal(fa->applicant->name, "李四");
    assert_string_equal(fa->applicant->id_number, p.id);
    /* Only who the person is: no phone or address for the conflict check. */
    assert_null(fa->applicant->phone);
    assert_null(fa->applicant->address);
    assert_int_equal(fa->n_co_defendants, 2);
    assert_string_equal(fa->co_defendants[0]->name, "王五");
    assert_string_equal(fa->co_defendants[0]->id_number, co_id);
    assert_null(fa->co_defendants[0]->phone);
    assert_string_equal(fa->co_defendants[1]->name, "赵六");
    assert_int_equal(fa->n_related_cases, 1);
    assert_string_equal(fa->related_cases[0], "(2026)蒙0203刑初45号");
    assert_false(fa->has_scope_item);
    legalaid__decision__free_unpacked(d, NULL);

    /* An adult's wage claim: representation, not a minor, the art. 31
     * item and the other side. */
    test_received_t q;
    labour_init(&q, "BT-2026-000002", "15020319800101003");
    ek_feed(f, &q);
    d = decided(f);
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_non_null(d->facts);
    assert_false(d->facts->minor);
    assert_true(d->facts->has_minor);
    assert_int_equal(d->facts->aid_form, LEGALAID__AID_FORM__REPRESENTATION);
    assert_int_equal(d->facts->scope_item, 5);
    assert_string_equal(d->facts->opposing_party, "包头某建筑公司");
    assert_null(d->facts->county);
    assert_false(d->facts->has_language);
    legalaid__decision__free_unpacked(d, NULL);

    /* Sixteen on the day of receipt by the ID's birth date: a minor,
     * though no ground or group says so; a document asked for stays that. */
    test_received_t r;
    labour_init(&r, "BT-2026-000003", "15020320100302004");
    r.app.has_aid_form = 1;
    r.app.aid_form = LEGALAID__AID_FORM__DOCUMENT_DRAFTING;
    ek_feed(f, &r);
    d = decided(f);
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_true(d->facts->minor);
    assert_int_equal(d->facts->aid_form, LEGALAID__AID_FORM__DOCUMENT_DRAFTING);
    legalaid__decision__free_unpacked(d, NULL);
    /* Eighteen the day before receipt: not a minor. */
    test_received_t s;
    labour_init(&s, "BT-2026-000004", "15020320080301005");
    ek_feed(f, &s);
    d = decided(f);
    assert_false(d->facts->minor);
    legalaid__decision__free_unpacked(d, NULL);
    /* A minor by group, the ID saying nothing (a passport). */
    test_received_t g;
    labour_init(&g, "BT-2026-000005", "15020319800101006");
    g.person.has_id_type = 1;
    g.person.id_type = LEGALAID__ID_TYPE__PASSPORT;
    g.person.id_number = "E12345678";
    Legalaid__SpecialGroup groups[1] = {LEGALAID__SPECIAL_GROUP__MINOR_PARTY};
    g.app.groups = groups;
    g.app.n_groups = 1;
    ek_feed(f, &g);
    d = decided(f);
    assert_true(d->facts->minor);
    legalaid__decision__free_unpacked(d, NULL);

    /* No grant, no facts: materials awaited. */
    test_received_t m;
    labour_init(&m, "BT-2026-000006", "15020319800101007");
    m.app.has_hardship_proof = 0;
    ek_feed(f, &m);
    d = decided(f);
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__NEEDS_MATERIALS);
    assert_null(d->facts);
    legalaid__decision__free_unpacked(d, NULL);
}

static void test_termination_by_dispatch(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    notice_init(&p, "BT-2026-000101", "15020319900101001",
                LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH);
    p.app.county = "青山区";
    ek_feed(f, &p);
    Legalaid__Decision *d = decided(f);
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__APPROVED);
    legalaid__decision__free_unpacked(d, NULL);

    /* Dispatch terminates aid: own counsel retained (art. 48(6)). */
    clock_set_ms(NOW + 5 * MS_PER_DAY);
    terminated(f, "BT-2026-000101", LEGALAID__TERMINATION_REASON__OWN_COUNSEL,
               "Legal Aid Law art. 48(6)", 0);
    d = decided(f);
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__TERMINATED);
    test_assert_time(d->decided_at, NOW + 5 * MS_PER_DAY);
    assert_true(test_cites(d, "Legal Aid Law art. 48(6)"));
    assert_true(test_cites(d, "Legal Aid Law art. 49"));
    assert_non_null(d->objection_route);
    assert_non_null(strstr(d->objection_route, "包头市司法局"));
    assert_non_null(strstr(d->reason, "retained their own lawyer"));
    assert_non_null(strstr(d->reason, "受援人已自行委托律师"));
    assert_null(d->facts);
    assert_false(d->has_assign_due_at);
    legalaid__decision__free_unpacked(d, NULL);

    /* The same event again, or another termination, records nothing more. */
    terminated(f, "BT-2026-000101", LEGALAID__TERMINATION_REASON__MATTER_ENDED, NULL, 0);
    assert_int_equal(published(f, NULL), 0);

    /* The objection route is open against it (art. 49); the bureau orders
     * a correction and the case is decided again: approved, with its
     * facts for dispatch to assign again. */
    Legalaid__Reply *r =
        ek_file_objection(f, "BT-2026-000101", "并未自行委托律师，委托协议系亲属误签");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__FILED);
    legalaid__reply__free_unpacked(r, NULL);
    r = ek_decide_objection(f, "BT-2026-000101", 1, "王司法",
                            "委托协议由亲属误签，被告人本人未委托");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__CORRECTED);
    legalaid__reply__free_unpacked(r, NULL);
    d = decided(f);
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_true(test_cites(d, "Legal Aid Law art. 49"));
    assert_non_null(d->facts);
    assert_string_equal(d->facts->county, "青山区");
    assert_int_equal(d->facts->ground, LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH);
    legalaid__decision__free_unpacked(d, NULL);

    /* An event without the article: the item of art. 48 from the reason. */
    test_received_t q;
    labour_init(&q, "BT-2026-000102", "15020319800101002");
    ek_feed(f, &q);
    d = decided(f);
    legalaid__decision__free_unpacked(d, NULL);
    terminated(f, "BT-2026-000102", LEGALAID__TERMINATION_REASON__MEANS_CHANGED, NULL, 0);
    d = decided(f);
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__TERMINATED);
    assert_true(test_cites(d, "Legal Aid Law art. 48(4)"));
    legalaid__decision__free_unpacked(d, NULL);
}

static void test_termination_not_recorded_twice(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    labour_init(&p, "BT-2026-000201", "15020319800101001");
    ek_feed(f, &p);
    Legalaid__Decision *d = decided(f);
    legalaid__decision__free_unpacked(d, NULL);
    /* Eligibility's own termination echoed by dispatch: nothing. */
    terminated(f, "BT-2026-000201", LEGALAID__TERMINATION_REASON__CONCEALMENT,
               "Legal Aid Law art. 48(2)", 1);
    assert_int_equal(published(f, NULL), 0);
    Legalaid__GetDecision g = LEGALAID__GET_DECISION__INIT;
    g.case_id = "BT-2026-000201";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_DECISION;
    req.get_decision = &g;
    Legalaid__Reply *r = test_call(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__APPROVED);
    legalaid__reply__free_unpacked(r, NULL);
    /* A case eligibility does not hold: nothing, no dead letter; other
     * dispatch events: nothing. */
    terminated(f, "BT-2025-009999", LEGALAID__TERMINATION_REASON__OWN_COUNSEL, NULL, 0);
    Legalaid__CaseProgressed cp = LEGALAID__CASE_PROGRESSED__INIT;
    cp.case_id = "BT-2026-000201";
    cp.has_to = 1;
    cp.to = LEGALAID__ASSIGNMENT_STATE__CONCLUDED;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = "BT-2026-000201";
    ev.body_case = LEGALAID__EVENT__BODY_CASE_PROGRESSED;
    ev.case_progressed = &cp;
    test_feed(f->td.d, "dispatch", &f->dispatch_seq, &ev);
    assert_int_equal(published(f, NULL), 0);
    /* A termination naming no case can never apply: a dead letter. */
    Legalaid__CaseTerminated c = LEGALAID__CASE_TERMINATED__INIT;
    Legalaid__Event bad = LEGALAID__EVENT__INIT;
    bad.body_case = LEGALAID__EVENT__BODY_CASE_TERMINATED;
    bad.case_terminated = &c;
    test_feed(f->td.d, "dispatch", &f->dispatch_seq, &bad);
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    r = test_call(f->td.d, &req);
    assert_int_equal(r->stream_status->dead_letters, 1);
    int dispatch_seen = 0;
    for (size_t i = 0; i < r->stream_status->n_upstreams; i++)
        if (!strcmp(r->stream_status->upstreams[i]->stream, "dispatch")) {
            dispatch_seen = 1;
            assert_int_equal(r->stream_status->upstreams[i]->applied_seq, f->dispatch_seq);
        }
    assert_true(dispatch_seen);
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_facts_on_every_grant, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_termination_by_dispatch, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_termination_not_recorded_twice, ek_setup, ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
