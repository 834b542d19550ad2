/*
 * dispatchkit.c - see dispatchkit.h.
 */
#include "dispatchkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "testutil.h"

int dk_setup(void **state)
{
    int rc = test_fixture_setup(state, sizeof(dk_fixture_t), &dispatch_service, DK_T0);
    dk_fixture_t *f = *state;
    f->pool = calloc(1, sizeof *f->pool);
    return rc || !f->pool ? -1 : 0;
}

int dk_teardown(void **state)
{
    dk_fixture_t *f = *state;
    free(f->pool);
    return test_fixture_teardown(state);
}

Legalaid__Lawyer *dk_lawyer(dk_pool_t *p, const char *id, const char *firm)
{
    assert_true(p->n < DK_POOL_MAX);
    Legalaid__Lawyer *l = &p->lawyers[p->n];
    legalaid__lawyer__init(l);
    l->id = (char *)id;
    l->name = "律师";
    l->firm = (char *)firm;
    l->phone = "13904720001";
    l->has_kind = 1;
    l->kind = LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER;
    l->licence_date = "2015-01-01";
    l->criminal_defence_since = "2016-01-01";
    l->has_capacity = 1;
    l->capacity = 10;
    p->list[p->n++] = l;
    return l;
}

Legalaid__Reply *dk_import_from(daemon_t *d, dk_pool_t *p, size_t from)
{
    Legalaid__ImportLawyers imp = LEGALAID__IMPORT_LAWYERS__INIT;
    imp.lawyers = p->list + from;
    imp.n_lawyers = p->n - from;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_LAWYERS;
    req.import_lawyers = &imp;
    return test_call_new(d, &req);
}

