/*
 * roster.c - the roster service's entry: the request switch, and the
 * service table that hands the skeleton the roster's configuration,
 * tables, stream apply, counters and tick. The files, by floor (each calls
 * only its own floor or below, without circles; roster_int.h declares
 * them in the same order):
 *
 * entry points
 *   roster.c             the request switch (DecideChange: SW- or LV-), counters
 *   roster_tick.c        the tick: the "due" table (common/due.h) handed to
 *                        check-in, gap, escalation and answer steps
 *   roster_pool_apply.c  dispatch's stream: the pool written, a lawyer
 *                        suspended or left taken off the shifts not yet over
 * steps
 *   roster_schedule.c    GenerateSchedule, PublishSchedule (draft, then all
 *                        or nothing on the roster)
 *   roster_generate.c    a period's A and B posts from templates, agreements,
 *                        shares, leave and the holiday calendar
 *   roster_request.c     duty requests, one state machine: raise, route,
 *                        escalate, acknowledge, complete (the duty log)
 *   roster_meeting.c     meeting slots of a station, a detainee booked once
 *   roster_leave.c       leave: requested, decided (shifts handed over)
 *   roster_swap.c        swaps: requested, decided
 *   roster_checkin.c     check-in and out; A absent -> B activated -> gap
 *   roster_cover.c       covering a post: who may take it (in the pool, not
 *                        on leave, rested), the hand-over, the coverage gap
 *   roster_assign.c      a shift placed under the rules (no double booking,
 *                        one A and one B per post, rest), check-in armed,
 *                        ShiftAssigned; the import of shifts
 *   roster_duty.c        who is on duty at a station at a time
 *   roster_list.c        ListShifts of a station or a lawyer
 *   roster_board.c       the duty board: every station at a time, open
 *                        requests, gaps; or one station's desk view
 *   roster_deadline.c    the deadlines roster announces on its events for
 *                        notify's timers (check-in, the 24-hour answer)
 * tables
 *   roster_template.c    "templates": when each station is staffed
 *   roster_agreement.c   "agreements": firms, periods, shares, duty lawyers
 *   roster_pool.c        "pool": dispatch's lawyers, and vetting against it
 *   roster_shift.c       "shifts", "shifts_by_lawyer": rows, keys, lookups
 *   roster_calendar.c    "calendar": holidays; day numbers and dates
 *   roster_station.c     "stations"
 *   roster_validate.c    field rules of imported stations and shifts
 *   roster_tables.c      configuration, table handles, the meta counters
 */
#include "roster.h"

#include <string.h>

#include "check.h"
#include "due.h"
#include "roster_int.h"
#include "store.h"
#include "i18n.h"

/* DecideChange: the centre decides a swap (SW-...) or a leave (LV-...). */
static int roster_change_decide(turn_t *t, const Legalaid__DecideChange *in, Legalaid__Reply *reply)
{
    if (!in->id || strlen(in->id) < 4 || strlen(in->id) > 32) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "decide_change.id",
                  _("id is required: a swap (SW-000001) or a leave (LV-000001)"));
        return 0;
    }
    if (!in->has_approve) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "decide_change.approve",
                  _("approve is required: true to approve, false to refuse"));
        return 0;
    }
    if (strncmp(in->id, "SW-", 3) == 0) return roster_swap_decide(t, in, reply);
    if (strncmp(in->id, "LV-", 3) == 0) return roster_leave_decide(t, in, reply);
    turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "decide_change.id",
              _("%s is neither a swap (SW-...) nor a leave (LV-...)"), in->id);
    return 0;
}

