/*
 * dispatch_offer.c - the offer machine: from an approved case to an
 * accepted assignment. Every move below is coded in this file: the offer
 * made (dispatch_offer_next), its answers (accept; decline with a coded
 * reason, DOMAIN R-ASSIGN-06: refusals are logged), its lapse, an offer
 * withdrawn when its lawyer may no longer take the case, the lawyer
 * assigned, and the waiting cases offered again in the order of work (the
 * drain; the order is dispatch_queue.c's).
 *
 *   (none)      --approved, someone may take it---> OFFERED      LawyerOffered
 *   (none)      --approved, nobody may-------------> NEEDS_STAFF  AssignmentQueued
 *   OFFERED     --accepted-------------------------> ASSIGNED     LawyerAssigned
 *   OFFERED     --declined (coded) or lapsed-------> OFFERED to the next, or NEEDS_STAFF
 *                                                                 OfferDeclined
 *   OFFERED     --pool import: may no longer take it> OFFERED to the next (withdrawn:
 *                                                   not a refusal)  OfferDeclined
 *   QUEUED, NEEDS_STAFF --pool or capacity changed-> OFFERED      (the drain)
 *   OFFERED, NEEDS_STAFF, QUEUED --staff assign----> ASSIGNED     LawyerAssigned (manual:
 *                                                   dispatch_manual.c, then
 *                                                   dispatch_offer_assign)
 *   OFFERED     --aid ends before an answer--------> the offer closed (dispatch_end.c)
 *   AID_TERMINATED --approved again after an objection (art. 49)--> as (none)
 *                                                   (dispatch_decision.c)
 *
 * An open offer holds the lawyer's capacity and place in the conflict
 * index until it is answered. A lawyer who declined or let an offer lapse
 * is never offered the case again. Accepting (or a staff assignment) meets the 3-day assignment
 * deadline (art. 36, 43(1)) and sets the 5-day agreement deadline (程序规定
 * art. 27); the notifying authority is told through LawyerAssigned.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dispatch_int.h"
#include "due.h"
#include "log.h"
#include "store.h"
#include "i18n.h"
#include "regulation.h"

int dispatch_offer_next(turn_t *t, Legalaid__Assignment *a)
{
    dispatch_match_t m;
    int rc = dispatch_match_case(t, a, &m);
    if (rc) return rc;
    if (!m.lawyer_id[0]) {
        Legalaid__AssignmentState was = a->state;
        char *rules = arena_strdup(t->arena, "");
        for (size_t i = 0; i < m.why->n_filtered; i++)
            rules = arena_printf(t->arena, "%s%s%u %s", rules, i ? "; " : ": ",
                                 m.why->filtered[i]->excluded, m.why->filtered[i]->rule);
        char *reason = arena_printf(t->arena, "%s%s", m.why->why, rules);
        /* Still nobody, for the same reasons: nothing to write. */
        if (was == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF && a->reason &&
            strcmp(a->reason, reason) == 0)
            return 0;
        a->state = LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
        a->has_state = 1;
        a->offer = NULL;
        a->reason = reason;
        rc = dispatch_case_put(t, a);
        if (!rc) rc = dispatch_queue_put(t, a);
        if (rc || was == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF) return rc;
        Legalaid__AssignmentQueued *b =
            ARENA_NEW(t->arena, Legalaid__AssignmentQueued, legalaid__assignment_queued__init);
        b->case_id = a->case_id;
        b->reason = a->reason;
        b->explanation = m.why;
        b->state = a->state;
        b->has_state = 1;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED;
        ev->assignment_queued = b;
        log_warn("case needs staff case=%s: %s", a->case_id, a->reason);
        return turn_emit(t, a->case_id, ev);
    }
    Legalaid__Lawyer *l;
    rc = dispatch_pool_lawyer_get(t, m.lawyer_id, &l);
    if (rc) return rc;
    /* The offer holds the lawyer's place in the conflict index at once. */
    rc = dispatch_conflict_record(t, a, l->id);
    if (rc) return rc;
    Legalaid__Offer *o = ARENA_NEW(t->arena, Legalaid__Offer, legalaid__offer__init);
    o->lawyer = l;
    o->offered_at = t->now;
    o->has_offered_at = 1;
    o->expires_at = t->now + dispatch_config.offer_hours * 3600 * 1000;
    o->has_expires_at = 1;
    o->explanation = m.why;
    a->offer = o;
    a->state = LEGALAID__ASSIGNMENT_STATE__OFFERED;
    a->has_state = 1;
    a->reason = m.why->why;
    rc = dispatch_case_put(t, a);
    if (!rc) rc = dispatch_queue_put(t, a); /* waiting for the answer */
    if (!rc)
        rc = due_put(t->txn, dispatch_due, o->expires_at, DISPATCH_DUE_OFFER, a->case_id,
                     strlen(a->case_id));
    uint64_t n;
    if (!rc) rc = store_get_u64(t->txn, daemon_meta(t->d), "offered", &n);
    if (!rc) rc = store_put_u64(t->txn, daemon_meta(t->d), "offered", n + 1);
    if (rc) return rc;
    Legalaid__LawyerOffered *b =
        ARENA_NEW(t->arena, Legalaid__LawyerOffered, legalaid__lawyer_offered__init);
    b->case_id = a->case_id;
    b->offer = o;
    b->category = a->category;
    b->has_category = a->has_category;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_LAWYER_OFFERED;
    ev->lawyer_offered = b;
    Legalaid__Deadline *dl =
        turn_deadline(t, ev, "offer", o->expires_at, LEGALAID__PARTY__LAWYER, l->id,
                      "accept or decline the offer of the case",
                      regulation_cite_in(REG_LEGAL_AID_LAW, "16", 0));
    dl->lapses = dl->has_lapses = 1; /* it goes to the next lawyer: nothing stays overdue */
    log_info("offered case=%s lawyer=%s candidates=%u tier=%u", a->case_id, l->id,
             m.why->candidates, m.why->best_tier);
    return turn_emit(t, a->case_id, ev);
}

