/*
 * test-roster-board.c - the duty board as a desk and the centre read it:
 * every station at a chosen time (A checked in; A absent, B activated, and
 * the gap when neither came), the open requests oldest first with who holds
 * them, the person's name whole only to that station's desk, a detention
 * request unanswered for 24 hours shown as a gap (S5 art. 49, T-07), a
 * station's own view with its completed requests, and the open index the
 * board reads kept in step with raise, acknowledge and complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "principal.h"
#include "roster.h"
#include "rosterkit.h"
#include "testutil.h"

/* 2026-03-02 00:00 Beijing time (a Monday). */
#define DAY0 1772380800000LL
#define AT(h, m) (DAY0 + (int64_t)(h)*MS_PER_HOUR + (int64_t)(m)*60000LL)

typedef struct fixture {
    test_daemon_t td;
    uint64_t pool_seq;
} fixture_t;

static const char *const lawyer_ids[] = {"L1", "L2", "L3", "L4", "L5"};

/* Court: A L1, B L2; detention centre: A L3, B L4; both 09:00-17:00. */
static int setup(void **state)
{
    int rc = test_fixture_setup(state, sizeof(fixture_t), &roster_service, AT(8, 0));
    if (rc) return rc;
    fixture_t *f = *state;
    legalaid__reply__free_unpacked(rk_import_two_stations(f->td.d, 2), NULL);
    Legalaid__Reply *r = rk_import_one_agreement(f->td.d, &f->pool_seq, lawyer_ids, NULL, NULL, 5);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
    r = rk_import_four_shifts(f->td.d, lawyer_ids, NULL, NULL, AT(9, 0), AT(17, 0));
    assert_int_equal(r->import_result->accepted, 4);
    legalaid__reply__free_unpacked(r, NULL);
    return 0;
}

static int teardown(void **state)
{
    return test_fixture_teardown(state);
}

static Legalaid__Reply *board(fixture_t *f, int64_t at, const char *station)
{
    Legalaid__DutyBoardQuery q = LEGALAID__DUTY_BOARD_QUERY__INIT;
    q.at = at;
    q.has_at = at != 0;
    q.station = (char *)station;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DUTY_BOARD;
    req.duty_board = &q;
    return test_call_new(f->td.d, &req);
}

static void tick_at(fixture_t *f, int64_t at)
{
    clock_set_ms(at);
    assert_int_equal(daemon_tick(f->td.d), 0);
}