void dk_import_ok(daemon_t *d, dk_pool_t *p)
{
    Legalaid__Reply *r = dk_import_from(d, p, 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    for (size_t i = 0; i < r->import_result->n_rejected; i++)
        fprintf(stderr, "rejected %s: %s\n", r->import_result->rejected[i]->field,
                r->import_result->rejected[i]->message);
    assert_int_equal(r->import_result->n_rejected, 0);
    legalaid__reply__free_unpacked(r, NULL);
}

void dk_case_init(dk_case_t *c, const char *case_id, Legalaid__MatterCategory category,
                  int64_t now)
{
    memset(c, 0, sizeof *c);
    snprintf(c->case_id, sizeof c->case_id, "%s", case_id);
    legalaid__decision__init(&c->d);
    legalaid__case_facts__init(&c->facts);
    legalaid__priority__init(&c->prio);
    legalaid__authority__init(&c->authority);
    legalaid__person__init(&c->applicant);
    c->d.case_id = c->case_id;
    c->d.has_outcome = 1;
    c->d.outcome = LEGALAID__OUTCOME__APPROVED;
    c->d.has_category = 1;
    c->d.category = category;
    c->d.has_decided_at = 1;
    c->d.decided_at = now;
    c->d.has_assign_due_at = 1;
    c->d.assign_due_at = now + 3LL * 24 * 3600 * 1000;
    c->d.facts = &c->facts;
    c->d.priority = &c->prio;
    c->facts.applicant = &c->applicant;
}

void dk_case_notified(dk_case_t *c, const char *court, const char *reference)
{
    c->authority.has_kind = 1;
    c->authority.kind = LEGALAID__AUTHORITY_KIND__COURT;
    c->authority.name = (char *)court;
    c->authority.reference = (char *)reference;
    c->d.authority = &c->authority;
}

void dk_feed(daemon_t *d, uint64_t *seq, const Legalaid__Decision *dec)
{
    Legalaid__EligibilityDecided body = LEGALAID__ELIGIBILITY_DECIDED__INIT;
    body.decision = (Legalaid__Decision *)dec;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.seq = ++*seq;
    ev.has_seq = 1;
    char event_id[32];
    snprintf(event_id, sizeof event_id, "eligibility:%llu", (unsigned long long)ev.seq);
    ev.event_id = event_id;
    ev.case_id = dec ? dec->case_id : NULL;
    ev.body_case = LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED;
    ev.eligibility_decided = &body;
    Legalaid__Event *evs[1] = {&ev};
    assert_int_equal(daemon_feed(d, "eligibility", evs, 1), 0);
}

Legalaid__Reply *dk_get(daemon_t *d, const char *case_id)
{
    Legalaid__GetAssignment g = LEGALAID__GET_ASSIGNMENT__INIT;
    g.case_id = (char *)case_id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_ASSIGNMENT;
    req.get_assignment = &g;
    return test_call_new(d, &req);
}

Legalaid__Reply *dk_answer(daemon_t *d, const char *case_id, const char *lawyer_id, int accept,
                           Legalaid__DeclineCode code, const char *reason)
{
    Legalaid__AnswerOffer a = LEGALAID__ANSWER_OFFER__INIT;
    a.case_id = (char *)case_id;
    a.lawyer_id = (char *)lawyer_id;
    a.has_accept = 1;
    a.accept = accept;
    if (code) {
        a.has_code = 1;
        a.code = code;
    }
    a.reason = (char *)reason;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_ANSWER_OFFER;
    req.answer_offer = &a;
    return test_call_new(d, &req);
}

Legalaid__Reply *dk_advance(daemon_t *d, const char *case_id, Legalaid__AssignmentState to)
{
    static char *docs[] = {"起诉状", "判决书", "结案报告"};
    Legalaid__AdvanceCase a = LEGALAID__ADVANCE_CASE__INIT;
    a.case_id = (char *)case_id;
    a.has_to = 1;
    a.to = to;
    a.by = "王律师";
    if (to == LEGALAID__ASSIGNMENT_STATE__CONCLUDED) {
        a.result = "判决支持全部诉讼请求";
        a.has_amount_recovered_fen = 1;
        a.amount_recovered_fen = 1250000;
    }
    if (to == LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED) {
        a.documents = docs;
        a.n_documents = 3;
    }
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_ADVANCE_CASE;
    req.advance_case = &a;
    return test_call_new(d, &req);
}

Legalaid__Reply *dk_lawyers(daemon_t *d, const char *id)
{
    Legalaid__LawyersQuery q = LEGALAID__LAWYERS_QUERY__INIT;
    q.id = (char *)id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_LAWYERS;
    req.lawyers = &q;
    return test_call_new(d, &req);
}

Legalaid__Reply *dk_assign_manually(daemon_t *d, const char *case_id, const char *lawyer)
{
    Legalaid__AssignManually m = LEGALAID__ASSIGN_MANUALLY__INIT;
    m.case_id = (char *)case_id;
    m.lawyer_id = (char *)lawyer;
    m.staff = "赵主任";
    m.reason = "申请人指名要求";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_ASSIGN_MANUALLY;
    req.assign_manually = &m;
    return test_call_new(d, &req);
}

Legalaid__Reply *dk_release(daemon_t *d, const char *case_id, Legalaid__ReleaseKind kind,
                            const char *evidence)
{
    Legalaid__ReleaseLawyer rl = LEGALAID__RELEASE_LAWYER__INIT;
    rl.case_id = (char *)case_id;
    rl.has_kind = 1;
    rl.kind = kind;
    rl.reason = "受援人反映律师两个月未联系";
    rl.evidence = (char *)evidence;
    rl.by = "赵主任";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_RELEASE_LAWYER;
    req.release_lawyer = &rl;
    return test_call_new(d, &req);
}

Legalaid__Reply *dk_terminate(daemon_t *d, const char *case_id, int reason, const char *detail)
{
    Legalaid__TerminateAid ta = LEGALAID__TERMINATE_AID__INIT;
    ta.case_id = (char *)case_id;
    if (reason) {
        ta.has_reason = 1;
        ta.reason = reason;
    }
    ta.detail = (char *)detail;
    ta.by = "赵主任";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_TERMINATE_AID;
    req.terminate_aid = &ta;
    return test_call_new(d, &req);
}

Legalaid__AssignmentState dk_state(daemon_t *d, const char *case_id, char *lawyer, size_t size)
{
    Legalaid__Reply *r = dk_get(d, case_id);
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__Assignment *a = r->assignment;
    Legalaid__AssignmentState s = a->state;
    const char *id = a->state == LEGALAID__ASSIGNMENT_STATE__OFFERED && a->offer && a->offer->lawyer
                         ? a->offer->lawyer->id
                     : a->lawyer ? a->lawyer->id
                                 : "";
    if (lawyer) snprintf(lawyer, size, "%s", id);
    legalaid__reply__free_unpacked(r, NULL);
    return s;
}

void dk_accept(daemon_t *d, const char *case_id, char *out, size_t size)
{
    char lawyer[64];
    assert_int_equal(dk_state(d, case_id, lawyer, sizeof lawyer),
                     LEGALAID__ASSIGNMENT_STATE__OFFERED);
    Legalaid__Reply *r = dk_answer(d, case_id, lawyer, 1, 0, NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__ASSIGNED);
    legalaid__reply__free_unpacked(r, NULL);
    if (out) snprintf(out, size, "%s", lawyer);
}

Legalaid__Batch *dk_events(daemon_t *d, uint64_t after, int kind)
{
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(d, after, &b), 0);
    if (!kind) return b;
    size_t w = 0;
    for (size_t i = 0; i < b->n_events; i++) {
        if ((int)b->events[i]->body_case == kind)
            b->events[w++] = b->events[i];
        else
            legalaid__event__free_unpacked(b->events[i], NULL);
    }
    b->n_events = w;
    return b;
}

uint64_t dk_head(daemon_t *d)
{
    Legalaid__Batch *b = dk_events(d, 0, 0);
    uint64_t h = b->n_events ? b->events[b->n_events - 1]->seq : 0;
    legalaid__batch__free_unpacked(b, NULL);
    return h;
}

int dk_met(const Legalaid__Event *ev, const char *key)
{
    for (size_t i = 0; i < ev->n_deadlines_met; i++)
        if (strcmp(ev->deadlines_met[i], key) == 0) return 1;
    return 0;
}

const Legalaid__Deadline *dk_deadline(const Legalaid__Event *ev, const char *key)
{
    for (size_t i = 0; i < ev->n_deadlines; i++)
        if (ev->deadlines[i]->key && strcmp(ev->deadlines[i]->key, key) == 0)
            return ev->deadlines[i];
    return NULL;
}
