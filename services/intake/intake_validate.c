/*
 * intake_validate.c - the rules an application, a consultation and a
 * supply of materials must meet before intake takes them
 * (intake_validate.h); persons and documents are checked in
 * intake_person.c.
 */
#include "intake_validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "clock.h"
#include "la_limits.h"
#include "i18n.h"

/* The limits are la_limits.h's: legalaidctl checks a line against the same. */
#define MATTER_MAX_BYTES LA_MATTER_MAX
#define STATION_MAX_BYTES LA_DESK_MAX
#define FACILITY_MAX_BYTES LA_FACILITY_MAX
#define RELATIONSHIP_MAX_BYTES LA_RELATIONSHIP_MAX
#define PROOF_MAX_BYTES LA_PROOF_MAX
#define PARTY_MAX_BYTES LA_PARTY_MAX
#define TOPIC_MAX_BYTES LA_TOPIC_MAX
#define PERSON_NAME_MAX_BYTES LA_PERSON_NAME_MAX
#define COUNTY_MAX_BYTES LA_COUNTY_MAX
#define CO_DEFENDANTS_MAX LA_CO_DEFENDANTS_MAX
#define RELATED_CASES_MAX LA_RELATED_CASES_MAX
#define CASE_REFERENCE_MAX_BYTES LA_CASE_REFERENCE_MAX
#define AUTHORITY_NAME_MAX_BYTES LA_AUTHORITY_NAME_MAX

/* Each check refuses with one of these: *pb names the field (the request's
 * part, then suffix: ".proxy.relationship") and says what is wrong; they
 * return -1, which the check returns at once. */
