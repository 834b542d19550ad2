/*
 * test-roster-schedule.c - a generated month for Baotou's 31 duty stations
 * (12 courts, 12 procuratorates, 7 detention centres) under four firms'
 * agreements, checked for the properties the roster promises: every
 * staffed shift has an A and a B held by two lawyers, nobody is in two
 * places at once, the minimum rest holds, each firm's posts stay within
 * [roster] share_band_permille of its share and are spread fairly among
 * its lawyers, holidays and make-up working days follow the calendar,
 * leave and join/leave dates are honoured. The checker is shown to fail on
 * a tampered schedule. Then the bad inputs: overlapping templates, an
 * unknown station, a lawyer outside the agreements, a schedule that cannot
 * be filled: a clear error and the roster unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "roster.h"
#include "rosterkit.h"
#include "testutil.h"

/* 2026-03-01 00:00 Beijing time; the month generated is March 2026. */
#define MAR1 1772294400000LL
#define DAY(d) (MAR1 + ((int64_t)(d)-1) * MS_PER_DAY)
#define NFIRMS 4
#define NSTATIONS 31

typedef struct fixture {
    test_daemon_t td;
    uint64_t pool_seq; /* dispatch's stream as the test feeds it */
} fixture_t;

static int setup(void **state)
{
    return test_fixture_setup(state, sizeof(fixture_t), &roster_service, MAR1 - 5 * MS_PER_DAY);
}

static int teardown(void **state)
{
    return test_fixture_teardown(state);
}

static const char *const firms[NFIRMS] = {"内蒙古鹿城律师事务所", "内蒙古钢城律师事务所",
                                          "内蒙古青山律师事务所", "内蒙古九原律师事务所"};

static Legalaid__Reply *call(fixture_t *f, Legalaid__Request *req)
{
    return test_call_new(f->td.d, req);
}

static void import_stations_templates(fixture_t *f)
{
    static rk_baotou_t b;
    rk_baotou_build(&b, 1);
    Legalaid__Reply *r = rk_import_stations(f->td.d, b.sp, NSTATIONS);
    assert_int_equal(r->import_result->accepted, NSTATIONS);
    legalaid__reply__free_unpacked(r, NULL);
    r = rk_import_templates(f->td.d, b.tpp, NSTATIONS);
    assert_int_equal(r->import_result->accepted, NSTATIONS);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Lawyer ids F<firm>-L<nn>; F0-L00 joins on 03-16, F1-L00 leaves on 03-16. */
static void import_agreements(fixture_t *f)
{
    static rk_firms_t fm;
    rk_firms_build(&fm, firms);
    for (int k = 0; k < NFIRMS; k++)
        test_feed_pool(f->td.d, &f->pool_seq, fm.pool[k], (size_t)rk_firm_lawyers[k], firms[k]);
    fm.dl[0][0].joined = "2026-03-16";
    fm.dl[1][0].left = "2026-03-16";
    Legalaid__Reply *r = rk_import_agreements(f->td.d, fm.agp, NFIRMS);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, NFIRMS);
    legalaid__reply__free_unpacked(r, NULL);
}

static void import_calendar(fixture_t *f)
{
    Legalaid__CalendarDay d[2], *dp[2] = {&d[0], &d[1]};
    legalaid__calendar_day__init(&d[0]);
    legalaid__calendar_day__init(&d[1]);
    d[0].date = "2026-03-09"; /* a holiday for the test (a Monday) */
    d[0].has_kind = d[1].has_kind = 1;
    d[0].kind = LEGALAID__DAY_KIND__HOLIDAY;
    d[1].date = "2026-03-15"; /* a make-up working Sunday */
    d[1].kind = LEGALAID__DAY_KIND__WORKDAY;
    Legalaid__ImportCalendar ic = LEGALAID__IMPORT_CALENDAR__INIT;
    ic.days = dp;
    ic.n_days = 2;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_ROSTER_IMPORT_CALENDAR;
    req.roster_import_calendar = &ic;
    Legalaid__Reply *r = call(f, &req);
    assert_int_equal(r->import_result->accepted, 2);
    legalaid__reply__free_unpacked(r, NULL);
}

