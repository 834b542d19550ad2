/*
 * test-dispatch.c - dispatch through real turns: the pool's recruitment
 * rules, offers (accept, decline with a code, lapse), the hard rules of
 * matching and their explanation, staff's manual assignment, the order of
 * work, and the deadlines of assignment. What is asserted is what staff
 * and lawyers would see: who is offered the case, why, by when, and the
 * events published. The case's life after acceptance is in
 * test-dispatch-lifecycle.c, fairness in test-dispatch-fair.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatchkit.h"
#include "testutil.h"
#include "matchrule.h"

/* Why a case waits or went to its lawyer, as the reader sees it (stored as
 * codes: common/matchrule.c). */
static const char *reason_of(const Legalaid__Assignment *a)
{
    static char text[MATCHRULE_TEXT_MAX];
    return matchrule_assignment_reason(a, text);
}

#define T_0302_1000 1772416800000LL /* 2026-03-02 10:00 Beijing time */
#define HOUR (3600LL * 1000)
#define DAY (24 * HOUR)

typedef dk_fixture_t fixture_t;
#define setup dk_setup
#define teardown dk_teardown

static void approve(fixture_t *f, dk_case_t *c)
{
    dk_feed(f->td.d, &f->seq, &c->d);
}

static void approve_civil(fixture_t *f, const char *case_id)
{
    dk_case_t c;
    dk_case_init(&c, case_id, LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    approve(f, &c);
}

static const char *offered_to(fixture_t *f, const char *case_id)
{
    static char lawyer[64];
    assert_int_equal(dk_state(f->td.d, case_id, lawyer, sizeof lawyer),
                     LEGALAID__ASSIGNMENT_STATE__OFFERED);
    return lawyer;
}

static void assert_refused(Legalaid__Reply *r, Legalaid__Code code, const char *field,
                           const char *words)
{
    test_assert_code(r, code);
    if (field) assert_string_equal(r->field, field);
    if (words && !strstr(r->error, words)) fail_msg("error \"%s\" lacks \"%s\"", r->error, words);
    legalaid__reply__free_unpacked(r, NULL);
}

/* --- the pool ---------------------------------------------------------------- */

static void test_recruitment_rules(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L-OK", "正大律师事务所");
    Legalaid__Lawyer *disc = dk_lawyer(f->pool, "L-DISC", "正大律师事务所");
    disc->has_disciplinary_record = disc->disciplinary_record = 1;
    dk_lawyer(f->pool, "L-NEW", "正大律师事务所")->licence_date = "2025-06-01";
    Legalaid__Lawyer *staff = dk_lawyer(f->pool, "S-1", "包头市法律援助中心");
    staff->kind = LEGALAID__PROVIDER_KIND__PROVIDER_STAFF;
    dk_lawyer(f->pool, "L-DATE", "正大律师事务所")->criminal_defence_since = "2016-13-01";
    Legalaid__Lawyer *vol = dk_lawyer(f->pool, "V-1", "内蒙古科技大学");
    vol->kind = LEGALAID__PROVIDER_KIND__PROVIDER_VOLUNTEER;
    vol->licence_date = NULL;
    Legalaid__Reply *r = dk_import_from(f->td.d, f->pool, 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__ImportResult *res = r->import_result;
    assert_int_equal(res->accepted, 2); /* L-OK and the volunteer */
    assert_int_equal(res->n_rejected, 4);
    assert_string_equal(res->rejected[0]->field, "lawyers[1].disciplinary_record");
    assert_non_null(strstr(res->rejected[0]->message, "disciplinary record"));
    assert_string_equal(res->rejected[1]->field, "lawyers[2].licence_date");
    assert_non_null(strstr(res->rejected[1]->message, "0 years of practice"));
    assert_string_equal(res->rejected[2]->field, "lawyers[3].qualified");
    assert_non_null(strstr(res->rejected[2]->message, "art. 13"));
    assert_string_equal(res->rejected[3]->field, "lawyers[4].criminal_defence_since");
    legalaid__reply__free_unpacked(r, NULL);
}

/* --- offers -------------------------------------------------------------------- */

static void test_offer_accept(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L-1", "正大律师事务所");
    dk_import_ok(f->td.d, f->pool);
    dk_case_t c;
    dk_case_init(&c, "BT-2026-000001", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE,
                 clock_now_ms());
    dk_case_notified(&c, "包头市昆都仑区人民法院", "(2026)内0203刑初15号");
    approve(f, &c);
    assert_string_equal(offered_to(f, "BT-2026-000001"), "L-1");

    Legalaid__Batch *b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_LAWYER_OFFERED);
    assert_int_equal(b->n_events, 1);
    Legalaid__Offer *o = b->events[0]->lawyer_offered->offer;
    assert_int_equal(o->expires_at - o->offered_at, 24 * HOUR); /* offer_hours */
    /* Stored as codes and figures, worded for the reader. */
    char why[MATCHRULE_TEXT_MAX];
    assert_null(o->explanation->why);
    assert_non_null(o->explanation->choice);
    assert_non_null(strstr(matchrule_why(o->explanation, why),
                           "1 equally suitable may take it, of the 1 examined in the pool of 1"));
    const Legalaid__Deadline *dl = dk_deadline(b->events[0], "offer");
    assert_non_null(dl);
    assert_int_equal(dl->owner, LEGALAID__PARTY__LAWYER);
    assert_string_equal(dl->owner_id, "L-1");
    legalaid__batch__free_unpacked(b, NULL);

    /* Someone else cannot answer it. */
    assert_refused(dk_answer(f->td.d, "BT-2026-000001", "L-9", 1, 0, NULL),
                   LEGALAID__CODE__FORBIDDEN, "answer_offer.lawyer_id", "open to lawyer L-1");
    dk_accept(f->td.d, "BT-2026-000001", NULL, 0);
    b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_LAWYER_ASSIGNED);
    assert_int_equal(b->n_events, 1);
    Legalaid__Event *ev = b->events[0];
    assert_string_equal(ev->lawyer_assigned->assignment->lawyer->id, "L-1");
    /* The notifying court is told who was appointed (art. 36). */
    assert_string_equal(ev->lawyer_assigned->authority->name, "包头市昆都仑区人民法院");
    assert_true(dk_met(ev, "offer") && dk_met(ev, "assignment"));
    dl = dk_deadline(ev, "agreement");
    assert_non_null(dl);
    /* 5 days (art. 27) from Monday 2026-03-02 end on Saturday 03-07, a rest
     * day: at the end of the next working day, Monday 03-09 24:00 (R-TIME-00). */
    assert_int_equal(dl->due_at, 1773072000000LL);
    legalaid__batch__free_unpacked(b, NULL);
    /* Accepting twice is a conflict: the offer is gone. */
    assert_refused(dk_answer(f->td.d, "BT-2026-000001", "L-1", 1, 0, NULL),
                   LEGALAID__CODE__CONFLICT, "answer_offer.case_id", "is ASSIGNED");
}

