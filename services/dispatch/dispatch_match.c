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
 * The pool's static part is kept decoded in memory and rebuilt when the
 * meta key "pool.version" (new at each import) differs from the copy's;
 * loads are read from LMDB each time, inside the turn's transaction.
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

typedef struct pool_member {
    char *id, *firm, *county;
    char **counties, **conflicts;
    size_t n_counties, n_conflicts;
    uint32_t firm_ix;
    int kind, status, juvenile, qualified;
    uint32_t capacity;
    int64_t licence_ms, crim_ms, judicial_ms; /* -1: none */
    uint32_t specialties, languages;          /* bit per enum value */
} pool_member_t;

static struct {
    int valid;
    uint64_t version;
    pool_member_t *m;
    size_t n, nfirms;
} dispatch_match_pool;

static void dispatch_member_free(pool_member_t *p)
{
    free(p->id);
    free(p->firm);
    free(p->county);
    for (size_t i = 0; i < p->n_counties; i++) free(p->counties[i]);
    for (size_t i = 0; i < p->n_conflicts; i++) free(p->conflicts[i]);
    free(p->counties);
    free(p->conflicts);
}

void dispatch_match_pool_changed(void)
{
    for (size_t i = 0; i < dispatch_match_pool.n; i++)
        dispatch_member_free(&dispatch_match_pool.m[i]);
    free(dispatch_match_pool.m);
    memset(&dispatch_match_pool, 0, sizeof dispatch_match_pool);
}

static char **dispatch_strv(char **v, size_t n)
{
    char **out = n ? xcalloc(n, sizeof *out) : NULL;
    for (size_t i = 0; i < n; i++) out[i] = xstrdup(v[i] ? v[i] : "");
    return out;
}

static void dispatch_member_fill(pool_member_t *p, const Legalaid__Lawyer *l)
{
    memset(p, 0, sizeof *p);
    p->id = xstrdup(l->id ? l->id : "");
    p->firm = xstrdup(l->firm ? l->firm : "");
    p->county = xstrdup(l->county ? l->county : "");
    p->counties = dispatch_strv(l->counties, l->n_counties);
    p->n_counties = l->n_counties;
    p->conflicts = dispatch_strv(l->conflicts, l->n_conflicts);
    p->n_conflicts = l->n_conflicts;
    p->kind = l->has_kind && l->kind ? (int)l->kind : LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER;
    p->status = (int)l->status;
    p->juvenile = l->juvenile_qualified;
    p->qualified = l->qualified;
    p->capacity = l->capacity;
    p->licence_ms = dispatch_time_date_ms(l->licence_date);
    p->crim_ms = dispatch_time_date_ms(l->criminal_defence_since);
    p->judicial_ms = dispatch_time_date_ms(l->left_judicial_office);
    for (size_t i = 0; i < l->n_specialties; i++)
        if ((unsigned)l->specialties[i] < 32) p->specialties |= 1u << l->specialties[i];
    for (size_t i = 0; i < l->n_languages; i++)
        if ((unsigned)l->languages[i] < 32) p->languages |= 1u << l->languages[i];
    if (!p->languages) p->languages = 1u << LEGALAID__LANGUAGE__MANDARIN;
}

static int dispatch_firm_cmp(const void *a, const void *b)
{
    const pool_member_t *x = *(pool_member_t *const *)a, *y = *(pool_member_t *const *)b;
    return strcmp(x->firm, y->firm);
}

/* Numbers the firms: members of one firm share a number; a provider with
 * no firm is a firm of its own. */
static void dispatch_match_pool_number_firms(void)
{
    pool_member_t **v = xcalloc(dispatch_match_pool.n + 1, sizeof *v);
    for (size_t i = 0; i < dispatch_match_pool.n; i++) v[i] = &dispatch_match_pool.m[i];
    qsort(v, dispatch_match_pool.n, sizeof *v, dispatch_firm_cmp);
    dispatch_match_pool.nfirms = 0;
    for (size_t i = 0; i < dispatch_match_pool.n; i++) {
        if (i == 0 || !v[i]->firm[0] || strcmp(v[i]->firm, v[i - 1]->firm) != 0)
            dispatch_match_pool.nfirms++;
        v[i]->firm_ix = (uint32_t)(dispatch_match_pool.nfirms - 1);
    }
    free(v);
}

