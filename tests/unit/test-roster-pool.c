/*
 * test-roster-pool.c - the roster and the lawyer pool, through real turns:
 * dispatch's LawyersImported events fed to the roster (daemon_feed), then
 * agreement imports. Before any pool an import is UNAVAILABLE; a duty
 * lawyer unknown to the pool, suspended, left, of another firm, a volunteer
 * or a grassroots legal worker is refused naming the field while the good
 * agreements go in. A lawyer the pool later suspends loses the shifts not
 * yet over as under an approved leave (ShiftChanged to a replacement,
 * LeaveDecided), keeps the ones already over, and cannot be swapped in; a
 * post nobody can take raises a coverage gap to the centre.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "roster.h"
#include "rosterkit.h"
#include "testutil.h"

/* 2026-03-02 00:00 Beijing time (a Monday). */
#define DAY0 1772380800000LL
#define AT(d, h) (DAY0 + (int64_t)(d)*MS_PER_DAY + (int64_t)(h)*MS_PER_HOUR)

#define FIRM_A "内蒙古鹿城律师事务所"
#define FIRM_B "内蒙古钢城律师事务所"

typedef struct fixture {
    test_daemon_t td;
    uint64_t seq; /* dispatch's stream as the test feeds it */
} fixture_t;

static int setup(void **state)
{
    return test_fixture_setup(state, sizeof(fixture_t), &roster_service, AT(0, 8));
}

static int teardown(void **state)
{
    return test_fixture_teardown(state);
}

typedef struct member {
    const char *id, *firm;
    Legalaid__LawyerStatus status;
    Legalaid__ProviderKind kind;
} member_t;

/* Feeds one LawyersImported of dispatch's stream holding the members. */
static void feed_pool(fixture_t *f, const member_t *m, size_t n)
{
    Legalaid__Lawyer l[16], *lp[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++) {
        legalaid__lawyer__init(&l[i]);
        l[i].id = (char *)m[i].id;
        l[i].name = "值班律师";
        l[i].firm = (char *)m[i].firm;
        l[i].phone = "13947201234";
        l[i].has_status = l[i].has_kind = 1;
        l[i].status = m[i].status;
        l[i].kind = m[i].kind;
        lp[i] = &l[i];
    }
    Legalaid__LawyersImported li = LEGALAID__LAWYERS_IMPORTED__INIT;
    li.lawyers = lp;
    li.n_lawyers = n;
    li.has_count = 1;
    li.count = (uint32_t)n;
    char event_id[32];
    Legalaid__Event ev = LEGALAID__EVENT__INIT, *evp = &ev;
    ev.has_seq = 1;
    ev.seq = ++f->seq;
    snprintf(event_id, sizeof event_id, "dispatch:%llu", (unsigned long long)ev.seq);
    ev.event_id = event_id;
    ev.stream = "dispatch";
    ev.body_case = LEGALAID__EVENT__BODY_LAWYERS_IMPORTED;
    ev.lawyers_imported = &li;
    assert_int_equal(daemon_feed(f->td.d, "dispatch", &evp, 1), 0);
}

#define ACTIVE LEGALAID__LAWYER_STATUS__ACTIVE
#define SUSPENDED LEGALAID__LAWYER_STATUS__SUSPENDED
#define LEFT LEGALAID__LAWYER_STATUS__LEFT
#define LAWYER LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER

/* Agreement storage for one import: up to 8 agreements of 6 lawyers. */
typedef struct agreements {
    Legalaid__Agreement ag[8], *agp[8];
    Legalaid__DutyLawyer dl[8][6], *dlp[8][6];
    char ids[8][16];
    size_t n;
} agreements_t;

