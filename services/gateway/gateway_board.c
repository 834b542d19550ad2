/*
 * gateway_board.c - the operations board, for staff, officers, operations
 * and administrators:
 *
 *   GET  /board         the page; web/board.js fills it and refreshes it
 *                       every few seconds (no full reload)
 *   GET  /api/trend     its charts (gateway_trend.c, web/trend.js)
 *   GET  /api/board     what it shows: every daemon's StreamStatus exactly
 *                       as `legalaidctl queues --json` prints it (up or
 *                       down, head, consumers' lag and oldest waiting,
 *                       upstreams, dead letters, counters) and each daemon's
 *                       most recent dead letters
 *   POST /api/redrive   {"daemon","id"}: applies a dead letter again; an
 *                       administrator's action, confirmed on the page, CSRF
 *                       token in X-CSRF-Token, and done by the daemon as
 *                       PERSON@gateway, so its audit names the person
 *
 * Every read goes to the daemons as the signed-in person (on_behalf): a
 * daemon refusing that person's roles shows as refused, not as down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "gateway_int.h"
#include "log.h"
#include "pbjson.h"
#include "i18n.h"

#define BOARD_ROLES (ROLE_STAFF | ROLE_OFFICER | ROLE_OPERATIONS | ROLE_ADMIN)
#define BOARD_DEAD_LETTERS 20

void gateway_board_page(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_signin_need(r, BOARD_ROLES);
    if (!s) return;
    buf_t b = {0};
    gateway_page_begin(&b, "运行看板", s->user.name, s->user.roles, s->csrf);
    buf_printf(&b, "<div id=\"board\" data-csrf=\"%s\" data-admin=\"%d\">"
                   "<p class=\"updated\">更新于 <time id=\"updated\">—</time> "
                   "<span id=\"stale\" class=\"error\" hidden>数据未能刷新</span></p>"
                   "<section><h2>各服务</h2><table id=\"daemons\" class=\"grid\"><thead><tr>"
                   "<th>服务</th><th>状态</th><th>事件流序号</th><th>最近事件</th>"
                   "<th>死信</th></tr></thead><tbody></tbody></table></section>"
                   "<section><h2>业务队列</h2><div id=\"queues\" class=\"tiles\"></div></section>"
                   "<section><h2>等待时长</h2><table id=\"ages\" class=\"grid\"><thead><tr>"
                   "<th>队列</th><th>≤5分钟</th><th>≤1小时</th><th>≤1天</th><th>≤1周</th>"
                   "<th>更久</th><th>合计</th><th>最久</th></tr></thead><tbody></tbody></table>"
                   "</section>"
                   "<section><h2>通知发件箱</h2><table id=\"outbox\" class=\"grid\"><thead><tr>"
                   "<th>状态</th><th>条数</th></tr></thead><tbody></tbody></table></section>"
                   "<section><h2>事件流消费者</h2><table id=\"consumers\" class=\"grid\"><thead>"
                   "<tr><th>事件流</th><th>消费者</th><th>已确认</th><th>积压</th>"
                   "<th>最早等待</th><th>最近拉取</th></tr></thead><tbody></tbody></table>"
                   "</section>"
                   "<section><h2>死信</h2><table id=\"dead\" class=\"grid\"><thead><tr>"
                   "<th>服务</th><th>编号</th><th>时间</th><th>案件</th><th>原因</th><th></th>"
                   "</tr></thead><tbody></tbody></table></section>"
                   "<section id=\"trend\"><h2>趋势（近90天）</h2>"
                   "<p class=\"trend-errors error\" hidden></p><div class=\"charts\">"
                   "<figure class=\"chart\" data-chart=\"daily\"><figcaption>每日申请、首次决定与指派"
                   "</figcaption><div class=\"plot\"></div><p class=\"sum\"></p></figure>"
                   "<figure class=\"chart\" data-chart=\"decision\"><figcaption>审查用时（收到申请至"
                   "首次决定，天）</figcaption><div class=\"plot\"></div><p class=\"sum\"></p></figure>"
                   "<figure class=\"chart\" data-chart=\"assign\"><figcaption>指派用时（批准至律师接受，"
                   "小时）</figcaption><div class=\"plot\"></div><p class=\"sum\"></p></figure>"
                   "<figure class=\"chart\" data-chart=\"load\"><figcaption>律师派发次数与公平份额"
                   "</figcaption><div class=\"plot\"></div><p class=\"sum\"></p></figure>"
                   "</div></section>"
                   "<section><h2>全部计数</h2><div id=\"counters\"></div></section></div>",
               s->csrf, (s->user.roles & ROLE_ADMIN) != 0);
    gateway_page_end(&b, "board.js uPlot.iife.min.js trend.js");
    gateway_page_send(r, 200, &b);
}

typedef struct gateway_board_work {
    gateway_req_t *r;
    json_t *daemons[GW_NDAEMONS];
    json_t *dead[GW_NDAEMONS];
    int waiting;
} gateway_board_work_t;

typedef struct gateway_board_call {
    gateway_board_work_t *w;
    int daemon;
    int dead; /* the dead-letter list, else the status */
} gateway_board_call_t;

/* A daemon's refusal or silence as the board shows it. */
static json_t *gateway_board_down(int daemon, const Legalaid__Reply *reply)
{
    json_t *j = json_object();
    json_object_set_new(j, "daemon", json_string(gateway_link_names[daemon]));
    json_object_set_new(j, "up", json_boolean(reply != NULL));
    if (reply) json_object_set_new(j, "refused", json_true());
    json_object_set_new(j, "error", json_string(reply && reply->error ? reply->error
                                                : "无应答 (no answer: down or unreachable)"));
    return j;
}