static int dispatch_match_pool_load(turn_t *t)
{
    uint64_t version;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), "pool.version", &version);
    if (rc) return rc;
    if (dispatch_match_pool.valid && dispatch_match_pool.version == version) return 0;
    dispatch_match_pool_changed();
    size_t cap = store_count(t->txn, dispatch_lawyers) + 1;
    dispatch_match_pool.m = xcalloc(cap, sizeof *dispatch_match_pool.m);
    MDB_cursor *cur;
    rc = store_rc(mdb_cursor_open(t->txn, dispatch_lawyers, &cur));
    if (rc) return rc;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && dispatch_match_pool.n < cap;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        Legalaid__Lawyer *l = store_unpacked(t->txn, &k, &v, &legalaid__lawyer__descriptor, NULL);
        if (!l) continue; /* unreadable record: never chosen */
        if (l->id) dispatch_member_fill(&dispatch_match_pool.m[dispatch_match_pool.n++], l);
        legalaid__lawyer__free_unpacked(l, NULL);
    }
    mdb_cursor_close(cur);
    if (rc != MDB_NOTFOUND && rc != 0) return store_rc(rc);
    dispatch_match_pool_number_firms();
    dispatch_match_pool.version = version;
    dispatch_match_pool.valid = 1;
    return 0;
}

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

static int64_t dispatch_deficit(const dispatch_load_t *l)
{
    return (int64_t)l->ideal_micro - (int64_t)(l->offers * 1000000u);
}

/* The fairness key of c: its deficit and its firm's (higher goes first). */
static int64_t dispatch_fair_key(const dispatch_cand_t *c, const int64_t *firm_deficit,
                                 const uint32_t *firm_members)
{
    uint32_t f = dispatch_match_pool.m[c->ix].firm_ix;
    int64_t firm_avg = firm_members[f] ? firm_deficit[f] / (int64_t)firm_members[f] : 0;
    return dispatch_deficit(&c->load) + firm_avg * dispatch_config.firm_fairness_percent / 100;
}

static int dispatch_cand_better(const dispatch_cand_t *a, int64_t ka, const dispatch_cand_t *b,
                                int64_t kb)
{
    if (ka != kb) return ka > kb;
    if (a->load.open_cases != b->load.open_cases) return a->load.open_cases < b->load.open_cases;
    return strcmp(dispatch_match_pool.m[a->ix].id, dispatch_match_pool.m[b->ix].id) < 0;
}

static Legalaid__MatchExplanation *dispatch_explain(turn_t *t, const uint32_t *filtered,
                                                    uint32_t candidates, uint32_t tier)
{
    Legalaid__MatchExplanation *x =
        ARENA_NEW(t->arena, Legalaid__MatchExplanation, legalaid__match_explanation__init);
    x->pool = (uint32_t)dispatch_match_pool.n;
    x->has_pool = 1;
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

/* Adds each tier member's 1/k share of this offer, and the offer itself. */
static int dispatch_share_out(turn_t *t, const dispatch_cand_t *cands, size_t n, long long best,
                              const dispatch_cand_t *chosen)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) k += cands[i].fit.points == best;
    uint64_t share = 1000000u / (k ? k : 1);
    for (size_t i = 0; i < n; i++) {
        if (cands[i].fit.points != best) continue;
        dispatch_load_t l = cands[i].load;
        l.ideal_micro += share;
        if (&cands[i] == chosen) {
            l.offers++;
            l.offers_open++;
        }
        int rc = dispatch_pool_load_put(t->txn, dispatch_match_pool.m[cands[i].ix].id, &l);
        if (rc) return rc;
    }
    return 0;
}

