/*
 * test-eligibility-lifecycle.c - eligibility's data and a case's life
 * through real turns: the assistance roll (import with bad rows; yes, no,
 * unavailable reaching the decision), the holiday calendar moving a
 * deadline (R-TIME-00), materials supplied and the case decided again,
 * deemed withdrawal by the tick (art. 43(2)), withdrawal, a false
 * commitment terminating aid and barring the route next time (art. 41, 48,
 * R-ECON-07), a truthful one verifying it, and objections (art. 49) filed,
 * decided, corrected (also when materials arrive later), overdue, and
 * falling with a withdrawal; weekends and the calendar moving a period's
 * end (R-TIME-00); the materials deadline running from the notice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "eligibility_calendar.h"
#include "testutil.h"

/* Beijing time (UTC+8). */
#define T_0302_1000 1772416800000LL /* 2026-03-02 10:00: receipt */
#define T_0307_2400 1772899200000LL /* 2026-03-07 24:00 */
#define T_0317_2400 1773763200000LL /* 2026-03-17 24:00: receipt + 15 days */
#define T_0926_1000 1790388000000LL /* 2026-09-26 10:00 */
#define T_0926_1100 1790391600000LL
#define T_1003_2400 1791043200000LL                  /* 2026-10-03 24:00: a National Day holiday */
#define T_1008_2400 1791475200000LL                  /* 2026-10-08 24:00: the first day after it */
#define T_0309_2400 (T_0307_2400 + 2 * MS_PER_DAY)   /* Monday 2026-03-09 24:00 */
#define T_1005_2400 (T_1003_2400 + 2 * MS_PER_DAY)   /* Monday 2026-10-05 24:00 */
#define T_1010_2400 (T_1008_2400 + 2 * MS_PER_DAY)   /* Saturday 2026-10-10, a make-up workday */
#define T_0927_2400 (T_0926_1000 + 38 * MS_PER_HOUR) /* Sunday 2026-09-27, a make-up workday */

typedef struct fixture {
    test_daemon_t td; /* first: see test_fixture_setup */
    uint64_t seq;     /* intake's stream as this test plays it */
    uint64_t read;    /* eligibility's own stream read so far */
} fixture_t;

static eligibility_config_t saved;

static int setup(void **state)
{
    int rc = test_fixture_setup(state, sizeof(fixture_t), &eligibility_service, T_0302_1000);
    saved = eligibility_config;
    return rc;
}

static int teardown(void **state)
{
    eligibility_config = saved;
    return test_fixture_teardown(state);
}

/* ---- intake's events ---------------------------------------------------- */

static void commit_letter(test_received_t *p)
{
    p->app.has_commitment_signed = 1;
    p->app.commitment_signed = 1;
}

static void feed(fixture_t *f, test_received_t *p)
{
    test_feed(f->td.d, "intake", &f->seq, &p->ev);
}

/* Materials supplied, with what they establish: commitment (1: the letter
 * is signed, -1: not said), income_fen (declared income, -1: not said). */
static void feed_supplied_facts(fixture_t *f, const char *case_id, const char *material,
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

static void feed_supplied(fixture_t *f, const char *case_id, const char *material)
{
    feed_supplied_facts(f, case_id, material, -1, -1);
}

static void feed_withdrawn(fixture_t *f, const char *case_id, const char *reason)
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

/* ---- eligibility's stream, requests and counters ------------------------ */

/* The events eligibility published since the last call (free the batch). */
static Legalaid__Batch *published(fixture_t *f)
{
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(f->td.d, f->read, &b), 0);
    if (b->n_events) f->read = b->events[b->n_events - 1]->seq;
    return b;
}

/* Asserts that nothing was published since the last read. */
static void assert_nothing_published(fixture_t *f)
{
    Legalaid__Batch *b = published(f);
    assert_int_equal(b->n_events, 0);
    legalaid__batch__free_unpacked(b, NULL);
}

/* Reads the one EligibilityDecided published since the last read (with
 * other events allowed before it) and returns its outcome. */
static Legalaid__Outcome published_outcome(fixture_t *f)
{
    Legalaid__Batch *b = published(f);
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

static Legalaid__Reply *get_decision(fixture_t *f, const char *case_id)
{
    Legalaid__GetDecision g = LEGALAID__GET_DECISION__INIT;
    g.case_id = (char *)case_id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_DECISION;
    req.get_decision = &g;
    Legalaid__Reply *r = test_call(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_DECISION);
    return r;
}

static uint64_t counter(fixture_t *f, const char *name)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    Legalaid__Reply *r = test_call(f->td.d, &req);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_STREAM_STATUS);
    for (size_t i = 0; i < r->stream_status->n_counters; i++)
        if (!strcmp(r->stream_status->counters[i]->name, name)) {
            uint64_t v = r->stream_status->counters[i]->value;
            legalaid__reply__free_unpacked(r, NULL);
            return v;
        }
    fail_msg("no counter %s", name);
    return 0;
}

