/*
 * eligibility_scope.c - the scope step of the rules: is the matter one the
 * Legal Aid Law covers on application, and under which article (art. 24,
 * 29, 31, 32, 33; art. 28 when applied for instead of notified)? The
 * types are in eligibility_int.h. On application the law covers:
 *
 *   civil / administrative matters of art. 31 items 1-8, and item 9 for
 *     the matters the region adds (configuration art31_additions)
 *   state compensation (art. 31(1)); labour arbitration for remuneration
 *     or a labour relation (art. 31(5))
 *   any matter of an art. 32 applicant (no economic condition at all)
 *   the victim's side of a criminal case (art. 29)
 *   criminal defence on application (art. 24); a defendant in a
 *     death-penalty review who applies (art. 25(1)(5)), whatever his means
 *   retrials decided and protests lodged (art. 33)
 *   compulsory medical treatment (art. 28)
 *
 * Anything else is outside the law's scope and refused with the reason.
 */
#include <ctype.h>
#include <string.h>

#include "eligibility_int.h"
#include "i18n.h"

/* Legal Aid Law art. 31 items 1-9, as a staff member reads them. */
static const char *const eligibility_art31_items[] = {
    NULL,
    N_("a claim for state compensation"),
    N_("social insurance benefits or social assistance"),
    N_("a pension for the disabled or survivors (抚恤金)"),
    N_("maintenance for parents, children or a spouse (赡养费, 抚养费, 扶养费)"),
    N_("confirming a labour relation or claiming labour remuneration"),
    N_("declaring a person without or with limited civil capacity"),
    N_("damages for personal injury from a work injury, a traffic, food or drug safety or "
       "medical accident"),
    N_("damages for environmental pollution or ecological damage"),
    N_("another matter added by laws, regulations or rules"),
};

static const char *const eligibility_art32_items[] = {
    NULL,
    N_("a near relative of a hero or martyr protecting the martyr's personality rights"),
    N_("a person who acted bravely for a just cause (见义勇为) claiming civil rights"),
    N_("a person acquitted on retrial claiming state compensation"),
    N_("a victim of abuse, abandonment or domestic violence"),
};

/* Case-insensitive (ASCII) substring test; other bytes compare exactly,
 * which is what Chinese matter names need. */
static int eligibility_text_contains(const char *text, const char *needle, size_t nlen)
{
    if (!text || nlen == 0) return 0;
    for (const char *p = text; *p; p++) {
        size_t i = 0;
        while (i < nlen && p[i] &&
               tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == nlen) return 1;
    }
    return 0;
}

/* The configured art. 31(9) addition the matter text names, copied into
 * arena, or NULL. additions is "name,name,...", blanks around names ignored. */
static const char *eligibility_scope_addition(const char *additions, const char *matter,
                                              arena_t *arena)
{
    if (!additions || !matter) return NULL;
    const char *p = additions;
    while (*p) {
        while (*p == ',' || *p == ' ') p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && p[len - 1] == ' ') len--;
        if (len && eligibility_text_contains(matter, p, len)) {
            char *name = arena_alloc(arena, len + 1);
            memcpy(name, p, len);
            return name;
        }
        p = end ? end + 1 : p + strlen(p);
    }
    return NULL;
}

int eligibility_scope_wages_or_injury(const Legalaid__Application *a)
{
    if (a->has_category && a->category == LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION) return 1;
    if (!a->has_scope_item) return 0;
    if (a->scope_item == 5) return 1;
    /* Item 7 also covers traffic, food, drug and medical accidents: only a
     * work injury is the migrant worker's claim of art. 42(3). */
    if (a->scope_item == 7 && a->matter) {
        static const char *const words[] = {"工伤", "work injury", "work-injury", "injury at work",
                                            "injured at work"};
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (eligibility_text_contains(a->matter, words[i], strlen(words[i]))) return 1;
    }
    return 0;
}

static void eligibility_scope_set(eligibility_scope_t *s, eligibility_scope_kind_t kind, int item,
                                  const char *article, const char *detail)
{
    s->kind = kind;
    s->art31_item = item;
    s->article = article;
    s->detail = detail;
    s->no_means_test = s->no_means_reason = NULL;
}

/* A scope whose article grants aid whatever the means: test is the means
 * test's text, reason the decision's. */
static void eligibility_scope_set_free(eligibility_scope_t *s, eligibility_scope_kind_t kind,
                                       const char *article, const char *detail, const char *test,
                                       const char *reason)
{
    eligibility_scope_set(s, kind, 0, article, detail);
    s->no_means_test = test;
    s->no_means_reason = reason;
}

/* Civil and administrative matters: art. 31, or art. 32 whatever the
 * matter (the art. 32 grounds are not limited to the art. 31 list). */
