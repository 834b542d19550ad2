/*
 * test-eligibility-rules.c - eligibility's rules as a pure function: a
 * table of scenarios, each an application and the facts eligibility knows
 * of it, with what a legal-aid officer would read on the decision: the
 * outcome, how the means question was settled, an article it must cite,
 * the priority flags and the deadlines to the millisecond. Together the
 * rows cite every article the rules encode (checked at the end).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "clock.h"
#include "eligibility.h"
#include "eligibility_means.h"
#include "eligibility_priority.h"
#include "eligibility_rules.h"
#include "testutil.h"

/* Beijing time (UTC+8). Receipt: 2026-03-02 10:00. */
#define T0 1772416800000LL
#define DAY 86400000LL
#define END0 1772467200000LL       /* 2026-03-02 24:00, the end of the day of receipt */
#define END(n) (END0 + (n)*DAY)    /* 24:00 of the n-th day after receipt */
#define R2025 1751248800000LL      /* 2025-06-30 10:00, under the older income standard */
#define R2025_END7 1751904000000LL /* 2025-07-07 24:00 */

#define ID_ADULT "150203198603150018"   /* born 1986-03-15: 39 at receipt */
#define ID_AGED_65 "150203196103020017" /* 65 on the day of receipt */
#define ID_AGED_64 "150203196103030013" /* 65 only the day after receipt */
#define ID_MINOR "150203201205010021"   /* 13 at receipt */
#define ID_AGED_18 "150203200803020013" /* 18 on the day of receipt: no longer a minor */
#define ID_AGED_17 "150203200803030019" /* 18 only the day after receipt */
#define NO_ID ""
#define NO_INCOME (-1)
#define LAW "Legal Aid Law "

/* The configuration the scenarios run under: eligibility's shipped defaults
 * as the key table gives them (so that a changed default fails a scenario at
 * its edge: 65 for the elderly, 7 days for an emergency, a 10 % draw), with
 * an income standard, additions under art. 31(9) and the same-day list,
 * which ship empty. */
static eligibility_config_t config_default(void)
{
    static eligibility_config_t shipped;
    static int loaded;
    if (!loaded) {
        char err[256];
        cfg_table_t table = {eligibility_config_keys, &shipped};
        if (config_defaults(&table, 1, err, sizeof err) != 0) fail_msg("defaults: %s", err);
        loaded = 1;
    }
    eligibility_config_t c = shipped;
    c.income_standards = "2022-01-01:1000,2025-07-01:1170.00";
    c.art31_additions = "农民工劳务纠纷, 农资损害";
    c.same_day_categories = "labour_arbitration";
    return c;
}

typedef struct scenario {
    const char *name;
    /* the application */
    Legalaid__Channel channel; /* 0: WINDOW */
    Legalaid__MatterCategory category;
    unsigned scope_item;
    const char *matter;
    Legalaid__MandatoryGround ground;
    Legalaid__NoMeansGround no_means;
    Legalaid__HardshipProof proof;
    long long income_fen; /* NO_INCOME: not declared */
    int commitment, retrial;
    const char *id_number; /* NULL: ID_ADULT */
    Legalaid__SpecialGroup groups[2];
    int64_t limitation; /* 0: none */
    Legalaid__ApplicantRole role;
    int64_t received_at; /* 0: T0 */
    /* what eligibility knows, and when it decides */
    Legalaid__RollAnswer roll; /* 0: unavailable */
    Legalaid__RollStatus roll_status;
    int barred, drawn;
    int64_t now; /* 0: at receipt */
    /* configuration changes */
    int file_days;         /* objection_file_days when > 0 */
    const char *standards; /* income_standards when not NULL */
    /* what the decision must say */
    Legalaid__Outcome outcome;
    Legalaid__MeansPath path;
    const char *article;
    int lawyer, green, emergency, same_day;
    int64_t decision_due;                                /* 0: END(7) */
    int64_t assign_due, materials_due, verification_due; /* 0: none */
    const char *text; /* in the reason, a test, the route, the version or the notice */
} scenario_t;

#define APPROVED LEGALAID__OUTCOME__APPROVED
#define PENDING LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION
#define MATERIALS LEGALAID__OUTCOME__NEEDS_MATERIALS
#define REFUSED LEGALAID__OUTCOME__REFUSED
#define NONE LEGALAID__MEANS_PATH__MEANS_UNSPECIFIED
#define NO_TEST LEGALAID__MEANS_PATH__NO_MEANS_TEST
#define PRESUMED LEGALAID__MEANS_PATH__PRESUMED
#define COMMIT LEGALAID__MEANS_PATH__COMMITMENT
#define VERIFIED LEGALAID__MEANS_PATH__VERIFIED
#define UNSETTLED LEGALAID__MEANS_PATH__NOT_SETTLED
#define ABOVE LEGALAID__MEANS_PATH__ABOVE_STANDARD
#define CIVIL LEGALAID__MATTER_CATEGORY__CIVIL
#define ADMIN LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE
#define DEFENCE LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE
#define VICTIM LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM
#define STATE_COMP LEGALAID__MATTER_CATEGORY__STATE_COMPENSATION
#define LABOUR LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION
#define MEDICAL LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL
#define NOTICE LEGALAID__CHANNEL__AUTHORITY_NOTICE
#define YES LEGALAID__ROLL_ANSWER__ROLL_YES
#define NO LEGALAID__ROLL_ANSWER__ROLL_NO
#define UNAVAILABLE LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE
#define DIBAO LEGALAID__ROLL_STATUS__DIBAO
#define TEKUN LEGALAID__ROLL_STATUS__TEKUN
#define LOW_INCOME LEGALAID__ROLL_STATUS__LOW_INCOME

