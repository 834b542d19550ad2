/*
 * dispatch_intern_publish.c - InternMatch: the office's draft of a round
 * (nothing changes: who would get which place and why, who is left and
 * why, the places left open, and the fingerprint of what the round read),
 * and publishing it: the request names the fingerprint of the draft the
 * office reviewed; when the candidates, places or pool changed since, the
 * round is not what was reviewed and the request is refused (CONFLICT,
 * naming both), so the office makes a new draft. Published, every
 * candidate placed gets an offer and the office InternMatchPublished.
 *
 * Publishing a period again is a new round over what is still open: the
 * candidates registered since, or left without a place, and the places
 * added or freed (a decline or a lapse already refills by itself:
 * dispatch_intern_answer.c).
 */
#include <string.h>

#include "dispatch_int.h"
#include "i18n.h"

int dispatch_intern_publish_request(turn_t *t, const Legalaid__InternMatch *in,
                                    Legalaid__Reply *reply)
{
    if (dispatch_intern_import_period_refused(t, reply, "intern_match.period", in->period)) return 0;
    Legalaid__InternMatchResult *draft;
    int rc = dispatch_intern_round(t, in->period, DISPATCH_INTERN_DRAFT, &draft);
    if (rc) return rc;
    if (draft->n_rows == 0 && draft->n_places == 0) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "intern_match.period",
                  _("period %s has no candidates and no places: import them first"), in->period);
        return 0;
    }
    if (in->publish) {
        if (!in->draft || !in->draft[0]) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "intern_match.draft",
                      _("publishing names the draft reviewed (its fingerprint, %s now)"),
                      draft->fingerprint);
            return 0;
        }
        if (strcmp(in->draft, draft->fingerprint) != 0) {
            turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "intern_match.draft",
                      _("the candidates, places or supervisors of period %s changed since draft "
                        "%s (it is %s now): make a new draft and review it"),
                      in->period, in->draft, draft->fingerprint);
            return 0;
        }
        rc = dispatch_intern_round(t, in->period, DISPATCH_INTERN_PUBLISH, &draft);
        if (rc) return rc;
    }
    reply->body_case = LEGALAID__REPLY__BODY_INTERN_MATCH;
    reply->intern_match = draft;
    return 0;
}