static const Legalaid__DecisionTest *find_test(const Legalaid__Decision *d, const char *name)
{
    for (size_t i = 0; i < d->n_tests; i++)
        if (!strcmp(d->tests[i]->name, name)) return d->tests[i];
    return NULL;
}

/* Imports the roll entries (id numbers, statuses) exported at exported_at. */
static Legalaid__Reply *import_roll(fixture_t *f, Legalaid__RollEntry **entries, size_t n,
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

/* An export listing one person as DIBAO, exported at exported_at. */
static void roll_one(fixture_t *f, const char *id, int64_t valid_until, int64_t exported_at)
{
    Legalaid__RollEntry e = LEGALAID__ROLL_ENTRY__INIT;
    e.id_number = (char *)id;
    e.has_status = 1;
    e.status = LEGALAID__ROLL_STATUS__DIBAO;
    e.has_valid_until = valid_until != 0;
    e.valid_until = valid_until;
    Legalaid__RollEntry *list[1] = {&e};
    Legalaid__Reply *r = import_roll(f, list, 1, exported_at);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
}

static Legalaid__Reply *verify(fixture_t *f, const char *case_id, int truthful, const char *finding)
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

static Legalaid__Reply *file_objection(fixture_t *f, const char *case_id, const char *reason)
{
    Legalaid__FileObjection o = LEGALAID__FILE_OBJECTION__INIT;
    o.case_id = (char *)case_id;
    o.reason = (char *)reason;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_FILE_OBJECTION;
    req.file_objection = &o;
    return test_call_new(f->td.d, &req);
}

static Legalaid__Reply *decide_objection(fixture_t *f, const char *case_id, int correct,
                                         const char *officer)
{
    Legalaid__DecideObjection o = LEGALAID__DECIDE_OBJECTION__INIT;
    o.case_id = (char *)case_id;
    o.has_correct = 1;
    o.correct = correct;
    o.officer = (char *)officer;
    o.reasoning = "收入证明把家庭总收入当作人均收入";
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DECIDE_OBJECTION;
    req.decide_objection = &o;
    return test_call_new(f->td.d, &req);
}

static Legalaid__Reply *get_objection(fixture_t *f, const char *case_id)
{
    Legalaid__GetObjection g = LEGALAID__GET_OBJECTION__INIT;
    g.case_id = (char *)case_id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_OBJECTION;
    req.get_objection = &g;
    return test_call(f->td.d, &req);
}

/* ---- the assistance roll ------------------------------------------------ */

static void test_roll_import_bad_rows(void **state)
{
    fixture_t *f = *state;
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
    Legalaid__Reply *r = import_roll(f, list, 5, 0);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "import_assistance_roll.exported_at");
    legalaid__reply__free_unpacked(r, NULL);

    r = import_roll(f, list, 5, T_0302_1000 - MS_PER_DAY);
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

    Legalaid__Batch *b = published(f);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_ASSISTANCE_ROLL_IMPORTED);
    assert_int_equal(b->events[0]->assistance_roll_imported->count, 2);
    assert_int_equal(b->events[0]->assistance_roll_imported->roll_size, 2);
    legalaid__batch__free_unpacked(b, NULL);
    assert_int_equal(counter(f, "roll_size"), 2);
}

static void test_roll_answers_reach_the_decision(void **state)
{
    fixture_t *f = *state;
    /* No roll ever imported: unavailable, which does not block. */
    test_received_t p;
    test_received_init(&p, "BT-2026-000101", "15020319800101011");
    feed(f, &p);
    Legalaid__Reply *r = get_decision(f, "BT-2026-000101");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE);
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__NEEDS_MATERIALS);
    legalaid__reply__free_unpacked(r, NULL);

    /* On the roll: verified hardship, aid granted. */
    test_received_t q;
    test_received_init(&q, "BT-2026-000102", "15020319800101022");
    roll_one(f, q.id, 0, T_0302_1000 - 2 * MS_PER_DAY);
    feed(f, &q);
    r = get_decision(f, "BT-2026-000102");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_YES);
    assert_int_equal(r->decision->roll_status, LEGALAID__ROLL_STATUS__DIBAO);
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    legalaid__reply__free_unpacked(r, NULL);

    /* Not on the current roll: no. */
    test_received_t n;
    test_received_init(&n, "BT-2026-000103", "15020319800101033");
    feed(f, &n);
    r = get_decision(f, "BT-2026-000103");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_NO);
    legalaid__reply__free_unpacked(r, NULL);

    /* Listed, but the status lapsed yesterday: no. */
    test_received_t l;
    test_received_init(&l, "BT-2026-000104", "15020319800101044");
    roll_one(f, l.id, clock_now_ms() - MS_PER_DAY, T_0302_1000 - MS_PER_DAY);
    feed(f, &l);
    r = get_decision(f, "BT-2026-000104");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_NO);
    legalaid__reply__free_unpacked(r, NULL);

    /* That newer export replaced the roll: the person it no longer lists
     * is not on it any more. An older export than the one in use is
     * refused whole. */
    test_received_t gone;
    test_received_init(&gone, "BT-2026-000106", "15020319800101022");
    feed(f, &gone);
    r = get_decision(f, "BT-2026-000106");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_NO);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "roll_size"), 1);
    Legalaid__RollEntry e = LEGALAID__ROLL_ENTRY__INIT;
    e.id_number = q.id;
    e.has_status = 1;
    e.status = LEGALAID__ROLL_STATUS__TEKUN;
    Legalaid__RollEntry *old[1] = {&e};
    r = import_roll(f, old, 1, T_0302_1000 - 3 * MS_PER_DAY);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "import_assistance_roll.exported_at");
    legalaid__reply__free_unpacked(r, NULL);

    /* 46 days later the export (a day old when imported) is older than
     * roll_max_age_days (45): unavailable, even for a listed person. */
    clock_set_ms(T_0302_1000 + 46 * MS_PER_DAY);
    test_received_t s;
    test_received_init(&s, "BT-2026-000105", "15020319800101022");
    commit_letter(&s);
    feed(f, &s);
    r = get_decision(f, "BT-2026-000105");
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE);
    /* ... and the commitment route is open instead. */
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__COMMITMENT);
    legalaid__reply__free_unpacked(r, NULL);
}

