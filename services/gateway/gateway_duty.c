/*
 * gateway_duty.c - the duty board and a station desk's page:
 *
 *   GET  /duty          every duty station at a chosen time (?at=, the
 *                       form's 2026-03-02T10:00 in local time; now when
 *                       absent): A and B, checked in or not, B activated,
 *                       coverage gaps, open duty requests with their age and
 *                       who holds them; web/duty.js fills it and, at "now",
 *                       refreshes it every 15 s
 *   GET  /api/duty      what it shows: the roster's DutyBoard as JSON
 *                       (?at=, ?station=), plus "now"
 *   GET  /desk          a station desk's own view: its posts, its open and
 *                       recently completed requests, a form to raise one,
 *                       and "acknowledge" for the lawyer who took it
 *   POST /desk/raise    RaiseDutyRequest for the desk's own station
 *   POST /desk/ack      AckDutyRequest (the routed lawyer, or the one the
 *                       centre arranged)
 *
 * All of it goes to the roster as the signed-in person (on_behalf): the
 * roster binds a desk to its station and masks the names it may not read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "gateway_int.h"
#include "log.h"
#include "pbjson.h"
#include "i18n.h"

#define DUTY_ROLES (ROLE_STAFF | ROLE_OFFICER | ROLE_OPERATIONS | ROLE_ADMIN | ROLE_STATION)

/* The tables both pages share; duty.js fills them. */
static void gateway_duty_tables(buf_t *b, int desk)
{
    buf_printf(b, "<section><h2>空岗与超时</h2><ul id=\"gaps\" class=\"gaps\"></ul></section>"
                  "<section><h2>%s</h2><table id=\"stations\" class=\"grid\"><thead><tr>"
                  "<th>站点</th><th>A岗</th><th>B岗</th><th>状态</th></tr></thead><tbody></tbody>"
                  "</table></section>"
                  "<section><h2>未结值班请求</h2><table id=\"open\" class=\"grid\"><thead><tr>"
                  "<th>编号</th><th>站点</th><th>事项</th><th>当事人</th><th>已等待</th>"
                  "<th>承办律师</th><th>状态</th>%s</tr></thead><tbody></tbody></table></section>",
               desk ? "本站值班" : "各站值班", desk ? "<th></th>" : "");
    if (desk)
        buf_printf(b, "<section><h2>近7日已完成</h2><table id=\"recent\" class=\"grid\"><thead><tr>"
                      "<th>编号</th><th>事项</th><th>当事人</th><th>完成于</th><th>律师</th></tr>"
                      "</thead><tbody></tbody></table></section>");
}

/* The time picker of /duty: the chosen time, or now. */
static void gateway_duty_picker(buf_t *b, const char *at)
{
    buf_printf(b, "<form class=\"picker\" method=\"get\" action=\"/duty\"><label>查看时间 "
                  "<input type=\"datetime-local\" name=\"at\" value=\"");
    gateway_page_esc(b, at ? at : "");
    buf_printf(b, "\"></label><button type=\"submit\">查看</button> <a href=\"/duty\">现在</a>"
                  "</form>");
}

void gateway_duty_page(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_signin_need(r, DUTY_ROLES);
    if (!s) return;
    const char *at = gateway_http_get_arg(r, "at");
    buf_t b = {0};
    gateway_page_begin(&b, "值班一览", s->user.name, s->user.roles, s->csrf);
    gateway_duty_picker(&b, at);
    buf_printf(&b, "<div id=\"duty\" data-at=\"");
    gateway_page_esc(&b, at ? at : "");
    buf_printf(&b, "\" data-csrf=\"%s\"><p class=\"updated\">值班时间 <time id=\"at\">—</time>"
                   " · 更新于 <time id=\"updated\">—</time> <span id=\"stale\" class=\"error\" "
                   "hidden>数据未能刷新</span></p>",
               s->csrf);
    gateway_duty_tables(&b, 0);
    buf_printf(&b, "</div>");
    gateway_page_end(&b, "duty.js");
    gateway_page_send(r, 200, &b);
}

/* --- /api/duty ------------------------------------------------------------ */

static void gateway_duty_answered(void *ctx, const Legalaid__Reply *reply)
{
    gateway_req_t *r = ctx;
    if (!reply) {
        gateway_notice_unavailable(r, "roster", "duty board");
        return;
    }
    if (reply->code != LEGALAID__CODE__OK || reply->body_case != LEGALAID__REPLY__BODY_DUTY_BOARD) {
        const char *type;
        unsigned status = gateway_notice_status(reply->code, &type);
        gateway_http_problem(r, status, type, reply->field, _("%s"),
                             reply->error ? reply->error : "refused");
        return;
    }
    json_t *j = pbjson_from_message(&reply->duty_board->base, 1);
    json_object_set_new(j, "now", json_integer(clock_now_ms()));
    gateway_http_json(r, 200, j);
}