static const scenario_t scenarios[] = {
    /* Authority's notices: art. 25(1) items 1-6, art. 28, art. 25(2). */
    {.name = "court notice, minor",
     .channel = NOTICE,
     .category = DEFENCE,
     .ground = LEGALAID__MANDATORY_GROUND__MINOR,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 25(1)(1)",
     .lawyer = 1,
     .assign_due = END(3),
     .text = "is a minor"},
    {.name = "notice, blind, deaf or mute",
     .channel = NOTICE,
     .category = DEFENCE,
     .ground = LEGALAID__MANDATORY_GROUND__BLIND_DEAF_MUTE,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 25(1)(2)",
     .lawyer = 1,
     .assign_due = END(3),
     .text = "blind, deaf"},
    {.name = "notice, mental capacity",
     .channel = NOTICE,
     .category = DEFENCE,
     .ground = LEGALAID__MANDATORY_GROUND__MENTAL_CAPACITY,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 25(1)(3)",
     .lawyer = 1,
     .assign_due = END(3),
     .text = "art. 36"},
    {.name = "notice, life or death",
     .channel = NOTICE,
     .category = DEFENCE,
     .ground = LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 25(1)(4)",
     .lawyer = 1,
     .assign_due = END(3),
     .text = "life imprisonment"},
    {.name = "notice, death-sentence review",
     .channel = NOTICE,
     .category = DEFENCE,
     .ground = LEGALAID__MANDATORY_GROUND__DEATH_REVIEW,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 25(1)(5)",
     .lawyer = 1,
     .assign_due = END(3),
     .text = "death-sentence"},
    {.name = "notice, trial in absentia",
     .channel = NOTICE,
     .category = DEFENCE,
     .ground = LEGALAID__MANDATORY_GROUND__ABSENTIA,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 25(1)(6)",
     .lawyer = 1,
     .assign_due = END(3),
     .text = "in absentia"},
    {.name = "notice, compulsory medical treatment",
     .channel = NOTICE,
     .category = MEDICAL,
     .ground = LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 28",
     .lawyer = 1,
     .assign_due = END(3),
     .text = "has no agent"},
    {.name = "court's discretionary notice",
     .channel = NOTICE,
     .category = DEFENCE,
     .ground = LEGALAID__MANDATORY_GROUND__DISCRETIONARY,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 25(2)",
     .lawyer = 1,
     .assign_due = END(3),
     .text = "chose to"},

    /* Art. 31, item by item, each settled by one of the means paths. */
    {.name = "state compensation, 特困 on the roll",
     .category = STATE_COMP,
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = TEKUN,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(1)",
     .assign_due = END(3),
     .text = "特困"},
    {.name = "social insurance, low income on the roll",
     .category = CIVIL,
     .scope_item = 2,
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = LOW_INCOME,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 42(2)",
     .assign_due = END(3),
     .text = "低收入"},
    {.name = "pension, special care proved",
     .category = ADMIN,
     .scope_item = 3,
     .proof = LEGALAID__HARDSHIP_PROOF__SPECIAL_CARE,
     .income_fen = NO_INCOME,
     .outcome = APPROVED,
     .path = PRESUMED,
     .article = LAW "art. 31(3)",
     .assign_due = END(3),
     .text = "优抚"},
    {.name = "maintenance, elderly without fixed income",
     .category = CIVIL,
     .scope_item = 4,
     .proof = LEGALAID__HARDSHIP_PROOF__NO_FIXED_INCOME,
     .income_fen = NO_INCOME,
     .id_number = ID_AGED_65,
     .outcome = APPROVED,
     .path = PRESUMED,
     .article = LAW "art. 42(1)",
     .green = 1,
     .assign_due = END(3),
     .text = "aged 65 at receipt"},
    {.name = "wages, migrant worker",
     .category = CIVIL,
     .scope_item = 5,
     .proof = LEGALAID__HARDSHIP_PROOF__MIGRANT_WAGES_OR_INJURY,
     .income_fen = NO_INCOME,
     .groups = {LEGALAID__SPECIAL_GROUP__MIGRANT_WORKER},
     .outcome = APPROVED,
     .path = PRESUMED,
     .article = LAW "art. 42(3)",
     .green = 1,
     .assign_due = END(3),
     .text = "migrant worker"},
    {.name = "capacity declaration, commitment drawn",
     .category = CIVIL,
     .scope_item = 6,
     .income_fen = NO_INCOME,
     .commitment = 1,
     .roll = NO,
     .drawn = 1,
     .outcome = PENDING,
     .path = COMMIT,
     .article = LAW "art. 31(6)",
     .assign_due = END(3),
     .verification_due = END(30),
     .text = "drawn for the check afterwards"},
    {.name = "work injury, migrant worker",
     .category = CIVIL,
     .scope_item = 7,
     .matter = "工伤赔偿，建筑工地坠落",
     .proof = LEGALAID__HARDSHIP_PROOF__MIGRANT_WAGES_OR_INJURY,
     .income_fen = NO_INCOME,
     .outcome = APPROVED,
     .path = PRESUMED,
     .article = LAW "art. 31(7)",
     .assign_due = END(3),
     .text = "work-injury"},
    {.name = "traffic accident: art. 42(3) does not reach it",
     .category = CIVIL,
     .scope_item = 7,
     .matter = "交通事故人身损害赔偿",
     .proof = LEGALAID__HARDSHIP_PROOF__MIGRANT_WAGES_OR_INJURY,
     .income_fen = NO_INCOME,
     .roll = NO,
     .outcome = MATERIALS,
     .path = UNSETTLED,
     .article = LAW "art. 43(2)",
     .materials_due = END(15),
     .text = "presumes hardship only for claims"},
    {.name = "pollution, declared income within the standard",
     .category = CIVIL,
     .scope_item = 8,
     .income_fen = 90000,
     .roll = NO,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(8)",
     .assign_due = END(3),
     .text = "income standard of 2025-07-01"},
    {.name = "regional addition under art. 31(9)",
     .category = CIVIL,
     .scope_item = 9,
     .matter = "农民工劳务纠纷，拖欠劳务费",
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = DIBAO,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(9)",
     .assign_due = END(3),
     .text = "农民工劳务纠纷"},
    {.name = "art. 31(9) claimed, matter not added",
     .category = CIVIL,
     .scope_item = 9,
     .matter = "房屋买卖合同纠纷",
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = DIBAO,
     .outcome = REFUSED,
     .path = NONE,
     .article = LAW "art. 49",
     .text = "包头市司法局"},
    {.name = "civil matter outside art. 31",
     .category = CIVIL,
     .income_fen = NO_INCOME,
     .commitment = 1,
     .outcome = REFUSED,
     .path = NONE,
     .article = LAW "art. 43(1)",
     .text = "names no item of art. 31"},
    {.name = "administrative matter outside art. 31, objection time set",
     .category = ADMIN,
     .scope_item = 12,
     .income_fen = NO_INCOME,
     .file_days = 60,
     .outcome = REFUSED,
     .path = NONE,
     .article = LAW "art. 49",
     .text = "within 60 days"},

    /* Labour arbitration: art. 31(5) and the same-day fast track. */
    {.name = "labour arbitration, same day",
     .category = LABOUR,
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = DIBAO,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(5)",
     .same_day = 1,
     .assign_due = END0,
     .text = "same-day goal"},
    {.name = "labour arbitration by commitment, same day",
     .category = LABOUR,
     .income_fen = NO_INCOME,
     .commitment = 1,
     .roll = NO,
     .outcome = PENDING,
     .path = COMMIT,
     .article = LAW "art. 41",
     .same_day = 1,
     .assign_due = END0,
     .verification_due = END(30),
     .text = "not drawn"},
    {.name = "labour arbitration decided the next day",
     .category = LABOUR,
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = DIBAO,
     .now = T0 + DAY,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(5)",
     .same_day = 1,
     .assign_due = END(4),
     .text = "same-day goal was missed"},

    /* Art. 32: no economic condition at all. */
    {.name = "martyr's relative",
     .category = CIVIL,
     .no_means = LEGALAID__NO_MEANS_GROUND__MARTYR_RELATIVE,
     .income_fen = NO_INCOME,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 32(1)",
     .assign_due = END(3),
     .text = "hero or martyr"},
    {.name = "good samaritan injured",
     .category = CIVIL,
     .scope_item = 7,
     .no_means = LEGALAID__NO_MEANS_GROUND__GOOD_SAMARITAN,
     .income_fen = 500000,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 32(2)",
     .assign_due = END(3),
     .text = "见义勇为"},
    {.name = "acquitted on retrial, state compensation",
     .category = STATE_COMP,
     .no_means = LEGALAID__NO_MEANS_GROUND__WRONGFUL_CONVICTION,
     .income_fen = NO_INCOME,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 32(3)",
     .assign_due = END(3),
     .text = "acquitted on retrial"},
    {.name = "domestic violence, left-behind woman",
     .category = CIVIL,
     .scope_item = 4,
     .no_means = LEGALAID__NO_MEANS_GROUND__ABUSE_VICTIM,
     .income_fen = NO_INCOME,
     .groups = {LEGALAID__SPECIAL_GROUP__LEFT_BEHIND_WOMAN,
                LEGALAID__SPECIAL_GROUP__DOMESTIC_VIOLENCE_VICTIM},
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 32(4)",
     .green = 1,
     .assign_due = END(3),
     .text = "left-behind woman"},

    /* Art. 29: the victim's side; art. 24: defence on application; art. 33. */
    {.name = "crime victim on the roll",
     .category = VICTIM,
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = DIBAO,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 29",
     .assign_due = END(3),
     .text = "低保"},
    {.name = "crime victim, roll says no",
     .category = VICTIM,
     .income_fen = NO_INCOME,
     .roll = NO,
     .outcome = MATERIALS,
     .path = UNSETTLED,
     .article = LAW "art. 29",
     .materials_due = END(15),
     .text = "does not list the applicant"},
    {.name = "defence on application by commitment",
     .category = DEFENCE,
     .income_fen = NO_INCOME,
     .commitment = 1,
     .roll = UNAVAILABLE,
     .outcome = PENDING,
     .path = COMMIT,
     .article = LAW "art. 24",
     .lawyer = 1,
     .assign_due = END(3),
     .verification_due = END(30),
     .text = "commitment letter"},
    {.name = "defence forwarded from custody, judicial assistance",
     .category = DEFENCE,
     .channel = LEGALAID__CHANNEL__CUSTODY_FORWARD,
     .proof = LEGALAID__HARDSHIP_PROOF__JUDICIAL_ASSISTANCE,
     .income_fen = NO_INCOME,
     .outcome = APPROVED,
     .path = PRESUMED,
     .article = LAW "art. 24",
     .lawyer = 1,
     .assign_due = END(3),
     .text = "司法救助"},
    {.name = "civil retrial, roll yes",
     .category = CIVIL,
     .retrial = 1,
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = DIBAO,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 33",
     .assign_due = END(3),
     .text = "retrial"},
    {.name = "criminal retrial by commitment",
     .category = DEFENCE,
     .retrial = 1,
     .income_fen = NO_INCOME,
     .commitment = 1,
     .roll = NO,
     .outcome = PENDING,
     .path = COMMIT,
     .article = LAW "art. 33",
     .lawyer = 1,
     .assign_due = END(3),
     .verification_due = END(30),
     .text = "protest"},
    {.name = "compulsory medical treatment applied for",
     .category = MEDICAL,
     .income_fen = NO_INCOME,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 28",
     .lawyer = 1,
     .assign_due = END(3),
     .text = "no agent"},

    /* Art. 34: the declared income against the standard in force. */
    {.name = "declared income of exactly 0: within the standard",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = 0,
     .roll = NO,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(4)",
     .assign_due = END(3),
     .text = "0.00 yuan"},
    {.name = "declared income exactly at the standard: within it",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = 117000,
     .roll = NO,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(4)",
     .assign_due = END(3),
     .text = "1170.00 yuan"},
    {.name = "declared income one fen over the standard: refused",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = 117001,
     .roll = NO,
     .outcome = REFUSED,
     .path = ABOVE,
     .article = LAW "art. 34",
     .text = "1170.01 yuan"},
    {.name = "declared income above the standard",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = 200000,
     .roll = NO,
     .outcome = REFUSED,
     .path = ABOVE,
     .article = LAW "art. 34",
     .text = "2000.00 yuan"},
    {.name = "above the standard despite a letter",
     .category = CIVIL,
     .scope_item = 2,
     .income_fen = 150000,
     .commitment = 1,
     .roll = NO,
     .outcome = REFUSED,
     .path = ABOVE,
     .article = LAW "art. 49",
     .text = "above the standard of 1170.00 yuan"},
    {.name = "1100 yuan under the 2022 standard: refused",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = 110000,
     .roll = NO,
     .received_at = R2025,
     .outcome = REFUSED,
     .path = ABOVE,
     .article = LAW "art. 34",
     .decision_due = R2025_END7,
     .text = "2022-01-01; income standard of 2022-01-01"},
    {.name = "1100 yuan under the 2025 standard: granted",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = 110000,
     .roll = NO,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 34",
     .assign_due = END(3),
     .text = "1100.00 yuan per head per month ≤"},
    {.name = "declared income, no standard configured",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = 90000,
     .roll = NO,
     .standards = "",
     .outcome = MATERIALS,
     .path = UNSETTLED,
     .article = LAW "art. 43(2)",
     .materials_due = END(15),
     .text = "no hardship standard"},

    /* The roll: unavailable never blocks; the credit bar. */
    {.name = "roll unavailable, nothing else",
     .category = CIVIL,
     .scope_item = 2,
     .income_fen = NO_INCOME,
     .roll = UNAVAILABLE,
     .outcome = MATERIALS,
     .path = UNSETTLED,
     .article = LAW "art. 43(2)",
     .materials_due = END(15),
     .text = "could not be consulted"},
    {.name = "roll unavailable, commitment letter",
     .category = CIVIL,
     .scope_item = 2,
     .income_fen = NO_INCOME,
     .commitment = 1,
     .roll = UNAVAILABLE,
     .outcome = PENDING,
     .path = COMMIT,
     .article = LAW "art. 41",
     .assign_due = END(3),
     .verification_due = END(30),
     .text = "unavailable never blocks"},
    {.name = "roll no, commitment within the standard",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = 80000,
     .commitment = 1,
     .roll = NO,
     .outcome = PENDING,
     .path = COMMIT,
     .article = LAW "art. 41",
     .assign_due = END(3),
     .verification_due = END(30),
     .text = "declaring 800.00 yuan"},
    {.name = "credit barred, commitment letter",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = NO_INCOME,
     .commitment = 1,
     .roll = NO,
     .barred = 1,
     .outcome = MATERIALS,
     .path = UNSETTLED,
     .article = LAW "art. 43(2)",
     .materials_due = END(15),
     .text = "虚假承诺"},
    {.name = "credit barred but on the roll",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = NO_INCOME,
     .commitment = 1,
     .roll = YES,
     .roll_status = DIBAO,
     .barred = 1,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 41",
     .assign_due = END(3),
     .text = "information sharing"},
    {.name = "near relative applies without proof of authority",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = NO_INCOME,
     .roll = NO,
     .role = LEGALAID__APPLICANT_ROLE__NEAR_RELATIVE,
     .id_number = NO_ID,
     .outcome = MATERIALS,
     .path = UNSETTLED,
     .article = LAW "art. 43(2)",
     .materials_due = END(15),
     .text = "代理权限证明"},

    /* Art. 44: emergency aid before the review ends. */
    {.name = "deadline in 3 days, commitment",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = NO_INCOME,
     .commitment = 1,
     .roll = NO,
     .limitation = T0 + 3 * DAY,
     .outcome = PENDING,
     .path = COMMIT,
     .article = LAW "art. 44",
     .emergency = 1,
     .assign_due = T0 + 3 * DAY,
     .verification_due = END(30),
     .text = "before the limitation"},
    {.name = "deadline in 5 days, materials missing",
     .category = CIVIL,
     .scope_item = 7,
     .income_fen = NO_INCOME,
     .roll = UNAVAILABLE,
     .limitation = T0 + 5 * DAY,
     .outcome = MATERIALS,
     .path = UNSETTLED,
     .article = LAW "art. 44",
     .emergency = 1,
     .assign_due = END(3),
     .materials_due = END(15),
     .text = "aid may start before the review"},
    {.name = "deadline already passed: no emergency",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = DIBAO,
     .limitation = T0 - DAY,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(4)",
     .assign_due = END(3),
     .text = "information sharing"},
    {.name = "deadline in 7 days: no emergency",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = DIBAO,
     .limitation = T0 + 7 * DAY,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(4)",
     .assign_due = END(3),
     .text = "not fewer than 7"},

    /* The green channel. */
    {.name = "veteran and military family",
     .category = CIVIL,
     .scope_item = 3,
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = DIBAO,
     .groups = {LEGALAID__SPECIAL_GROUP__VETERAN, LEGALAID__SPECIAL_GROUP__MILITARY_FAMILY},
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(3)",
     .green = 1,
     .assign_due = END(3),
     .text = "veteran, military family"},
    {.name = "64 at receipt: not yet elderly",
     .category = CIVIL,
     .scope_item = 4,
     .income_fen = NO_INCOME,
     .roll = YES,
     .roll_status = DIBAO,
     .id_number = ID_AGED_64,
     .outcome = APPROVED,
     .path = VERIFIED,
     .article = LAW "art. 31(4)",
     .assign_due = END(3),
     .text = "aged 64 at receipt"},
    {.name = "minor by the ID's birth date",
     .category = CIVIL,
     .scope_item = 4,
     .no_means = LEGALAID__NO_MEANS_GROUND__ABUSE_VICTIM,
     .income_fen = NO_INCOME,
     .id_number = ID_MINOR,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 43(1)",
     .green = 1,
     .assign_due = END(3),
     .text = "minor"},
    {.name = "18 on the day of receipt: not a minor",
     .category = CIVIL,
     .scope_item = 4,
     .no_means = LEGALAID__NO_MEANS_GROUND__ABUSE_VICTIM,
     .income_fen = NO_INCOME,
     .id_number = ID_AGED_18,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 43(1)",
     .assign_due = END(3),
     .text = "art. 32"},
    {.name = "18 the day after receipt: a minor",
     .category = CIVIL,
     .scope_item = 4,
     .no_means = LEGALAID__NO_MEANS_GROUND__ABUSE_VICTIM,
     .income_fen = NO_INCOME,
     .id_number = ID_AGED_17,
     .outcome = APPROVED,
     .path = NO_TEST,
     .article = LAW "art. 43(1)",
     .green = 1,
     .assign_due = END(3),
     .text = "minor"},
    {.name = "disabled person, left-behind child",
     .category = CIVIL,
     .scope_item = 6,
     .proof = LEGALAID__HARDSHIP_PROOF__NO_FIXED_INCOME,
     .income_fen = NO_INCOME,
     .groups = {LEGALAID__SPECIAL_GROUP__DISABLED, LEGALAID__SPECIAL_GROUP__LEFT_BEHIND_CHILD},
     .outcome = APPROVED,
     .path = PRESUMED,
     .article = LAW "art. 42(1)",
     .green = 1,
     .assign_due = END(3),
     .text = "person with a disability, left-behind child"},
};