static void test_decline_and_lapse(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L-1", "甲律师事务所");
    dk_lawyer(f->pool, "L-2", "乙律师事务所");
    dk_lawyer(f->pool, "L-3", "丙律师事务所");
    dk_import_ok(f->td.d, f->pool);
    approve_civil(f, "C-1");
    char first[64];
    snprintf(first, sizeof first, "%s", offered_to(f, "C-1"));
    /* A decline needs its code; "other" needs words. */
    assert_refused(dk_answer(f->td.d, "C-1", first, 0, 0, NULL), LEGALAID__CODE__INVALID_FIELD,
                   "answer_offer.code", "reason code");
    assert_refused(dk_answer(f->td.d, "C-1", first, 0, LEGALAID__DECLINE_CODE__DECLINE_OTHER, ""),
                   LEGALAID__CODE__INVALID_FIELD, "answer_offer.reason", "in words");
    Legalaid__Reply *r =
        dk_answer(f->td.d, "C-1", first, 0, LEGALAID__DECLINE_CODE__DECLINE_CONFLICT, "代理过对方");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    char second[64];
    snprintf(second, sizeof second, "%s", offered_to(f, "C-1"));
    assert_string_not_equal(second, first);

    /* Not answered in 24 hours: lapses, goes to the third. */
    clock_advance_ms(24 * HOUR + 1000);
    assert_int_equal(daemon_tick(f->td.d), 0);
    char third[64];
    snprintf(third, sizeof third, "%s", offered_to(f, "C-1"));
    assert_string_not_equal(third, first);
    assert_string_not_equal(third, second);
    Legalaid__Batch *b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_OFFER_DECLINED);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->offer_declined->declined->code,
                     LEGALAID__DECLINE_CODE__DECLINE_CONFLICT);
    assert_int_equal(b->events[1]->offer_declined->declined->code,
                     LEGALAID__DECLINE_CODE__DECLINE_LAPSED);
    assert_string_equal(b->events[1]->offer_declined->declined->lawyer_id, second);
    legalaid__batch__free_unpacked(b, NULL);

    /* The third declines too: nobody left, the staff queue, with why. */
    r = dk_answer(f->td.d, "C-1", third, 0, LEGALAID__DECLINE_CODE__DECLINE_CAPACITY, NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF);
    assert_non_null(strstr(reason_of(r->assignment), "declined, let lapse or left this case before: 3 excluded"));
    legalaid__reply__free_unpacked(r, NULL);
    b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->assignment_queued->state,
                     LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF);
    legalaid__batch__free_unpacked(b, NULL);
    /* Never offered again to those who declined, even when the pool changes. */
    dk_import_ok(f->td.d, f->pool);
    assert_int_equal(dk_state(f->td.d, "C-1", NULL, 0), LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF);
}