/* Adds an agreement of firm listing the lawyer ids (NULL-terminated). */
static void agreement_add(agreements_t *a, const char *firm, const char *const *lawyers)
{
    assert_true(a->n < 8);
    size_t k = a->n++;
    legalaid__agreement__init(&a->ag[k]);
    snprintf(a->ids[k], sizeof a->ids[k], "AG-%zu", k + 1);
    a->ag[k].id = a->ids[k];
    a->ag[k].firm = (char *)firm;
    a->ag[k].starts = "2026-01-01";
    a->ag[k].ends = "2026-12-31";
    a->ag[k].has_share = 1;
    a->ag[k].share = 50;
    size_t j = 0;
    for (; lawyers[j]; j++) {
        assert_true(j < 6);
        legalaid__duty_lawyer__init(&a->dl[k][j]);
        a->dl[k][j].id = (char *)lawyers[j];
        a->dl[k][j].name = "值班律师";
        a->dl[k][j].phone = "13947201234";
        a->dlp[k][j] = &a->dl[k][j];
    }
    a->ag[k].lawyers = a->dlp[k];
    a->ag[k].n_lawyers = j;
    a->agp[k] = &a->ag[k];
}

static Legalaid__Reply *agreements_import(fixture_t *f, agreements_t *a)
{
    return rk_import_agreements(f->td.d, a->agp, a->n);
}

static void assert_rejected(const Legalaid__ImportResult *res, size_t i, const char *field,
                            const char *words)
{
    assert_true(i < res->n_rejected);
    assert_string_equal(res->rejected[i]->field, field);
    if (!strstr(res->rejected[i]->message, words))
        fail_msg("message \"%s\" lacks \"%s\"", res->rejected[i]->message, words);
}

