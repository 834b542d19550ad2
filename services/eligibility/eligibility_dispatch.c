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
#include "i18n.h"
#include "log.h"

/* Art. 48's grounds, in the words of the decision. */
static const char *eligibility_dispatch_ground(Legalaid__TerminationReason r)
{
    switch (r) {
    case LEGALAID__TERMINATION_REASON__DECEPTION:
        return _("aid was obtained by deception or other improper means (art. 48(1))");
    case LEGALAID__TERMINATION_REASON__CONCEALMENT:
        return _("important facts were concealed on purpose or false evidence was given "
                 "(art. 48(2))");
    case LEGALAID__TERMINATION_REASON__UNLAWFUL_USE:
        return _("the aid was used for an unlawful activity (art. 48(3))");
    case LEGALAID__TERMINATION_REASON__MEANS_CHANGED:
        return _("the recipient's economic situation changed and no longer qualifies "
                 "(art. 48(4))");
    case LEGALAID__TERMINATION_REASON__MATTER_ENDED:
        return _("the case ended or was withdrawn (art. 48(5))");
    case LEGALAID__TERMINATION_REASON__OWN_COUNSEL:
        return _("the recipient retained their own lawyer or agent (art. 48(6))");
    case LEGALAID__TERMINATION_REASON__RECIPIENT_REQUEST:
        return _("the recipient asked to stop for a good reason (art. 48(7))");
    case LEGALAID__TERMINATION_REASON__OTHER_LAW:
        return _("a ground in other laws or regulations (art. 48(8))");
    default:
        return _("a ground of art. 48");
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
    d->objection_route =
        (char *)eligibility_decision_objection_route(&eligibility_config, t->arena);
    const char *ground = eligibility_dispatch_ground(c->has_reason ? c->reason : 0);
    const char *detail = c->detail && c->detail[0] ? c->detail : _("no detail given");
    eligibility_decision_test(
        t->arena, d, "termination", 0,
        arena_printf(t->arena, _("aid terminated by the centre: %s: %s"), ground, detail), article);
    eligibility_decision_reason_text(d, NULL); /* words, not a code */
    d->reason = arena_printf(t->arena, _("aid is terminated: %s (%s); %s"), ground, detail,
                             d->objection_route);
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
