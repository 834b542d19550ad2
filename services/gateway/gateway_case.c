/*
 * gateway_case.c - one case as a lawyer reads it on a page, shared by the
 * offer link's page (gateway_offer.c: before accepting, the applicant
 * masked) and the lawyer's own page (gateway_lawyer.c: their cases whole):
 * the case's number, category, ground of a notified defence, county, the
 * applicant, and the deadlines running at its state, each marked when it
 * has passed.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "gateway_int.h"
#include "mask.h"
#include "regulation.h"

static const char *gateway_case_category(int c)
{
    static const char *const zh[] = {"", "民事", "行政", "刑事辩护", "刑事被害人代理",
                                     "国家赔偿", "劳动争议仲裁", "强制医疗"};
    return c > 0 && c < (int)(sizeof zh / sizeof zh[0]) ? zh[c] : "未注明";
}

/* The grounds of a notified defence (art. 25, 28). */
static const char *gateway_case_ground(int g)
{
    static const char *const zh[] = {"", "未成年人", "盲、聋、哑人", "尚未完全丧失辨认或控制能力的精神病人",
                                     "可能被判处无期徒刑、死刑", "死刑复核", "缺席审判",
                                     "强制医疗", "人民法院认为需要指派"};
    return g > 0 && g < (int)(sizeof zh / sizeof zh[0]) ? zh[g] : NULL;
}

const char *gateway_case_state(Legalaid__AssignmentState s)
{
    switch (s) {
    case LEGALAID__ASSIGNMENT_STATE__OFFERED: return "待答复";
    case LEGALAID__ASSIGNMENT_STATE__ASSIGNED: return "已指派，待签委托协议";
    case LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED: return "已签委托协议";
    case LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS: return "办理中";
    case LEGALAID__ASSIGNMENT_STATE__CONCLUDED: return "已办结，待提交结案卷宗";
    case LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED: return "卷宗已提交，评查中";
    case LEGALAID__ASSIGNMENT_STATE__REVIEWED: return "已评查";
    case LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED: return "已终止法律援助";
    default: return "办理中";
    }
}

/* One deadline: its time ("24:00" of its last day, as a notice states an
 * end), "前" when it is an end, and 已逾期 once past. */
static void gateway_case_due(buf_t *b, const char *label, int64_t at, const char *law, int end)
{
    char t[CLOCK_TEXT_MAX];
    int past = end && at <= clock_now_ms();
    buf_printf(b, "<dt>%s</dt><dd data-due=\"%lld\"%s><time>%s</time>%s", label, (long long)at,
               past ? " class=\"overdue\"" : "", end ? clock_deadline_text(at, t) : clock_local_text(at, t),
               end ? " 前" : "");
    if (past) buf_printf(b, " <strong class=\"error\">已逾期</strong>");
    if (law) buf_printf(b, " <small>(%s)</small>", law);
    buf_printf(b, "</dd>");
}

static void gateway_case_fact(buf_t *b, const char *label, const char *value)
{
    if (!value || !value[0]) return;
    buf_printf(b, "<dt>%s</dt><dd>", label);
    gateway_page_esc(b, value);
    buf_printf(b, "</dd>");
}

void gateway_case_facts(buf_t *b, const Legalaid__Assignment *a, int whole)
{
    const Legalaid__CaseFacts *f = a->facts;
    buf_printf(b, "<dl class=\"facts\" data-case=\"");
    gateway_page_esc(b, a->case_id);
    buf_printf(b, "\"><dt>案件编号</dt><dd>");
    gateway_page_esc(b, a->case_id);
    buf_printf(b, "</dd><dt>案件类别</dt><dd>%s</dd>", gateway_case_category(a->category));
    const char *g = f ? gateway_case_ground(f->ground) : NULL;
    if (g) buf_printf(b, "<dt>通知辩护情形</dt><dd>%s</dd>", g);
    if (f) gateway_case_fact(b, "区县", f->county);
    if (f && f->minor) buf_printf(b, "<dt>特别要求</dt><dd>涉及未成年人</dd>");
    if (a->authority) gateway_case_fact(b, "通知机关", a->authority->name);
    const Legalaid__Person *p = f ? f->applicant : NULL;
    if (p && p->name && whole) {
        /* The lawyer's own case: whom to contact (the read is audited). */
        gateway_case_fact(b, "受援人", p->name);
        gateway_case_fact(b, "身份证号", p->id_number);
        gateway_case_fact(b, "联系电话", p->phone);
    } else if (p && p->name) {
        char masked[64];
        buf_printf(b, "<dt>受援人</dt><dd>");
        gateway_page_esc(b, mask_name(p->name, masked, sizeof masked));
        buf_printf(b, " <small>(接受后登录查看完整信息)</small></dd>");
    }
    switch (a->state) {
    case LEGALAID__ASSIGNMENT_STATE__OFFERED:
        if (a->offer && a->offer->expires_at)
            gateway_case_due(b, "答复期限", a->offer->expires_at, NULL, 1);
        if (a->assign_due_at)
            gateway_case_due(b, "指派期限", a->assign_due_at,
                             regulation_cite_in(REG_LEGAL_AID_LAW, "36, 43", 1), 1);
        break;
    case LEGALAID__ASSIGNMENT_STATE__ASSIGNED:
        if (a->agreement_due_at)
            gateway_case_due(b, "签订委托协议", a->agreement_due_at, "指派之日起五日内", 1);
        break;
    case LEGALAID__ASSIGNMENT_STATE__CONCLUDED:
        if (a->file_due_at) {
            char law[REGULATION_CITE_MAX + 32];
            snprintf(law, sizeof law, "%s：结案后三十日内",
                     regulation_cite_in(REG_LEGAL_AID_LAW, "50", 1));
            gateway_case_due(b, "提交结案卷宗", a->file_due_at, law, 1);
        }
        break;
    case LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED:
        if (a->review_due_at) gateway_case_due(b, "卷宗评查", a->review_due_at, NULL, 1);
        break;
    default:
        break;
    }
    if (a->hearing_at) {
        gateway_case_due(b, "开庭时间", a->hearing_at, NULL, 0);
        if (a->hearing_place) gateway_case_fact(b, "开庭地点", a->hearing_place);
    }
    buf_printf(b, "</dl>");
}
