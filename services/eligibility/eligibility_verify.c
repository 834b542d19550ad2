/*
 * eligibility_verify.c - the check afterwards of a commitment letter on
 * economic hardship (Legal Aid Law art. 41; DOMAIN R-ECON-07):
 * VerifyCommitment records what the check found, once per case (a second
 * check is a CONFLICT naming the first finding). Truthful: the decision is
 * published again, APPROVED with the means path VERIFIED. False: aid
 * already granted is terminated (art. 48), an application not yet granted
 * is refused, the person's credit flag bars the commitment route next time
 * (R-ECON-07(h)), and the decision is published again with the objection
 * route (art. 49).
 */
#include <string.h>

#include "check.h"
#include "clock.h"
#include "eligibility_int.h"
#include "log.h"
#include "store.h"
#include "i18n.h"

#define VERIFY_TEXT_MAX LA_TEXT_MAX

static int eligibility_verify_check(turn_t *t, const Legalaid__VerifyCommitment *in,
                                    Legalaid__Reply *reply)
{
    if (!in->case_id || !in->case_id[0] || strlen(in->case_id) > LA_CASE_ID_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "verify_commitment.case_id",
                  _("case_id is required (at most %d bytes)"), LA_CASE_ID_MAX);
        return -1;
    }
    if (!in->has_truthful) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "verify_commitment.truthful",
                  _("say whether the commitment was found truthful (true) or false"));
        return -1;
    }
    if (!in->finding || check_blank(in->finding) || strlen(in->finding) > VERIFY_TEXT_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "verify_commitment.finding",
                  _("the finding of the check is required (at most %d bytes): what was looked at "
                  "and what it showed"),
                  VERIFY_TEXT_MAX);
        return -1;
    }
    if (in->verifier && strlen(in->verifier) > 200) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "verify_commitment.verifier",
                  _("the verifier is longer than 200 bytes"));
        return -1;
    }
    return 0;
}

/* The decision after a false commitment: TERMINATED when aid was granted
 * (art. 48(2): false evidence; the cost may be recovered and a fine
 * imposed, art. 64), REFUSED before that (R-ECON-07(g)); both with the
 * objection route (art. 49). */
/* Who checked the commitment, as the tests and the reason say it. */
static decisiontext_t eligibility_verify_by(turn_t *t, const Legalaid__VerifyCommitment *in)
{
    return ELIGIBILITY_TEXT(t->arena, "verification.by",
                            decisiontext_lit(t->arena, turn_actor(t, in->verifier)));
}

static Legalaid__Decision *eligibility_verify_false(turn_t *t, const Legalaid__VerifyCommitment *in,
                                                    const Legalaid__Decision *prior)
{
    int granted = prior->outcome == LEGALAID__OUTCOME__APPROVED ||
                  prior->outcome == LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION;
    Legalaid__Decision *d = eligibility_case_redecision(
        t, prior, granted ? LEGALAID__OUTCOME__TERMINATED : LEGALAID__OUTCOME__REFUSED);
    d->has_materials_due_at = 0;
    eligibility_decision_cite(t->arena, d, LAW "art. 41");
    if (granted) {
        eligibility_decision_cite(t->arena, d, LAW "art. 48(2)");
        eligibility_decision_cite(t->arena, d, LAW "art. 64");
    } else {
        eligibility_decision_cite(t->arena, d, LAW "art. 43(1)");
    }
    eligibility_decision_cite(t->arena, d, LAW "art. 49");
    decisiontext_t route = eligibility_decision_objection_route(&eligibility_config, t->arena, d);
    decisiontext_t by = eligibility_verify_by(t, in);
    const char *finding = decisiontext_lit(t->arena, in->finding);
    eligibility_decision_explained(t->arena, d, "verification", 0, LAW "art. 41",
                                   ELIGIBILITY_TEXT(t->arena, "verification.false",
                                                    DECISIONTEXT_NEST, &by, finding));
    eligibility_decision_reason(
        t->arena, d,
        ELIGIBILITY_TEXT(t->arena, granted ? "reason.false_terminated" : "reason.false_refused",
                         finding, DECISIONTEXT_NEST, &route));
    return d;
}

/* The decision after a truthful commitment: granted aid now rests on a
 * verified condition (art. 41): APPROVED, means path VERIFIED. */
