/*
 * gateway_trend.c - the figures behind the operations board's charts
 * (web/trend.js draws them), for the board's roles:
 *
 *   GET /api/trend?days=N   N days to today (1-400, 90): by day, from
 *                           eligibility the applications received and the
 *                           first decisions with the time each took from
 *                           receipt (art. 43), from dispatch the
 *                           assignments with the time from approval
 *                           (art. 36); and every lawyer in the pool with
 *                           the offers the matcher made them against
 *                           their fair share of those offers, and their
 *                           open cases.
 *
 * The daemons keep the figures by day as data (common/daily.h), so the
 * answer costs N reads per series whatever a year holds. Every read goes
 * as the signed-in person; a daemon that refuses or is down leaves its
 * series out and is named under "errors".
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "gateway_int.h"
#include "pbjson.h"
#include "i18n.h"

#define TREND_ROLES (ROLE_STAFF | ROLE_OFFICER | ROLE_OPERATIONS | ROLE_ADMIN)

enum { TREND_ELIGIBILITY, TREND_DISPATCH, TREND_LAWYERS, TREND_ASKS };

typedef struct gateway_trend_work {
    gateway_req_t *r;
    json_t *series, *lawyers, *errors;
    uint32_t days;
    int waiting;
} gateway_trend_work_t;

typedef struct gateway_trend_call {
    gateway_trend_work_t *w;
    int which;
} gateway_trend_call_t;

static const char *const gateway_trend_daemon[TREND_ASKS] = {"eligibility", "dispatch",
                                                              "dispatch"};

static json_t *gateway_trend_lawyers(const Legalaid__LawyerList *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < l->n_lawyers; i++) {
        const Legalaid__LawyerLoad *ll = l->lawyers[i];
        if (!ll->lawyer || !ll->lawyer->id) continue;
        json_t *j = json_object();
        json_object_set_new(j, "id", json_string(ll->lawyer->id));
        json_object_set_new(j, "name", json_string(ll->lawyer->name ? ll->lawyer->name : ""));
        json_object_set_new(j, "firm", json_string(ll->lawyer->firm ? ll->lawyer->firm : ""));
        json_object_set_new(j, "open_cases", json_integer(ll->open_cases));
        json_object_set_new(j, "offers", json_integer(ll->offers));
        json_object_set_new(j, "fair_share", json_real(ll->ideal_milli / 1000.0));
        json_object_set_new(j, "accepted", json_integer(ll->accepted));
        json_object_set_new(j, "declined", json_integer(ll->declined));
        json_object_set_new(j, "manual", json_integer(ll->manual));
        json_array_append_new(arr, j);
    }
    return arr;
}

static void gateway_trend_reply(void *ctx, const Legalaid__Reply *reply)
{
    gateway_trend_call_t *c = ctx;
    gateway_trend_work_t *w = c->w;
    int ok = reply && reply->code == LEGALAID__CODE__OK;
    if (ok && c->which == TREND_LAWYERS && reply->body_case == LEGALAID__REPLY__BODY_LAWYERS) {
        w->lawyers = gateway_trend_lawyers(reply->lawyers);
    } else if (ok && c->which != TREND_LAWYERS && reply->body_case == LEGALAID__REPLY__BODY_DAILY) {
        for (size_t i = 0; i < reply->daily->n_series; i++) {
            const Legalaid__DailySeries *s = reply->daily->series[i];
            json_object_set_new(w->series, s->name, pbjson_from_message(&s->base, 1));
        }
    } else {
        const char *why = reply && reply->error ? reply->error
                          : reply               ? "拒绝 (refused)"
                                                : "无应答 (no answer: down or unreachable)";
        json_object_set_new(w->errors, gateway_trend_daemon[c->which], json_string(why));
    }
    if (--w->waiting) return;
    json_t *out = json_object();
    json_object_set_new(out, "now", json_integer(clock_now_ms()));
    json_object_set_new(out, "days", json_integer(w->days));
    json_object_set_new(out, "series", w->series);
    json_object_set_new(out, "lawyers", w->lawyers ? w->lawyers : json_array());
    json_object_set_new(out, "errors", w->errors);
    gateway_http_json(w->r, 200, out);
}

void gateway_trend_data(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_signin_need(r, TREND_ROLES);
    if (!s) return;
    const char *arg = gateway_http_get_arg(r, "days");
    char *end = NULL;
    long days = arg ? strtol(arg, &end, 10) : 90;
    if (arg && (!*arg || *end || days < 1 || days > 400)) {
        gateway_http_problem(r, 400, "invalid-field", "days",
                             _("days: a whole number of days, 1 to 400"));
        return;
    }
    gateway_trend_work_t *w = arena_alloc(&r->arena, sizeof *w);
    memset(w, 0, sizeof *w);
    w->r = r;
    w->days = (uint32_t)days;
    w->series = json_object();
    w->errors = json_object();
    w->waiting = TREND_ASKS;
    static char *eligibility_names[] = {"applications", "decision_seconds"};
    static char *dispatch_names[] = {"assign_seconds"};
    for (int i = 0; i < TREND_ASKS; i++) {
        gateway_trend_call_t *c = arena_alloc(&r->arena, sizeof *c);
        c->w = w;
        c->which = i;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        Legalaid__DailyQuery q = LEGALAID__DAILY_QUERY__INIT;
        Legalaid__LawyersQuery lq = LEGALAID__LAWYERS_QUERY__INIT;
        q.days = w->days;
        q.has_days = 1;
        if (i == TREND_LAWYERS) {
            req.body_case = LEGALAID__REQUEST__BODY_LAWYERS;
            req.lawyers = &lq;
        } else {
            req.body_case = LEGALAID__REQUEST__BODY_DAILY;
            req.daily = &q;
            q.names = i == TREND_ELIGIBILITY ? eligibility_names : dispatch_names;
            q.n_names = i == TREND_ELIGIBILITY ? 2 : 1;
        }
        gateway_session_ask(NULL, s, i == TREND_ELIGIBILITY ? GW_ELIGIBILITY : GW_DISPATCH, &req,
                            gateway_trend_reply, c);
    }
    if (!r->response) gateway_http_suspend(r);
}
