/*
 * gateway_route.c - which handler answers a request: the path and the
 * method, then for the agency API the agency's token and its rate limit.
 *
 *   GET  /metrics                 Prometheus (no token: counts only, no person)
 *   GET  /healthz                 the gateway itself answers
 *   GET  /v1/openapi.yaml         the API's description
 *   POST /v1/notices              an agency's notice          (token)
 *   GET  /v1/notices/{reference}  what became of it           (token)
 *   POST /v1/events               what the agency tells later  (token)
 *
 * and the pages (gateway_signin.c, gateway_board.c, gateway_trend.c,
 * gateway_duty.c, gateway_lawyer.c, gateway_offer.c):
 *
 *   GET  /                        on to the person's page, or /login
 *   GET  /login, POST /login, POST /logout
 *   GET  /board, GET /api/board, GET /api/trend, GET /api/report,
 *        POST /api/redrive                              (signed in)
 *   GET  /duty, GET /api/duty                            (signed in)
 *   GET  /lawyer                                         (a signed-in lawyer)
 *   GET  /desk, POST /desk/raise, POST /desk/ack         (a station desk)
 *   GET  /o/..., POST /o/...      a lawyer's offer link (the link signed)
 *   GET  /static/NAME             the pages' style sheet and scripts
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "gateway_int.h"
#include "i18n.h"

/* The agency of the request's bearer token, rate limit taken; NULL after
 * answering 401 or 429. */
static gateway_agency_t *gateway_route_agency(gateway_req_t *r)
{
    const char *auth = gateway_http_get_header(r, "Authorization");
    const char *token = auth && strncmp(auth, "Bearer ", 7) == 0 ? auth + 7 : NULL;
    gateway_agency_t *a = token ? gateway_agency_find(token) : NULL;
    if (!a) {
        gateway_http_problem(r, 401, "unauthorized", NULL,
                             token ? "令牌无效 (the bearer token is not one of an agency)"
                                   : "缺少令牌 (send Authorization: Bearer TOKEN, the token the "
                                     "legal-aid centre gave your agency)");
        gateway_http_header(r, "WWW-Authenticate", "Bearer realm=\"legalaid\"");
        return NULL;
    }
    int retry = 0;
    if (!gateway_agency_take(a, clock_mono_ms(), &retry)) {
        char s[16];
        snprintf(s, sizeof s, "%d", retry);
        gateway_http_problem(r, 429, "rate-limited", NULL,
                             _("本机关每分钟最多 %lld 次请求, 请 %d 秒后重试 (agency %s may make %lld "
                             "requests a minute; retry in %d s)"),
                             a->rate_per_minute, retry, a->name, a->rate_per_minute, retry);
        gateway_http_header(r, "Retry-After", s);
        return NULL;
    }
    return a;
}

static int gateway_route_method(gateway_req_t *r, const char *allowed)
{
    if (strcmp(r->method, allowed) == 0) return 1;
    gateway_http_problem(r, 405, "method-not-allowed", NULL, _("%s takes %s only"), r->url, allowed);
    gateway_http_header(r, "Allow", allowed);
    return 0;
}