#define N_SCENARIOS (sizeof scenarios / sizeof scenarios[0])

/* Every article the rules encode; each must be cited by some scenario. */
static const char *const required_articles[] = {
    LAW "art. 24",       LAW "art. 25(1)(1)", LAW "art. 25(1)(2)", LAW "art. 25(1)(3)",
    LAW "art. 25(1)(4)", LAW "art. 25(1)(5)", LAW "art. 25(1)(6)", LAW "art. 25(2)",
    LAW "art. 28",       LAW "art. 29",       LAW "art. 31(1)",    LAW "art. 31(2)",
    LAW "art. 31(3)",    LAW "art. 31(4)",    LAW "art. 31(5)",    LAW "art. 31(6)",
    LAW "art. 31(7)",    LAW "art. 31(8)",    LAW "art. 31(9)",    LAW "art. 32(1)",
    LAW "art. 32(2)",    LAW "art. 32(3)",    LAW "art. 32(4)",    LAW "art. 33",
    LAW "art. 34",       LAW "art. 36",       LAW "art. 41",       LAW "art. 42(1)",
    LAW "art. 42(2)",    LAW "art. 42(3)",    LAW "art. 43(1)",    LAW "art. 43(2)",
    LAW "art. 44",       LAW "art. 49",
};

/* An application, as intake would publish it, built from a row. */
typedef struct app_parts {
    Legalaid__Application app;
    Legalaid__Person person;
    Legalaid__Authority authority;
    Legalaid__SpecialGroup groups[2];
} app_parts_t;

