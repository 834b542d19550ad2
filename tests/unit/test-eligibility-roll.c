/*
 * test-eligibility-roll.c - the civil-affairs assistance roll
 * (eligibility_roll.c; DOMAIN R-ECON-08) through real turns: an import
 * with bad rows (check digit, status, length) and its export time; yes,
 * no and unavailable reaching the decision: listed, not listed, a lapsed
 * status, a newer export replacing the roll, an older one refused, a stale
 * roll (roll_max_age_days) opening the commitment route (art. 41).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "eligibility_calendar.h"
#include "eligibilitykit.h"
#include "testutil.h"

/* Beijing time (UTC+8). */
#define T_0302_1000 1772416800000LL /* 2026-03-02 10:00: receipt */

static void test_roll_import_bad_rows(void **state)
{
    ek_fixture_t *f = *state;
    char good1[19], good2[19], wrong[19];
    test_id_number("15020319500101001", good1);
    test_id_number("15020319600202002", good2);
    test_id_number("15020319700303003", wrong);
    wrong[17] = wrong[17] == '9' ? '0' : wrong[17] == 'X' ? '1' : (char)(wrong[17] + 1);
    Legalaid__RollEntry e[5];
    Legalaid__RollEntry *list[5];
    for (int i = 0; i < 5; i++) {
        legalaid__roll_entry__init(&e[i]);
        e[i].has_status = 1;
        e[i].status = LEGALAID__ROLL_STATUS__TEKUN;
        list[i] = &e[i];
    }
    e[0].id_number = good1;
    e[1].id_number = wrong; /* a mistyped check digit */
    e[2].id_number = good2;
    e[2].has_status = 0;                  /* no status */
    e[3].id_number = "15020319701301003"; /* 17 characters */
    e[4].id_number = good2;
    e[4].status = LEGALAID__ROLL_STATUS__LOW_INCOME;

    /* The export time is required: it decides whether the roll is current. */
    Legalaid__Reply *r = ek_import_roll(f, list, 5, 0);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "import_assistance_roll.exported_at");
    legalaid__reply__free_unpacked(r, NULL);

    r = ek_import_roll(f, list, 5, T_0302_1000 - MS_PER_DAY);
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__ImportResult *res = r->import_result;
    assert_int_equal(res->accepted, 2);
    assert_int_equal(res->n_rejected, 3);
    assert_string_equal(res->rejected[0]->field, "entries[1].id_number");
    assert_non_null(strstr(res->rejected[0]->message, "check digit"));
    assert_string_equal(res->rejected[1]->field, "entries[2].status");
    assert_string_equal(res->rejected[2]->field, "entries[3].id_number");
    assert_non_null(strstr(res->rejected[2]->message, "18 characters"));
    legalaid__reply__free_unpacked(r, NULL);

    Legalaid__Batch *b = ek_published(f);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_ASSISTANCE_ROLL_IMPORTED);
    assert_int_equal(b->events[0]->assistance_roll_imported->count, 2);
    assert_int_equal(b->events[0]->assistance_roll_imported->roll_size, 2);
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(test_counter(f->td.d, "roll_size"), 2);
}

static void test_roll_answers_reach_the_decision(void **state)
{
    ek_fixture_t *f = *state;
    /* No roll ever imported: unavailable, which does not block. */
    test_received_t p;
    test_received_init(&p, "BT-2026-000101", "15020319800101011");
    ek_feed(f, &p);
    Legalaid__Reply *r = ek_decision(f, "BT-2026-000101");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE);
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__NEEDS_MATERIALS);
    legalaid__reply__free_unpacked(r, NULL);

    /* On the roll: verified hardship, aid granted. */
    test_received_t q;
    test_received_init(&q, "BT-2026-000102", "15020319800101022");
    ek_roll_one(f, q.id, 0, T_0302_1000 - 2 * MS_PER_DAY);
    ek_feed(f, &q);
    r = ek_decision(f, "BT-2026-000102");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_YES);
    assert_int_equal(r->decision->roll_status, LEGALAID__ROLL_STATUS__DIBAO);
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    legalaid__reply__free_unpacked(r, NULL);

    /* Not on the current roll: no. */
    test_received_t n;
    test_received_init(&n, "BT-2026-000103", "15020319800101033");
    ek_feed(f, &n);
    r = ek_decision(f, "BT-2026-000103");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_NO);
    legalaid__reply__free_unpacked(r, NULL);

    /* Listed, but the status lapsed yesterday: no. */
    test_received_t l;
    test_received_init(&l, "BT-2026-000104", "15020319800101044");
    ek_roll_one(f, l.id, clock_now_ms() - MS_PER_DAY, T_0302_1000 - MS_PER_DAY);
    ek_feed(f, &l);
    r = ek_decision(f, "BT-2026-000104");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_NO);
    legalaid__reply__free_unpacked(r, NULL);

    /* That newer export replaced the roll: the person it no longer lists
     * is not on it any more. An older export than the one in use is
     * refused whole. */
    test_received_t gone;
    test_received_init(&gone, "BT-2026-000106", "15020319800101022");
    ek_feed(f, &gone);
    r = ek_decision(f, "BT-2026-000106");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_NO);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "roll_size"), 1);
    Legalaid__RollEntry e = LEGALAID__ROLL_ENTRY__INIT;
    e.id_number = q.id;
    e.has_status = 1;
    e.status = LEGALAID__ROLL_STATUS__TEKUN;
    Legalaid__RollEntry *old[1] = {&e};
    r = ek_import_roll(f, old, 1, T_0302_1000 - 3 * MS_PER_DAY);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "import_assistance_roll.exported_at");
    legalaid__reply__free_unpacked(r, NULL);

    /* 46 days later the export (a day old when imported) is older than
     * roll_max_age_days (45): unavailable, even for a listed person. */
    clock_set_ms(T_0302_1000 + 46 * MS_PER_DAY);
    test_received_t s;
    test_received_init(&s, "BT-2026-000105", "15020319800101022");
    ek_commit_letter(&s);
    ek_feed(f, &s);
    r = ek_decision(f, "BT-2026-000105");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE);
    /* ... and the commitment route is open instead. */
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__COMMITMENT);
    legalaid__reply__free_unpacked(r, NULL);
}

/* roll_max_age_days at its edge: an export exactly 45 days old still
 * answers; a millisecond older, it does not (and a listed person's letter
 * takes the commitment route instead). */
static void test_roll_age_edge(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t a, b;
    test_received_init(&a, "BT-2026-000111", "15020319800101055");
    test_received_init(&b, "BT-2026-000112", "15020319800101066");
    Legalaid__RollEntry ea = LEGALAID__ROLL_ENTRY__INIT, eb = LEGALAID__ROLL_ENTRY__INIT;
    ea.id_number = a.id;
    eb.id_number = b.id;
    ea.has_status = eb.has_status = 1;
    ea.status = eb.status = LEGALAID__ROLL_STATUS__DIBAO;
    Legalaid__RollEntry *both[2] = {&ea, &eb};
    int64_t exported = T_0302_1000;
    Legalaid__Reply *r = ek_import_roll(f, both, 2, exported);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);

    clock_set_ms(exported + 45 * MS_PER_DAY);
    ek_feed(f, &a);
    r = ek_decision(f, "BT-2026-000111");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_YES);
    legalaid__reply__free_unpacked(r, NULL);

    clock_set_ms(exported + 45 * MS_PER_DAY + 1);
    ek_feed(f, &b);
    r = ek_decision(f, "BT-2026-000112");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE);
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roll_import_bad_rows, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_roll_age_edge, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_roll_answers_reach_the_decision, ek_setup,
                                        ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
