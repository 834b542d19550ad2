/*
 * ctl_dispatch_show.c - dispatch's part of a case in text: its state, the
 * lawyer, the open offer and when it lapses, the offers declined with
 * their codes, the deadlines (assignment, agreement, closing file, review,
 * own counsel), the reviews and the grade (一卷二评), the termination with
 * its article; and one timeline line per dispatch event.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "dispatch.pb-c.h"
#include "i18n.h"
#include "regulation.h"
#include "matchrule.h"

const char *ctl_dispatch_show_state_name(int state)
{
    switch (state) {
    case LEGALAID__ASSIGNMENT_STATE__ASSIGNED:
        return _("assigned");
    case LEGALAID__ASSIGNMENT_STATE__QUEUED:
        return _("waiting");
    case LEGALAID__ASSIGNMENT_STATE__OFFERED:
        return _("offered");
    case LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF:
        return _("needs-staff");
    case LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED:
        return _("signed");
    case LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS:
        return _("started");
    case LEGALAID__ASSIGNMENT_STATE__CONCLUDED:
        return _("concluded");
    case LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED:
        return _("file-submitted");
    case LEGALAID__ASSIGNMENT_STATE__REVIEWED:
        return _("reviewed");
    case LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED:
        return _("terminated");
    case LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL:
        return _("awaiting-own-counsel");
    default:
        return _("unknown");
    }
}

const char *ctl_dispatch_show_decline_name(int code)
{
    switch (code) {
    case LEGALAID__DECLINE_CODE__DECLINE_CONFLICT:
        return _("conflict");
    case LEGALAID__DECLINE_CODE__DECLINE_OUT_OF_SCOPE:
        return _("out-of-scope");
    case LEGALAID__DECLINE_CODE__DECLINE_CAPACITY:
        return _("capacity");
    case LEGALAID__DECLINE_CODE__DECLINE_OTHER:
        return _("other");
    case LEGALAID__DECLINE_CODE__DECLINE_LAPSED:
        return _("lapsed");
    default:
        return _("unspecified");
    }
}

/* Legal Aid Law art. 48: the grounds of a termination, by TerminationReason. */
const char *ctl_dispatch_show_termination_name(int reason)
{
    static const char *const names[] = {N_("unspecified"),  N_("deception"),
                                        N_("concealment"),  N_("unlawful-use"),
                                        N_("means-changed"), N_("matter-ended"),
                                        N_("own-counsel"),  N_("recipient-request"),
                                        N_("other-law")};
    return _(names[reason >= 0 && reason <= 8 ? reason : 0]);
}

const char *ctl_dispatch_show_grade_name(int grade)
{
    switch (grade) {
    case LEGALAID__GRADE__EXCELLENT:
        return _("excellent (优秀)");
    case LEGALAID__GRADE__GOOD:
        return _("good (良好)");
    case LEGALAID__GRADE__PASS:
        return _("pass (合格)");
    case LEGALAID__GRADE__FAIL:
        return _("fail (不合格)");
    default:
        return _("not graded");
    }
}

static void ctl_dispatch_lawyer(const Legalaid__Lawyer *l)
{
    char phone[64];
    printf("%s %s%s%s", ctl_fmt_str(l->id), ctl_fmt_str(l->name), _(" ("), ctl_fmt_str(l->firm));
    if (l->phone && l->phone[0])
        printf("%s%s", _(", "), ctl_fmt_mask_phone(l->phone, phone, sizeof phone));
    printf("%s", _(")"));
}

/* A deadline row: the label, the deadline and its basis. */
static void ctl_dispatch_deadline(const ctl_t *ctl, const char *label, int64_t due,
                                  const char *basis)
{
    char t[CTL_TIME_MAX];
    if (!due) return;
    ctl_fmt_row(label);
    printf("%s %s\n", ctl_fmt_deadline(ctl, due, t), basis);
}