static void app_from_row(app_parts_t *p, const scenario_t *s)
{
    legalaid__application__init(&p->app);
    legalaid__person__init(&p->person);
    legalaid__authority__init(&p->authority);
    p->person.name = "王建国";
    p->person.phone = "13904721234";
    const char *id = s->id_number ? s->id_number : ID_ADULT;
    p->person.id_number = id[0] ? (char *)id : NULL;
    p->app.case_id = "BT-2026-000100";
    p->app.centre = "BT";
    p->app.applicant = &p->person;
    p->app.has_channel = 1;
    p->app.channel = s->channel ? s->channel : LEGALAID__CHANNEL__WINDOW;
    p->app.has_category = 1;
    p->app.category = s->category;
    p->app.matter = (char *)(s->matter ? s->matter : "事项说明");
    p->app.has_received_at = 1;
    p->app.received_at = s->received_at ? s->received_at : T0;
    if (s->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE) {
        p->app.has_ground = 1;
        p->app.ground = s->ground;
        p->authority.has_kind = 1;
        p->authority.kind = LEGALAID__AUTHORITY_KIND__COURT;
        p->authority.name = "包头市昆都仑区人民法院";
        p->app.authority = &p->authority;
    }
    if (s->scope_item) p->app.has_scope_item = 1, p->app.scope_item = s->scope_item;
    if (s->no_means) p->app.has_no_means_ground = 1, p->app.no_means_ground = s->no_means;
    if (s->proof) p->app.has_hardship_proof = 1, p->app.hardship_proof = s->proof;
    if (s->income_fen != NO_INCOME)
        p->app.has_household_income_fen = 1, p->app.household_income_fen = s->income_fen;
    if (s->commitment) p->app.has_commitment_signed = 1, p->app.commitment_signed = 1;
    if (s->retrial) p->app.has_retrial = 1, p->app.retrial = 1;
    if (s->limitation)
        p->app.has_limitation_deadline = 1, p->app.limitation_deadline = s->limitation;
    if (s->role) p->app.has_applicant_role = 1, p->app.applicant_role = s->role;
    for (size_t i = 0; i < 2 && s->groups[i]; i++) p->groups[p->app.n_groups++] = s->groups[i];
    p->app.groups = p->groups;
}

