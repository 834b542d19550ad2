/*
 * gateway_report.c - the centre's statistics for staff (issue 14), the
 * same as `legalaidctl report` (common/json/report.c makes both):
 *
 *   GET /api/report?year=YYYY | from=YYYY-MM-DD&to=YYYY-MM-DD
 *                  [&by=kind|county|station|channel|firm|lawyer|group|...]
 *                  [&format=csv]
 *
 * JSON by default; format=csv is the spreadsheet (UTF-8 with a byte-order
 * mark, so WPS and Excel read the Chinese) as a download. Every daemon is
 * asked as the signed-in person; a report missing a daemon's part is
 * refused (502, naming it), never given short.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "clock.h"
#include "gateway_int.h"
#include "report.h"
#include "i18n.h"

#define REPORT_ROLES (ROLE_STAFF | ROLE_OFFICER | ROLE_OPERATIONS | ROLE_ADMIN)

typedef struct gateway_report_work {
    gateway_req_t *r;
    report_sums_t sums;
    json_t *errors;
    char from[16], to[16];
    const char *by;
    int csv, waiting;
} gateway_report_work_t;

static void gateway_report_send(gateway_report_work_t *w)
{
    if (json_object_size(w->errors)) {
        json_t *p = json_pack("{sssssO}", "code", "unavailable", "error",
                              "报表不完整：有服务未应答或拒绝 (a daemon did not answer)", "daemons",
                              w->errors);
        gateway_http_json(w->r, 502, p);
    } else {
        json_t *out = w->by && strcmp(w->by, "all") != 0
                          ? report_table_json(&w->sums, w->by, w->from, w->to)
                          : report_year_json(&w->sums, w->from, w->to);
        if (w->csv) {
            buf_t b = {0};
            if (json_object_get(out, "by"))
                report_table_csv(out, &b);
            else
                report_year_csv(out, &b);
            char name[96];
            snprintf(name, sizeof name, "attachment; filename=\"legalaid-report-%s-%s.csv\"",
                     w->from, w->to);
            gateway_http_answer(w->r, 200, "text/csv; charset=utf-8", (const char *)b.data, b.len);
            gateway_http_header(w->r, "Content-Disposition", name);
            buf_free(&b);
            json_decref(out);
        } else {
            gateway_http_json(w->r, 200, out);
        }
    }
    json_decref(w->errors);
    report_sums_free(&w->sums);
}

typedef struct gateway_report_call {
    gateway_report_work_t *w;
    int daemon; /* GW_INTAKE ... */
} gateway_report_call_t;

static void gateway_report_reply(void *ctx, const Legalaid__Reply *reply)
{
    gateway_report_call_t *c = ctx;
    gateway_report_work_t *w = c->w;
    if (reply && reply->code == LEGALAID__CODE__OK && reply->body_case == LEGALAID__REPLY__BODY_STATS)
        report_sums_add(&w->sums, reply->stats);
    else
        json_object_set_new(w->errors, gateway_link_names[c->daemon],
                            json_string(reply && reply->error ? reply->error
                                        : reply               ? "拒绝 (refused)"
                                                              : "无应答 (no answer)"));
    if (--w->waiting == 0) gateway_report_send(w);
}

/* The period asked: year, or from and to; 0, or -1 answered. */
static int gateway_report_period(gateway_req_t *r, gateway_report_work_t *w, int64_t *d0,
                                 int64_t *d1)
{
    const char *year = gateway_http_get_arg(r, "year"), *from = gateway_http_get_arg(r, "from"),
               *to = gateway_http_get_arg(r, "to");
    if (year) {
        char *end = NULL;
        long y = strtol(year, &end, 10);
        if (!*year || *end || y < 1990 || y > 2200 || from || to) {
            gateway_http_problem(r, 400, "invalid-field", "year",
                                 _("year: a year 1990-2200, without from and to"));
            return -1;
        }
        snprintf(w->from, sizeof w->from, "%ld-01-01", y);
        snprintf(w->to, sizeof w->to, "%ld-12-31", y);
    } else if (from && to && strlen(from) < sizeof w->from && strlen(to) < sizeof w->to) {
        snprintf(w->from, sizeof w->from, "%s", from);
        snprintf(w->to, sizeof w->to, "%s", to);
    } else {
        gateway_http_problem(r, 400, "invalid-field", "year",
                             _("year=YYYY, or from=YYYY-MM-DD and to=YYYY-MM-DD"));
        return -1;
    }
    if (check_date(w->from, d0) || check_date(w->to, d1) || *d1 < *d0) {
        gateway_http_problem(r, 400, "invalid-field", "to",
                             _("from and to are dates YYYY-MM-DD, to on or after from"));
        return -1;
    }
    return 0;
}

void gateway_report_data(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_signin_need(r, REPORT_ROLES);
    if (!s) return;
    gateway_report_work_t *w = arena_alloc(&r->arena, sizeof *w);
    memset(w, 0, sizeof *w);
    int64_t d0, d1;
    if (gateway_report_period(r, w, &d0, &d1)) return;
    const char *by = gateway_http_get_arg(r, "by"), *format = gateway_http_get_arg(r, "format");
    if (by && (!report_dim_known(by) || strcmp(by, "month") == 0)) {
        gateway_http_problem(r, 400, "invalid-field", "by",
                             _("by: kind, category, county, station, channel, centre, firm, lawyer, "
                             "group, means_path or source (by month: legalaidctl report --by month)"));
        return;
    }
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        gateway_http_problem(r, 400, "invalid-field", "format", _("format: json or csv"));
        return;
    }
    w->r = r;
    w->by = by ? arena_strdup(&r->arena, by) : NULL;
    w->csv = format && strcmp(format, "csv") == 0;
    w->errors = json_object();
    report_sums_init(&w->sums);
    w->waiting = GW_NDAEMONS;
    for (int i = 0; i < GW_NDAEMONS; i++) {
        gateway_report_call_t *c = arena_alloc(&r->arena, sizeof *c);
        c->w = w;
        c->daemon = i;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        Legalaid__StatsQuery q = LEGALAID__STATS_QUERY__INIT;
        q.from = clock_local_midnight(d0);
        q.to = clock_local_midnight(d1);
        q.has_from = q.has_to = 1;
        req.body_case = LEGALAID__REQUEST__BODY_STATS;
        req.stats = &q;
        gateway_session_ask(NULL, s, i, &req, gateway_report_reply, c);
    }
    if (!r->response) gateway_http_suspend(r);
}
