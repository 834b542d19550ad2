/*
 * eligibility_means.c - the means step of the rules (see
 * eligibility_means.h). The paths, tried in this order, each named in the
 * decision (DOMAIN R-ECON-04):
 *
 *   art. 28, 25(1)(5), 32 on application     -> NO_MEANS_TEST, APPROVED
 *   art. 42 status proved                     -> PRESUMED, APPROVED
 *                                                (42(3) only for wages or work injury)
 *   civil-affairs roll says yes (art. 41)     -> VERIFIED, APPROVED
 *   declared income above the standard        -> ABOVE_STANDARD, REFUSED (art. 34)
 *   commitment letter, no credit bar (art. 41)-> COMMITMENT,
 *                                                APPROVED_PENDING_VERIFICATION
 *   declared income within the standard       -> VERIFIED, APPROVED (art. 34)
 *   nothing settles it                        -> NOT_SETTLED, NEEDS_MATERIALS:
 *                                                one notice of all that is missing (art. 43(2))
 *
 * The roll answering "unavailable" never blocks: it is recorded and the
 * commitment route is offered. A past false commitment bars the commitment
 * route (R-ECON-07(h)). Income above the standard refuses even with a
 * letter: the applicant's own statement shows no hardship.
 */
#include "eligibility_means.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "eligibility_int.h"
#include "i18n.h"

/* 告知承诺: the commitment letter in place of a hardship certificate. */
#define MATERIAL_HARDSHIP                                                                          \
    "经济困难状况说明表，或签署的法律援助申请承诺告知书（《法律援助法》第41条）"
#define MATERIAL_HARDSHIP_BARRED                                                                                            \
    "经济困难状况说明表及证明经济困难状况的材料（因有虚假承诺记录，不适用告知承诺；" \
    "《法律援助法》第41条）"
#define MATERIAL_IDENTITY "申请人的身份证明"
#define MATERIAL_PROXY "代为申请人的身份证明及代理权限证明（《法律援助法》第40条）"

/* Parses "YYYY-MM-DD" at p into date (NUL-terminated); 0 on success. */
static int eligibility_means_parse_date(const char *p, char date[11])
{
    for (int i = 0; i < 10; i++) {
        int dash = i == 4 || i == 7;
        if (dash ? p[i] != '-' : (p[i] < '0' || p[i] > '9')) return -1;
    }
    memcpy(date, p, 10);
    date[10] = '\0';
    return 0;
}

/* Parses "yuan[.d[d]]" from *pp up to ',' or the end, as fen. */
static int eligibility_means_parse_yuan(const char **pp, int64_t *fen)
{
    const char *p = *pp;
    int64_t yuan = 0;
    int digits = 0;
    while (*p == ' ') p++;
    while (*p >= '0' && *p <= '9' && digits < 12) yuan = yuan * 10 + (*p++ - '0'), digits++;
    if (!digits) return -1;
    int64_t cents = 0;
    if (*p == '.') {
        p++;
        int places = 0;
        while (*p >= '0' && *p <= '9' && places < 2) cents = cents * 10 + (*p++ - '0'), places++;
        if (!places) return -1;
        if (places == 1) cents *= 10;
    }
    while (*p == ' ') p++;
    if (*p && *p != ',') return -1;
    *fen = yuan * 100 + cents;
    *pp = p;
    return 0;
}

int eligibility_means_income_standard_at(const char *standards, int64_t at_ms, int64_t *fen,
                                         char effective[11], size_t *bad_at)
{
    struct tm tm;
    clock_local_tm(at_ms, &tm);
    char day[48];
    snprintf(day, sizeof day, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    int found = 0;
    const char *p = standards ? standards : "";
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        if (!*p) break;
        const char *entry = p;
        char date[11];
        int64_t value;
        if (eligibility_means_parse_date(p, date) || p[10] != ':') goto bad;
        p += 11;
        if (eligibility_means_parse_yuan(&p, &value)) goto bad;
        if (strcmp(date, day) <= 0 && (!found || strcmp(date, effective) > 0)) {
            memcpy(effective, date, 11);
            *fen = value;
            found = 1;
        }
        continue;
    bad:
        if (bad_at) *bad_at = (size_t)(entry - standards);
        return -1;
    }
    return found;
}

static char *eligibility_means_yuan(arena_t *arena, int64_t fen)
{
    return arena_printf(arena, _("%lld.%02lld yuan"), (long long)(fen / 100),
                        (long long)(fen % 100));
}

static void eligibility_means_settle(Legalaid__Decision *d, Legalaid__Outcome outcome,
                                     Legalaid__MeansPath path)
{
    d->outcome = outcome;
    d->has_outcome = 1;
    d->means_path = path;
    d->has_means_path = 1;
}

