/*
 * dispatch_review.c - the review of a closing file, 一卷二评 ("one file,
 * two reviews": each file scored by two peer reviewers): the indicator set
 * and the grade cut-offs of the configuration, RecordReview, the grade, the
 * move FILE_SUBMITTED -> REVIEWED, and the "graded" table the report reads.
 *
 * The rules (DOMAIN section 9):
 *   R-QUAL-01 (art. 57, 59)  the centre checks the files (案卷检查) on a
 *                            deadline of its own (T-19: file_review_days)
 *   R-QUAL-02                the indicators and their points are
 *                            configured (review_indicators), adding up to 100
 *   R-QUAL-03                each file is scored out of 100 by peer
 *                            lawyers, neither the handling lawyer nor one
 *                            of the same firm; graded 优秀 / 良好 / 合格 /
 *                            不合格 from configured cut-offs (OPEN-9)
 *   R-QUAL-04 (art. 58)      the results are reported (dispatch_report.c)
 *
 * A file's reviews, in the case record (Assignment.reviews):
 *
 *   reviews  reviews_needed  then
 *   1        2               FileReviewed, no grade yet
 *   2        2               |a - b| <= review_gap_max: graded on the
 *                            rounded mean of the two; else reviews_needed
 *                            becomes 3 and FileReviewed says so, no grade
 *   3        3               graded on the rounded mean of the two closest
 *                            of the three
 *
 * Graded: state REVIEWED, reviewed_at, final_score, grade; the review
 * deadline met; a row in "graded":
 *   reviewed_at (BE64) | case_id -> grade (1 byte) | final_score (1 byte) |
 *                                   firm | 0 | county
 * (the handling lawyer's firm and county when graded), so that the report
 * is a range scan by time, not a scan of every case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dispatch.h"
#include "dispatch_int.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

#define REVIEW_INDICATORS_MAX 32
#define REVIEW_INDICATOR_NAME_MAX 64 /* bytes of UTF-8 */
#define REVIEW_TOTAL 100
#define REVIEW_PAIRED 2 /* reviews before a grade (一卷二评) */
#define REVIEW_THIRD 3  /* the most a file gets */

typedef struct review_indicator {
    char name[REVIEW_INDICATOR_NAME_MAX + 1];
    uint32_t max; /* points at most */
} review_indicator_t;

/* The indicator set as checked at start: the handlers read this, never
 * the configuration string again. */
static review_indicator_t review_indicators[REVIEW_INDICATORS_MAX];
static size_t review_indicators_n;

/* --- configuration ---------------------------------------------------------- */

static const char *review_trim(const char *s, const char *end, size_t *len)
{
    while (s < end && (*s == ' ' || *s == '\t')) s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t')) end--;
    *len = (size_t)(end - s);
    return s;
}

/* Parses one "name:points" item of [s, end) into ind. */
static int review_indicator_parse(const char *s, const char *end, size_t index,
                                  review_indicator_t *ind, char *err, size_t errlen)
{
    size_t len;
    review_trim(s, end, &len);
    if (len == 0) {
        snprintf(err, errlen, "[dispatch] review_indicators: item %zu is empty", index + 1);
        return -1;
    }
    const char *colon = memchr(s, ':', (size_t)(end - s));
    if (!colon) {
        snprintf(err, errlen, "[dispatch] review_indicators: item %zu '%.*s' is not name:points",
                 index + 1, (int)(end - s), s);
        return -1;
    }
    size_t nlen, plen;
    const char *name = review_trim(s, colon, &nlen);
    const char *pts = review_trim(colon + 1, end, &plen);
    if (nlen == 0) {
        snprintf(err, errlen, "[dispatch] review_indicators: item %zu has no name", index + 1);
        return -1;
    }
    if (nlen > REVIEW_INDICATOR_NAME_MAX) {
        snprintf(err, errlen,
                 "[dispatch] review_indicators: item %zu's name is longer than %d bytes", index + 1,
                 REVIEW_INDICATOR_NAME_MAX);
        return -1;
    }
    uint32_t points = 0;
    int digits_ok = plen > 0 && plen <= 3;
    for (size_t i = 0; digits_ok && i < plen; i++) {
        if (pts[i] < '0' || pts[i] > '9')
            digits_ok = 0;
        else
            points = points * 10 + (uint32_t)(pts[i] - '0');
    }
    if (!digits_ok || points < 1 || points > REVIEW_TOTAL) {
        snprintf(err, errlen,
                 "[dispatch] review_indicators: %.*s: points '%.*s' are not a whole number "
                 "from 1 to 100",
                 (int)nlen, name, (int)plen, pts);
        return -1;
    }
    memcpy(ind->name, name, nlen);
    ind->name[nlen] = 0;
    ind->max = points;
    return 0;
}