/* F2-L03 on approved leave 03-10 00:00 to 03-13 00:00. */
static void leave_approved(fixture_t *f)
{
    Legalaid__Leave lv = LEGALAID__LEAVE__INIT;
    lv.lawyer_id = "F2-L03";
    lv.has_starts_at = lv.has_ends_at = 1;
    lv.starts_at = DAY(10);
    lv.ends_at = DAY(13);
    lv.reason = "病假";
    Legalaid__RequestLeave rl = LEGALAID__REQUEST_LEAVE__INIT;
    rl.leave = &lv;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REQUEST_LEAVE;
    req.request_leave = &rl;
    Legalaid__Reply *r = call(f, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__DecideChange dc = LEGALAID__DECIDE_CHANGE__INIT;
    dc.id = r->change->leave->id;
    dc.has_approve = dc.approve = 1;
    dc.officer = "王主任";
    req.body_case = LEGALAID__REQUEST__BODY_DECIDE_CHANGE;
    req.decide_change = &dc;
    Legalaid__Reply *r2 = call(f, &req);
    test_assert_code(r2, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r2, NULL);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Every published shift of the month, all stations (copied). */
typedef struct sh {
    char station[32], lawyer[32];
    int64_t from, to;
    int role, firm;
} sh_t;

static size_t month_shifts(fixture_t *f, sh_t *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < NSTATIONS; i++) {
        char code[32];
        rk_station_code(i, code);
        Legalaid__ListShifts ls = LEGALAID__LIST_SHIFTS__INIT;
        ls.station = code;
        ls.has_from_at = ls.has_to_at = 1;
        ls.from_at = DAY(1);
        ls.to_at = DAY(32);
        ls.max = 5000;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.body_case = LEGALAID__REQUEST__BODY_LIST_SHIFTS;
        req.list_shifts = &ls;
        Legalaid__Reply *r = test_call(f->td.d, &req);
        test_assert_code(r, LEGALAID__CODE__OK);
        for (size_t j = 0; j < r->shift_list->n_shifts && n < cap; j++) {
            const Legalaid__Shift *s = r->shift_list->shifts[j];
            snprintf(out[n].station, 32, "%s", s->station);
            snprintf(out[n].lawyer, 32, "%s", s->lawyer_id);
            out[n].from = s->starts_at;
            out[n].to = s->ends_at;
            out[n].role = s->role;
            out[n].firm = s->lawyer_id[1] - '0';
            n++;
        }
        legalaid__reply__free_unpacked(r, NULL);
    }
    return n;
}

static int by_lawyer(const void *a, const void *b)
{
    const sh_t *x = a, *y = b;
    int c = strcmp(x->lawyer, y->lawyer);
    if (c) return c;
    return x->from < y->from ? -1 : x->from > y->from;
}

static int by_post(const void *a, const void *b)
{
    const sh_t *x = a, *y = b;
    int c = strcmp(x->station, y->station);
    if (c) return c;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    return x->role - y->role;
}

/* The properties; returns the number of violations (printed). */
static int schedule_violations(sh_t *s, size_t n, int64_t rest_ms, int band_permille)
{
    int bad = 0;
    qsort(s, n, sizeof *s, by_post);
    for (size_t i = 0; i < n; i++) { /* A and B, two lawyers, per post */
        int pair =
            i + 1 < n && strcmp(s[i].station, s[i + 1].station) == 0 && s[i].from == s[i + 1].from;
        if (!pair || s[i].role != 1 || s[i + 1].role != 2 ||
            strcmp(s[i].lawyer, s[i + 1].lawyer) == 0) {
            if (bad++ < 5)
                fprintf(stderr, "post %s %lld lacks A and B\n", s[i].station, (long long)s[i].from);
            continue;
        }
        i++;
    }
    qsort(s, n, sizeof *s, by_lawyer);
    for (size_t i = 1; i < n; i++) /* no double booking, rest kept */
        if (strcmp(s[i].lawyer, s[i - 1].lawyer) == 0 && s[i].from < s[i - 1].to + rest_ms) {
            if (bad++ < 5)
                fprintf(stderr, "lawyer %s double-booked or without rest\n", s[i].lawyer);
        }
    unsigned posts[NFIRMS] = {0}, total = 0;
    for (size_t i = 0; i < n; i++) posts[s[i].firm]++, total++;
    for (int k = 0; k < NFIRMS; k++) {
        int actual = (int)(posts[k] * 1000 / (total ? total : 1)),
            target = (int)(rk_firm_shares[k] * 10);
        if (abs(actual - target) > band_permille) {
            bad++;
            fprintf(stderr, "firm %d holds %d permille, share %d\n", k, actual, target);
        }
    }
    /* Fair inside a firm: the lawyers there all month (not F0-L00, F1-L00,
     * F2-L03) differ by at most 2 posts. */
    for (int k = 0; k < NFIRMS; k++) {
        unsigned lo = ~0u, hi = 0;
        for (int j = 0; j < rk_firm_lawyers[k]; j++) {
            char id[32];
            snprintf(id, sizeof id, "F%d-L%02d", k, j);
            if (!strcmp(id, "F0-L00") || !strcmp(id, "F1-L00") || !strcmp(id, "F2-L03")) continue;
            unsigned c = 0;
            for (size_t i = 0; i < n; i++) c += strcmp(s[i].lawyer, id) == 0;
            if (c < lo) lo = c;
            if (c > hi) hi = c;
        }
        if (hi - lo > 2) {
            bad++;
            fprintf(stderr, "firm %d: lawyers hold %u to %u posts\n", k, lo, hi);
        }
    }
    return bad;
}

static void test_month_for_31_stations(void **state)
{
    fixture_t *f = *state;
    import_stations_templates(f);
    import_agreements(f);
    import_calendar(f);
    leave_approved(f);
    Legalaid__Reply *r = rk_generate(f->td.d, "2026-03-01", "2026-03-31");
    test_assert_code(r, LEGALAID__CODE__OK);
    const Legalaid__Schedule *s = r->schedule;
    /* 22 working days + 1 make-up Sunday - 1 holiday = 22 court/proc days,
     * 31 detention-centre days: (24 * 22 + 7 * 31) * 2 posts. */
    assert_int_equal(s->shifts, (24 * 22 + 7 * 31) * 2);
    assert_int_equal(s->holidays_skipped, 24);
    /* Generated under the shipped rest between two shifts of a lawyer: 12 h. */
    assert_int_equal(s->min_rest_minutes, 720);
    assert_int_equal(s->n_firms, NFIRMS);
    for (size_t k = 0; k < s->n_firms; k++) {
        assert_true(abs((int)s->firms[k]->actual_permille - (int)s->firms[k]->target_permille) <=
                    50);
        assert_false(s->firms[k]->outside_band);
    }
    char *id = strdup(s->id);
    legalaid__reply__free_unpacked(r, NULL);
    r = rk_publish(f->td.d, id);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->schedule->state, LEGALAID__SCHEDULE_STATE__SCHEDULE_PUBLISHED);
    legalaid__reply__free_unpacked(r, NULL);

    size_t cap = 4000;
    sh_t *all = calloc(cap, sizeof *all);
    size_t n = month_shifts(f, all, cap);
    assert_int_equal(n, (24 * 22 + 7 * 31) * 2);
    assert_int_equal(schedule_violations(all, n, 720 * 60000LL, 50), 0);
    for (size_t i = 0; i < n; i++) {
        /* Join and leave dates, leave, the holiday and the make-up day. */
        if (!strcmp(all[i].lawyer, "F0-L00")) assert_true(all[i].from >= DAY(16));
        if (!strcmp(all[i].lawyer, "F1-L00")) assert_true(all[i].from < DAY(16));
        if (!strcmp(all[i].lawyer, "F2-L03"))
            assert_true(all[i].to <= DAY(10) || all[i].from >= DAY(13));
        if (all[i].from >= DAY(9) && all[i].from < DAY(10))
            assert_non_null(strstr(all[i].station, "DC"));
    }
    int sunday15 = 0;
    for (size_t i = 0; i < n; i++)
        sunday15 +=
            all[i].from >= DAY(15) && all[i].from < DAY(16) && strstr(all[i].station, "COURT");
    assert_int_equal(sunday15, 24);

    /* A period overlapping the published month keeps its posts and fills
     * only the new days: Mar 20-31 (8 working days) kept, Apr 1-5 added. */
    r = rk_generate(f->td.d, "2026-03-20", "2026-04-05");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->schedule->already_staffed, (24 * 8 + 7 * 12) * 2);
    assert_int_equal(r->schedule->shifts, (24 * 3 + 7 * 5) * 2);
    char *id2 = strdup(r->schedule->id);
    legalaid__reply__free_unpacked(r, NULL);
    r = rk_publish(f->td.d, id2);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    free(id2);

    /* The checker can fail: a double booking, a post without B, a skewed share. */
    sh_t *bad = calloc(cap, sizeof *bad);
    memcpy(bad, all, n * sizeof *bad);
    qsort(bad, n, sizeof *bad, by_post);
    memcpy(bad[2].lawyer, bad[0].lawyer, sizeof bad[2].lawyer); /* one lawyer, two posts of a day */
    bad[2].from = bad[0].from;
    assert_true(schedule_violations(bad, n, 720 * 60000LL, 50) > 0);
    assert_true(schedule_violations(all, n, 720 * 60000LL, 0) > 0 ||
                schedule_violations(all, n - n / 3, 720 * 60000LL, 50) > 0);
    free(bad);
    free(all);
    free(id);
}

