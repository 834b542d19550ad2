/*
 * test-decisiontext.c - eligibility's explanations stored as codes and
 * params, worded when shown (common/decisiontext.c): the stored record
 * and the published event hold no sentence, the record is small enough
 * for an LMDB leaf page, it reads the same in the reply and the event
 * worded, in Chinese and in English, and a record from before the codes
 * still shows its words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "decisiontext.h"
#include "decisiontext_table.h"
#include "eligibility.h"
#include "eligibilitykit.h"
#include "i18n.h"
#include "store.h"
#include "testutil.h"

/* An LMDB leaf page of 4 KB holds two records up to about this size; a
 * larger one goes to an overflow page of its own. */
#define LEAF_RECORD_MAX 2000

/* The decision of case_id as the "decisions" table holds it (free it). */
static Legalaid__Decision *stored(ek_fixture_t *f, const char *case_id, size_t *packed)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(daemon_env(f->td.d), NULL, MDB_RDONLY, &txn), 0);
    MDB_dbi dbi;
    assert_int_equal(mdb_dbi_open(txn, "decisions", 0, &dbi), 0);
    Legalaid__Decision *d = NULL;
    assert_int_equal(store_get_pb(txn, dbi, case_id, strlen(case_id),
                                  &legalaid__decision__descriptor, NULL, (ProtobufCMessage **)&d),
                     0);
    mdb_txn_abort(txn);
    *packed = legalaid__decision__get_packed_size(d);
    return d;
}

/* A labour arbitration granted on the commitment letter, the roll
 * unavailable: the typical grant of aid. */
static void feed_labour_grant(ek_fixture_t *f, const char *case_id)
{
    test_received_t p;
    test_received_init(&p, case_id, "15020319800101022");
    eligibility_config.income_standards = "2022-01-01:1000,2025-07-01:1170.00";
    p.app.has_household_income_fen = 1;
    p.app.household_income_fen = 95000;
    ek_commit_letter(&p);
    ek_feed(f, &p);
}