static void test_agreements_before_any_pool(void **state)
{
    fixture_t *f = *state;
    agreements_t a = {0};
    agreement_add(&a, FIRM_A, (const char *const[]){"L1", NULL});
    Legalaid__Reply *r = agreements_import(f, &a);
    test_assert_code(r, LEGALAID__CODE__UNAVAILABLE);
    assert_string_equal(r->field, "import_agreements.agreements");
    assert_non_null(strstr(r->error, "the lawyer pool has not reached the roster yet: import "
                                     "lawyers first"));
    legalaid__reply__free_unpacked(r, NULL);
    /* Once the pool has come, the same import goes in. */
    feed_pool(f, (const member_t[]){{"L1", FIRM_A, ACTIVE, LAWYER}}, 1);
    r = agreements_import(f, &a);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_duty_lawyers_vetted(void **state)
{
    fixture_t *f = *state;
    const member_t pool[] = {
        {"L1", FIRM_A, ACTIVE, LAWYER},
        {"L2", FIRM_A, SUSPENDED, LAWYER},
        {"L3", FIRM_A, LEFT, LAWYER},
        {"L4", FIRM_B, ACTIVE, LAWYER},
        {"L5", FIRM_A, ACTIVE, LEGALAID__PROVIDER_KIND__PROVIDER_VOLUNTEER},
        {"L6", FIRM_A, ACTIVE, LEGALAID__PROVIDER_KIND__PROVIDER_GRASSROOTS},
        {"L7", FIRM_A, ACTIVE, LAWYER},
    };
    feed_pool(f, pool, sizeof pool / sizeof pool[0]);
    agreements_t a = {0};
    agreement_add(&a, FIRM_A, (const char *const[]){"L1", "L7", NULL});
    agreement_add(&a, FIRM_A, (const char *const[]){"L1", "L2", NULL});
    agreement_add(&a, FIRM_A, (const char *const[]){"L1", "L7", "L9", NULL});
    agreement_add(&a, FIRM_A, (const char *const[]){"L3", NULL});
    agreement_add(&a, FIRM_A, (const char *const[]){"L1", "L7", "L1X", NULL});
    a.dl[4][2].id = "L4"; /* a member of firm B */
    agreement_add(&a, FIRM_A, (const char *const[]){"L5", NULL});
    agreement_add(&a, FIRM_A, (const char *const[]){"L6", NULL});
    Legalaid__Reply *r = agreements_import(f, &a);
    test_assert_code(r, LEGALAID__CODE__OK);
    const Legalaid__ImportResult *res = r->import_result;
    assert_int_equal(res->accepted, 1);
    assert_int_equal(res->n_rejected, 6);
    assert_rejected(res, 0, "agreements[1].lawyers[1].id",
                    "lawyer L2 is not an active member of the pool (suspended)");
    assert_rejected(res, 1, "agreements[2].lawyers[2].id",
                    "lawyer L9 is not an active member of the pool (not imported");
    assert_rejected(res, 2, "agreements[3].lawyers[0].id",
                    "lawyer L3 is not an active member of the pool (left)");
    assert_rejected(res, 3, "agreements[4].lawyers[2].id",
                    "lawyer L4 is a member of " FIRM_B " in the pool, not of " FIRM_A);
    assert_rejected(res, 4, "agreements[5].lawyers[0].id",
                    "L5 is a volunteer in the pool: duty lawyers are lawyers");
    assert_rejected(res, 5, "agreements[6].lawyers[0].id",
                    "L6 is a grassroots legal worker in the pool: duty lawyers are lawyers");
    legalaid__reply__free_unpacked(r, NULL);
    /* L2 reinstated by a later pool import: the agreement goes in. */
    feed_pool(f, (const member_t[]){{"L2", FIRM_A, ACTIVE, LAWYER}}, 1);
    agreements_t b = {0};
    agreement_add(&b, FIRM_A, (const char *const[]){"L1", "L2", NULL});
    r = agreements_import(f, &b);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
}

/* --- a suspension on the published roster --------------------------------- */

static void import_station(fixture_t *f)
{
    Legalaid__Station s = LEGALAID__STATION__INIT, *sp = &s;
    s.code = "BT-COURT-02";
    s.name = "昆都仑区人民法院法律援助工作站";
    s.has_kind = 1;
    s.kind = LEGALAID__STATION_KIND__COURT_STATION;
    Legalaid__Reply *r = rk_import_stations(f->td.d, &sp, 1);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Shifts at BT-COURT-02, 09:00-17:00 on day d[i] with A a[i] and B b[i]. */
static void import_shifts(fixture_t *f, const int *d, const char *const *a, const char *const *b,
                          size_t n)
{
    Legalaid__Shift s[8], *sp[8];
    assert_true(2 * n <= 8);
    for (size_t i = 0; i < 2 * n; i++) {
        legalaid__shift__init(&s[i]);
        s[i].station = "BT-COURT-02";
        s[i].lawyer_id = (char *)(i % 2 ? b[i / 2] : a[i / 2]);
        s[i].lawyer_name = "值班律师";
        s[i].lawyer_phone = "13947201234";
        s[i].has_starts_at = s[i].has_ends_at = s[i].has_role = 1;
        s[i].starts_at = AT(d[i / 2], 9);
        s[i].ends_at = AT(d[i / 2], 17);
        s[i].role = i % 2 ? LEGALAID__SHIFT_ROLE__BACKUP : LEGALAID__SHIFT_ROLE__PRIMARY;
        sp[i] = &s[i];
    }
    Legalaid__Reply *r = rk_import_shifts(f->td.d, sp, 2 * n);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 2 * n);
    legalaid__reply__free_unpacked(r, NULL);
}

/* The lawyer on post role at BT-COURT-02 at 10:00 on day d ("" if none). */
static void on_duty(fixture_t *f, int d, int role, char out[16])
{
    Legalaid__DutyQuery q = LEGALAID__DUTY_QUERY__INIT;
    q.station = "BT-COURT-02";
    q.has_at = 1;
    q.at = AT(d, 10);
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DUTY_QUERY;
    req.duty_query = &q;
    Legalaid__Reply *r = test_call(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    out[0] = 0;
    for (size_t i = 0; i < r->duty_answer->n_on_duty; i++)
        if ((int)r->duty_answer->on_duty[i]->role == role)
            snprintf(out, 16, "%s", r->duty_answer->on_duty[i]->lawyer_id);
    legalaid__reply__free_unpacked(r, NULL);
}

static uint64_t stream_head(fixture_t *f)
{
    Legalaid__Batch *b;
    assert_int_equal(daemon_read_stream(f->td.d, 0, &b), 0);
    uint64_t head = b->n_events ? b->events[b->n_events - 1]->seq : 0;
    legalaid__batch__free_unpacked(b, NULL);
    return head;
}

static void roster_with(fixture_t *f, const char *const *lawyers)
{
    member_t pool[6];
    size_t n = 0;
    for (; lawyers[n]; n++) {
        assert_true(n < 6);
        pool[n] = (member_t){lawyers[n], FIRM_A, ACTIVE, LAWYER};
    }
    feed_pool(f, pool, n);
    agreements_t a = {0};
    agreement_add(&a, FIRM_A, lawyers);
    Legalaid__Reply *r = agreements_import(f, &a);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    import_station(f);
}

static void test_suspension_hands_shifts_over(void **state)
{
    fixture_t *f = *state;
    roster_with(f, (const char *const[]){"L1", "L2", "L3", "L4", NULL});
    /* Monday (today, over by 17:00), Wednesday and Friday: L1 holds A. */
    import_shifts(f, (const int[]){0, 2, 4}, (const char *const[]){"L1", "L1", "L1"},
                  (const char *const[]){"L2", "L2", "L3"}, 3);
    clock_set_ms(AT(1, 12)); /* Tuesday noon: Monday's shift is over */
    uint64_t head = stream_head(f);
    feed_pool(f, (const member_t[]){{"L1", FIRM_A, SUSPENDED, LAWYER}}, 1);

    char a[16], b[16];
    on_duty(f, 0, LEGALAID__SHIFT_ROLE__PRIMARY, a);
    assert_string_equal(a, "L1"); /* the past stays as it was */
    on_duty(f, 2, LEGALAID__SHIFT_ROLE__PRIMARY, a);
    on_duty(f, 2, LEGALAID__SHIFT_ROLE__BACKUP, b);
    assert_true(strcmp(a, "L3") == 0 || strcmp(a, "L4") == 0);
    assert_string_equal(b, "L2");
    on_duty(f, 4, LEGALAID__SHIFT_ROLE__PRIMARY, a);
    assert_true(strcmp(a, "L2") == 0 || strcmp(a, "L4") == 0);

    /* The events of an approved leave: a ShiftChanged per shift, then
     * LeaveDecided. */
    Legalaid__Batch *ev;
    assert_int_equal(daemon_read_stream(f->td.d, head, &ev), 0);
    size_t changed = 0;
    const Legalaid__Leave *lv = NULL;
    for (size_t i = 0; i < ev->n_events; i++) {
        const Legalaid__Event *e = ev->events[i];
        if (e->body_case == LEGALAID__EVENT__BODY_SHIFT_CHANGED) {
            assert_string_equal(e->shift_changed->before->lawyer_id, "L1");
            assert_string_not_equal(e->shift_changed->after->lawyer_id, "L1");
            assert_string_equal(e->shift_changed->because, "LV-000001");
            changed++;
        }
        if (e->body_case == LEGALAID__EVENT__BODY_LEAVE_DECIDED) lv = e->leave_decided->leave;
        assert_int_not_equal(e->body_case, LEGALAID__EVENT__BODY_COVERAGE_GAP);
    }
    assert_int_equal(changed, 2);
    assert_non_null(lv);
    assert_string_equal(lv->id, "LV-000001");
    assert_string_equal(lv->lawyer_id, "L1");
    assert_int_equal(lv->state, LEGALAID__CHANGE_STATE__CHANGE_APPROVED);
    assert_int_equal(lv->shifts_reassigned, 2);
    assert_non_null(strstr(lv->reason, "no longer an active member of the lawyer pool (suspended"));
    legalaid__batch__free_unpacked(ev, NULL);

    /* Nor can L1 be swapped back in. */
    on_duty(f, 4, LEGALAID__SHIFT_ROLE__PRIMARY, a);
    Legalaid__Swap s = LEGALAID__SWAP__INIT;
    s.station = "BT-COURT-02";
    s.has_starts_at = s.has_role = 1;
    s.starts_at = AT(4, 9);
    s.role = LEGALAID__SHIFT_ROLE__PRIMARY;
    s.from_lawyer = a;
    s.to_lawyer = "L1";
    s.reason = "想换班";
    Legalaid__RequestSwap rs = LEGALAID__REQUEST_SWAP__INIT;
    rs.swap = &s;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REQUEST_SWAP;
    req.request_swap = &rs;
    Legalaid__Reply *r = test_call_new(f->td.d, &req);
    assert_int_not_equal(r->code, LEGALAID__CODE__OK);
    assert_non_null(strstr(r->error, "not an active member of the pool"));
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_left_with_nobody_to_take_over(void **state)
{
    fixture_t *f = *state;
    roster_with(f, (const char *const[]){"L1", "L2", NULL});
    import_shifts(f, (const int[]){2}, (const char *const[]){"L1"}, (const char *const[]){"L2"}, 1);
    uint64_t head = stream_head(f);
    feed_pool(f, (const member_t[]){{"L1", FIRM_A, LEFT, LAWYER}}, 1);
    char a[16], b[16];
    on_duty(f, 2, LEGALAID__SHIFT_ROLE__PRIMARY, a);
    on_duty(f, 2, LEGALAID__SHIFT_ROLE__BACKUP, b);
    assert_string_equal(a, ""); /* not L1: nobody could take the A post */
    assert_string_equal(b, "L2");
    Legalaid__Batch *ev;
    assert_int_equal(daemon_read_stream(f->td.d, head, &ev), 0);
    const Legalaid__CoverageGap *gap = NULL;
    const Legalaid__Leave *lv = NULL;
    for (size_t i = 0; i < ev->n_events; i++) {
        if (ev->events[i]->body_case == LEGALAID__EVENT__BODY_COVERAGE_GAP)
            gap = ev->events[i]->coverage_gap;
        if (ev->events[i]->body_case == LEGALAID__EVENT__BODY_LEAVE_DECIDED)
            lv = ev->events[i]->leave_decided->leave;
    }
    assert_non_null(gap);
    assert_string_equal(gap->station, "BT-COURT-02");
    assert_int_equal(gap->starts_at, AT(2, 9));
    assert_int_equal(gap->reason, LEGALAID__GAP_REASON__GAP_HOLDER_LEFT_POOL);
    assert_non_null(strstr(
        gap->detail,
        "lawyer L1 is no longer an active member of the lawyer pool (left, by dispatch's pool "
        "import) (LV-000001)"));
    assert_non_null(lv);
    assert_int_equal(lv->shifts_reassigned, 0);
    legalaid__batch__free_unpacked(ev, NULL);
}

/* A generated week leaves a suspended lawyer out; a draft made before the
 * suspension is not published with the lawyer in it. */
static void test_generation_and_publication_follow_the_pool(void **state)
{
    fixture_t *f = *state;
    roster_with(f, (const char *const[]){"L1", "L2", "L3", "L4", "L5", NULL});
    Legalaid__ShiftTemplate tp = LEGALAID__SHIFT_TEMPLATE__INIT, *tpp = &tp;
    tp.station = "BT-COURT-02";
    tp.name = "day";
    tp.days = "mon-fri";
    tp.starts = "09:00";
    tp.ends = "17:00";
    Legalaid__Reply *r = rk_import_templates(f->td.d, &tpp, 1);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    r = rk_generate(f->td.d, "2026-03-09", "2026-03-13");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->schedule->shifts, 10);
    char *id = strdup(r->schedule->id);
    legalaid__reply__free_unpacked(r, NULL);
    /* Everyone holds a post in the draft; L1 is suspended before it is
     * published: nothing is published. */
    feed_pool(f, (const member_t[]){{"L1", FIRM_A, SUSPENDED, LAWYER}}, 1);
    r = rk_publish(f->td.d, id);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "lawyer L1 of the "));
    assert_non_null(strstr(r->error, "no longer an active member of the pool"));
    legalaid__reply__free_unpacked(r, NULL);
    free(id);
    char a[16];
    on_duty(f, 9, LEGALAID__SHIFT_ROLE__PRIMARY, a);
    assert_string_equal(a, "");
    /* Generated again, the week goes to the four others and is published. */
    r = rk_generate(f->td.d, "2026-03-09", "2026-03-13");
    test_assert_code(r, LEGALAID__CODE__OK);
    id = strdup(r->schedule->id);
    legalaid__reply__free_unpacked(r, NULL);
    r = rk_publish(f->td.d, id);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    free(id);
    for (int d = 7; d <= 11; d++) {
        char b[16];
        on_duty(f, d, LEGALAID__SHIFT_ROLE__PRIMARY, a);
        on_duty(f, d, LEGALAID__SHIFT_ROLE__BACKUP, b);
        assert_true(a[0] && b[0]);
        assert_string_not_equal(a, "L1");
        assert_string_not_equal(b, "L1");
    }
}