int dispatch_review_config_check(char *err, size_t errlen)
{
    const dispatch_config_t *c = &dispatch_config;
    const char *s = c->review_indicators ? c->review_indicators : "";
    review_indicator_t parsed[REVIEW_INDICATORS_MAX];
    size_t n = 0;
    uint32_t total = 0;
    size_t blank;
    review_trim(s, s + strlen(s), &blank);
    if (blank == 0) {
        snprintf(err, errlen,
                 "[dispatch] review_indicators: empty: give the file review's indicators as "
                 "name:points, adding up to 100 (R-QUAL-02)");
        return -1;
    }
    for (const char *item = s;;) {
        const char *comma = strchr(item, ',');
        const char *end = comma ? comma : item + strlen(item);
        if (n == REVIEW_INDICATORS_MAX) {
            snprintf(err, errlen, "[dispatch] review_indicators: more than %d indicators",
                     REVIEW_INDICATORS_MAX);
            return -1;
        }
        if (review_indicator_parse(item, end, n, &parsed[n], err, errlen) < 0) return -1;
        for (size_t j = 0; j < n; j++) {
            if (!strcmp(parsed[j].name, parsed[n].name)) {
                snprintf(err, errlen,
                         "[dispatch] review_indicators: %s appears twice (items %zu and %zu)",
                         parsed[n].name, j + 1, n + 1);
                return -1;
            }
        }
        total += parsed[n].max;
        n++;
        if (!comma) break;
        item = comma + 1;
    }
    /* R-QUAL-03: a file is scored out of 100. */
    if (total != REVIEW_TOTAL) {
        snprintf(err, errlen, "[dispatch] review_indicators: points add up to %u, not 100", total);
        return -1;
    }
    /* OPEN-9: the cut-offs are local; they must at least be in order. */
    if (!(c->grade_excellent_min > c->grade_good_min && c->grade_good_min > c->grade_pass_min)) {
        snprintf(err, errlen,
                 "[dispatch] grade_excellent_min (%lld), grade_good_min (%lld) and "
                 "grade_pass_min (%lld) must fall in that order, each above the next",
                 c->grade_excellent_min, c->grade_good_min, c->grade_pass_min);
        return -1;
    }
    memcpy(review_indicators, parsed, n * sizeof *parsed);
    review_indicators_n = n;
    return 0;
}

/* --- the file submitted -------------------------------------------------------- */

int dispatch_review_file_submitted(turn_t *t, Legalaid__Assignment *a)
{
    /* 一卷二评: two reviews; a new submission is reviewed afresh. */
    a->n_reviews = 0;
    a->reviews = NULL;
    a->reviews_needed = REVIEW_PAIRED;
    a->has_reviews_needed = 1;
    a->has_final_score = a->has_grade = a->has_reviewed_at = 0;
    /* R-QUAL-01 (art. 59, T-19): the centre checks the file within
     * file_review_days, counted from the day after submission. */
    a->review_due_at = dispatch_time_days_after(t, dispatch_config.file_review_days);
    a->has_review_due_at = 1;
    return due_put(t->txn, dispatch_due, a->review_due_at, DISPATCH_DUE_REVIEW, a->case_id,
                   strlen(a->case_id));
}

/* --- RecordReview ---------------------------------------------------------------- */

/* "案卷材料 (20), 办案程序 (25), ..." for messages, in the arena. */
static const char *review_indicators_text(turn_t *t)
{
    size_t size = 1;
    for (size_t i = 0; i < review_indicators_n; i++) size += strlen(review_indicators[i].name) + 12;
    char *text = arena_alloc(t->arena, size), *p = text;
    for (size_t i = 0; i < review_indicators_n; i++)
        p += snprintf(p, size - (size_t)(p - text), "%s%s (%u)", i ? ", " : "",
                      review_indicators[i].name, review_indicators[i].max);
    return text;
}

static const review_indicator_t *review_indicator_find(const char *name, size_t *index)
{
    for (size_t i = 0; i < review_indicators_n; i++) {
        if (!strcmp(review_indicators[i].name, name)) {
            *index = i;
            return &review_indicators[i];
        }
    }
    return NULL;
}