/* Art. 32 items 1-4: no economic condition at all. */
static int eligibility_means_no_means(const Legalaid__Application *a, arena_t *arena,
                                      Legalaid__Decision *d)
{
    if (!a->has_no_means_ground ||
        a->no_means_ground < LEGALAID__NO_MEANS_GROUND__MARTYR_RELATIVE ||
        a->no_means_ground > LEGALAID__NO_MEANS_GROUND__ABUSE_VICTIM)
        return 0;
    static const char *const who[] = {
        NULL,
        N_("a near relative of a hero or martyr protecting the martyr's personality rights"),
        N_("a person who acted bravely for a just cause (见义勇为)"),
        N_("a person acquitted on retrial claiming state compensation"),
        N_("a victim of abuse, abandonment or domestic violence"),
    };
    unsigned g = (unsigned)a->no_means_ground;
    const char *article = arena_printf(arena, LAW "art. 32(%u)", g);
    eligibility_decision_test(
        arena, d, "means", 1,
        arena_printf(arena, _("no economic condition applies: the applicant is %s (art. 32(%u))"),
                     _(who[g]), g),
        article);
    eligibility_decision_cite(arena, d, article);
    eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED, LEGALAID__MEANS_PATH__NO_MEANS_TEST);
    d->reason = arena_printf(arena, _("aid is granted without any means test: the applicant is %s"),
                             _(who[g]));
    return 1;
}

/* Art. 42: hardship presumed once membership of a group is shown. */
static int eligibility_means_presumed(const Legalaid__Application *a, arena_t *arena,
                                      Legalaid__Decision *d)
{
    if (!a->has_hardship_proof) return 0;
    const char *status;
    unsigned item;
    switch (a->hardship_proof) {
    case LEGALAID__HARDSHIP_PROOF__NO_FIXED_INCOME:
        status = _("a minor, elderly or disabled person without a fixed source of income");
        item = 1;
        break;
    case LEGALAID__HARDSHIP_PROOF__SOCIAL_ASSISTANCE:
        status = _("a recipient of social assistance (低保, 特困 ...)");
        item = 2;
        break;
    case LEGALAID__HARDSHIP_PROOF__JUDICIAL_ASSISTANCE:
        status = _("a recipient of judicial assistance (司法救助)");
        item = 2;
        break;
    case LEGALAID__HARDSHIP_PROOF__SPECIAL_CARE:
        status = _("a recipient of special care for servicemen's families (优抚)");
        item = 2;
        break;
    case LEGALAID__HARDSHIP_PROOF__MIGRANT_WAGES_OR_INJURY:
        status = _("a migrant worker claiming labour remuneration or work-injury damages");
        item = 3;
        break;
    default:
        return 0;
    }
    const char *article = arena_printf(arena, LAW "art. 42(%u)", item);
    if (item == 3 && !eligibility_scope_wages_or_injury(a)) {
        eligibility_decision_test(arena, d, "means", 0,
                                  _("proof of migrant-worker status was given, but art. 42(3) "
                                    "presumes hardship only for claims of labour remuneration or "
                                    "work-injury damages, and this matter is neither"),
                                  article);
        return 0;
    }
    eligibility_decision_test(
        arena, d, "means", 1,
        arena_printf(arena,
                     _("hardship presumed without a means check: proof shows the applicant is %s "
                       "(art. 42(%u))"),
                     status, item),
        article);
    eligibility_decision_cite(arena, d, article);
    eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED, LEGALAID__MEANS_PATH__PRESUMED);
    d->reason = arena_printf(arena,
                             _("aid is granted: economic hardship is presumed, the applicant "
                               "having proved being %s"),
                             status);
    return 1;
}

static const char *eligibility_means_roll_status(Legalaid__RollStatus st)
{
    switch (st) {
    case LEGALAID__ROLL_STATUS__DIBAO:
        return _("a minimum living allowance household (低保)");
    case LEGALAID__ROLL_STATUS__TEKUN:
        return _("a person in extreme poverty (特困)");
    case LEGALAID__ROLL_STATUS__LOW_INCOME:
        return _("a low-income household (低保边缘/低收入)");
    default:
        return _("a recipient of social assistance");
    }
}

/* Art. 41: the information-sharing query of the civil-affairs roll.
 * Returns 1 when it settles the condition. */
