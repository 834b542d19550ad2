/*
 * notify_render.c - the notification texts (see notify_render.h). Kept
 * in one file of plain functions so that the wording is reviewed in one
 * place and can move to template files unchanged.
 */
#include "notify_render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "clock.h"

#define NOTIFY_PREFIX "【法律援助】"

static void text_add(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static char *text_finish(arena_t *a, buf_t *b)
{
    char *s = arena_alloc(a, b->len + 1);
    if (b->len) memcpy(s, b->data, b->len);
    buf_free(b);
    return s;
}

static int text_present(const char *s)
{
    return s && s[0];
}

char *notify_phone_mask(arena_t *a, const char *phone)
{
    if (!text_present(phone)) return arena_strdup(a, "-");
    size_t n = strlen(phone);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)phone[i] < 0x20 || (unsigned char)phone[i] > 0x7e)
            return arena_strdup(a, "****");
    if (n < 8) return arena_strdup(a, "****");
    return arena_printf(a, "%.3s****%s", phone, phone + n - 4);
}

/* Known statute names in the English citations eligibility writes. */
static const struct {
    const char *english, *chinese;
} notify_statutes[] = {
    {"Legal Aid Law", "《法律援助法》"},
    {"Criminal Procedure Law", "《刑事诉讼法》"},
};

/* Reads "(digits)" at *p; returns the number or -1. */
static long notify_paren_number(const char **p)
{
    const char *s = *p;
    if (*s != '(') return -1;
    char *end;
    long v = strtol(s + 1, &end, 10);
    if (end == s + 1 || *end != ')' || v <= 0) return -1;
    *p = end + 1;
    return v;
}

char *notify_render_article(arena_t *a, const char *article)
{
    if (!article) return arena_strdup(a, "");
    for (size_t i = 0; i < sizeof notify_statutes / sizeof notify_statutes[0]; i++) {
        size_t n = strlen(notify_statutes[i].english);
        if (strncmp(article, notify_statutes[i].english, n) != 0 ||
            strncmp(article + n, " art. ", 6) != 0)
            continue;
        const char *p = article + n + 6;
        char *end;
        long art = strtol(p, &end, 10);
        if (end == p || art <= 0) break;
        p = end;
        long para = notify_paren_number(&p), item = para > 0 ? notify_paren_number(&p) : -1;
        if (*p) break; /* anything after the citation: keep it as written */
        /* Articles of the Legal Aid Law that list items (项) directly, with no
         * paragraphs (款): "art. 31(4)" is 第31条第4项, but "art. 43(2)" is
         * 第43条第2款. */
        static const long item_articles[] = {22, 31, 32, 42, 48};
        int items_only = 0;
        for (size_t k = 0; i == 0 && k < sizeof item_articles / sizeof item_articles[0]; k++)
            if (item_articles[k] == art) items_only = 1;
        buf_t b = {0};
        text_add(&b, "%s第%ld条", notify_statutes[i].chinese, art);
        if (para > 0) text_add(&b, items_only && item <= 0 ? "第%ld项" : "第%ld款", para);
        if (item > 0) text_add(&b, "第%ld项", item);
        return text_finish(a, &b);
    }
    return arena_strdup(a, article);
}