/* An A post at BT-COURT-02 for lawyer, 09:00-17:00 on day d. */
static void a_post(Legalaid__Shift *s, const char *lawyer, int d)
{
    legalaid__shift__init(s);
    s->station = "BT-COURT-02";
    s->lawyer_id = (char *)lawyer;
    s->lawyer_name = "值班律师";
    s->has_starts_at = s->has_ends_at = s->has_role = 1;
    s->starts_at = AT(d, 9);
    s->ends_at = AT(d, 17);
    s->role = LEGALAID__SHIFT_ROLE__PRIMARY;
}

/* Shifts made elsewhere (import shifts) before any pool reached the roster:
 * refused whole as UNAVAILABLE, nothing placed (issue 17, item 12). */
static void test_shifts_before_any_pool(void **state)
{
    fixture_t *f = *state;
    import_station(f);
    Legalaid__Shift s, *sp = &s;
    a_post(&s, "L1", 2);
    Legalaid__Reply *r = rk_import_shifts(f->td.d, &sp, 1);
    test_assert_code(r, LEGALAID__CODE__UNAVAILABLE);
    assert_string_equal(r->field, "import_shifts.shifts");
    assert_non_null(strstr(r->error, "the lawyer pool is not known yet"));
    legalaid__reply__free_unpacked(r, NULL);
    char a[16];
    on_duty(f, 2, LEGALAID__SHIFT_ROLE__PRIMARY, a);
    assert_string_equal(a, "");
}

