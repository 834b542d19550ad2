/*
 * notify_render.c - the pieces of wording that templates cannot compute:
 * a masked phone, a citation in Chinese, local dates and times, the span
 * of a duty shift, the Chinese names of enum values (see notify_render.h).
 */
#include "notify_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "legalaid.pb-c.h"
#include "notify_words.h"
#include "regulation.h"

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

char *notify_render_phone_mask(arena_t *a, const char *phone)
{
    if (!text_present(phone)) return arena_strdup(a, "-");
    size_t n = strlen(phone);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)phone[i] < 0x20 || (unsigned char)phone[i] > 0x7e)
            return arena_strdup(a, "****");
    if (n < 8) return arena_strdup(a, "****");
    return arena_printf(a, "%.3s****%s", phone, phone + n - 4);
}

char *notify_render_article(arena_t *a, const char *article)
{
    /* Chinese already, or a form we keep: as written (regulation.c). */
    return arena_strdup(a, article ? regulation_render_in(article, 1) : "");
}

char *notify_render_date(arena_t *a, int64_t ms)
{
    struct tm tm;
    clock_local_tm(ms, &tm);
    return arena_printf(a, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

char *notify_render_day(arena_t *a, const char *day)
{
    int y, m, d, n = 0;
    if (!text_present(day)) return arena_strdup(a, "");
    /* Anything not a plain date is written as the daemon wrote it. */
    if (sscanf(day, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || day[n] || m < 1 || m > 12 || d < 1 ||
        d > 31)
        return arena_strdup(a, day);
    return arena_printf(a, "%d年%d月%d日", y, m, d);
}

char *notify_render_time(arena_t *a, int64_t ms, char buf[CLOCK_TEXT_MAX])
{
    struct tm tm;
    clock_local_tm(ms, &tm);
    snprintf(buf, CLOCK_TEXT_MAX, "%d年%d月%d日 %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min);
    return arena_strdup(a, buf);
}

char *notify_render_deadline(arena_t *a, int64_t ms)
{
    struct tm tm;
    clock_local_tm(ms, &tm);
    if (tm.tm_hour || tm.tm_min || tm.tm_sec) {
        char buf[CLOCK_TEXT_MAX];
        return notify_render_time(a, ms, buf);
    }
    /* A period in days ends at 24:00 of its last day (民法典 art. 203). */
    clock_local_tm(ms - 1, &tm);
    return arena_printf(a, "%d年%d月%d日 24:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

char *notify_render_articles(arena_t *a, char *const *articles, size_t n)
{
    return arena_strdup(a, regulation_render_list_in(articles, n, 1));
}

char *notify_render_shift_span(arena_t *a, int64_t starts_at, int64_t ends_at)
{
    struct tm from, to;
    clock_local_tm(starts_at, &from);
    clock_local_tm(ends_at, &to);
    buf_t b = {0};
    buf_printf(&b, "%d年%d月%d日%02d:%02d至", from.tm_year + 1900, from.tm_mon + 1, from.tm_mday,
               from.tm_hour, from.tm_min);
    if (to.tm_year != from.tm_year || to.tm_yday != from.tm_yday)
        buf_printf(&b, "%d月%d日", to.tm_mon + 1, to.tm_mday);
    buf_printf(&b, "%02d:%02d", to.tm_hour, to.tm_min);
    return text_finish(a, &b);
}

const char *notify_render_duty_mode(int mode)
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

const char *notify_render_shift_role(int role)
{
    return role == LEGALAID__SHIFT_ROLE__BACKUP ? "B岗（备班）" : "A岗（主班）";
}

const char *notify_render_grade(int grade)
{
    switch (grade) {
    case LEGALAID__GRADE__EXCELLENT:
        return "优秀";
    case LEGALAID__GRADE__GOOD:
        return "良好";
    case LEGALAID__GRADE__PASS:
        return "合格";
    case LEGALAID__GRADE__FAIL:
        return "不合格";
    default:
        return "";
    }
}

const char *notify_render_release(int kind)
{
    switch (kind) {
    case LEGALAID__RELEASE_KIND__REPLACEMENT:
        return "受援人申请更换律师";
    case LEGALAID__RELEASE_KIND__DEFENDANT_REFUSAL:
        return "被告人拒绝指派的律师辩护";
    case LEGALAID__RELEASE_KIND__OWN_COUNSEL_RETAINED:
        return "被告人已自行委托辩护人";
    default:
        return "";
    }
}

const char *notify_render_case_event(int kind)
{
    switch (kind) {
    case LEGALAID__CASE_EVENT_KIND__HEARING_SET:
        return "开庭时间已确定";
    case LEGALAID__CASE_EVENT_KIND__HEARING_MOVED:
        return "开庭时间已变更";
    case LEGALAID__CASE_EVENT_KIND__RELEASED:
        return "当事人已被释放";
    case LEGALAID__CASE_EVENT_KIND__TRANSFERRED:
        return "当事人或案件已移送";
    case LEGALAID__CASE_EVENT_KIND__JUDGMENT:
        return "案件已判决";
    default:
        return "";
    }
}

const char *notify_render_party(int party)
{
    switch (party) {
    case LEGALAID__PARTY__APPLICANT:
        return "applicant";
    case LEGALAID__PARTY__LAWYER:
        return "lawyer";
    case LEGALAID__PARTY__AUTHORITY:
        return "authority";
    case LEGALAID__PARTY__STAFF:
        return "staff";
    case LEGALAID__PARTY__STATION:
        return "station";
    case LEGALAID__PARTY__CANDIDATE:
        return "candidate";
    case LEGALAID__PARTY__FIRM:
        return "firm";
    default:
        return "other";
    }
}
