/*
 * test-roster.c - the roster through real turns: station imports that keep
 * the good records and name each bad one, the shift rules (unknown station,
 * a double-booked lawyer, a second A post, a shift ending before it
 * starts), and who is on duty at a station at a given time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "roster.h"
#include "rosterkit.h"
#include "testutil.h"

/* 2026-03-02 00:00 Beijing time, and the clock at 10:00 that day. */
#define DAY0 1772380800000LL
#define H(h) (DAY0 + (int64_t)((h) * (double)MS_PER_HOUR))

typedef struct fixture {
    test_daemon_t td; /* first: see test_fixture_setup */
} fixture_t;

static int setup(void **state)
{
    return test_fixture_setup(state, sizeof(fixture_t), &roster_service, H(10));
}

static int teardown(void **state)
{
    return test_fixture_teardown(state);
}

static void station_init(Legalaid__Station *s, const char *code, const char *name, int kind)
{
    legalaid__station__init(s);
    s->code = (char *)code;
    s->name = (char *)name;
    if (kind) {
        s->has_kind = 1;
        s->kind = (Legalaid__StationKind)kind;
    }
}

static Legalaid__Reply *import_stations(fixture_t *f, Legalaid__Station *list, size_t n)
{
    Legalaid__Station *ptrs[16];
    for (size_t i = 0; i < n; i++) ptrs[i] = &list[i];
    Legalaid__ImportStations is = LEGALAID__IMPORT_STATIONS__INIT;
    is.stations = ptrs;
    is.n_stations = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_STATIONS;
    req.import_stations = &is;
    return test_call_new(f->td.d, &req);
}

static void import_two_stations(fixture_t *f)
{
    Legalaid__Station s[3];
    station_init(&s[0], "KDL-COURT", "昆都仑区人民法院法律援助工作站",
                 LEGALAID__STATION_KIND__COURT_STATION);
    station_init(&s[1], "BT-DC1", "包头市第一看守所法律援助工作站",
                 LEGALAID__STATION_KIND__DETENTION_CENTRE);
    station_init(&s[2], "QS-PROC", "青山区人民检察院法律援助工作站",
                 LEGALAID__STATION_KIND__PROCURATORATE_STATION);
    Legalaid__Reply *r = import_stations(f, s, 3);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 3);
    legalaid__reply__free_unpacked(r, NULL);
    /* Imported shifts are held by the duty lawyers of an agreement. */
    static const char *const ids[] = {"L001", "L002", "L003", "L004", "L005",
                                      "L006", "L007", "L008", "L009"};
    uint64_t pool_seq = 0;
    r = rk_import_one_agreement(f->td.d, &pool_seq, ids, NULL, NULL, 9);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
}

static void shift_init(Legalaid__Shift *s, const char *station, const char *lawyer, int64_t from,
                       int64_t to, int role)
{
    legalaid__shift__init(s);
    s->station = (char *)station;
    s->lawyer_id = (char *)lawyer;
    s->lawyer_name = "张律师";
    s->lawyer_phone = "13947201234";
    s->has_starts_at = s->has_ends_at = 1;
    s->starts_at = from;
    s->ends_at = to;
    if (role) {
        s->has_role = 1;
        s->role = (Legalaid__ShiftRole)role;
    }
}

static Legalaid__Reply *import_shifts(fixture_t *f, Legalaid__Shift *list, size_t n)
{
    Legalaid__Shift *ptrs[16];
    for (size_t i = 0; i < n; i++) ptrs[i] = &list[i];
    Legalaid__ImportShifts is = LEGALAID__IMPORT_SHIFTS__INIT;
    is.shifts = ptrs;
    is.n_shifts = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_SHIFTS;
    req.import_shifts = &is;
    return test_call_new(f->td.d, &req);
}

