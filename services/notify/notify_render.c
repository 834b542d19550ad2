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

/* One article "31(4)" or "25(1)(1)" at *p into b; 0, or -1 when *p is not one. */
static int notify_article_one(buf_t *b, const char **p, const long *items_only, size_t n_items)
{
    char *end;
    long art = strtol(*p, &end, 10);
    if (end == *p || art <= 0) return -1;
    const char *q = end;
    long para = notify_paren_number(&q), item = para > 0 ? notify_paren_number(&q) : -1;
    /* An article that lists items (项) directly, with no paragraphs (款):
     * "art. 31(4)" is 第31条第4项, but "art. 43(2)" is 第43条第2款. */
    int items = 0;
    for (size_t k = 0; k < n_items; k++) items |= items_only[k] == art;
    buf_printf(b, "第%ld条", art);
    if (para > 0) buf_printf(b, items && item <= 0 ? "第%ld项" : "第%ld款", para);
    if (item > 0) buf_printf(b, "第%ld项", item);
    *p = q;
    return 0;
}

char *notify_render_article(arena_t *a, const char *article)
{
    if (!article) return arena_strdup(a, "");
    const char *art = strstr(article, " art. ");
    const long *items_only = NULL;
    size_t n_items = 0;
    const char *title =
        art ? notify_words_statute(article, (size_t)(art - article), &items_only, &n_items) : NULL;
    if (!title) return arena_strdup(a, article); /* Chinese already, or a form we keep */
    buf_t b = {0};
    buf_printf(&b, "%s", title);
    const char *p = art + 6;
    for (int first = 1;; first = 0) {
        if (!first) buf_printf(&b, "、");
        if (notify_article_one(&b, &p, items_only, n_items)) break;
        if (!*p) return text_finish(a, &b);
        if (*p != ',') break;
        for (p++; *p == ' '; p++) {
        }
    }
    buf_free(&b); /* anything else after the citation: keep it as written */
    return arena_strdup(a, article);
}

char *notify_render_date(arena_t *a, int64_t ms)
{
    struct tm tm;
    clock_local_tm(ms, &tm);
    return arena_printf(a, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
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

/* The length of the title "《...》" that s opens with, or 0. */
static size_t notify_title_len(const char *s)
{
    static const char open[] = "《", close[] = "》";
    if (strncmp(s, open, sizeof open - 1) != 0) return 0;
    const char *end = strstr(s, close);
    return end ? (size_t)(end - s) + sizeof close - 1 : 0;
}

char *notify_render_articles(arena_t *a, char *const *articles, size_t n)
{
    buf_t b = {0};
    const char *prev = "";
    for (size_t i = 0; i < n; i++) {
        const char *zh = notify_render_article(a, articles[i]);
        /* The statute once for a run of its articles: 《法律援助法》第41条、第43条第2款. */
        size_t t = notify_title_len(zh);
        int same = t && t == notify_title_len(prev) && strncmp(zh, prev, t) == 0;
        buf_printf(&b, "%s%s", i ? "、" : "", same ? zh + t : zh);
        prev = zh;
    }
    return text_finish(a, &b);
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
    default:
        return "other";
    }
}