/* The state, who assigned, and the reason it stands where it is. */
static void ctl_dispatch_show_state(const Legalaid__Assignment *as)
{
    /* Overdue while it waits; a case assigned late keeps the mark in its record. */
    int waiting = as->state == LEGALAID__ASSIGNMENT_STATE__QUEUED ||
                  as->state == LEGALAID__ASSIGNMENT_STATE__OFFERED ||
                  as->state == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
    const char *late = !as->overdue ? ""
                       : waiting    ? _(" (OVERDUE: the 3-day assignment deadline has passed)")
                                    : _(" (assigned after the 3-day assignment deadline)");
    ctl_fmt_row(_("dispatch"));
    printf("%s%s%s\n", ctl_dispatch_show_state_name(as->state), late,
           as->manual ? _(", assigned by staff (outside the fairness count)") : "");
    if (as->manual && as->assigned_by) {
        ctl_fmt_row(_("by staff"));
        printf("%s\n", as->assigned_by);
    }
    /* An open offer explains itself below; otherwise the reason stands here. */
    int explained = as->state == LEGALAID__ASSIGNMENT_STATE__OFFERED && as->offer &&
                    as->offer->explanation;
    char why[MATCHRULE_TEXT_MAX];
    if (matchrule_assignment_reason(as, why)[0] && !explained) {
        ctl_fmt_row("");
        printf("%s\n", why);
    }
}

/* The open offer, when it lapses, and why this lawyer (the match). */
static void ctl_dispatch_show_offer(const ctl_t *ctl, const Legalaid__Offer *o)
{
    char t[CTL_TIME_MAX], t2[CTL_TIME_MAX];
    ctl_fmt_row(_("offer"));
    ctl_dispatch_lawyer(o->lawyer);
    printf(_(", offered %s, lapses %s\n"), ctl_fmt_time(ctl, o->offered_at, t),
           ctl_fmt_time(ctl, o->expires_at, t2));
    const Legalaid__MatchExplanation *x = o->explanation;
    if (!x) return;
    ctl_fmt_row(_("why"));
    if (x->has_examined && x->examined < x->pool)
        printf(_("pool %u, %u examined (the most suitable group), %u passed every hard rule"),
               x->pool, x->examined, x->candidates);
    else
        printf(_("pool %u, %u passed every hard rule, %u equally suitable"), x->pool,
               x->candidates, x->best_tier);
    for (size_t i = 0; i < x->n_filtered; i++)
        printf(_("; %s: %u excluded"), matchrule_count_text(x->filtered[i]),
               x->filtered[i]->excluded);
    printf("\n");
    char why[MATCHRULE_TEXT_MAX];
    if (matchrule_why(x, why)[0]) {
        ctl_fmt_row("");
        printf("%s\n", why);
    }
}

/* The deadlines still running, by the state the case is in. */
static void ctl_dispatch_show_deadlines(const ctl_t *ctl, const Legalaid__Assignment *as)
{
    int st = as->state;
    if (st == LEGALAID__ASSIGNMENT_STATE__QUEUED || st == LEGALAID__ASSIGNMENT_STATE__OFFERED ||
        st == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF)
        ctl_dispatch_deadline(ctl, _("assign by"), as->assign_due_at, _("(art. 36, 43)"));
    if (st == LEGALAID__ASSIGNMENT_STATE__ASSIGNED)
        ctl_dispatch_deadline(ctl, _("agreement by"), as->agreement_due_at,
                              _("(委托协议, S6 art. 27)"));
    if (st == LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL)
        ctl_dispatch_deadline(ctl, _("own counsel"), as->own_counsel_due_at,
                              _("by then, else a lawyer is appointed again (刑诉法解释 art. 50)"));
    if (st == LEGALAID__ASSIGNMENT_STATE__CONCLUDED)
        ctl_dispatch_deadline(ctl, _("file by"), as->file_due_at, _("(closing file, art. 50)"));
    if (st == LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED)
        ctl_dispatch_deadline(ctl, _("review by"), as->review_due_at, _("(一卷二评)"));
}

