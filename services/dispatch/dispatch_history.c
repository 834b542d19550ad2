/*
 * dispatch_history.c - a case of the previous system (issue 14, `import
 * history`), approved as the old system recorded it: dispatch keeps its
 * record as the case stood there (its lawyer, dates, result, the amount
 * recovered and the file's grade), so that it shows in `case`, on the
 * lawyer's own list and in the conflict-of-interest checks, and is counted
 * in the reports. It is never offered, given a deadline, counted in a
 * lawyer's load or fair share, nor published: nothing is to be done.
 */
#include <string.h>

#include "dispatch_int.h"

static Legalaid__Grade dispatch_history_grade(const char *g)
{
    if (!g) return LEGALAID__GRADE__GRADE_UNSPECIFIED;
    if (strcmp(g, "excellent") == 0) return LEGALAID__GRADE__EXCELLENT;
    if (strcmp(g, "good") == 0) return LEGALAID__GRADE__GOOD;
    if (strcmp(g, "pass") == 0) return LEGALAID__GRADE__PASS;
    if (strcmp(g, "fail") == 0) return LEGALAID__GRADE__FAIL;
    return LEGALAID__GRADE__GRADE_UNSPECIFIED;
}

int dispatch_history_open(turn_t *t, Legalaid__Assignment *a, const Legalaid__Decision *d)
{
    const Legalaid__HistoryRecord *h = d->history;
    a->history = (Legalaid__HistoryRecord *)h;
    a->category = d->category;
    a->has_category = d->has_category;
    a->facts = d->facts;
    a->approved_at = d->has_decided_at ? d->decided_at : t->now;
    a->has_approved_at = 1;
    a->reason = "原系统记录的案件（历史数据）";
    if ((h->lawyer_id && h->lawyer_id[0]) || (h->lawyer_name && h->lawyer_name[0])) {
        Legalaid__Lawyer *l = ARENA_NEW(t->arena, Legalaid__Lawyer, legalaid__lawyer__init);
        l->id = h->lawyer_id;
        l->name = h->lawyer_name;
        l->firm = h->firm;
        a->lawyer = l;
        a->assigned_at = h->assigned_at ? h->assigned_at : a->approved_at;
        a->has_assigned_at = 1;
        a->assigned_by = "history";
    }
    a->state = LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS;
    if (h->concluded_at) {
        a->state = LEGALAID__ASSIGNMENT_STATE__CONCLUDED;
        a->concluded_at = h->concluded_at;
        a->has_concluded_at = 1;
        a->result = h->result;
        a->amount_recovered_fen = h->amount_recovered_fen;
        a->has_amount_recovered_fen = 1;
    }
    Legalaid__Grade g = dispatch_history_grade(h->grade);
    if (g && h->concluded_at) {
        a->state = LEGALAID__ASSIGNMENT_STATE__REVIEWED;
        a->grade = g;
        a->has_grade = 1;
        a->reviewed_at = h->concluded_at;
        a->has_reviewed_at = 1;
    }
    a->has_state = 1;
    return dispatch_case_put(t, a);
}