static int eligibility_means_roll(const eligibility_facts_t *facts, arena_t *arena,
                                  Legalaid__Decision *d)
{
    Legalaid__RollAnswer answer =
        facts->roll_answer ? facts->roll_answer : LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE;
    d->roll_answer = answer;
    d->has_roll_answer = 1;
    if (answer == LEGALAID__ROLL_ANSWER__ROLL_YES) {
        d->roll_status = facts->roll_status;
        d->has_roll_status = facts->roll_status != LEGALAID__ROLL_STATUS__ROLL_STATUS_UNSPECIFIED;
        const char *status = eligibility_means_roll_status(facts->roll_status);
        eligibility_decision_test(
            arena, d, "roll", 1,
            arena_printf(arena,
                         _("the civil-affairs assistance roll lists the applicant as %s: hardship "
                           "verified by information sharing (art. 41), a recipient of social "
                           "assistance (art. 42(2))"),
                         status),
            LAW "art. 41");
        eligibility_decision_test(arena, d, "means", 1,
                                  _("economic hardship verified by the civil-affairs roll "
                                    "(information sharing, art. 41): no certificate is asked for"),
                                  LAW "art. 42(2)");
        eligibility_decision_cite(arena, d, LAW "art. 41");
        eligibility_decision_cite(arena, d, LAW "art. 42(2)");
        eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED, LEGALAID__MEANS_PATH__VERIFIED);
        d->reason = arena_printf(arena,
                                 _("aid is granted: the civil-affairs roll lists the applicant as "
                                   "%s, so economic hardship is verified"),
                                 status);
        return 1;
    }
    eligibility_decision_test(
        arena, d, "roll", 0,
        answer == LEGALAID__ROLL_ANSWER__ROLL_NO
            ? _("the civil-affairs assistance roll does not list the applicant (art. 41)")
            : _("the civil-affairs assistance roll could not be consulted (no current export); "
                "unavailable never blocks: the commitment route is open (art. 41)"),
        LAW "art. 41");
    return 0;
}

/* The notice of everything missing, in Chinese: applicants read it. */
static void eligibility_means_missing(const Legalaid__Application *a, int barred, arena_t *arena,
                                      Legalaid__Decision *d)
{
    const char *list[3];
    size_t n = 0;
    list[n++] = barred ? MATERIAL_HARDSHIP_BARRED : MATERIAL_HARDSHIP;
    if (!a->applicant || !a->applicant->id_number || !a->applicant->id_number[0])
        list[n++] = MATERIAL_IDENTITY;
    int proxy_role = a->has_applicant_role &&
                     (a->applicant_role == LEGALAID__APPLICANT_ROLE__LEGAL_REPRESENTATIVE ||
                      a->applicant_role == LEGALAID__APPLICANT_ROLE__NEAR_RELATIVE);
    if ((proxy_role || a->proxy) &&
        (!a->proxy || !a->proxy->proof_of_authority || !a->proxy->proof_of_authority[0]))
        list[n++] = MATERIAL_PROXY;
    d->missing_materials = arena_alloc(arena, n * sizeof *d->missing_materials);
    for (size_t i = 0; i < n; i++) d->missing_materials[i] = arena_strdup(arena, list[i]);
    d->n_missing_materials = n;
}

