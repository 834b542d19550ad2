/*
 * intake_cases_follow.c - keeps each case's row (intake_cases.c) as the
 * case moves: received here, decided by eligibility, assigned, concluded
 * or terminated by dispatch, withdrawn; and its open deadlines as
 * eligibility's and dispatch's events set and meet them. Each change is
 * written in the transaction that applies the request or event, so the
 * finder shows what intake has applied, never a guess.
 *
 * The two upstream streams are applied independently (one may be far
 * ahead after a restart), so a late approval never takes a case back
 * from a lawyer: states of aid granted only move forward.
 */
#include <string.h>

#include "intake_cases.h"
#include "log.h"
#include "store.h"

int intake_cases_follow_received(turn_t *t, const Legalaid__Application *a)
{
    Legalaid__CaseRow *row = ARENA_NEW(t->arena, Legalaid__CaseRow, legalaid__case_row__init);
    row->case_id = a->case_id;
    row->received_at = a->received_at;
    row->has_received_at = 1;
    row->category = a->category;
    row->has_category = 1;
    row->kind = intake_cases_kind(a->category);
    row->has_kind = 1;
    row->centre = a->centre;
    row->county = a->county;
    row->station = a->station;
    row->channel = a->channel;
    row->has_channel = 1;
    row->state = LEGALAID__CASE_STATE__CASE_RECEIVED;
    row->has_state = 1;
    return intake_cases_put(t, NULL, row);
}

/* The row of case_id twice (as stored, and a copy to change): 0,
 * MDB_NOTFOUND (a case from before the finder, or unknown) or an error. */
static int intake_cases_load(turn_t *t, const char *case_id, Legalaid__CaseRow **old,
                             Legalaid__CaseRow **row)
{
    if (!case_id || !case_id[0]) return MDB_NOTFOUND;
    int rc = intake_cases_get(t, case_id, old);
    if (!rc) rc = intake_cases_get(t, case_id, row);
    return rc;
}

/* Aid granted and beyond: a lawyer holds it, or it ended. */
static int intake_cases_granted_beyond(Legalaid__CaseState s)
{
    return s == LEGALAID__CASE_STATE__CASE_ASSIGNED || s == LEGALAID__CASE_STATE__CASE_CONCLUDED ||
           s == LEGALAID__CASE_STATE__CASE_TERMINATED || s == LEGALAID__CASE_STATE__CASE_WITHDRAWN;
}

int intake_cases_follow_state(turn_t *t, const char *case_id, Legalaid__CaseState state,
                              const char *lawyer)
{
    Legalaid__CaseRow *old, *row;
    int rc = intake_cases_load(t, case_id, &old, &row);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    row->state = state;
    row->has_state = 1;
    if (lawyer) row->lawyer_id = lawyer[0] ? (char *)lawyer : NULL;
    /* A case that ended owes nothing more. */
    if (state == LEGALAID__CASE_STATE__CASE_WITHDRAWN ||
        state == LEGALAID__CASE_STATE__CASE_TERMINATED)
        row->n_deadlines = 0;
    return intake_cases_put(t, old, row);
}

int intake_cases_follow_decided(turn_t *t, const char *case_id, Legalaid__Outcome outcome)
{
    Legalaid__CaseState s;
    switch (outcome) {
    case LEGALAID__OUTCOME__APPROVED:
    case LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION: {
        Legalaid__CaseRow *row;
        int rc = intake_cases_get(t, case_id, &row);
        if (rc == MDB_NOTFOUND) return 0;
        if (rc) return rc;
        if (intake_cases_granted_beyond(row->state)) return 0;
        s = LEGALAID__CASE_STATE__CASE_APPROVED;
        break;
    }
    case LEGALAID__OUTCOME__NEEDS_MATERIALS:
        s = LEGALAID__CASE_STATE__CASE_AWAITING_MATERIALS;
        break;
    case LEGALAID__OUTCOME__REFUSED:
        s = LEGALAID__CASE_STATE__CASE_REFUSED;
        break;
    case LEGALAID__OUTCOME__WITHDRAWN:
    case LEGALAID__OUTCOME__DEEMED_WITHDRAWN:
        s = LEGALAID__CASE_STATE__CASE_WITHDRAWN;
        break;
    case LEGALAID__OUTCOME__TERMINATED:
        s = LEGALAID__CASE_STATE__CASE_TERMINATED;
        break;
    default:
        return 0;
    }
    return intake_cases_follow_state(t, case_id, s, NULL);
}

/* The state of a case whose assignment is in state a. */
static Legalaid__CaseState intake_cases_of_assignment(Legalaid__AssignmentState a)
{
    switch (a) {
    case LEGALAID__ASSIGNMENT_STATE__ASSIGNED:
    case LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED:
    case LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS:
        return LEGALAID__CASE_STATE__CASE_ASSIGNED;
    case LEGALAID__ASSIGNMENT_STATE__CONCLUDED:
    case LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED:
    case LEGALAID__ASSIGNMENT_STATE__REVIEWED:
        return LEGALAID__CASE_STATE__CASE_CONCLUDED;
    case LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED:
        return LEGALAID__CASE_STATE__CASE_TERMINATED;
    case LEGALAID__ASSIGNMENT_STATE__ASSIGNMENT_UNSPECIFIED:
        return LEGALAID__CASE_STATE__CASE_STATE_UNSPECIFIED;
    default: /* queued, offered, needs staff, awaiting own counsel */
        return LEGALAID__CASE_STATE__CASE_APPROVED;
    }
}

