/*
 * dispatch_case.c - dispatch's record of a case (the "assignments" table)
 * and the pieces every step of its life publishes: CaseProgressed, and
 * the deadlines an event sets or meets (Event.deadlines, deadlines_met:
 * notify keeps the reminders).
 */
#include <string.h>

#include "check.h"
#include "clock.h"
#include "dispatch_int.h"
#include "store.h"

int dispatch_case_get(turn_t *t, const char *case_id, Legalaid__Assignment **a)
{
    return store_get_pb(t->txn, dispatch_assignments, case_id, strlen(case_id),
                        &legalaid__assignment__descriptor, &t->arena->pb,
                        (ProtobufCMessage **)a);
}

int dispatch_case_put(turn_t *t, Legalaid__Assignment *a)
{
    return store_put_pb(t->txn, dispatch_assignments, a->case_id, strlen(a->case_id), &a->base,
                        0);
}

const char *dispatch_state_name(Legalaid__AssignmentState s)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&legalaid__assignment_state__descriptor, (int)s);
    return v ? v->name : "UNKNOWN";
}

Legalaid__Deadline *dispatch_deadline(turn_t *t, const char *key, int64_t due_at,
                                      Legalaid__Party owner, const char *owner_id,
                                      const char *what, const char *article)
{
    Legalaid__Deadline *dl = ARENA_NEW(t->arena, Legalaid__Deadline, legalaid__deadline__init);
    dl->key = (char *)key;
    dl->due_at = due_at;
    dl->has_due_at = 1;
    dl->owner = owner;
    dl->has_owner = 1;
    dl->owner_id = (char *)owner_id;
    dl->what = (char *)what;
    dl->article = (char *)article;
    return dl;
}

void dispatch_event_deadline(turn_t *t, Legalaid__Event *ev, Legalaid__Deadline *dl)
{
    Legalaid__Deadline **v = arena_alloc(t->arena, (ev->n_deadlines + 1) * sizeof *v);
    if (ev->n_deadlines) memcpy(v, ev->deadlines, ev->n_deadlines * sizeof *v);
    v[ev->n_deadlines++] = dl;
    ev->deadlines = v;
}

void dispatch_event_met(turn_t *t, Legalaid__Event *ev, const char *key)
{
    char **v = arena_alloc(t->arena, (ev->n_deadlines_met + 1) * sizeof *v);
    if (ev->n_deadlines_met) memcpy(v, ev->deadlines_met, ev->n_deadlines_met * sizeof *v);
    v[ev->n_deadlines_met++] = (char *)key;
    ev->deadlines_met = v;
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

int64_t dispatch_days_after(int64_t now, long long n)
{
    return clock_local_midnight(clock_local_day(now) + n + 1);
}

int dispatch_case_request(turn_t *t, const char *case_id, const char *field,
                             Legalaid__Reply *reply, Legalaid__Assignment **a, int *err)
{
    *err = 0;
    if (check_blank(case_id) || strlen(case_id) > 64) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field,
                  "case_id is required (1 to 64 characters)");
        return 0;
    }
    int rc = dispatch_case_get(t, case_id, a);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, field,
                  "dispatch has no case %s: it is not approved, or its decision has not "
                  "reached dispatch yet",
                  case_id);
        return 0;
    }
    if (rc) *err = rc;
    return rc == 0;
}

int64_t dispatch_years_between(int64_t from, int64_t now)
{
    if (from < 0 || from > now) return 0;
    struct tm a, b;
    clock_local_tm(from, &a);
    clock_local_tm(now, &b);
    int64_t y = b.tm_year - a.tm_year;
    if (b.tm_mon < a.tm_mon || (b.tm_mon == a.tm_mon && b.tm_mday < a.tm_mday)) y--;
    return y < 0 ? 0 : y;
}

int dispatch_is_defence(const Legalaid__Assignment *a)
{
    if (a->category == LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE || a->lawyer_required) return 1;
    return a->facts && a->facts->has_aid_form && a->facts->aid_form == LEGALAID__AID_FORM__DEFENCE;
}
