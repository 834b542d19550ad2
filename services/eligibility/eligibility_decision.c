/*
 * eligibility_decision.c - building a decision (see eligibility_decision.h):
 * the helpers every rule step (scope, means, priority, the rules) and every
 * step that decides a case again (lifecycle, verify, objection, dispatch)
 * shares, kept below them so that none of them calls back up into another.
 */
#include "eligibility_decision.h"

#include <string.h>

#include "eligibility_int.h"

const char *eligibility_decision_application_problem(const Legalaid__Application *a)
{
    if (!a) return "the event carries no application";
    if (!a->case_id || !a->case_id[0]) return "the application has no case_id";
    if (strlen(a->case_id) > LA_CASE_ID_MAX)
        return "the application's case_id is longer than 64 bytes";
    if (!a->has_received_at || a->received_at <= 0)
        return "the application has no received_at, so the decision deadline "
               "(Legal Aid Law art. 43(1)) cannot be counted";
    if (!a->has_channel || a->channel == LEGALAID__CHANNEL__CHANNEL_UNSPECIFIED ||
        !protobuf_c_enum_descriptor_get_value(&legalaid__channel__descriptor, a->channel))
        return "the application has no known channel";
    if (a->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE &&
        (!a->has_ground || a->ground < LEGALAID__MANDATORY_GROUND__MINOR ||
         a->ground > LEGALAID__MANDATORY_GROUND__DISCRETIONARY))
        return "the authority's notification names no ground (Legal Aid Law art. 25(1) "
               "items 1-6, art. 25(2) or art. 28)";
    return NULL;
}

void eligibility_decision_cite(arena_t *arena, Legalaid__Decision *d, const char *article)
{
    for (size_t i = 0; i < d->n_articles; i++)
        if (!strcmp(d->articles[i], article)) return;
    char **grown = arena_alloc(arena, (d->n_articles + 1) * sizeof *grown);
    if (d->n_articles) memcpy(grown, d->articles, d->n_articles * sizeof *grown);
    grown[d->n_articles++] = arena_strdup(arena, article);
    d->articles = grown;
}

void eligibility_decision_test(arena_t *arena, Legalaid__Decision *d, const char *name, int passed,
                               const char *detail, const char *article)
{
    Legalaid__DecisionTest *t =
        ARENA_NEW(arena, Legalaid__DecisionTest, legalaid__decision_test__init);
    t->name = arena_strdup(arena, name);
    t->passed = passed != 0;
    t->has_passed = 1;
    if (detail) t->detail = arena_strdup(arena, detail);
    if (article) t->article = arena_strdup(arena, article);
    Legalaid__DecisionTest **grown = arena_alloc(arena, (d->n_tests + 1) * sizeof *grown);
    if (d->n_tests) memcpy(grown, d->tests, d->n_tests * sizeof *grown);
    grown[d->n_tests++] = t;
    d->tests = grown;
}

void eligibility_decision_explained(arena_t *arena, Legalaid__Decision *d, const char *name,
                                    int passed, const char *article, decisiontext_t x)
{
    eligibility_decision_test(arena, d, name, passed, NULL, article);
    Legalaid__DecisionTest *t = d->tests[d->n_tests - 1];
    t->code = (char *)x.code;
    t->params = x.params;
    t->n_params = x.n;
    /* Worded where it is shown (decisiontext_fill), not here: a decision
     * is published as codes, and most are never read by a person in this
     * turn. */
}

void eligibility_decision_reason(arena_t *arena, Legalaid__Decision *d, decisiontext_t x)
{
    d->reason_code = (char *)x.code;
    d->reason_params = x.params;
    d->n_reason_params = x.n;
    d->reason = NULL; /* worded where shown (decisiontext_fill) */
}

void eligibility_decision_cite_applied(arena_t *arena, Legalaid__Decision *d)
{
    const Legalaid__DecisionTest *scope = NULL, *means = NULL;
    for (size_t i = 0; i < d->n_tests; i++) {
        const Legalaid__DecisionTest *t = d->tests[i];
        if (!t->name || !t->article || !t->article[0]) continue;
        if (!strcmp(t->name, "scope") && t->passed) scope = t;
        if (!strcmp(t->name, "means")) means = t; /* the last one settled it */
    }
    if (scope) eligibility_decision_cite(arena, d, scope->article);
    if (means) eligibility_decision_cite(arena, d, means->article);
}

/* Art. 49: the justice bureau of the government that set up the centre
 * ([eligibility] objection_body), where the applicant objects to a refusal
 * or a termination. */
static decisiontext_t eligibility_decision_objection_explained(const eligibility_config_t *cfg,
                                                                arena_t *arena)
{
    const char *body = cfg->objection_body && cfg->objection_body[0]
                           ? cfg->objection_body
                           : ELIGIBILITY_OBJECTION_BODY_DEFAULT;
    if (cfg->objection_file_days > 0)
        return decisiontext_make(arena, "route.within", decisiontext_lit(arena, body),
                                 decisiontext_num(arena, cfg->objection_file_days),
                                 decisiontext_num(arena, cfg->objection_review_days), NULL);
    return decisiontext_make(arena, "route.no_limit", decisiontext_lit(arena, body),
                             decisiontext_num(arena, cfg->objection_review_days), NULL);
}

decisiontext_t eligibility_decision_objection_route(const eligibility_config_t *cfg, arena_t *arena,
                                                    Legalaid__Decision *d)
{
    decisiontext_t x = eligibility_decision_objection_explained(cfg, arena);
    d->objection_route = decisiontext_render(arena, x.code, x.params, x.n);
    return x;
}
