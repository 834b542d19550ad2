/*
 * test-eligibility-deadlines.c - the deadlines eligibility puts on its own
 * events for notify's timers (eligibility_deadline.c; issue 17, item 1),
 * through real turns, with due times counted on the calendar (periods end
 * at 24:00 of their last day, moved past a weekend: R-TIME-00):
 * the 3-day appointment after a grant (art. 43(1)) and after a police
 * notice (art. 36, the police told of a breach), the materials period
 * (art. 43(2), reminder only) and the 7-day decision while the clock runs,
 * met by the next decision; the check of a commitment letter (art. 41),
 * met by the verification; the objection's 5 days (art. 49), met by the
 * decision on it; the appointment met by a termination. Keys are the ones
 * dispatch meets ("assignment").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatchkit.h"
#include "eligibility.h"
#include "eligibilitykit.h"
#include "testutil.h"

#define LAW "Legal Aid Law "
#define DAY MS_PER_DAY
#define END0 1772467200000LL    /* 2026-03-02 (Monday) 24:00 Beijing time */
#define END(n) (END0 + (n)*DAY) /* 24:00 of the n-th day after 2026-03-02 */
#define WED (EK_T0 + 2 * DAY)   /* 2026-03-04 10:00, a Wednesday */

/* The one EligibilityDecided (or kind) published since the last read: a
 * copy to free with legalaid__event__free_unpacked. */
static Legalaid__Event *published(ek_fixture_t *f, int kind)
{
    Legalaid__Batch *b = ek_published(f);
    Legalaid__Event *found = NULL;
    for (size_t i = 0; i < b->n_events; i++)
        if ((int)b->events[i]->body_case == kind) {
            if (found) fail_msg("two events of kind %d", kind);
            size_t n = legalaid__event__get_packed_size(b->events[i]);
            uint8_t *buf = malloc(n);
            legalaid__event__pack(b->events[i], buf);
            found = legalaid__event__unpack(NULL, n, buf);
            free(buf);
        }
    legalaid__batch__free_unpacked(b, NULL);
    if (!found) fail_msg("no event of kind %d published", kind);
    return found;
}

static Legalaid__Event *decided(ek_fixture_t *f)
{
    return published(f, LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED);
}

static const Legalaid__Deadline *deadline(const Legalaid__Event *ev, const char *key,
                                          int64_t due_at, Legalaid__Party owner,
                                          const char *article)
{
    const Legalaid__Deadline *dl = dk_deadline(ev, key);
    if (!dl) fail_msg("event %s sets no \"%s\" deadline", ev->event_id, key);
    if (dl->due_at != due_at)
        fail_msg("\"%s\" due %lld, want %lld (%+lld h)", key, (long long)dl->due_at,
                 (long long)due_at, (long long)((dl->due_at - due_at) / MS_PER_HOUR));
    assert_int_equal(dl->owner, owner);
    assert_string_equal(dl->article, article);
    assert_non_null(dl->what);
    assert_true(strlen(dl->what) > 6);
    return dl;
}

/* A wage claim of a migrant worker (art. 31(5), hardship presumed, art.
 * 42(3)), received at received_at. */
static void wages(test_received_t *p, const char *case_id, const char *id17, int64_t received_at)
{
    test_received_init(p, case_id, id17);
    p->app.received_at = received_at;
    p->app.has_hardship_proof = 1;
    p->app.hardship_proof = LEGALAID__HARDSHIP_PROOF__MIGRANT_WAGES_OR_INJURY;
}

/* A grant on Wednesday (not on the same-day track): a lawyer by the third
 * day, a Saturday, so by Monday 24:00; the staff owe it (art. 43(1)); nobody else is told. A
 * termination meets it; the same grant published again does not set it
 * again (dispatch may have met it). */