static const Legalaid__DecisionTest *test_named(const Legalaid__Decision *d, const char *name)
{
    for (size_t i = 0; i < d->n_tests; i++)
        if (!strcmp(d->tests[i]->name, name)) return d->tests[i];
    return NULL;
}

/* Whether text appears anywhere a person reads the decision. */
static int decision_says(const Legalaid__Decision *d, const char *text)
{
    if (d->reason && strstr(d->reason, text)) return 1;
    if (d->objection_route && strstr(d->objection_route, text)) return 1;
    if (d->rule_version && strstr(d->rule_version, text)) return 1;
    for (size_t i = 0; i < d->n_tests; i++)
        if (strstr(d->tests[i]->detail, text)) return 1;
    for (size_t i = 0; i < d->n_missing_materials; i++)
        if (strstr(d->missing_materials[i], text)) return 1;
    return 0;
}

static void check_row(const scenario_t *s, const Legalaid__Decision *d)
{
    print_message("scenario: %s\n", s->name);
    int notice = s->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    assert_true(d->has_outcome);
    assert_int_equal(d->outcome, s->outcome);
    assert_int_equal(d->means_path, s->path);
    if (!test_cites(d, s->article)) fail_msg("%s: does not cite %s", s->name, s->article);
    for (size_t i = 0; i < d->n_articles; i++)
        assert_memory_equal(d->articles[i], LAW "art. ", strlen(LAW "art. "));
    assert_int_equal(!!d->lawyer_required, s->lawyer);
    assert_non_null(d->reason);
    if (!decision_says(d, s->text))
        fail_msg("%s: the decision never says \"%s\"", s->name, s->text);

    /* Every test explains itself; scope and deadline are always applied,
     * means whenever the matter is in scope. */
    assert_true(d->n_tests >= 2);
    for (size_t i = 0; i < d->n_tests; i++) {
        assert_non_null(d->tests[i]->name);
        assert_true(d->tests[i]->has_passed);
        assert_true(strlen(d->tests[i]->detail) > 20);
    }
    assert_non_null(test_named(d, "scope"));
    assert_non_null(test_named(d, "deadline"));
    if (s->path != NONE) assert_non_null(test_named(d, "means"));
    /* As an officer signs it: the scope article and the article of the
     * means test that settled the path are both cited; a refusal on the
     * declared income names the income found above the standard, never
     * materials awaited. */
    const Legalaid__DecisionTest *scope = NULL, *means = NULL;
    for (size_t i = 0; i < d->n_tests; i++) {
        if (!strcmp(d->tests[i]->name, "scope") && d->tests[i]->passed) scope = d->tests[i];
        if (!strcmp(d->tests[i]->name, "means")) means = d->tests[i];
    }
    if (scope && !test_cites(d, scope->article))
        fail_msg("%s: scope applied under %s, not cited", s->name, scope->article);
    if (means && !test_cites(d, means->article))
        fail_msg("%s: means settled under %s, not cited", s->name, means->article);
    if (s->path == ABOVE) {
        assert_int_equal(d->outcome, REFUSED);
        assert_false(means->passed);
        assert_string_equal(means->article, LAW "art. 34");
        assert_non_null(strstr(means->detail, "is above the hardship standard"));
        assert_true(test_cites(d, LAW "art. 34"));
        assert_int_equal(d->n_missing_materials, 0);
    }
    if (s->path == UNSETTLED) assert_int_equal(d->outcome, MATERIALS);
    if (s->outcome == APPROVED || s->outcome == PENDING) {
        for (size_t i = 0; i < d->n_tests; i++)
            if (!strcmp(d->tests[i]->name, "scope") || !strcmp(d->tests[i]->name, "deadline"))
                assert_true(d->tests[i]->passed);
    }
    if (s->commitment && !notice && s->outcome != REFUSED && s->roll != YES)
        assert_non_null(test_named(d, "credit"));

    /* Priority. A refusal carries none. */
    const Legalaid__Priority *p = d->priority;
    assert_int_equal(p ? !!p->green_channel : 0, s->green);
    assert_int_equal(p ? !!p->emergency : 0, s->emergency);
    assert_int_equal(p ? !!p->same_day : 0, s->same_day);
    if (s->emergency) assert_int_equal(p->emergency_deadline, s->limitation);
    if (s->outcome == REFUSED) assert_null(p);

    /* Deadlines, to the millisecond. */
    assert_true(d->has_decision_due_at);
    assert_int_equal(d->decision_due_at, s->decision_due ? s->decision_due : END(7));
    assert_int_equal(d->has_assign_due_at, s->assign_due != 0);
    if (s->assign_due) assert_int_equal(d->assign_due_at, s->assign_due);
    assert_int_equal(d->has_materials_due_at, s->materials_due != 0);
    if (s->materials_due) assert_int_equal(d->materials_due_at, s->materials_due);
    assert_int_equal(d->has_verification_due_at, s->verification_due != 0);
    if (s->verification_due) {
        assert_int_equal(d->verification_due_at, s->verification_due);
        assert_int_equal(!!d->verification_drawn, s->drawn);
    }

    /* A refusal names the objection route (art. 49); materials awaited are
     * listed once, in Chinese, for the applicant. */
    if (s->outcome == REFUSED) {
        assert_non_null(d->objection_route);
        assert_non_null(strstr(d->objection_route, "包头市司法局"));
        assert_non_null(strstr(d->objection_route, "Legal Aid Law art. 49"));
        assert_true(test_cites(d, LAW "art. 49"));
        assert_true(test_cites(d, LAW "art. 43(1)"));
    } else {
        assert_null(d->objection_route);
    }
    if (s->outcome == MATERIALS) {
        assert_true(d->n_missing_materials >= 1);
        assert_non_null(strstr(d->missing_materials[0], "经济困难状况说明表"));
        assert_non_null(strstr(d->missing_materials[0], "《法律援助法》第41条"));
        assert_true(test_cites(d, LAW "art. 43(2)"));
    } else {
        assert_int_equal(d->n_missing_materials, 0);
    }
}