/* ---- the holiday calendar ----------------------------------------------- */

static void test_calendar_moves_a_deadline_off_a_holiday(void **state)
{
    fixture_t *f = *state;
    clock_set_ms(T_0926_1100);
    /* Before the calendar: 09-26 + 7 ends on Saturday 10-03, a rest day
     * even with no calendar: the end of Monday 10-05 (R-TIME-00). */
    test_received_t p;
    test_received_init(&p, "BT-2026-000201", "15020319800101011");
    p.app.received_at = T_0926_1000;
    feed(f, &p);
    Legalaid__Reply *r = get_decision(f, "BT-2026-000201");
    assert_int_equal(r->decision->decision_due_at, T_1005_2400);
    legalaid__reply__free_unpacked(r, NULL);

    /* National Day 2026: 10-01..10-07 holidays, 09-27 and 10-10 make-up
     * working days; two bad days. */
    Legalaid__CalendarDay days[11];
    Legalaid__CalendarDay *list[11];
    char dates[9][11];
    size_t n = 0;
    for (int d = 1; d <= 7; d++, n++) {
        legalaid__calendar_day__init(&days[n]);
        snprintf(dates[n], sizeof dates[n], "2026-10-%02d", d);
        days[n].date = dates[n];
        days[n].has_kind = 1;
        days[n].kind = LEGALAID__DAY_KIND__HOLIDAY;
        days[n].name = "国庆节";
    }
    legalaid__calendar_day__init(&days[n]);
    days[n].date = "2026-09-27";
    days[n].has_kind = 1;
    days[n++].kind = LEGALAID__DAY_KIND__WORKDAY;
    legalaid__calendar_day__init(&days[n]);
    days[n].date = "2026-10-10";
    days[n].has_kind = 1;
    days[n++].kind = LEGALAID__DAY_KIND__WORKDAY;
    legalaid__calendar_day__init(&days[n]);
    days[n].date = "2026-02-30"; /* no such day */
    days[n].has_kind = 1;
    days[n++].kind = LEGALAID__DAY_KIND__HOLIDAY;
    legalaid__calendar_day__init(&days[n]);
    days[n++].date = "2026-05-01"; /* no kind */
    for (size_t i = 0; i < n; i++) list[i] = &days[i];
    Legalaid__ImportCalendar in = LEGALAID__IMPORT_CALENDAR__INIT;
    in.days = list;
    in.n_days = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_CALENDAR;
    req.import_calendar = &in;
    r = test_call_new(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 9);
    assert_int_equal(r->import_result->n_rejected, 2);
    assert_string_equal(r->import_result->rejected[0]->field, "days[9].date");
    assert_non_null(strstr(r->import_result->rejected[0]->message, "no such day"));
    assert_string_equal(r->import_result->rejected[1]->field, "days[10].kind");
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "calendar_days"), 9);
    Legalaid__Batch *b = published(f);
    assert_int_equal(b->events[b->n_events - 1]->body_case,
                     LEGALAID__EVENT__BODY_CALENDAR_IMPORTED);
    assert_int_equal(b->events[b->n_events - 1]->calendar_imported->count, 9);
    legalaid__batch__free_unpacked(b, NULL);

    /* R-TIME-00: 7 days from 09-26 end on 10-03, a statutory holiday, so
     * the period ends on the first day after the holiday: 10-08 24:00. */
    test_received_t q;
    test_received_init(&q, "BT-2026-000202", "15020319800101022");
    q.app.received_at = T_0926_1000;
    feed(f, &q);
    r = get_decision(f, "BT-2026-000202");
    assert_int_equal(r->decision->decision_due_at, T_1008_2400);
    assert_non_null(strstr(r->decision->reason, "2026-10-08 24:00"));
    legalaid__reply__free_unpacked(r, NULL);

    /* A period ending on a Saturday or Sunday the calendar makes a working
     * day (10-10, 09-27) does not move. */
    long long review = eligibility_config.review_days;
    eligibility_config.review_days = 14;
    test_received_t w;
    test_received_init(&w, "BT-2026-000203", "15020319800101033");
    w.app.received_at = T_0926_1000;
    feed(f, &w);
    r = get_decision(f, "BT-2026-000203");
    assert_int_equal(r->decision->decision_due_at, T_1010_2400);
    legalaid__reply__free_unpacked(r, NULL);
    eligibility_config.review_days = 1;
    test_received_t s;
    test_received_init(&s, "BT-2026-000204", "15020319800101044");
    s.app.received_at = T_0926_1000;
    feed(f, &s);
    r = get_decision(f, "BT-2026-000204");
    assert_int_equal(r->decision->decision_due_at, T_0927_2400);
    legalaid__reply__free_unpacked(r, NULL);
    eligibility_config.review_days = review;
    /* Outside a turn no calendar is in use: weekends alone are rest days,
     * so Sunday 09-27 moves to Monday 09-28 and Saturday 10-03 to 10-05. */
    assert_int_equal(eligibility_calendar_days_end(T_0926_1000, 1), T_0927_2400 + MS_PER_DAY);
    assert_int_equal(eligibility_calendar_days_end(T_0926_1000, 7), T_1005_2400);
}