/* An imported shift is vetted as a generated one is: its lawyer an active
 * lawyer of the pool and a duty lawyer of an agreement serving the station
 * that day (R-DUTY-09); the firm is filled from the agreement. */
static void test_imported_shifts_vetted(void **state)
{
    fixture_t *f = *state;
    feed_pool(f,
              (const member_t[]){{"L1", FIRM_A, ACTIVE, LAWYER},
                                 {"L2", FIRM_A, ACTIVE, LAWYER},
                                 {"L3", FIRM_A, ACTIVE, LAWYER},
                                 {"L4", FIRM_B, ACTIVE, LAWYER}},
              4);
    agreements_t ag = {0};
    agreement_add(&ag, FIRM_A, (const char *const[]){"L1", "L2", "L3", NULL});
    ag.dl[0][2].joined = "2026-03-05"; /* L3: on the roster from Thursday */
    Legalaid__Reply *r = agreements_import(f, &ag);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    feed_pool(f, (const member_t[]){{"L2", FIRM_A, SUSPENDED, LAWYER}}, 1);
    import_station(f);

    const char *who[] = {"L1", "L2", "L3", "L4", "L9"};
    Legalaid__Shift s[5], *sp[5];
    for (size_t i = 0; i < 5; i++) {
        a_post(&s[i], who[i], (int)i); /* Monday to Friday, one a day */
        sp[i] = &s[i];
    } /* L3 on Wednesday: before joining */
    r = rk_import_shifts(f->td.d, sp, 5);
    test_assert_code(r, LEGALAID__CODE__OK);
    const Legalaid__ImportResult *res = r->import_result;
    assert_int_equal(res->accepted, 1);
    assert_int_equal(res->n_rejected, 4);
    assert_rejected(res, 0, "shifts[1].lawyer_id", "not an active member of the pool (suspended)");
    assert_rejected(res, 1, "shifts[2].lawyer_id",
                    "L3 is a duty lawyer of no firm's agreement serving BT-COURT-02 on 2026-03-04");
    assert_rejected(res, 2, "shifts[3].lawyer_id", "no firm's agreement");
    assert_rejected(res, 3, "shifts[4].lawyer_id",
                    "not an active member of the pool (not imported");
    legalaid__reply__free_unpacked(r, NULL);
    /* The accepted one carries its firm, from the agreement. */
    Legalaid__Batch *b;
    assert_int_equal(daemon_read_stream(f->td.d, stream_head(f) - 1, &b), 0);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_SHIFT_ASSIGNED);
    assert_string_equal(b->events[0]->shift_assigned->shift->lawyer_id, "L1");
    assert_string_equal(b->events[0]->shift_assigned->shift->firm, FIRM_A);
    legalaid__batch__free_unpacked(b, NULL);
}

