/*
 * eligibility_history.c - a case of the previous system (issue 14, `import
 * history`): decided as the old system recorded it, never by today's
 * rules. The decision carries the record on to dispatch (the lawyer, the
 * result) and has no deadline: no assignment is due, no commitment is to
 * be checked, and notify sends nothing for it (notify_rules.c).
 */
#include "eligibility_int.h"
#include "i18n.h"

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
    eligibility_decision_reason_text(d, NULL); /* words, not a code */
    d->reason = arena_printf(t->arena, _("原系统记录的决定（历史数据，未按现行规则重新审查）%s%s"),
                             h->decision_reason && h->decision_reason[0] ? "：" : "",
                             h->decision_reason ? h->decision_reason : "");
    eligibility_decision_test(
        t->arena, d, "history", h->granted,
        arena_printf(t->arena, _("recorded by the previous system as %s (%s)"),
                     h->granted ? "granted" : "refused", h->source_id ? h->source_id : "-"),
        NULL);
    eligibility_casefacts_fill(a, t->arena, d);
    d->history = (Legalaid__HistoryRecord *)h;
    return eligibility_case_publish(t, NULL, d);
}
