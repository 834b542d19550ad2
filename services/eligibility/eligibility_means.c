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

/* An amount in yuan, as the code "money.yuan" worded. */
static decisiontext_t eligibility_means_yuan(arena_t *arena, int64_t fen)
{
    return ELIGIBILITY_TEXT(arena, "money.yuan", decisiontext_num(arena, (long long)(fen / 100)),
                            arena_printf(arena, "%02lld", (long long)(fen % 100)));
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
    unsigned g = (unsigned)a->no_means_ground;
    const char *article = arena_printf(arena, LAW "art. 32(%u)", g);
    const char *who = arena_printf(arena, "@who32.%u", g); /* decisiontext_table.c */
    eligibility_decision_explained(
        arena, d, "means", 1, article,
        ELIGIBILITY_TEXT(arena, "means.art32", who, decisiontext_num(arena, g)));
    eligibility_decision_cite(arena, d, article);
    eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED, LEGALAID__MEANS_PATH__NO_MEANS_TEST);
    eligibility_decision_reason(arena, d, ELIGIBILITY_TEXT(arena, "reason.art32", who));
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
        status = "@status42.no_fixed_income";
        item = 1;
        break;
    case LEGALAID__HARDSHIP_PROOF__SOCIAL_ASSISTANCE:
        status = "@status42.social_assistance";
        item = 2;
        break;
    case LEGALAID__HARDSHIP_PROOF__JUDICIAL_ASSISTANCE:
        status = "@status42.judicial_assistance";
        item = 2;
        break;
    case LEGALAID__HARDSHIP_PROOF__SPECIAL_CARE:
        status = "@status42.special_care";
        item = 2;
        break;
    case LEGALAID__HARDSHIP_PROOF__MIGRANT_WAGES_OR_INJURY:
        status = "@status42.migrant_wages_or_injury";
        item = 3;
        break;
    default:
        return 0;
    }
    const char *article = arena_printf(arena, LAW "art. 42(%u)", item);
    if (item == 3 && !eligibility_scope_wages_or_injury(a)) {
        eligibility_decision_explained(arena, d, "means", 0, article,
                                       ELIGIBILITY_TEXT(arena, "means.art42_3_other_matter"));
        return 0;
    }
    eligibility_decision_explained(
        arena, d, "means", 1, article,
        ELIGIBILITY_TEXT(arena, "means.presumed", status, decisiontext_num(arena, item)));
    eligibility_decision_cite(arena, d, article);
    eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED, LEGALAID__MEANS_PATH__PRESUMED);
    eligibility_decision_reason(arena, d, ELIGIBILITY_TEXT(arena, "reason.presumed", status));
    return 1;
}