static json_t *gateway_board_dead_list(const Legalaid__DeadLetterList *l)
{
    json_t *j = json_object(), *items = json_array();
    json_object_set_new(j, "total", json_integer((json_int_t)l->total));
    for (size_t i = 0; i < l->n_dead_letters; i++) {
        const Legalaid__DeadLetter *dl = l->dead_letters[i];
        json_t *e = json_object();
        json_object_set_new(e, "id", json_integer((json_int_t)dl->id));
        json_object_set_new(e, "stream", json_string(dl->stream ? dl->stream : ""));
        json_object_set_new(e, "seq", json_integer((json_int_t)dl->seq));
        json_object_set_new(e, "at", json_integer(dl->at));
        json_object_set_new(e, "reason", json_string(dl->reason ? dl->reason : ""));
        json_object_set_new(e, "case_id", json_string(dl->event && dl->event->case_id
                                                          ? dl->event->case_id
                                                          : ""));
        json_array_append_new(items, e);
    }
    json_object_set_new(j, "items", items);
    return j;
}

static void gateway_board_reply(void *ctx, const Legalaid__Reply *reply)
{
    gateway_board_call_t *c = ctx;
    gateway_board_work_t *w = c->w;
    int ok = reply && reply->code == LEGALAID__CODE__OK;
    if (c->dead) {
        w->dead[c->daemon] = ok && reply->body_case == LEGALAID__REPLY__BODY_DEAD_LETTER_LIST
                                 ? gateway_board_dead_list(reply->dead_letter_list)
                                 : json_null();
    } else if (ok && reply->body_case == LEGALAID__REPLY__BODY_STREAM_STATUS) {
        json_t *j = pbjson_from_message(&reply->stream_status->base, 1);
        json_object_set_new(j, "up", json_true());
        w->daemons[c->daemon] = j;
    } else {
        w->daemons[c->daemon] = gateway_board_down(c->daemon, reply);
    }
    if (--w->waiting) return;
    json_t *out = json_object(), *daemons = json_array(), *dead = json_object();
    for (int i = 0; i < GW_NDAEMONS; i++) {
        json_array_append_new(daemons, w->daemons[i]);
        json_object_set_new(dead, gateway_link_names[i], w->dead[i]);
    }
    json_object_set_new(out, "now", json_integer(clock_now_ms()));
    json_object_set_new(out, "daemons", daemons);
    json_object_set_new(out, "dead_letters", dead);
    gateway_http_json(w->r, 200, out);
}

void gateway_board_data(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_signin_need(r, BOARD_ROLES);
    if (!s) return;
    gateway_board_work_t *w = arena_alloc(&r->arena, sizeof *w);
    memset(w, 0, sizeof *w);
    w->r = r;
    w->waiting = 2 * GW_NDAEMONS;
    for (int i = 0; i < GW_NDAEMONS; i++)
        for (int dead = 0; dead < 2; dead++) {
            gateway_board_call_t *c = arena_alloc(&r->arena, sizeof *c);
            c->w = w;
            c->daemon = i;
            c->dead = dead;
            Legalaid__Request req = LEGALAID__REQUEST__INIT;
            Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
            Legalaid__DeadLettersQuery dq = LEGALAID__DEAD_LETTERS_QUERY__INIT;
            if (dead) {
                dq.max = BOARD_DEAD_LETTERS;
                dq.has_max = 1;
                req.body_case = LEGALAID__REQUEST__BODY_DEAD_LETTERS;
                req.dead_letters = &dq;
            } else {
                req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
                req.stream_status = &q;
            }
            gateway_session_ask(NULL, s, i, &req, gateway_board_reply, c);
        }
    if (!r->response) gateway_http_suspend(r);
}

static void gateway_board_redriven(void *ctx, const Legalaid__Reply *reply)
{
    gateway_req_t *r = ctx;
    if (!reply) {
        gateway_notice_unavailable(r, "the daemon", "re-drive");
        return;
    }
    if (reply->code != LEGALAID__CODE__OK) {
        const char *type;
        unsigned status = gateway_notice_status(reply->code, &type);
        gateway_http_problem(r, status, type, reply->field, _("%s"),
                             reply->error ? reply->error : "refused");
        return;
    }
    json_t *j = json_object();
    json_object_set_new(j, "redriven", json_true());
    gateway_http_json(r, 200, j);
}

void gateway_board_redrive(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_signin_need(r, ROLE_ADMIN);
    if (!s) return;
    json_error_t jerr;
    json_t *body = json_loadb((const char *)r->body.data, r->body.len, 0, &jerr);
    const char *name = json_string_value(json_object_get(body, "daemon"));
    json_int_t id = json_integer_value(json_object_get(body, "id"));
    int daemon = -1;
    for (int i = 0; name && i < GW_NDAEMONS; i++)
        if (strcmp(name, gateway_link_names[i]) == 0) daemon = i;
    if (daemon < 0 || id <= 0) {
        json_decref(body);
        gateway_http_problem(r, 422, "invalid-field", daemon < 0 ? "daemon" : "id",
                             _("expected {\"daemon\": intake|eligibility|dispatch|roster|notify, "
                             "\"id\": a dead letter's id}"));
        return;
    }
    json_decref(body);
    log_info("gateway: %s re-drives dead letter %lld of %s", s->user.name, (long long)id,
             gateway_link_names[daemon]);
    Legalaid__RedriveDeadLetter rd = LEGALAID__REDRIVE_DEAD_LETTER__INIT;
    rd.id = (uint64_t)id;
    rd.has_id = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REDRIVE_DEAD_LETTER;
    req.redrive_dead_letter = &rd;
    gateway_session_ask(r, s, daemon, &req, gateway_board_redriven, r);
}
