/*
 * eligibility_rules.c - the first rule set (see eligibility_rules.h):
 *
 *   authority's notice, art. 25(1) ground  -> APPROVED, no means test,
 *                                             lawyer within 3 days (art. 36)
 *   authority's notice, compulsory medical -> APPROVED, no means test (art. 28)
 *   commitment letter signed               -> APPROVED_PENDING_VERIFICATION
 *                                             (art. 41), verified afterwards
 *   otherwise                              -> NEEDS_MATERIALS, one notice of
 *                                             everything missing (art. 43(2))
 *
 * Every decision records the articles, the rule version and its deadlines,
 * so that it reads the same after the rules change (DESIGN.md, "Lessons").
 */
#include "eligibility_rules.h"

#include <string.h>

#include "clock.h"
#include "eligibility_calendar.h"

#define LAW "Legal Aid Law "

const char *eligibility_application_problem(const Legalaid__Application *a)
{
    if (!a) return "the event carries no application";
    if (!a->case_id || !a->case_id[0]) return "the application has no case_id";
    if (strlen(a->case_id) > ELIGIBILITY_CASE_ID_MAX)
        return "the application's case_id is longer than 64 bytes";
    if (!a->has_received_at || a->received_at <= 0)
        return "the application has no received_at, so the decision deadline "
               "(Legal Aid Law art. 43(1)) cannot be counted";
    if (!a->has_channel || a->channel == LEGALAID__CHANNEL__CHANNEL_UNSPECIFIED ||
        !protobuf_c_enum_descriptor_get_value(&legalaid__channel__descriptor, a->channel))
        return "the application has no known channel";
    if (a->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE &&
        (!a->has_ground || a->ground < LEGALAID__MANDATORY_GROUND__MINOR ||
         a->ground > LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT))
        return "the authority's notification names no ground (Legal Aid Law art. 25(1) "
               "items 1-6 or art. 28)";
    return NULL;
}

static void eligibility_cite(arena_t *arena, Legalaid__Decision *d, const char *article)
{
    char **grown = arena_alloc(arena, (d->n_articles + 1) * sizeof *grown);
    if (d->n_articles) memcpy(grown, d->articles, d->n_articles * sizeof *grown);
    grown[d->n_articles++] = arena_strdup(arena, article);
    d->articles = grown;
}

/* Who the notified person is, by ground: art. 25(1) items 1-6, art. 28. */
static const char *eligibility_ground_text(Legalaid__MandatoryGround g)
{
    switch (g) {
    case LEGALAID__MANDATORY_GROUND__MINOR:
        return "is a minor";
    case LEGALAID__MANDATORY_GROUND__BLIND_DEAF_MUTE:
        return "is blind, deaf or mute";
    case LEGALAID__MANDATORY_GROUND__MENTAL_CAPACITY:
        return "cannot fully understand or control their own conduct";
    case LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH:
        return "may be sentenced to life imprisonment or death";
    case LEGALAID__MANDATORY_GROUND__DEATH_REVIEW:
        return "is a defendant in a death-sentence review who applied";
    case LEGALAID__MANDATORY_GROUND__ABSENTIA:
        return "is tried in absentia";
    case LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT:
        return "is the respondent in a compulsory medical treatment case";
    default:
        return "falls under a mandatory ground";
    }
}

static const char *eligibility_authority_text(const Legalaid__Authority *au)
{
    if (!au || !au->has_kind) return "the authority";
    switch (au->kind) {
    case LEGALAID__AUTHORITY_KIND__COURT:
        return "the court";
    case LEGALAID__AUTHORITY_KIND__PROCURATORATE:
        return "the procuratorate";
    case LEGALAID__AUTHORITY_KIND__POLICE:
        return "the police";
    default:
        return "the authority";
    }
}

/* Legal Aid Law art. 25(1), art. 28 and art. 36: when a court,
 * procuratorate or police notifies that a suspect or defendant in one of
 * these situations has no defender, the centre appoints a lawyer within 3
 * days of the notice, with no economic review. */