static void test_grant_sets_the_appointment(void **state)
{
    ek_fixture_t *f = *state;
    eligibility_config.same_day_categories = ""; /* the 3 days, not the same day */
    clock_set_ms(WED);
    test_received_t p;
    wages(&p, "BT-2026-000801", "15020319800101011", WED);
    ek_feed(f, &p);
    Legalaid__Event *ev = decided(f);
    assert_int_equal(ev->eligibility_decided->decision->outcome, LEGALAID__OUTCOME__APPROVED);
    const Legalaid__Deadline *dl =
        deadline(ev, "assignment", END(7), LEGALAID__PARTY__STAFF, LAW "art. 43(1)");
    assert_int_equal(dl->n_inform, 0);
    assert_false(dl->reminder_only);
    assert_int_equal(ev->n_deadlines, 1);
    assert_int_equal(ev->n_deadlines_met, 0);
    assert_int_equal(dl->due_at, ev->eligibility_decided->decision->assign_due_at);
    legalaid__event__free_unpacked(ev, NULL);

    ek_feed_withdrawn(f, "BT-2026-000801", "已和解");
    ev = decided(f);
    assert_int_equal(ev->eligibility_decided->decision->outcome, LEGALAID__OUTCOME__WITHDRAWN);
    assert_true(dk_met(ev, "assignment"));
    assert_int_equal(ev->n_deadlines, 0);
    legalaid__event__free_unpacked(ev, NULL);
}

/* The police notify on a Wednesday (art. 25(1)(4)): a lawyer within 3
 * days of the notice, Monday 24:00 (art. 36), and the police are to hear
 * of a breach (inform AUTHORITY). */
static void test_police_notice_sets_the_appointment(void **state)
{
    ek_fixture_t *f = *state;
    clock_set_ms(WED + MS_PER_HOUR);
    test_received_t p;
    test_received_init(&p, "BT-2026-000811", "15020319800101022");
    p.app.received_at = WED;
    test_received_notice(&p, LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH,
                         LEGALAID__AUTHORITY_KIND__POLICE, "包头市公安局昆都仑区分局");
    ek_feed(f, &p);
    Legalaid__Event *ev = decided(f);
    const Legalaid__Deadline *dl =
        deadline(ev, "assignment", END(7), LEGALAID__PARTY__STAFF, LAW "art. 36");
    assert_int_equal(dl->n_inform, 1);
    assert_int_equal(dl->inform[0], LEGALAID__PARTY__AUTHORITY);
    assert_non_null(strstr(dl->what, "通知机关"));
    legalaid__event__free_unpacked(ev, NULL);
}

/* Materials awaited: the applicant owes them by the 15th day (art. 43(2)),
 * a reminder only (the breach deems the application withdrawn, and that
 * decision tells); the decision clock stands still, so no decision
 * deadline. Supplied: both met, and the grant sets the appointment. With
 * the clock running, the 7-day decision is set for the staff (art. 43(1)). */