void eligibility_means_decide(const Legalaid__Application *a, const eligibility_scope_t *s,
                              const eligibility_facts_t *facts, const eligibility_config_t *cfg,
                              int64_t now, arena_t *arena, Legalaid__Decision *d)
{
    if (s->no_means_test) {
        /* Art. 28, 25(1)(5): a lawyer whatever the person's means. */
        eligibility_decision_test(arena, d, "means", 1, s->no_means_test, s->article);
        eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED,
                                 LEGALAID__MEANS_PATH__NO_MEANS_TEST);
        d->reason = (char *)s->no_means_reason;
        return;
    }
    if (eligibility_means_no_means(a, arena, d)) return;
    if (eligibility_means_presumed(a, arena, d)) return;
    if (eligibility_means_roll(facts, arena, d)) return;

    /* Art. 34: the standard in force on the day of receipt, recorded with
     * the rule version so that a later standard never rewrites history. */
    int64_t standard = 0;
    char effective[11] = "";
    size_t bad_at = 0;
    int in_force = eligibility_means_income_standard_at(cfg->income_standards, a->received_at,
                                                        &standard, effective, &bad_at);
    if (in_force == 1)
        d->rule_version = arena_printf(arena, "%s; income standard of %s",
                                       d->rule_version ? d->rule_version : "", effective);
    int declared = a->has_household_income_fen && a->household_income_fen >= 0;
    const char *income = declared ? eligibility_means_yuan(arena, a->household_income_fen) : NULL;
    const char *limit = in_force == 1 ? eligibility_means_yuan(arena, standard) : NULL;
    if (declared && in_force == 1 && a->household_income_fen > standard) {
        eligibility_decision_test(
            arena, d, "means", 0,
            arena_printf(arena,
                         _("declared household income %s per head per month is above the "
                           "hardship standard of %s in force since %s (art. 34)"),
                         income, limit, effective),
            LAW "art. 34");
        eligibility_decision_cite(arena, d, LAW "art. 34");
        /* Settled, and settled against: the income was checked, not awaited. */
        eligibility_means_settle(d, LEGALAID__OUTCOME__REFUSED,
                                 LEGALAID__MEANS_PATH__ABOVE_STANDARD);
        d->reason = arena_printf(arena,
                                 _("aid is refused: the applicant is not in economic hardship, the "
                                   "declared household income of %s per head per month being above "
                                   "the standard of %s (art. 34)"),
                                 income, limit);
        return;
    }
    if (declared && in_force != 1)
        eligibility_decision_test(
            arena, d, "means", 0,
            in_force == 0
                ? arena_printf(arena,
                               _("household income of %s was declared, but no hardship standard "
                                 "is in force on the day of receipt (art. 34; income_standards "
                                 "sets none): the declared income cannot settle it"),
                               income)
                : arena_printf(arena,
                               _("household income of %s was declared, but the configured "
                                 "income_standards is malformed at byte %zu: the declared income "
                                 "cannot settle it"),
                               income, bad_at),
            LAW "art. 34");

    int barred = facts->credit_barred != 0;
    if (a->has_commitment_signed && a->commitment_signed) {
        eligibility_decision_test(
            arena, d, "credit", !barred,
            barred
                ? _("a past false commitment bars the commitment route until the applicant's "
                    "credit is repaired (R-ECON-07(h)): the letter cannot settle the condition")
                : _("no false commitment on record: the commitment route is open (R-ECON-07(h))"),
            LAW "art. 41");
        if (!barred) {
            eligibility_decision_cite(arena, d, LAW "art. 41");
            eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION,
                                     LEGALAID__MEANS_PATH__COMMITMENT);
            d->verification_due_at = eligibility_calendar_days_end(now, cfg->verification_days);
            d->has_verification_due_at = 1;
            d->verification_drawn = facts->verification_drawn != 0;
            d->has_verification_drawn = 1;
            d->verification_draw = facts->verification_draw;
            d->has_verification_draw = 1;
            d->verification_share_percent = (uint32_t)eligibility_config.verification_share_percent;
            d->has_verification_share_percent = 1;
            char verify[CLOCK_TEXT_MAX];
            const char *check = clock_deadline_text(d->verification_due_at, verify);
            eligibility_decision_test(
                arena, d, "means", 1,
                arena_printf(arena,
                             _("the applicant signed the commitment letter on economic hardship%s%s"
                               "%s; %s by %s (art. 41)"),
                             income ? _(", declaring ") : "", income ? income : "",
                             income ? _(" per head per month") : "",
                             d->verification_drawn ? _("drawn for the check afterwards, due")
                                                   : _("not drawn for the check afterwards; "
                                                       "the period for checking ends"),
                             check),
                LAW "art. 41");
            d->reason = arena_printf(arena,
                                     _("the applicant signed the commitment letter on economic "
                                       "hardship; aid is granted and the statement is to be "
                                       "verified by %s"),
                                     check);
            return;
        }
    }
    if (declared && in_force == 1) {
        eligibility_decision_test(
            arena, d, "means", 1,
            arena_printf(arena,
                         _("declared household income %s per head per month ≤ the hardship "
                           "standard of %s in force since %s (art. 34)"),
                         income, limit, effective),
            LAW "art. 34");
        eligibility_decision_cite(arena, d, LAW "art. 34");
        eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED, LEGALAID__MEANS_PATH__VERIFIED);
        d->reason =
            arena_printf(arena,
                         _("aid is granted on the applicant's statement: declared household "
                           "income of %s per head per month is within the standard of %s"),
                         income, limit);
        return;
    }

    /* Art. 43(2): one notice of everything missing. */
    eligibility_decision_test(
        arena, d, "means", 0,
        barred ? _("the economic condition is not settled: the roll does not show hardship and "
                   "the commitment route is barred; the hardship statement with supporting "
                   "documents is required")
               : _("the economic condition is not settled: neither the roll, an art. 32 or 42 "
                   "ground, a declared income within the standard nor a commitment letter "
                   "shows hardship"),
        LAW "art. 43(2)");
    eligibility_decision_cite(arena, d, LAW "art. 43(2)");
    eligibility_means_settle(d, LEGALAID__OUTCOME__NEEDS_MATERIALS,
                             LEGALAID__MEANS_PATH__NOT_SETTLED);
    eligibility_means_missing(a, barred, arena, d);
    int unavailable = d->roll_answer != LEGALAID__ROLL_ANSWER__ROLL_NO;
    d->reason = arena_printf(
        arena,
        _("the economic condition is not settled%s; %s; the applicant is told once of everything "
          "missing"),
        unavailable ? _(": the civil-affairs roll could not be consulted, which never blocks an "
                        "application")
                    : _(": the civil-affairs roll does not list the applicant"),
        barred ? _("the commitment route is barred by a past false commitment (R-ECON-07(h)), so "
                   "a hardship statement with supporting documents is required")
               : _("the applicant may supply a statement of economic hardship or sign the "
                   "commitment letter instead (art. 41)"));
}
