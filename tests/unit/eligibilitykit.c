/*
 * eligibilitykit.c - see eligibilitykit.h.
 */
#include "eligibilitykit.h"

#include <string.h>

#include "decisiontext.h"
#include "eligibility.h"
#include "i18n.h"

static eligibility_config_t ek_saved;

int ek_setup(void **state)
{
    int rc = test_fixture_setup(state, sizeof(ek_fixture_t), &eligibility_service, EK_T0);
    ek_saved = eligibility_config;
    return rc;
}

int ek_teardown(void **state)
{
    eligibility_config = ek_saved;
    return test_fixture_teardown(state);
}

int ek_setup_zh(void **state)
{
    assert_int_equal(i18n_init("zh_CN"), 0);
    return ek_setup(state);
}

int ek_teardown_zh(void **state)
{
    i18n_init("en");
    return ek_teardown(state);
}

void ek_restart(ek_fixture_t *f, void (*between)(const char *dir, void *arg), void *arg)
{
    eligibility_config = ek_saved;
    daemon_close_test(&f->td.d);
    if (between) between(f->td.dir, arg);
    f->td.d = daemon_open_test(&eligibility_service, f->td.dir);
    assert_non_null(f->td.d);
    ek_saved = eligibility_config;
}

/* ---- intake's events ---------------------------------------------------- */

void ek_feed(ek_fixture_t *f, test_received_t *p)
{
    test_feed(f->td.d, "intake", &f->seq, &p->ev);
}

void ek_commit_letter(test_received_t *p)
{
    p->app.has_commitment_signed = 1;
    p->app.commitment_signed = 1;
}

void ek_feed_supplied_facts(ek_fixture_t *f, const char *case_id, const char *material,
                            int commitment, int64_t income_fen)
{
    Legalaid__MaterialsSupplemented m = LEGALAID__MATERIALS_SUPPLEMENTED__INIT;
    char *list[1] = {(char *)material};
    m.case_id = (char *)case_id;
    m.materials = list;
    m.n_materials = 1;
    m.has_commitment_signed = commitment >= 0;
    m.commitment_signed = commitment > 0;
    m.has_household_income_fen = income_fen >= 0;
    m.household_income_fen = income_fen >= 0 ? income_fen : 0;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED;
    ev.materials_supplemented = &m;
    test_feed(f->td.d, "intake", &f->seq, &ev);
}

void ek_feed_supplied(ek_fixture_t *f, const char *case_id, const char *material)
{
    ek_feed_supplied_facts(f, case_id, material, -1, -1);
}

void ek_feed_withdrawn(ek_fixture_t *f, const char *case_id, const char *reason)
{
    Legalaid__ApplicationWithdrawn w = LEGALAID__APPLICATION_WITHDRAWN__INIT;
    w.case_id = (char *)case_id;
    w.reason = (char *)reason;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_APPLICATION_WITHDRAWN;
    ev.application_withdrawn = &w;
    test_feed(f->td.d, "intake", &f->seq, &ev);
}

/* ---- eligibility's stream and its decisions ----------------------------- */

/* Words a published decision as a reader's query does (the event holds
 * codes): the words malloc'd, for the batch's free. */
static void ek_word(Legalaid__Decision *d)
{
    arena_t a;
    arena_init(&a);
    decisiontext_fill(&a, d);
    if (d->reason_code && d->reason) d->reason = strdup(d->reason);
    for (size_t i = 0; i < d->n_tests; i++)
        if (d->tests[i]->code && d->tests[i]->detail)
            d->tests[i]->detail = strdup(d->tests[i]->detail);
    arena_destroy(&a);
}

Legalaid__Batch *ek_published_codes(ek_fixture_t *f)
{
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(f->td.d, f->read, &b), 0);
    if (b->n_events) f->read = b->events[b->n_events - 1]->seq;
    return b;
}

Legalaid__Batch *ek_published(ek_fixture_t *f)
{
    Legalaid__Batch *b = ek_published_codes(f);
    for (size_t i = 0; i < b->n_events; i++)
        if (b->events[i]->body_case == LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED &&
            b->events[i]->eligibility_decided->decision)
            ek_word(b->events[i]->eligibility_decided->decision);
    return b;
}

void ek_assert_nothing_published(ek_fixture_t *f)
{
    Legalaid__Batch *b = ek_published(f);
    assert_int_equal(b->n_events, 0);
    legalaid__batch__free_unpacked(b, NULL);
}

