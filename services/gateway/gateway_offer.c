/*
 * gateway_offer.c - the page a lawyer's offer SMS links to (offerlink.h):
 *
 *   GET  /o/CASE/LAWYER/T.MAC   the case as the lawyer may see it before
 *                               accepting (matter, ground, county, work
 *                               class, the deadlines; the applicant masked)
 *                               with Accept and Decline
 *   POST /o/CASE/LAWYER/T.MAC   the answer, sent to dispatch as AnswerOffer
 *                               on behalf of that lawyer: dispatch's rules
 *                               decide, exactly as for `offer accept|decline`
 *
 * The link is its own credential (signed, one offer, one lawyer); the
 * form's token is the keyed hash of the link, so another site cannot post
 * an answer. Once the offer is answered, lapsed or withdrawn, the link
 * shows that (data-code already-answered, lapsed, withdrawn, superseded)
 * and no form. Personal data stays masked here: the full file is for a
 * signed-in lawyer.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "gateway_int.h"
#include "log.h"
#include "offerlink.h"

typedef struct gateway_offer_work {
    daemon_t *d;
    gateway_req_t *r;
    offerlink_t link;
    const char *refused; /* dispatch's words when it refused the answer */
} gateway_offer_work_t;

/* The form's token: the keyed hash of the link. */
static void gateway_offer_token(daemon_t *d, const char *url, char out[32])
{
    unsigned char h[SEAL_HASH_LEN];
    seal_hash(daemon_ring(d), "offer-form", url, strlen(url), h);
    sodium_bin2base64(out, 32, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void gateway_offer_state(gateway_offer_work_t *w, unsigned status, const char *code,
                                const char *title, const char *text, const Legalaid__Assignment *a)
{
    buf_t b = {0};
    gateway_page_begin(&b, title, NULL, 0, NULL);
    buf_printf(&b, "<p class=\"message\" data-code=\"%s\">", code);
    gateway_page_esc(&b, text);
    buf_printf(&b, "</p>");
    if (w->refused) {
        buf_printf(&b, "<p class=\"error\">");
        gateway_page_esc(&b, w->refused);
        buf_printf(&b, "</p>");
    }
    if (a) gateway_case_facts(&b, a, 0);
    gateway_page_end(&b, NULL);
    gateway_page_send(w->r, status, &b);
}

static void gateway_offer_open(gateway_offer_work_t *w, const Legalaid__Assignment *a)
{
    char token[32];
    gateway_offer_token(w->d, w->r->url, token);
    buf_t b = {0};
    gateway_page_begin(&b, "法律援助案件指派", NULL, 0, NULL);
    buf_printf(&b, "<p class=\"message\" data-code=\"open\">中心拟指派您承办以下法律援助案件，"
                   "请在答复期限前接受或谢绝，逾期视为谢绝。</p>");
    gateway_case_facts(&b, a, 0);
    buf_printf(&b, "<form class=\"answer\" method=\"post\"><input type=\"hidden\" name=\"token\" "
                   "value=\"%s\"><input type=\"hidden\" name=\"action\" value=\"accept\">"
                   "<button id=\"accept\" class=\"primary\" type=\"submit\">接受指派</button></form>"
                   "<form class=\"answer decline\" method=\"post\"><input type=\"hidden\" "
                   "name=\"token\" value=\"%s\"><input type=\"hidden\" name=\"action\" "
                   "value=\"decline\"><fieldset><legend>谢绝理由</legend>"
                   "<label><input type=\"radio\" name=\"code\" value=\"conflict\" required> "
                   "存在利益冲突</label>"
                   "<label><input type=\"radio\" name=\"code\" value=\"out_of_scope\"> "
                   "不属于本人执业领域</label>"
                   "<label><input type=\"radio\" name=\"code\" value=\"capacity\"> "
                   "案件已满，无法承接</label>"
                   "<label><input type=\"radio\" name=\"code\" value=\"other\"> 其他</label>"
                   "<label>说明<textarea name=\"reason\" maxlength=\"500\" rows=\"2\">"
                   "</textarea></label></fieldset>"
                   "<button id=\"decline\" type=\"submit\">谢绝</button></form>",
               token, token);
    gateway_page_end(&b, NULL);
    gateway_page_send(w->r, 200, &b);
}

/* The page for the link's offer, from dispatch's record of the case. */
static void gateway_offer_show(gateway_offer_work_t *w, const Legalaid__Assignment *a)
{
    const offerlink_t *l = &w->link;
    const Legalaid__Offer *o = a->offer;
    if (a->state == LEGALAID__ASSIGNMENT_STATE__OFFERED && o && o->lawyer && o->lawyer->id &&
        strcmp(o->lawyer->id, l->lawyer_id) == 0 && o->offered_at == l->offered_at) {
        if (o->expires_at && clock_now_ms() >= o->expires_at)
            gateway_offer_state(w, 410, "lapsed", "指派已过期",
                                "答复期限已过，此指派视为谢绝。", NULL);
        else
            gateway_offer_open(w, a);
        return;
    }
    for (size_t i = a->n_declined; i-- > 0;) {
        const Legalaid__DeclinedOffer *dc = a->declined[i];
        if (!dc->lawyer_id || strcmp(dc->lawyer_id, l->lawyer_id) != 0 || dc->at < l->offered_at)
            continue;
        if (dc->code == LEGALAID__DECLINE_CODE__DECLINE_LAPSED)
            gateway_offer_state(w, 410, "lapsed", "指派已过期",
                                "答复期限已过，此指派视为谢绝，中心将另行安排。", NULL);
        else if (dc->code == LEGALAID__DECLINE_CODE__DECLINE_WITHDRAWN)
            gateway_offer_state(w, 410, "withdrawn", "指派已撤回",
                                "中心已撤回此指派，您无需答复。", NULL);
        else
            gateway_offer_state(w, 409, "already-answered", "已答复",
                                "您已谢绝此指派，此链接不能再次使用。", NULL);
        return;
    }
    if (a->lawyer && a->lawyer->id && strcmp(a->lawyer->id, l->lawyer_id) == 0 &&
        a->state != LEGALAID__ASSIGNMENT_STATE__OFFERED) {
        gateway_offer_state(w, 409, "already-answered", "已答复",
                            "您已接受此指派，此链接不能再次使用。请与受援人联系并在五日内签订委托协议。",
                            a);
        return;
    }
    if (o && o->lawyer && o->lawyer->id && strcmp(o->lawyer->id, l->lawyer_id) == 0)
        gateway_offer_state(w, 410, "superseded", "链接已失效",
                            "此链接属于较早的一次指派，请使用最新短信中的链接。", NULL);
    else
        gateway_offer_state(w, 410, "gone", "指派已不再有效",
                            "此案件已不再等待您的答复。如有疑问请联系法律援助中心。", NULL);
}

/* Dispatch did not answer in daemon_timeout_ms: 503, to be tried again. */
static void gateway_offer_unavailable(gateway_offer_work_t *w, const char *text)
{
    gateway_page_message(w->r, 503, "暂时无法办理", text, "unavailable");
    gateway_http_header(w->r, "Retry-After", "5");
}

static void gateway_offer_read(void *ctx, const Legalaid__Reply *reply)
{
    gateway_offer_work_t *w = ctx;
    if (!reply) {
        gateway_offer_unavailable(w, "系统暂时无法查询此指派，请稍后重试。");
    } else if (reply->code != LEGALAID__CODE__OK ||
               reply->body_case != LEGALAID__REPLY__BODY_ASSIGNMENT) {
        gateway_page_message(w->r, 404, "链接无效", "找不到此链接对应的案件。", "not-found");
    } else {
        gateway_offer_show(w, reply->assignment);
    }
}

static void gateway_offer_lookup(gateway_offer_work_t *w)
{
    Legalaid__GetAssignment g = LEGALAID__GET_ASSIGNMENT__INIT;
    g.case_id = w->link.case_id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GET_ASSIGNMENT;
    req.get_assignment = &g;
    gateway_link_call(GW_DISPATCH, &req, (int)gateway_config.daemon_timeout_ms, 1,
                      gateway_offer_read, w);
    if (!w->r->response) gateway_http_suspend(w->r);
}

/* The link of the request checked: its work, or NULL after answering. */
static gateway_offer_work_t *gateway_offer_link(daemon_t *d, gateway_req_t *r, const char *rest)
{
    gateway_offer_work_t *w = arena_alloc(&r->arena, sizeof *w);
    memset(w, 0, sizeof *w);
    w->d = d;
    w->r = r;
    if (!daemon_ring(d)) {
        gateway_page_message(r, 404, "链接无效", "本系统未启用短信链接 (no data key to sign links).",
                             "links-off");
        return NULL;
    }
    if (offerlink_parse(rest, &w->link) || !offerlink_valid(daemon_ring(d), &w->link)) {
        gateway_page_message(r, 404, "链接无效", "此链接无效或不完整，请核对短信中的链接。",
                             "bad-link");
        return NULL;
    }
    return w;
}

void gateway_offer_page(daemon_t *d, gateway_req_t *r, const char *rest)
{
    gateway_offer_work_t *w = gateway_offer_link(d, r, rest);
    if (w) gateway_offer_lookup(w);
}

static void gateway_offer_answered(void *ctx, const Legalaid__Reply *reply)
{
    gateway_offer_work_t *w = ctx;
    if (!reply) {
        gateway_offer_unavailable(w, "系统暂时无法记录您的答复，请稍后重试。");
        return;
    }
    if (reply->code == LEGALAID__CODE__OK) {
        const Legalaid__Assignment *a =
            reply->body_case == LEGALAID__REPLY__BODY_ASSIGNMENT ? reply->assignment : NULL;
        int accepted = a && a->lawyer && a->lawyer->id &&
                       strcmp(a->lawyer->id, w->link.lawyer_id) == 0;
        if (accepted)
            log_info("gateway: lawyer %s accepted case %s by the offer link", w->link.lawyer_id,
                     w->link.case_id);
        else
            log_info("gateway: lawyer %s declined case %s by the offer link", w->link.lawyer_id,
                     w->link.case_id);
        if (accepted)
            gateway_offer_state(w, 200, "accepted", "已接受指派",
                                "您已接受此案件。请与受援人联系并在五日内签订委托协议。", a);
        else
            gateway_offer_state(w, 200, "declined", "已谢绝指派",
                                "您已谢绝此案件，中心将另行指派。", NULL);
        return;
    }
    /* Refused (answered already, lapsed, withdrawn...): the link's state
     * says which, with dispatch's own words. */
    w->refused = arena_strdup(&w->r->arena, reply->error ? reply->error : "");
    gateway_offer_lookup(w);
}

void gateway_offer_answer(daemon_t *d, gateway_req_t *r, const char *rest)
{
    gateway_offer_work_t *w = gateway_offer_link(d, r, rest);
    if (!w) return;
    char token[32];
    gateway_offer_token(d, r->url, token);
    const char *t = gateway_page_form(r, "token"), *action = gateway_page_form(r, "action");
    if (!t || strlen(t) != strlen(token) || sodium_memcmp(t, token, strlen(token)) != 0) {
        gateway_page_message(r, 403, "请求被拒绝", "请求缺少有效的表单令牌，请重新打开短信中的链接。",
                             "csrf");
        return;
    }
    static const struct {
        const char *name;
        Legalaid__DeclineCode code;
    } codes[] = {{"conflict", LEGALAID__DECLINE_CODE__DECLINE_CONFLICT},
                 {"out_of_scope", LEGALAID__DECLINE_CODE__DECLINE_OUT_OF_SCOPE},
                 {"capacity", LEGALAID__DECLINE_CODE__DECLINE_CAPACITY},
                 {"other", LEGALAID__DECLINE_CODE__DECLINE_OTHER}};
    Legalaid__AnswerOffer ao = LEGALAID__ANSWER_OFFER__INIT;
    ao.case_id = w->link.case_id;
    ao.lawyer_id = w->link.lawyer_id;
    ao.accept = action && strcmp(action, "accept") == 0;
    ao.has_accept = 1;
    if (!ao.accept) {
        const char *code = gateway_page_form(r, "code"), *reason = gateway_page_form(r, "reason");
        for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
            if (strcmp(code, codes[i].name) == 0) ao.code = codes[i].code;
        if (!action || strcmp(action, "decline") != 0 || !ao.code) {
            gateway_page_message(r, 422, "请选择谢绝理由",
                                 "谢绝需选择理由：利益冲突、执业领域、案件已满或其他。",
                                 "invalid-field");
            return;
        }
        ao.has_code = 1;
        ao.reason = reason && reason[0] ? (char *)reason : NULL;
    }
    /* As the lawyer the link was sent to: dispatch checks the binding. */
    gateway_session_t as;
    memset(&as, 0, sizeof as);
    snprintf(as.user.name, sizeof as.user.name, "%s", w->link.lawyer_id);
    snprintf(as.user.lawyer, sizeof as.user.lawyer, "%s", w->link.lawyer_id);
    as.user.roles = ROLE_LAWYER;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_ANSWER_OFFER;
    req.answer_offer = &ao;
    gateway_session_ask(r, &as, GW_DISPATCH, &req, gateway_offer_answered, w);
}