/* What the roll lists the applicant as, as a param (decisiontext_table.c). */
static const char *eligibility_means_roll_status(Legalaid__RollStatus st)
{
    switch (st) {
    case LEGALAID__ROLL_STATUS__DIBAO:
        return "@rollstatus.dibao";
    case LEGALAID__ROLL_STATUS__TEKUN:
        return "@rollstatus.tekun";
    case LEGALAID__ROLL_STATUS__LOW_INCOME:
        return "@rollstatus.low_income";
    default:
        return "@rollstatus.other";
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
        eligibility_decision_explained(arena, d, "roll", 1, LAW "art. 41",
                                       ELIGIBILITY_TEXT(arena, "roll.listed", status));
        eligibility_decision_explained(arena, d, "means", 1, LAW "art. 42(2)",
                                       ELIGIBILITY_TEXT(arena, "means.roll"));
        eligibility_decision_cite(arena, d, LAW "art. 41");
        eligibility_decision_cite(arena, d, LAW "art. 42(2)");
        eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED, LEGALAID__MEANS_PATH__VERIFIED);
        eligibility_decision_reason(arena, d, ELIGIBILITY_TEXT(arena, "reason.roll", status));
        return 1;
    }
    eligibility_decision_explained(arena, d, "roll", 0, LAW "art. 41",
                                   ELIGIBILITY_TEXT(arena,
                                                    answer == LEGALAID__ROLL_ANSWER__ROLL_NO
                                                        ? "roll.not_listed"
                                                        : "roll.unavailable"));
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
        eligibility_decision_explained(arena, d, "means", 1, s->article,
                                       ELIGIBILITY_TEXT(arena, s->no_means_test));
        eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED,
                                 LEGALAID__MEANS_PATH__NO_MEANS_TEST);
        eligibility_decision_reason(arena, d, ELIGIBILITY_TEXT(arena, s->no_means_reason));
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
    decisiontext_t income = {0}, limit = {0};
    if (declared) income = eligibility_means_yuan(arena, a->household_income_fen);
    if (in_force == 1) limit = eligibility_means_yuan(arena, standard);
    const char *since = arena_strdup(arena, effective);
    if (declared && in_force == 1 && a->household_income_fen > standard) {
        eligibility_decision_explained(arena, d, "means", 0, LAW "art. 34",
                                       ELIGIBILITY_TEXT(arena, "means.above", DECISIONTEXT_NEST,
                                                        &income, DECISIONTEXT_NEST, &limit,
                                                        since));
        eligibility_decision_cite(arena, d, LAW "art. 34");
        /* Settled, and settled against: the income was checked, not awaited. */
        eligibility_means_settle(d, LEGALAID__OUTCOME__REFUSED,
                                 LEGALAID__MEANS_PATH__ABOVE_STANDARD);
        eligibility_decision_reason(arena, d,
                                    ELIGIBILITY_TEXT(arena, "reason.above", DECISIONTEXT_NEST,
                                                     &income, DECISIONTEXT_NEST, &limit));
        return;
    }
    if (declared && in_force != 1)
        eligibility_decision_explained(
            arena, d, "means", 0, LAW "art. 34",
            in_force == 0
                ? ELIGIBILITY_TEXT(arena, "means.no_standard", DECISIONTEXT_NEST, &income)
                : ELIGIBILITY_TEXT(arena, "means.standard_malformed", DECISIONTEXT_NEST, &income,
                                   decisiontext_num(arena, (long long)bad_at)));

    int barred = facts->credit_barred != 0;
    if (a->has_commitment_signed && a->commitment_signed) {
        eligibility_decision_explained(
            arena, d, "credit", !barred, LAW "art. 41",
            ELIGIBILITY_TEXT(arena, barred ? "credit.barred" : "credit.open"));
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
            const char *check =
                arena_strdup(arena, clock_deadline_text(d->verification_due_at, verify));
            eligibility_decision_explained(
                arena, d, "means", 1, LAW "art. 41",
                ELIGIBILITY_TEXT(arena, "means.commitment", declared ? "@means.declaring" : "",
                                 DECISIONTEXT_NEST, &income,
                                 declared ? "@means.per_head" : "",
                                 d->verification_drawn ? "@means.drawn" : "@means.not_drawn",
                                 check));
            eligibility_decision_reason(arena, d,
                                        ELIGIBILITY_TEXT(arena, "reason.commitment", check));
            return;
        }
    }
    if (declared && in_force == 1) {
        eligibility_decision_explained(arena, d, "means", 1, LAW "art. 34",
                                       ELIGIBILITY_TEXT(arena, "means.within", DECISIONTEXT_NEST,
                                                        &income, DECISIONTEXT_NEST, &limit,
                                                        since));
        eligibility_decision_cite(arena, d, LAW "art. 34");
        eligibility_means_settle(d, LEGALAID__OUTCOME__APPROVED, LEGALAID__MEANS_PATH__VERIFIED);
        eligibility_decision_reason(arena, d,
                                    ELIGIBILITY_TEXT(arena, "reason.within", DECISIONTEXT_NEST,
                                                     &income, DECISIONTEXT_NEST, &limit));
        return;
    }

    /* Art. 43(2): one notice of everything missing. */
    eligibility_decision_explained(
        arena, d, "means", 0, LAW "art. 43(2)",
        ELIGIBILITY_TEXT(arena, barred ? "means.not_settled_barred" : "means.not_settled"));
    eligibility_decision_cite(arena, d, LAW "art. 43(2)");
    eligibility_means_settle(d, LEGALAID__OUTCOME__NEEDS_MATERIALS,
                             LEGALAID__MEANS_PATH__NOT_SETTLED);
    eligibility_means_missing(a, barred, arena, d);
    int unavailable = d->roll_answer != LEGALAID__ROLL_ANSWER__ROLL_NO;
    eligibility_decision_reason(
        arena, d,
        ELIGIBILITY_TEXT(arena, "reason.not_settled",
                         unavailable ? "@reason.roll_unavailable" : "@reason.roll_not_listed",
                         barred ? "@reason.commitment_barred" : "@reason.commitment_open"));
}