/* ---- materials, withdrawal, deemed withdrawal --------------------------- */

static void test_materials_supplied_decided_again(void **state)
{
    fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000301", "15020319800101011");
    feed(f, &p);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    Legalaid__Reply *r = get_decision(f, "BT-2026-000301");
    assert_int_equal(r->decision->materials_due_at, T_0317_2400);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "deadlines_open"), 1);

    /* The roll now lists the applicant; what was supplied is reviewed. */
    roll_one(f, p.id, 0, T_0302_1000 - MS_PER_DAY);
    clock_set_ms(T_0302_1000 + 2 * MS_PER_DAY);
    feed_supplied(f, "BT-2026-000301", "低保证");
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED);
    r = get_decision(f, "BT-2026-000301");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    assert_int_equal(r->decision->roll_answer, LEGALAID__ROLL_ANSWER__ROLL_YES);
    assert_in_range(r->decision->decided_at, T_0302_1000 + 2 * MS_PER_DAY,
                    T_0302_1000 + 2 * MS_PER_DAY + 10000);
    /* Art. 43(2): the two days spent waiting for the materials do not
     * count: the decision is due 7 + 2 days after receipt. */
    assert_int_equal(r->decision->decision_due_at,
                     T_0302_1000 - 10 * MS_PER_HOUR + 10 * MS_PER_DAY);
    legalaid__reply__free_unpacked(r, NULL);
    /* The materials deadline is gone: past it, the tick does nothing. */
    assert_int_equal(counter(f, "deadlines_open"), 0);
    clock_set_ms(T_0317_2400 + MS_PER_HOUR);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_nothing_published(f);

    /* Another case: a material merely named like the commitment letter
     * grants nothing (no free-text match) ... */
    test_received_t q;
    test_received_init(&q, "BT-2026-000302", "15020319800101022");
    feed(f, &q);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    feed_supplied(f, "BT-2026-000302", "签署的法律援助申请承诺告知书");
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    /* ... the signed letter, as intake records it, answers the notice and
     * opens the commitment route (art. 41). */
    feed_supplied_facts(f, "BT-2026-000302", "签署的法律援助申请承诺告知书", 1, -1);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    r = get_decision(f, "BT-2026-000302");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__COMMITMENT);
    legalaid__reply__free_unpacked(r, NULL);

    /* Materials for a case not awaiting any: kept, nothing decided. */
    feed_supplied(f, "BT-2026-000301", "劳动合同");
    assert_nothing_published(f);
    assert_int_equal(counter(f, "approved"), 1);
    assert_int_equal(counter(f, "needs_materials"), 3);
}

/* Art. 43(2): the materials deadline runs from the notice, not from
 * receipt, and one notice has one deadline. */
