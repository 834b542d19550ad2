/*
 * dispatch_case.c - dispatch's record of a case (the "assignments" table:
 * case_id -> Assignment), what a request naming a case finds there, what
 * the record says of itself (its state's name, whether it is a defence),
 * and CaseProgressed, which every step of the case's life publishes.
 */
#include <string.h>

#include "check.h"
#include "dispatch_int.h"
#include "i18n.h"
#include "store.h"

int dispatch_case_get(turn_t *t, const char *case_id, Legalaid__Assignment **a)
{
    return store_get_pb(t->txn, dispatch_assignments, case_id, strlen(case_id),
                        &legalaid__assignment__descriptor, &t->arena->pb, (ProtobufCMessage **)a);
}

int dispatch_case_put(turn_t *t, Legalaid__Assignment *a)
{
    Legalaid__Assignment *old = NULL;
    int rc = dispatch_case_get(t, a->case_id, &old);
    if (rc && rc != MDB_NOTFOUND) return rc;
    rc = 0;
    if (!old || old->state != a->state) {
        if (old) rc = dispatch_store_state_add(t->txn, old->state, -1);
        if (!rc) rc = dispatch_store_state_add(t->txn, a->state, 1);
        if (!rc)
            rc = ageq_set(t->txn, &dispatch_ages, a->case_id, dispatch_store_age_queue(a->state),
                          t->now);
        if (rc) return rc;
    }
    int overdue = dispatch_store_overdue(a) - (old ? dispatch_store_overdue(old) : 0);
    if (overdue) rc = dispatch_store_states_add(t->txn, DISPATCH_OVERDUE, overdue);
    if (rc) return rc;
    rc = dispatch_stats_put(t, old, a);
    if (rc) return rc;
    /* The lawyer's own page: who holds the case now. */
    rc = dispatch_store_hold(t->txn, a->case_id, old ? dispatch_store_holder(old) : NULL,
                             dispatch_store_holder(a));
    if (rc) return rc;
    return store_put_pb(t->txn, dispatch_assignments, a->case_id, strlen(a->case_id), &a->base, 0);
}

const char *dispatch_case_state_name(Legalaid__AssignmentState s)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&legalaid__assignment_state__descriptor, (int)s);
    return v ? v->name : "UNKNOWN";
}

int dispatch_case_progressed(turn_t *t, Legalaid__Assignment *a, Legalaid__AssignmentState from,
                             const char *by, const char *note, Legalaid__Event *ev)
{
    Legalaid__CaseProgressed *b =
        ARENA_NEW(t->arena, Legalaid__CaseProgressed, legalaid__case_progressed__init);
    b->case_id = a->case_id;
    b->from = from;
    b->has_from = 1;
    b->to = a->state;
    b->has_to = 1;
    b->by = (char *)by;
    b->note = (char *)note;
    b->assignment = a;
    ev->body_case = LEGALAID__EVENT__BODY_CASE_PROGRESSED;
    ev->case_progressed = b;
    return turn_emit(t, a->case_id, ev);
}

int dispatch_case_request(turn_t *t, const char *case_id, const char *field, Legalaid__Reply *reply,
                          Legalaid__Assignment **a, int *err)
{
    *err = 0;
    if (check_blank(case_id) || strlen(case_id) > LA_CASE_ID_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field,
                  _("case_id is required (1 to %d characters)"), LA_CASE_ID_MAX);
        return 0;
    }
    int rc = dispatch_case_get(t, case_id, a);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, field,
                  _("dispatch has no case %s: it is not approved, or its decision has not "
                    "reached dispatch yet"),
                  case_id);
        return 0;
    }
    if (rc) *err = rc;
    return rc == 0;
}

int dispatch_case_is_defence(const Legalaid__Assignment *a)
{
    if (a->category == LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE || a->lawyer_required) return 1;
    return a->facts && a->facts->has_aid_form && a->facts->aid_form == LEGALAID__AID_FORM__DEFENCE;
}
