/*
 * eligibility_dispatch.c - what eligibility hears from dispatch: aid
 * terminated there (CaseTerminated, Legal Aid Law art. 48) is recorded as
 * the case's decision, TERMINATED, with the article and the objection
 * route (art. 49), and published, so that an objection can be filed
 * against the termination like against a refusal. A termination
 * eligibility decided itself (from_eligibility: a false commitment) is not
 * recorded twice.
 *
 *   CaseTerminated, from_eligibility false, the case granted (or awaiting
 *     materials with emergency aid under way, art. 44)
 *                       -> TERMINATED: the art. 48 item, art. 49 and the
 *                          objection route; EligibilityDecided
 *   CaseTerminated, from_eligibility true   -> nothing (already decided here)
 *   the case already refused, withdrawn or terminated -> nothing (logged)
 *   a case eligibility does not hold        -> nothing (logged)
 */
#include "eligibility_int.h"
#include "log.h"

/* Art. 48's grounds, as a param (decisiontext_table.c words them). */
static const char *eligibility_dispatch_ground(Legalaid__TerminationReason r)
{
    switch (r) {
    case LEGALAID__TERMINATION_REASON__DECEPTION:
        return "@art48.deception";
    case LEGALAID__TERMINATION_REASON__CONCEALMENT:
        return "@art48.concealment";
    case LEGALAID__TERMINATION_REASON__UNLAWFUL_USE:
        return "@art48.unlawful_use";
    case LEGALAID__TERMINATION_REASON__MEANS_CHANGED:
        return "@art48.means_changed";
    case LEGALAID__TERMINATION_REASON__MATTER_ENDED:
        return "@art48.matter_ended";
    case LEGALAID__TERMINATION_REASON__OWN_COUNSEL:
        return "@art48.own_counsel";
    case LEGALAID__TERMINATION_REASON__RECIPIENT_REQUEST:
        return "@art48.recipient_request";
    case LEGALAID__TERMINATION_REASON__OTHER_LAW:
        return "@art48.other_law";
    default:
        return "@art48.other";
    }
}

/* The article dispatch cited, or the item of art. 48 for the reason. */
static const char *eligibility_dispatch_article(turn_t *t, const Legalaid__CaseTerminated *c)
{
    if (c->article && c->article[0]) return c->article;
    if (c->has_reason && c->reason >= LEGALAID__TERMINATION_REASON__DECEPTION &&
        c->reason <= LEGALAID__TERMINATION_REASON__OTHER_LAW)
        return arena_printf(t->arena, LAW "art. 48(%d)", (int)c->reason);
    return LAW "art. 48";
}

/* The decision that records the termination: the prior one, decided now,
 * with no deadline it no longer runs and no facts to match a lawyer on. */
static Legalaid__Decision *eligibility_dispatch_decision(turn_t *t,
                                                         const Legalaid__CaseTerminated *c,
                                                         const Legalaid__Decision *prior)
{
    Legalaid__Decision *d = eligibility_case_redecision(t, prior, LEGALAID__OUTCOME__TERMINATED);
    d->has_materials_due_at = 0;
    d->materials_due_at = 0;
    d->facts = NULL;
    const char *article = eligibility_dispatch_article(t, c);
    eligibility_decision_cite(t->arena, d, article);
    eligibility_decision_cite(t->arena, d, LAW "art. 49");
    decisiontext_t route = eligibility_decision_objection_route(&eligibility_config, t->arena, d);
    const char *ground = eligibility_dispatch_ground(c->has_reason ? c->reason : 0);
    const char *detail = c->detail && c->detail[0] ? decisiontext_lit(t->arena, c->detail)
                                                   : "@termination.no_detail";
    eligibility_decision_explained(
        t->arena, d, "termination", 0, article,
        ELIGIBILITY_TEXT(t->arena, "termination.by_centre", ground, detail));
    eligibility_decision_reason(t->arena, d,
                                ELIGIBILITY_TEXT(t->arena, "reason.terminated", ground, detail,
                                                 DECISIONTEXT_NEST, &route));
    return d;
}

static int eligibility_dispatch_terminated(turn_t *t, const Legalaid__Event *ev,
                                           const Legalaid__CaseTerminated *c)
{
    const char *case_id = c->case_id && c->case_id[0] ? c->case_id : ev->case_id;
    if (!case_id || !case_id[0]) return turn_reject(t, "a CaseTerminated that names no case");
    /* Eligibility's own termination (a false commitment, art. 48(2)) is
     * recorded already. */
    if (c->has_from_eligibility && c->from_eligibility) return 0;
    Legalaid__Decision *prior;
    int rc = eligibility_case_decision(t, case_id, &prior);
    if (rc == MDB_NOTFOUND) {
        log_warn("dispatch terminated case %s, which eligibility does not hold; not recorded",
                 case_id);
        return 0;
    }
    if (rc) return rc;
    if (eligibility_case_final(prior->outcome)) {
        log_info("dispatch terminated case %s, already %s here; nothing to record", case_id,
                 eligibility_case_outcome_name(prior->outcome));
        return 0;
    }
    Legalaid__Decision *d = eligibility_dispatch_decision(t, c, prior);
    return eligibility_case_publish(t, prior, d);
}

int eligibility_dispatch_apply(turn_t *t, const Legalaid__Event *ev)
{
    if (ev->body_case != LEGALAID__EVENT__BODY_CASE_TERMINATED) return 0;
    if (!ev->case_terminated) return turn_reject(t, "a CaseTerminated without its body");
    return eligibility_dispatch_terminated(t, ev, ev->case_terminated);
}