static void test_scenarios(void **state)
{
    (void)state;
    clock_set_utc_offset(480);
    assert_true(N_SCENARIOS >= 40);
    size_t n_req = sizeof required_articles / sizeof required_articles[0];
    int covered[sizeof required_articles / sizeof required_articles[0]] = {0};
    for (size_t i = 0; i < N_SCENARIOS; i++) {
        const scenario_t *s = &scenarios[i];
        eligibility_config_t cfg = config_default();
        if (s->file_days) cfg.objection_file_days = s->file_days;
        if (s->standards) cfg.income_standards = (char *)s->standards;
        app_parts_t p;
        app_from_row(&p, s);
        eligibility_facts_t facts = {s->roll ? s->roll : LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE,
                                     s->roll_status,
                                     s->barred,
                                     s->drawn,
                                     0,
                                     NULL,
                                     0,
                                     0};
        assert_null(eligibility_decision_application_problem(&p.app));
        arena_t arena;
        arena_init(&arena);
        Legalaid__Decision d;
        legalaid__decision__init(&d);
        eligibility_rules_decide(&p.app, &facts, &cfg, s->now ? s->now : p.app.received_at, &arena,
                                 &d);
        decisiontext_fill(&arena, &d); /* worded as a reader is shown it */
        check_row(s, &d);
        /* The decision survives the wire as it is stored and published. */
        size_t len = legalaid__decision__get_packed_size(&d);
        uint8_t *buf = malloc(len);
        legalaid__decision__pack(&d, buf);
        Legalaid__Decision *back = legalaid__decision__unpack(NULL, len, buf);
        assert_non_null(back);
        assert_int_equal(back->n_tests, d.n_tests);
        legalaid__decision__free_unpacked(back, NULL);
        free(buf);
        for (size_t k = 0; k < n_req; k++)
            if (test_cites(&d, required_articles[k])) covered[k] = 1;
        arena_destroy(&arena);
    }
    for (size_t k = 0; k < n_req; k++)
        if (!covered[k]) fail_msg("no scenario cites %s", required_articles[k]);
}

