/*
 * eligibility_lifecycle.c - what intake's events and the passing of time
 * do to a case: the first decision on an application or an authority's
 * notification, the decision again once missing materials are supplied,
 * the applicant's withdrawal, and the deemed withdrawal when the materials
 * deadline passes (Legal Aid Law art. 43(2)).
 */
#include <string.h>

#include "clock.h"
#include "eligibility_int.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

/* The event's case: the body's case_id, else the envelope's. */
static const char *eligibility_lifecycle_case(const Legalaid__Event *ev, const char *body_case_id)
{
    if (body_case_id && body_case_id[0]) return body_case_id;
    return ev->case_id && ev->case_id[0] ? ev->case_id : NULL;
}

int eligibility_lifecycle_received(turn_t *t, const Legalaid__Event *ev,
                                   const Legalaid__Application *a)
{
    const char *why = eligibility_decision_application_problem(a);
    if (why) return turn_reject(t, "%s", why);
    if (ev->case_id && ev->case_id[0] && strcmp(ev->case_id, a->case_id) != 0)
        return turn_reject(t, "the event is about case %s but its application is case %s",
                           ev->case_id, a->case_id);

    /* One first decision per case. The upstream offset already applies each
     * event once; this guards against intake publishing a case twice. */
    Legalaid__Decision *prior;
    int rc = eligibility_case_decision(t, a->case_id, &prior);
    if (rc == 0) {
        log_info("case already decided, event ignored case=%s event=%s", a->case_id,
                 ev->event_id ? ev->event_id : "-");
        return 0;
    }
    if (rc != MDB_NOTFOUND) return rc;
    rc = eligibility_case_keep_application(t, a);
    /* Counted on the day it was received, for the board's charts. */
    if (!rc) rc = turn_observe(t, "applications", a->has_received_at ? a->received_at : t->now, -1);
    if (!rc) rc = eligibility_stats_received(t, a);
    if (rc) return rc;
    if (a->history) return eligibility_history_received(t, a);
    return eligibility_case_decide(t, a, NULL, 0, 0, NULL);
}

/* Adds the materials not yet listed to a->materials (arena). */
static void eligibility_lifecycle_merge(turn_t *t, Legalaid__Application *a, char **add,
                                        size_t n_add)
{
    char **all = arena_alloc(t->arena, (a->n_materials + n_add + 1) * sizeof *all);
    size_t n = a->n_materials;
    if (n) memcpy(all, a->materials, n * sizeof *all);
    for (size_t i = 0; i < n_add; i++) {
        if (!add[i] || !add[i][0]) continue;
        size_t j = 0;
        while (j < n && strcmp(all[j], add[i]) != 0) j++;
        if (j == n) all[n++] = add[i];
    }
    a->materials = all;
    a->n_materials = n;
}

/* The days the decision clock has stood still for this case: those already
 * in prior's deadline, plus the local days since prior asked for the
 * materials (the day they arrive counts again). */
static long long eligibility_lifecycle_paused(turn_t *t, const Legalaid__Application *a,
                                              const Legalaid__Decision *prior)
{
    if (!eligibility_config.materials_pause_clock || !prior->has_decided_at) return 0;
    long long before = 0;
    while (before < 366 &&
           eligibility_calendar_days_end(a->received_at, eligibility_config.review_days + before) <
               prior->decision_due_at)
        before++;
    long long waited = clock_local_day(t->now) - clock_local_day(prior->decided_at);
    return before + (waited > 0 ? waited : 0);
}

int eligibility_lifecycle_supplemented(turn_t *t, const Legalaid__Event *ev,
                                       const Legalaid__MaterialsSupplemented *m)
{
    const char *case_id = eligibility_lifecycle_case(ev, m->case_id);
    if (!case_id) return turn_reject(t, "materials supplied without a case_id");
    Legalaid__Application *a;
    int rc = eligibility_case_application(t, case_id, &a);
    if (rc == MDB_NOTFOUND)
        return turn_reject(t, "materials supplied for case %s, which eligibility never received",
                           case_id);
    if (rc) return rc;
    /* intake's list of everything received is authoritative; merge in
     * case it is absent. */
    if (m->n_all_materials) eligibility_lifecycle_merge(t, a, m->all_materials, m->n_all_materials);
    eligibility_lifecycle_merge(t, a, m->materials, m->n_materials);
    /* What the materials establish, as intake recorded it: the signed
     * commitment letter (art. 41), the declared income (art. 34), a proof
     * of status (art. 42). Never read from a material's free-text name. */
    if (m->has_commitment_signed) {
        a->commitment_signed = m->commitment_signed;
        a->has_commitment_signed = 1;
    }
    if (m->has_household_income_fen) {
        a->household_income_fen = m->household_income_fen;
        a->has_household_income_fen = 1;
    }
    if (m->hardship_proof) a->hardship_proof = m->hardship_proof;
    rc = eligibility_case_keep_application(t, a);
    if (rc) return rc;

    Legalaid__Decision *prior;
    rc = eligibility_case_decision(t, case_id, &prior);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    if (prior->outcome != LEGALAID__OUTCOME__NEEDS_MATERIALS) {
        log_info("materials supplied to a case not awaiting them, kept case=%s outcome=%s", case_id,
                 eligibility_case_outcome_name(prior->outcome));
        return 0;
    }
    /* Art. 43(2): the review resumes with what was supplied, and the days
     * spent waiting for it do not count against the 7-day decision. A case
     * the justice bureau ordered corrected is decided as the correction
     * was (art. 49): never refused again on the ground set aside. */
    long long paused = eligibility_lifecycle_paused(t, a, prior);
    const char *ordered;
    rc = eligibility_mark_get(t, ELIGIBILITY_MARK_CORRECTED, case_id, NULL, &ordered);
    if (rc == 0) return eligibility_case_decide_corrected(t, a, prior, paused, ordered);
    if (rc != MDB_NOTFOUND) return rc;
    return eligibility_case_decide(t, a, prior, 0, paused, NULL);
}

