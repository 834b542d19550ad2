/*
 * eligibility_rules.c - the rules of eligibility (see eligibility_rules.h):
 *
 *   authority's notice, art. 25(1) ground  -> APPROVED, no means test,
 *                                             lawyer within 3 days (art. 36)
 *   authority's notice, compulsory medical -> APPROVED, no means test (art. 28)
 *   court's discretionary notice           -> APPROVED, no means test (art. 25(2))
 *   application                            -> scope (eligibility_scope.c):
 *                                             outside it REFUSED with the
 *                                             objection route (art. 49);
 *                                             then means (eligibility_means.c),
 *                                             priority (eligibility_priority.c)
 *                                             and the deadlines (art. 43, 44)
 *
 * Every decision records each test it applied, the articles, the rule
 * version and its deadlines, so that it reads the same after the rules
 * change (DESIGN.md, "Lessons"); a grant of aid carries the case's facts
 * for dispatch (eligibility_casefacts.c).
 */
#include "eligibility_rules.h"

#include <string.h>

#include "clock.h"
#include "eligibility_int.h"
#include "eligibility_means.h"
#include "eligibility_priority.h"
#include "i18n.h"

/* Who the notified person is, by ground: art. 25(1) items 1-6, art. 28. */
static const char *eligibility_ground_text(Legalaid__MandatoryGround g)
{
    switch (g) {
    case LEGALAID__MANDATORY_GROUND__MINOR:
        return _("is a minor");
    case LEGALAID__MANDATORY_GROUND__BLIND_DEAF_MUTE:
        return _("is blind, deaf or mute");
    case LEGALAID__MANDATORY_GROUND__MENTAL_CAPACITY:
        return _("cannot fully understand or control their own conduct");
    case LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH:
        return _("may be sentenced to life imprisonment or death");
    case LEGALAID__MANDATORY_GROUND__DEATH_REVIEW:
        return _("is a defendant in a death-sentence review who applied");
    case LEGALAID__MANDATORY_GROUND__ABSENTIA:
        return _("is tried in absentia");
    case LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT:
        return _("is the respondent in a compulsory medical treatment case");
    case LEGALAID__MANDATORY_GROUND__DISCRETIONARY:
        return _("is a defendant in a criminal case the court chose to notify for (art. 25(2))");
    default:
        return _("falls under a mandatory ground");
    }
}

static const char *eligibility_authority_text(const Legalaid__Authority *au)
{
    if (!au || !au->has_kind) return _("the authority");
    switch (au->kind) {
    case LEGALAID__AUTHORITY_KIND__COURT:
        return _("the court");
    case LEGALAID__AUTHORITY_KIND__PROCURATORATE:
        return _("the procuratorate");
    case LEGALAID__AUTHORITY_KIND__POLICE:
        return _("the police");
    default:
        return _("the authority");
    }
}

/* Legal Aid Law art. 25(1), art. 28 and art. 36: when a court,
 * procuratorate or police notifies that a suspect or defendant in one of
 * these situations has no defender, the centre appoints a lawyer within 3
 * days of the notice, with no economic review. Art. 25(2): in other
 * criminal cases the court may notify; the centre then appoints a lawyer
 * the same way, the court having chosen to ask. */
static void eligibility_decide_notice(const Legalaid__Application *a,
                                      const eligibility_config_t *cfg, arena_t *arena,
                                      Legalaid__Decision *d)
{
    d->outcome = LEGALAID__OUTCOME__APPROVED;
    d->means_path = LEGALAID__MEANS_PATH__NO_MEANS_TEST;
    int discretionary = a->ground == LEGALAID__MANDATORY_GROUND__DISCRETIONARY;
    const char *article =
        a->ground == LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT ? LAW "art. 28"
        : discretionary                                               ? LAW "art. 25(2)"
                        : arena_printf(arena, LAW "art. 25(1)(%d)", (int)a->ground);
    eligibility_decision_cite(arena, d, article);
    if (!discretionary) eligibility_decision_cite(arena, d, LAW "art. 36");
    /* Art. 25: the defence must be conducted by a lawyer (art. 28: the
     * court notifies for a lawyer as well). */
    d->lawyer_required = 1;
    d->assign_due_at = eligibility_calendar_days_end(a->received_at, cfg->assign_after_notice_days);
    d->has_assign_due_at = 1;
    char due[CLOCK_TEXT_MAX];
    const Legalaid__Authority *au = a->authority;
    const char *who = eligibility_authority_text(au);
    d->reason = arena_printf(
        arena,
        _("notified by %s%s%s: the person %s and has no %s; a lawyer is appointed "
          "without any means test and must be named to %s by %s"),
        who, au && au->name ? " " : "", au && au->name ? au->name : "",
        eligibility_ground_text(a->ground),
        /* Art. 28 speaks of an agent (代理人), art. 25 of a defender. */
        a->ground == LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT ? _("agent") : _("defender"),
        who, clock_deadline_text(d->assign_due_at, due));

    eligibility_decision_test(
        arena, d, "scope", 1,
        discretionary
            ? arena_printf(arena,
                           _("%s notified under art. 25(2): in a criminal case outside art. "
                             "25(1) the court may notify, and chose to"),
                           who)
            : arena_printf(arena, _("%s notified that the person %s and has no %s"), who,
                           eligibility_ground_text(a->ground),
                           a->ground == LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT
                               ? _("agent (art. 28)")
                               : _("defender (art. 25(1))")),
        article);
    eligibility_decision_test(arena, d, "means", 1,
                              _("no means test: the appointment follows the authority's notice, "
                                "not the person's economic situation"),
                              article);
    eligibility_decision_test(
        arena, d, "deadline", 1,
        discretionary
            ? arena_printf(arena,
                           _("a lawyer to be appointed and named to the court by %s: %lld days "
                             "from the notice, the period art. 36 sets for notices"),
                           due, cfg->assign_after_notice_days)
            : arena_printf(arena,
                           _("a lawyer to be appointed and named to %s by %s: %lld days from the "
                             "notice (art. 36)"),
                           who, due, cfg->assign_after_notice_days),
        discretionary ? article : LAW "art. 36");
}