static void test_materials_and_the_decision(void **state)
{
    ek_fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000821", "15020319800101033");
    ek_feed(f, &p);
    Legalaid__Event *ev = decided(f);
    assert_int_equal(ev->eligibility_decided->decision->outcome,
                     LEGALAID__OUTCOME__NEEDS_MATERIALS);
    const Legalaid__Deadline *dl =
        deadline(ev, "materials", END(15), LEGALAID__PARTY__APPLICANT, LAW "art. 43(2)");
    assert_true(dl->reminder_only);
    assert_null(dk_deadline(ev, "decision"));
    assert_null(dk_deadline(ev, "assignment"));
    legalaid__event__free_unpacked(ev, NULL);

    clock_set_ms(EK_T0 + 3 * DAY);
    ek_feed_supplied_facts(f, "BT-2026-000821", "法律援助申请承诺告知书", 1, -1);
    ev = decided(f);
    assert_int_equal(ev->eligibility_decided->decision->outcome,
                     LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    assert_true(dk_met(ev, "materials"));
    assert_true(dk_met(ev, "decision"));
    /* Decided on Thursday, the same day missed: 3 days, to Sunday, so Monday. */
    deadline(ev, "assignment", END(7), LEGALAID__PARTY__STAFF, LAW "art. 43(1)");
    legalaid__event__free_unpacked(ev, NULL);

    eligibility_config.materials_pause_clock = 0;
    clock_set_ms(EK_T0);
    test_received_t q;
    test_received_init(&q, "BT-2026-000822", "15020319800101044");
    ek_feed(f, &q);
    ev = decided(f);
    deadline(ev, "materials", END(15), LEGALAID__PARTY__APPLICANT, LAW "art. 43(2)");
    dl = deadline(ev, "decision", END(7), LEGALAID__PARTY__STAFF, LAW "art. 43(1)");
    assert_false(dl->reminder_only);
    legalaid__event__free_unpacked(ev, NULL);
    /* Not supplied: deemed withdrawn at the materials deadline, which meets
     * both. */
    clock_set_ms(END(15) + 1);
    assert_int_equal(daemon_tick(f->td.d), 0);
    ev = decided(f);
    assert_int_equal(ev->eligibility_decided->decision->outcome,
                     LEGALAID__OUTCOME__DEEMED_WITHDRAWN);
    assert_true(dk_met(ev, "materials"));
    assert_true(dk_met(ev, "decision"));
    assert_int_equal(ev->n_deadlines, 0);
    legalaid__event__free_unpacked(ev, NULL);
}

/* A commitment drawn for the check afterwards: the staff verify it by the
 * 30th day (art. 41); the verification meets it and sets no second
 * appointment deadline. One not drawn has none. */
static void test_verification_of_a_commitment(void **state)
{
    ek_fixture_t *f = *state;
    eligibility_config.verification_share_percent = 100;
    test_received_t p;
    test_received_init(&p, "BT-2026-000831", "15020319800101055");
    ek_commit_letter(&p);
    ek_feed(f, &p);
    Legalaid__Event *ev = decided(f);
    deadline(ev, "verification", END(30), LEGALAID__PARTY__STAFF, LAW "art. 41");
    /* Labour arbitration on the day of application: the same-day goal. */
    deadline(ev, "assignment", END0, LEGALAID__PARTY__STAFF, LAW "art. 43(1)");
    legalaid__event__free_unpacked(ev, NULL);

    Legalaid__Reply *r = ek_verify(f, "BT-2026-000831", 1, "民政核对：收入属实");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    ev = decided(f);
    assert_int_equal(ev->eligibility_decided->decision->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_true(dk_met(ev, "verification"));
    assert_false(dk_met(ev, "assignment"));
    assert_int_equal(ev->n_deadlines, 0);
    legalaid__event__free_unpacked(ev, NULL);

    eligibility_config.verification_share_percent = 0;
    test_received_t q;
    test_received_init(&q, "BT-2026-000832", "15020319800101066");
    ek_commit_letter(&q);
    ek_feed(f, &q);
    ev = decided(f);
    assert_null(dk_deadline(ev, "verification"));
    legalaid__event__free_unpacked(ev, NULL);
}

/* A refusal objected to on Tuesday: the justice bureau decides within 5
 * days, by Sunday, so by Monday 24:00 (art. 49); the decision meets it. */
static void test_objection_days(void **state)
{
    ek_fixture_t *f = *state;
    eligibility_config.income_standards = "2022-01-01:1170";
    test_received_t p;
    test_received_init(&p, "BT-2026-000841", "15020319800101077");
    p.app.has_household_income_fen = 1;
    p.app.household_income_fen = 200000;
    ek_feed(f, &p);
    Legalaid__Event *ev = decided(f);
    assert_int_equal(ev->eligibility_decided->decision->outcome, LEGALAID__OUTCOME__REFUSED);
    assert_int_equal(ev->n_deadlines, 0);
    legalaid__event__free_unpacked(ev, NULL);

    clock_set_ms(EK_T0 + DAY);
    Legalaid__Reply *r = ek_file_objection(f, "BT-2026-000841", "收入证明有误");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    ev = published(f, LEGALAID__EVENT__BODY_OBJECTION_FILED);
    deadline(ev, "objection", END(7), LEGALAID__PARTY__STAFF, LAW "art. 49");
    legalaid__event__free_unpacked(ev, NULL);

    r = ek_decide_objection(f, "BT-2026-000841", 0, "王司法", "收入证明无误");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    ev = published(f, LEGALAID__EVENT__BODY_OBJECTION_DECIDED);
    assert_true(dk_met(ev, "objection"));
    legalaid__event__free_unpacked(ev, NULL);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_grant_sets_the_appointment, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_police_notice_sets_the_appointment, ek_setup,
                                        ek_teardown),
        cmocka_unit_test_setup_teardown(test_materials_and_the_decision, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_verification_of_a_commitment, ek_setup, ek_teardown),
        cmocka_unit_test_setup_teardown(test_objection_days, ek_setup, ek_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