static int fail_application(intake_problem_t *pb, const char *suffix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_consultation(intake_problem_t *pb, const char *suffix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_supply(intake_problem_t *pb, const char *suffix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_application(intake_problem_t *pb, const char *suffix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    intake_problem_vset(pb, "application", suffix, fmt, ap);
    va_end(ap);
    return -1;
}

static int fail_consultation(intake_problem_t *pb, const char *suffix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    intake_problem_vset(pb, "consultation", suffix, fmt, ap);
    va_end(ap);
    return -1;
}

static int fail_supply(intake_problem_t *pb, const char *suffix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    intake_problem_vset(pb, "supply_materials", suffix, fmt, ap);
    va_end(ap);
    return -1;
}

static int centre_known(const char *centres, const char *code)
{
    size_t n = strlen(code);
    const char *p = centres;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, code, n) == 0) return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int64_t received_or_now(const Legalaid__Application *a, int64_t now_ms)
{
    return a->has_received_at ? a->received_at : now_ms;
}

static int check_basics(const Legalaid__Application *a, const char *centres, int64_t now_ms,
                        intake_problem_t *pb)
{
    if (a->case_id)
        return fail_application(pb, ".case_id", _("case_id is given by intake; leave it empty"));
    if (a->duplicate_of)
        return fail_application(pb, ".duplicate_of",
                                _("duplicate_of is set by intake; leave it empty"));
    if (a->has_custody_forward_late)
        return fail_application(pb, ".custody_forward_late",
                                _("custody_forward_late is set by intake; leave it empty"));
    if (a->centre && !centre_known(centres, a->centre))
        return fail_application(pb, ".centre",
                                _("centre '%s' is not one of the configured centres (%s)"), a->centre,
                                centres);
    if (!a->has_channel || a->channel <= LEGALAID__CHANNEL__CHANNEL_UNSPECIFIED ||
        a->channel > LEGALAID__CHANNEL__AUTHORITY_NOTICE)
        return fail_application(
            pb, ".channel",
            _("channel is required: window, home_visit, workstation, liaison_point, "
            "phone, online, custody_forward or authority_notice"));
    if (!a->has_category || a->category <= LEGALAID__MATTER_CATEGORY__CATEGORY_UNSPECIFIED ||
        a->category > LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL)
        return fail_application(pb, ".category",
                                _("category is required: civil, administrative, criminal_defence, "
                                "criminal_victim, state_compensation, labour_arbitration or "
                                "compulsory_medical"));
    if (a->station && strlen(a->station) > STATION_MAX_BYTES)
        return fail_application(pb, ".station", _("station code is longer than %d characters"),
                                STATION_MAX_BYTES);
    if (a->matter && strlen(a->matter) > MATTER_MAX_BYTES)
        return fail_application(pb, ".matter", _("matter is longer than %d bytes"), MATTER_MAX_BYTES);
    if (a->has_received_at && (a->received_at > now_ms + 5 * 60 * MS_PER_SECOND ||
                               a->received_at < now_ms - 366 * MS_PER_DAY))
        return fail_application(pb, ".received_at",
                                _("received_at must be within the past year and not in the future"));
    return 0;
}

/* Who applies (art. 40, DOMAIN R-APP-04). A legal representative applies
 * for a person without or with limited civil capacity (a minor, a person
 * who cannot understand their conduct); where that representative is the
 * one harming the person, another legal representative or a near relative
 * applies. A legal representative or near relative may apply for a person
 * in custody. Either way the centre records who they are, how they are
 * related and the document that shows their authority (户口簿, 监护证明 ...).
 * An authority forwarding from custody (art. 39) goes with custody_forward. */
static int check_role(const Legalaid__Application *a, int notice, int64_t now_ms,
                      intake_problem_t *pb)
{
    if (notice) {
        if (a->has_applicant_role || a->proxy)
            return fail_application(
                pb, a->proxy ? ".proxy" : ".applicant_role",
                _("an authority's notification has no applicant role or proxy: the notifying "
                "authority is named in authority"));
        return 0;
    }
    Legalaid__ApplicantRole role =
        a->has_applicant_role ? a->applicant_role : LEGALAID__APPLICANT_ROLE__SELF;
    if (role < LEGALAID__APPLICANT_ROLE__APPLICANT_ROLE_UNSPECIFIED ||
        role > LEGALAID__APPLICANT_ROLE__FORWARDING_AUTHORITY)
        return fail_application(pb, ".applicant_role",
                                _("applicant_role must be self, legal_representative, "
                                "near_relative or forwarding_authority"));
    if (role == LEGALAID__APPLICANT_ROLE__FORWARDING_AUTHORITY &&
        a->channel != LEGALAID__CHANNEL__CUSTODY_FORWARD)
        return fail_application(pb, ".applicant_role",
                                _("applicant_role forwarding_authority goes with channel "
                                "custody_forward (art. 39)"));
    int proxied = role == LEGALAID__APPLICANT_ROLE__LEGAL_REPRESENTATIVE ||
                  role == LEGALAID__APPLICANT_ROLE__NEAR_RELATIVE;
    if (!proxied) {
        if (a->proxy)
            return fail_application(pb, ".proxy",
                                    _("proxy belongs to applicant_role legal_representative or "
                                    "near_relative (art. 40)"));
        return 0;
    }
    const char *who = role == LEGALAID__APPLICANT_ROLE__LEGAL_REPRESENTATIVE
                          ? "a legal representative"
                          : "a near relative";
    if (!a->proxy)
        return fail_application(
            pb, ".proxy",
            _("%s applies for the applicant (art. 40): proxy with the person, the "
            "relationship and the proof of authority is required"),
            who);
    if (!a->proxy->person)
        return fail_application(pb, ".proxy.person",
                                _("proxy.person is required: who applies for the applicant"));
    if (intake_person_check(a->proxy->person, "application.proxy.person", 1, 1, now_ms, pb) < 0)
        return -1;
    if (check_blank(a->proxy->relationship))
        return fail_application(pb, ".proxy.relationship",
                                _("relationship of %s to the applicant is required (父亲, "
                                "配偶, 监护人 ...)"),
                                who);
    if (strlen(a->proxy->relationship) > RELATIONSHIP_MAX_BYTES)
        return fail_application(pb, ".proxy.relationship", _("relationship is longer than %d bytes"),
                                RELATIONSHIP_MAX_BYTES);
    if (check_blank(a->proxy->proof_of_authority))
        return fail_application(pb, ".proxy.proof_of_authority",
                                _("proof_of_authority is required: the document that "
                                "shows %s may act (户口簿, 监护证明 ...)"),
                                who);
    if (strlen(a->proxy->proof_of_authority) > PROOF_MAX_BYTES)
        return fail_application(pb, ".proxy.proof_of_authority",
                                _("proof_of_authority is longer than %d bytes"), PROOF_MAX_BYTES);
    return 0;
}

/* Custody forwarding (art. 39, DOMAIN T-06): the facility, court or duty
 * lawyer that received it and when; lateness is flagged, not refused. */
static int check_custody(const Legalaid__Application *a, int64_t now_ms, intake_problem_t *pb)
{
    if (a->custody_facility && strlen(a->custody_facility) > FACILITY_MAX_BYTES)
        return fail_application(pb, ".custody_facility", _("custody_facility is longer than %d bytes"),
                                FACILITY_MAX_BYTES);
    if (a->channel != LEGALAID__CHANNEL__CUSTODY_FORWARD) {
        if (a->has_custody_received_at)
            return fail_application(pb, ".custody_received_at",
                                    _("custody_received_at belongs to channel custody_forward"));
        return 0;
    }
    if (check_blank(a->custody_facility))
        return fail_application(pb, ".custody_facility",
                                _("custody_facility is required for custody_forward: the "
                                "detention centre, court or duty lawyer that received it "
                                "(art. 39)"));
    if (!a->has_custody_received_at || a->custody_received_at <= 0)
        return fail_application(pb, ".custody_received_at",
                                _("custody_received_at is required for custody_forward: when "
                                "the facility received the application (art. 39: forward "
                                "within 24 hours)"));
    if (a->custody_received_at > received_or_now(a, now_ms))
        return fail_application(pb, ".custody_received_at",
                                _("custody_received_at is after received_at: the facility "
                                "cannot receive it after the centre did"));
    return 0;
}

/* A case reference: not blank, no control characters (UTF-8 text such as
 * "(2026)蒙0203刑初123号" is printable). */
static int reference_printable(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return 0;
    return 1;
}

static int check_authority(const Legalaid__Application *a, int notice, intake_problem_t *pb)
{
    const Legalaid__Authority *au = a->authority;
    const char *why;
    if (notice) {
        if (!au)
            return fail_application(pb, ".authority",
                                    _("a notification must name the notifying authority"));
        if (!au->has_kind || au->kind < LEGALAID__AUTHORITY_KIND__COURT ||
            au->kind > LEGALAID__AUTHORITY_KIND__POLICE)
            return fail_application(pb, ".authority.kind",
                                    _("authority kind must be court, procuratorate or police"));
        if (check_blank(au->name))
            return fail_application(pb, ".authority.name", _("authority name is required"));
        if (!a->has_ground || a->ground <= LEGALAID__MANDATORY_GROUND__GROUND_UNSPECIFIED ||
            a->ground > LEGALAID__MANDATORY_GROUND__DISCRETIONARY)
            return fail_application(
                pb, ".ground",
                _("a notification must give its ground: minor, blind_deaf_mute, "
                "mental_capacity, life_or_death, death_review, absentia (art. "
                "25(1)), compulsory_treatment (art. 28) or discretionary (art. 25(2))"));
        int medical = a->ground == LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT;
        if (medical && a->category != LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL)
            return fail_application(
                pb, ".category",
                _("ground compulsory_treatment (art. 28) needs category compulsory_medical"));
        if (!medical && a->category != LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE)
            return fail_application(pb, ".category",
                                    _("an art. 25 notification needs category criminal_defence"));
        /* Art. 25(2): in other cases tried under the ordinary procedure the
         * court may notify. */
        if (a->ground == LEGALAID__MANDATORY_GROUND__DISCRETIONARY &&
            au->kind != LEGALAID__AUTHORITY_KIND__COURT)
            return fail_application(pb, ".authority.kind",
                                    _("only a court notifies on ground discretionary (art. 25(2))"));
    } else {
        /* Art. 25(1)(5): the defendant in a death-penalty review (死刑复核)
         * is the one person of art. 25(1) who applies himself (or a near
         * relative for him, art. 40); every other ground comes with an
         * authority's notice. The review is before a court. */
        int review = a->has_ground && a->ground == LEGALAID__MANDATORY_GROUND__DEATH_REVIEW;
        if (a->has_ground && !review)
            return fail_application(pb, ".ground",
                                    _("on an application ground can only be death_review (art. "
                                    "25(1)(5): a defendant in a death-penalty review applies); "
                                    "the other grounds belong to channel authority_notice"));
        if (review && a->category != LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE)
            return fail_application(pb, ".category",
                                    _("ground death_review (art. 25(1)(5)) needs category "
                                    "criminal_defence"));
        if (review && au && au->has_kind && au->kind != LEGALAID__AUTHORITY_KIND__COURT)
            return fail_application(pb, ".authority.kind",
                                    _("a death-penalty review is before a court (最高人民法院, or "
                                    "the high court): authority kind court"));
        if (!au) return 0;
        /* On an application: the handling authority (办案机关, R-APP-01). */
        if (au->has_kind && (au->kind < LEGALAID__AUTHORITY_KIND__COURT ||
                             au->kind > LEGALAID__AUTHORITY_KIND__POLICE))
            return fail_application(pb, ".authority.kind",
                                    _("authority kind must be court, procuratorate or police"));
        if (check_blank(au->name))
            return fail_application(pb, ".authority.name",
                                    _("authority name is required when an authority is given"));
    }
    /* Both also key the open notices (intake_store.c): bounded. */
    if (strlen(au->name) > AUTHORITY_NAME_MAX_BYTES)
        return fail_application(pb, ".authority.name", _("authority name is longer than %d bytes"),
                                AUTHORITY_NAME_MAX_BYTES);
    if (au->reference && strlen(au->reference) > CASE_REFERENCE_MAX_BYTES)
        return fail_application(pb, ".authority.reference",
                                _("authority reference is longer than %d bytes"),
                                CASE_REFERENCE_MAX_BYTES);
    if (au->reference && !reference_printable(au->reference))
        return fail_application(pb, ".authority.reference",
                                _("authority reference contains a control character"));
    if (au->phone && au->phone[0] && (why = intake_person_phone_problem(au->phone)))
        return fail_application(pb, ".authority.phone", _("authority phone %s"), why);
    return 0;
}

static const char *category_text(Legalaid__MatterCategory c)
{
    switch (c) {
    case LEGALAID__MATTER_CATEGORY__CIVIL:
        return "civil";
    case LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE:
        return "administrative";
    case LEGALAID__MATTER_CATEGORY__STATE_COMPENSATION:
        return "state_compensation";
    case LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION:
        return "labour_arbitration";
    case LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE:
        return "criminal_defence";
    case LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM:
        return "criminal_victim";
    default:
        return "compulsory_medical";
    }
}

/* Nothing but blanks: ASCII white space and the ideographic space U+3000,
 * which Chinese input methods leave. */
static int text_blank(const char *s)
{
    if (!s) return 1;
    while (*s) {
        if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
            s++;
        else if (strncmp(s, "\xe3\x80\x80", 3) == 0)
            s += 3;
        else
            return 0;
    }
    return 1;
}

/* The fields each kind of matter needs. */
static int check_matter(const Legalaid__Application *a, int notice, int64_t now_ms,
                        intake_problem_t *pb)
{
    Legalaid__MatterCategory c = a->category;
    /* The facts (案情) and what is asked, as on the paper application form
     * (申请表, DOMAIN R-APP-06): eligibility decides on them (the art. 31
     * item, a regional addition under 31(9), a work injury under 42(3)),
     * whatever the kind of matter. An authority's notice is taken on its
     * ground (art. 25, 28): the appointment within 3 days (art. 36) does
     * not wait for a description. */
    if (!notice && text_blank(a->matter))
        return fail_application(pb, ".matter",
                                _("matter is required for a %s application: the facts and what is "
                                "asked (案情及申请事项), as on the application form"),
                                category_text(c));
    int art31 = c == LEGALAID__MATTER_CATEGORY__CIVIL ||
                c == LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE ||
                c == LEGALAID__MATTER_CATEGORY__STATE_COMPENSATION ||
                c == LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION;
    if (art31 && !a->has_scope_item)
        return fail_application(pb, ".scope_item",
                                _("scope_item is required for a %s matter: the item of Legal Aid Law "
                                "art. 31 (1-9) it falls under"),
                                category_text(c));
    if (art31 && (a->scope_item < 1 || a->scope_item > 9))
        return fail_application(pb, ".scope_item",
                                _("scope_item %u is not an item of Legal Aid Law art. 31 (1-9)"),
                                a->scope_item);
    if (!art31 && a->has_scope_item)
        return fail_application(pb, ".scope_item",
                                _("scope_item (art. 31) belongs to civil, administrative, "
                                "state_compensation and labour_arbitration matters, not %s"),
                                category_text(c));
    if (a->opposing_party && strlen(a->opposing_party) > PARTY_MAX_BYTES)
        return fail_application(pb, ".opposing_party", _("opposing_party is longer than %d bytes"),
                                PARTY_MAX_BYTES);
    /* Art. 24: a suspect or defendant applying must say where the case is. */
    if (!notice && c == LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE &&
        check_blank(a->custody_facility) && (!a->authority || check_blank(a->authority->name)))
        return fail_application(pb, ".authority.name",
                                _("criminal defence on application (art. 24) needs the custody "
                                "facility (custody_facility) or the handling authority "
                                "(authority.name)"));
    /* Art. 29: the victim's side acts against someone. */
    if (c == LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM && check_blank(a->opposing_party))
        return fail_application(pb, ".opposing_party",
                                _("opposing_party is required for criminal_victim (art. 29): the "
                                "suspect or defendant, or 'unknown'"));
    if (a->has_limitation_deadline) {
        if (a->limitation_deadline <= 0)
            return fail_application(pb, ".limitation_deadline",
                                    _("limitation_deadline is not a date"));
        if (clock_local_day(a->limitation_deadline) < clock_local_day(received_or_now(a, now_ms)))
            return fail_application(pb, ".limitation_deadline",
                                    _("limitation_deadline is before received_at: a period "
                                    "that has already run out"));
    }
    return 0;
}

#define INCOME_MUST "household_income_fen must be 0 or more (fen per head per month)"
#define HARDSHIP_PROOF_VALUES                                                                      \
    "hardship_proof must be no_fixed_income, social_assistance, judicial_assistance, "             \
    "special_care or migrant_wages_or_injury (art. 42)"

static int hardship_proof_known(Legalaid__HardshipProof p)
{
    return p > LEGALAID__HARDSHIP_PROOF__HARDSHIP_PROOF_UNSPECIFIED &&
           p <= LEGALAID__HARDSHIP_PROOF__MIGRANT_WAGES_OR_INJURY;
}

static int check_means(const Legalaid__Application *a, intake_problem_t *pb)
{
    if (a->has_household_income_fen && a->household_income_fen < 0)
        return fail_application(pb, ".household_income_fen", INCOME_MUST);
    for (size_t i = 0; i < a->n_groups; i++)
        if (a->groups[i] <= LEGALAID__SPECIAL_GROUP__GROUP_UNSPECIFIED ||
            a->groups[i] > LEGALAID__SPECIAL_GROUP__SERIOUSLY_ILL) {
            char suffix[40];
            snprintf(suffix, sizeof suffix, ".groups[%zu]", i);
            return fail_application(
                pb, suffix,
                _("group %d is not one of migrant_worker, elderly, disabled, minor_party, "
                "left_behind_woman, left_behind_child, military_family, veteran, "
                "domestic_violence_victim, seriously_ill"),
                (int)a->groups[i]);
        }
    if (a->has_no_means_ground &&
        (a->no_means_ground <= LEGALAID__NO_MEANS_GROUND__NO_MEANS_GROUND_UNSPECIFIED ||
         a->no_means_ground > LEGALAID__NO_MEANS_GROUND__ABUSE_VICTIM))
        return fail_application(pb, ".no_means_ground",
                                _("no_means_ground must be martyr_relative, good_samaritan, "
                                "wrongful_conviction or abuse_victim (art. 32)"));
    if (a->has_hardship_proof && !hardship_proof_known(a->hardship_proof))
        return fail_application(pb, ".hardship_proof", HARDSHIP_PROOF_VALUES);
    return 0;
}

/* What dispatch matches a lawyer on (DOMAIN R-ASSIGN-02..09): the county,
 * the language, co-defendants and related cases for the conflict check
 * (S3 art. 43: one defender may not defend two co-defendants, nor
 * defendants in related cases), the form of aid (art. 22). */
static int check_dispatch_facts(const Legalaid__Application *a, int64_t now_ms,
                                intake_problem_t *pb)
{
    if (a->county && strlen(a->county) > COUNTY_MAX_BYTES)
        return fail_application(pb, ".county", _("county is longer than %d bytes"), COUNTY_MAX_BYTES);
    if (a->county && a->county[0] && check_blank(a->county))
        return fail_application(
            pb, ".county",
            _("county is blank: name the county or district (昆都仑区 ...) or leave "
            "it out"));
    if (a->has_language && (a->language <= LEGALAID__LANGUAGE__LANGUAGE_UNSPECIFIED ||
                            a->language > LEGALAID__LANGUAGE__MONGOLIAN))
        return fail_application(pb, ".language", _("language %d is not mandarin or mongolian"),
                                (int)a->language);
    if (a->n_co_defendants > CO_DEFENDANTS_MAX)
        return fail_application(pb, ".co_defendants", _("%zu co-defendants listed; at most %d"),
                                a->n_co_defendants, CO_DEFENDANTS_MAX);
    for (size_t i = 0; i < a->n_co_defendants; i++) {
        char path[64];
        snprintf(path, sizeof path, "application.co_defendants[%zu]", i);
        /* A name is enough; an ID number, when given, must be a real one. */
        if (intake_person_check(a->co_defendants[i], path, 0, 0, now_ms, pb) < 0) return -1;
    }
    if (a->n_related_cases > RELATED_CASES_MAX)
        return fail_application(pb, ".related_cases", _("%zu related cases listed; at most %d"),
                                a->n_related_cases, RELATED_CASES_MAX);
    for (size_t i = 0; i < a->n_related_cases; i++) {
        char suffix[40];
        snprintf(suffix, sizeof suffix, ".related_cases[%zu]", i);
        const char *ref = a->related_cases[i];
        if (check_blank(ref))
            return fail_application(pb, suffix, _("a related case reference is empty"));
        if (strlen(ref) > CASE_REFERENCE_MAX_BYTES)
            return fail_application(pb, suffix, _("related case reference is longer than %d bytes"),
                                    CASE_REFERENCE_MAX_BYTES);
        if (!reference_printable(ref))
            return fail_application(pb, suffix,
                                    _("related case reference contains a control character"));
    }
    if (a->has_aid_form && (a->aid_form <= LEGALAID__AID_FORM__AID_FORM_UNSPECIFIED ||
                            a->aid_form > LEGALAID__AID_FORM__DOCUMENT_DRAFTING))
        return fail_application(pb, ".aid_form",
                                _("aid_form %d is not defence, representation or document_drafting"),
                                (int)a->aid_form);
    /* Art. 25: a suspect or defendant is defended by a lawyer; drafting a
     * document (art. 22(2)) is no defence. */
    if (a->has_aid_form && a->aid_form == LEGALAID__AID_FORM__DOCUMENT_DRAFTING &&
        a->category == LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE)
        return fail_application(pb, ".aid_form",
                                _("document_drafting is not a form of aid for criminal_defence: the "
                                "suspect or defendant gets a defence lawyer (art. 25)"));
    if (a->has_aid_form && a->aid_form == LEGALAID__AID_FORM__DEFENCE &&
        a->category != LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE)
        return fail_application(pb, ".aid_form",
                                _("defence is the form of aid for criminal_defence only, not %s: use "
                                "representation or document_drafting"),
                                category_text(a->category));
    return 0;
}

int intake_validate_application(const Legalaid__Application *a, const char *centres, int64_t now_ms,
                                intake_problem_t *pb)
{
    if (!a) return fail_application(pb, "", _("application is required"));
    if (check_basics(a, centres, now_ms, pb) < 0) return -1;
    int notice = a->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    Legalaid__ApplicantRole role =
        a->has_applicant_role ? a->applicant_role : LEGALAID__APPLICANT_ROLE__SELF;
    int proxied = role == LEGALAID__APPLICANT_ROLE__LEGAL_REPRESENTATIVE ||
                  role == LEGALAID__APPLICANT_ROLE__NEAR_RELATIVE;
    /* An authority may notify before the defendant's identity is confirmed.
     * A detained applicant (art. 39) or defendant has no phone of their own:
     * the centre reaches them through the facility or the authority; where
     * a representative or relative applies, the centre reaches them. */
    int in_custody = notice || a->channel == LEGALAID__CHANNEL__CUSTODY_FORWARD;
    /* A case of the previous system is never told anything (import
     * history): its phone is kept when the old system had one. */
    int reached = !in_custody && !proxied && !a->history;
    if (!a->applicant)
        return fail_application(
            pb, ".applicant",
            _("applicant is required (for a notification: the suspect or defendant)"));
    if (intake_person_check(a->applicant, "application.applicant", !notice, reached,
                            now_ms, pb) < 0)
        return -1;
    if (check_role(a, notice, now_ms, pb) < 0) return -1;
    if (check_custody(a, now_ms, pb) < 0) return -1;
    if (check_authority(a, notice, pb) < 0) return -1;
    if (check_matter(a, notice, now_ms, pb) < 0) return -1;
    if (check_means(a, pb) < 0) return -1;
    if (check_dispatch_facts(a, now_ms, pb) < 0) return -1;
    return intake_validate_materials(a->materials, a->n_materials, "application.materials", pb);
}

/* Art. 23: consultations at the window, by phone and online (and letters,
 * SF/T 0024 咨询登记表), registered and counted, with no means test. */
int intake_validate_consultation(const Legalaid__Consultation *c, int64_t now_ms,
                                 intake_problem_t *pb)
{
    if (!c) return fail_consultation(pb, "", _("consultation is required"));
    if (c->id) return fail_consultation(pb, ".id", _("id is given by intake; leave it empty"));
    if (!c->has_channel ||
        c->channel <= LEGALAID__CONSULTATION_CHANNEL__CONSULTATION_CHANNEL_UNSPECIFIED ||
        c->channel > LEGALAID__CONSULTATION_CHANNEL__INTERNET)
        return fail_consultation(pb, ".channel",
                                 _("channel is required: visit, by_telephone, letter or internet"));
    if (c->station && strlen(c->station) > STATION_MAX_BYTES)
        return fail_consultation(pb, ".station", _("station code is longer than %d characters"),
                                 STATION_MAX_BYTES);
    if (c->has_category && (c->category <= LEGALAID__MATTER_CATEGORY__CATEGORY_UNSPECIFIED ||
                            c->category > LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL))
        return fail_consultation(pb, ".category",
                                 _("category must be civil, administrative, criminal_defence, "
                                 "criminal_victim, state_compensation, labour_arbitration or "
                                 "compulsory_medical"));
    if (check_blank(c->topic))
        return fail_consultation(pb, ".topic", _("topic is required: what the person asked about"));
    if (strlen(c->topic) > TOPIC_MAX_BYTES)
        return fail_consultation(pb, ".topic", _("topic is longer than %d bytes"), TOPIC_MAX_BYTES);
    if (c->person_name && strlen(c->person_name) > PERSON_NAME_MAX_BYTES)
        return fail_consultation(pb, ".person_name", _("person_name is longer than %d bytes"),
                                 PERSON_NAME_MAX_BYTES);
    if (c->has_at && (c->at > now_ms + 5 * 60 * MS_PER_SECOND || c->at < now_ms - 366 * MS_PER_DAY))
        return fail_consultation(pb, ".at",
                                 _("at must be within the past year and not in the future"));
    return 0;
}

/* Art. 43(2): what is brought in after the notice of missing materials,
 * and what staff read from it (art. 34, 41, 42). */
int intake_validate_supply(const Legalaid__SupplyMaterials *s, intake_problem_t *pb)
{
    if (!s || check_blank(s->case_id)) return fail_supply(pb, ".case_id", _("case_id is required"));
    int reading = s->has_commitment_signed || s->has_household_income_fen || s->has_hardship_proof;
    if (s->n_materials == 0 && !reading)
        return fail_supply(pb, ".materials",
                           _("materials is required: the documents brought in (or what they "
                           "establish: commitment_signed, household_income_fen, hardship_proof)"));
    if (s->n_materials &&
        intake_validate_materials(s->materials, s->n_materials, "supply_materials.materials", pb))
        return -1;
    if (s->has_household_income_fen && s->household_income_fen < 0)
        return fail_supply(pb, ".household_income_fen", INCOME_MUST);
    if (s->has_hardship_proof && !hardship_proof_known(s->hardship_proof))
        return fail_supply(pb, ".hardship_proof", HARDSHIP_PROOF_VALUES);
    return 0;
}

int intake_validate_materials(char **materials, size_t n, const char *path, intake_problem_t *pb)
{
    if (n > INTAKE_MATERIALS_MAX)
        return intake_problem_set(pb, path, "", _("%zu documents listed; at most %d"), n,
                                  INTAKE_MATERIALS_MAX);
    for (size_t i = 0; i < n; i++) {
        char suffix[32];
        snprintf(suffix, sizeof suffix, "[%zu]", i);
        if (check_blank(materials[i]))
            return intake_problem_set(pb, path, suffix, _("a document name is empty"));
        if (strlen(materials[i]) > INTAKE_MATERIAL_MAX_BYTES)
            return intake_problem_set(pb, path, suffix, _("document name is longer than %d bytes"),
                                      INTAKE_MATERIAL_MAX_BYTES);
    }
    return 0;
}
