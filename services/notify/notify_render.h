/*
 * notify_render.h - the pieces of wording the templates cannot compute
 * themselves: a phone masked for display, a citation in Chinese, local
 * dates and times, a shift's span, the Chinese names of enum values. Every
 * function returns a string in the arena a (or a constant); none logs.
 */
#ifndef LA_NOTIFY_RENDER_H
#define LA_NOTIFY_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "clock.h"

/* A phone for display: "13904721234" -> "139****1234"; "****" for one too
 * short to mask; "-" when there is none. */
char *notify_render_phone_mask(arena_t *a, const char *phone);

/* A citation "<statute> art. <list>" in Chinese: "Legal Aid Law art.
 * 25(1)(1)" -> "《法律援助法》第25条第1款第1项", "Legal Aid Law art. 57, 59"
 * -> "《法律援助法》第57条、第59条", "法律援助法实施程序规定 art. 27" ->
 * "《法律援助法实施程序规定》第27条" (the statutes: notify_words.c); a
 * citation in any other form (one written in Chinese) is returned as it is.
 * The one converter of every article a text cites. */
char *notify_render_article(arena_t *a, const char *article);
/* Several citations joined with "、", a statute named once for a run of
 * its articles ("《法律援助法》第41条、第43条第2款"). */
char *notify_render_articles(arena_t *a, char *const *articles, size_t n);

/* "2026年3月5日" */
char *notify_render_date(arena_t *a, int64_t ms);
/* A calendar day written "2026-03-05" as "2026年3月5日"; any other text as
 * it is ("" for none). */
char *notify_render_day(arena_t *a, const char *day);
/* "2026年3月5日 14:00" (buf is scratch space). */
char *notify_render_time(arena_t *a, int64_t ms, char buf[CLOCK_TEXT_MAX]);
/* A deadline's due time as the law counts it: local midnight is the
 * previous day's 24:00 ("2026年3月5日 24:00"), any other time as
 * notify_render_time. */
char *notify_render_deadline(arena_t *a, int64_t ms);
/* "2026年3月5日08:00至17:30", the end's date only when another day. */
char *notify_render_shift_span(arena_t *a, int64_t starts_at, int64_t ends_at);

const char *notify_render_duty_mode(int mode);  /* 现场值班 ... */
const char *notify_render_shift_role(int role); /* A岗（主班） / B岗（备班） */
const char *notify_render_grade(int grade);     /* 优秀 ...; "" when not graded */
const char *notify_render_release(int kind);    /* why a lawyer left the case */
const char *notify_render_case_event(int kind); /* 开庭时间已确定 ...: an authority's report */
/* "applicant", "lawyer", "authority", "staff", "station", "candidate",
 * "firm": template names. */
const char *notify_render_party(int party);

#endif
