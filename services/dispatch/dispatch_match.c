/*
 * dispatch_match.c - who may take a case, and who should.
 *
 * 1. Hard rules, never broken (each lawyer is counted under the first rule
 *    that leaves it out, for the explanation):
 *      active (not suspended, not left) and under capacity;
 *      defence only by lawyers (Legal Aid Law art. 25; CPL art. 33-34);
 *      volunteers only for drafting (art. 17; DOMAIN R-ASSIGN-02);
 *      staff only with a qualification (art. 13);
 *      life-imprisonment and death-penalty cases, and death-sentence
 *      review, only with capital_case_min_years of criminal defence
 *      (art. 26; 程序规定 art. 26);
 *      minors only by juvenile-qualified lawyers (未成年人保护法 art. 104);
 *      former court staff may not defend within judicial_cooling_years
 *      (CPL interpretation art. 41);
 *      no conflict of interest: the index of dispatch_conflict.c, and the
 *      lawyer's declared conflicts (a person or case reference of this case);
 *      never again a lawyer who declined, let lapse or left this case.
 * 2. Suitability: weight_specialty if the case's category is a specialty,
 *    weight_language if the applicant needs a language other than Mandarin
 *    and the lawyer speaks it, weight_county if the lawyer serves the case's
 *    county. The best-scoring candidates form the tier.
 * 3. Fairness within the tier: every offer adds 1/k of an offer to the fair
 *    share ("ideal") of each of the k lawyers of the tier. The lawyer
 *    furthest behind its fair share is chosen — its own deficit plus
 *    firm_fairness_percent of the average deficit of its firm, so firms are
 *    kept to their share too — then the fewest open cases, then the lowest
 *    id. Offers made by the matcher are what is counted; manual assignments
 *    by staff are counted apart and do not move anyone's share.
 *
 * The pool, its loads and its indexes are kept in memory
 * (dispatch_poolmem.c). The providers are examined by group, best points
 * first: the group of a combination of the points the case can give
 * (specialty, language, county) is found through the index of the
 * combination's rarest part. The first group points-wise with someone who
 * passes every hard rule is the tier, the same as a pass over the whole
 * pool would find, and the rest of the pool is not examined: the
 * explanation counts what was examined ("examined"). When nobody may take
 * the case, every provider has been examined and the counts are the pool's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch_int.h"
#include "i18n.h"
#include "log.h"
#include "matchrule.h"
#include "store.h"
#include "xalloc.h"

enum {
    RULE_INACTIVE,
    RULE_CAPACITY,
    RULE_DEFENCE_LAWYERS,
    RULE_VOLUNTEER,
    RULE_STAFF,
    RULE_CAPITAL,
    RULE_MINOR,
    RULE_JUDICIAL,
    RULE_CONFLICT,
    RULE_DECLINED,
    RULE_COUNT
};

/* The same rules as dispatch.proto's codes (common/matchrule.c words them). */
static const Legalaid__MatchRule dispatch_rule_codes[RULE_COUNT] = {
    LEGALAID__MATCH_RULE__MATCH_RULE_INACTIVE,  LEGALAID__MATCH_RULE__MATCH_RULE_CAPACITY,
    LEGALAID__MATCH_RULE__MATCH_RULE_DEFENCE_LAWYERS, LEGALAID__MATCH_RULE__MATCH_RULE_VOLUNTEER,
    LEGALAID__MATCH_RULE__MATCH_RULE_STAFF,     LEGALAID__MATCH_RULE__MATCH_RULE_CAPITAL,
    LEGALAID__MATCH_RULE__MATCH_RULE_MINOR,     LEGALAID__MATCH_RULE__MATCH_RULE_JUDICIAL,
    LEGALAID__MATCH_RULE__MATCH_RULE_CONFLICT,  LEGALAID__MATCH_RULE__MATCH_RULE_DECLINED,
};

