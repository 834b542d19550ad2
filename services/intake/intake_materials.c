/*
 * intake_materials.c - SupplyMaterials: documents brought in after the one
 * notice of what is missing (art. 43(2)) are added to the stored
 * application, without repeats, and MaterialsSupplemented tells eligibility
 * what came and everything received so far. Eligibility decides what is
 * still missing and when an application is deemed withdrawn.
 */
#include <string.h>

#include "intake_int.h"
#include "store.h"

static int intake_material_held(const Legalaid__Application *a, const char *name)
{
    for (size_t i = 0; i < a->n_materials; i++)
        if (strcmp(a->materials[i], name) == 0) return 1;
    return 0;
}

int intake_supply(turn_t *t, const Legalaid__SupplyMaterials *s, Legalaid__Reply *reply)
{
    intake_problem_t pb;
    if (!s->case_id || !s->case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "supply_materials.case_id",
                  "case_id is required");
        return 0;
    }
    if (s->n_materials == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "supply_materials.materials",
                  "materials is required: the documents brought in");
        return 0;
    }
    if (intake_materials_check(s->materials, s->n_materials, "supply_materials.materials", &pb) <
        0) {
        intake_fail_problem(t, reply, &pb);
        return 0;
    }
    Legalaid__Application *a;
    int rc = intake_application_load(t, s->case_id, &a);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "supply_materials.case_id",
                  "no application with case number %s", s->case_id);
        return 0;
    }
    if (rc) return rc;
    if ((rc = intake_withdrawn_is(t, s->case_id)) != 0) {
        if (rc < 0) return rc;
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "supply_materials.case_id",
                  "application %s was withdrawn; a new application opens a new case", s->case_id);
        return 0;
    }

    size_t cap = a->n_materials + s->n_materials;
    char **all = arena_alloc(t->arena, cap * sizeof *all);
    char **added = arena_alloc(t->arena, s->n_materials * sizeof *added);
    if (a->n_materials) memcpy(all, a->materials, a->n_materials * sizeof *all);
    size_t n_all = a->n_materials, n_added = 0;
    for (size_t i = 0; i < s->n_materials; i++) {
        int seen = intake_material_held(a, s->materials[i]);
        for (size_t j = 0; j < n_added && !seen; j++) seen = strcmp(added[j], s->materials[i]) == 0;
        if (seen) continue;
        added[n_added++] = s->materials[i];
        all[n_all++] = s->materials[i];
    }
    if (n_all > INTAKE_MATERIALS_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "supply_materials.materials",
                  "case %s would hold %zu documents; at most %d", s->case_id, n_all,
                  INTAKE_MATERIALS_MAX);
        return 0;
    }
    /* Everything already held: nothing changes, nothing is published. */
    if (n_added > 0) {
        a->materials = all;
        a->n_materials = n_all;
        rc = store_put_pb(t->txn, intake_applications, a->case_id, strlen(a->case_id), &a->base, 0);
        if (rc) return rc;
        Legalaid__MaterialsSupplemented *m = ARENA_NEW(t->arena, Legalaid__MaterialsSupplemented,
                                                       legalaid__materials_supplemented__init);
        m->case_id = a->case_id;
        m->materials = added;
        m->n_materials = n_added;
        m->all_materials = all;
        m->n_all_materials = n_all;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED;
        ev->materials_supplemented = m;
        rc = turn_emit(t, a->case_id, ev);
        if (rc) return rc;
    }
    reply->body_case = LEGALAID__REPLY__BODY_APPLICATION;
    reply->application = a;
    return 0;
}