static void test_stored_as_codes_shown_as_words(void **state)
{
    ek_fixture_t *f = *state;
    feed_labour_grant(f, "BT-2026-000801");
    /* Published: codes and params, no sentence (each consumer would seal,
     * send, open and decode them for nothing). */
    f->read = 0;
    Legalaid__Batch *raw = ek_published_codes(f);
    const Legalaid__Decision *pub = NULL;
    for (size_t i = 0; i < raw->n_events; i++)
        if (raw->events[i]->body_case == LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED)
            pub = raw->events[i]->eligibility_decided->decision;
    assert_non_null(pub);
    assert_null(pub->reason);
    assert_non_null(pub->reason_code);
    for (size_t i = 0; i < pub->n_tests; i++) assert_null(pub->tests[i]->detail);
    legalaid__batch__free_unpacked(raw, NULL);
    f->read = 0;
    Legalaid__Batch *b = ek_published(f);
    const Legalaid__Decision *ev = NULL;
    for (size_t i = 0; i < b->n_events; i++)
        if (b->events[i]->eligibility_decided) ev = b->events[i]->eligibility_decided->decision;
    assert_non_null(ev);
    assert_int_equal(ev->outcome, LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);

    /* Stored: codes and params, no sentence. */
    size_t packed;
    Legalaid__Decision *s = stored(f, "BT-2026-000801", &packed);
    assert_null(s->reason);
    assert_non_null(s->reason_code);
    assert_int_equal(s->n_tests, ev->n_tests);
    for (size_t i = 0; i < s->n_tests; i++) {
        assert_non_null(s->tests[i]->code);
        assert_null(s->tests[i]->detail);
    }
    /* The record as it was kept before the codes: the same sentences. */
    arena_t arena;
    arena_init(&arena);
    Legalaid__Decision *old = decisiontext_compact(&arena, ev);
    old->reason = ev->reason;
    old->reason_code = NULL;
    old->n_reason_params = 0;
    for (size_t i = 0; i < old->n_tests; i++) {
        old->tests[i]->detail = ev->tests[i]->detail;
        old->tests[i]->code = NULL;
        old->tests[i]->n_params = 0;
    }
    size_t before = legalaid__decision__get_packed_size(old);
    print_message("stored decision: %zu bytes as sentences, %zu as codes\n", before, packed);
    assert_true(packed < LEAF_RECORD_MAX);
    assert_true(packed + 500 < before);

    /* Worded again, the stored record reads as the event and the reply,
     * and as the case's events show it to a person (CaseEventsQuery). */
    Legalaid__Decision *kept = s;
    s = decisiontext_compact(&arena, kept);
    decisiontext_fill(&arena, s);
    Legalaid__Reply *r = ek_decision(f, "BT-2026-000801");
    assert_string_equal(s->reason, ev->reason);
    assert_string_equal(r->decision->reason, ev->reason);
    Legalaid__CaseEventsQuery q = LEGALAID__CASE_EVENTS_QUERY__INIT;
    q.case_id = "BT-2026-000801";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_CASE_EVENTS;
    req.case_events = &q;
    Legalaid__Reply *shown = test_call(f->td.d, &req);
    assert_int_equal(shown->body_case, LEGALAID__REPLY__BODY_CASE_EVENTS);
    size_t worded = 0;
    for (size_t i = 0; i < shown->case_events->n_events; i++) {
        const Legalaid__Event *e = shown->case_events->events[i];
        if (e->body_case != LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED) continue;
        assert_string_equal(e->eligibility_decided->decision->reason, ev->reason);
        worded++;
    }
    assert_int_equal(worded, 1);
    legalaid__reply__free_unpacked(shown, NULL);
    for (size_t i = 0; i < s->n_tests; i++) {
        assert_string_equal(s->tests[i]->detail, ev->tests[i]->detail);
        assert_string_equal(r->decision->tests[i]->detail, ev->tests[i]->detail);
    }
    assert_non_null(strstr(s->reason, "告知承诺书"));
    assert_non_null(strstr(ek_find_test(s, "scope")->detail, "《法律援助法》第31条第5项"));
    assert_non_null(strstr(ek_find_test(s, "means")->detail, "950.00元"));

    /* The same codes in English. */
    i18n_init("en");
    decisiontext_fill(&arena, s);
    assert_non_null(strstr(s->reason, "signed the commitment letter"));
    assert_non_null(
        strstr(ek_find_test(s, "scope")->detail, "labour arbitration within art. 31(5)"));
    assert_non_null(strstr(ek_find_test(s, "means")->detail, "declaring 950.00 yuan per head"));
    i18n_init("zh_CN");

    legalaid__reply__free_unpacked(r, NULL);
    legalaid__decision__free_unpacked(kept, NULL);
    legalaid__batch__free_unpacked(b, NULL);
    arena_destroy(&arena);
}

/* A decision stored before the codes: its words, as they were. */
static void test_old_record_shows_its_words(void **state)
{
    ek_fixture_t *f = *state;
    Legalaid__DecisionTest t = LEGALAID__DECISION_TEST__INIT, *tp = &t;
    t.name = "scope";
    t.passed = 1;
    t.has_passed = 1;
    t.detail = "劳动仲裁，属于《法律援助法》第31条第5项（旧记录）";
    Legalaid__Decision d = LEGALAID__DECISION__INIT;
    d.case_id = "BT-2025-000009";
    d.outcome = LEGALAID__OUTCOME__APPROVED;
    d.has_outcome = 1;
    d.reason = "给予法律援助（旧记录的原话）";
    d.n_tests = 1;
    d.tests = &tp;
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(daemon_env(f->td.d), NULL, 0, &txn), 0);
    MDB_dbi dbi;
    assert_int_equal(mdb_dbi_open(txn, "decisions", 0, &dbi), 0);
    assert_int_equal(store_put_pb(txn, dbi, d.case_id, strlen(d.case_id), &d.base, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);

    Legalaid__Reply *r = ek_decision(f, "BT-2025-000009");
    assert_string_equal(r->decision->reason, d.reason);
    assert_null(r->decision->reason_code);
    assert_string_equal(r->decision->tests[0]->detail, t.detail);
    legalaid__reply__free_unpacked(r, NULL);
}

