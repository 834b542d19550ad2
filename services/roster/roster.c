/*
 * roster.c - the roster service: its tables (roster_int.h), its
 * configuration, the request dispatch and its counters. The rules live in
 * one file each: stations, shifts, agreements, templates, calendar,
 * schedule generation and publication, leave and swaps, check-in, the
 * tick's deadlines, duty requests and their completion.
 */
#include "roster.h"

#include <stddef.h>
#include <stdio.h>

#include "roster_int.h"
#include "store.h"

roster_config_t roster_config;

#define OFF(f) offsetof(roster_config_t, f)
static const cfg_key_t roster_keys[] = {
    {"min_rest_minutes", CFG_INT, "720", 0, 2880, OFF(min_rest_minutes),
     "rest between two shifts of one lawyer in a generated schedule, a swap or a replacement"},
    {"checkin_grace_minutes", CFG_INT, "15", 1, 240, OFF(checkin_grace_minutes),
     "the A post not checked in this long after the start: the B post is activated"},
    {"backup_grace_minutes", CFG_INT, "30", 1, 240, OFF(backup_grace_minutes),
     "the B post not checked in this long after its activation: a coverage gap"},
    {"checkin_early_minutes", CFG_INT, "60", 0, 240, OFF(checkin_early_minutes),
     "a check-in is accepted this long before the shift starts"},
    {"request_ack_minutes", CFG_INT, "30", 1, 1440, OFF(request_ack_minutes),
     "a duty request not acknowledged this long: A -> B -> the centre"},
    {"detention_answer_hours", CFG_INT, "24", 1, 72, OFF(detention_answer_hours),
     "a detention-centre request is answered within (S5 art. 49, DOMAIN T-07)"},
    {"share_band_permille", CFG_INT, "50", 0, 1000, OFF(share_band_permille),
     "a firm's posts in a schedule may stray this many per mille from its share"},
    {"meeting_slot_minutes", CFG_INT, "30", 5, 480, OFF(meeting_slot_minutes),
     "length of a meeting slot at a station"},
    {"meeting_capacity", CFG_INT, "2", 1, 100, OFF(meeting_capacity),
     "meetings per slot at a station that sets no meeting_capacity of its own"},
    {"max_schedule_days", CFG_INT, "62", 1, 366, OFF(max_schedule_days),
     "the longest period one schedule generation covers"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

MDB_dbi roster_stations, roster_shifts, roster_by_lawyer, roster_agreements, roster_templates,
    roster_calendar, roster_schedules, roster_drafts, roster_leaves, roster_swaps, roster_due,
    roster_requests, roster_meetings, roster_detainee_slots, roster_pool;

static int roster_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    static const struct {
        const char *name;
        MDB_dbi *dbi;
    } tables[] = {
        {"stations", &roster_stations},
        {"shifts", &roster_shifts},
        {"shifts_by_lawyer", &roster_by_lawyer},
        {"agreements", &roster_agreements},
        {"templates", &roster_templates},
        {"calendar", &roster_calendar},
        {"schedules", &roster_schedules},
        {"drafts", &roster_drafts},
        {"leaves", &roster_leaves},
        {"swaps", &roster_swaps},
        {"due", &roster_due},
        {"requests", &roster_requests},
        {"meetings", &roster_meetings},
        {"detainee_slots", &roster_detainee_slots},
        {"pool", &roster_pool},
    };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        int rc = store_table(txn, tables[i].name, tables[i].dbi);
        if (rc) return rc;
    }
    return 0;
}

const char *roster_role_post(int role)
{
    return role == LEGALAID__SHIFT_ROLE__PRIMARY  ? "A"
           : role == LEGALAID__SHIFT_ROLE__BACKUP ? "B"
                                                  : "?";
}

int roster_seq_take(turn_t *t, const char *key, uint64_t *n)
{
    uint64_t v;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), key, &v);
    if (rc) return rc;
    *n = v + 1;
    return store_put_u64(t->txn, daemon_meta(t->d), key, *n);
}

static int roster_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_IMPORT_STATIONS:
        return roster_stations_import(t, req->import_stations, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_SHIFTS:
        return roster_shifts_import(t, req->import_shifts, reply);
    case LEGALAID__REQUEST__BODY_DUTY_QUERY:
        return roster_duty_query(t, req->duty_query, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_AGREEMENTS:
        return roster_agreements_import(t, req->import_agreements, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_TEMPLATES:
        return roster_templates_import(t, req->import_templates, reply);
    case LEGALAID__REQUEST__BODY_ROSTER_IMPORT_CALENDAR:
        return roster_calendar_import(t, req->roster_import_calendar, reply);
    case LEGALAID__REQUEST__BODY_GENERATE_SCHEDULE:
        return roster_schedule_generate(t, req->generate_schedule, reply);
    case LEGALAID__REQUEST__BODY_PUBLISH_SCHEDULE:
        return roster_schedule_publish(t, req->publish_schedule, reply);
    case LEGALAID__REQUEST__BODY_CHECK_IN:
        return roster_check_in(t, req->check_in, reply);
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
        return roster_shifts_list(t, req->list_shifts, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  "roster does not take request body %d (it takes stations, shifts, agreements, "
                  "templates, calendar, schedules, check-in, swaps, leave and duty requests)",
                  (int)req->body_case);
        return 0;
    }
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
    turn_counter(t, st, "deadlines_pending", store_count(t->txn, roster_due));
    return 0;
}

static const int roster_queries[] = {LEGALAID__REQUEST__BODY_DUTY_QUERY,
                                     LEGALAID__REQUEST__BODY_GET_DUTY_REQUEST,
                                     LEGALAID__REQUEST__BODY_LIST_SHIFTS, 0};

/* The lawyer pool comes from dispatch (roster_pool.c). */
static const char *const roster_upstreams[] = {"dispatch", NULL};

const service_t roster_service = {
    .name = "roster",
    .upstreams = roster_upstreams,
    .config_keys = roster_keys,
    .config = &roster_config,
    .queries = roster_queries,
    .open = roster_open,
    .handle = roster_handle,
    .apply = roster_pool_apply,
    .counters = roster_counters,
    .tick = roster_tick,
};