/* The first rule set's notice texts are kept: two articles, the ground and
 * the authority named in the reason. */
static void test_notice_keeps_its_texts(void **state)
{
    (void)state;
    clock_set_utc_offset(480);
    eligibility_config_t cfg = config_default();
    app_parts_t p;
    app_from_row(&p, &scenarios[0]);
    eligibility_facts_t facts = {LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE, 0, 0, 0, 0, NULL, 0, 0};
    arena_t arena;
    arena_init(&arena);
    Legalaid__Decision d;
    legalaid__decision__init(&d);
    eligibility_rules_decide(&p.app, &facts, &cfg, T0, &arena, &d);
    decisiontext_fill(&arena, &d); /* worded as a reader is shown it */
    assert_int_equal(d.n_articles, 2);
    assert_string_equal(d.articles[0], LAW "art. 25(1)(1)");
    assert_string_equal(d.articles[1], LAW "art. 36");
    assert_non_null(strstr(d.reason, "notified by the court 包头市昆都仑区人民法院"));
    assert_non_null(strstr(d.reason, "has no defender"));
    assert_non_null(strstr(d.reason, "2026-03-05 24:00"));
    assert_string_equal(d.rule_version, "2022-01-01");
    assert_false(d.has_roll_answer);
    arena_destroy(&arena);
}