/* Checks the scores against the indicator set and builds them in the
 * set's order: 0, or -1 with the reply failed naming the score at fault. */
static int review_scores_build(turn_t *t, const Legalaid__RecordReview *in, Legalaid__Review *r,
                               Legalaid__Reply *reply)
{
    Legalaid__IndicatorScore **scores =
        arena_alloc(t->arena, (review_indicators_n ? review_indicators_n : 1) * sizeof *scores);
    uint32_t total = 0;
    for (size_t i = 0; i < in->n_scores; i++) {
        const Legalaid__IndicatorScore *s = in->scores[i];
        char field[64];
        snprintf(field, sizeof field, "record_review.scores[%zu].indicator", i);
        if (!s || check_blank(s->indicator)) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field,
                      _("the indicator is required"));
            return -1;
        }
        size_t k;
        const review_indicator_t *ind = review_indicator_find(s->indicator, &k);
        if (!ind) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field,
                      _("'%s' is not an indicator of the file review (R-QUAL-02): they are %s"),
                      s->indicator, review_indicators_text(t));
            return -1;
        }
        if (scores[k]) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field,
                      _("%s is scored twice: each indicator once"), ind->name);
            return -1;
        }
        snprintf(field, sizeof field, "record_review.scores[%zu].points", i);
        if (!s->has_points) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field,
                      _("the points for %s are required (0 to %u)"), ind->name, ind->max);
            return -1;
        }
        if (s->points > ind->max) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field,
                      _("%u points for %s: its most is %u"), s->points, ind->name, ind->max);
            return -1;
        }
        Legalaid__IndicatorScore *copy =
            ARENA_NEW(t->arena, Legalaid__IndicatorScore, legalaid__indicator_score__init);
        copy->indicator = arena_strdup(t->arena, ind->name);
        copy->points = s->points;
        copy->has_points = 1;
        scores[k] = copy;
        total += s->points;
    }
    for (size_t k = 0; k < review_indicators_n; k++) {
        if (!scores[k]) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "record_review.scores",
                      _("%s is not scored: every indicator of the file review gets its points "
                        "(%s)"),
                      review_indicators[k].name, review_indicators_text(t));
            return -1;
        }
    }
    r->scores = scores;
    r->n_scores = review_indicators_n;
    r->total = total; /* at most 100: the maxima add up to 100 */
    r->has_total = 1;
    return 0;
}

/* The reviewer: a member of the pool, a peer from another firm, who has
 * not reviewed this file yet (R-QUAL-03). 0; 1 with the reply failed; or
 * a store error. */
static int review_reviewer_check(turn_t *t, const Legalaid__Assignment *a, const char *reviewer_id,
                                 Legalaid__Lawyer **out, Legalaid__Reply *reply)
{
    const char *field = "record_review.reviewer_id";
    const char *bad = check_key_text(reviewer_id, LA_LAWYER_ID_MAX);
    if (bad) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, _("reviewer_id %s"), bad);
        return 1;
    }
    Legalaid__Lawyer *l;
    int rc = dispatch_pool_lawyer_get(t, reviewer_id, &l);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, field,
                  _("reviewer %s is not in the pool: files are reviewed by peers of the pool"),
                  reviewer_id);
        return 1;
    }
    if (rc) return rc;
    if (l->status == LEGALAID__LAWYER_STATUS__LEFT) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, field, _("reviewer %s has left the pool"),
                  reviewer_id);
        return 1;
    }
    if (!strcmp(a->lawyer->id, reviewer_id)) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, field,
                  _("%s handled case %s: a file is reviewed by peers, never by its own lawyer "
                    "(R-QUAL-03)"),
                  reviewer_id, a->case_id);
        return 1;
    }
    for (size_t i = 0; i < a->n_former_lawyers; i++) {
        if (a->former_lawyers[i] && !strcmp(a->former_lawyers[i], reviewer_id)) {
            turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, field,
                      _("%s handled case %s before being released from it: a file is reviewed "
                        "by peers who had no part in it (R-QUAL-03)"),
                      reviewer_id, a->case_id);
            return 1;
        }
    }
    if (l->firm && a->lawyer->firm && !strcmp(l->firm, a->lawyer->firm)) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, field,
                  _("%s is of %s, the firm of %s who handled case %s: the reviewers come from "
                    "other firms (R-QUAL-03)"),
                  reviewer_id, l->firm, a->lawyer->id, a->case_id);
        return 1;
    }
    for (size_t i = 0; i < a->n_reviews; i++) {
        if (a->reviews[i]->reviewer_id && !strcmp(a->reviews[i]->reviewer_id, reviewer_id)) {
            turn_fail(t, reply, LEGALAID__CODE__CONFLICT, field,
                      _("%s has already reviewed case %s (review %zu of %u): each review is by "
                        "another reviewer"),
                      reviewer_id, a->case_id, i + 1, a->reviews_needed);
            return 1;
        }
    }
    *out = l;
    return 0;
}