static void test_materials_deadline_from_the_notice(void **state)
{
    fixture_t *f = *state;
    /* Received 03-02 but entered 20 days later (03-22, a Sunday): the
     * notice is given now, so the 15 days run from it: 04-06 24:00 (a
     * Monday), not 03-17 (already past). */
    clock_set_ms(T_0302_1000 + 20 * MS_PER_DAY);
    test_received_t p;
    test_received_init(&p, "BT-2026-000351", "15020319800101011");
    p.app.received_at = T_0302_1000;
    feed(f, &p);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    Legalaid__Reply *r = get_decision(f, "BT-2026-000351");
    int64_t due = T_0317_2400 + 20 * MS_PER_DAY;
    assert_int_equal(r->decision->materials_due_at, due);
    assert_non_null(strstr(r->decision->reason, "2026-04-06 24:00"));
    legalaid__reply__free_unpacked(r, NULL);
    /* A second later the tick deems nothing withdrawn. */
    clock_set_ms(T_0302_1000 + 20 * MS_PER_DAY + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_nothing_published(f);

    /* Ten days later something that settles nothing arrives: decided again,
     * still awaiting materials, by the same deadline (one notice). */
    clock_set_ms(T_0302_1000 + 30 * MS_PER_DAY);
    feed_supplied(f, "BT-2026-000351", "劳动合同");
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    r = get_decision(f, "BT-2026-000351");
    assert_int_equal(r->decision->materials_due_at, due);
    const Legalaid__DecisionTest *dt = find_test(r->decision, "deadline");
    assert_non_null(dt);
    assert_non_null(strstr(dt->detail, "earlier notice"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "deadlines_open"), 1);
    /* At that deadline the case is deemed withdrawn. */
    clock_set_ms(due + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__DEEMED_WITHDRAWN);
}

static void test_deemed_withdrawn_by_the_tick(void **state)
{
    fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000401", "15020319800101011");
    feed(f, &p);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);

    /* Still within the period (03-17 24:00): nothing. */
    clock_set_ms(T_0317_2400 - MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_nothing_published(f);

    /* Past it: deemed withdrawn (art. 43(2)), once. */
    clock_set_ms(T_0317_2400 + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__DEEMED_WITHDRAWN);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_nothing_published(f);
    Legalaid__Reply *r = get_decision(f, "BT-2026-000401");
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__DEEMED_WITHDRAWN);
    assert_true(test_cites(r->decision, "Legal Aid Law art. 43(2)"));
    assert_non_null(strstr(r->decision->reason, "2026-03-17 24:00"));
    assert_non_null(strstr(r->decision->reason, "deemed withdrawn"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "deemed_withdrawn"), 1);

    /* Materials arriving after that change nothing. */
    feed_supplied(f, "BT-2026-000401", "经济困难状况说明表");
    assert_nothing_published(f);
}

static void test_withdrawal(void **state)
{
    fixture_t *f = *state;
    /* Withdrawn while materials are awaited: the deadline goes with it. */
    test_received_t p;
    test_received_init(&p, "BT-2026-000501", "15020319800101011");
    feed(f, &p);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    feed_withdrawn(f, "BT-2026-000501", "已与对方和解");
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__WITHDRAWN);
    Legalaid__Reply *r = get_decision(f, "BT-2026-000501");
    assert_non_null(strstr(r->decision->reason, "已与对方和解"));
    assert_false(r->decision->has_assign_due_at);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "deadlines_open"), 0);
    clock_set_ms(T_0317_2400 + MS_PER_HOUR);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_nothing_published(f);

    /* Withdrawn after aid was granted: aid ends at the recipient's request
     * (art. 48(7)); a second withdrawal records nothing new. */
    test_received_t q;
    test_received_init(&q, "BT-2026-000502", "15020319800101022");
    commit_letter(&q);
    feed(f, &q);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    feed_withdrawn(f, "BT-2026-000502", "自行委托律师");
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__WITHDRAWN);
    r = get_decision(f, "BT-2026-000502");
    assert_true(test_cites(r->decision, "Legal Aid Law art. 48(7)"));
    legalaid__reply__free_unpacked(r, NULL);
    feed_withdrawn(f, "BT-2026-000502", "again");
    assert_nothing_published(f);
    assert_int_equal(counter(f, "withdrawn"), 2);
}

/* ---- verification afterwards -------------------------------------------- */