/* What the case asks of a lawyer, worked out once per match. */
typedef struct dispatch_needs {
    int defence, drafting, capital, minor;
    uint32_t category, language;
    const char *county;
    const char **parties; /* names, ID numbers, references a declared conflict names */
    size_t n_parties;
    char **excluded; /* declined, lapsed or released from this case */
    size_t n_excluded;
    char **conflicted; /* in conflict by the index */
    size_t n_conflicted;
} dispatch_needs_t;

static void dispatch_needs_party(turn_t *t, dispatch_needs_t *n, const char *s)
{
    if (!s || !s[0]) return;
    const char **v = arena_alloc(t->arena, (n->n_parties + 1) * sizeof *v);
    if (n->n_parties) memcpy(v, n->parties, n->n_parties * sizeof *v);
    v[n->n_parties++] = s;
    n->parties = v;
}

static int dispatch_needs_of(turn_t *t, const Legalaid__Assignment *a, dispatch_needs_t *n)
{
    memset(n, 0, sizeof *n);
    const Legalaid__CaseFacts *f = a->facts;
    Legalaid__AidForm form = f && f->has_aid_form ? f->aid_form : 0;
    n->defence = dispatch_case_is_defence(a);
    n->drafting = !n->defence && form == LEGALAID__AID_FORM__DOCUMENT_DRAFTING;
    n->capital = f && (f->ground == LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH ||
                       f->ground == LEGALAID__MANDATORY_GROUND__DEATH_REVIEW);
    n->minor = f && (f->minor || f->ground == LEGALAID__MANDATORY_GROUND__MINOR);
    n->category = (uint32_t)a->category;
    n->language = f && f->has_language ? (uint32_t)f->language : 0;
    n->county = f && f->county && f->county[0] ? f->county : NULL;
    if (f) {
        if (f->applicant) {
            dispatch_needs_party(t, n, f->applicant->name);
            dispatch_needs_party(t, n, f->applicant->id_number);
        }
        dispatch_needs_party(t, n, f->opposing_party);
        for (size_t i = 0; i < f->n_co_defendants; i++)
            if (f->co_defendants[i]) {
                dispatch_needs_party(t, n, f->co_defendants[i]->name);
                dispatch_needs_party(t, n, f->co_defendants[i]->id_number);
            }
        for (size_t i = 0; i < f->n_related_cases; i++)
            dispatch_needs_party(t, n, f->related_cases[i]);
    }
    if (a->authority) dispatch_needs_party(t, n, a->authority->reference);
    dispatch_needs_party(t, n, a->case_id);
    int rc = dispatch_conflict_lawyers(t, a, &n->conflicted, &n->n_conflicted);
    if (rc) return rc;
    n->excluded =
        arena_alloc(t->arena, (a->n_declined + a->n_former_lawyers + 1) * sizeof *n->excluded);
    for (size_t i = 0; i < a->n_declined; i++)
        if (a->declined[i] && a->declined[i]->lawyer_id &&
            a->declined[i]->code != LEGALAID__DECLINE_CODE__DECLINE_WITHDRAWN)
            n->excluded[n->n_excluded++] = a->declined[i]->lawyer_id;
    for (size_t i = 0; i < a->n_former_lawyers; i++)
        n->excluded[n->n_excluded++] = a->former_lawyers[i];
    return 0;
}

static int dispatch_in_list(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] && strcmp(v[i], s) == 0) return 1;
    return 0;
}

static int dispatch_declared_conflict(const pool_member_t *p, const dispatch_needs_t *n)
{
    for (size_t i = 0; i < p->n_conflicts; i++)
        for (size_t j = 0; j < n->n_parties; j++)
            if (strcmp(p->conflicts[i], n->parties[j]) == 0) return 1;
    return 0;
}