static const char *review_grade_name(Legalaid__Grade g)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&legalaid__grade__descriptor, (int)g);
    return v ? v->name : "UNKNOWN";
}

static uint32_t review_mean(uint32_t x, uint32_t y)
{
    return (x + y + 1) / 2; /* the rounded mean: a half rounds up */
}

/* The final score of three reviews: the rounded mean of the two closest;
 * when two pairs are equally close, the higher pair (the benefit of the
 * doubt goes to the lawyer). */
static uint32_t review_closest_mean(const uint32_t s[3])
{
    static const int pairs[3][2] = {{0, 1}, {0, 2}, {1, 2}};
    uint32_t best_gap = UINT32_MAX, best_sum = 0;
    for (int p = 0; p < 3; p++) {
        uint32_t x = s[pairs[p][0]], y = s[pairs[p][1]];
        uint32_t gap = x > y ? x - y : y - x, sum = x + y;
        if (gap < best_gap || (gap == best_gap && sum > best_sum)) {
            best_gap = gap;
            best_sum = sum;
        }
    }
    return (best_sum + 1) / 2;
}

/* R-QUAL-03, OPEN-9: the grade from the configured cut-offs. */
static Legalaid__Grade review_grade(uint32_t score)
{
    if (score >= (uint32_t)dispatch_config.grade_excellent_min) return LEGALAID__GRADE__EXCELLENT;
    if (score >= (uint32_t)dispatch_config.grade_good_min) return LEGALAID__GRADE__GOOD;
    if (score >= (uint32_t)dispatch_config.grade_pass_min) return LEGALAID__GRADE__PASS;
    return LEGALAID__GRADE__FAIL;
}

/* The row of "graded" the report reads. */
static int review_graded_put(turn_t *t, const Legalaid__Assignment *a)
{
    size_t idlen = strlen(a->case_id);
    const char *firm = a->lawyer->firm ? a->lawyer->firm : "";
    const char *county = a->lawyer->county ? a->lawyer->county : "";
    size_t flen = strlen(firm), clen = strlen(county);
    unsigned char *key = arena_alloc(t->arena, 8 + idlen);
    store_be64((uint64_t)a->reviewed_at, key);
    memcpy(key + 8, a->case_id, idlen);
    unsigned char *val = arena_alloc(t->arena, 2 + flen + 1 + clen);
    val[0] = (unsigned char)a->grade;
    val[1] = (unsigned char)a->final_score;
    memcpy(val + 2, firm, flen);
    val[2 + flen] = 0;
    memcpy(val + 3 + flen, county, clen);
    MDB_val k = {8 + idlen, key}, v = {3 + flen + clen, val};
    return store_rc(mdb_put(t->txn, dispatch_graded, &k, &v, 0));
}

/* Two (or three) reviews in: the grade, unless a third review is needed. */
static int review_settle(turn_t *t, Legalaid__Assignment *a)
{
    uint32_t s[REVIEW_THIRD];
    for (size_t i = 0; i < a->n_reviews && i < REVIEW_THIRD; i++) s[i] = a->reviews[i]->total;
    uint32_t final;
    if (a->n_reviews == REVIEW_PAIRED) {
        uint32_t gap = s[0] > s[1] ? s[0] - s[1] : s[1] - s[0];
        /* Two reviews further apart than review_gap_max: a third reviewer. */
        if (gap > (uint32_t)dispatch_config.review_gap_max) {
            a->reviews_needed = REVIEW_THIRD;
            log_info("file review gap case=%s scores=%u,%u gap=%u: third review", a->case_id, s[0],
                     s[1], gap);
            return 0;
        }
        final = review_mean(s[0], s[1]);
    } else {
        final = review_closest_mean(s);
    }
    a->final_score = final;
    a->has_final_score = 1;
    a->grade = review_grade(final);
    a->has_grade = 1;
    a->reviewed_at = t->now;
    a->has_reviewed_at = 1;
    a->state = LEGALAID__ASSIGNMENT_STATE__REVIEWED;
    int rc = due_del(t->txn, dispatch_due, a->review_due_at, DISPATCH_DUE_REVIEW, a->case_id,
                     strlen(a->case_id));
    if (!rc) rc = review_graded_put(t, a);
    return rc;
}