static void test_application_problem(void **state)
{
    (void)state;
    app_parts_t p;
    app_from_row(&p, &scenarios[7]); /* discretionary notice */
    assert_null(eligibility_decision_application_problem(&p.app));
    p.app.ground = (Legalaid__MandatoryGround)9;
    assert_non_null(strstr(eligibility_decision_application_problem(&p.app), "art. 25(2)"));
    p.app.has_ground = 0;
    assert_non_null(eligibility_decision_application_problem(&p.app));
    p.app.has_received_at = 0;
    assert_non_null(strstr(eligibility_decision_application_problem(&p.app), "art. 43(1)"));
}

static void test_income_standard_by_date(void **state)
{
    (void)state;
    clock_set_utc_offset(480);
    int64_t fen = 0;
    char effective[11];
    size_t bad = 0;
    const char *std = "2022-01-01:1000,2025-07-01:1170.5, 2027-01-01:1400";
    assert_int_equal(eligibility_means_income_standard_at(std, T0, &fen, effective, &bad), 1);
    assert_int_equal(fen, 117050);
    assert_string_equal(effective, "2025-07-01");
    assert_int_equal(eligibility_means_income_standard_at(std, R2025, &fen, effective, &bad), 1);
    assert_int_equal(fen, 100000);
    assert_string_equal(effective, "2022-01-01");
    /* 2025-07-01 00:30 Beijing time is still 06-30 in UTC: the local day counts. */
    assert_int_equal(
        eligibility_means_income_standard_at(std, 1751301000000LL, &fen, effective, &bad), 1);
    assert_string_equal(effective, "2025-07-01");
    /* Order of entries does not matter. */
    assert_int_equal(eligibility_means_income_standard_at("2025-07-01:1170,2022-01-01:1000", T0,
                                                          &fen, effective, &bad),
                     1);
    assert_int_equal(fen, 117000);
    assert_int_equal(eligibility_means_income_standard_at("", T0, &fen, effective, &bad), 0);
    assert_int_equal(
        eligibility_means_income_standard_at("2027-01-01:1", T0, &fen, effective, &bad), 0);
    assert_int_equal(eligibility_means_income_standard_at("2022-01-01:1000,2025-7-1:1170", T0, &fen,
                                                          effective, &bad),
                     -1);
    assert_int_equal(bad, 16);
    assert_int_equal(
        eligibility_means_income_standard_at("2022-01-01:abc", T0, &fen, effective, &bad), -1);
    assert_int_equal(bad, 0);
}

static void test_age_from_resident_id(void **state)
{
    (void)state;
    clock_set_utc_offset(480);
    assert_int_equal(eligibility_priority_age(ID_AGED_65, T0), 65);
    assert_int_equal(eligibility_priority_age(ID_AGED_64, T0), 64);
    assert_int_equal(eligibility_priority_age(ID_MINOR, T0), 13);
    assert_int_equal(eligibility_priority_age(ID_AGED_18, T0), 18);
    assert_int_equal(eligibility_priority_age(ID_AGED_17, T0), 17);
    assert_int_equal(eligibility_priority_age("1502031961", T0), -1);
    assert_int_equal(eligibility_priority_age("150203196113020017", T0), -1);
    assert_int_equal(eligibility_priority_age(NULL, T0), -1);
}

/* The draw of commitment letters for the check afterwards (art. 41): of
 * the 10,000 possible draws none is drawn at 0 %, all at 100 %, exactly
 * one in ten at the shipped share. (That the draw is random and kept is
 * test-eligibility-verify's.) */
static void test_verification_draw_share(void **state)
{
    (void)state;
    eligibility_config_t shipped = config_default();
    assert_int_equal(shipped.verification_share_percent, 10);
    int none = 0, all = 0, some = 0;
    for (uint32_t draw = 0; draw < 10000; draw++) {
        none += eligibility_case_drawn(draw, 0);
        all += eligibility_case_drawn(draw, 100);
        some += eligibility_case_drawn(draw, shipped.verification_share_percent);
    }
    assert_int_equal(none, 0);
    assert_int_equal(all, 10000);
    assert_int_equal(some, 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenarios),
        cmocka_unit_test(test_notice_keeps_its_texts),
        cmocka_unit_test(test_application_problem),
        cmocka_unit_test(test_income_standard_by_date),
        cmocka_unit_test(test_age_from_resident_id),
        cmocka_unit_test(test_verification_draw_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