static char *raised(fixture_t *f, const char *station, const char *person)
{
    Legalaid__Reply *r =
        rk_raise(f->td.d, station, LEGALAID__DUTY_REQUEST_KIND__DUTY_CONSULTATION, person, 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    char *id = strdup(r->duty_request->id);
    legalaid__reply__free_unpacked(r, NULL);
    return id;
}

static const Legalaid__DutyAnswer *station_of(const Legalaid__DutyBoard *b, const char *code)
{
    for (size_t i = 0; i < b->n_stations; i++)
        if (strcmp(b->stations[i]->station->code, code) == 0) return b->stations[i];
    fail_msg("station %s not on the board", code);
    return NULL;
}

/* 10:10: the court's A checked in; at the detention centre nobody came,
 * B was activated at 09:15 and the post is a gap since 09:45. Two open
 * requests, the older first, each with its holder. */
static void test_every_station_at_a_time(void **state)
{
    fixture_t *f = *state;
    clock_set_ms(AT(8, 50));
    Legalaid__Reply *r = rk_check_in(f->td.d, "BT-COURT-02", "L1");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    tick_at(f, AT(9, 16));
    tick_at(f, AT(9, 47));
    clock_set_ms(AT(10, 0));
    char *court = raised(f, "BT-COURT-02", "李某某");
    clock_set_ms(AT(10, 5));
    char *dc = raised(f, "BT-DC-01", "王某某");

    r = board(f, AT(10, 10), NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    const Legalaid__DutyBoard *b = r->duty_board;
    assert_int_equal(b->at, AT(10, 10));
    assert_int_equal(b->n_stations, 2);
    const Legalaid__DutyAnswer *c = station_of(b, "BT-COURT-02"), *d = station_of(b, "BT-DC-01");
    assert_int_equal(c->n_on_duty, 2);
    assert_string_equal(c->on_duty[0]->lawyer_id, "L1");
    assert_true(c->on_duty[0]->has_checked_in_at);
    assert_string_equal(d->on_duty[0]->lawyer_id, "L3");
    assert_true(d->on_duty[0]->absent);
    assert_string_equal(d->on_duty[1]->lawyer_id, "L4");
    assert_true(d->on_duty[1]->backup_activated);
    assert_int_equal(b->n_gaps, 1);
    assert_string_equal(b->gaps[0]->station, "BT-DC-01");
    assert_int_equal(b->gaps[0]->reason, LEGALAID__GAP_REASON__GAP_NOBODY_CHECKED_IN);
    assert_int_equal(b->n_open, 2);
    assert_string_equal(b->open[0]->id, court);
    assert_string_equal(b->open[0]->lawyer_id, "L1");
    assert_int_equal(b->open[0]->raised_at, AT(10, 0));
    assert_string_equal(b->open[1]->id, dc);
    assert_string_equal(b->open[1]->person_name, "王某某"); /* staff read it whole */
    assert_int_equal(b->n_recent, 0);
    legalaid__reply__free_unpacked(r, NULL);

    /* Before the shifts: nobody on duty, no gap yet, no request yet. */
    r = board(f, AT(8, 0), NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(station_of(r->duty_board, "BT-DC-01")->n_on_duty, 0);
    assert_int_equal(r->duty_board->n_gaps, 0);
    legalaid__reply__free_unpacked(r, NULL);

    /* The court's desk reads its own person whole, the other station's masked. */
    principal_t desk = {.name = "court-02", .roles = ROLE_STATION};
    snprintf(desk.station, sizeof desk.station, "BT-COURT-02");
    daemon_test_act_as(f->td.d, &desk);
    r = board(f, AT(10, 10), NULL);
    daemon_test_act_as(f->td.d, NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_string_equal(r->duty_board->open[0]->person_name, "李某某");
    assert_string_not_equal(r->duty_board->open[1]->person_name, "王某某");
    assert_non_null(strstr(r->duty_board->open[1]->person_name, "王"));
    legalaid__reply__free_unpacked(r, NULL);
    free(court);
    free(dc);
}

/* A desk's own view: its station only; the request acknowledged stays
 * open, completed it leaves the open list for the recent one. */
static void test_one_station_and_its_recent(void **state)
{
    fixture_t *f = *state;
    clock_set_ms(AT(10, 0));
    char *id = raised(f, "BT-COURT-02", "李某某");
    free(raised(f, "BT-DC-01", "王某某"));
    Legalaid__Reply *r = rk_ack(f->td.d, id, "L1");
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    r = board(f, 0, "BT-COURT-02");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->duty_board->n_stations, 1);
    assert_int_equal(r->duty_board->n_open, 1);
    assert_int_equal(r->duty_board->open[0]->state,
                     LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ACKNOWLEDGED);
    assert_null(r->duty_board->open[0]->person_id_number);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__DutyLog lg = LEGALAID__DUTY_LOG__INIT;
    lg.charge = "盗窃罪";
    lg.question = "取保候审的条件";
    lg.help_given = "释明取保候审的条件和程序";
    clock_set_ms(AT(11, 0));
    r = rk_complete(f->td.d, id, "L1", &lg);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(test_counter(f->td.d, "duty_requests_open"), 1);
    r = board(f, AT(11, 5), "BT-COURT-02");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->duty_board->n_open, 0);
    assert_int_equal(r->duty_board->n_recent, 1);
    assert_string_equal(r->duty_board->recent[0]->id, id);
    assert_null(r->duty_board->recent[0]->log); /* the duty log is not the board's */
    legalaid__reply__free_unpacked(r, NULL);
    r = board(f, AT(11, 5), "BT-NOWHERE");
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    assert_string_equal(r->field, "duty_board.station");
    legalaid__reply__free_unpacked(r, NULL);
    free(id);
}

/* A detention centre's request nobody took in 24 hours is a gap on the
 * board from its due time (S5 art. 49, T-07), naming the request. */
static void test_unanswered_detention_request_is_a_gap(void **state)
{
    fixture_t *f = *state;
    clock_set_ms(AT(10, 0));
    char *id = raised(f, "BT-DC-01", "王某某");
    Legalaid__Reply *r = board(f, AT(10, 0) + 24 * MS_PER_HOUR + 60000, "BT-DC-01");
    test_assert_code(r, LEGALAID__CODE__OK);
    int found = 0;
    for (size_t i = 0; i < r->duty_board->n_gaps; i++)
        if (r->duty_board->gaps[i]->reason == LEGALAID__GAP_REASON__GAP_REQUEST_UNANSWERED) {
            assert_string_equal(r->duty_board->gaps[i]->request_id, id);
            found++;
        }
    assert_int_equal(found, 1);
    legalaid__reply__free_unpacked(r, NULL);
    r = board(f, AT(10, 0) + 23 * MS_PER_HOUR, "BT-DC-01");
    for (size_t i = 0; i < r->duty_board->n_gaps; i++)
        assert_int_not_equal(r->duty_board->gaps[i]->reason,
                             LEGALAID__GAP_REASON__GAP_REQUEST_UNANSWERED);
    legalaid__reply__free_unpacked(r, NULL);
    free(id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_station_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_station_and_its_recent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unanswered_detention_request_is_a_gap, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