/* A notice in Chinese names the deadline, then the authority told (the
 * Chinese words reorder the params: %7$s before %6$s). */
static void test_notice_reads_in_order(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000802", "15020320100101013");
    test_received_notice(&p, LEGALAID__MANDATORY_GROUND__MINOR, LEGALAID__AUTHORITY_KIND__COURT,
                         "包头市昆都仑区人民法院");
    ek_feed(f, &p);
    assert_int_equal(ek_published_outcome(f), LEGALAID__OUTCOME__APPROVED);
    Legalaid__Reply *r = ek_decision(f, "BT-2026-000802");
    assert_non_null(strstr(r->decision->reason, "人民法院 包头市昆都仑区人民法院通知"));
    assert_non_null(strstr(r->decision->reason, "并须于 2026-03-05 24:00 前将律师告知人民法院"));
    legalaid__reply__free_unpacked(r, NULL);
}

/* The params read in order, a code standing for itself worded with those
 * after it; a literal '@' kept; a code of a later version shown as such. */
static void test_params_nest(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a);
    i18n_init("en");
    decisiontext_t yuan = decisiontext_make(&a, "money.yuan", "12", "05", NULL);
    decisiontext_t x = decisiontext_make(&a, "reason.above", DECISIONTEXT_NEST, &yuan,
                                         DECISIONTEXT_NEST, &yuan, NULL);
    assert_string_equal(decisiontext_render(&a, x.code, x.params, x.n),
                        "aid is refused: the applicant is not in economic hardship, the declared "
                        "household income of 12.05 yuan per head per month being above the "
                        "standard of 12.05 yuan (art. 34)");
    decisiontext_t lit = decisiontext_make(&a, "text", decisiontext_lit(&a, "@home"), NULL);
    assert_string_equal(decisiontext_render(&a, lit.code, lit.params, lit.n), "@home");
    char *later[] = {"7", "x"};
    assert_string_equal(decisiontext_render(&a, "scope.later", later, 2), "scope.later 7 x");
    i18n_init("zh_CN");
    assert_string_equal(decisiontext_render(&a, "money.yuan", later, 2), "7.x元");
    i18n_init("en");
    arena_destroy(&a);
}

/* Every code of the table is found (the lookup searches rows sorted by
 * code), and a code one character longer than any of them is not. */
static void test_every_code_found(void **state)
{
    (void)state;
    size_t n = 0;
    for (const char *code; (code = decisiontext_table_code(n)) != NULL; n++) {
        assert_non_null(decisiontext_table_format(code));
        for (size_t j = 0; j < n; j++) /* a code is in the table once */
            assert_string_not_equal(decisiontext_table_code(j), code);
        char near[160];
        snprintf(near, sizeof near, "%s~", code);
        assert_null(decisiontext_table_format(near));
    }
    assert_true(n > 100);
    assert_null(decisiontext_table_format(""));
    assert_null(decisiontext_table_format("zzz.unknown"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stored_as_codes_shown_as_words, ek_setup_zh,
                                        ek_teardown_zh),
        cmocka_unit_test_setup_teardown(test_old_record_shows_its_words, ek_setup_zh,
                                        ek_teardown_zh),
        cmocka_unit_test_setup_teardown(test_notice_reads_in_order, ek_setup_zh, ek_teardown_zh),
        cmocka_unit_test(test_params_nest),
        cmocka_unit_test(test_every_code_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