int dispatch_offer_close(turn_t *t, Legalaid__Assignment *a)
{
    Legalaid__Offer *o = a->offer;
    a->offer = NULL;
    if (!o || !o->lawyer || !o->lawyer->id) return 0;
    int rc = due_del(t->txn, dispatch_due, o->expires_at, DISPATCH_DUE_OFFER, a->case_id,
                     strlen(a->case_id));
    if (rc) return rc;
    dispatch_load_t load;
    rc = dispatch_pool_load_get(t->txn, o->lawyer->id, &load);
    if (rc) return rc;
    if (load.offers_open > 0) load.offers_open--;
    return dispatch_pool_load_put(t->txn, o->lawyer->id, &load);
}

/* The lawyer l takes case a (its offer closed by the caller): by
 * acceptance, or by staff (staff set). */
int dispatch_offer_assign(turn_t *t, Legalaid__Assignment *a, Legalaid__Lawyer *l,
                          const char *staff, const char *reason)
{
    dispatch_load_t load;
    int rc = dispatch_pool_load_get(t->txn, l->id, &load);
    if (rc) return rc;
    load.open_cases++;
    if (staff)
        load.manual++;
    else
        load.accepted++;
    rc = dispatch_pool_load_put(t->txn, l->id, &load);
    if (rc) return rc;
    rc = due_del(t->txn, dispatch_due, a->assign_due_at, DISPATCH_DUE_ASSIGN, a->case_id,
                 strlen(a->case_id));
    if (!rc) rc = dispatch_queue_del(t, a);
    if (rc) return rc;
    a->state = LEGALAID__ASSIGNMENT_STATE__ASSIGNED;
    a->has_state = 1;
    a->lawyer = l;
    a->assigned_at = t->now;
    a->has_assigned_at = 1;
    /* From the approval to the lawyer, for the exporter and the charts. */
    rc = turn_observe(t, "assign_seconds", t->now,
                      a->has_approved_at && t->now >= a->approved_at ? t->now - a->approved_at : -1);
    if (rc) return rc;
    a->manual = staff != NULL;
    a->has_manual = 1;
    a->assigned_by = (char *)staff;
    /* The staff member's own words; who it was is assigned_by (shown in
     * the reader's language, never a stored English sentence). */
    if (staff) a->reason = (char *)reason;
    a->agreement_due_at = dispatch_time_days_after(t, dispatch_config.agreement_days);
    a->has_agreement_due_at = 1;
    rc = dispatch_case_put(t, a);
    if (!rc)
        rc = due_put(t->txn, dispatch_due, a->agreement_due_at, DISPATCH_DUE_AGREEMENT, a->case_id,
                     strlen(a->case_id));
    if (!rc) rc = dispatch_conflict_record(t, a, l->id);
    uint64_t n;
    if (!rc) rc = store_get_u64(t->txn, daemon_meta(t->d), "assigned", &n);
    if (!rc) rc = store_put_u64(t->txn, daemon_meta(t->d), "assigned", n + 1);
    if (rc) return rc;

    Legalaid__LawyerAssigned *b =
        ARENA_NEW(t->arena, Legalaid__LawyerAssigned, legalaid__lawyer_assigned__init);
    b->assignment = a;
    b->authority = a->authority; /* told who was appointed (art. 36) */
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_LAWYER_ASSIGNED;
    ev->lawyer_assigned = b;
    turn_deadline_met(t, ev, "offer");
    turn_deadline_met(t, ev, "assignment");
    turn_deadline(t, ev, "agreement", a->agreement_due_at, LEGALAID__PARTY__LAWYER, l->id,
                  "sign the entrustment agreement with the recipient",
                  regulation_cite_in(REG_LEGAL_AID_PROCEDURE, "27", 0));
    rc = turn_emit(t, a->case_id, ev);
    if (!rc)
        log_info("assigned case=%s lawyer=%s by=%s", a->case_id, l->id, staff ? staff : "offer");
    return rc;
}