void gateway_duty_data(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_signin_need(r, DUTY_ROLES);
    if (!s) return;
    Legalaid__DutyBoardQuery q = LEGALAID__DUTY_BOARD_QUERY__INIT;
    const char *at = gateway_http_get_arg(r, "at"), *station = gateway_http_get_arg(r, "station");
    if (at) {
        if (pbjson_text_time(at, clock_utc_offset(), &q.at) < 0 || q.at <= 0) {
            gateway_http_problem(r, 422, "invalid-field", "at",
                                 _("at is not a time: write 2026-03-02T10:00 (local time), "
                                 "2026-03-02T10:00:00+08:00, or leave it out for now"));
            return;
        }
        q.has_at = 1;
    }
    q.station = (char *)station;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DUTY_BOARD;
    req.duty_board = &q;
    gateway_session_ask(r, s, GW_ROSTER, &req, gateway_duty_answered, r);
}

/* --- the desk --------------------------------------------------------------- */

static const struct {
    const char *name, *label;
    Legalaid__DutyRequestKind kind;
} gateway_duty_kinds[] = {
    {"consultation", "法律咨询", LEGALAID__DUTY_REQUEST_KIND__DUTY_CONSULTATION},
    {"plea_signing", "认罪认罚具结书签署在场", LEGALAID__DUTY_REQUEST_KIND__DUTY_PLEA_SIGNING},
    {"meeting", "会见", LEGALAID__DUTY_REQUEST_KIND__DUTY_MEETING},
    {"aid_application", "代为申请法律援助", LEGALAID__DUTY_REQUEST_KIND__DUTY_AID_APPLICATION},
};
#define GATEWAY_DUTY_NKINDS (sizeof gateway_duty_kinds / sizeof gateway_duty_kinds[0])

/* The banner after a desk's action (?done=raised|acknowledged&id=). */
static void gateway_duty_banner(buf_t *b, gateway_req_t *r)
{
    const char *done = gateway_http_get_arg(r, "done"), *id = gateway_http_get_arg(r, "id");
    if (!done || !id) return;
    int raised = strcmp(done, "raised") == 0;
    if (!raised && strcmp(done, "acknowledged") != 0) return;
    buf_printf(b, "<p class=\"message\" data-code=\"%s\" role=\"status\">值班请求 ", raised ? "raised" : "acknowledged");
    gateway_page_esc(b, id);
    buf_printf(b, raised ? " 已提出，已转值班律师。" : " 已确认律师接收。");
    buf_printf(b, "</p>");
}

static void gateway_duty_raise_form(buf_t *b, const char *csrf)
{
    buf_printf(b, "<section><h2>提出值班请求</h2><form class=\"raise\" method=\"post\" "
                  "action=\"/desk/raise\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                  "<label>事项 <select name=\"kind\" required>",
               csrf);
    for (size_t i = 0; i < GATEWAY_DUTY_NKINDS; i++)
        buf_printf(b, "<option value=\"%s\">%s</option>", gateway_duty_kinds[i].name,
                   gateway_duty_kinds[i].label);
    buf_printf(b, "</select></label>"
                  "<label>当事人姓名 <input name=\"person_name\" required maxlength=\"64\"></label>"
                  "<label>身份证号（可选） <input name=\"id_number\" maxlength=\"18\" "
                  "autocomplete=\"off\"></label>"
                  "<label>会见时间（会见必填） <input type=\"datetime-local\" "
                  "name=\"meeting_at\"></label>"
                  "<label class=\"wide\">情况说明 <textarea name=\"detail\" rows=\"2\" "
                  "maxlength=\"1000\"></textarea></label>"
                  "<button type=\"submit\">提出请求</button></form></section>");
}

void gateway_duty_desk(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_signin_need(r, ROLE_STATION);
    if (!s) return;
    buf_t b = {0};
    gateway_page_begin(&b, "本站值班", s->user.name, s->user.roles, s->csrf);
    gateway_duty_banner(&b, r);
    buf_printf(&b, "<div id=\"duty\" data-desk=\"1\" data-station=\"");
    gateway_page_esc(&b, s->user.station);
    buf_printf(&b, "\" data-csrf=\"%s\"><p class=\"updated\">站点 <strong>", s->csrf);
    gateway_page_esc(&b, s->user.station);
    buf_printf(&b, "</strong> · 值班时间 <time id=\"at\">—</time> · 更新于 <time id=\"updated\">—"
                   "</time> <span id=\"stale\" class=\"error\" hidden>数据未能刷新</span></p>");
    gateway_duty_tables(&b, 1);
    buf_printf(&b, "</div>");
    gateway_duty_raise_form(&b, s->csrf);
    gateway_page_end(&b, "duty.js");
    gateway_page_send(r, 200, &b);
}

