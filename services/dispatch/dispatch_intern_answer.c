/*
 * dispatch_intern_answer.c - what follows an internship offer:
 *
 *   OFFERED  --accept-->   ACCEPTED   the firm is told who is coming, when
 *   OFFERED  --decline-->  DECLINED   the place goes to the next candidate
 *   OFFERED  --reply_by--> LAPSED     (the tick) the same, and the
 *                                     candidate is told
 *   ACCEPTED --confirm-->  CONFIRMED  the firm confirmed the start: the
 *                                     candidate is told; the firm counts
 *                                     one more intern hosted
 *
 * The office records the answers as candidates and firms give them
 * (InternAnswer). A decline or lapse puts the place among the candidate's
 * declined_places and runs a refill round (dispatch_intern_round.c), so
 * the freed place goes to the best candidate still seeking it.
 */
#include <stdio.h>
#include <string.h>

#include "dispatch_int.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

#define DISPATCH_INTERN_REASON_MAX 500

static const char *dispatch_intern_answer_state(Legalaid__InternState s)
{
    switch (s) {
    case LEGALAID__INTERN_STATE__INTERN_REGISTERED: return "registered";
    case LEGALAID__INTERN_STATE__INTERN_NOT_SEEKING: return "not_seeking";
    case LEGALAID__INTERN_STATE__INTERN_OFFERED: return "offered";
    case LEGALAID__INTERN_STATE__INTERN_ACCEPTED: return "accepted";
    case LEGALAID__INTERN_STATE__INTERN_DECLINED: return "declined";
    case LEGALAID__INTERN_STATE__INTERN_LAPSED: return "lapsed";
    case LEGALAID__INTERN_STATE__INTERN_CONFIRMED: return "confirmed";
    default: return "unknown";
    }
}

/* Adds the standing's place to its declined places (never offered again). */
static void dispatch_intern_answer_decline_place(turn_t *t, Legalaid__InternStanding *s)
{
    char **v = arena_alloc(t->arena, (s->n_declined_places + 1) * sizeof *v);
    if (s->n_declined_places) memcpy(v, s->declined_places, s->n_declined_places * sizeof *v);
    v[s->n_declined_places++] = s->place_id;
    s->declined_places = v;
}

static int dispatch_intern_answer_due_del(turn_t *t, const Legalaid__InternStanding *s)
{
    char id[DISPATCH_INTERN_KEY_MAX];
    int len = snprintf(id, sizeof id, "%s%c%s", s->candidate->period, 0, s->candidate->certificate);
    return due_del(t->txn, dispatch_due, s->reply_by, DISPATCH_DUE_INTERN, id, (size_t)len);
}

/* Stores s and emits its event (body_case) with the deadline met or not. */
static int dispatch_intern_answer_emit(turn_t *t, Legalaid__InternStanding *s, int body_case,
                                       int reply_met)
{
    int rc = dispatch_intern_store_standing_put(t, s);
    if (rc) return rc;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = (Legalaid__Event__BodyCase)body_case;
    Legalaid__InternStanding *pub = dispatch_intern_store_public(t, s);
    if (body_case == LEGALAID__EVENT__BODY_INTERN_LAPSED) {
        ev->intern_lapsed = ARENA_NEW(t->arena, Legalaid__InternLapsed, legalaid__intern_lapsed__init);
        ev->intern_lapsed->standing = pub;
    } else {
        ev->intern_answered =
            ARENA_NEW(t->arena, Legalaid__InternAnswered, legalaid__intern_answered__init);
        ev->intern_answered->standing = pub;
    }
    if (reply_met) turn_deadline_met(t, ev, "intern_reply");
    log_info("intern period=%s certificate=%s place=%s: %s", s->candidate->period,
             s->candidate->certificate, s->place_id ? s->place_id : "-",
             dispatch_intern_answer_state(s->state));
    return turn_emit(t, s->case_id, ev);
}

static int dispatch_intern_answer_refill(turn_t *t, const char *period)
{
    Legalaid__InternMatchResult *res;
    return dispatch_intern_round(t, period, DISPATCH_INTERN_REFILL, &res);
}