/* Records a declined, lapsed or withdrawn offer and offers the case to
 * the next. A withdrawal (the pool changed) is not the lawyer's refusal:
 * neither counted nor barring the lawyer from the case. */
static int dispatch_offer_decline(turn_t *t, Legalaid__Assignment *a, Legalaid__DeclineCode code,
                                  const char *reason)
{
    Legalaid__Offer *o = a->offer;
    const char *lawyer_id = o && o->lawyer && o->lawyer->id ? o->lawyer->id : "";
    Legalaid__DeclinedOffer *dec =
        ARENA_NEW(t->arena, Legalaid__DeclinedOffer, legalaid__declined_offer__init);
    dec->lawyer_id = (char *)lawyer_id;
    dec->code = code;
    dec->has_code = 1;
    dec->reason = (char *)reason;
    dec->at = t->now;
    dec->has_at = 1;
    Legalaid__DeclinedOffer **v = arena_alloc(t->arena, (a->n_declined + 1) * sizeof *v);
    if (a->n_declined) memcpy(v, a->declined, a->n_declined * sizeof *v);
    v[a->n_declined++] = dec;
    a->declined = v;
    int rc = dispatch_offer_close(t, a);
    if (!rc) rc = dispatch_conflict_forget(t, a, lawyer_id);
    if (!rc && code != LEGALAID__DECLINE_CODE__DECLINE_WITHDRAWN) {
        dispatch_load_t load;
        rc = dispatch_pool_load_get(t->txn, lawyer_id, &load);
        load.declined++;
        if (!rc) rc = dispatch_pool_load_put(t->txn, lawyer_id, &load);
    }
    if (rc) return rc;
    Legalaid__OfferDeclined *b =
        ARENA_NEW(t->arena, Legalaid__OfferDeclined, legalaid__offer_declined__init);
    b->case_id = a->case_id;
    b->declined = dec;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_OFFER_DECLINED;
    ev->offer_declined = b;
    turn_deadline_met(t, ev, "offer");
    rc = turn_emit(t, a->case_id, ev);
    if (rc) return rc;
    const ProtobufCEnumValue *cv =
        protobuf_c_enum_descriptor_get_value(&legalaid__decline_code__descriptor, (int)code);
    log_info("offer declined case=%s lawyer=%s code=%s", a->case_id, lawyer_id,
             cv ? cv->name : "?");
    return dispatch_offer_next(t, a);
}