/* The first hard rule that leaves p out of the case, or -1. */
static int dispatch_rule_excludes(const pool_member_t *p, const dispatch_needs_t *n, uint64_t held,
                                  int64_t now)
{
    if (p->status != LEGALAID__LAWYER_STATUS__ACTIVE) return RULE_INACTIVE;
    if (held >= p->capacity) return RULE_CAPACITY;
    if (n->defence && p->kind != LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER)
        return RULE_DEFENCE_LAWYERS;
    if (p->kind == LEGALAID__PROVIDER_KIND__PROVIDER_VOLUNTEER && !n->drafting)
        return RULE_VOLUNTEER;
    if (p->kind == LEGALAID__PROVIDER_KIND__PROVIDER_STAFF && !p->qualified) return RULE_STAFF;
    if (n->capital &&
        dispatch_time_years_between(p->crim_ms, now) < dispatch_config.capital_case_min_years)
        return RULE_CAPITAL;
    if (n->minor && !p->juvenile) return RULE_MINOR;
    if (n->defence && p->judicial_ms >= 0 &&
        dispatch_time_years_between(p->judicial_ms, now) < dispatch_config.judicial_cooling_years)
        return RULE_JUDICIAL;
    if (dispatch_in_list(n->conflicted, n->n_conflicted, p->id) || dispatch_declared_conflict(p, n))
        return RULE_CONFLICT;
    if (dispatch_in_list(n->excluded, n->n_excluded, p->id)) return RULE_DECLINED;
    return -1;
}

typedef struct dispatch_fit {
    int specialty, language, county;
    long long points;
} dispatch_fit_t;

static dispatch_fit_t dispatch_fit_of(const pool_member_t *p, const dispatch_needs_t *n)
{
    dispatch_fit_t f = {0};
    f.specialty = n->category < 32 && (p->specialties & (1u << n->category)) != 0;
    f.language = n->language && n->language != LEGALAID__LANGUAGE__MANDARIN && n->language < 32 &&
                 (p->languages & (1u << n->language)) != 0;
    if (n->county)
        f.county = strcmp(p->county, n->county) == 0 ||
                   dispatch_in_list(p->counties, p->n_counties, n->county);
    f.points = dispatch_config.weight_specialty * f.specialty +
               dispatch_config.weight_language * f.language +
               dispatch_config.weight_county * f.county;
    return f;
}

/* One candidate of the matching pass. */
typedef struct dispatch_cand {
    size_t ix;
    dispatch_load_t load;
    dispatch_fit_t fit;
} dispatch_cand_t;

/* The fairness key of c: its deficit and its firm's (higher goes first). */
static int64_t dispatch_fair_key(const dispatch_poolmem_t *pool, const dispatch_cand_t *c)
{
    uint32_t f = pool->m[c->ix].firm_ix;
    int64_t firm_avg =
        pool->firm_members[f] ? pool->firm_deficit[f] / (int64_t)pool->firm_members[f] : 0;
    return dispatch_load_deficit(&c->load) + firm_avg * dispatch_config.firm_fairness_percent / 100;
}

static int dispatch_cand_better(const dispatch_poolmem_t *pool, const dispatch_cand_t *a,
                                int64_t ka, const dispatch_cand_t *b, int64_t kb)
{
    if (ka != kb) return ka > kb;
    if (a->load.open_cases != b->load.open_cases) return a->load.open_cases < b->load.open_cases;
    return strcmp(pool->m[a->ix].id, pool->m[b->ix].id) < 0;
}

static Legalaid__MatchExplanation *dispatch_explain(turn_t *t, size_t pool, uint32_t examined,
                                                    const uint32_t *filtered, uint32_t candidates,
                                                    uint32_t tier)
{
    Legalaid__MatchExplanation *x =
        ARENA_NEW(t->arena, Legalaid__MatchExplanation, legalaid__match_explanation__init);
    x->pool = (uint32_t)pool;
    x->has_pool = 1;
    x->examined = examined;
    x->has_examined = 1;
    x->candidates = candidates;
    x->has_candidates = 1;
    x->best_tier = tier;
    x->has_best_tier = 1;
    size_t nf = 0;
    for (int r = 0; r < RULE_COUNT; r++) nf += filtered[r] != 0;
    x->filtered = arena_alloc(t->arena, (nf + 1) * sizeof *x->filtered);
    for (int r = 0; r < RULE_COUNT; r++) {
        if (!filtered[r]) continue;
        Legalaid__RuleCount *rcnt =
            ARENA_NEW(t->arena, Legalaid__RuleCount, legalaid__rule_count__init);
        rcnt->rule_code = dispatch_rule_codes[r];
        rcnt->has_rule_code = 1;
        rcnt->code = (char *)matchrule_code(dispatch_rule_codes[r]);
        rcnt->excluded = filtered[r];
        rcnt->has_excluded = 1;
        x->filtered[x->n_filtered++] = rcnt;
    }
    return x;
}