static void test_false_commitment_terminates_and_bars(void **state)
{
    fixture_t *f = *state;
    eligibility_config.verification_share_percent = 100;
    test_received_t p;
    test_received_init(&p, "BT-2026-000601", "15020319800101011");
    commit_letter(&p);
    feed(f, &p);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    Legalaid__Reply *r = get_decision(f, "BT-2026-000601");
    assert_true(r->decision->verification_drawn); /* every case drawn at 100% */
    legalaid__reply__free_unpacked(r, NULL);

    /* Bad requests: no finding; a case that rests on no commitment. */
    r = verify(f, "BT-2026-000601", 0, " ");
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "verify_commitment.finding");
    legalaid__reply__free_unpacked(r, NULL);
    test_received_t other;
    test_received_init(&other, "BT-2026-000602", "15020319800101022");
    feed(f, &other);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    r = verify(f, "BT-2026-000602", 0, "x");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "NOT_SETTLED"));
    legalaid__reply__free_unpacked(r, NULL);
    r = verify(f, "BT-2026-000999", 1, "x");
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    legalaid__reply__free_unpacked(r, NULL);

    /* False: aid already granted is terminated (art. 48(2)), art. 64
     * named, the objection route given (art. 49). */
    clock_set_ms(T_0302_1000 + 10 * MS_PER_DAY);
    r = verify(f, "BT-2026-000601", 0, "民政核对：家庭有两套房产，承诺不实");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_DECISION);
    Legalaid__Decision *d = r->decision;
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__TERMINATED);
    assert_true(test_cites(d, "Legal Aid Law art. 41"));
    assert_true(test_cites(d, "Legal Aid Law art. 48(2)"));
    assert_true(test_cites(d, "Legal Aid Law art. 64"));
    assert_true(test_cites(d, "Legal Aid Law art. 49"));
    assert_non_null(d->objection_route);
    assert_non_null(strstr(d->objection_route, "art. 49"));
    const Legalaid__DecisionTest *vt = find_test(d, "verification");
    assert_non_null(vt);
    assert_false(vt->passed);
    assert_non_null(strstr(vt->detail, "两套房产"));
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b = published(f);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_COMMITMENT_VERIFIED);
    assert_false(b->events[0]->commitment_verified->truthful);
    assert_int_equal(b->events[0]->commitment_verified->outcome, LEGALAID__OUTCOME__TERMINATED);
    assert_int_equal(b->events[1]->body_case, LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED);
    assert_int_equal(b->events[1]->eligibility_decided->decision->outcome,
                     LEGALAID__OUTCOME__TERMINATED);
    legalaid__batch__free_unpacked(b, NULL);
    r = verify(f, "BT-2026-000601", 1, "again");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "两套房产"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "terminated"), 1);

    /* The same person applies again with a commitment letter: the route is
     * barred (R-ECON-07(h)); the letter does not settle the condition. */
    test_received_t again;
    test_received_init(&again, "BT-2026-000603", "15020319800101011");
    commit_letter(&again);
    feed(f, &again);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    r = get_decision(f, "BT-2026-000603");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__NOT_SETTLED);
    const Legalaid__DecisionTest *ct = find_test(r->decision, "credit");
    assert_non_null(ct);
    assert_false(ct->passed);
    legalaid__reply__free_unpacked(r, NULL);

    /* Truthful: aid now rests on a verified condition (art. 41): APPROVED,
     * means path VERIFIED, the "verification" test passed. */
    test_received_t honest;
    test_received_init(&honest, "BT-2026-000604", "15020319800101033");
    commit_letter(&honest);
    feed(f, &honest);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    r = verify(f, "BT-2026-000604", 1, "民政核对：无房产车辆，收入属实");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    assert_true(test_cites(r->decision, "Legal Aid Law art. 41"));
    vt = find_test(r->decision, "verification");
    assert_non_null(vt);
    assert_true(vt->passed);
    assert_string_equal(vt->article, "Legal Aid Law art. 41");
    assert_non_null(strstr(vt->detail, "无房产车辆"));
    legalaid__reply__free_unpacked(r, NULL);
    b = published(f);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_COMMITMENT_VERIFIED);
    assert_true(b->events[0]->commitment_verified->truthful);
    assert_int_equal(b->events[0]->commitment_verified->outcome, LEGALAID__OUTCOME__APPROVED);
    assert_int_equal(b->events[1]->body_case, LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED);
    assert_int_equal(b->events[1]->eligibility_decided->decision->outcome,
                     LEGALAID__OUTCOME__APPROVED);
    legalaid__batch__free_unpacked(b, NULL);
    r = get_decision(f, "BT-2026-000604");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    legalaid__reply__free_unpacked(r, NULL);
    /* One check, one finding: a second is refused, naming the first. */
    r = verify(f, "BT-2026-000604", 0, "另一次核对");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "无房产车辆"));
    assert_non_null(strstr(r->error, "already verified"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_nothing_published(f);

    /* The termination is objected to and corrected: decided again with the
     * credit bar lifted, the commitment honoured again. */
    r = file_objection(f, "BT-2026-000601", "房产登记在已故父亲名下，并非本人所有");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    r = decide_objection(f, "BT-2026-000601", 1, "王司法");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__CORRECTED);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    r = get_decision(f, "BT-2026-000601");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__COMMITMENT);
    assert_true(test_cites(r->decision, "Legal Aid Law art. 49"));
    legalaid__reply__free_unpacked(r, NULL);
    /* The flag that case set is lifted: the person's next letter counts. */
    test_received_t later;
    test_received_init(&later, "BT-2026-000605", "15020319800101011");
    commit_letter(&later);
    feed(f, &later);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);

    /* Two false commitments of one person: correcting one leaves the other's
     * bar standing, for the corrected case and for the next application. */
    test_received_t first, second, next;
    test_received_init(&first, "BT-2026-000606", "15020319800101044");
    commit_letter(&first);
    feed(f, &first);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    test_received_init(&second, "BT-2026-000607", "15020319800101044");
    second.app.has_category = 1;
    second.app.category = LEGALAID__MATTER_CATEGORY__CIVIL;
    second.app.has_scope_item = 1;
    second.app.scope_item = 7;
    commit_letter(&second);
    feed(f, &second);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    r = verify(f, "BT-2026-000606", 0, "名下有车辆两台");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    r = verify(f, "BT-2026-000607", 0, "隐瞒经营收入");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    b = published(f);
    legalaid__batch__free_unpacked(b, NULL);
    r = file_objection(f, "BT-2026-000607", "经营收入已停止");
    legalaid__reply__free_unpacked(r, NULL);
    r = decide_objection(f, "BT-2026-000607", 1, "王司法");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    b = published(f);
    legalaid__batch__free_unpacked(b, NULL);
    r = get_decision(f, "BT-2026-000607");
    assert_int_not_equal(r->decision->means_path, LEGALAID__MEANS_PATH__COMMITMENT);
    ct = find_test(r->decision, "credit");
    assert_non_null(ct);
    assert_false(ct->passed); /* case 606's false commitment still bars the route */
    legalaid__reply__free_unpacked(r, NULL);
    test_received_init(&next, "BT-2026-000608", "15020319800101044");
    commit_letter(&next);
    feed(f, &next);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
}

