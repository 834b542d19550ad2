/*
 * eligibility_casefacts.c - the facts of an approved case that decide who
 * may handle it (CaseFacts), copied from the application into the decision
 * on every grant of aid, so that dispatch needs only eligibility's stream
 * (DOMAIN R-ASSIGN-02..09; what is copied: eligibility_int.h).
 */
#include "eligibility_int.h"
#include "eligibility_priority.h"

/* A minor party: a juvenile-qualified lawyer (未成年人保护法 art. 104;
 * DOMAIN R-ASSIGN-04). */
static int eligibility_casefacts_minor(const Legalaid__Application *a)
{
    if (a->has_ground && a->ground == LEGALAID__MANDATORY_GROUND__MINOR) return 1;
    for (size_t i = 0; i < a->n_groups; i++)
        if (a->groups[i] == LEGALAID__SPECIAL_GROUP__MINOR_PARTY) return 1;
    const Legalaid__Person *p = a->applicant;
    int resident = p && (!p->has_id_type || p->id_type == LEGALAID__ID_TYPE__RESIDENT_ID ||
                         p->id_type == LEGALAID__ID_TYPE__ID_TYPE_UNSPECIFIED);
    int age = resident ? eligibility_priority_age(p->id_number, a->received_at) : -1;
    return age >= 0 && age < 18;
}

/* Only who the person is: no phone or address leaves eligibility for
 * dispatch's conflict check (R-DATA-02: within the purpose). */
static Legalaid__Person *eligibility_casefacts_person(const Legalaid__Person *p, arena_t *arena)
{
    Legalaid__Person *out = ARENA_NEW(arena, Legalaid__Person, legalaid__person__init);
    out->name = p->name;
    out->id_number = p->id_number;
    if (p->has_id_type) {
        out->has_id_type = 1;
        out->id_type = p->id_type;
    }
    return out;
}

void eligibility_casefacts_fill(const Legalaid__Application *a, arena_t *arena,
                                Legalaid__Decision *d)
{
    d->facts = NULL;
    if (d->outcome != LEGALAID__OUTCOME__APPROVED &&
        d->outcome != LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION)
        return;
    Legalaid__CaseFacts *f = ARENA_NEW(arena, Legalaid__CaseFacts, legalaid__case_facts__init);
    if (a->has_ground) {
        f->has_ground = 1;
        f->ground = a->ground;
    }
    f->has_minor = 1;
    f->minor = eligibility_casefacts_minor(a);
    /* Art. 22: criminal defence is defence (art. 25); every other matter
     * is representation unless the applicant asked for a document only. */
    f->has_aid_form = 1;
    if (a->has_aid_form && a->aid_form != LEGALAID__AID_FORM__AID_FORM_UNSPECIFIED)
        f->aid_form = a->aid_form;
    else
        f->aid_form = a->category == LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE
                          ? LEGALAID__AID_FORM__DEFENCE
                          : LEGALAID__AID_FORM__REPRESENTATION;
    f->county = a->county;
    if (a->has_language) {
        f->has_language = 1;
        f->language = a->language;
    }
    if (a->applicant) {
        f->applicant = ARENA_NEW(arena, Legalaid__Person, legalaid__person__init);
        f->applicant->name = a->applicant->name;
        f->applicant->id_number = a->applicant->id_number;
    }
    f->opposing_party = a->opposing_party;
    if (a->n_co_defendants) {
        f->co_defendants = arena_alloc(arena, a->n_co_defendants * sizeof *f->co_defendants);
        for (size_t i = 0; i < a->n_co_defendants; i++)
            if (a->co_defendants[i])
                f->co_defendants[f->n_co_defendants++] =
                    eligibility_casefacts_person(a->co_defendants[i], arena);
    }
    f->related_cases = a->related_cases;
    f->n_related_cases = a->n_related_cases;
    if (a->has_scope_item) {
        f->has_scope_item = 1;
        f->scope_item = a->scope_item;
    }
    d->facts = f;
}
