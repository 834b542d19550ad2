/*
 * ctl_fmt_enum.c - the enum values legalaidctl shows people (matter
 * categories, channels, grounds, groups, the roll's answers ...): the word
 * of pbjson_enum_text in English, its Chinese from the catalogue. Listed
 * here so that every word has its entry in po/zh_CN/ctl-show.po; the
 * command line and --json keep the English words.
 */
#include <string.h>

#include "ctl.h"
#include "i18n.h"

/* Each word ctl_fmt_enum may be asked for (the *_unspecified values stay
 * as they are: a record that shows one is wrong, and says so in English). */
static const char *const ctl_fmt_enum_words[] = {
    /* AidForm */
    N_("defence"), N_("representation"), N_("document_drafting"),
    /* ApplicantRole */
    N_("self"), N_("legal_representative"), N_("near_relative"), N_("forwarding_authority"),
    /* AuthorityKind */
    N_("court"), N_("procuratorate"), N_("police"),
    /* Channel */
    N_("window"), N_("home_visit"), N_("workstation"), N_("liaison_point"), N_("phone"),
    N_("online"), N_("custody_forward"), N_("authority_notice"),
    /* ConsultationChannel */
    N_("visit"), N_("telephone"), N_("letter"), N_("internet"),
    /* HardshipProof */
    N_("no_fixed_income"), N_("social_assistance"), N_("judicial_assistance"), N_("special_care"),
    N_("migrant_wages_or_injury"),
    /* Language */
    N_("mandarin"), N_("mongolian"),
    /* MandatoryGround */
    N_("minor"), N_("blind_deaf_mute"), N_("mental_capacity"), N_("life_or_death"),
    N_("death_review"), N_("absentia"), N_("compulsory_treatment"), N_("discretionary"),
    /* MatterCategory */
    N_("civil"), N_("administrative"), N_("criminal_defence"), N_("criminal_victim"),
    N_("state_compensation"), N_("labour_arbitration"), N_("compulsory_medical"),
    /* MeansPath */
    N_("no_means_test"), N_("presumed"), N_("commitment"), N_("verified"), N_("not_settled"),
    N_("above_standard"),
    /* NoMeansGround */
    N_("martyr_relative"), N_("good_samaritan"), N_("wrongful_conviction"), N_("abuse_victim"),
    /* RollAnswer */
    N_("yes"), N_("no"), N_("unavailable"),
    /* RollStatus */
    N_("dibao"), N_("tekun"), N_("low_income"),
    /* SpecialGroup */
    N_("migrant_worker"), N_("elderly"), N_("disabled"), N_("minor_party"),
    N_("left_behind_woman"), N_("left_behind_child"), N_("military_family"), N_("veteran"),
    N_("domestic_violence_victim"), N_("seriously_ill"),
};

const char *ctl_fmt_enum(const ProtobufCEnumDescriptor *desc, int value, char buf[PBJSON_ENUM_MAX])
{
    const char *text = pbjson_enum_text(desc, value, buf);
    for (size_t i = 0; i < sizeof ctl_fmt_enum_words / sizeof ctl_fmt_enum_words[0]; i++)
        if (strcmp(text, ctl_fmt_enum_words[i]) == 0) return _(ctl_fmt_enum_words[i]);
    return text;
}