static Legalaid__Reply *duty(fixture_t *f, const char *station, int64_t at)
{
    Legalaid__DutyQuery q = LEGALAID__DUTY_QUERY__INIT;
    q.station = (char *)station;
    if (at) {
        q.has_at = 1;
        q.at = at;
    }
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DUTY_QUERY;
    req.duty_query = &q;
    return test_call(f->td.d, &req);
}

static const Legalaid__ImportError *rejected_at(const Legalaid__ImportResult *res, uint32_t index)
{
    for (size_t i = 0; i < res->n_rejected; i++)
        if (res->rejected[i]->index == index) return res->rejected[i];
    fail_msg("record %u was not rejected", index);
    return NULL;
}

static void test_station_import_reports_bad_rows(void **state)
{
    fixture_t *f = *state;
    Legalaid__Station s[5];
    station_init(&s[0], "KDL-COURT", "昆都仑区人民法院法律援助工作站",
                 LEGALAID__STATION_KIND__COURT_STATION);
    station_init(&s[1], "kdl court", "小写代码", LEGALAID__STATION_KIND__COURT_STATION);
    station_init(&s[2], "DL-WS", NULL, LEGALAID__STATION_KIND__WORKSTATION_STATION);
    station_init(&s[3], "TY-WIN", "土右旗法律援助中心窗口", 0);
    station_init(&s[4], "BT-DC1", "包头市第一看守所法律援助工作站",
                 LEGALAID__STATION_KIND__DETENTION_CENTRE);
    s[4].county = "九原区";
    Legalaid__Reply *r = import_stations(f, s, 5);
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__ImportResult *res = r->import_result;
    assert_int_equal(res->accepted, 2);
    assert_int_equal(res->n_rejected, 3);
    assert_string_equal(rejected_at(res, 1)->field, "stations[1].code");
    assert_non_null(strstr(rejected_at(res, 1)->message, "A-Z"));
    assert_string_equal(rejected_at(res, 2)->field, "stations[2].name");
    assert_non_null(strstr(rejected_at(res, 2)->message, "DL-WS"));
    assert_string_equal(rejected_at(res, 3)->field, "stations[3].kind");
    legalaid__reply__free_unpacked(r, NULL);

    /* One StationsImported with the count of the good records. */
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(f->td.d, 0, &b), 0);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_STATIONS_IMPORTED);
    assert_int_equal(b->events[0]->stations_imported->count, 2);
    legalaid__batch__free_unpacked(b, NULL);

    /* Re-importing a code updates the station. */
    station_init(&s[0], "KDL-COURT", "昆都仑区人民法院诉讼服务中心工作站",
                 LEGALAID__STATION_KIND__COURT_STATION);
    r = import_stations(f, s, 1);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    r = duty(f, "KDL-COURT", 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_string_equal(r->duty_answer->station->name, "昆都仑区人民法院诉讼服务中心工作站");
    /* No time given: now (the test clock runs on from 10:00). */
    assert_in_range(r->duty_answer->at, H(10), H(10) + 60000);
    legalaid__reply__free_unpacked(r, NULL);

    /* Nothing to import is an error naming the list. */
    r = import_stations(f, s, 0);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "import_stations.stations");
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_shift_rules(void **state)
{
    fixture_t *f = *state;
    import_two_stations(f);
    Legalaid__Shift s[9];
    shift_init(&s[0], "KDL-COURT", "L001", H(8), H(17), LEGALAID__SHIFT_ROLE__PRIMARY);
    shift_init(&s[1], "KDL-COURT", "L002", H(8), H(17), LEGALAID__SHIFT_ROLE__BACKUP);
    shift_init(&s[2], "NOPE", "L003", H(8), H(17), LEGALAID__SHIFT_ROLE__PRIMARY);
    shift_init(&s[3], "BT-DC1", "L001", H(12), H(20), LEGALAID__SHIFT_ROLE__PRIMARY);
    shift_init(&s[4], "KDL-COURT", "L003", H(16), H(22), LEGALAID__SHIFT_ROLE__PRIMARY);
    shift_init(&s[5], "KDL-COURT", "L004", H(17), H(22), LEGALAID__SHIFT_ROLE__PRIMARY);
    shift_init(&s[6], "BT-DC1", "L005", H(18), H(9), LEGALAID__SHIFT_ROLE__PRIMARY);
    shift_init(&s[7], "BT-DC1", "L006", H(0), H(25), LEGALAID__SHIFT_ROLE__BACKUP);
    shift_init(&s[8], "BT-DC1", "L007", H(8), H(12), 0);
    Legalaid__Reply *r = import_shifts(f, s, 9);
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__ImportResult *res = r->import_result;
    assert_int_equal(res->accepted, 3);
    assert_int_equal(res->n_rejected, 6);

    const Legalaid__ImportError *e = rejected_at(res, 2);
    assert_string_equal(e->field, "shifts[2].station");
    assert_non_null(strstr(e->message, "unknown station NOPE"));

    /* L001 is at the court 08:00-17:00: the detention centre cannot have him at 12:00. */
    e = rejected_at(res, 3);
    assert_string_equal(e->field, "shifts[3].lawyer_id");
    assert_non_null(strstr(e->message, "L001"));
    assert_non_null(strstr(e->message, "KDL-COURT"));
    assert_non_null(strstr(e->message, "2026-03-02 08:00"));

    /* A second A post at the court overlapping L001's; the one starting at
     * 17:00, when L001's ends, is fine. */
    e = rejected_at(res, 4);
    assert_string_equal(e->field, "shifts[4].role");
    assert_non_null(strstr(e->message, "A post"));
    assert_non_null(strstr(e->message, "L001"));

    e = rejected_at(res, 6);
    assert_string_equal(e->field, "shifts[6].ends_at");
    assert_non_null(strstr(e->message, "before it starts"));
    e = rejected_at(res, 7);
    assert_string_equal(e->field, "shifts[7].ends_at");
    assert_non_null(strstr(e->message, "24 hours"));
    assert_string_equal(rejected_at(res, 8)->field, "shifts[8].role");
    legalaid__reply__free_unpacked(r, NULL);

    /* One ShiftAssigned per accepted shift, under no case, on site by default
     * (after the AgreementsImported of the agreement). */
    Legalaid__Batch *b = NULL;
    assert_int_equal(daemon_read_stream(f->td.d, 2, &b), 0);
    assert_int_equal(b->n_events, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(b->events[i]->body_case, LEGALAID__EVENT__BODY_SHIFT_ASSIGNED);
        assert_true(!b->events[i]->case_id || !b->events[i]->case_id[0]);
        assert_int_equal(b->events[i]->shift_assigned->shift->mode, LEGALAID__DUTY_MODE__ON_SITE);
    }
    assert_string_equal(b->events[2]->shift_assigned->shift->lawyer_id, "L004");
    legalaid__batch__free_unpacked(b, NULL);

    /* The same shift again changes nothing and does not conflict with itself;
     * a changed end time updates it. */
    r = import_shifts(f, s, 1);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(daemon_read_stream(f->td.d, 5, &b), 0);
    assert_int_equal(b->n_events, 0);
    legalaid__batch__free_unpacked(b, NULL);
    s[0].ends_at = H(16);
    r = import_shifts(f, s, 1);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    r = duty(f, "KDL-COURT", H(16.5));
    assert_int_equal(r->duty_answer->n_on_duty, 1); /* only L002 (B) now */
    assert_string_equal(r->duty_answer->on_duty[0]->lawyer_id, "L002");
    legalaid__reply__free_unpacked(r, NULL);

    /* Counters: stations and shifts. */
    Legalaid__StreamStatusQuery sq = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &sq;
    r = test_call(f->td.d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    int seen = 0;
    for (size_t i = 0; i < r->stream_status->n_counters; i++) {
        Legalaid__Counter *c = r->stream_status->counters[i];
        if (!strcmp(c->name, "stations")) assert_int_equal(c->value, 3), seen++;
        if (!strcmp(c->name, "shifts")) assert_int_equal(c->value, 3), seen++;
    }
    assert_int_equal(seen, 2);
    legalaid__reply__free_unpacked(r, NULL);
}

static void assert_on_duty(fixture_t *f, const char *station, int64_t at, const char *first,
                           const char *second)
{
    Legalaid__Reply *r = duty(f, station, at);
    test_assert_code(r, LEGALAID__CODE__OK);
    Legalaid__DutyAnswer *a = r->duty_answer;
    assert_string_equal(a->station->code, station);
    assert_int_equal(a->at, at);
    size_t want = (first ? 1 : 0) + (second ? 1 : 0);
    assert_int_equal(a->n_on_duty, want);
    if (first) assert_string_equal(a->on_duty[0]->lawyer_id, first);
    if (second) assert_string_equal(a->on_duty[1]->lawyer_id, second);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_duty_query(void **state)
{
    fixture_t *f = *state;
    import_two_stations(f);
    Legalaid__Shift s[6];
    shift_init(&s[0], "KDL-COURT", "L001", H(8), H(12), LEGALAID__SHIFT_ROLE__PRIMARY);
    shift_init(&s[1], "KDL-COURT", "L002", H(8), H(17), LEGALAID__SHIFT_ROLE__BACKUP);
    shift_init(&s[2], "KDL-COURT", "L003", H(13), H(17), LEGALAID__SHIFT_ROLE__PRIMARY);
    /* The B post started before the A post: the answer still lists A first. */
    shift_init(&s[3], "BT-DC1", "L007", H(6), H(18), LEGALAID__SHIFT_ROLE__BACKUP);
    shift_init(&s[4], "BT-DC1", "L008", H(9), H(18), LEGALAID__SHIFT_ROLE__PRIMARY);
    /* A night shift of 23 hours, started the day before. */
    shift_init(&s[5], "QS-PROC", "L009", H(-4), H(19), LEGALAID__SHIFT_ROLE__PRIMARY);
    s[5].has_mode = 1;
    s[5].mode = LEGALAID__DUTY_MODE__BY_PHONE;
    Legalaid__Reply *r = import_shifts(f, s, 6);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 6);
    legalaid__reply__free_unpacked(r, NULL);

    assert_on_duty(f, "KDL-COURT", H(9), "L001", "L002");
    assert_on_duty(f, "KDL-COURT", H(12.5), "L002", NULL); /* A post empty over lunch */
    assert_on_duty(f, "KDL-COURT", H(13), "L003", "L002"); /* starts_at is inclusive */
    assert_on_duty(f, "KDL-COURT", H(17), NULL, NULL);     /* ends_at is exclusive */
    assert_on_duty(f, "KDL-COURT", H(7.99), NULL, NULL);
    assert_on_duty(f, "BT-DC1", H(10), "L008", "L007");
    assert_on_duty(f, "BT-DC1", H(7), "L007", NULL);
    assert_on_duty(f, "QS-PROC", H(18.5), "L009", NULL);
    assert_on_duty(f, "QS-PROC", H(-3), "L009", NULL);
    assert_on_duty(f, "QS-PROC", H(19), NULL, NULL);

    r = duty(f, "QS-PROC", H(10));
    assert_int_equal(r->duty_answer->on_duty[0]->mode, LEGALAID__DUTY_MODE__BY_PHONE);
    assert_string_equal(r->duty_answer->on_duty[0]->lawyer_name, "张律师");
    legalaid__reply__free_unpacked(r, NULL);

    /* Unknown station: NOT_FOUND naming it; no station at all: the field. */
    r = duty(f, "XX-COURT", H(9));
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "duty_query.station");
    assert_non_null(strstr(r->error, "XX-COURT"));
    legalaid__reply__free_unpacked(r, NULL);
    r = duty(f, NULL, H(9));
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "duty_query.station");
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_station_import_reports_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shift_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duty_query, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