static int dispatch_known_code(Legalaid__DeclineCode c)
{
    return c == LEGALAID__DECLINE_CODE__DECLINE_CONFLICT ||
           c == LEGALAID__DECLINE_CODE__DECLINE_OUT_OF_SCOPE ||
           c == LEGALAID__DECLINE_CODE__DECLINE_CAPACITY ||
           c == LEGALAID__DECLINE_CODE__DECLINE_OTHER;
}

int dispatch_offer_answer(turn_t *t, const Legalaid__AnswerOffer *in, Legalaid__Reply *reply)
{
    Legalaid__Assignment *a;
    int err;
    if (!dispatch_case_request(t, in->case_id, "answer_offer.case_id", reply, &a, &err)) return err;
    if (check_blank(in->lawyer_id)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "answer_offer.lawyer_id",
                  _("lawyer_id is required: the lawyer who answers"));
        return 0;
    }
    if (turn_refuse_binding(t, reply, NULL, in->lawyer_id, NULL, "answer_offer.lawyer_id"))
        return 0;
    if (a->state != LEGALAID__ASSIGNMENT_STATE__OFFERED || !a->offer || !a->offer->lawyer) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "answer_offer.case_id",
                  _("case %s has no open offer: it is %s"), a->case_id,
                  dispatch_case_state_name(a->state));
        return 0;
    }
    if (strcmp(a->offer->lawyer->id, in->lawyer_id) != 0) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "answer_offer.lawyer_id",
                  _("the offer of case %s is open to lawyer %s, not to %s"), a->case_id,
                  a->offer->lawyer->id, in->lawyer_id);
        return 0;
    }
    if (!in->has_accept) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "answer_offer.accept",
                  _("accept is required: true to take the case, false to decline it"));
        return 0;
    }
    int rc;
    if (in->accept) {
        /* The rules again, on the lawyer's record as it is now. */
        Legalaid__Lawyer *now;
        rc = dispatch_pool_lawyer_get(t, in->lawyer_id, &now);
        if (rc == MDB_NOTFOUND) {
            turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "answer_offer.lawyer_id",
                      _("lawyer %s is no longer in the pool"), in->lawyer_id);
            return 0;
        }
        if (rc) return rc;
        int64_t e;
        const char *why = dispatch_match_lawful(t, a, now, 1, &e);
        if (e) return (int)e;
        if (why) {
            turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "answer_offer.lawyer_id",
                      _("lawyer %s may no longer take case %s: %s"), now->id, a->case_id, why);
            return 0;
        }
        rc = dispatch_offer_close(t, a);
        if (!rc) rc = dispatch_offer_assign(t, a, now, NULL, NULL);
    } else {
        if (!in->has_code || !dispatch_known_code(in->code)) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "answer_offer.code",
                      _("a declined offer needs its reason code: conflict, out of scope, "
                      "capacity or other"));
            return 0;
        }
        if (in->code == LEGALAID__DECLINE_CODE__DECLINE_OTHER && check_blank(in->reason)) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "answer_offer.reason",
                      _("declining for another reason needs the reason in words"));
            return 0;
        }
        if (in->reason && strlen(in->reason) > DISPATCH_OFFER_REASON_MAX) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "answer_offer.reason",
                      _("the reason is longer than %d bytes"), DISPATCH_OFFER_REASON_MAX);
            return 0;
        }
        rc = dispatch_offer_decline(t, a, in->code, in->reason);
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_ASSIGNMENT;
    reply->assignment = a;
    return 0;
}