/* An offer's lapse survives a restart: the deadline is data. */
static void test_lapse_after_restart(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L-1", "甲律师事务所");
    dk_lawyer(f->pool, "L-2", "乙律师事务所");
    dk_import_ok(f->td.d, f->pool);
    approve_civil(f, "C-1");
    char first[64];
    snprintf(first, sizeof first, "%s", offered_to(f, "C-1"));
    daemon_close_test(&f->td.d);
    f->td.d = daemon_open_test(&dispatch_service, f->td.dir);
    assert_non_null(f->td.d);
    clock_advance_ms(25 * HOUR);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_string_not_equal(offered_to(f, "C-1"), first);
}

/* --- hard rules -------------------------------------------------------------------- */

static void test_defence_by_lawyers_only(void **state)
{
    fixture_t *f = *state;
    Legalaid__Lawyer *g = dk_lawyer(f->pool, "G-1", "昆区法律服务所");
    g->kind = LEGALAID__PROVIDER_KIND__PROVIDER_GRASSROOTS;
    Legalaid__Lawyer *v = dk_lawyer(f->pool, "V-1", "内蒙古科技大学");
    v->kind = LEGALAID__PROVIDER_KIND__PROVIDER_VOLUNTEER;
    v->licence_date = NULL;
    dk_import_ok(f->td.d, f->pool);
    dk_case_t c;
    dk_case_init(&c, "K-1", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    approve(f, &c);
    Legalaid__Reply *r = dk_get(f->td.d, "K-1");
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF);
    assert_non_null(strstr(reason_of(r->assignment), "defence only by lawyers"));
    legalaid__reply__free_unpacked(r, NULL);
    /* A civil case goes to the grassroots worker, never to the volunteer (art. 17). */
    approve_civil(f, "C-1");
    assert_string_equal(offered_to(f, "C-1"), "G-1");
    /* Drafting a document may go to the volunteer. */
    dk_case_t d;
    dk_case_init(&d, "D-1", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    d.facts.has_aid_form = 1;
    d.facts.aid_form = LEGALAID__AID_FORM__DOCUMENT_DRAFTING;
    approve(f, &d);
    Legalaid__Reply *dr = dk_get(f->td.d, "D-1");
    assert_int_equal(dr->assignment->offer->explanation->candidates, 2);
    legalaid__reply__free_unpacked(dr, NULL);
    assert_string_equal(offered_to(f, "D-1"), "G-1");
    dr = dk_answer(f->td.d, "D-1", "G-1", 0, LEGALAID__DECLINE_CODE__DECLINE_CAPACITY, NULL);
    legalaid__reply__free_unpacked(dr, NULL);
    assert_string_equal(offered_to(f, "D-1"), "V-1");
}

static void test_capital_and_minor_cases(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L-JUNIOR", "甲律师事务所")->criminal_defence_since = "2024-05-01";
    dk_lawyer(f->pool, "L-SENIOR", "乙律师事务所")->criminal_defence_since = "2018-05-01";
    Legalaid__Lawyer *juv = dk_lawyer(f->pool, "L-JUV", "丙律师事务所");
    juv->has_juvenile_qualified = juv->juvenile_qualified = 1;
    f->pool->lawyers[2].criminal_defence_since = "2025-01-01";
    dk_import_ok(f->td.d, f->pool);
    /* Life or death: three years of criminal defence (art. 26). */
    dk_case_t c;
    dk_case_init(&c, "K-1", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    c.facts.has_ground = 1;
    c.facts.ground = LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH;
    approve(f, &c);
    assert_string_equal(offered_to(f, "K-1"), "L-SENIOR");
    Legalaid__Reply *r = dk_get(f->td.d, "K-1");
    Legalaid__MatchExplanation *x = r->assignment->offer->explanation;
    assert_int_equal(x->candidates, 1);
    assert_int_equal(x->n_filtered, 1);
    assert_null(x->filtered[0]->rule);
    assert_int_equal(x->filtered[0]->rule_code, LEGALAID__MATCH_RULE__MATCH_RULE_CAPITAL);
    assert_non_null(strstr(matchrule_count_text(x->filtered[0]), "art. 26"));
    assert_int_equal(x->filtered[0]->excluded, 2);
    legalaid__reply__free_unpacked(r, NULL);
    /* A minor: only the juvenile-qualified lawyer. */
    dk_case_t m;
    dk_case_init(&m, "K-2", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    m.facts.has_minor = 1;
    m.facts.minor = 1;
    approve(f, &m);
    assert_string_equal(offered_to(f, "K-2"), "L-JUV");
}

static void test_conflicts(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L-A", "甲律师事务所");
    Legalaid__Lawyer *b = dk_lawyer(f->pool, "L-B", "乙律师事务所");
    static char *declared[] = {"包头市某建筑公司"};
    b->conflicts = declared;
    b->n_conflicts = 1;
    dk_lawyer(f->pool, "L-C", "丙律师事务所");
    dk_import_ok(f->td.d, f->pool);
    /* L-B declared a conflict with the opposing company. */
    dk_case_t c;
    dk_case_init(&c, "W-1", LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION, clock_now_ms());
    c.applicant.name = "张三";
    c.facts.opposing_party = "包头市某建筑公司";
    approve(f, &c);
    char first[64];
    snprintf(first, sizeof first, "%s", offered_to(f, "W-1"));
    assert_string_not_equal(first, "L-B");
    dk_accept(f->td.d, "W-1", NULL, 0);
    /* The company's boss 李四 now claims against 张三: the lawyer acting
     * for 张三 may not act against him (Lawyers Law art. 39). */
    dk_case_t o;
    dk_case_init(&o, "W-2", LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms());
    o.applicant.name = "李四";
    o.facts.opposing_party = "张三";
    approve(f, &o);
    Legalaid__Reply *r = dk_get(f->td.d, "W-2");
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__OFFERED);
    assert_string_not_equal(r->assignment->offer->lawyer->id, first);
    int found = 0;
    for (size_t i = 0; i < r->assignment->offer->explanation->n_filtered; i++)
        found |= r->assignment->offer->explanation->filtered[i]->rule_code ==
                 LEGALAID__MATCH_RULE__MATCH_RULE_CONFLICT;
    assert_true(found);
    legalaid__reply__free_unpacked(r, NULL);

    /* Co-defendants of one court case: never the same defender. */
    char seen[2][64];
    for (int i = 0; i < 2; i++) {
        dk_case_t k;
        char id[16];
        snprintf(id, sizeof id, "K-%d", i);
        dk_case_init(&k, id, LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
        dk_case_notified(&k, "包头市中级人民法院", "(2026)内02刑初7号");
        approve(f, &k);
        dk_accept(f->td.d, id, seen[i], sizeof seen[i]);
    }
    assert_string_not_equal(seen[0], seen[1]);
}

static void test_inactive_and_capacity(void **state)
{
    fixture_t *f = *state;
    Legalaid__Lawyer *s = dk_lawyer(f->pool, "L-SUSP", "甲律师事务所");
    s->has_status = 1;
    s->status = LEGALAID__LAWYER_STATUS__SUSPENDED;
    Legalaid__Lawyer *one = dk_lawyer(f->pool, "L-ONE", "乙律师事务所");
    one->capacity = 1;
    dk_import_ok(f->td.d, f->pool);
    approve_civil(f, "C-1");
    dk_accept(f->td.d, "C-1", NULL, 0);
    approve_civil(f, "C-2");
    Legalaid__Reply *r = dk_get(f->td.d, "C-2");
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF);
    assert_non_null(strstr(reason_of(r->assignment), "not active (suspended or left the pool): 1 excluded"));
    assert_non_null(strstr(reason_of(r->assignment), "at capacity: 1 excluded"));
    legalaid__reply__free_unpacked(r, NULL);
    /* Capacity comes free when C-1 concludes: C-2 is offered. */
    for (Legalaid__AssignmentState to = LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED;;) {
        r = dk_advance(f->td.d, "C-1", to);
        test_assert_code(r, LEGALAID__CODE__OK);
        legalaid__reply__free_unpacked(r, NULL);
        if (to == LEGALAID__ASSIGNMENT_STATE__CONCLUDED) break;
        to = to == LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED
                 ? LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS
                 : LEGALAID__ASSIGNMENT_STATE__CONCLUDED;
    }
    assert_string_equal(offered_to(f, "C-2"), "L-ONE");
}

/* An offer open to a lawyer who is then suspended moves on. */
static void test_offer_withdrawn_on_suspension(void **state)
{
    fixture_t *f = *state;
    dk_lawyer(f->pool, "L-1", "甲律师事务所");
    dk_import_ok(f->td.d, f->pool);
    approve_civil(f, "C-1");
    assert_string_equal(offered_to(f, "C-1"), "L-1");
    f->pool->lawyers[0].has_status = 1;
    f->pool->lawyers[0].status = LEGALAID__LAWYER_STATUS__SUSPENDED;
    dk_lawyer(f->pool, "L-2", "乙律师事务所");
    dk_import_ok(f->td.d, f->pool);
    assert_string_equal(offered_to(f, "C-1"), "L-2");
}

/* --- staff -------------------------------------------------------------------------- */

static void test_manual_assignment(void **state)
{
    fixture_t *f = *state;
    Legalaid__Lawyer *g = dk_lawyer(f->pool, "G-1", "昆区法律服务所");
    g->kind = LEGALAID__PROVIDER_KIND__PROVIDER_GRASSROOTS;
    dk_lawyer(f->pool, "L-1", "甲律师事务所");
    dk_import_ok(f->td.d, f->pool);
    dk_case_t c;
    dk_case_init(&c, "K-1", LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE, clock_now_ms());
    approve(f, &c);
    /* Staff cannot break a hard rule either. */
    assert_refused(dk_assign_manually(f->td.d, "K-1", "G-1"), LEGALAID__CODE__FORBIDDEN,
                   "assign_manually.lawyer_id", "defence only by lawyers");
    assert_refused(dk_assign_manually(f->td.d, "K-1", "NOBODY"), LEGALAID__CODE__NOT_FOUND,
                   "assign_manually.lawyer_id", "not in the pool");
    assert_refused(dk_assign_manually(f->td.d, "K-404", "L-1"), LEGALAID__CODE__NOT_FOUND,
                   "assign_manually.case_id", "no case K-404");
    /* Who assigned is the authenticated staff member. */
    principal_t zhao = {.name = "赵主任", .roles = ROLE_STAFF};
    daemon_test_act_as(f->td.d, &zhao);
    Legalaid__Reply *r = dk_assign_manually(f->td.d, "K-1", "L-1");
    daemon_test_act_as(f->td.d, NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->assignment->state, LEGALAID__ASSIGNMENT_STATE__ASSIGNED);
    assert_true(r->assignment->manual);
    assert_string_equal(r->assignment->assigned_by, "赵主任");
    /* The staff member's own words, no sentence of the daemon's around them. */
    assert_string_equal(r->assignment->reason, "申请人指名要求");
    legalaid__reply__free_unpacked(r, NULL);
    /* Kept out of the fairness count: one offer (withdrawn), one manual. */
    r = dk_lawyers(f->td.d, "L-1");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->lawyers->lawyers[0]->manual, 1);
    assert_int_equal(r->lawyers->lawyers[0]->open_cases, 1);
    assert_int_equal(r->lawyers->lawyers[0]->accepted, 0);
    legalaid__reply__free_unpacked(r, NULL);
    assert_refused(dk_assign_manually(f->td.d, "K-1", "L-1"), LEGALAID__CODE__CONFLICT,
                   "assign_manually.case_id", "is ASSIGNED");
}

/* --- the order of work --------------------------------------------------------------- */

static void test_order_of_work(void **state)
{
    fixture_t *f = *state;
    /* No pool yet: everything waits. */
    const struct {
        const char *id;
        int emergency, same_day, green;
        int64_t due_in;
    } cases[] = {
        {"C-NORMAL", 0, 0, 0, 3 * DAY},      {"C-GREEN", 0, 0, 1, 3 * DAY},
        {"C-SAMEDAY", 0, 1, 0, 3 * DAY},     {"C-EMERGENCY", 1, 0, 0, 3 * DAY},
        {"C-OVERDUE", 0, 0, 0, 1 * HOUR},
    };
    for (size_t i = 0; i < 5; i++) {
        dk_case_t c;
        dk_case_init(&c, cases[i].id, LEGALAID__MATTER_CATEGORY__CIVIL, clock_now_ms() + (int64_t)i);
        c.prio.has_emergency = c.prio.has_same_day = c.prio.has_green_channel = 1;
        c.prio.emergency = cases[i].emergency;
        c.prio.same_day = cases[i].same_day;
        c.prio.green_channel = cases[i].green;
        c.d.assign_due_at = clock_now_ms() + cases[i].due_in;
        approve(f, &c);
    }
    clock_advance_ms(2 * HOUR);
    assert_int_equal(daemon_tick(f->td.d), 0); /* C-OVERDUE is now overdue */
    Legalaid__Batch *b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_DEADLINE_MISSED);
    assert_int_equal(b->n_events, 1);
    assert_string_equal(b->events[0]->case_id, "C-OVERDUE");
    assert_string_equal(b->events[0]->deadline_missed->deadline->key, "assignment");
    legalaid__batch__free_unpacked(b, NULL);

    uint64_t before = dk_head(f->td.d);
    dk_lawyer(f->pool, "L-1", "甲律师事务所")->capacity = 50;
    dk_import_ok(f->td.d, f->pool);
    b = dk_events(f->td.d, before, LEGALAID__EVENT__BODY_LAWYER_OFFERED);
    const char *want[] = {"C-OVERDUE", "C-EMERGENCY", "C-SAMEDAY", "C-GREEN", "C-NORMAL"};
    assert_int_equal(b->n_events, 5);
    for (size_t i = 0; i < 5; i++) assert_string_equal(b->events[i]->case_id, want[i]);
    legalaid__batch__free_unpacked(b, NULL);
}