/* Adds each tier member's 1/k share of this offer, and the offer itself
 * (every candidate is of the tier: the group examined last). */
static int dispatch_share_out(turn_t *t, const dispatch_poolmem_t *pool,
                              const dispatch_cand_t *cands, size_t n, const dispatch_cand_t *chosen)
{
    uint64_t share = 1000000u / (n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        dispatch_load_t l = cands[i].load;
        l.ideal_micro += share;
        if (&cands[i] == chosen) {
            l.offers++;
            l.offers_open++;
        }
        /* The chosen one's offer is written now; the others' shares are
         * kept back and written once per turn (dispatch_poolmem_flush). */
        if (&cands[i] != chosen && dispatch_poolmem_defer((uint32_t)cands[i].ix, &l)) continue;
        int rc = dispatch_pool_load_put(t->txn, pool->m[cands[i].ix].id, &l);
        if (rc) return rc;
    }
    return 0;
}

/* The parts of the suitability points (dispatch_fit_of) as bits. */
enum { FIT_SPECIALTY = 1, FIT_LANGUAGE = 2, FIT_COUNTY = 4, FIT_COMBOS = 8 };

static unsigned dispatch_fit_bits(const dispatch_fit_t *f, unsigned asked)
{
    return asked & ((f->specialty ? FIT_SPECIALTY : 0u) | (f->language ? FIT_LANGUAGE : 0u) |
                    (f->county ? FIT_COUNTY : 0u));
}

static long long dispatch_combo_points(unsigned c)
{
    return dispatch_config.weight_specialty * !!(c & FIT_SPECIALTY) +
           dispatch_config.weight_language * !!(c & FIT_LANGUAGE) +
           dispatch_config.weight_county * !!(c & FIT_COUNTY);
}

/* One matching pass: what was examined and who passed. */
typedef struct dispatch_pass {
    const dispatch_poolmem_t *pool;
    const dispatch_needs_t *needs;
    unsigned asked; /* the FIT_ bits the case can give points for */
    uint32_t filtered[RULE_COUNT];
    uint32_t examined;
    dispatch_cand_t *cands;
    size_t nc;
    uint32_t *seen; /* stamp per member: examined in this pass */
    uint32_t stamp;
} dispatch_pass_t;

/* Examines member ix if its points are exactly those of combo. */
static void dispatch_pass_examine(turn_t *t, dispatch_pass_t *ps, uint32_t ix, unsigned combo)
{
    const pool_member_t *p = &ps->pool->m[ix];
    if (ps->seen[ix] == ps->stamp) return;
    dispatch_fit_t fit = dispatch_fit_of(p, ps->needs);
    if (dispatch_fit_bits(&fit, ps->asked) != combo) return;
    ps->seen[ix] = ps->stamp;
    ps->examined++;
    if (p->status != LEGALAID__LAWYER_STATUS__ACTIVE) {
        ps->filtered[RULE_INACTIVE]++;
        return;
    }
    const dispatch_load_t *load = &ps->pool->load[ix];
    /* Open offers hold capacity: a lawyer is never offered more than it may take. */
    int rule = dispatch_rule_excludes(p, ps->needs, load->open_cases + load->offers_open, t->now);
    if (rule >= 0) {
        ps->filtered[rule]++;
        return;
    }
    dispatch_cand_t *c = &ps->cands[ps->nc++];
    c->ix = ix;
    c->load = *load;
    c->fit = fit;
}