int dispatch_intern_answer_request(turn_t *t, const Legalaid__InternAnswer *in,
                                   Legalaid__Reply *reply)
{
    if (dispatch_intern_import_period_refused(t, reply, "intern_answer.period", in->period)) return 0;
    if (!in->certificate || !in->certificate[0] || strlen(in->certificate) > 24) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "intern_answer.certificate",
                  _("certificate (the candidate's certificate number) is missing or too long"));
        return 0;
    }
    if (in->reason && strlen(in->reason) > DISPATCH_INTERN_REASON_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "intern_answer.reason",
                  _("reason is longer than %d bytes"), DISPATCH_INTERN_REASON_MAX);
        return 0;
    }
    Legalaid__InternStanding *s;
    int rc = dispatch_intern_store_standing_get(t, in->period, in->certificate, &s);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "intern_answer.certificate",
                  _("no candidate with certificate %s in period %s"), in->certificate, in->period);
        return 0;
    }
    if (rc) return rc;
    Legalaid__InternState want;
    int body = LEGALAID__EVENT__BODY_INTERN_ANSWERED;
    switch (in->answer) {
    case LEGALAID__INTERN_ANSWER_KIND__INTERN_ACCEPT:
    case LEGALAID__INTERN_ANSWER_KIND__INTERN_DECLINE:
        want = LEGALAID__INTERN_STATE__INTERN_OFFERED;
        break;
    case LEGALAID__INTERN_ANSWER_KIND__INTERN_CONFIRM:
        want = LEGALAID__INTERN_STATE__INTERN_ACCEPTED;
        break;
    default:
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "intern_answer.answer",
                  _("answer must be accept, decline or confirm"));
        return 0;
    }
    if (s->state != want) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "intern_answer.answer",
                  want == LEGALAID__INTERN_STATE__INTERN_OFFERED
                      ? _("candidate %s holds no open offer (the standing is %s)")
                      : _("candidate %s has not accepted a place (the standing is %s): the firm "
                          "confirms the start of an accepted place"),
                  in->certificate, dispatch_intern_answer_state(s->state));
        return 0;
    }
    s->answered_at = t->now;
    s->has_answered_at = 1;
    int refill = 0;
    switch (in->answer) {
    case LEGALAID__INTERN_ANSWER_KIND__INTERN_ACCEPT:
        s->state = LEGALAID__INTERN_STATE__INTERN_ACCEPTED;
        rc = dispatch_intern_answer_due_del(t, s);
        break;
    case LEGALAID__INTERN_ANSWER_KIND__INTERN_DECLINE:
        s->state = LEGALAID__INTERN_STATE__INTERN_DECLINED;
        s->decline_reason = in->reason;
        dispatch_intern_answer_decline_place(t, s);
        rc = dispatch_intern_answer_due_del(t, s);
        refill = 1;
        break;
    default:
        s->state = LEGALAID__INTERN_STATE__INTERN_CONFIRMED;
        rc = dispatch_intern_store_hosted_add(t, s->firm);
        break;
    }
    if (!rc)
        rc = dispatch_intern_answer_emit(t, s, body,
                                         in->answer != LEGALAID__INTERN_ANSWER_KIND__INTERN_CONFIRM);
    if (!rc && refill) rc = dispatch_intern_answer_refill(t, in->period);
    if (rc) return rc;
    Legalaid__InternStatus *st =
        ARENA_NEW(t->arena, Legalaid__InternStatus, legalaid__intern_status__init);
    st->period = in->period;
    st->standings = arena_alloc(t->arena, sizeof *st->standings);
    st->standings[st->n_standings++] = s;
    reply->body_case = LEGALAID__REPLY__BODY_INTERN_STATUS;
    reply->intern_status = st;
    return 0;
}

int dispatch_intern_answer_lapse(turn_t *t, int64_t due_at, const char *id, size_t len)
{
    size_t p = strnlen(id, len);
    if (p == 0 || p + 1 >= len) return 0; /* not period NUL certificate */
    const char *period = id, *certificate = id + p + 1;
    Legalaid__InternStanding *s;
    int rc = dispatch_intern_store_standing_get(t, period, certificate, &s);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    /* Answered, or offered again since: this entry is stale. */
    if (s->state != LEGALAID__INTERN_STATE__INTERN_OFFERED || s->reply_by != due_at) return 0;
    s->state = LEGALAID__INTERN_STATE__INTERN_LAPSED;
    dispatch_intern_answer_decline_place(t, s);
    rc = dispatch_intern_answer_emit(t, s, LEGALAID__EVENT__BODY_INTERN_LAPSED, 0);
    if (!rc) rc = dispatch_intern_answer_refill(t, arena_strdup(t->arena, period));
    return rc;
}