/* ---- objections --------------------------------------------------------- */

/* An application refused for a declared income above the standard. */
static void refused_case(fixture_t *f, test_received_t *p, const char *case_id)
{
    eligibility_config.income_standards = "2022-01-01:1500";
    test_received_init(p, case_id, "15020319750305021");
    p->app.has_household_income_fen = 1;
    p->app.household_income_fen = 5000000;
    feed(f, p);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__REFUSED);
}

static void test_objection_filed_and_corrected(void **state)
{
    fixture_t *f = *state;
    test_received_t p;
    refused_case(f, &p, "BT-2026-000701");

    Legalaid__Reply *r = file_objection(f, "BT-2026-000701", "");
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "file_objection.reason");
    legalaid__reply__free_unpacked(r, NULL);
    r = get_objection(f, "BT-2026-000701");
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    legalaid__reply__free_unpacked(r, NULL);

    /* Filed Monday 03-02 10:00: the bureau decides within 5 days; the 5th
     * day, 03-07, is a Saturday, so by the end of Monday 03-09 24:00
     * (R-TIME-00, 民法典 art. 203). */
    r = file_objection(f, "BT-2026-000701", "收入证明把家庭总收入当作人均收入");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_OBJECTION);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__FILED);
    assert_int_equal(r->objection->due_at, T_0309_2400);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b = published(f);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_OBJECTION_FILED);
    legalaid__batch__free_unpacked(b, NULL);
    r = file_objection(f, "BT-2026-000701", "再次异议");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
    r = get_objection(f, "BT-2026-000701");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__FILED);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "objections_filed"), 1);

    /* The officer is required (art. 49: a justice bureau officer decides). */
    r = decide_objection(f, "BT-2026-000701", 1, NULL);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "decide_objection.officer");
    legalaid__reply__free_unpacked(r, NULL);

    /* Only the bureau's officers decide, when they are configured. */
    char *officers = eligibility_config.objection_officers;
    eligibility_config.objection_officers = "王司法, 李强";
    r = decide_objection(f, "BT-2026-000701", 1, "张律师");
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    assert_string_equal(r->field, "decide_objection.officer");
    legalaid__reply__free_unpacked(r, NULL);

    /* Corrected: the case re-enters the flow. The rules still find the
     * declared income above the standard, so instead of refusing again on
     * the ground set aside the centre asks for what settles it. */
    clock_set_ms(T_0302_1000 + 3 * MS_PER_DAY);
    r = decide_objection(f, "BT-2026-000701", 1, "王司法");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__CORRECTED);
    assert_string_equal(r->objection->officer, "王司法");
    legalaid__reply__free_unpacked(r, NULL);
    eligibility_config.objection_officers = officers;
    b = published(f);
    assert_int_equal(b->n_events, 2);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_OBJECTION_DECIDED);
    assert_int_equal(b->events[1]->body_case, LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED);
    Legalaid__Decision *d = b->events[1]->eligibility_decided->decision;
    assert_int_equal(d->outcome, LEGALAID__OUTCOME__NEEDS_MATERIALS);
    assert_true(test_cites(d, "Legal Aid Law art. 49"));
    assert_true(d->has_materials_due_at);
    assert_non_null(strstr(d->reason, "王司法"));
    legalaid__batch__free_unpacked(b, NULL);
    r = decide_objection(f, "BT-2026-000701", 0, "王司法");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
    /* Not overdue: the tick past the bureau's date reports nothing. */
    clock_set_ms(T_0309_2400 + MS_PER_HOUR);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(counter(f, "objections_overdue"), 0);
}

static void test_objection_against_approval_and_overdue(void **state)
{
    fixture_t *f = *state;
    test_received_t p;
    test_received_init(&p, "BT-2026-000801", "15020319800101011");
    commit_letter(&p);
    feed(f, &p);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
    Legalaid__Reply *r = file_objection(f, "BT-2026-000801", "不服");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "APPROVED_PENDING_VERIFICATION"));
    assert_non_null(strstr(r->error, "art. 49"));
    legalaid__reply__free_unpacked(r, NULL);

    /* Left undecided past its date: reported once, nothing decided. */
    test_received_t q;
    refused_case(f, &q, "BT-2026-000802");
    r = file_objection(f, "BT-2026-000802", "收入计算有误");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    legalaid__batch__free_unpacked(published(f), NULL);
    /* Saturday 03-07 is not the last day: the weekend moves it to 03-09. */
    clock_set_ms(T_0307_2400 + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(counter(f, "objections_overdue"), 0);
    clock_set_ms(T_0309_2400 + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(counter(f, "objections_overdue"), 1);
    assert_nothing_published(f);
    r = get_objection(f, "BT-2026-000802");
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__FILED);
    legalaid__reply__free_unpacked(r, NULL);
    /* Upheld late: the refusal stands, nothing decided again. */
    r = decide_objection(f, "BT-2026-000802", 0, "张司法");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__UPHELD);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Batch *b = published(f);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_OBJECTION_DECIDED);
    legalaid__batch__free_unpacked(b, NULL);
    r = get_decision(f, "BT-2026-000802");
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__REFUSED);
    legalaid__reply__free_unpacked(r, NULL);
}