void gateway_route(daemon_t *d, gateway_req_t *r)
{
    const char *u = r->url;
    if (strcmp(u, "/metrics") == 0) {
        r->route = "metrics";
        if (gateway_route_method(r, "GET")) gateway_metrics_scrape(d, r);
    } else if (strcmp(u, "/healthz") == 0) {
        r->route = "healthz";
        if (gateway_route_method(r, "GET"))
            gateway_http_answer(r, 200, "application/json", "{\"status\":\"ok\"}", 15);
    } else if (strcmp(u, "/v1/openapi.yaml") == 0) {
        r->route = "openapi";
        const gateway_asset_t *a = gateway_page_asset("openapi.yaml");
        if (gateway_route_method(r, "GET"))
            gateway_http_answer(r, 200, a->type, (const char *)a->data, a->len);
    } else if (strcmp(u, "/v1/notices") == 0) {
        r->route = "notices_post";
        if (gateway_route_method(r, "POST") && (r->agency = gateway_route_agency(r)))
            gateway_notice_post(d, r);
    } else if (strcmp(u, "/v1/events") == 0) {
        r->route = "events_post";
        if (gateway_route_method(r, "POST") && (r->agency = gateway_route_agency(r)))
            gateway_event_post(d, r);
    } else if (strncmp(u, "/v1/notices/", 12) == 0 && u[12]) {
        r->route = "notices_get";
        if (gateway_route_method(r, "GET") && (r->agency = gateway_route_agency(r)))
            gateway_notice_get(d, r, u + 12);
    } else if (strcmp(u, "/") == 0) {
        r->route = "home";
        if (gateway_route_method(r, "GET")) gateway_page_redirect(r, "/login");
    } else if (strcmp(u, "/login") == 0) {
        r->route = "login";
        if (strcmp(r->method, "POST") == 0)
            gateway_signin_post(d, r);
        else if (gateway_route_method(r, "GET"))
            gateway_signin_page(d, r);
    } else if (strcmp(u, "/logout") == 0) {
        r->route = "logout";
        if (gateway_route_method(r, "POST")) gateway_signin_out(d, r);
    } else if (strcmp(u, "/board") == 0) {
        r->route = "board";
        if (gateway_route_method(r, "GET")) gateway_board_page(d, r);
    } else if (strcmp(u, "/api/board") == 0) {
        r->route = "board_data";
        if (gateway_route_method(r, "GET")) gateway_board_data(d, r);
    } else if (strcmp(u, "/api/report") == 0) {
        r->route = "report";
        if (gateway_route_method(r, "GET")) gateway_report_data(d, r);
    } else if (strcmp(u, "/api/trend") == 0) {
        r->route = "trend";
        if (gateway_route_method(r, "GET")) gateway_trend_data(d, r);
    } else if (strcmp(u, "/api/redrive") == 0) {
        r->route = "redrive";
        if (gateway_route_method(r, "POST")) gateway_board_redrive(d, r);
    } else if (strcmp(u, "/lawyer") == 0) {
        r->route = "lawyer";
        if (gateway_route_method(r, "GET")) gateway_lawyer_page(d, r);
    } else if (strcmp(u, "/duty") == 0) {
        r->route = "duty";
        if (gateway_route_method(r, "GET")) gateway_duty_page(d, r);
    } else if (strcmp(u, "/api/duty") == 0) {
        r->route = "duty_data";
        if (gateway_route_method(r, "GET")) gateway_duty_data(d, r);
    } else if (strcmp(u, "/desk") == 0) {
        r->route = "desk";
        if (gateway_route_method(r, "GET")) gateway_duty_desk(d, r);
    } else if (strcmp(u, "/desk/raise") == 0) {
        r->route = "desk_raise";
        if (gateway_route_method(r, "POST")) gateway_duty_raise(d, r);
    } else if (strcmp(u, "/desk/ack") == 0) {
        r->route = "desk_ack";
        if (gateway_route_method(r, "POST")) gateway_duty_ack(d, r);
    } else if (strncmp(u, "/o/", 3) == 0) {
        r->route = "offer";
        if (strcmp(r->method, "POST") == 0)
            gateway_offer_answer(d, r, u + 3);
        else if (gateway_route_method(r, "GET"))
            gateway_offer_page(d, r, u + 3);
    } else if (strncmp(u, "/static/", 8) == 0) {
        r->route = "static";
        if (gateway_route_method(r, "GET")) gateway_page_static(r, u + 8);
    } else {
        r->route = "unknown";
        gateway_http_problem(r, 404, "not-found", NULL,
                             _("没有这个地址 (no such path: the API is under /v1/, see "
                             "/v1/openapi.yaml)"));
    }
}