int eligibility_lifecycle_withdrawn(turn_t *t, const Legalaid__Event *ev,
                                    const Legalaid__ApplicationWithdrawn *w)
{
    const char *case_id = eligibility_lifecycle_case(ev, w->case_id);
    if (!case_id) return turn_reject(t, "a withdrawal without a case_id");
    Legalaid__Decision *prior;
    int rc = eligibility_case_decision(t, case_id, &prior);
    if (rc == MDB_NOTFOUND)
        return turn_reject(t, "case %s was withdrawn but eligibility never decided it", case_id);
    if (rc) return rc;
    /* Recorded whatever the decision: a final case withdrawn while its
     * objection is pending must not be revived by a correction. */
    const char *why = w->reason && w->reason[0] ? w->reason : _("no reason given");
    rc = eligibility_mark_get(t, ELIGIBILITY_MARK_WITHDRAWN, case_id, NULL, NULL);
    if (rc == MDB_NOTFOUND) rc = eligibility_mark_set(t, ELIGIBILITY_MARK_WITHDRAWN, case_id, why);
    if (rc) return rc;
    if (eligibility_case_final(prior->outcome)) {
        log_info("withdrawal of a case already %s, recorded, no new decision case=%s",
                 eligibility_case_outcome_name(prior->outcome), case_id);
        return 0;
    }
    int granted = prior->outcome == LEGALAID__OUTCOME__APPROVED ||
                  prior->outcome == LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION;
    Legalaid__Decision *d = eligibility_case_redecision(t, prior, LEGALAID__OUTCOME__WITHDRAWN);
    if (granted) {
        /* Art. 48(7): aid ends when the recipient asks to stop. */
        eligibility_decision_cite(t->arena, d, LAW "art. 48(7)");
    }
    const char *said =
        w->reason && w->reason[0] ? decisiontext_lit(t->arena, w->reason) : "@withdrawal.no_reason";
    eligibility_decision_reason(t->arena, d,
                                ELIGIBILITY_TEXT(t->arena,
                                                 granted ? "reason.withdrawn_after_grant"
                                                         : "reason.withdrawn_before_decision",
                                                 said));
    eligibility_decision_explained(t->arena, d, "withdrawal", 1, granted ? LAW "art. 48(7)" : NULL,
                                   ELIGIBILITY_TEXT(t->arena, "withdrawal.by_applicant", said));
    return eligibility_case_publish(t, prior, d);
}

int eligibility_lifecycle_deemed_withdrawn(turn_t *t, const char *case_id, int64_t due_at)
{
    Legalaid__Decision *prior;
    int rc = eligibility_case_decision(t, case_id, &prior);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    /* Only the deadline still running: materials supplied, a withdrawal or
     * a new notice have replaced it. */
    if (prior->outcome != LEGALAID__OUTCOME__NEEDS_MATERIALS || prior->materials_due_at != due_at)
        return 0;
    Legalaid__Decision *d =
        eligibility_case_redecision(t, prior, LEGALAID__OUTCOME__DEEMED_WITHDRAWN);
    d->n_missing_materials = prior->n_missing_materials;
    d->missing_materials = prior->missing_materials;
    eligibility_decision_cite(t->arena, d, LAW "art. 43(2)");
    char due[CLOCK_TEXT_MAX];
    clock_deadline_text(due_at, due);
    const char *by = arena_strdup(t->arena, due);
    eligibility_decision_reason(t->arena, d,
                                ELIGIBILITY_TEXT(t->arena, "reason.deemed_withdrawn", by));
    eligibility_decision_explained(
        t->arena, d, "materials", 0, LAW "art. 43(2)",
        ELIGIBILITY_TEXT(t->arena, "materials.not_supplied",
                         decisiontext_num(t->arena, (long long)prior->n_missing_materials), by));
    log_info("deemed withdrawn case=%s materials_due=%s", case_id, due);
    return eligibility_case_publish(t, prior, d);
}
