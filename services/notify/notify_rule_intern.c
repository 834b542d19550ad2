/*
 * notify_rule_intern.c - the internship events in the rule table: when each
 * row applies and the wording it computes (the period, the first day, the
 * time to answer by, and a published match's candidates left without a
 * place and places left empty, with why). The qualification office
 * (法律职业资格管理科) of the justice bureau runs the match; dispatch keeps
 * it and publishes the events. A candidate is named by name only: the ID
 * number is never a template field (notify_fields.c), nor does a list name
 * one.
 */
#include "notify_rule_intern.h"

#include <string.h>

#include "notify_render.h"
#include "notify_words.h"

static const Legalaid__InternStanding *intern_standing(const notify_ctx_t *c)
{
    switch (c->ev->body_case) {
    case LEGALAID__EVENT__BODY_INTERN_OFFERED:
        return c->ev->intern_offered->standing;
    case LEGALAID__EVENT__BODY_INTERN_ANSWERED:
        return c->ev->intern_answered->standing;
    case LEGALAID__EVENT__BODY_INTERN_LAPSED:
        return c->ev->intern_lapsed->standing;
    default:
        return NULL;
    }
}

/* "2026" -> "2026年度"; a period of another form ("2026-2") -> "2026-2期". */
static const char *intern_period_zh(arena_t *a, const char *period)
{
    if (!period || !period[0]) return "";
    size_t n = strlen(period);
    int year = n == 4 && strspn(period, "0123456789") == 4;
    return arena_printf(a, year ? "%s年度" : "%s期", period);
}

/* --- when ----------------------------------------------------------------- */

static int intern_answered(const notify_ctx_t *c, Legalaid__InternState state)
{
    const Legalaid__InternStanding *s = intern_standing(c);
    return s && s->state == state;
}

int notify_rule_intern_when_accepted(const notify_ctx_t *c)
{
    return intern_answered(c, LEGALAID__INTERN_STATE__INTERN_ACCEPTED);
}

int notify_rule_intern_when_confirmed(const notify_ctx_t *c)
{
    return intern_answered(c, LEGALAID__INTERN_STATE__INTERN_CONFIRMED);
}

/* --- computed fields ------------------------------------------------------ */

const char *const notify_rule_intern_standing_names[] = {"period_zh", "starts_on_zh", "reply_by_zh",
                                                         NULL};

int notify_rule_intern_extra_standing(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__InternStanding *s = intern_standing(c);
    arena_t *a = c->t->arena;
    notify_fields_set(f, "period_zh", intern_period_zh(a, s->candidate->period));
    notify_fields_set(f, "starts_on_zh", notify_render_day(a, s->starts_on));
    /* reply_by is a time without the "_at" the fields read as one: written
     * as an offer's expires_at is. */
    if (s->has_reply_by && s->reply_by > 0) {
        char buf[CLOCK_TEXT_MAX];
        notify_fields_set(f, "reply_by_zh", notify_render_time(a, s->reply_by, buf));
    }
    return 0;
}

const char *const notify_rule_intern_published_names[] = {
    "period_zh",  "left_count", "left_list",   "left_more",  "left_shown", "empty_count",
    "empty_list", "empty_more", "empty_shown", "all_placed", "all_filled", NULL};

/* "张三（东胜区，志愿中没有本期的实习岗位）；李四（...）" */
static const char *intern_left_list(arena_t *a, const Legalaid__InternMatchPublished *p)
{
    const char *list = "";
    for (size_t i = 0; i < p->n_left; i++) {
        const Legalaid__InternMatchRow *r = p->left[i];
        const char *who = r->name && r->name[0] ? r->name : r->certificate ? r->certificate : "";
        const char *why = notify_words_intern_reason(r->reason);
        const char *county = r->county && r->county[0] ? r->county : NULL;
        const char *note = county && why   ? arena_printf(a, "（%s，%s）", county, why)
                           : county || why ? arena_printf(a, "（%s）", county ? county : why)
                                           : "";
        list = arena_printf(a, "%s%s%s%s", list, i ? "；" : "", who, note);
    }
    return list;
}

/* "某律师事务所岗位P-01（东胜区，空缺2名，无人填报（或填报不足））；..." */
static const char *intern_empty_list(arena_t *a, const Legalaid__InternMatchPublished *p)
{
    const char *list = "";
    for (size_t i = 0; i < p->n_empty; i++) {
        const Legalaid__InternPlaceRow *r = p->empty[i];
        const char *why = notify_words_intern_reason(r->reason);
        const char *county = r->county && r->county[0] ? r->county : NULL;
        const char *open =
            r->count > r->filled ? arena_printf(a, "空缺%u名", r->count - r->filled) : NULL;
        const char *note = "";
        if (county || open || why)
            note = arena_printf(a, "（%s%s%s%s%s）", county ? county : "",
                                county && (open || why) ? "，" : "", open ? open : "",
                                open && why ? "，" : "", why ? why : "");
        list = arena_printf(a, "%s%s%s岗位%s%s", list, i ? "；" : "", r->firm ? r->firm : "",
                            r->place_id ? r->place_id : "", note);
    }
    return list;
}

int notify_rule_intern_extra_published(const notify_ctx_t *c, notify_fields_t *f)
{
    const Legalaid__InternMatchPublished *p = c->ev->intern_match_published;
    arena_t *a = c->t->arena;
    notify_fields_set(f, "period_zh", intern_period_zh(a, p->period));
    notify_fields_set(f, "left_list", intern_left_list(a, p));
    notify_fields_set(f, "empty_list", intern_empty_list(a, p));
    /* The event lists at most 50 of each: the text says when it shows fewer. */
    size_t left = p->unplaced > p->n_left ? p->unplaced : p->n_left;
    size_t empty = p->unfilled > p->n_empty ? p->unfilled : p->n_empty;
    notify_fields_set(f, "left_count", arena_printf(a, "%zu", left));
    notify_fields_set(f, "empty_count", arena_printf(a, "%zu", empty));
    if (p->unplaced > p->n_left && p->n_left) {
        notify_fields_set(f, "left_more", "1");
        notify_fields_set(f, "left_shown", arena_printf(a, "%zu", p->n_left));
    }
    if (p->unfilled > p->n_empty && p->n_empty) {
        notify_fields_set(f, "empty_more", "1");
        notify_fields_set(f, "empty_shown", arena_printf(a, "%zu", p->n_empty));
    }
    notify_fields_set(f, "all_placed", left ? "" : "1");
    notify_fields_set(f, "all_filled", empty ? "" : "1");
    return 0;
}
