/*
 * decisiontext_table.c - each code of eligibility's explanations with its
 * format, the params by position (see decisiontext.h). A code is stable
 * once stored: change its words here and in po/zh_CN/, never its meaning
 * or its params; a new finding gets a new code. Codes that are params of
 * others ("ground.minor", "item31.5") take none of their own.
 */
#include "decisiontext_table.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

static const struct {
    const char *code, *format;
} decisiontext_table[] = {
    {"text", N_("%s")},
    {"route.within",
     N_("objection to %s within %s days of receiving this decision (Legal Aid Law art. "
        "49); the bureau decides within %s days")},
    {"route.no_limit",
     N_("objection to %s (Legal Aid Law art. 49); no time limit for filing is stated; "
        "the bureau decides within %s days")},
    {"ground.minor", N_("is a minor")},
    {"ground.blind_deaf_mute", N_("is blind, deaf or mute")},
    {"ground.mental_capacity", N_("cannot fully understand or control their own conduct")},
    {"ground.life_or_death", N_("may be sentenced to life imprisonment or death")},
    {"ground.death_review", N_("is a defendant in a death-sentence review who applied")},
    {"ground.absentia", N_("is tried in absentia")},
    {"ground.compulsory_treatment", N_("is the respondent in a compulsory medical treatment case")},
    {"ground.discretionary",
     N_("is a defendant in a criminal case the court chose to notify for (art. 25(2))")},
    {"ground.other", N_("falls under a mandatory ground")},
    {"authority.other", N_("the authority")},
    {"authority.court", N_("the court")},
    {"authority.procuratorate", N_("the procuratorate")},
    {"authority.police", N_("the police")},
    {"role.agent", N_("agent")},
    {"role.defender", N_("defender")},
    {"role.agent_art28", N_("agent (art. 28)")},
    {"role.defender_art25", N_("defender (art. 25(1))")},
    {"reason.notice", N_("notified by %s%s%s: the person %s and has no %s; a lawyer is appointed "
                         "without any means test and must be named to %s by %s")},
    {"scope.notice_discretionary",
     N_("%s notified under art. 25(2): in a criminal case outside art. 25(1) the court "
        "may notify, and chose to")},
    {"scope.notice", N_("%s notified that the person %s and has no %s")},
    {"means.notice", N_("no means test: the appointment follows the authority's notice, not the "
                        "person's economic situation")},
    {"deadline.notice_discretionary",
     N_("a lawyer to be appointed and named to the court by %s: %s days from the "
        "notice, the period art. 36 sets for notices")},
    {"deadline.notice",
     N_("a lawyer to be appointed and named to %s by %s: %s days from the notice (art. "
        "36)")},
    {"deadline.refusal", N_("refusal notified in writing with its reasons, due by %s (%s days from "
                            "receipt, art. 43(1)); %s")},
    {"reason.with_route", N_("%s; %s")},
    {"basis.decision", N_("%s days from the decision (art. 43(1))")},
    {"basis.same_day", N_("the end of the day of application, the same-day goal")},
    {"basis.same_day_missed",
     N_("%s days from the decision (art. 43(1)); the same-day goal was missed, the "
        "decision coming after the day of application")},
    {"basis.art44", N_("before the limitation period or deadline expires (art. 44)")},
    {"period.kept", N_("the deadline of the earlier notice, kept: one notice, one deadline")},
    {"period.days", N_("%s days from this notice")},
    {"reason.materials",
     N_("%s; the missing materials are to be supplied by %s or the application is "
        "deemed withdrawn (art. 43(2)); the decision is due by %s%s%s")},
    {"reason.emergency_start",
     N_("; the deadline being near, aid may start before the review ends (art. 44), a "
        "lawyer by ")},
    {"deadline.materials",
     N_("decision due by %s (%s days from receipt, art. 43(1)); materials by %s (%s, "
        "art. 43(2))%s%s")},
    {"deadline.emergency_lawyer", N_("; emergency aid, a lawyer by ")},
    {"reason.assign", N_("%s; a lawyer is to be assigned by %s")},
    {"deadline.assign", N_("decision due by %s (%s days from receipt, art. 43(1)); a lawyer to be "
                           "assigned by %s: %s")},
    {"clock.paused", N_("the decision clock stood still %s days while the missing materials were "
                        "awaited, so the decision is due %s days after receipt")},
    {"reason.refused", N_("aid is refused: %s")},
    {"kind.civil", N_("civil")},
    {"kind.administrative", N_("administrative")},
    {"item31.1", N_("a claim for state compensation")},
    {"item31.2", N_("social insurance benefits or social assistance")},
    {"item31.3", N_("a pension for the disabled or survivors (抚恤金)")},
    {"item31.4", N_("maintenance for parents, children or a spouse (赡养费, 抚养费, 扶养费)")},
    {"item31.5", N_("confirming a labour relation or claiming labour remuneration")},
    {"item31.6", N_("declaring a person without or with limited civil capacity")},
    {"item31.7", N_("damages for personal injury from a work injury, a traffic, food or drug "
                    "safety or medical accident")},
    {"item31.8", N_("damages for environmental pollution or ecological damage")},
    {"item31.9", N_("another matter added by laws, regulations or rules")},
    {"item32.1",
     N_("a near relative of a hero or martyr protecting the martyr's personality rights")},
    {"item32.2",
     N_("a person who acted bravely for a just cause (见义勇为) claiming civil rights")},
    {"item32.3", N_("a person acquitted on retrial claiming state compensation")},
    {"item32.4", N_("a victim of abuse, abandonment or domestic violence")},
    {"scope.art31", N_("%s matter within art. 31(%s): %s")},
    {"scope.art31_added",
     N_("%s matter within art. 31(9): \"%s\" is a matter the region adds to the art. "
        "31 list (configuration art31_additions)")},
    {"scope.art32", N_("%s matter of %s: covered by art. 32(%s)")},
    {"outside.not_added",
     N_("the matter (\"%s\") is none of the matters the region adds under art. 31(9) "
        "(%s)")},
    {"outside.not_described", N_("not described")},
    {"outside.none_added",
     N_("art. 31(9) was claimed but the region adds no matters under it (configuration "
        "art31_additions is empty)")},
    {"outside.no_item", N_("art. 31 has no item %s")},
    {"outside.no_item_named",
     N_("the application names no item of art. 31 the matter falls under")},
    {"scope.outside_civil",
     N_("%s matter outside the scope of legal aid: %s; civil and administrative aid "
        "covers only the matters of art. 31 (and art. 32)")},
    {"scope.retrial",
     N_("a retrial decided by the court or a protest lodged by the procuratorate (art. "
        "33), and the party has no lawyer")},
    {"scope.state_compensation", N_("state compensation claim within art. 31(1)")},
    {"scope.labour_arbitration",
     N_("labour arbitration within art. 31(5): confirming a labour relation or "
        "claiming labour remuneration")},
    {"scope.victim",
     N_("the victim's side of a criminal case (art. 29): victim, private prosecutor or "
        "plaintiff in the incidental civil action")},
    {"scope.death_review",
     N_("a defendant in a death-penalty review (死刑复核) applies for a defence lawyer and "
        "has no defender (art. 25(1)(5))")},
    {"means.death_review",
     N_("no economic condition applies to a defendant in a death-penalty review who "
        "applies (art. 25(1)(5))")},
    {"reason.death_review",
     N_("aid is granted without any means test: the defendant in a death-penalty "
        "review applied and has no defender (art. 25(1)(5))")},
    {"scope.defence",
     N_("criminal defence on application (art. 24): the suspect or defendant has no "
        "defender")},
    {"scope.compulsory",
     N_("respondent in a compulsory medical treatment case without an agent (art. 28)")},
    {"means.compulsory",
     N_("no economic condition applies to the respondent in a compulsory medical "
        "treatment case (art. 28)")},
    {"reason.compulsory",
     N_("aid is granted without any means test: the respondent in a compulsory medical "
        "treatment case has no agent (art. 28)")},
    {"scope.no_category",
     N_("the application names no kind of matter, so no article of the Legal Aid Law "
        "can be found for it")},
    {"money.yuan", N_("%s.%s yuan")},
    {"who32.1",
     N_("a near relative of a hero or martyr protecting the martyr's personality rights")},
    {"who32.2", N_("a person who acted bravely for a just cause (见义勇为)")},
    {"who32.3", N_("a person acquitted on retrial claiming state compensation")},
    {"who32.4", N_("a victim of abuse, abandonment or domestic violence")},
    {"means.art32", N_("no economic condition applies: the applicant is %s (art. 32(%s))")},
    {"reason.art32", N_("aid is granted without any means test: the applicant is %s")},
    {"status42.no_fixed_income",
     N_("a minor, elderly or disabled person without a fixed source of income")},
    {"status42.social_assistance", N_("a recipient of social assistance (低保, 特困 ...)")},
    {"status42.judicial_assistance", N_("a recipient of judicial assistance (司法救助)")},
    {"status42.special_care", N_("a recipient of special care for servicemen's families (优抚)")},
    {"status42.migrant_wages_or_injury",
     N_("a migrant worker claiming labour remuneration or work-injury damages")},
    {"means.art42_3_other_matter",
     N_("proof of migrant-worker status was given, but art. 42(3) presumes hardship "
        "only for claims of labour remuneration or work-injury damages, and this "
        "matter is neither")},
    {"means.presumed",
     N_("hardship presumed without a means check: proof shows the applicant is %s "
        "(art. 42(%s))")},
    {"reason.presumed",
     N_("aid is granted: economic hardship is presumed, the applicant having proved "
        "being %s")},
    {"rollstatus.dibao", N_("a minimum living allowance household (低保)")},
    {"rollstatus.tekun", N_("a person in extreme poverty (特困)")},
    {"rollstatus.low_income", N_("a low-income household (低保边缘/低收入)")},
    {"rollstatus.other", N_("a recipient of social assistance")},
    {"roll.listed",
     N_("the civil-affairs assistance roll lists the applicant as %s: hardship "
        "verified by information sharing (art. 41), a recipient of social assistance "
        "(art. 42(2))")},
    {"means.roll", N_("economic hardship verified by the civil-affairs roll (information sharing, "
                      "art. 41): no certificate is asked for")},
    {"reason.roll",
     N_("aid is granted: the civil-affairs roll lists the applicant as %s, so economic "
        "hardship is verified")},
    {"roll.not_listed",
     N_("the civil-affairs assistance roll does not list the applicant (art. 41)")},
    {"roll.unavailable",
     N_("the civil-affairs assistance roll could not be consulted (no current export); "
        "unavailable never blocks: the commitment route is open (art. 41)")},
    {"means.above", N_("declared household income %s per head per month is above the hardship "
                       "standard of %s in force since %s (art. 34)")},
    {"reason.above", N_("aid is refused: the applicant is not in economic hardship, the declared "
                        "household income of %s per head per month being above the standard of %s "
                        "(art. 34)")},
    {"means.no_standard",
     N_("household income of %s was declared, but no hardship standard is in force on "
        "the day of receipt (art. 34; income_standards sets none): the declared income "
        "cannot settle it")},
    {"means.standard_malformed",
     N_("household income of %s was declared, but the configured income_standards is "
        "malformed at byte %s: the declared income cannot settle it")},
    {"credit.barred",
     N_("a past false commitment bars the commitment route until the applicant's "
        "credit is repaired (R-ECON-07(h)): the letter cannot settle the condition")},
    {"credit.open",
     N_("no false commitment on record: the commitment route is open (R-ECON-07(h))")},
    {"means.commitment",
     N_("the applicant signed the commitment letter on economic hardship%s%s%s; %s by "
        "%s (art. 41)")},
    {"means.declaring", N_(", declaring ")},
    {"means.per_head", N_(" per head per month")},
    {"means.drawn", N_("drawn for the check afterwards, due")},
    {"means.not_drawn", N_("not drawn for the check afterwards; the period for checking ends")},
    {"reason.commitment",
     N_("the applicant signed the commitment letter on economic hardship; aid is "
        "granted and the statement is to be verified by %s")},
    {"means.within",
     N_("declared household income %s per head per month ≤ the hardship standard of %s "
        "in force since %s (art. 34)")},
    {"reason.within",
     N_("aid is granted on the applicant's statement: declared household income of %s "
        "per head per month is within the standard of %s")},
    {"means.not_settled_barred",
     N_("the economic condition is not settled: the roll does not show hardship and "
        "the commitment route is barred; the hardship statement with supporting "
        "documents is required")},
    {"means.not_settled",
     N_("the economic condition is not settled: neither the roll, an art. 32 or 42 "
        "ground, a declared income within the standard nor a commitment letter shows "
        "hardship")},
    {"reason.not_settled",
     N_("the economic condition is not settled%s; %s; the applicant is told once of "
        "everything missing")},
    {"reason.roll_unavailable",
     N_(": the civil-affairs roll could not be consulted, which never blocks an "
        "application")},
    {"reason.roll_not_listed", N_(": the civil-affairs roll does not list the applicant")},
    {"reason.commitment_barred",
     N_("the commitment route is barred by a past false commitment (R-ECON-07(h)), so "
        "a hardship statement with supporting documents is required")},
    {"reason.commitment_open",
     N_("the applicant may supply a statement of economic hardship or sign the "
        "commitment letter instead (art. 41)")},
    {"group.list", N_("%s, %s")},
    {"group.migrant_worker", N_("migrant worker")},
    {"group.elderly", N_("elderly")},
    {"group.disabled", N_("person with a disability")},
    {"group.minor", N_("minor")},
    {"group.left_behind_woman", N_("left-behind woman")},
    {"group.left_behind_child", N_("left-behind child")},
    {"group.military_family", N_("military family")},
    {"group.veteran", N_("veteran")},
    {"green.aged", N_("; aged %s at receipt")},
    {"green.none", N_("no green-channel group (migrant workers, the elderly from %s, people with "
                      "disabilities, minors, left-behind women and children, military families, "
                      "veterans)%s")},
    {"green.groups",
     N_("green channel: priority review, acceptance and assignment for: %s%s (DOMAIN "
        "R-PRIO-02..07; the elderly from %s as configured)")},
    {"emergency.passed", N_("the limitation period or deadline (%s) had passed before receipt: no "
                            "emergency aid can save it")},
    {"emergency.near",
     N_("the limitation period or deadline (%s) is %s day(s) after receipt, fewer than "
        "%s: aid may start before the review ends (art. 44(1)), the applicant "
        "completing the formalities afterwards")},
    {"emergency.far",
     N_("the limitation period or deadline (%s) is %s days after receipt, not fewer "
        "than %s: no emergency (art. 44(1))")},
    {"emergency.none", N_("no limitation period or deadline was stated (art. 44(1))")},
    {"same_day.yes",
     N_("the matter is of a kind configured as simple (same_day_categories): \"five "
        "same-day\" fast track, applied, accepted, approved, assigned and aided on the "
        "day of application (DOMAIN R-PRIO-08)")},
    {"same_day.no", N_("the matter is not of a kind on the \"five same-day\" fast track "
                       "(same_day_categories)")},
    {"means.set_aside",
     N_("the economic condition is not settled: the finding the justice bureau set "
        "aside no longer counts, and the materials that settle it are awaited")},
    {"reason.materials_still_awaited",
     N_("%s; what was supplied does not yet settle it: the materials the notice asked "
        "for are still awaited, by %s (art. 43(2)); no refusal on the ground set aside")},
    {"reason.reopened",
     N_("%s; the review is reopened: applied again, the rules do not yet grant aid, so "
        "the applicant is asked once for the materials that settle it, by %s (art. "
        "43(2)), instead of a refusal on the ground set aside")},
    {"reason.decided_again", N_("%s; decided again: %s")},
    {"art48.deception", N_("aid was obtained by deception or other improper means (art. 48(1))")},
    {"art48.concealment",
     N_("important facts were concealed on purpose or false evidence was given (art. "
        "48(2))")},
    {"art48.unlawful_use", N_("the aid was used for an unlawful activity (art. 48(3))")},
    {"art48.means_changed",
     N_("the recipient's economic situation changed and no longer qualifies (art. "
        "48(4))")},
    {"art48.matter_ended", N_("the case ended or was withdrawn (art. 48(5))")},
    {"art48.own_counsel", N_("the recipient retained their own lawyer or agent (art. 48(6))")},
    {"art48.recipient_request", N_("the recipient asked to stop for a good reason (art. 48(7))")},
    {"art48.other_law", N_("a ground in other laws or regulations (art. 48(8))")},
    {"art48.other", N_("a ground of art. 48")},
    {"termination.no_detail", N_("no detail given")},
    {"termination.by_centre", N_("aid terminated by the centre: %s: %s")},
    {"reason.terminated", N_("aid is terminated: %s (%s); %s")},
    {"withdrawal.no_reason", N_("no reason given")},
    {"reason.withdrawn_after_grant",
     N_("the recipient withdrew the application after aid was granted (%s): aid ends "
        "at the recipient's request (art. 48(7))")},
    {"reason.withdrawn_before_decision",
     N_("the applicant withdrew the application before it was decided (%s): the review "
        "ends")},
    {"withdrawal.by_applicant", N_("withdrawn by the applicant: %s")},
    {"reason.deemed_withdrawn",
     N_("the missing materials were not supplied by %s: the application is deemed "
        "withdrawn (art. 43(2)); the applicant may apply again")},
    {"materials.not_supplied", N_("%s item(s) asked for in one notice, not supplied by %s")},
    {"verification.by", N_(" (verified by %s)")},
    {"verification.false",
     N_("the commitment on economic hardship was checked%s and found false: %s")},
    {"reason.false_terminated",
     N_("aid is terminated: the commitment on economic hardship was found false on "
        "verification (%s), the aid having been obtained on a false statement (art. "
        "48(2)); the cost of the aid may be recovered with a fine of up to 3,000 yuan "
        "(art. 64); the commitment route is barred next time; %s")},
    {"reason.false_refused",
     N_("aid is refused: the commitment on economic hardship was found false on "
        "verification (%s); the commitment route is barred next time; %s")},
    {"verification.truthful",
     N_("the commitment on economic hardship was checked%s and found truthful: %s")},
    {"reason.truthful",
     N_("%s; the commitment on economic hardship was checked%s and found truthful "
        "(%s): the economic condition is verified (art. 41)%s")},
    {"verification.aid_stands", N_(" and aid stands")},
    {"reason.history", N_("原系统记录的决定（历史数据，未按现行规则重新审查）%s%s")},
    {"history.recorded", N_("recorded by the previous system as %s (%s)")},
};
#define DECISIONTEXT_TABLE_N (sizeof decisiontext_table / sizeof decisiontext_table[0])

