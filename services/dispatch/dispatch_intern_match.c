/*
 * dispatch_intern_match.c - the internship match: deferred acceptance
 * (Gale and Shapley), candidates proposing, places holding the best of
 * their proposers up to their open slots. The result is stable: no
 * candidate and place would both rather have each other than what the
 * match gave them. Candidates proposing makes it the best stable match for
 * every candidate at once; the office explains each outcome from the two
 * orders below.
 *
 * A candidate's order of places: the wishes in the order written; a wish is
 * a firm's name (its places), an area of practice (the places offering it)
 * or "*" (any place); within one wish, places in the candidate's county
 * first, then the firms that confirmed fewer interns in earlier periods
 * (fairness across firms, as dispatch keeps for cases: the places no one
 * named fill the firms that took fewer), then the place id. A place the
 * candidate declined or let lapse is left out. A place with no open slot
 * in the round is no choice.
 *
 * A place's order of candidates, most preferred first:
 *   1. named the firm, before an area, before "*";
 *   2. the place higher among the candidate's wishes (rank 1 first);
 *   3. living in the place's county;
 *   4. education: 博士, 硕士, 本科, then other;
 *   5. registered earlier (then the certificate number).
 * Every criterion is a fact of the candidate's record, so the same input
 * gives the same match on every run, and a test can search the result for
 * a blocking pair with dispatch_intern_match_rank and _position.
 */
#define _GNU_SOURCE /* qsort_r */
#include <stdlib.h>
#include <string.h>

#include "dispatch_int.h"

static int dispatch_intern_match_same(const char *a, const char *b)
{
    return a && b && a[0] && strcmp(a, b) == 0;
}

static int dispatch_intern_match_has_area(const Legalaid__InternPlace *p, const char *area)
{
    for (size_t i = 0; i < p->n_areas; i++)
        if (dispatch_intern_match_same(p->areas[i], area)) return 1;
    return 0;
}

static int dispatch_intern_match_declined(const Legalaid__InternStanding *s, const char *place)
{
    for (size_t i = 0; i < s->n_declined_places; i++)
        if (dispatch_intern_match_same(s->declined_places[i], place)) return 1;
    return 0;
}

static unsigned dispatch_intern_match_education(const char *e)
{
    if (!e) return 3;
    if (strcmp(e, "博士") == 0) return 0;
    if (strcmp(e, "硕士") == 0) return 1;
    if (strcmp(e, "本科") == 0) return 2;
    return 3;
}

/* What the within-wish order compares against (qsort_r's context). */
typedef struct wish_order {
    const dispatch_intern_match_t *m;
    const char *county; /* the candidate's */
} wish_order_t;

static int dispatch_intern_match_by_place(const void *a, const void *b, void *arg)
{
    const wish_order_t *o = arg;
    const dispatch_intern_match_t *m = o->m;
    uint32_t x = ((const dispatch_intern_pick_t *)a)->place;
    uint32_t y = ((const dispatch_intern_pick_t *)b)->place;
    int cx = !dispatch_intern_match_same(m->places[x]->county, o->county);
    int cy = !dispatch_intern_match_same(m->places[y]->county, o->county);
    if (cx != cy) return cx - cy;
    if (m->hosted[x] != m->hosted[y]) return m->hosted[x] < m->hosted[y] ? -1 : 1;
    return strcmp(m->places[x]->id, m->places[y]->id);
}

static int dispatch_intern_match_by_registration(const void *a, const void *b, void *arg)
{
    const dispatch_intern_match_t *m = arg;
    const Legalaid__InternCandidate *x = m->cands[*(const uint32_t *)a]->candidate;
    const Legalaid__InternCandidate *y = m->cands[*(const uint32_t *)b]->candidate;
    if (x->registered_at != y->registered_at) return x->registered_at < y->registered_at ? -1 : 1;
    return strcmp(x->certificate, y->certificate);
}

/* The places of one wish, in list[*n...], not already listed. */
static void dispatch_intern_match_wish(const dispatch_intern_match_t *m, uint32_t c, const char *wish,
                                       uint32_t rank, unsigned char *listed,
                                       dispatch_intern_pick_t *list, uint32_t *n)
{
    const Legalaid__InternStanding *s = m->cands[c];
    int firm = 0;
    for (size_t q = 0; q < m->n_places && !firm; q++)
        firm = dispatch_intern_match_same(m->places[q]->firm, wish);
    int any = !firm && strcmp(wish, "*") == 0;
    uint32_t first = *n;
    for (uint32_t q = 0; q < m->n_places; q++) {
        const Legalaid__InternPlace *p = m->places[q];
        if (listed[q] || m->open[q] == 0 || dispatch_intern_match_declined(s, p->id)) continue;
        if (firm ? !dispatch_intern_match_same(p->firm, wish)
                 : !any && !dispatch_intern_match_has_area(p, wish))
            continue;
        listed[q] = 1;
        list[*n].place = q;
        list[*n].kind = firm  ? LEGALAID__INTERN_REASON__INTERN_WISH_FIRM
                        : any ? LEGALAID__INTERN_REASON__INTERN_WISH_ANY
                              : LEGALAID__INTERN_REASON__INTERN_WISH_AREA;
        list[*n].rank = rank;
        (*n)++;
    }
    wish_order_t order = {m, s->candidate->county};
    if (*n - first > 1)
        qsort_r(list + first, *n - first, sizeof *list, dispatch_intern_match_by_place, &order);
}