static void eligibility_scope_civil(const Legalaid__Application *a, const eligibility_config_t *cfg,
                                    arena_t *arena, eligibility_scope_t *s)
{
    const char *kind =
        a->category == LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE ? _("administrative") : _("civil");
    unsigned item = a->has_scope_item ? a->scope_item : 0;
    if (item >= 1 && item <= 8) {
        eligibility_scope_set(s, ELIGIBILITY_SCOPE_ART31, (int)item,
                              arena_printf(arena, LAW "art. 31(%u)", item),
                              arena_printf(arena, _("%s matter within art. 31(%u): %s"), kind, item,
                                           _(eligibility_art31_items[item])));
        return;
    }
    const char *addition =
        item == 9 ? eligibility_scope_addition(cfg->art31_additions, a->matter, arena) : NULL;
    if (addition) {
        eligibility_scope_set(
            s, ELIGIBILITY_SCOPE_ART31, 9, LAW "art. 31(9)",
            arena_printf(arena,
                         _("%s matter within art. 31(9): \"%s\" is a matter the region adds to "
                           "the art. 31 list (configuration art31_additions)"),
                         kind, addition));
        return;
    }
    if (a->has_no_means_ground &&
        a->no_means_ground >= LEGALAID__NO_MEANS_GROUND__MARTYR_RELATIVE &&
        a->no_means_ground <= LEGALAID__NO_MEANS_GROUND__ABUSE_VICTIM) {
        unsigned g = (unsigned)a->no_means_ground;
        eligibility_scope_set(s, ELIGIBILITY_SCOPE_ART32, 0,
                              arena_printf(arena, LAW "art. 32(%u)", g),
                              arena_printf(arena, _("%s matter of %s: covered by art. 32(%u)"),
                                           kind, _(eligibility_art32_items[g]), g));
        return;
    }
    const char *why;
    if (item == 9)
        why = cfg->art31_additions && cfg->art31_additions[0]
                  ? arena_printf(arena,
                                 _("the matter (\"%s\") is none of the matters the region adds "
                                   "under art. 31(9) (%s)"),
                                 a->matter ? a->matter : _("not described"), cfg->art31_additions)
                  : _("art. 31(9) was claimed but the region adds no matters under it "
                      "(configuration art31_additions is empty)");
    else if (item > 9)
        why = arena_printf(arena, _("art. 31 has no item %u"), item);
    else
        why = _("the application names no item of art. 31 the matter falls under");
    eligibility_scope_set(
        s, ELIGIBILITY_SCOPE_OUTSIDE, 0, LAW "art. 31",
        arena_printf(arena,
                     _("%s matter outside the scope of legal aid: %s; civil and administrative "
                       "aid covers only the matters of art. 31 (and art. 32)"),
                     kind, why));
}

void eligibility_scope_assess(const Legalaid__Application *a, const eligibility_config_t *cfg,
                              arena_t *arena, Legalaid__Decision *d, eligibility_scope_t *s)
{
    Legalaid__MatterCategory cat =
        a->has_category ? a->category : LEGALAID__MATTER_CATEGORY__CATEGORY_UNSPECIFIED;
    if (a->has_retrial && a->retrial) {
        /* Art. 33: a retrial decided by the court or a protest lodged by
         * the procuratorate, whatever the kind of matter. */
        eligibility_scope_set(s, ELIGIBILITY_SCOPE_RETRIAL, 0, LAW "art. 33",
                              _("a retrial decided by the court or a protest lodged by the "
                                "procuratorate (art. 33), and the party has no lawyer"));
    } else {
        switch (cat) {
        case LEGALAID__MATTER_CATEGORY__CIVIL:
        case LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE:
            eligibility_scope_civil(a, cfg, arena, s);
            break;
        case LEGALAID__MATTER_CATEGORY__STATE_COMPENSATION:
            eligibility_scope_set(s, ELIGIBILITY_SCOPE_ART31, 1, LAW "art. 31(1)",
                                  _("state compensation claim within art. 31(1)"));
            break;
        case LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION:
            eligibility_scope_set(s, ELIGIBILITY_SCOPE_ART31, 5, LAW "art. 31(5)",
                                  _("labour arbitration within art. 31(5): confirming a labour "
                                    "relation or claiming labour remuneration"));
            break;
        case LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM:
            eligibility_scope_set(
                s, ELIGIBILITY_SCOPE_VICTIM, 0, LAW "art. 29",
                _("the victim's side of a criminal case (art. 29): victim, "
                  "private prosecutor or plaintiff in the incidental civil action"));
            break;
        case LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE:
            if (a->has_ground && a->ground == LEGALAID__MANDATORY_GROUND__DEATH_REVIEW) {
                /* Art. 25(1)(5): 申请法律援助的死刑复核案件被告人, the one
                 * art. 25(1) person who applies; a lawyer is appointed
                 * whatever his means. */
                eligibility_scope_set_free(
                    s, ELIGIBILITY_SCOPE_DEATH_REVIEW, LAW "art. 25(1)(5)",
                    _("a defendant in a death-penalty review (死刑复核) applies for a defence "
                      "lawyer and has no defender (art. 25(1)(5))"),
                    _("no economic condition applies to a defendant in a death-penalty review who "
                      "applies (art. 25(1)(5))"),
                    _("aid is granted without any means test: the defendant in a death-penalty "
                      "review applied and has no defender (art. 25(1)(5))"));
                break;
            }
            eligibility_scope_set(s, ELIGIBILITY_SCOPE_DEFENCE, 0, LAW "art. 24",
                                  _("criminal defence on application (art. 24): the suspect or "
                                    "defendant has no defender"));
            break;
        case LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL:
            eligibility_scope_set_free(
                s, ELIGIBILITY_SCOPE_COMPULSORY, LAW "art. 28",
                _("respondent in a compulsory medical treatment case without an agent (art. 28)"),
                _("no economic condition applies to the respondent in a compulsory medical "
                  "treatment case (art. 28)"),
                _("aid is granted without any means test: the respondent in a compulsory medical "
                  "treatment case has no agent (art. 28)"));
            break;
        default:
            eligibility_scope_set(s, ELIGIBILITY_SCOPE_OUTSIDE, 0, NULL,
                                  _("the application names no kind of matter, so no article of "
                                    "the Legal Aid Law can be found for it"));
        }
    }
    int in = s->kind != ELIGIBILITY_SCOPE_OUTSIDE;
    eligibility_decision_test(arena, d, "scope", in, s->detail, s->article);
    if (in) eligibility_decision_cite(arena, d, s->article);
}
