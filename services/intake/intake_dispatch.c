/*
 * intake_dispatch.c - what intake hears from dispatch: the matter
 * concluded (CaseProgressed to CONCLUDED, art. 50) or aid terminated
 * (CaseTerminated, art. 48) closes the case in the open-cases index
 * exactly as eligibility's closing decisions do (intake_store_case_close), so
 * the person can apply again on that matter (R-APP-02). A conclusion is
 * final; a termination can be set aside through an objection (art. 49),
 * and eligibility's new decision then re-opens the case (intake_outcome.c)
 * - also when intake applies that decision before dispatch's termination.
 */
#include <string.h>

#include "intake_cases.h"
#include "intake_int.h"
#include "log.h"

/* The case an event of dispatch is about, or NULL. */
static const char *intake_dispatch_case(const Legalaid__Event *ev, const char *own)
{
    if (own && own[0]) return own;
    return ev->case_id && ev->case_id[0] ? ev->case_id : NULL;
}

int intake_dispatch_apply(turn_t *t, const Legalaid__Event *ev)
{
    const char *case_id;
    uint32_t closed_by;
    const char *why;
    if (ev->body_case == LEGALAID__EVENT__BODY_CASE_PROGRESSED) {
        const Legalaid__CaseProgressed *p = ev->case_progressed;
        if (!p || !p->has_to || p->to != LEGALAID__ASSIGNMENT_STATE__CONCLUDED)
            return intake_cases_follow_dispatch(t, ev); /* only the case finder's row */
        case_id = intake_dispatch_case(ev, p->case_id);
        closed_by = INTAKE_CLOSED_CONCLUDED;
        why = "dispatch: the matter concluded";
    } else if (ev->body_case == LEGALAID__EVENT__BODY_CASE_TERMINATED) {
        const Legalaid__CaseTerminated *c = ev->case_terminated;
        if (!c) return turn_reject(t, "a CaseTerminated without its body");
        case_id = intake_dispatch_case(ev, c->case_id);
        closed_by = LEGALAID__OUTCOME__TERMINATED;
        why = arena_printf(t->arena, "dispatch: aid terminated, %s",
                           c->article && c->article[0] ? c->article : "Legal Aid Law art. 48");
    } else {
        /* offers, assignments, reviews: only the case finder's row */
        return intake_cases_follow_dispatch(t, ev);
    }
    if (!case_id) return turn_reject(t, "a dispatch event that closes a case names no case");
    Legalaid__Application *a;
    int rc = intake_store_application_load(t, case_id, &a);
    if (rc == MDB_NOTFOUND) {
        log_warn("dispatch closed case %s, which intake does not hold; nothing to update", case_id);
        return 0;
    }
    if (rc) return rc;
    /* The two streams are applied independently (after a restart, one
     * may be far ahead): a termination eligibility has since set aside on
     * an objection (art. 49) must not close the case again. */
    int64_t reopened;
    if (closed_by == LEGALAID__OUTCOME__TERMINATED &&
        (rc = intake_store_reopened_at(t, case_id, &reopened)) != MDB_NOTFOUND) {
        if (rc) return rc;
        if (ev->occurred_at <= reopened) {
            log_info("case %s: dispatch's termination was set aside by a later decision of "
                     "eligibility; the case stays open",
                     case_id);
            return 0;
        }
    }
    rc = intake_cases_follow_state(t, case_id,
                                   closed_by == INTAKE_CLOSED_CONCLUDED
                                       ? LEGALAID__CASE_STATE__CASE_CONCLUDED
                                       : LEGALAID__CASE_STATE__CASE_TERMINATED,
                                   NULL);
    return rc ? rc : intake_store_case_close(t, a, closed_by, why);
}