/* Signed, started, concluded with its result, the closing file. */
static void ctl_dispatch_show_progress(const ctl_t *ctl, const Legalaid__Assignment *as)
{
    char t[CTL_TIME_MAX];
    if (as->signed_at) {
        ctl_fmt_row(_("signed"));
        printf("%s\n", ctl_fmt_time(ctl, as->signed_at, t));
    }
    if (as->started_at) {
        ctl_fmt_row(_("started"));
        printf("%s\n", ctl_fmt_time(ctl, as->started_at, t));
    }
    if (as->concluded_at) {
        ctl_fmt_row(_("concluded"));
        printf("%s", ctl_fmt_time(ctl, as->concluded_at, t));
        if (as->result && as->result[0]) printf(": %s", as->result);
        if (as->amount_recovered_fen)
            printf(_("; recovered %lld.%02lld yuan"), (long long)(as->amount_recovered_fen / 100),
                   (long long)(as->amount_recovered_fen % 100));
        printf("\n");
    }
    if (as->file_submitted_at) {
        ctl_fmt_row(_("file"));
        printf("%s", ctl_fmt_time(ctl, as->file_submitted_at, t));
        for (size_t i = 0; i < as->n_file_documents; i++)
            printf("%s%s", i ? "; " : ": ", ctl_fmt_str(as->file_documents[i]));
        printf("\n");
    }
}

/* The reviews of the closing file and its grade (一卷二评). */
static void ctl_dispatch_show_reviews(const ctl_t *ctl, const Legalaid__Assignment *as)
{
    char t[CTL_TIME_MAX];
    for (size_t i = 0; i < as->n_reviews; i++) {
        const Legalaid__Review *r = as->reviews[i];
        ctl_fmt_row(i ? "" : _("reviews"));
        printf(_("%u by %s (%s, %s)"), r->total, ctl_fmt_str(r->reviewer_name),
               ctl_fmt_str(r->reviewer_id), ctl_fmt_str(r->reviewer_firm));
        for (size_t k = 0; k < r->n_scores; k++)
            printf("%s%s=%u", k ? " " : ": ", ctl_fmt_str(r->scores[k]->indicator),
                   r->scores[k]->points);
        if (r->comment && r->comment[0]) printf("; %s", r->comment);
        printf("\n");
    }
    if (!as->n_reviews && !as->reviews_needed) return;
    if (as->grade) {
        ctl_fmt_row(_("grade"));
        printf(_("%s, score %u, %s\n"), ctl_dispatch_show_grade_name(as->grade), as->final_score,
               ctl_fmt_time(ctl, as->reviewed_at, t));
    } else if (as->reviews_needed) {
        ctl_fmt_row(_("grade"));
        printf(_("%zu of %u reviews recorded%s\n"), as->n_reviews, as->reviews_needed,
               as->reviews_needed > 2 ? _(" (a third: the two differ)") : "");
    }
}

void ctl_dispatch_show_assignment(const ctl_t *ctl, const Legalaid__Assignment *as)
{
    char t[CTL_TIME_MAX];
    ctl_dispatch_show_state(as);
    if (as->lawyer) {
        ctl_fmt_row(_("lawyer"));
        ctl_dispatch_lawyer(as->lawyer);
        if (as->assigned_at) printf(_(", assigned %s"), ctl_fmt_time(ctl, as->assigned_at, t));
        printf("\n");
    }
    if (as->state == LEGALAID__ASSIGNMENT_STATE__OFFERED && as->offer && as->offer->lawyer)
        ctl_dispatch_show_offer(ctl, as->offer);
    for (size_t i = 0; i < as->n_declined; i++) {
        const Legalaid__DeclinedOffer *d = as->declined[i];
        ctl_fmt_row(i ? "" : _("declined"));
        printf("%s %s %s%s%s\n", ctl_fmt_time(ctl, d->at, t), ctl_fmt_str(d->lawyer_id),
               ctl_dispatch_show_decline_name(d->code), d->reason && d->reason[0] ? ": " : "",
               ctl_fmt_str(d->reason));
    }
    for (size_t i = 0; i < as->n_former_lawyers; i++) {
        ctl_fmt_row(i ? "" : _("released"));
        printf("%s\n", ctl_fmt_str(as->former_lawyers[i]));
    }
    ctl_dispatch_show_deadlines(ctl, as);
    ctl_dispatch_show_progress(ctl, as);
    ctl_dispatch_show_reviews(ctl, as);
    if (as->termination) {
        ctl_fmt_row(_("terminated"));
        printf(_("%s, Legal Aid Law art. 48(%d), %s"),
               ctl_dispatch_show_termination_name(as->termination), (int)as->termination,
               ctl_fmt_time(ctl, as->terminated_at, t));
        if (as->termination_detail && as->termination_detail[0])
            printf(": %s", as->termination_detail);
        printf("%s", _("; objection route: art. 49, through eligibility\n"));
    }
}