Legalaid__Outcome ek_published_outcome(ek_fixture_t *f)
{
    Legalaid__Batch *b = ek_published(f);
    int found = 0;
    Legalaid__Outcome out = LEGALAID__OUTCOME__OUTCOME_UNSPECIFIED;
    for (size_t i = 0; i < b->n_events; i++)
        if (b->events[i]->body_case == LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED) {
            found++;
            out = b->events[i]->eligibility_decided->decision->outcome;
        }
    assert_int_equal(found, 1);
    legalaid__batch__free_unpacked(b, NULL);
    return out;
}

Legalaid__Reply *ek_get_decision(ek_fixture_t *f, const char *case_id)
{
    Legalaid__GetDecision g = LEGALAID__GET_DECISION__INIT;
    g.case_id = (char *)case_id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_DECISION;
    req.get_decision = &g;
    return test_call(f->td.d, &req); /* a query: no request_id needed */
}

Legalaid__Reply *ek_decision(ek_fixture_t *f, const char *case_id)
{
    Legalaid__Reply *r = ek_get_decision(f, case_id);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_DECISION);
    return r;
}

const Legalaid__DecisionTest *ek_find_test(const Legalaid__Decision *d, const char *name)
{
    for (size_t i = 0; i < d->n_tests; i++)
        if (!strcmp(d->tests[i]->name, name)) return d->tests[i];
    return NULL;
}

/* ---- requests ----------------------------------------------------------- */

Legalaid__Reply *ek_import_roll(ek_fixture_t *f, Legalaid__RollEntry **entries, size_t n,
                                int64_t exported_at)
{
    Legalaid__ImportAssistanceRoll in = LEGALAID__IMPORT_ASSISTANCE_ROLL__INIT;
    in.entries = entries;
    in.n_entries = n;
    in.has_exported_at = exported_at != 0;
    in.exported_at = exported_at;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_ASSISTANCE_ROLL;
    req.import_assistance_roll = &in;
    return test_call_new(f->td.d, &req);
}

void ek_roll_one(ek_fixture_t *f, const char *id, int64_t valid_until, int64_t exported_at)
{
    Legalaid__RollEntry e = LEGALAID__ROLL_ENTRY__INIT;
    e.id_number = (char *)id;
    e.has_status = 1;
    e.status = LEGALAID__ROLL_STATUS__DIBAO;
    e.has_valid_until = valid_until != 0;
    e.valid_until = valid_until;
    Legalaid__RollEntry *list[1] = {&e};
    Legalaid__Reply *r = ek_import_roll(f, list, 1, exported_at);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
}

Legalaid__Reply *ek_verify(ek_fixture_t *f, const char *case_id, int truthful, const char *finding)
{
    Legalaid__VerifyCommitment v = LEGALAID__VERIFY_COMMITMENT__INIT;
    v.case_id = (char *)case_id;
    v.has_truthful = 1;
    v.truthful = truthful;
    v.finding = (char *)finding;
    v.verifier = "民政核对";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_VERIFY_COMMITMENT;
    req.verify_commitment = &v;
    return test_call_new(f->td.d, &req);
}

Legalaid__Reply *ek_file_objection(ek_fixture_t *f, const char *case_id, const char *reason)
{
    Legalaid__FileObjection o = LEGALAID__FILE_OBJECTION__INIT;
    o.case_id = (char *)case_id;
    o.reason = (char *)reason;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_FILE_OBJECTION;
    req.file_objection = &o;
    return test_call_new(f->td.d, &req);
}

Legalaid__Reply *ek_decide_objection(ek_fixture_t *f, const char *case_id, int correct,
                                     const char *officer, const char *reasoning)
{
    Legalaid__DecideObjection o = LEGALAID__DECIDE_OBJECTION__INIT;
    o.case_id = (char *)case_id;
    o.has_correct = 1;
    o.correct = correct;
    o.officer = (char *)officer;
    o.reasoning = (char *)(reasoning ? reasoning : "收入证明把家庭总收入当作人均收入");
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DECIDE_OBJECTION;
    req.decide_objection = &o;
    return test_call_new(f->td.d, &req);
}

Legalaid__Reply *ek_get_objection(ek_fixture_t *f, const char *case_id)
{
    Legalaid__GetObjection g = LEGALAID__GET_OBJECTION__INIT;
    g.case_id = (char *)case_id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_OBJECTION;
    req.get_objection = &g;
    return test_call(f->td.d, &req);
}
