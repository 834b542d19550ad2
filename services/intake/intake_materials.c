/*
 * intake_materials.c - SupplyMaterials: documents brought in after the one
 * notice of what is missing (art. 43(2)) are added to the stored
 * application, without repeats, with what staff read from them (the
 * commitment letter signed (art. 41), the declared income per head
 * (art. 34), a proof of status (art. 42)); MaterialsSupplemented tells
 * eligibility what came, everything received so far and those readings, so
 * it can decide again. The merge is shared with a linked duplicate
 * (intake_submit.c), whose documents join the open case the same way.
 * Eligibility decides what is still missing and when an application is
 * deemed withdrawn.
 */
#include <string.h>

#include "i18n.h"
#include "intake_int.h"
#include "store.h"

static int intake_material_held(char **list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0) return 1;
    return 0;
}

int intake_materials_merge(turn_t *t, Legalaid__Application *a, char **materials, size_t n,
                           Legalaid__MaterialsSupplemented *m)
{
    char **all = arena_alloc(t->arena, (a->n_materials + n + 1) * sizeof *all);
    char **added = arena_alloc(t->arena, (n + 1) * sizeof *added);
    if (a->n_materials) memcpy(all, a->materials, a->n_materials * sizeof *all);
    size_t n_all = a->n_materials, n_added = 0;
    for (size_t i = 0; i < n; i++) {
        if (intake_material_held(all, n_all, materials[i])) continue;
        added[n_added++] = materials[i];
        all[n_all++] = materials[i];
    }
    if (n_all > INTAKE_MATERIALS_MAX) return -1;
    a->materials = all;
    a->n_materials = n_all;
    m->case_id = a->case_id;
    m->materials = added;
    m->n_materials = n_added;
    m->all_materials = all;
    m->n_all_materials = n_all;
    return 0;
}

int intake_materials_publish(turn_t *t, Legalaid__Application *a,
                             Legalaid__MaterialsSupplemented *m)
{
    int rc = store_put_pb(t->txn, intake_applications, a->case_id, strlen(a->case_id), &a->base, 0);
    if (rc) return rc;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED;
    ev->materials_supplemented = m;
    return turn_emit(t, a->case_id, ev);
}

/* Sets on a what the supply says the documents establish and copies it
 * into m; returns 1 when that changes the stored application. */
static int intake_supply_readings(const Legalaid__SupplyMaterials *s, Legalaid__Application *a,
                                  Legalaid__MaterialsSupplemented *m)
{
    int changed = 0;
    if (s->has_commitment_signed) {
        changed |= !a->has_commitment_signed || a->commitment_signed != s->commitment_signed;
        a->has_commitment_signed = m->has_commitment_signed = 1;
        a->commitment_signed = m->commitment_signed = s->commitment_signed;
    }
    if (s->has_household_income_fen) {
        changed |=
            !a->has_household_income_fen || a->household_income_fen != s->household_income_fen;
        a->has_household_income_fen = m->has_household_income_fen = 1;
        a->household_income_fen = m->household_income_fen = s->household_income_fen;
    }
    if (s->has_hardship_proof) {
        changed |= !a->has_hardship_proof || a->hardship_proof != s->hardship_proof;
        a->has_hardship_proof = m->has_hardship_proof = 1;
        a->hardship_proof = m->hardship_proof = s->hardship_proof;
    }
    return changed;
}

int intake_materials_supply(turn_t *t, const Legalaid__SupplyMaterials *s, Legalaid__Reply *reply)
{
    intake_problem_t pb;
    if (intake_validate_supply(s, &pb) < 0) {
        intake_problem_reply(t, reply, &pb);
        return 0;
    }
    Legalaid__Application *a;
    int rc = intake_store_application_load(t, s->case_id, &a);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "supply_materials.case_id",
                  _("no application with case number %s"), s->case_id);
        return 0;
    }
    if (rc) return rc;
    if ((rc = intake_store_withdrawn_is(t, s->case_id)) != 0) {
        if (rc < 0) return rc;
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "supply_materials.case_id",
                  _("application %s was withdrawn; a new application opens a new case"),
                  s->case_id);
        return 0;
    }

    Legalaid__MaterialsSupplemented *m = ARENA_NEW(t->arena, Legalaid__MaterialsSupplemented,
                                                   legalaid__materials_supplemented__init);
    size_t held = a->n_materials;
    if (intake_materials_merge(t, a, s->materials, s->n_materials, m) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "supply_materials.materials",
                  _("case %s holds %zu documents and these would make more than %d"), s->case_id,
                  held, INTAKE_MATERIALS_MAX);
        return 0;
    }
    int changed = intake_supply_readings(s, a, m);
    /* Everything already held and already read so: nothing changes,
     * nothing is published. */
    if (m->n_materials > 0 || changed) {
        rc = intake_materials_publish(t, a, m);
        if (rc) return rc;
    }
    reply->body_case = LEGALAID__REPLY__BODY_APPLICATION;
    reply->application = a;
    return 0;
}
