/*
 * gateway_lawyer.c - a lawyer's own page, after signing in (role lawyer,
 * bound to one lawyer of the pool):
 *
 *   GET /lawyer   the offers open to them, each with its answer deadline
 *                 and the button to the offer's own page (the signed link
 *                 the SMS carries: the answer goes through dispatch's
 *                 rules exactly as there), the applicant masked until
 *                 accepted; and the cases they handle, whole (whom to
 *                 contact), with the deadline running at each one's state
 *                 (the agreement, the closing file, the hearing), marked
 *                 once passed.
 *
 * Dispatch answers from its "by_lawyer" index, as the signed-in lawyer:
 * it refuses another lawyer's desk, and its audit records the unmasked
 * read. A phone-sized page, drawn on the server: no script.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway_int.h"
#include "log.h"
#include "offerlink.h"

typedef struct gateway_lawyer_work {
    daemon_t *d;
    gateway_req_t *r;
    gateway_session_t *s;
} gateway_lawyer_work_t;

/* Soonest first: the case whose next deadline comes first leads. */
static int64_t gateway_lawyer_next(const Legalaid__Assignment *a)
{
    switch (a->state) {
    case LEGALAID__ASSIGNMENT_STATE__OFFERED: return a->offer ? a->offer->expires_at : 0;
    case LEGALAID__ASSIGNMENT_STATE__ASSIGNED: return a->agreement_due_at;
    case LEGALAID__ASSIGNMENT_STATE__CONCLUDED: return a->file_due_at;
    default: return a->hearing_at;
    }
}

static int gateway_lawyer_cmp(const void *x, const void *y)
{
    int64_t a = gateway_lawyer_next(*(Legalaid__Assignment *const *)x);
    int64_t b = gateway_lawyer_next(*(Legalaid__Assignment *const *)y);
    if (!a != !b) return a ? -1 : 1; /* a deadline before none */
    return a < b ? -1 : a > b;
}

static void gateway_lawyer_draw(gateway_lawyer_work_t *w, const Legalaid__LawyerCases *lc)
{
    buf_t b = {0};
    gateway_page_begin(&b, "我的法律援助案件", w->s->user.name, w->s->user.roles, w->s->csrf);
    buf_printf(&b, "<div id=\"lawyer\" data-lawyer=\"");
    gateway_page_esc(&b, lc->lawyer_id);
    buf_printf(&b, "\" data-offers=\"%zu\" data-cases=\"%zu\">", lc->n_offers, lc->n_cases);
    /* (An empty list is NULL: qsort may not be given it.) */
    if (lc->n_offers > 1) qsort(lc->offers, lc->n_offers, sizeof *lc->offers, gateway_lawyer_cmp);
    if (lc->n_cases > 1) qsort(lc->cases, lc->n_cases, sizeof *lc->cases, gateway_lawyer_cmp);

    buf_printf(&b, "<section id=\"offers\"><h2>待答复的指派（%zu）</h2>", lc->n_offers);
    if (!lc->n_offers) buf_printf(&b, "<p class=\"none\">目前没有待您答复的指派。</p>");
    for (size_t i = 0; i < lc->n_offers; i++) {
        const Legalaid__Assignment *a = lc->offers[i];
        buf_printf(&b, "<article class=\"case\">");
        gateway_case_facts(&b, a, 0);
        char path[256];
        if (a->offer && a->offer->lawyer &&
            offerlink_path(daemon_ring(w->d), a->case_id, lc->lawyer_id, a->offer->offered_at, path,
                           sizeof path) == 0) {
            buf_printf(&b, "<p><a class=\"button primary\" href=\"");
            gateway_page_esc(&b, path);
            buf_printf(&b, "\">查看并答复</a></p>");
        }
        buf_printf(&b, "</article>");
    }
    buf_printf(&b, "</section><section id=\"cases\"><h2>我承办的案件（%zu）</h2>", lc->n_cases);
    if (!lc->n_cases) buf_printf(&b, "<p class=\"none\">目前没有您承办中的案件。</p>");
    for (size_t i = 0; i < lc->n_cases; i++) {
        const Legalaid__Assignment *a = lc->cases[i];
        buf_printf(&b, "<article class=\"case\" data-state=\"%s\"><p class=\"state\">%s</p>",
                   a->state == LEGALAID__ASSIGNMENT_STATE__ASSIGNED ? "ASSIGNED" : "OPEN",
                   gateway_case_state(a->state));
        gateway_case_facts(&b, a, 1);
        buf_printf(&b, "</article>");
    }
    if (lc->truncated) buf_printf(&b, "<p class=\"muted\">案件较多，仅列出前 500 件。</p>");
    buf_printf(&b, "</section><p class=\"muted\">如需办理案件进程（签订协议、办结、提交卷宗），"
                   "请联系法律援助中心。</p></div>");
    gateway_page_end(&b, NULL);
    gateway_page_send(w->r, 200, &b);
}

static void gateway_lawyer_reply(void *ctx, const Legalaid__Reply *reply)
{
    gateway_lawyer_work_t *w = ctx;
    if (reply && reply->code == LEGALAID__CODE__OK &&
        reply->body_case == LEGALAID__REPLY__BODY_LAWYER_CASES) {
        gateway_lawyer_draw(w, reply->lawyer_cases);
        return;
    }
    if (!reply) {
        gateway_page_message(w->r, 503, "暂时无法显示", "指派服务暂无应答，请稍后刷新。",
                             "unavailable");
        return;
    }
    log_warn("lawyer page for %s refused: %s", w->s->user.name, reply->error ? reply->error : "-");
    gateway_page_message(w->r, reply->code == LEGALAID__CODE__NOT_FOUND ? 404 : 403,
                         "无法显示", reply->error ? reply->error : "指派服务拒绝了此请求。",
                         reply->code == LEGALAID__CODE__NOT_FOUND ? "not-found" : "refused");
}

void gateway_lawyer_page(daemon_t *d, gateway_req_t *r)
{
    gateway_session_t *s = gateway_signin_need(r, ROLE_LAWYER);
    if (!s) return;
    if (!s->user.lawyer[0]) {
        gateway_page_message(r, 403, "无法显示",
                             "此账号未绑定律师（[gateway] users 中的 lawyer=ID）。", "no-lawyer");
        return;
    }
    gateway_lawyer_work_t *w = arena_alloc(&r->arena, sizeof *w);
    w->d = d;
    w->r = r;
    w->s = s;
    Legalaid__LawyerCasesQuery q = LEGALAID__LAWYER_CASES_QUERY__INIT;
    q.lawyer_id = s->user.lawyer;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_LAWYER_CASES;
    req.lawyer_cases = &q;
    req.unmask = 1; /* the lawyer's own cases: dispatch refuses another's */
    req.has_unmask = 1;
    gateway_session_ask(r, s, GW_DISPATCH, &req, gateway_lawyer_reply, w);
}