const char *decisiontext_table_code(size_t i)
{
    return i < DECISIONTEXT_TABLE_N ? decisiontext_table[i].code : NULL;
}

/* The table's rows by code, sorted once: a decision words sixty codes and
 * more, and a scan of every row for each made the lookup eligibility's
 * largest cost of its own (7 % of its CPU in a profile, all in strcmp). */
static unsigned short decisiontext_sorted[DECISIONTEXT_TABLE_N];
static pthread_once_t decisiontext_sorted_once = PTHREAD_ONCE_INIT;

static int decisiontext_row_cmp(const void *a, const void *b)
{
    return strcmp(decisiontext_table[*(const unsigned short *)a].code,
                  decisiontext_table[*(const unsigned short *)b].code);
}

static void decisiontext_sort(void)
{
    for (size_t i = 0; i < DECISIONTEXT_TABLE_N; i++) decisiontext_sorted[i] = (unsigned short)i;
    qsort(decisiontext_sorted, DECISIONTEXT_TABLE_N, sizeof decisiontext_sorted[0],
          decisiontext_row_cmp);
}

const char *decisiontext_table_format(const char *code)
{
    pthread_once(&decisiontext_sorted_once, decisiontext_sort);
    size_t lo = 0, hi = DECISIONTEXT_TABLE_N;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(decisiontext_table[decisiontext_sorted[mid]].code, code);
        if (c == 0) return decisiontext_table[decisiontext_sorted[mid]].format;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