/* The days an agreement's duty lawyer may be on duty, at their edges: from
 * the day he joined, up to the day before he left (joined <= day < left),
 * and to the agreement's last day inclusive. */
static void test_agreement_day_edges(void **state)
{
    fixture_t *f = *state;
    feed_pool(f,
              (const member_t[]){{"L1", FIRM_A, ACTIVE, LAWYER},
                                 {"L2", FIRM_A, ACTIVE, LAWYER},
                                 {"L3", FIRM_A, ACTIVE, LAWYER}},
              3);
    agreements_t ag = {0};
    agreement_add(&ag, FIRM_A, (const char *const[]){"L1", "L2", "L3", NULL});
    ag.ag[0].ends = "2026-03-05";      /* Thursday, its last day */
    ag.dl[0][0].left = "2026-03-04";   /* L1: Tuesday is his last day */
    ag.dl[0][1].joined = "2026-03-04"; /* L2: from Wednesday */
    Legalaid__Reply *r = agreements_import(f, &ag);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    import_station(f);

    const struct {
        const char *who;
        int day; /* 0: Monday 03-02 */
    } posts[] = {{"L1", 1}, {"L1", 2}, {"L2", 1}, {"L2", 2}, {"L3", 3}, {"L3", 4}};
    Legalaid__Shift s[6], *sp[6];
    for (size_t i = 0; i < 6; i++) {
        a_post(&s[i], posts[i].who, posts[i].day);
        sp[i] = &s[i];
    }
    r = rk_import_shifts(f->td.d, sp, 6);
    test_assert_code(r, LEGALAID__CODE__OK);
    const Legalaid__ImportResult *res = r->import_result;
    assert_int_equal(res->accepted, 3); /* L1 Tuesday, L2 Wednesday, L3 Thursday */
    assert_int_equal(res->n_rejected, 3);
    assert_rejected(res, 0, "shifts[1].lawyer_id", "L1 is a duty lawyer of no firm's agreement");
    assert_rejected(res, 1, "shifts[2].lawyer_id", "L2 is a duty lawyer of no firm's agreement");
    assert_rejected(res, 2, "shifts[5].lawyer_id", "L3 is a duty lawyer of no firm's agreement");
    legalaid__reply__free_unpacked(r, NULL);
}