int dispatch_match_case(turn_t *t, const Legalaid__Assignment *a, dispatch_match_t *m)
{
    memset(m, 0, sizeof *m);
    int rc = dispatch_match_pool_load(t);
    if (rc) return rc;
    dispatch_needs_t n;
    rc = dispatch_needs_of(t, a, &n);
    if (rc) return rc;
    uint32_t filtered[RULE_COUNT] = {0};
    size_t nf = dispatch_match_pool.nfirms + 1;
    int64_t *firm_deficit = arena_alloc(t->arena, nf * sizeof *firm_deficit);
    uint32_t *firm_members = arena_alloc(t->arena, nf * sizeof *firm_members);
    memset(firm_deficit, 0, nf * sizeof *firm_deficit);
    memset(firm_members, 0, nf * sizeof *firm_members);
    dispatch_cand_t *cands = arena_alloc(t->arena, (dispatch_match_pool.n + 1) * sizeof *cands);
    size_t nc = 0;
    long long best = -1;
    for (size_t i = 0; i < dispatch_match_pool.n; i++) {
        const pool_member_t *p = &dispatch_match_pool.m[i];
        if (p->status != LEGALAID__LAWYER_STATUS__ACTIVE) {
            filtered[RULE_INACTIVE]++;
            continue;
        }
        dispatch_load_t load;
        rc = dispatch_pool_load_get(t->txn, p->id, &load);
        if (rc) return rc;
        firm_deficit[p->firm_ix] += dispatch_deficit(&load);
        firm_members[p->firm_ix]++;
        /* Open offers hold capacity: a lawyer is never offered more than it may take. */
        int rule = dispatch_rule_excludes(p, &n, load.open_cases + load.offers_open, t->now);
        if (rule >= 0) {
            filtered[rule]++;
            continue;
        }
        dispatch_cand_t *c = &cands[nc++];
        c->ix = i;
        c->load = load;
        c->fit = dispatch_fit_of(p, &n);
        if (c->fit.points > best) best = c->fit.points;
    }
    const dispatch_cand_t *chosen = NULL;
    int64_t chosen_key = 0;
    uint32_t tier = 0;
    for (size_t i = 0; i < nc; i++) {
        if (cands[i].fit.points != best) continue;
        tier++;
        int64_t key = dispatch_fair_key(&cands[i], firm_deficit, firm_members);
        if (!chosen || dispatch_cand_better(&cands[i], key, chosen, chosen_key)) {
            chosen = &cands[i];
            chosen_key = key;
        }
    }
    m->why = dispatch_explain(t, filtered, (uint32_t)nc, tier);
    if (!chosen) return 0; /* no choice: nobody may take it (matchrule_why) */
    const pool_member_t *p = &dispatch_match_pool.m[chosen->ix];
    snprintf(m->lawyer_id, sizeof m->lawyer_id, "%s", p->id);
    Legalaid__MatchChoice *c = ARENA_NEW(t->arena, Legalaid__MatchChoice, legalaid__match_choice__init);
    c->specialty = chosen->fit.specialty ? LEGALAID__FIT__FIT_MATCHES : LEGALAID__FIT__FIT_NO_MATCH;
    c->language = !n.language || n.language == LEGALAID__LANGUAGE__MANDARIN
                      ? LEGALAID__FIT__FIT_NOT_NEEDED
                  : chosen->fit.language ? LEGALAID__FIT__FIT_MATCHES
                                         : LEGALAID__FIT__FIT_NO_MATCH;
    c->county = !n.county              ? LEGALAID__FIT__FIT_NOT_GIVEN
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
    return dispatch_share_out(t, cands, nc, best, chosen);
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
    dispatch_member_fill(&p, l);
    uint64_t held = load.open_cases + load.offers_open;
    if (holds_offer && held > 0) held--; /* this case's own offer */
    int rule = dispatch_rule_excludes(&p, &n, held, t->now);
    dispatch_member_free(&p);
    return rule >= 0 ? matchrule_rule_text(dispatch_rule_codes[rule]) : NULL;
}