/* Art. 43(1): a refusal is notified in writing with its reasons; art. 49:
 * with the route of objection. */
static void eligibility_decide_refusal(const eligibility_config_t *cfg, arena_t *arena,
                                       Legalaid__Decision *d)
{
    d->outcome = LEGALAID__OUTCOME__REFUSED;
    d->has_outcome = 1;
    eligibility_decision_cite(arena, d, LAW "art. 43(1)");
    eligibility_decision_cite(arena, d, LAW "art. 49");
    d->objection_route = (char *)eligibility_decision_objection_route(cfg, arena);
    char due[CLOCK_TEXT_MAX];
    eligibility_decision_test(
        arena, d, "deadline", 1,
        arena_printf(arena,
                     _("refusal notified in writing with its reasons, due by %s (%lld days from "
                       "receipt, art. 43(1)); %s"),
                     clock_deadline_text(d->decision_due_at, due), cfg->review_days,
                     d->objection_route),
        LAW "art. 43(1)");
    d->reason = arena_printf(arena, _("%s; %s"), d->reason, d->objection_route);
}

/* The deadlines an application's decision starts: the lawyer within 3 days
 * of granting aid (art. 43(1)), on the same day for the fast track, before
 * the limitation deadline in an emergency (art. 44); materials by the
 * configured deadline from the notice (art. 43(2)): from now, when the
 * notice is given, not from receipt (an application entered late would
 * otherwise be deemed withdrawn at once), and the earlier notice's
 * deadline kept when the case was already asked for them. */
static void eligibility_decide_deadlines(const Legalaid__Application *a,
                                         const eligibility_facts_t *facts,
                                         const eligibility_config_t *cfg, int64_t now,
                                         arena_t *arena, Legalaid__Decision *d)
{
    const Legalaid__Priority *p = d->priority;
    int granted = d->outcome == LEGALAID__OUTCOME__APPROVED ||
                  d->outcome == LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION;
    int emergency = p && p->emergency;
    char decide[CLOCK_TEXT_MAX], assign[CLOCK_TEXT_MAX], supply[CLOCK_TEXT_MAX];
    clock_deadline_text(d->decision_due_at, decide);
    const char *basis = "";
    if (granted || emergency) {
        d->assign_due_at = eligibility_calendar_days_end(now, cfg->assign_after_decision_days);
        basis = arena_printf(arena, _("%lld days from the decision (art. 43(1))"),
                             cfg->assign_after_decision_days);
        if (granted && p && p->same_day) {
            if (clock_local_day(now) == clock_local_day(a->received_at)) {
                d->assign_due_at = eligibility_calendar_days_end(a->received_at, 0);
                basis = _("the end of the day of application, the same-day goal");
            } else {
                basis = arena_printf(arena,
                                     _("%lld days from the decision (art. 43(1)); the same-day "
                                       "goal was missed, the decision coming after the day of "
                                       "application"),
                                     cfg->assign_after_decision_days);
            }
        }
        if (emergency && p->emergency_deadline < d->assign_due_at) {
            d->assign_due_at = p->emergency_deadline;
            basis = _("before the limitation period or deadline expires (art. 44)");
        }
        d->has_assign_due_at = 1;
        clock_deadline_text(d->assign_due_at, assign);
    }
    if (d->outcome == LEGALAID__OUTCOME__NEEDS_MATERIALS) {
        int kept = facts->materials_due_at > 0;
        d->materials_due_at =
            kept ? facts->materials_due_at
                 : eligibility_calendar_days_end(now, cfg->materials_deadline_days);
        d->has_materials_due_at = 1;
        clock_deadline_text(d->materials_due_at, supply);
        const char *period =
            kept ? _("the deadline of the earlier notice, kept: one notice, one deadline")
                 : arena_printf(arena, _("%lld days from this notice"),
                                cfg->materials_deadline_days);
        d->reason = arena_printf(arena,
                                 _("%s; the missing materials are to be supplied by %s or the "
                                   "application is deemed withdrawn (art. 43(2)); the decision is "
                                   "due by %s%s%s"),
                                 d->reason, supply, decide,
                                 emergency ? _("; the deadline being near, aid may start before "
                                               "the review ends (art. 44), a lawyer by ")
                                           : "",
                                 emergency ? assign : "");
        eligibility_decision_test(
            arena, d, "deadline", now <= d->decision_due_at,
            arena_printf(arena,
                         _("decision due by %s (%lld days from receipt, art. 43(1)); materials "
                           "by %s (%s, art. 43(2))%s%s"),
                         decide, cfg->review_days, supply, period,
                         emergency ? _("; emergency aid, a lawyer by ") : "",
                         emergency ? assign : ""),
            LAW "art. 43(1)");
        return;
    }
    d->reason = arena_printf(arena, _("%s; a lawyer is to be assigned by %s"), d->reason, assign);
    eligibility_decision_test(
        arena, d, "deadline", now <= d->decision_due_at,
        arena_printf(arena,
                     _("decision due by %s (%lld days from receipt, art. 43(1)); a lawyer to be "
                       "assigned by %s: %s"),
                     decide, cfg->review_days, assign, basis),
        LAW "art. 43(1)");
}