/* The roster's answer to a desk's action: back to the desk with a banner,
 * or a page saying why not, in the roster's own words. */
static void gateway_duty_acted(void *ctx, const Legalaid__Reply *reply)
{
    gateway_req_t *r = ctx;
    if (!reply) {
        gateway_page_message(r, 503, "暂时无法办理", "值班系统暂时无应答，请稍后重试。",
                             "unavailable");
        return;
    }
    if (reply->code != LEGALAID__CODE__OK || reply->body_case != LEGALAID__REPLY__BODY_DUTY_REQUEST) {
        const char *type;
        unsigned status = gateway_notice_status(reply->code, &type);
        gateway_page_message(r, status, "未能办理", reply->error ? reply->error : "请求被拒绝",
                             type);
        return;
    }
    const Legalaid__DutyRequest *dr = reply->duty_request;
    buf_t to = {0};
    buf_printf(&to, "/desk?done=%s&id=%s",
               dr->state == LEGALAID__DUTY_REQUEST_STATE__DUTY_REQUEST_ROUTED ? "raised"
                                                                            : "acknowledged",
               dr->id);
    gateway_page_redirect(r, (const char *)to.data);
    buf_free(&to);
}

void gateway_duty_raise(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_signin_need(r, ROLE_STATION);
    if (!s) return;
    const char *kind = gateway_page_form(r, "kind"), *name = gateway_page_form(r, "person_name"),
               *idn = gateway_page_form(r, "id_number"), *detail = gateway_page_form(r, "detail"),
               *meeting = gateway_page_form(r, "meeting_at");
    Legalaid__DutyRequest dr = LEGALAID__DUTY_REQUEST__INIT;
    for (size_t i = 0; kind && i < GATEWAY_DUTY_NKINDS; i++)
        if (strcmp(kind, gateway_duty_kinds[i].name) == 0) {
            dr.kind = gateway_duty_kinds[i].kind;
            dr.has_kind = 1;
        }
    if (!dr.has_kind) {
        gateway_page_message(r, 422, "请选择事项", "请选择值班请求的事项：法律咨询、具结书签署在场、会见或代为申请法律援助。",
                             "invalid-field");
        return;
    }
    if (meeting && meeting[0]) {
        if (pbjson_text_time(meeting, clock_utc_offset(), &dr.meeting_at) < 0) {
            gateway_page_message(r, 422, "会见时间有误", "会见时间应为日期和时间，例如 2026-03-02 14:00。",
                                 "invalid-field");
            return;
        }
        dr.has_meeting_at = 1;
    }
    dr.station = s->user.station;
    dr.person_name = (char *)name;
    dr.person_id_number = idn && idn[0] ? (char *)idn : NULL;
    dr.detail = detail && detail[0] ? (char *)detail : NULL;
    dr.raised_by = s->user.name;
    Legalaid__RaiseDutyRequest rr = LEGALAID__RAISE_DUTY_REQUEST__INIT;
    rr.request = &dr;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_RAISE_DUTY_REQUEST;
    req.raise_duty_request = &rr;
    log_info("gateway: desk %s raises a duty request at %s", s->user.name, s->user.station);
    gateway_session_ask(r, s, GW_ROSTER, &req, gateway_duty_acted, r);
}

void gateway_duty_ack(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_signin_need(r, ROLE_STATION);
    if (!s) return;
    Legalaid__AckDutyRequest a = LEGALAID__ACK_DUTY_REQUEST__INIT;
    a.id = (char *)gateway_page_form(r, "id");
    a.lawyer_id = (char *)gateway_page_form(r, "lawyer_id");
    if (!a.id || !a.id[0] || !a.lawyer_id || !a.lawyer_id[0]) {
        gateway_page_message(r, 422, "请填写律师", "确认接收需写明请求编号和接收的律师编号。",
                             "invalid-field");
        return;
    }
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_ACK_DUTY_REQUEST;
    req.ack_duty_request = &a;
    gateway_session_ask(r, s, GW_ROSTER, &req, gateway_duty_acted, r);
}