static int review_publish(turn_t *t, const Legalaid__Assignment *a, Legalaid__Review *r)
{
    Legalaid__FileReviewed *b =
        ARENA_NEW(t->arena, Legalaid__FileReviewed, legalaid__file_reviewed__init);
    b->case_id = a->case_id;
    b->review = r;
    b->reviews = (uint32_t)a->n_reviews;
    b->has_reviews = 1;
    b->reviews_needed = a->reviews_needed;
    b->has_reviews_needed = 1;
    b->lawyer_id = a->lawyer->id;
    b->firm = a->lawyer->firm;
    Legalaid__Event *ev = turn_event(t);
    if (a->state == LEGALAID__ASSIGNMENT_STATE__REVIEWED) {
        b->grade = a->grade;
        b->has_grade = 1;
        b->final_score = a->final_score;
        b->has_final_score = 1;
        turn_deadline_met(t, ev, "file_review");
    }
    ev->body_case = LEGALAID__EVENT__BODY_FILE_REVIEWED;
    ev->file_reviewed = b;
    return turn_emit(t, a->case_id, ev);
}

int dispatch_review_record(turn_t *t, const Legalaid__RecordReview *in, Legalaid__Reply *reply)
{
    const char *bad = check_key_text(in->case_id, LA_CASE_ID_MAX);
    if (bad) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "record_review.case_id", _("case_id %s"),
                  bad);
        return 0;
    }
    if (in->comment && strlen(in->comment) > LA_NOTE_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "record_review.comment",
                  _("the comment is longer than %d bytes"), LA_NOTE_MAX);
        return 0;
    }
    Legalaid__Assignment *a;
    int rc = dispatch_case_get(t, in->case_id, &a);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "record_review.case_id",
                  _("no case %s in dispatch"), in->case_id);
        return 0;
    }
    if (rc) return rc;
    /* R-QUAL-03: the file is reviewed once submitted, and only until graded. */
    if (a->state != LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "record_review.case_id",
                  _("case %s is %s: %s"), a->case_id, dispatch_case_state_name(a->state),
                  a->state == LEGALAID__ASSIGNMENT_STATE__REVIEWED
                      ? "its file is graded already"
                      : "the file is reviewed after it is submitted");
        return 0;
    }
    if (!a->lawyer || !a->lawyer->id) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "record_review.case_id",
                  _("case %s has no handling lawyer on record: its file cannot be peer-reviewed"),
                  a->case_id);
        return 0;
    }
    Legalaid__Lawyer *reviewer;
    rc = review_reviewer_check(t, a, in->reviewer_id, &reviewer, reply);
    if (rc) return rc > 0 ? 0 : rc;
    Legalaid__Review *r = ARENA_NEW(t->arena, Legalaid__Review, legalaid__review__init);
    if (review_scores_build(t, in, r, reply) < 0) return 0;
    r->reviewer_id = reviewer->id;
    r->reviewer_name = reviewer->name;
    r->reviewer_firm = reviewer->firm;
    r->comment = check_blank(in->comment) ? NULL : arena_strdup(t->arena, in->comment);
    r->at = t->now;
    r->has_at = 1;

    Legalaid__Review **reviews = arena_alloc(t->arena, (a->n_reviews + 1) * sizeof *reviews);
    if (a->n_reviews) memcpy(reviews, a->reviews, a->n_reviews * sizeof *reviews);
    reviews[a->n_reviews++] = r;
    a->reviews = reviews;
    if (!a->has_reviews_needed || a->reviews_needed < REVIEW_PAIRED) {
        a->reviews_needed = REVIEW_PAIRED;
        a->has_reviews_needed = 1;
    }
    if (a->n_reviews >= a->reviews_needed) rc = review_settle(t, a);
    if (!rc) rc = dispatch_case_put(t, a);
    if (!rc) rc = review_publish(t, a, r);
    if (rc) return rc;
    log_info("file review case=%s reviewer=%s total=%u review=%zu/%u%s%s", a->case_id, reviewer->id,
             r->total, a->n_reviews, a->reviews_needed, a->has_grade ? " grade=" : "",
             a->has_grade ? review_grade_name(a->grade) : "");
    reply->body_case = LEGALAID__REPLY__BODY_ASSIGNMENT;
    reply->assignment = a;
    return 0;
}
