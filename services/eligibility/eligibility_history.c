/*
 * eligibility_history.c - a case of the previous system (issue 14, `import
 * history`): decided as the old system recorded it, never by today's
 * rules. The decision carries the record on to dispatch (the lawyer, the
 * result) and has no deadline: no assignment is due, no commitment is to
 * be checked, and notify sends nothing for it (notify_rules.c).
 */
#include "eligibility_int.h"

int eligibility_history_received(turn_t *t, const Legalaid__Application *a)
{
    const Legalaid__HistoryRecord *h = a->history;
    Legalaid__Decision *d = ARENA_NEW(t->arena, Legalaid__Decision, legalaid__decision__init);
    d->case_id = a->case_id;
    d->outcome = h->granted ? LEGALAID__OUTCOME__APPROVED : LEGALAID__OUTCOME__REFUSED;
    d->has_outcome = 1;
    d->decided_at = h->decided_at ? h->decided_at : a->received_at;
    d->has_decided_at = 1;
    d->category = a->category;
    d->has_category = 1;
    d->centre = a->centre;
    d->rule_version = "history";
    eligibility_decision_reason(
        t->arena, d,
        ELIGIBILITY_TEXT(t->arena, "reason.history",
                         h->decision_reason && h->decision_reason[0] ? "：" : "",
                         decisiontext_lit(t->arena, h->decision_reason)));
    eligibility_decision_explained(
        t->arena, d, "history", h->granted, NULL,
        ELIGIBILITY_TEXT(t->arena, "history.recorded", h->granted ? "granted" : "refused",
                         decisiontext_lit(t->arena, h->source_id ? h->source_id : "-")));
    eligibility_casefacts_fill(a, t->arena, d);
    d->history = (Legalaid__HistoryRecord *)h;
    return eligibility_case_publish(t, NULL, d);
}
