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

/* Who the notified person is, by ground: art. 25(1) items 1-6, art. 28
 * (as a param: decisiontext_table.c words it). */
static const char *eligibility_ground_code(Legalaid__MandatoryGround g)
{
    switch (g) {
    case LEGALAID__MANDATORY_GROUND__MINOR:
        return "@ground.minor";
    case LEGALAID__MANDATORY_GROUND__BLIND_DEAF_MUTE:
        return "@ground.blind_deaf_mute";
    case LEGALAID__MANDATORY_GROUND__MENTAL_CAPACITY:
        return "@ground.mental_capacity";
    case LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH:
        return "@ground.life_or_death";
    case LEGALAID__MANDATORY_GROUND__DEATH_REVIEW:
        return "@ground.death_review";
    case LEGALAID__MANDATORY_GROUND__ABSENTIA:
        return "@ground.absentia";
    case LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT:
        return "@ground.compulsory_treatment";
    case LEGALAID__MANDATORY_GROUND__DISCRETIONARY:
        return "@ground.discretionary";
    default:
        return "@ground.other";
    }
}

static const char *eligibility_authority_code(const Legalaid__Authority *au)
{
    if (!au || !au->has_kind) return "@authority.other";
    switch (au->kind) {
    case LEGALAID__AUTHORITY_KIND__COURT:
        return "@authority.court";
    case LEGALAID__AUTHORITY_KIND__PROCURATORATE:
        return "@authority.procuratorate";
    case LEGALAID__AUTHORITY_KIND__POLICE:
        return "@authority.police";
    default:
        return "@authority.other";
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
    int treatment = a->ground == LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT;
    const char *article = treatment       ? LAW "art. 28"
                          : discretionary ? LAW "art. 25(2)"
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
    const char *who = eligibility_authority_code(au);
    const char *ground = eligibility_ground_code(a->ground);
    const char *days = decisiontext_num(arena, cfg->assign_after_notice_days);
    clock_deadline_text(d->assign_due_at, due);
    /* Art. 28 speaks of an agent (代理人), art. 25 of a defender. */
    eligibility_decision_reason(
        arena, d,
        ELIGIBILITY_TEXT(arena, "reason.notice", who, au && au->name ? " " : "",
                         decisiontext_lit(arena, au ? au->name : NULL), ground,
                         treatment ? "@role.agent" : "@role.defender", who,
                         arena_strdup(arena, due)));
    eligibility_decision_explained(
        arena, d, "scope", 1, article,
        discretionary ? ELIGIBILITY_TEXT(arena, "scope.notice_discretionary", who)
                      : ELIGIBILITY_TEXT(arena, "scope.notice", who, ground,
                                         treatment ? "@role.agent_art28"
                                                   : "@role.defender_art25"));
    eligibility_decision_explained(arena, d, "means", 1, article,
                                   ELIGIBILITY_TEXT(arena, "means.notice"));
    eligibility_decision_explained(
        arena, d, "deadline", 1, discretionary ? article : LAW "art. 36",
        discretionary
            ? ELIGIBILITY_TEXT(arena, "deadline.notice_discretionary", arena_strdup(arena, due),
                               days)
            : ELIGIBILITY_TEXT(arena, "deadline.notice", who, arena_strdup(arena, due), days));
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
    decisiontext_t route = eligibility_decision_objection_route(cfg, arena, d);
    char due[CLOCK_TEXT_MAX];
    clock_deadline_text(d->decision_due_at, due);
    eligibility_decision_explained(
        arena, d, "deadline", 1, LAW "art. 43(1)",
        ELIGIBILITY_TEXT(arena, "deadline.refusal", arena_strdup(arena, due),
                         decisiontext_num(arena, cfg->review_days), DECISIONTEXT_NEST, &route));
    decisiontext_t was = decisiontext_reason(arena, d);
    eligibility_decision_reason(arena, d,
                                ELIGIBILITY_TEXT(arena, "reason.with_route", DECISIONTEXT_NEST,
                                                 &was, DECISIONTEXT_NEST, &route));
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
    char buf[CLOCK_TEXT_MAX];
    const char *decide = arena_strdup(arena, clock_deadline_text(d->decision_due_at, buf));
    const char *assign = "";
    const char *review = decisiontext_num(arena, cfg->review_days);
    const char *after = decisiontext_num(arena, cfg->assign_after_decision_days);
    decisiontext_t basis = {0};
    if (granted || emergency) {
        d->assign_due_at = eligibility_calendar_days_end(now, cfg->assign_after_decision_days);
        basis = ELIGIBILITY_TEXT(arena, "basis.decision", after);
        if (granted && p && p->same_day) {
            if (clock_local_day(now) == clock_local_day(a->received_at)) {
                d->assign_due_at = eligibility_calendar_days_end(a->received_at, 0);
                basis = ELIGIBILITY_TEXT(arena, "basis.same_day");
            } else {
                basis = ELIGIBILITY_TEXT(arena, "basis.same_day_missed", after);
            }
        }
        if (emergency && p->emergency_deadline < d->assign_due_at) {
            d->assign_due_at = p->emergency_deadline;
            basis = ELIGIBILITY_TEXT(arena, "basis.art44");
        }
        d->has_assign_due_at = 1;
        assign = arena_strdup(arena, clock_deadline_text(d->assign_due_at, buf));
    }
    decisiontext_t was = decisiontext_reason(arena, d);
    if (d->outcome == LEGALAID__OUTCOME__NEEDS_MATERIALS) {
        int kept = facts->materials_due_at > 0;
        d->materials_due_at =
            kept ? facts->materials_due_at
                 : eligibility_calendar_days_end(now, cfg->materials_deadline_days);
        d->has_materials_due_at = 1;
        const char *supply = arena_strdup(arena, clock_deadline_text(d->materials_due_at, buf));
        decisiontext_t period =
            kept ? ELIGIBILITY_TEXT(arena, "period.kept")
                 : ELIGIBILITY_TEXT(arena, "period.days",
                                    decisiontext_num(arena, cfg->materials_deadline_days));
        eligibility_decision_reason(
            arena, d,
            ELIGIBILITY_TEXT(arena, "reason.materials", DECISIONTEXT_NEST, &was, supply, decide,
                             emergency ? "@reason.emergency_start" : "",
                             emergency ? assign : ""));
        eligibility_decision_explained(
            arena, d, "deadline", now <= d->decision_due_at, LAW "art. 43(1)",
            ELIGIBILITY_TEXT(arena, "deadline.materials", decide, review, supply,
                             DECISIONTEXT_NEST, &period,
                             emergency ? "@deadline.emergency_lawyer" : "",
                             emergency ? assign : ""));
        return;
    }
    eligibility_decision_reason(
        arena, d, ELIGIBILITY_TEXT(arena, "reason.assign", DECISIONTEXT_NEST, &was, assign));
    eligibility_decision_explained(
        arena, d, "deadline", now <= d->decision_due_at, LAW "art. 43(1)",
        ELIGIBILITY_TEXT(arena, "deadline.assign", decide, review, assign, DECISIONTEXT_NEST,
                         &basis));
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
        eligibility_decision_explained(
            arena, d, "clock", 1, LAW "art. 43(2)",
            ELIGIBILITY_TEXT(arena, "clock.paused", decisiontext_num(arena, facts->paused_days),
                             decisiontext_num(arena, cfg->review_days + facts->paused_days)));
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
        eligibility_decision_reason(arena, d,
                                    ELIGIBILITY_TEXT(arena, "reason.refused", DECISIONTEXT_NEST,
                                                     &scope.text));
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