static Legalaid__Decision *eligibility_verify_truthful(turn_t *t,
                                                       const Legalaid__VerifyCommitment *in,
                                                       const Legalaid__Decision *prior)
{
    int granted = prior->outcome == LEGALAID__OUTCOME__APPROVED ||
                  prior->outcome == LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION;
    Legalaid__Decision *d = arena_alloc(t->arena, sizeof *d);
    *d = *prior;
    if (granted) {
        d->outcome = LEGALAID__OUTCOME__APPROVED;
        d->has_outcome = 1;
    }
    d->means_path = LEGALAID__MEANS_PATH__VERIFIED;
    d->has_means_path = 1;
    d->decided_at = t->now;
    d->has_decided_at = 1;
    eligibility_decision_cite(t->arena, d, LAW "art. 41");
    decisiontext_t by = eligibility_verify_by(t, in);
    const char *finding = decisiontext_lit(t->arena, in->finding);
    eligibility_decision_explained(t->arena, d, "verification", 1, LAW "art. 41",
                                   ELIGIBILITY_TEXT(t->arena, "verification.truthful",
                                                    DECISIONTEXT_NEST, &by, finding));
    decisiontext_t was = decisiontext_reason(t->arena, prior);
    eligibility_decision_reason(t->arena, d,
                                ELIGIBILITY_TEXT(t->arena, "reason.truthful", DECISIONTEXT_NEST,
                                                 &was, DECISIONTEXT_NEST, &by, finding,
                                                 granted ? "@verification.aid_stands" : ""));
    return d;
}

/* 0 when case_id was never verified; else fails the reply (CONFLICT)
 * naming the earlier finding and returns 1; or a store error. */
static int eligibility_verify_once(turn_t *t, const char *case_id, Legalaid__Reply *reply)
{
    int64_t when;
    const char *earlier;
    int rc = eligibility_mark_get(t, ELIGIBILITY_MARK_VERIFIED, case_id, &when, &earlier);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    char at[CLOCK_TEXT_MAX];
    turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "verify_commitment.case_id",
              _("the commitment on case %s was already verified on %s: %s; one check, one "
              "finding (art. 41)"),
              case_id, clock_local_text(when, at), earlier);
    return 1;
}

int eligibility_verify_commitment(turn_t *t, const Legalaid__VerifyCommitment *in,
                                  Legalaid__Reply *reply)
{
    if (eligibility_verify_check(t, in, reply)) return 0;
    Legalaid__Decision *prior;
    int rc = eligibility_case_decision(t, in->case_id, &prior);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "verify_commitment.case_id",
                  _("no eligibility decision for case %s"), in->case_id);
        return 0;
    }
    if (rc) return rc;
    rc = eligibility_verify_once(t, in->case_id, reply);
    if (rc) return rc > 0 ? 0 : rc;
    if (prior->means_path != LEGALAID__MEANS_PATH__COMMITMENT) {
        const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
            &legalaid__means_path__descriptor, (int)prior->means_path);
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "verify_commitment.case_id",
                  _("case %s did not rest on a commitment letter (means path %s): there is no "
                  "commitment to verify (art. 41)"),
                  in->case_id, v ? v->name : "MEANS_UNSPECIFIED");
        return 0;
    }
    if (eligibility_case_final(prior->outcome)) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "verify_commitment.case_id",
                  _("case %s is %s already: a verification changes nothing now"), in->case_id,
                  eligibility_case_outcome_name(prior->outcome));
        return 0;
    }
    Legalaid__Decision *d;
    if (in->truthful) {
        d = eligibility_verify_truthful(t, in, prior);
    } else {
        d = eligibility_verify_false(t, in, prior);
        Legalaid__Application *a;
        rc = eligibility_case_application(t, in->case_id, &a);
        if (rc && rc != MDB_NOTFOUND) return rc;
        /* R-ECON-07(h): a false commitment bars the route next time. */
        if (rc == 0 && a->applicant && a->applicant->id_number) {
            rc = eligibility_credit_set(t, a->applicant->id_number, in->case_id, in->finding);
            if (rc) return rc;
        }
    }

    Legalaid__CommitmentVerified *b =
        ARENA_NEW(t->arena, Legalaid__CommitmentVerified, legalaid__commitment_verified__init);
    b->case_id = in->case_id;
    b->truthful = in->truthful;
    b->has_truthful = 1;
    b->finding = in->finding;
    b->outcome = d->outcome;
    b->has_outcome = 1;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_COMMITMENT_VERIFIED;
    ev->commitment_verified = b;
    rc = turn_emit(t, in->case_id, ev);
    if (rc) return rc;
    rc = eligibility_case_count(t, in->truthful ? "verified.truthful" : "verified.false");
    if (!rc)
        rc = eligibility_mark_set(
            t, ELIGIBILITY_MARK_VERIFIED, in->case_id,
            arena_printf(t->arena, _("found %s%s%s: %s"), in->truthful ? _("truthful") : _("false"),
                         " by ", turn_actor(t, in->verifier), in->finding));
    if (!rc) rc = eligibility_case_publish(t, prior, d);
    if (rc) return rc;
    log_info("commitment verified case=%s truthful=%d outcome=%s", in->case_id, in->truthful != 0,
             eligibility_case_outcome_name(d->outcome));
    decisiontext_fill(t->arena, d);
    reply->body_case = LEGALAID__REPLY__BODY_DECISION;
    reply->decision = d;
    return 0;
}