static void eligibility_rules_outcome(const Legalaid__Application *a,
                                      const eligibility_facts_t *facts,
                                      const eligibility_config_t *cfg, int64_t now, arena_t *arena,
                                      Legalaid__Decision *d)
{
    d->case_id = a->case_id;
    d->decided_at = now;
    d->has_decided_at = 1;
    /* Legal Aid Law art. 43(1): decide within 7 days of receipt. */
    d->decision_due_at =
        eligibility_calendar_days_end(a->received_at, cfg->review_days + facts->paused_days);
    d->has_decision_due_at = 1;
    if (facts->paused_days > 0)
        eligibility_decision_test(
            arena, d, "clock", 1,
            arena_printf(arena,
                         _("the decision clock stood still %lld days while the missing materials "
                           "were awaited, so the decision is due %lld days after receipt"),
                         facts->paused_days, cfg->review_days + facts->paused_days),
            LAW "art. 43(2)");
    d->rule_version = cfg->rule_version;
    d->category = a->category;
    d->has_category = a->has_category;
    d->centre = a->centre;
    d->authority = a->authority;
    /* Criminal defence is a lawyer's work whatever the route (Legal Aid Law
     * art. 17: volunteers only advise and draft; 刑事诉讼法 art. 34); art. 28
     * has the court notify for a lawyer too. */
    d->lawyer_required =
        a->has_category && (a->category == LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE ||
                            a->category == LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL);
    d->has_lawyer_required = 1;

    if (a->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE) {
        eligibility_decide_notice(a, cfg, arena, d);
        d->has_outcome = 1;
        d->has_means_path = 1;
        eligibility_priority_assess(a, cfg, arena, d);
        return;
    }

    eligibility_scope_t scope;
    eligibility_scope_assess(a, cfg, arena, d, &scope);
    if (scope.kind == ELIGIBILITY_SCOPE_OUTSIDE) {
        d->reason = arena_printf(arena, _("aid is refused: %s"), scope.detail);
        eligibility_decide_refusal(cfg, arena, d);
        return;
    }
    eligibility_means_decide(a, &scope, facts, cfg, now, arena, d);
    eligibility_decision_cite(arena, d, LAW "art. 43(1)");
    if (d->outcome == LEGALAID__OUTCOME__REFUSED) {
        eligibility_decide_refusal(cfg, arena, d);
        return;
    }
    eligibility_priority_assess(a, cfg, arena, d);
    eligibility_decide_deadlines(a, facts, cfg, now, arena, d);
}

void eligibility_rules_decide(const Legalaid__Application *a, const eligibility_facts_t *facts,
                              const eligibility_config_t *cfg, int64_t now, arena_t *arena,
                              Legalaid__Decision *d)
{
    eligibility_rules_outcome(a, facts, cfg, now, arena, d);
    eligibility_decision_cite_applied(arena, d);
    /* What dispatch matches a lawyer on, on every grant of aid. */
    eligibility_casefacts_fill(a, arena, d);
}
