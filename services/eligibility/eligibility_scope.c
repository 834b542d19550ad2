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

/* Legal Aid Law art. 31 items 1-9 and art. 32 items 1-4, as a staff
 * member reads them: the codes "item31.N" and "item32.N" of
 * decisiontext_table.c. */

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
                                  const char *article, decisiontext_t text)
{
    s->kind = kind;
    s->art31_item = item;
    s->article = article;
    s->text = text;
    s->no_means_test = s->no_means_reason = NULL;
}

/* A scope whose article grants aid whatever the means: test is the means
 * test's code, reason the decision's. */
static void eligibility_scope_set_free(eligibility_scope_t *s, eligibility_scope_kind_t kind,
                                       const char *article, decisiontext_t text, const char *test,
                                       const char *reason)
{
    eligibility_scope_set(s, kind, 0, article, text);
    s->no_means_test = test;
    s->no_means_reason = reason;
}

/* Civil and administrative matters: art. 31, or art. 32 whatever the
 * matter (the art. 32 grounds are not limited to the art. 31 list). */
static void eligibility_scope_civil(const Legalaid__Application *a, const eligibility_config_t *cfg,
                                    arena_t *arena, eligibility_scope_t *s)
{
    const char *kind = a->category == LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE
                           ? "@kind.administrative"
                           : "@kind.civil";
    unsigned item = a->has_scope_item ? a->scope_item : 0;
    if (item >= 1 && item <= 8) {
        eligibility_scope_set(
            s, ELIGIBILITY_SCOPE_ART31, (int)item, arena_printf(arena, LAW "art. 31(%u)", item),
            ELIGIBILITY_TEXT(arena, "scope.art31", kind, decisiontext_num(arena, item),
                             arena_printf(arena, "@item31.%u", item)));
        return;
    }
    const char *addition =
        item == 9 ? eligibility_scope_addition(cfg->art31_additions, a->matter, arena) : NULL;
    if (addition) {
        eligibility_scope_set(
            s, ELIGIBILITY_SCOPE_ART31, 9, LAW "art. 31(9)",
            ELIGIBILITY_TEXT(arena, "scope.art31_added", kind, decisiontext_lit(arena, addition)));
        return;
    }
    if (a->has_no_means_ground &&
        a->no_means_ground >= LEGALAID__NO_MEANS_GROUND__MARTYR_RELATIVE &&
        a->no_means_ground <= LEGALAID__NO_MEANS_GROUND__ABUSE_VICTIM) {
        unsigned g = (unsigned)a->no_means_ground;
        eligibility_scope_set(s, ELIGIBILITY_SCOPE_ART32, 0,
                              arena_printf(arena, LAW "art. 32(%u)", g),
                              ELIGIBILITY_TEXT(arena, "scope.art32", kind,
                                               arena_printf(arena, "@item32.%u", g),
                                               decisiontext_num(arena, g)));
        return;
    }
    decisiontext_t why;
    if (item == 9)
        why = cfg->art31_additions && cfg->art31_additions[0]
                  ? ELIGIBILITY_TEXT(arena, "outside.not_added",
                                     a->matter ? decisiontext_lit(arena, a->matter)
                                               : "@outside.not_described",
                                     decisiontext_lit(arena, cfg->art31_additions))
                  : ELIGIBILITY_TEXT(arena, "outside.none_added");
    else if (item > 9)
        why = ELIGIBILITY_TEXT(arena, "outside.no_item", decisiontext_num(arena, item));
    else
        why = ELIGIBILITY_TEXT(arena, "outside.no_item_named");
    eligibility_scope_set(s, ELIGIBILITY_SCOPE_OUTSIDE, 0, LAW "art. 31",
                          ELIGIBILITY_TEXT(arena, "scope.outside_civil", kind, DECISIONTEXT_NEST,
                                           &why));
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
                              ELIGIBILITY_TEXT(arena, "scope.retrial"));
    } else {
        switch (cat) {
        case LEGALAID__MATTER_CATEGORY__CIVIL:
        case LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE:
            eligibility_scope_civil(a, cfg, arena, s);
            break;
        case LEGALAID__MATTER_CATEGORY__STATE_COMPENSATION:
            eligibility_scope_set(s, ELIGIBILITY_SCOPE_ART31, 1, LAW "art. 31(1)",
                                  ELIGIBILITY_TEXT(arena, "scope.state_compensation"));
            break;
        case LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION:
            eligibility_scope_set(s, ELIGIBILITY_SCOPE_ART31, 5, LAW "art. 31(5)",
                                  ELIGIBILITY_TEXT(arena, "scope.labour_arbitration"));
            break;
        case LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM:
            eligibility_scope_set(s, ELIGIBILITY_SCOPE_VICTIM, 0, LAW "art. 29",
                                  ELIGIBILITY_TEXT(arena, "scope.victim"));
            break;
        case LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE:
            if (a->has_ground && a->ground == LEGALAID__MANDATORY_GROUND__DEATH_REVIEW) {
                /* Art. 25(1)(5): 申请法律援助的死刑复核案件被告人, the one
                 * art. 25(1) person who applies; a lawyer is appointed
                 * whatever his means. */
                eligibility_scope_set_free(s, ELIGIBILITY_SCOPE_DEATH_REVIEW,
                                           LAW "art. 25(1)(5)",
                                           ELIGIBILITY_TEXT(arena, "scope.death_review"),
                                           "means.death_review", "reason.death_review");
                break;
            }
            eligibility_scope_set(s, ELIGIBILITY_SCOPE_DEFENCE, 0, LAW "art. 24",
                                  ELIGIBILITY_TEXT(arena, "scope.defence"));
            break;
        case LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL:
            eligibility_scope_set_free(s, ELIGIBILITY_SCOPE_COMPULSORY, LAW "art. 28",
                                       ELIGIBILITY_TEXT(arena, "scope.compulsory"),
                                       "means.compulsory", "reason.compulsory");
            break;
        default:
            eligibility_scope_set(s, ELIGIBILITY_SCOPE_OUTSIDE, 0, NULL,
                                  ELIGIBILITY_TEXT(arena, "scope.no_category"));
        }
    }
    int in = s->kind != ELIGIBILITY_SCOPE_OUTSIDE;
    eligibility_decision_explained(arena, d, "scope", in, s->article, s->text);
    if (in) eligibility_decision_cite(arena, d, s->article);
}