static void test_queue_for_staff(void **state)
{
    fixture_t *f = *state;
    approve_civil(f, "C-1");
    approve_civil(f, "C-2");
    Legalaid__DispatchQueueQuery q = LEGALAID__DISPATCH_QUEUE_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DISPATCH_QUEUE;
    req.dispatch_queue = &q;
    Legalaid__Reply *r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->dispatch_queue->total, 2);
    assert_string_equal(r->dispatch_queue->cases[0]->case_id, "C-1");
    assert_non_null(strstr(reason_of(r->dispatch_queue->cases[0]), "no provider of the 0"));
    legalaid__reply__free_unpacked(r, NULL);
    /* A repeated decision changes nothing; a decision without a case is refused. */
    approve_civil(f, "C-1");
    r = test_call_new(f->td.d, &req);
    assert_int_equal(r->dispatch_queue->total, 2);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Decision bad = LEGALAID__DECISION__INIT;
    dk_feed(f->td.d, &f->seq, &bad);
}

/* LawyersImported carries the records that went in (not the rejected
 * one), with status and kind filled in and without declared conflicts:
 * what the roster vets duty lawyers against. */
static void test_lawyers_imported_carries_records(void **state)
{
    fixture_t *f = *state;
    Legalaid__Lawyer *s = dk_lawyer(f->pool, "L-SUSP", "甲律师事务所");
    s->has_status = 1;
    s->status = LEGALAID__LAWYER_STATUS__SUSPENDED;
    char *conflicts[] = {"王建国"};
    Legalaid__Lawyer *ok = dk_lawyer(f->pool, "L-OK", "乙律师事务所");
    ok->conflicts = conflicts;
    ok->n_conflicts = 1;
    dk_lawyer(f->pool, "L-NEW", "乙律师事务所")->licence_date = "2025-06-01";
    uint64_t head = dk_head(f->td.d);
    Legalaid__Reply *r = dk_import_from(f->td.d, f->pool, 0);
    assert_int_equal(r->import_result->accepted, 2);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b;
    assert_int_equal(daemon_read_stream(f->td.d, head, &b), 0);
    const Legalaid__LawyersImported *li = NULL;
    for (size_t i = 0; i < b->n_events; i++)
        if (b->events[i]->body_case == LEGALAID__EVENT__BODY_LAWYERS_IMPORTED)
            li = b->events[i]->lawyers_imported;
    assert_non_null(li);
    assert_int_equal(li->n_lawyers, 2);
    assert_string_equal(li->lawyers[0]->id, "L-SUSP");
    assert_string_equal(li->lawyers[0]->firm, "甲律师事务所");
    assert_int_equal(li->lawyers[0]->status, LEGALAID__LAWYER_STATUS__SUSPENDED);
    assert_string_equal(li->lawyers[1]->id, "L-OK");
    assert_string_equal(li->lawyers[1]->firm, "乙律师事务所");
    assert_non_null(li->lawyers[1]->name);
    assert_non_null(li->lawyers[1]->phone);
    assert_int_equal(li->lawyers[1]->status, LEGALAID__LAWYER_STATUS__ACTIVE);
    assert_int_equal(li->lawyers[1]->kind, LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER);
    assert_int_equal(li->lawyers[1]->n_conflicts, 0);
    legalaid__batch__free_unpacked(b, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_recruitment_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offer_accept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decline_and_lapse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lapse_after_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defence_by_lawyers_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_capital_and_minor_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inactive_and_capacity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offer_withdrawn_on_suspension, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manual_assignment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_of_work, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_for_staff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lawyers_imported_carries_records, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