static const char *intake_cases_lawyer(const Legalaid__Assignment *a)
{
    return a && a->lawyer && a->lawyer->id ? a->lawyer->id : NULL;
}

int intake_cases_follow_dispatch(turn_t *t, const Legalaid__Event *ev)
{
    const char *case_id = ev->case_id;
    switch (ev->body_case) {
    case LEGALAID__EVENT__BODY_LAWYER_ASSIGNED: {
        const Legalaid__Assignment *a =
            ev->lawyer_assigned ? ev->lawyer_assigned->assignment : NULL;
        const char *lawyer = intake_cases_lawyer(a);
        if (a && a->case_id) case_id = a->case_id;
        return intake_cases_follow_state(t, case_id, LEGALAID__CASE_STATE__CASE_ASSIGNED,
                                         lawyer ? lawyer : "");
    }
    case LEGALAID__EVENT__BODY_CASE_PROGRESSED: {
        const Legalaid__CaseProgressed *p = ev->case_progressed;
        if (!p || !p->has_to) return 0;
        Legalaid__CaseState s = intake_cases_of_assignment(p->to);
        if (!s || s == LEGALAID__CASE_STATE__CASE_TERMINATED)
            return 0; /* a termination closes the case in intake_dispatch.c */
        const char *lawyer = intake_cases_lawyer(p->assignment);
        if (s == LEGALAID__CASE_STATE__CASE_APPROVED) lawyer = "";
        return intake_cases_follow_state(t, p->case_id && p->case_id[0] ? p->case_id : case_id, s,
                                         lawyer);
    }
    case LEGALAID__EVENT__BODY_LAWYER_RELEASED: {
        const Legalaid__LawyerReleased *r = ev->lawyer_released;
        return intake_cases_follow_state(t, r && r->case_id && r->case_id[0] ? r->case_id : case_id,
                                         LEGALAID__CASE_STATE__CASE_APPROVED, "");
    }
    case LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED: {
        const Legalaid__AssignmentQueued *q = ev->assignment_queued;
        if (q && q->case_id && q->case_id[0]) case_id = q->case_id;
        Legalaid__CaseRow *row;
        int rc = case_id ? intake_cases_get(t, case_id, &row) : MDB_NOTFOUND;
        if (rc == MDB_NOTFOUND) return 0;
        if (rc || intake_cases_granted_beyond(row->state)) return rc;
        return intake_cases_follow_state(t, case_id, LEGALAID__CASE_STATE__CASE_APPROVED, "");
    }
    default:
        return 0;
    }
}

/* Sets (or moves) key's deadline in row. */
static void intake_cases_deadline_set(turn_t *t, Legalaid__CaseRow *row, const char *key,
                                      int64_t due_at)
{
    for (size_t i = 0; i < row->n_deadlines; i++)
        if (row->deadlines[i]->key && strcmp(row->deadlines[i]->key, key) == 0) {
            row->deadlines[i]->due_at = due_at;
            return;
        }
    Legalaid__CaseDeadline **v = arena_alloc(t->arena, (row->n_deadlines + 1) * sizeof *v);
    if (row->n_deadlines) memcpy(v, row->deadlines, row->n_deadlines * sizeof *v);
    Legalaid__CaseDeadline *dl =
        ARENA_NEW(t->arena, Legalaid__CaseDeadline, legalaid__case_deadline__init);
    dl->key = (char *)key;
    dl->due_at = due_at;
    dl->has_due_at = 1;
    v[row->n_deadlines++] = dl;
    row->deadlines = v;
}

static void intake_cases_deadline_met(Legalaid__CaseRow *row, const char *key)
{
    size_t w = 0;
    for (size_t i = 0; i < row->n_deadlines; i++)
        if (!row->deadlines[i]->key || strcmp(row->deadlines[i]->key, key) != 0)
            row->deadlines[w++] = row->deadlines[i];
    row->n_deadlines = w;
}

int intake_cases_follow_deadlines(turn_t *t, const Legalaid__Event *ev)
{
    if (ev->n_deadlines == 0 && ev->n_deadlines_met == 0) return 0;
    Legalaid__CaseRow *old, *row;
    int rc = intake_cases_load(t, ev->case_id, &old, &row);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    for (size_t i = 0; i < ev->n_deadlines_met; i++)
        if (ev->deadlines_met[i]) intake_cases_deadline_met(row, ev->deadlines_met[i]);
    for (size_t i = 0; i < ev->n_deadlines; i++) {
        const Legalaid__Deadline *dl = ev->deadlines[i];
        if (!dl || !dl->key || !dl->key[0]) continue;
        /* A deadline that lapses or acts by itself at its breach (an offer
         * goes on, an application is deemed withdrawn) leaves nothing
         * overdue: the finder keeps only the ones someone still owes. */
        if (dl->lapses || dl->reminder_only || dl->due_at <= 0)
            intake_cases_deadline_met(row, dl->key);
        else
            intake_cases_deadline_set(t, row, dl->key, dl->due_at);
    }
    return intake_cases_put(t, old, row);
}