/* Imported shifts back to back: a shift may begin the moment the lawyer's
 * last one ends, and end the moment his next one begins (double booking is
 * an overlap, not a touch). The check-in deadline (checkin_grace_minutes
 * after the start) is armed only while it is still ahead: a post imported
 * at the very moment its grace ends waits for nobody. */
static void test_imported_shifts_touch(void **state)
{
    fixture_t *f = *state;
    feed_pool(f, (const member_t[]){{"L1", FIRM_A, ACTIVE, LAWYER}, {"L2", FIRM_A, ACTIVE, LAWYER}},
              2);
    agreements_t ag = {0};
    agreement_add(&ag, FIRM_A, (const char *const[]){"L1", "L2", NULL});
    Legalaid__Reply *r = agreements_import(f, &ag);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    import_station(f);

    Legalaid__Shift s[4], *sp[4];
    for (size_t i = 0; i < 4; i++) sp[i] = &s[i];
    a_post(&s[0], "L1", 1); /* Tuesday 09:00-17:00 */
    a_post(&s[1], "L1", 1); /* then 17:00-21:00, as the first ends */
    s[1].starts_at = AT(1, 17);
    s[1].ends_at = AT(1, 21);
    a_post(&s[2], "L2", 2); /* Wednesday 09:00-17:00 */
    a_post(&s[3], "L2", 2); /* and 05:00-09:00 before it, ending as it begins */
    s[3].starts_at = AT(2, 5);
    s[3].ends_at = AT(2, 9);
    s[1].role = s[3].role = LEGALAID__SHIFT_ROLE__BACKUP;
    size_t pending = test_counter(f->td.d, "deadlines_pending");
    r = rk_import_shifts(f->td.d, sp, 4);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 4);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "deadlines_pending"), pending + 4); /* one a post start */

    /* Thursday's post imported at 09:15 exactly, its grace ended: no wait. */
    clock_set_ms(AT(3, 9) + roster_config.checkin_grace_minutes * 60000LL);
    pending = test_counter(f->td.d, "deadlines_pending");
    a_post(&s[0], "L1", 3);
    r = rk_import_shifts(f->td.d, sp, 1);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "deadlines_pending"), pending);
    /* Friday's a millisecond before its grace ends: armed. */
    clock_set_ms(AT(4, 9) + roster_config.checkin_grace_minutes * 60000LL - 1);
    a_post(&s[0], "L2", 4);
    r = rk_import_shifts(f->td.d, sp, 1);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "deadlines_pending"), pending + 1);
}