/* A correction by objection is not undone when materials arrive: the case
 * is decided as the correction was (art. 49), never refused again on the
 * ground set aside; the notice's deadline is kept (art. 43(2)). */
static void test_correction_survives_materials(void **state)
{
    fixture_t *f = *state;
    test_received_t p;
    refused_case(f, &p, "BT-2026-000751");
    Legalaid__Reply *r = file_objection(f, "BT-2026-000751", "收入证明把家庭总收入当作人均收入");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    clock_set_ms(T_0302_1000 + MS_PER_DAY);
    r = decide_objection(f, "BT-2026-000751", 1, "王司法");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    r = get_decision(f, "BT-2026-000751");
    int64_t due = r->decision->materials_due_at;
    /* 15 days from 03-03: 03-18 24:00. */
    assert_int_equal(due, T_0317_2400 + MS_PER_DAY);
    legalaid__reply__free_unpacked(r, NULL);

    /* Something supplied that settles nothing: the stored income is still
     * above the standard, yet no refusal; the same deadline. */
    clock_set_ms(T_0302_1000 + 2 * MS_PER_DAY);
    feed_supplied(f, "BT-2026-000751", "村委会证明");
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__NEEDS_MATERIALS);
    r = get_decision(f, "BT-2026-000751");
    assert_int_equal(r->decision->materials_due_at, due);
    assert_true(test_cites(r->decision, "Legal Aid Law art. 49"));
    assert_non_null(strstr(r->decision->reason, "王司法"));
    assert_non_null(find_test(r->decision, "objection"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "refused"), 1);

    /* The per-head income, now declared (1,000 yuan ≤ 1,500): aid granted
     * on the corrected case, the bureau's order cited. */
    feed_supplied_facts(f, "BT-2026-000751", "家庭人均收入证明", -1, 100000);
    assert_int_equal(published_outcome(f), LEGALAID__OUTCOME__APPROVED);
    r = get_decision(f, "BT-2026-000751");
    assert_int_equal(r->decision->means_path, LEGALAID__MEANS_PATH__VERIFIED);
    assert_true(test_cites(r->decision, "Legal Aid Law art. 49"));
    assert_true(test_cites(r->decision, "Legal Aid Law art. 34"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(counter(f, "deadlines_open"), 0);
}

/* A case withdrawn while its objection is pending stays withdrawn: the
 * bureau's correction cannot revive it, nor is the objection overdue. */
static void test_withdrawn_while_objection_pending(void **state)
{
    fixture_t *f = *state;
    test_received_t p;
    refused_case(f, &p, "BT-2026-000761");
    Legalaid__Reply *r = file_objection(f, "BT-2026-000761", "收入计算有误");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    legalaid__batch__free_unpacked(published(f), NULL);
    feed_withdrawn(f, "BT-2026-000761", "已自行委托律师");
    assert_nothing_published(f); /* the refusal is final: no new decision */
    r = decide_objection(f, "BT-2026-000761", 1, "王司法");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "decide_objection.case_id");
    assert_non_null(strstr(r->error, "the applicant withdrew the application"));
    assert_non_null(strstr(r->error, "已自行委托律师"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_nothing_published(f);
    r = get_decision(f, "BT-2026-000761");
    assert_int_equal(r->decision->outcome, LEGALAID__OUTCOME__REFUSED);
    legalaid__reply__free_unpacked(r, NULL);
    r = get_objection(f, "BT-2026-000761");
    assert_int_equal(r->objection->state, LEGALAID__OBJECTION_STATE__FILED);
    legalaid__reply__free_unpacked(r, NULL);
    clock_set_ms(T_0309_2400 + MS_PER_SECOND);
    assert_int_equal(daemon_tick(f->td.d), 0);
    assert_int_equal(counter(f, "objections_overdue"), 0);
    assert_int_equal(counter(f, "objections_corrected"), 0);
}

int main(void)
{
    clock_set_utc_offset(480);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roll_import_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roll_answers_reach_the_decision, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calendar_moves_a_deadline_off_a_holiday, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_materials_supplied_decided_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_materials_deadline_from_the_notice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deemed_withdrawn_by_the_tick, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_false_commitment_terminates_and_bars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_objection_filed_and_corrected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_objection_against_approval_and_overdue, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_correction_survives_materials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawn_while_objection_pending, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