/* Examines the group of one combination, through the index of its rarest
 * part (the whole pool for the combination of no points). */
static void dispatch_pass_combo(turn_t *t, dispatch_pass_t *ps, unsigned combo)
{
    const uint32_t *ix = NULL;
    size_t n = (size_t)-1;
    const uint32_t *v;
    size_t k;
    if (combo & FIT_SPECIALTY) {
        k = dispatch_poolmem_with_specialty(ps->needs->category, &v);
        if (k < n) n = k, ix = v;
    }
    if (combo & FIT_LANGUAGE) {
        k = dispatch_poolmem_with_language(ps->needs->language, &v);
        if (k < n) n = k, ix = v;
    }
    if (combo & FIT_COUNTY) {
        k = dispatch_poolmem_serving(ps->needs->county, &v);
        if (k < n) n = k, ix = v;
    }
    if (!combo) {
        for (size_t i = 0; i < ps->pool->n; i++) dispatch_pass_examine(t, ps, (uint32_t)i, combo);
        return;
    }
    for (size_t i = 0; i < n; i++) dispatch_pass_examine(t, ps, ix[i], combo);
}

static int dispatch_combo_cmp(const void *a, const void *b)
{
    long long x = dispatch_combo_points(*(const unsigned *)a);
    long long y = dispatch_combo_points(*(const unsigned *)b);
    return (x < y) - (x > y);
}

/* Examines the groups best points first, up to the first with a candidate. */
static void dispatch_pass_run(turn_t *t, dispatch_pass_t *ps)
{
    unsigned combos[FIT_COMBOS];
    size_t nc = 0;
    for (unsigned c = 0; c < FIT_COMBOS; c++)
        if ((c & ps->asked) == c) combos[nc++] = c;
    qsort(combos, nc, sizeof *combos, dispatch_combo_cmp);
    for (size_t g = 0; g < nc;) {
        long long points = dispatch_combo_points(combos[g]);
        for (; g < nc && dispatch_combo_points(combos[g]) == points; g++)
            dispatch_pass_combo(t, ps, combos[g]);
        if (ps->nc) return;
    }
}

/* The pass's buffers, kept from one match to the next. */
static struct {
    dispatch_cand_t *cands;
    uint32_t *seen;
    size_t cap;
    uint32_t stamp;
} dispatch_pass_mem;

static void dispatch_pass_init(dispatch_pass_t *ps, const dispatch_poolmem_t *pool,
                               const dispatch_needs_t *n)
{
    if (dispatch_pass_mem.cap < pool->n + 1) {
        free(dispatch_pass_mem.cands);
        free(dispatch_pass_mem.seen);
        dispatch_pass_mem.cap = pool->n + 1;
        dispatch_pass_mem.cands = xcalloc(dispatch_pass_mem.cap, sizeof *dispatch_pass_mem.cands);
        dispatch_pass_mem.seen = xcalloc(dispatch_pass_mem.cap, sizeof *dispatch_pass_mem.seen);
        dispatch_pass_mem.stamp = 0;
    }
    if (++dispatch_pass_mem.stamp == 0) { /* wrapped: forget every stamp */
        memset(dispatch_pass_mem.seen, 0, dispatch_pass_mem.cap * sizeof *dispatch_pass_mem.seen);
        dispatch_pass_mem.stamp = 1;
    }
    memset(ps, 0, sizeof *ps);
    ps->pool = pool;
    ps->needs = n;
    ps->cands = dispatch_pass_mem.cands;
    ps->seen = dispatch_pass_mem.seen;
    ps->stamp = dispatch_pass_mem.stamp;
    ps->asked = (n->category < 32 && dispatch_config.weight_specialty > 0 ? FIT_SPECIALTY : 0u) |
                (n->language && n->language != LEGALAID__LANGUAGE__MANDARIN && n->language < 32 &&
                         dispatch_config.weight_language > 0
                     ? FIT_LANGUAGE
                     : 0u) |
                (n->county && dispatch_config.weight_county > 0 ? FIT_COUNTY : 0u);
}