char *notify_render_date(arena_t *a, int64_t ms)
{
    struct tm tm;
    clock_local_tm(ms, &tm);
    return arena_printf(a, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

char *notify_render_receipt(arena_t *a, const char *case_id)
{
    return arena_printf(a, NOTIFY_PREFIX "您的申请已受理，案件编号%s。", case_id);
}

static void text_authority_reference(buf_t *b, const Legalaid__Authority *auth)
{
    if (auth && text_present(auth->reference)) text_add(b, "（文号%s）", auth->reference);
}

char *notify_render_notice_ack(arena_t *a, const char *case_id, const Legalaid__Authority *auth)
{
    buf_t b = {0};
    text_add(&b, NOTIFY_PREFIX "已收到贵单位的法律援助通知");
    text_authority_reference(&b, auth);
    /* Legal Aid Law art. 36: appoint a lawyer and tell the authority. */
    text_add(&b, "，案件编号%s。我中心将依法指派律师并函告贵单位。", case_id);
    return text_finish(a, &b);
}

static void text_articles(buf_t *b, arena_t *a, const Legalaid__Decision *d)
{
    if (d->n_articles == 0) return;
    text_add(b, "（依据");
    for (size_t i = 0; i < d->n_articles; i++)
        text_add(b, "%s%s", i ? "、" : "", notify_render_article(a, d->articles[i]));
    text_add(b, "）");
}

char *notify_render_decision(arena_t *a, const char *case_id, const Legalaid__Decision *d)
{
    buf_t b = {0};
    text_add(&b, NOTIFY_PREFIX "案件%s：", case_id);
    switch (d->outcome) {
    case LEGALAID__OUTCOME__APPROVED:
    case LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION:
        text_add(&b, "经审查，决定给予法律援助");
        text_articles(&b, a, d);
        text_add(&b, "。");
        if (d->outcome == LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION) {
            /* Legal Aid Law art. 41: the commitment is checked afterwards;
             * art. 48(2): a false statement ends the aid. */
            text_add(&b, "您签署的经济困难承诺将");
            if (d->has_verification_due_at)
                text_add(&b, "于%s前",
                         notify_render_date(a, d->verification_due_at));
            text_add(&b, "核查，如与事实不符将终止法律援助。");
        }
        if (d->priority && d->priority->emergency)
            /* Legal Aid Law art. 44: aid starts before the review ends. */
            text_add(&b, "因您的案件期限紧迫，我中心先行提供法律援助（《法律援助法》第44条）。");
        if (d->priority && d->priority->same_day)
            text_add(&b, "我中心将于今天为您指派律师。");
        else if (d->has_assign_due_at)
            text_add(&b, "我中心将于%s前为您指派律师。",
                     notify_render_date(a, d->assign_due_at));
        else
            text_add(&b, "我中心将尽快为您指派律师。");
        break;
    case LEGALAID__OUTCOME__NEEDS_MATERIALS:
        /* Legal Aid Law art. 43(2): one notice of everything missing; not
         * supplying it counts as withdrawing the application. */
        text_add(&b, "您的申请材料不全");
        text_articles(&b, a, d);
        text_add(&b, "，请一次补齐以下材料：");
        for (size_t i = 0; i < d->n_missing_materials; i++)
            text_add(&b, "%s%s", i ? "；" : "", d->missing_materials[i]);
        if (d->n_missing_materials == 0) text_add(&b, "（详见窗口告知）");
        text_add(&b, "。");
        if (d->has_materials_due_at)
            text_add(&b, "请于%s前补充，逾期未补充的，视为撤回申请。",
                     notify_render_date(a, d->materials_due_at));
        else
            text_add(&b, "未按要求补充的，视为撤回申请。");
        break;
    case LEGALAID__OUTCOME__WITHDRAWN:
        text_add(&b, "您已撤回法律援助申请，本案审查终结。如需帮助，可重新申请。");
        break;
    case LEGALAID__OUTCOME__DEEMED_WITHDRAWN:
        /* Legal Aid Law art. 43(2): materials not supplied as asked. */
        text_add(&b, "您未在规定期限内补充申请材料，依据《法律援助法》第43条视为撤回申请。"
                     "如需帮助，可重新申请。");
        break;
    case LEGALAID__OUTCOME__TERMINATED:
        /* Legal Aid Law art. 48: aid ends; art. 49: objection route. */
        text_add(&b, "决定终止法律援助");
        text_articles(&b, a, d);
        text_add(&b, "。如有异议，可向设立法律援助机构的司法行政部门提出，该部门将在5日内审查"
                     "（《法律援助法》第49条）。");
        break;
    case LEGALAID__OUTCOME__REFUSED:
        text_add(&b, "经审查，决定不予法律援助");
        text_articles(&b, a, d);
        text_add(&b, "。");
        text_add(&b, "具体理由见《不予法律援助决定书》。");
        /* Legal Aid Law art. 49: objection to the justice bureau that set up
         * the centre, decided within 5 days. */
        text_add(&b, "如有异议，可向设立法律援助机构的司法行政部门提出，该部门将在5日内审查"
                     "（《法律援助法》第49条）。");
        break;
    default:
        text_add(&b, "审查结果已作出");
        text_articles(&b, a, d);
        text_add(&b, "，请向法律援助中心查询。");
        break;
    }
    return text_finish(a, &b);
}

static void text_lawyer(buf_t *b, const Legalaid__Lawyer *l)
{
    if (text_present(l->firm)) text_add(b, "%s", l->firm);
    text_add(b, "%s律师", text_present(l->name) ? l->name : "");
}

char *notify_render_assignment_applicant(arena_t *a, const char *case_id, const Legalaid__Lawyer *l)
{
    buf_t b = {0};
    text_add(&b, NOTIFY_PREFIX "案件%s已指派", case_id);
    text_lawyer(&b, l);
    text_add(&b, "为您提供法律援助，律师将与您联系。");
    return text_finish(a, &b);
}

char *notify_render_assignment_lawyer(arena_t *a, const char *case_id, const char *applicant_name,
                                      const Legalaid__Authority *auth)
{
    buf_t b = {0};
    text_add(&b, NOTIFY_PREFIX "您已被指派承办法律援助案件%s", case_id);
    if (text_present(applicant_name)) text_add(&b, "，受援人%s", applicant_name);
    if (auth && text_present(auth->name)) {
        text_add(&b, "，通知机关%s", auth->name);
        text_authority_reference(&b, auth);
    }
    text_add(&b, "。请及时联系受援人并签订委托协议。");
    return text_finish(a, &b);
}

char *notify_render_appointment(arena_t *a, const char *case_id, const Legalaid__Authority *auth,
                                const Legalaid__Lawyer *l)
{
    buf_t b = {0};
    text_add(&b, NOTIFY_PREFIX "贵单位通知的法律援助案件");
    text_authority_reference(&b, auth);
    text_add(&b, "，我中心已指派");
    text_lawyer(&b, l);
    text_add(&b, "承办，案件编号%s（《法律援助法》第36条）。", case_id);
    return text_finish(a, &b);
}

static const char *notify_mode_text(int mode)
{
    switch (mode) {
    case LEGALAID__DUTY_MODE__BY_PHONE:
        return "电话值班";
    case LEGALAID__DUTY_MODE__ONLINE_DUTY:
        return "网络值班";
    default:
        return "现场值班";
    }
}

char *notify_render_shift(arena_t *a, const Legalaid__Shift *s)
{
    struct tm from, to;
    clock_local_tm(s->starts_at, &from);
    clock_local_tm(s->ends_at, &to);
    buf_t b = {0};
    text_add(&b, NOTIFY_PREFIX "值班安排：%d年%d月%d日%02d:%02d至", from.tm_year + 1900,
             from.tm_mon + 1, from.tm_mday, from.tm_hour, from.tm_min);
    if (to.tm_year != from.tm_year || to.tm_yday != from.tm_yday)
        text_add(&b, "%d月%d日", to.tm_mon + 1, to.tm_mday);
    text_add(&b, "%02d:%02d，工作站%s，%s，%s。", to.tm_hour, to.tm_min,
             s->station ? s->station : "-",
             s->role == LEGALAID__SHIFT_ROLE__BACKUP ? "B岗（备班）" : "A岗（主班）",
             notify_mode_text(s->mode));
    return text_finish(a, &b);
}

char *notify_render_materials(arena_t *a, const char *case_id,
                              const Legalaid__MaterialsSupplemented *m)
{
    buf_t b = {0};
    text_add(&b, NOTIFY_PREFIX "案件%s：已收到您补充的材料", case_id);
    for (size_t i = 0; i < m->n_materials; i++)
        text_add(&b, "%s%s", i ? "、" : "：", m->materials[i]);
    text_add(&b, "。我中心将继续审查。");
    return text_finish(a, &b);
}

char *notify_render_objection_filed(arena_t *a, const char *case_id, const Legalaid__Objection *o)
{
    buf_t b = {0};
    text_add(&b, NOTIFY_PREFIX "您对案件%s的异议已提交司法行政部门", case_id);
    if (o->has_due_at) text_add(&b, "，将于%s前作出决定", notify_render_date(a, o->due_at));
    text_add(&b, "（《法律援助法》第49条）。");
    return text_finish(a, &b);
}

char *notify_render_objection_decided(arena_t *a, const char *case_id, const Legalaid__Objection *o)
{
    buf_t b = {0};
    text_add(&b, NOTIFY_PREFIX "您对案件%s的异议，司法行政部门已审查：", case_id);
    if (o->state == LEGALAID__OBJECTION_STATE__CORRECTED)
        text_add(&b, "责令法律援助机构改正，我中心将重新作出决定并通知您。");
    else
        /* Art. 49: after the bureau upholds the centre, review or litigation remain. */
        text_add(&b, "维持原决定。如仍不服，可依法申请行政复议或者提起行政诉讼。");
    return text_finish(a, &b);
}