void dispatch_intern_match_prepare(arena_t *a, dispatch_intern_match_t *m)
{
    size_t nc = m->n_cands ? m->n_cands : 1, np = m->n_places ? m->n_places : 1;
    m->prefs = arena_alloc(a, nc * sizeof *m->prefs);
    m->n_prefs = arena_alloc(a, nc * sizeof *m->n_prefs);
    m->senior = arena_alloc(a, nc * sizeof *m->senior);
    unsigned char *listed = arena_alloc(a, np);
    for (uint32_t c = 0; c < m->n_cands; c++) {
        const Legalaid__InternCandidate *cand = m->cands[c]->candidate;
        memset(listed, 0, np);
        dispatch_intern_pick_t *list = arena_alloc(a, np * sizeof *list);
        uint32_t n = 0;
        for (size_t w = 0; w < cand->n_wishes && n < m->n_places; w++)
            if (cand->wishes[w] && cand->wishes[w][0])
                dispatch_intern_match_wish(m, c, cand->wishes[w], (uint32_t)w + 1, listed, list, &n);
        m->prefs[c] = list;
        m->n_prefs[c] = n;
    }
    uint32_t *order = arena_alloc(a, nc * sizeof *order);
    for (uint32_t c = 0; c < m->n_cands; c++) order[c] = c;
    if (m->n_cands > 1)
        qsort_r(order, m->n_cands, sizeof *order, dispatch_intern_match_by_registration, m);
    for (uint32_t i = 0; i < m->n_cands; i++) m->senior[order[i]] = i;
}

uint32_t dispatch_intern_match_position(const dispatch_intern_match_t *m, uint32_t c, uint32_t p)
{
    for (uint32_t i = 0; i < m->n_prefs[c]; i++)
        if (m->prefs[c][i].place == p) return i;
    return UINT32_MAX;
}

uint64_t dispatch_intern_match_rank(const dispatch_intern_match_t *m, uint32_t p, uint32_t c)
{
    uint32_t i = dispatch_intern_match_position(m, c, p);
    if (i == UINT32_MAX) return UINT64_MAX;
    const dispatch_intern_pick_t *pk = &m->prefs[c][i];
    const Legalaid__InternCandidate *cand = m->cands[c]->candidate;
    uint64_t kind = pk->kind == LEGALAID__INTERN_REASON__INTERN_WISH_FIRM   ? 0
                    : pk->kind == LEGALAID__INTERN_REASON__INTERN_WISH_AREA ? 1
                                                                            : 2;
    uint64_t rank = pk->rank < 255 ? pk->rank : 255;
    uint64_t away = !dispatch_intern_match_same(cand->county, m->places[p]->county);
    uint64_t edu = dispatch_intern_match_education(cand->education);
    return kind << 60 | rank << 52 | away << 51 | edu << 48 | m->senior[c];
}

void dispatch_intern_match_run(arena_t *a, dispatch_intern_match_t *m)
{
    size_t nc = m->n_cands ? m->n_cands : 1, np = m->n_places ? m->n_places : 1;
    m->placed = arena_alloc(a, nc * sizeof *m->placed);
    m->pick = arena_alloc(a, nc * sizeof *m->pick);
    m->why_not = arena_alloc(a, nc * sizeof *m->why_not);
    uint32_t *next = arena_alloc(a, nc * sizeof *next);
    uint32_t *stack = arena_alloc(a, nc * sizeof *stack);
    uint32_t **held = arena_alloc(a, np * sizeof *held);
    uint32_t *n_held = arena_alloc(a, np * sizeof *n_held);
    for (uint32_t q = 0; q < m->n_places; q++) {
        held[q] = arena_alloc(a, (m->open[q] ? m->open[q] : 1) * sizeof **held);
        n_held[q] = 0;
    }
    size_t top = 0;
    for (uint32_t c = 0; c < m->n_cands; c++) {
        m->placed[c] = -1;
        next[c] = 0;
        stack[top++] = (uint32_t)(m->n_cands - 1 - c); /* the first candidate proposes first */
    }
    while (top > 0) {
        uint32_t c = stack[--top];
        while (m->placed[c] < 0 && next[c] < m->n_prefs[c]) {
            uint32_t i = next[c]++;
            uint32_t p = m->prefs[c][i].place;
            uint64_t key = dispatch_intern_match_rank(m, p, c);
            if (n_held[p] < m->open[p]) {
                held[p][n_held[p]++] = c;
            } else {
                uint32_t worst = 0;
                uint64_t worst_key = 0;
                for (uint32_t h = 0; h < n_held[p]; h++) {
                    uint64_t k = dispatch_intern_match_rank(m, p, held[p][h]);
                    if (k >= worst_key) {
                        worst_key = k;
                        worst = h;
                    }
                }
                if (n_held[p] == 0 || key >= worst_key) continue; /* outranked here */
                uint32_t out = held[p][worst];
                held[p][worst] = c;
                m->placed[out] = -1;
                stack[top++] = out; /* proposes to its next place */
            }
            m->placed[c] = (int32_t)p;
            m->pick[c] = i;
        }
    }
    for (uint32_t c = 0; c < m->n_cands; c++)
        m->why_not[c] = m->placed[c] >= 0       ? LEGALAID__INTERN_REASON__INTERN_REASON_UNSPECIFIED
                        : m->n_prefs[c] == 0 ? LEGALAID__INTERN_REASON__INTERN_NO_WISH_OPEN
                                             : LEGALAID__INTERN_REASON__INTERN_OUTRANKED;
}