int dispatch_match_case(turn_t *t, const Legalaid__Assignment *a, dispatch_match_t *m)
{
    memset(m, 0, sizeof *m);
    const dispatch_poolmem_t *pool;
    int rc = dispatch_poolmem_get(t, &pool);
    if (rc) return rc;
    dispatch_needs_t n;
    rc = dispatch_needs_of(t, a, &n);
    if (rc) return rc;
    dispatch_pass_t ps;
    dispatch_pass_init(&ps, pool, &n);
    dispatch_pass_run(t, &ps);
    const dispatch_cand_t *chosen = NULL;
    int64_t chosen_key = 0;
    for (size_t i = 0; i < ps.nc; i++) {
        int64_t key = dispatch_fair_key(pool, &ps.cands[i]);
        if (!chosen || dispatch_cand_better(pool, &ps.cands[i], key, chosen, chosen_key)) {
            chosen = &ps.cands[i];
            chosen_key = key;
        }
    }
    m->why = dispatch_explain(t, pool->n, ps.examined, ps.filtered, (uint32_t)ps.nc,
                              (uint32_t)ps.nc);
    if (!chosen) return 0; /* no choice: nobody may take it (matchrule_why) */
    const pool_member_t *p = &pool->m[chosen->ix];
    snprintf(m->lawyer_id, sizeof m->lawyer_id, "%s", p->id);
    Legalaid__MatchChoice *c =
        ARENA_NEW(t->arena, Legalaid__MatchChoice, legalaid__match_choice__init);
    c->specialty = chosen->fit.specialty ? LEGALAID__FIT__FIT_MATCHES : LEGALAID__FIT__FIT_NO_MATCH;
    c->language = !n.language || n.language == LEGALAID__LANGUAGE__MANDARIN
                      ? LEGALAID__FIT__FIT_NOT_NEEDED
                  : chosen->fit.language ? LEGALAID__FIT__FIT_MATCHES
                                         : LEGALAID__FIT__FIT_NO_MATCH;
    c->county = !n.county            ? LEGALAID__FIT__FIT_NOT_GIVEN
                : chosen->fit.county ? LEGALAID__FIT__FIT_MATCHES
                                     : LEGALAID__FIT__FIT_NO_MATCH;
    c->has_specialty = c->has_language = c->has_county = 1;
    c->offers = chosen->load.offers;
    c->ideal_micro = chosen->load.ideal_micro;
    c->firm = p->firm;
    c->open_cases = chosen->load.open_cases;
    c->capacity = p->capacity;
    c->has_offers = c->has_ideal_micro = c->has_open_cases = c->has_capacity = 1;
    m->why->choice = c;
    return dispatch_share_out(t, pool, ps.cands, ps.nc, chosen);
}

const char *dispatch_match_lawful(turn_t *t, const Legalaid__Assignment *a,
                                  const Legalaid__Lawyer *l, int holds_offer, int64_t *err)
{
    *err = 0;
    dispatch_needs_t n;
    int rc = dispatch_needs_of(t, a, &n);
    if (rc) {
        *err = rc;
        return NULL;
    }
    dispatch_load_t load;
    rc = dispatch_pool_load_get(t->txn, l->id, &load);
    if (rc) {
        *err = rc;
        return NULL;
    }
    pool_member_t p;
    dispatch_poolmem_fill(&p, l);
    uint64_t held = load.open_cases + load.offers_open;
    if (holds_offer && held > 0) held--; /* this case's own offer */
    int rule = dispatch_rule_excludes(&p, &n, held, t->now);
    dispatch_poolmem_free(&p);
    return rule >= 0 ? matchrule_rule_text(dispatch_rule_codes[rule]) : NULL;
}