static void test_bad_input_leaves_roster_unchanged(void **state)
{
    fixture_t *f = *state;
    import_stations_templates(f);
    import_agreements(f);
    /* Overlapping templates at one station. */
    Legalaid__ShiftTemplate tp = LEGALAID__SHIFT_TEMPLATE__INIT, *tpp = &tp;
    tp.station = "BT-COURT-01";
    tp.name = "late";
    tp.days = "fri";
    tp.starts = "16:00";
    tp.ends = "20:00";
    Legalaid__ImportTemplates it = LEGALAID__IMPORT_TEMPLATES__INIT;
    it.templates = &tpp;
    it.n_templates = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_TEMPLATES;
    req.import_templates = &it;
    Legalaid__Reply *r = call(f, &req);
    assert_int_equal(r->import_result->accepted, 0);
    assert_string_equal(r->import_result->rejected[0]->field, "templates[0].starts");
    assert_non_null(strstr(r->import_result->rejected[0]->message, "overlapping shifts"));
    legalaid__reply__free_unpacked(r, NULL);
    tp.station = "BT-NOWHERE";
    r = call(f, &req);
    assert_string_equal(r->import_result->rejected[0]->field, "templates[0].station");
    assert_non_null(strstr(r->import_result->rejected[0]->message, "unknown station"));
    legalaid__reply__free_unpacked(r, NULL);

    /* An agreement naming an unknown station, and a lawyer of another firm. */
    Legalaid__DutyLawyer dl = LEGALAID__DUTY_LAWYER__INIT, *dlp = &dl;
    dl.id = "F1-L05";
    dl.name = "某律师";
    Legalaid__Agreement ag = LEGALAID__AGREEMENT__INIT, *agp = &ag;
    char *stations[] = {"BT-NOWHERE"};
    ag.id = "AG-X";
    ag.firm = "另一律师事务所";
    ag.starts = "2026-03-01";
    ag.ends = "2026-03-31";
    ag.has_share = 1;
    ag.share = 10;
    ag.stations = stations;
    ag.n_stations = 1;
    ag.lawyers = &dlp;
    ag.n_lawyers = 1;
    Legalaid__ImportAgreements ia = LEGALAID__IMPORT_AGREEMENTS__INIT;
    ia.agreements = &agp;
    ia.n_agreements = 1;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_AGREEMENTS;
    req.import_agreements = &ia;
    r = call(f, &req);
    assert_string_equal(r->import_result->rejected[0]->field, "agreements[0].stations[0]");
    legalaid__reply__free_unpacked(r, NULL);
    ag.n_stations = 0;
    r = call(f, &req);
    assert_string_equal(r->import_result->rejected[0]->field, "agreements[0].lawyers[0].id");
    assert_non_null(strstr(r->import_result->rejected[0]->message, "one firm at a time"));
    legalaid__reply__free_unpacked(r, NULL);

    /* Unknown station in a generation; a month nobody can fill (rest of
     * 12 h and 80 lawyers cannot hold 3 shifts a day at 31 stations). */
    Legalaid__GenerateSchedule g = LEGALAID__GENERATE_SCHEDULE__INIT;
    char *bad_station[] = {"BT-NOWHERE"};
    g.from = "2026-03-01";
    g.to = "2026-03-31";
    g.stations = bad_station;
    g.n_stations = 1;
    req.body_case = LEGALAID__REQUEST__BODY_GENERATE_SCHEDULE;
    req.generate_schedule = &g;
    r = call(f, &req);
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "generate_schedule.stations[0]");
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__ShiftTemplate ev[NSTATIONS], *evp[NSTATIONS];
    char codes[NSTATIONS][32];
    for (int i = 0; i < NSTATIONS; i++) {
        rk_station_code(i, codes[i]);
        legalaid__shift_template__init(&ev[i]);
        ev[i].station = codes[i];
        ev[i].name = "evening";
        ev[i].days = "daily";
        ev[i].starts = "18:00";
        ev[i].ends = "23:00";
        evp[i] = &ev[i];
    }
    it.templates = evp;
    it.n_templates = NSTATIONS;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_TEMPLATES;
    req.import_templates = &it;
    r = call(f, &req);
    legalaid__reply__free_unpacked(r, NULL);
    r = rk_generate(f->td.d, "2026-03-01", "2026-03-31");
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, "nobody can take the"));
    legalaid__reply__free_unpacked(r, NULL);
    /* Nothing was drafted or published. */
    Legalaid__Reply *p = rk_publish(f->td.d, "S-2026-03-01-2026-03-31");
    test_assert_code(p, LEGALAID__CODE__NOT_FOUND);
    legalaid__reply__free_unpacked(p, NULL);
    sh_t one[4];
    assert_int_equal(month_shifts(f, one, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_month_for_31_stations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_leaves_roster_unchanged, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