static void eligibility_decide_notice(const Legalaid__Application *a,
                                      const eligibility_config_t *cfg, arena_t *arena,
                                      Legalaid__Decision *d)
{
    d->outcome = LEGALAID__OUTCOME__APPROVED;
    d->means_path = LEGALAID__MEANS_PATH__NO_MEANS_TEST;
    if (a->ground == LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT)
        eligibility_cite(arena, d, LAW "art. 28");
    else
        eligibility_cite(arena, d, arena_printf(arena, LAW "art. 25(1)(%d)", (int)a->ground));
    eligibility_cite(arena, d, LAW "art. 36");
    /* Art. 25: the defence must be conducted by a lawyer (art. 28: the
     * court notifies for a lawyer as well). */
    d->lawyer_required = 1;
    d->assign_due_at = eligibility_days_end(a->received_at, cfg->assign_after_notice_days);
    d->has_assign_due_at = 1;
    char due[CLOCK_TEXT_MAX];
    const Legalaid__Authority *au = a->authority;
    d->reason = arena_printf(
        arena,
        "notified by %s%s%s: the person %s and has no %s; a lawyer is appointed "
        "without any means test and must be named to %s by %s",
        eligibility_authority_text(au), au && au->name ? " " : "", au && au->name ? au->name : "",
        eligibility_ground_text(a->ground),
        /* Art. 28 speaks of an agent (代理人), art. 25 of a defender. */
        a->ground == LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT ? "agent" : "defender",
        eligibility_authority_text(au),
        clock_deadline_text(d->assign_due_at, due));
}

/* Legal Aid Law art. 41: the economic condition may be settled by the
 * applicant's personal integrity commitment (告知承诺: a signed letter in
 * place of a hardship certificate), checked afterwards. Art. 43(1): once
 * aid is granted, a lawyer is assigned within 3 days. */
static void eligibility_decide_commitment(const eligibility_config_t *cfg, int64_t now,
                                          arena_t *arena, Legalaid__Decision *d)
{
    d->outcome = LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION;
    d->means_path = LEGALAID__MEANS_PATH__COMMITMENT;
    eligibility_cite(arena, d, LAW "art. 41");
    d->verification_due_at =
        eligibility_days_end(now, cfg->verification_days);
    d->has_verification_due_at = 1;
    d->assign_due_at =
        eligibility_days_end(now, cfg->assign_after_decision_days);
    d->has_assign_due_at = 1;
    char verify[CLOCK_TEXT_MAX], assign[CLOCK_TEXT_MAX];
    d->reason = arena_printf(
        arena,
        "the applicant signed the commitment letter on economic hardship; aid is granted "
        "and the statement is to be verified by %s; a lawyer is to be assigned by %s",
        clock_deadline_text(d->verification_due_at, verify),
        clock_deadline_text(d->assign_due_at, assign));
}

/* Legal Aid Law art. 43(2): when materials are incomplete the centre tells
 * the applicant once of everything to supply or explain. */
static void eligibility_decide_materials(const eligibility_config_t *cfg, arena_t *arena,
                                         Legalaid__Decision *d)
{
    d->outcome = LEGALAID__OUTCOME__NEEDS_MATERIALS;
    d->means_path = LEGALAID__MEANS_PATH__NOT_SETTLED;
    eligibility_cite(arena, d, LAW "art. 43(2)");
    d->missing_materials = arena_alloc(arena, sizeof *d->missing_materials);
    d->missing_materials[0] = arena_strdup(
        arena, "经济困难状况说明表，或签署的法律援助申请承诺告知书（《法律援助法》第41条）");
    d->n_missing_materials = 1;
    char due[CLOCK_TEXT_MAX];
    d->reason = arena_printf(
        arena,
        "the economic condition is not settled: the application has neither a statement of "
        "economic hardship nor a signed commitment letter; the applicant is told once of "
        "everything missing; the decision is due by %s",
        clock_deadline_text(d->decision_due_at, due));
}

void eligibility_rules_decide(const Legalaid__Application *a, const eligibility_facts_t *facts,
                              const eligibility_config_t *cfg, int64_t now, arena_t *arena,
                              Legalaid__Decision *d)
{
    (void)facts; /* the first rule set needs no facts beyond the application */
    d->case_id = a->case_id;
    d->decided_at = now;
    d->has_decided_at = 1;
    /* Legal Aid Law art. 43(1): decide within 7 days of receipt. */
    d->decision_due_at =
        eligibility_days_end(a->received_at, cfg->review_days);
    d->has_decision_due_at = 1;
    d->rule_version = cfg->rule_version;
    d->category = a->category;
    d->has_category = a->has_category;
    d->centre = a->centre;
    d->authority = a->authority;
    /* Criminal defence is a lawyer's work whatever the route (Legal Aid Law
     * art. 17: volunteers only advise and draft; 刑事诉讼法 art. 34). */
    d->lawyer_required =
        a->has_category && a->category == LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    d->has_lawyer_required = 1;

    if (a->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE)
        eligibility_decide_notice(a, cfg, arena, d);
    else if (a->commitment_signed)
        eligibility_decide_commitment(cfg, now, arena, d);
    else
        eligibility_decide_materials(cfg, arena, d);
    d->has_outcome = 1;
    d->has_means_path = 1;
}