/* A lawyer who moves firm in a later pool import leaves the old firm's
 * agreement from that day, and the posts still ahead of him there are handed
 * over as under a leave; he cannot be given one of that firm's posts again. */
static void test_moved_firm_leaves_agreement(void **state)
{
    fixture_t *f = *state;
    roster_with(f, (const char *const[]){"L1", "L2", "L3", "L4", NULL});
    import_shifts(f, (const int[]){2, 4}, (const char *const[]){"L1", "L1"},
                  (const char *const[]){"L2", "L3"}, 2);
    clock_set_ms(AT(1, 12)); /* Tuesday noon */
    uint64_t head = stream_head(f);
    feed_pool(f, (const member_t[]){{"L1", FIRM_B, ACTIVE, LAWYER}}, 1);

    char a[16];
    on_duty(f, 2, LEGALAID__SHIFT_ROLE__PRIMARY, a);
    assert_string_not_equal(a, "L1");
    assert_string_not_equal(a, "");
    on_duty(f, 4, LEGALAID__SHIFT_ROLE__PRIMARY, a);
    assert_string_not_equal(a, "L1");
    Legalaid__Batch *ev;
    assert_int_equal(daemon_read_stream(f->td.d, head, &ev), 0);
    const Legalaid__Leave *lv = NULL;
    for (size_t i = 0; i < ev->n_events; i++)
        if (ev->events[i]->body_case == LEGALAID__EVENT__BODY_LEAVE_DECIDED)
            lv = ev->events[i]->leave_decided->leave;
    assert_non_null(lv);
    assert_string_equal(lv->lawyer_id, "L1");
    assert_int_equal(lv->shifts_reassigned, 2);
    assert_non_null(strstr(lv->reason, "moved to " FIRM_B));
    legalaid__batch__free_unpacked(ev, NULL);

    /* Off FIRM_A's agreement: a post of Thursday is refused him. */
    Legalaid__Shift s, *sp = &s;
    a_post(&s, "L1", 3);
    Legalaid__Reply *r = rk_import_shifts(f->td.d, &sp, 1);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 0);
    assert_rejected(r->import_result, 0, "shifts[0].lawyer_id", "no firm's agreement");
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_agreements_before_any_pool, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duty_lawyers_vetted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suspension_hands_shifts_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shifts_before_any_pool, setup, teardown),
        cmocka_unit_test_setup_teardown(test_imported_shifts_vetted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_moved_firm_leaves_agreement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_left_with_nobody_to_take_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_agreement_day_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_imported_shifts_touch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generation_and_publication_follow_the_pool, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