/* --- timeline lines --------------------------------------------------------- */

int ctl_dispatch_show_summary(const ctl_t *ctl, const Legalaid__Event *ev, char *buf, size_t size)
{
    char t[CTL_TIME_MAX];
    switch (ev->body_case) {
    case LEGALAID__EVENT__BODY_LAWYER_OFFERED: {
        const Legalaid__Offer *o = ev->lawyer_offered->offer;
        snprintf(buf, size, _("offered to %s %s (%s), lapses %s"),
                 o && o->lawyer ? ctl_fmt_str(o->lawyer->id) : "?",
                 o && o->lawyer ? ctl_fmt_str(o->lawyer->name) : "",
                 o && o->lawyer ? ctl_fmt_str(o->lawyer->firm) : "",
                 ctl_fmt_time(ctl, o ? o->expires_at : 0, t));
        return 1;
    }
    case LEGALAID__EVENT__BODY_OFFER_DECLINED: {
        const Legalaid__DeclinedOffer *d = ev->offer_declined->declined;
        snprintf(buf, size, _("offer declined by %s: %s%s%s"), d ? ctl_fmt_str(d->lawyer_id) : "?",
                 ctl_dispatch_show_decline_name(d ? d->code : 0), d && d->reason ? ": " : "",
                 d ? ctl_fmt_str(d->reason) : "");
        return 1;
    }
    case LEGALAID__EVENT__BODY_CASE_PROGRESSED: {
        const Legalaid__CaseProgressed *p = ev->case_progressed;
        snprintf(buf, size, "%s -> %s%s%s%s%s", ctl_dispatch_show_state_name(p->from),
                 ctl_dispatch_show_state_name(p->to), p->by ? _(" by ") : "", ctl_fmt_str(p->by),
                 p->note ? ": " : "", ctl_fmt_str(p->note));
        return 1;
    }
    case LEGALAID__EVENT__BODY_CASE_TERMINATED: {
        const Legalaid__CaseTerminated *c = ev->case_terminated;
        snprintf(buf, size, _("aid terminated (%s, %s)%s%s"),
                 ctl_dispatch_show_termination_name(c->reason),
                 regulation_render(c->article ? c->article : "Legal Aid Law art. 48"), c->detail ? ": " : "",
                 ctl_fmt_str(c->detail));
        return 1;
    }
    case LEGALAID__EVENT__BODY_LAWYER_RELEASED: {
        const Legalaid__LawyerReleased *r = ev->lawyer_released;
        static const char *const kinds[] = {N_("released"), N_("replaced at the recipient's request"),
                                            N_("refused by the defendant"),
                                            N_("own counsel retained")};
        int k = r->kind >= 0 && r->kind <= 3 ? (int)r->kind : 0;
        snprintf(buf, size, _("lawyer %s %s%s%s"), ctl_fmt_str(r->lawyer_id), _(kinds[k]),
                 r->reason ? ": " : "", ctl_fmt_str(r->reason));
        return 1;
    }
    case LEGALAID__EVENT__BODY_DEADLINE_MISSED: {
        const Legalaid__DeadlineMissed *m = ev->deadline_missed;
        snprintf(buf, size, _("deadline missed: %s (%s)"),
                 m->deadline && m->deadline->key ? m->deadline->key : "?",
                 ctl_dispatch_show_state_name(m->state));
        return 1;
    }
    case LEGALAID__EVENT__BODY_FILE_REVIEWED: {
        const Legalaid__FileReviewed *r = ev->file_reviewed;
        int n = snprintf(buf, size, _("file reviewed by %s: %u (%u of %u)"),
                         r->review ? ctl_fmt_str(r->review->reviewer_name) : "?",
                         r->review ? r->review->total : 0, r->reviews, r->reviews_needed);
        if (r->grade && n > 0 && (size_t)n < size)
            snprintf(buf + n, size - (size_t)n, _("; graded %s, %u"),
                     ctl_dispatch_show_grade_name(r->grade), r->final_score);
        return 1;
    }
    default:
        return 0;
    }
}
