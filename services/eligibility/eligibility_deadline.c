/*
 * eligibility_deadline.c - the deadlines eligibility announces on its own
 * events (Event.deadlines, deadlines_met), which notify keeps as timers: a
 * reminder before, then the breach to the owner and the staff (and to the
 * parties a deadline names in inform). A key is the law's deadline, the
 * same in every service: "assignment" is dispatch's as well, met there when
 * a lawyer accepts (dispatch_offer.c) or the case ends (dispatch_end.c), so
 * one legal deadline is one timer and one breach notice (dispatch's own
 * DeadlineMissed tells nobody: notify_rule_table.c).
 *
 *   key           set on                           owner      due (calendar,   met by
 *                                                             R-TIME-00)
 *   decision      NEEDS_MATERIALS while the        STAFF      receipt + 7 days the next decision
 *                 clock runs (materials_pause_       (art. 43(1))
 *                 clock false; when it stands still
 *                 the case is decided the moment the
 *                 materials come: nothing to remind)
 *   materials     NEEDS_MATERIALS                  APPLICANT  materials_due_at the next decision
 *                 (art. 43(2); reminder only: the             (deemed withdrawn
 *                 breach deems the application                 at the breach)
 *                 withdrawn and that decision tells)
 *   assignment    a grant, new (art. 43(1); art.   STAFF      assign_due_at    dispatch; or a
 *                 36 on a notice, the notifying                                refusal, a
 *                 authority told of the breach;                                termination, a
 *                 art. 44 in an emergency)                                      withdrawal here
 *   verification  a commitment drawn for the       STAFF      verification_    the next decision
 *                 check afterwards (art. 41)                  due_at
 *   objection     ObjectionFiled (art. 49)         STAFF      filed + 5 days   ObjectionDecided
 */
#include "eligibility_int.h"

static int eligibility_deadline_granted(const Legalaid__Decision *d)
{
    return d && (d->outcome == LEGALAID__OUTCOME__APPROVED ||
                 d->outcome == LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION);
}

static int eligibility_deadline_waiting(const Legalaid__Decision *d)
{
    return d && d->outcome == LEGALAID__OUTCOME__NEEDS_MATERIALS;
}

static int eligibility_deadline_checking(const Legalaid__Decision *d)
{
    return d && d->outcome == LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION &&
           d->verification_drawn && d->has_verification_due_at;
}

/* The lawyer to be appointed: on a notice (the facts carry its ground,
 * which only a notice has) the authority is told of a breach (art. 36). */
static void eligibility_deadline_assignment(turn_t *t, Legalaid__Event *ev,
                                            const Legalaid__Decision *d)
{
    int notice = d->facts && d->facts->has_ground;
    int emergency = d->priority && d->priority->emergency &&
                    d->assign_due_at == d->priority->emergency_deadline;
    Legalaid__Deadline *dl =
        turn_deadline(t, ev, "assignment", d->assign_due_at, LEGALAID__PARTY__STAFF, NULL,
                      notice ? "指派律师并告知通知机关" : "指派法律援助人员",
                      notice      ? LAW "art. 36"
                      : emergency ? LAW "art. 44"
                                  : LAW "art. 43(1)");
    if (notice) {
        dl->inform = arena_alloc(t->arena, sizeof *dl->inform);
        dl->inform[0] = LEGALAID__PARTY__AUTHORITY;
        dl->n_inform = 1;
    }
}

void eligibility_deadline_decided(turn_t *t, Legalaid__Event *ev, const Legalaid__Decision *prior,
                                  const Legalaid__Decision *d)
{
    if (eligibility_deadline_waiting(d)) {
        if (d->has_materials_due_at) {
            Legalaid__Deadline *dl =
                turn_deadline(t, ev, "materials", d->materials_due_at, LEGALAID__PARTY__APPLICANT,
                              NULL, "补充所缺材料（逾期视为撤回申请）", LAW "art. 43(2)");
            dl->reminder_only = dl->has_reminder_only = 1;
        }
        if (!eligibility_config.materials_pause_clock && d->has_decision_due_at)
            turn_deadline(t, ev, "decision", d->decision_due_at, LEGALAID__PARTY__STAFF, NULL,
                          "作出是否给予法律援助的决定", LAW "art. 43(1)");
    } else if (eligibility_deadline_waiting(prior)) {
        turn_deadline_met(t, ev, "materials");
        turn_deadline_met(t, ev, "decision");
    }

    if (eligibility_deadline_granted(d) && !eligibility_deadline_granted(prior) &&
        d->has_assign_due_at)
        eligibility_deadline_assignment(t, ev, d);
    else if (!eligibility_deadline_granted(d) && eligibility_deadline_granted(prior))
        turn_deadline_met(t, ev, "assignment");

    if (eligibility_deadline_checking(d) && !eligibility_deadline_checking(prior))
        turn_deadline(t, ev, "verification", d->verification_due_at, LEGALAID__PARTY__STAFF, NULL,
                      "核查经济困难告知承诺是否属实", LAW "art. 41");
    else if (!eligibility_deadline_checking(d) && eligibility_deadline_checking(prior))
        turn_deadline_met(t, ev, "verification");
}

void eligibility_deadline_objection(turn_t *t, Legalaid__Event *ev, const Legalaid__Objection *o,
                                    int decided)
{
    if (decided)
        turn_deadline_met(t, ev, "objection");
    else
        turn_deadline(t, ev, "objection", o->due_at, LEGALAID__PARTY__STAFF, NULL,
                      "司法行政部门对异议作出审查决定", LAW "art. 49");
}