static int roster_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_IMPORT_STATIONS:
        return roster_station_import(t, req->import_stations, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_SHIFTS:
        return roster_assign_import(t, req->import_shifts, reply);
    case LEGALAID__REQUEST__BODY_DUTY_QUERY:
        return roster_duty_query(t, req->duty_query, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_AGREEMENTS:
        return roster_agreement_import(t, req->import_agreements, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_TEMPLATES:
        return roster_template_import(t, req->import_templates, reply);
    case LEGALAID__REQUEST__BODY_ROSTER_IMPORT_CALENDAR:
        return roster_calendar_import(t, req->roster_import_calendar, reply);
    case LEGALAID__REQUEST__BODY_GENERATE_SCHEDULE:
        return roster_schedule_generate(t, req->generate_schedule, reply);
    case LEGALAID__REQUEST__BODY_PUBLISH_SCHEDULE:
        return roster_schedule_publish(t, req->publish_schedule, reply);
    case LEGALAID__REQUEST__BODY_CHECK_IN:
        return roster_checkin(t, req->check_in, reply);
    case LEGALAID__REQUEST__BODY_RAISE_DUTY_REQUEST:
        return roster_request_raise(t, req->raise_duty_request, reply);
    case LEGALAID__REQUEST__BODY_ACK_DUTY_REQUEST:
        return roster_request_ack(t, req->ack_duty_request, reply);
    case LEGALAID__REQUEST__BODY_COMPLETE_DUTY_REQUEST:
        return roster_request_complete(t, req->complete_duty_request, reply);
    case LEGALAID__REQUEST__BODY_GET_DUTY_REQUEST:
        return roster_request_get(t, req->get_duty_request, reply);
    case LEGALAID__REQUEST__BODY_REQUEST_SWAP:
        return roster_swap_request(t, req->request_swap, reply);
    case LEGALAID__REQUEST__BODY_REQUEST_LEAVE:
        return roster_leave_request(t, req->request_leave, reply);
    case LEGALAID__REQUEST__BODY_DECIDE_CHANGE:
        return roster_change_decide(t, req->decide_change, reply);
    case LEGALAID__REQUEST__BODY_LIST_SHIFTS:
        return roster_list(t, req->list_shifts, reply);
    case LEGALAID__REQUEST__BODY_DUTY_BOARD:
        return roster_board(t, req->duty_board, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  _("roster does not take request body %d (it takes stations, shifts, agreements, "
                  "templates, calendar, schedules, check-in, swaps, leave and duty requests)"),
                  (int)req->body_case);
        return 0;
    }
}

/* The tables, then the operations' counts over them. */
static int roster_open(daemon_t *d, MDB_txn *txn)
{
    int rc = roster_tables_open(d, txn);
    return rc ? rc : roster_watch_open(d, txn);
}

static int roster_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    turn_counter(t, st, "stations", store_count(t->txn, roster_stations));
    turn_counter(t, st, "shifts", store_count(t->txn, roster_shifts));
    turn_counter(t, st, "agreements", store_count(t->txn, roster_agreements));
    turn_counter(t, st, "pool", store_count(t->txn, roster_pool));
    turn_counter(t, st, "templates", store_count(t->txn, roster_templates));
    turn_counter(t, st, "schedules", store_count(t->txn, roster_schedules));
    turn_counter(t, st, "duty_requests", store_count(t->txn, roster_requests));
    turn_counter(t, st, "deadlines_pending", due_count(t->txn, roster_due));
    return roster_watch_counters(t, st);
}

static const int roster_queries[] = {LEGALAID__REQUEST__BODY_DUTY_QUERY,
                                     LEGALAID__REQUEST__BODY_GET_DUTY_REQUEST,
                                     LEGALAID__REQUEST__BODY_LIST_SHIFTS,
                                     LEGALAID__REQUEST__BODY_DUTY_BOARD, 0};

/* The lawyer pool comes from dispatch (roster_pool_apply.c). */
static const char *const roster_upstreams[] = {"dispatch", NULL};
/* The daemons whose upstreams name this stream (fetch.c keeps positions for
 * them only). */
static const char *const roster_consumers[] = {"intake", "notify", NULL};

const service_t roster_service = {
    .name = "roster",
    .upstreams = roster_upstreams,
    .consumers = roster_consumers,
    .config_keys = roster_config_keys,
    .config = &roster_config,
    .queries = roster_queries,
    .open = roster_open,
    .handle = roster_handle,
    .apply = roster_pool_apply,
    .counters = roster_counters,
    .tick = roster_tick,
};
