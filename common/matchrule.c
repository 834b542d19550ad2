/*
 * matchrule.c - a match's explanation in the reader's language (see
 * matchrule.h; the rules themselves: services/dispatch/dispatch_match.c).
 */
#include "matchrule.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"

static const struct {
    Legalaid__MatchRule rule;
    const char *code, *text;
} matchrule_rules[] = {
    {LEGALAID__MATCH_RULE__MATCH_RULE_INACTIVE, "inactive",
     N_("not active (suspended or left the pool)")},
    {LEGALAID__MATCH_RULE__MATCH_RULE_CAPACITY, "capacity", N_("at capacity")},
    {LEGALAID__MATCH_RULE__MATCH_RULE_DEFENCE_LAWYERS, "defence_lawyers",
     N_("defence only by lawyers (Legal Aid Law art. 25; CPL art. 33-34)")},
    {LEGALAID__MATCH_RULE__MATCH_RULE_VOLUNTEER, "volunteer",
     N_("volunteers only for consultation and drafting (Legal Aid Law art. 17)")},
    {LEGALAID__MATCH_RULE__MATCH_RULE_STAFF, "staff",
     N_("staff only with a legal qualification (Legal Aid Law art. 13)")},
    {LEGALAID__MATCH_RULE__MATCH_RULE_CAPITAL, "capital",
     N_("life or death case: years of criminal defence (Legal Aid Law art. 26)")},
    {LEGALAID__MATCH_RULE__MATCH_RULE_MINOR, "minor",
     N_("a minor: a juvenile-qualified lawyer (Minors Protection Law art. 104)")},
    {LEGALAID__MATCH_RULE__MATCH_RULE_JUDICIAL, "judicial",
     N_("former court staff within the cooling-off years (CPL interpretation art. 41)")},
    {LEGALAID__MATCH_RULE__MATCH_RULE_CONFLICT, "conflict",
     N_("conflict of interest (Lawyers Law art. 39; CPL interpretation art. 43)")},
    {LEGALAID__MATCH_RULE__MATCH_RULE_DECLINED, "declined",
     N_("declined, let lapse or left this case before")},
};
#define MATCHRULE_N (sizeof matchrule_rules / sizeof matchrule_rules[0])

const char *matchrule_code(Legalaid__MatchRule rule)
{
    for (size_t i = 0; i < MATCHRULE_N; i++)
        if (matchrule_rules[i].rule == rule) return matchrule_rules[i].code;
    return NULL;
}

const char *matchrule_rule_text(Legalaid__MatchRule rule)
{
    for (size_t i = 0; i < MATCHRULE_N; i++)
        if (matchrule_rules[i].rule == rule) return _(matchrule_rules[i].text);
    return _("a rule of a later version");
}

const char *matchrule_count_text(const Legalaid__RuleCount *r)
{
    if (r->has_rule_code) return matchrule_rule_text(r->rule_code);
    return r->rule ? r->rule : "";
}

const char *matchrule_fit_text(Legalaid__Fit fit)
{
    switch (fit) {
    case LEGALAID__FIT__FIT_MATCHES:
        return _("matches");
    case LEGALAID__FIT__FIT_NO_MATCH:
        return _("does not match");
    case LEGALAID__FIT__FIT_NOT_NEEDED:
        return _("not needed");
    default:
        return _("not given");
    }
}

const char *matchrule_why(const Legalaid__MatchExplanation *x, char *out)
{
    out[0] = 0;
    if (!x) return out;
    if (x->why) { /* an older record: its words */
        snprintf(out, MATCHRULE_TEXT_MAX, "%s", x->why);
        return out;
    }
    const Legalaid__MatchChoice *c = x->choice;
    if (!c) {
        snprintf(out, MATCHRULE_TEXT_MAX,
                 _("no provider of the %zu in the pool may take this case"), (size_t)x->pool);
        i18n_cut(out);
        return out;
    }
    snprintf(out, MATCHRULE_TEXT_MAX,
             _("%u equally suitable may take it, of the %u examined in the pool of %zu (specialty "
               "%s, language %s, county %s); chosen as furthest behind the fair share: %.2f offers "
               "had, %.2f due, firm %s; open cases %llu of %u"),
             x->candidates, x->examined, (size_t)x->pool, matchrule_fit_text(c->specialty),
             matchrule_fit_text(c->language), matchrule_fit_text(c->county), (double)c->offers,
             (double)c->ideal_micro / 1e6, c->firm && c->firm[0] ? c->firm : _("(none)"),
             (unsigned long long)c->open_cases, c->capacity);
    i18n_cut(out);
    return out;
}

const char *matchrule_reason(const Legalaid__MatchExplanation *x, char *out)
{
    matchrule_why(x, out);
    if (!x || x->choice || x->why) return out;
    size_t used = strlen(out);
    for (size_t i = 0; i < x->n_filtered && used < MATCHRULE_TEXT_MAX; i++) {
        int w = snprintf(out + used, MATCHRULE_TEXT_MAX - used, "%s", i ? _("; ") : _(": "));
        if (w < 0 || (size_t)w >= MATCHRULE_TEXT_MAX - used) break;
        used += (size_t)w;
        w = snprintf(out + used, MATCHRULE_TEXT_MAX - used, _("%s: %u excluded"),
                     matchrule_count_text(x->filtered[i]), x->filtered[i]->excluded);
        if (w < 0) break;
        used += (size_t)w;
    }
    i18n_cut(out);
    return out;
}

const char *matchrule_assignment_reason(const Legalaid__Assignment *a, char *out)
{
    if (a->match) return matchrule_reason(a->match, out);
    snprintf(out, MATCHRULE_TEXT_MAX, "%s", a->reason ? a->reason : "");
    i18n_cut(out);
    return out;
}

int matchrule_same(const Legalaid__MatchExplanation *a, const Legalaid__MatchExplanation *b)
{
    if (!a || !b) return a == b;
    if (a->pool != b->pool || a->candidates != b->candidates || a->best_tier != b->best_tier ||
        !a->choice != !b->choice || !a->why != !b->why || a->n_filtered != b->n_filtered)
        return 0;
    if (a->why && strcmp(a->why, b->why) != 0) return 0;
    for (size_t i = 0; i < a->n_filtered; i++)
        if (a->filtered[i]->rule_code != b->filtered[i]->rule_code ||
            a->filtered[i]->excluded != b->filtered[i]->excluded)
            return 0;
    return 1;
}