int dispatch_offer_lapse(turn_t *t, const char *case_id)
{
    Legalaid__Assignment *a;
    int rc = dispatch_case_get(t, case_id, &a);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    if (a->state != LEGALAID__ASSIGNMENT_STATE__OFFERED || !a->offer ||
        a->offer->expires_at > t->now)
        return 0;
    return dispatch_offer_decline(
        t, a, LEGALAID__DECLINE_CODE__DECLINE_LAPSED,
        arena_printf(t->arena, "not answered within %lld hours", dispatch_config.offer_hours));
}

int dispatch_offer_revalidate(turn_t *t)
{
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(t->txn, dispatch_queue, &cur));
    if (rc) return rc;
    /* Collect first: offering again writes to the table being read. */
    char **ids = NULL;
    size_t n = 0, cap = 0;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= 9) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = arena_alloc(t->arena, cap * sizeof *nv);
            if (n) memcpy(nv, ids, n * sizeof *nv);
            ids = nv;
        }
        char *id = arena_alloc(t->arena, k.mv_size - 9 + 1);
        memcpy(id, (const char *)k.mv_data + 9, k.mv_size - 9);
        id[k.mv_size - 9] = 0;
        ids[n++] = id;
    }
    mdb_cursor_close(cur);
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    for (size_t i = 0; i < n; i++) {
        Legalaid__Assignment *a;
        Legalaid__Lawyer *l;
        rc = dispatch_case_get(t, ids[i], &a);
        if (rc == MDB_NOTFOUND) continue;
        if (rc) return rc;
        if (a->state != LEGALAID__ASSIGNMENT_STATE__OFFERED || !a->offer || !a->offer->lawyer ||
            !a->offer->lawyer->id)
            continue;
        rc = dispatch_pool_lawyer_get(t, a->offer->lawyer->id, &l);
        if (rc && rc != MDB_NOTFOUND) return rc;
        const char *why = "the lawyer is no longer in the pool";
        if (rc == 0) {
            int64_t e;
            why = dispatch_match_lawful(t, a, l, 1, &e);
            if (e) return (int)e;
        }
        if (!why) continue;
        rc = dispatch_offer_decline(t, a, LEGALAID__DECLINE_CODE__DECLINE_WITHDRAWN,
                                    arena_printf(t->arena, "withdrawn: %s", why));
        if (rc) return rc;
    }
    return 0;
}

int dispatch_offer_drain_for(turn_t *t, const char *freed_lawyer, uint32_t *offered)
{
    Legalaid__Lawyer *freed = NULL;
    if (freed_lawyer) {
        int rc = dispatch_pool_lawyer_get(t, freed_lawyer, &freed);
        if (rc == MDB_NOTFOUND) return 0; /* nobody to offer to */
        if (rc) return rc;
    }
    Legalaid__Assignment **cases;
    size_t n;
    int rc = dispatch_queue_read(t, &cases, &n);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        Legalaid__Assignment *a = cases[i];
        if (a->state == LEGALAID__ASSIGNMENT_STATE__OFFERED) continue; /* awaiting its answer */
        if (a->state != LEGALAID__ASSIGNMENT_STATE__QUEUED &&
            a->state != LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF) {
            rc = dispatch_queue_del(t, a); /* moved on: not waiting any more */
            if (rc) return rc;
            continue;
        }
        if (freed && a->state == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF) {
            int64_t e;
            const char *why = dispatch_match_lawful(t, a, freed, 0, &e);
            if (e) return (int)e;
            if (why) continue; /* the freed lawyer may not take it: nothing changed for it */
        }
        rc = dispatch_offer_next(t, a);
        if (rc) return rc;
        if (a->state == LEGALAID__ASSIGNMENT_STATE__OFFERED) (*offered)++;
    }
    return 0;
}

int dispatch_offer_drain(turn_t *t, uint32_t *offered)
{
    return dispatch_offer_drain_for(t, NULL, offered);
}
