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

#define CTL_ROW "  %-13s"

const char *ctl_dispatch_show_state_name(int state)
{
    switch (state) {
    case LEGALAID__ASSIGNMENT_STATE__ASSIGNED:
        return "assigned";
    case LEGALAID__ASSIGNMENT_STATE__QUEUED:
        return "waiting";
    case LEGALAID__ASSIGNMENT_STATE__OFFERED:
        return "offered";
    case LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF:
        return "needs-staff";
    case LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED:
        return "signed";
    case LEGALAID__ASSIGNMENT_STATE__IN_PROGRESS:
        return "started";
    case LEGALAID__ASSIGNMENT_STATE__CONCLUDED:
        return "concluded";
    case LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED:
        return "file-submitted";
    case LEGALAID__ASSIGNMENT_STATE__REVIEWED:
        return "reviewed";
    case LEGALAID__ASSIGNMENT_STATE__AID_TERMINATED:
        return "terminated";
    case LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL:
        return "awaiting-own-counsel";
    default:
        return "unknown";
    }
}

const char *ctl_dispatch_show_decline_name(int code)
{
    switch (code) {
    case LEGALAID__DECLINE_CODE__DECLINE_CONFLICT:
        return "conflict";
    case LEGALAID__DECLINE_CODE__DECLINE_OUT_OF_SCOPE:
        return "out-of-scope";
    case LEGALAID__DECLINE_CODE__DECLINE_CAPACITY:
        return "capacity";
    case LEGALAID__DECLINE_CODE__DECLINE_OTHER:
        return "other";
    case LEGALAID__DECLINE_CODE__DECLINE_LAPSED:
        return "lapsed";
    default:
        return "unspecified";
    }
}

const char *ctl_dispatch_show_termination_name(int reason)
{
    static const char *const names[] = {"unspecified",  "deception",         "concealment",
                                        "unlawful-use", "means-changed",     "matter-ended",
                                        "own-counsel",  "recipient-request", "other-law"};
    return reason >= 0 && reason <= 8 ? names[reason] : "unspecified";
}

const char *ctl_dispatch_show_grade_name(int grade)
{
    switch (grade) {
    case LEGALAID__GRADE__EXCELLENT:
        return "excellent (优秀)";
    case LEGALAID__GRADE__GOOD:
        return "good (良好)";
    case LEGALAID__GRADE__PASS:
        return "pass (合格)";
    case LEGALAID__GRADE__FAIL:
        return "fail (不合格)";
    default:
        return "not graded";
    }
}

static void ctl_dispatch_lawyer(const ctl_t *ctl, const Legalaid__Lawyer *l)
{
    char phone[64];
    (void)ctl;
    printf("%s %s (%s", ctl_fmt_str(l->id), ctl_fmt_str(l->name), ctl_fmt_str(l->firm));
    if (l->phone && l->phone[0]) printf(", %s", ctl_fmt_mask_phone(l->phone, phone, sizeof phone));
    printf(")");
}

/* A deadline row, with "(passed)" when it is behind now and still open. */
static void ctl_dispatch_deadline(const ctl_t *ctl, const char *label, int64_t due,
                                  const char *basis)
{
    char t[CTL_TIME_MAX];
    if (!due) return;
    printf(CTL_ROW "%s %s\n", label, ctl_fmt_deadline(ctl, due, t), basis);
}

void ctl_dispatch_show_assignment(const ctl_t *ctl, const Legalaid__Assignment *as)
{
    char t[CTL_TIME_MAX], t2[CTL_TIME_MAX];
    /* Overdue while it waits; a case assigned late keeps the mark in its record. */
    int waiting = as->state == LEGALAID__ASSIGNMENT_STATE__QUEUED ||
                  as->state == LEGALAID__ASSIGNMENT_STATE__OFFERED ||
                  as->state == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
    const char *late = !as->overdue ? ""
                       : waiting    ? " (OVERDUE: the 3-day assignment deadline has passed)"
                                    : " (assigned after the 3-day assignment deadline)";
    printf(CTL_ROW "%s%s%s\n", "dispatch", ctl_dispatch_show_state_name(as->state), late,
           as->manual ? ", assigned by staff (outside the fairness count)" : "");
    if (as->manual && as->assigned_by) printf(CTL_ROW "%s\n", "by staff", as->assigned_by);
    /* An open offer explains itself below; otherwise the reason stands here. */
    int explained = as->state == LEGALAID__ASSIGNMENT_STATE__OFFERED && as->offer &&
                    as->offer->explanation && as->offer->explanation->why;
    if (as->reason && as->reason[0] && !explained) printf(CTL_ROW "%s\n", "", as->reason);
    if (as->lawyer) {
        printf(CTL_ROW, "lawyer");
        ctl_dispatch_lawyer(ctl, as->lawyer);
        if (as->assigned_at) printf(", assigned %s", ctl_fmt_time(ctl, as->assigned_at, t));
        printf("\n");
    }
    if (as->state == LEGALAID__ASSIGNMENT_STATE__OFFERED && as->offer && as->offer->lawyer) {
        printf(CTL_ROW, "offer");
        ctl_dispatch_lawyer(ctl, as->offer->lawyer);
        printf(", offered %s, lapses %s\n", ctl_fmt_time(ctl, as->offer->offered_at, t),
               ctl_fmt_time(ctl, as->offer->expires_at, t2));
        const Legalaid__MatchExplanation *x = as->offer->explanation;
        if (x) {
            printf(CTL_ROW "pool %u, %u passed every hard rule, %u equally suitable", "why",
                   x->pool, x->candidates, x->best_tier);
            for (size_t i = 0; i < x->n_filtered; i++)
                printf("; %s: %u excluded", ctl_fmt_str(x->filtered[i]->rule),
                       x->filtered[i]->excluded);
            printf("\n");
            if (x->why && x->why[0]) printf(CTL_ROW "%s\n", "", x->why);
        }
    }
    for (size_t i = 0; i < as->n_declined; i++) {
        const Legalaid__DeclinedOffer *d = as->declined[i];
        printf(CTL_ROW "%s %s %s%s%s\n", i ? "" : "declined", ctl_fmt_time(ctl, d->at, t),
               ctl_fmt_str(d->lawyer_id), ctl_dispatch_show_decline_name(d->code),
               d->reason && d->reason[0] ? ": " : "", ctl_fmt_str(d->reason));
    }
    for (size_t i = 0; i < as->n_former_lawyers; i++)
        printf(CTL_ROW "%s\n", i ? "" : "released", ctl_fmt_str(as->former_lawyers[i]));
    /* The deadlines still running, by the state the case is in. */
    int st = as->state;
    if (st == LEGALAID__ASSIGNMENT_STATE__QUEUED || st == LEGALAID__ASSIGNMENT_STATE__OFFERED ||
        st == LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF)
        ctl_dispatch_deadline(ctl, "assign by", as->assign_due_at, "(art. 36, 43)");
    if (st == LEGALAID__ASSIGNMENT_STATE__ASSIGNED)
        ctl_dispatch_deadline(ctl, "agreement by", as->agreement_due_at, "(委托协议, S6 art. 27)");
    if (st == LEGALAID__ASSIGNMENT_STATE__AWAITING_OWN_COUNSEL)
        ctl_dispatch_deadline(ctl, "own counsel", as->own_counsel_due_at,
                              "by then, else a lawyer is appointed again (刑诉法解释 art. 50)");
    if (st == LEGALAID__ASSIGNMENT_STATE__CONCLUDED)
        ctl_dispatch_deadline(ctl, "file by", as->file_due_at, "(closing file, art. 50)");
    if (st == LEGALAID__ASSIGNMENT_STATE__FILE_SUBMITTED)
        ctl_dispatch_deadline(ctl, "review by", as->review_due_at, "(一卷二评)");
    if (as->signed_at) printf(CTL_ROW "%s\n", "signed", ctl_fmt_time(ctl, as->signed_at, t));
    if (as->started_at) printf(CTL_ROW "%s\n", "started", ctl_fmt_time(ctl, as->started_at, t));
    if (as->concluded_at) {
        printf(CTL_ROW "%s", "concluded", ctl_fmt_time(ctl, as->concluded_at, t));
        if (as->result && as->result[0]) printf(": %s", as->result);
        if (as->amount_recovered_fen)
            printf("; recovered %lld.%02lld yuan", (long long)(as->amount_recovered_fen / 100),
                   (long long)(as->amount_recovered_fen % 100));
        printf("\n");
    }
    if (as->file_submitted_at) {
        printf(CTL_ROW "%s", "file", ctl_fmt_time(ctl, as->file_submitted_at, t));
        for (size_t i = 0; i < as->n_file_documents; i++)
            printf("%s%s", i ? "; " : ": ", ctl_fmt_str(as->file_documents[i]));
        printf("\n");
    }
    for (size_t i = 0; i < as->n_reviews; i++) {
        const Legalaid__Review *r = as->reviews[i];
        printf(CTL_ROW "%u by %s (%s, %s)", i ? "" : "reviews", r->total,
               ctl_fmt_str(r->reviewer_name), ctl_fmt_str(r->reviewer_id),
               ctl_fmt_str(r->reviewer_firm));
        for (size_t k = 0; k < r->n_scores; k++)
            printf("%s%s=%u", k ? " " : ": ", ctl_fmt_str(r->scores[k]->indicator),
                   r->scores[k]->points);
        if (r->comment && r->comment[0]) printf("; %s", r->comment);
        printf("\n");
    }
    if (as->n_reviews || as->reviews_needed) {
        if (as->grade)
            printf(CTL_ROW "%s, score %u, %s\n", "grade", ctl_dispatch_show_grade_name(as->grade),
                   as->final_score, ctl_fmt_time(ctl, as->reviewed_at, t));
        else if (as->reviews_needed)
            printf(CTL_ROW "%zu of %u reviews recorded%s\n", "grade", as->n_reviews,
                   as->reviews_needed, as->reviews_needed > 2 ? " (a third: the two differ)" : "");
    }
    if (as->termination) {
        printf(CTL_ROW "%s, Legal Aid Law art. 48(%d), %s", "terminated",
               ctl_dispatch_show_termination_name(as->termination), (int)as->termination,
               ctl_fmt_time(ctl, as->terminated_at, t));
        if (as->termination_detail && as->termination_detail[0])
            printf(": %s", as->termination_detail);
        printf("; objection route: art. 49, through eligibility\n");
    }
}

/* --- timeline lines --------------------------------------------------------- */

int ctl_dispatch_show_summary(const ctl_t *ctl, const Legalaid__Event *ev, char *buf, size_t size)
{
    char t[CTL_TIME_MAX];
    switch (ev->body_case) {
    case LEGALAID__EVENT__BODY_LAWYER_OFFERED: {
        const Legalaid__Offer *o = ev->lawyer_offered->offer;
        snprintf(buf, size, "offered to %s %s (%s), lapses %s",
                 o && o->lawyer ? ctl_fmt_str(o->lawyer->id) : "?",
                 o && o->lawyer ? ctl_fmt_str(o->lawyer->name) : "",
                 o && o->lawyer ? ctl_fmt_str(o->lawyer->firm) : "",
                 ctl_fmt_time(ctl, o ? o->expires_at : 0, t));
        return 1;
    }
    case LEGALAID__EVENT__BODY_OFFER_DECLINED: {
        const Legalaid__DeclinedOffer *d = ev->offer_declined->declined;
        snprintf(buf, size, "offer declined by %s: %s%s%s", d ? ctl_fmt_str(d->lawyer_id) : "?",
                 ctl_dispatch_show_decline_name(d ? d->code : 0), d && d->reason ? ": " : "",
                 d ? ctl_fmt_str(d->reason) : "");
        return 1;
    }
    case LEGALAID__EVENT__BODY_CASE_PROGRESSED: {
        const Legalaid__CaseProgressed *p = ev->case_progressed;
        snprintf(buf, size, "%s -> %s%s%s%s%s", ctl_dispatch_show_state_name(p->from),
                 ctl_dispatch_show_state_name(p->to), p->by ? " by " : "", ctl_fmt_str(p->by),
                 p->note ? ": " : "", ctl_fmt_str(p->note));
        return 1;
    }
    case LEGALAID__EVENT__BODY_CASE_TERMINATED: {
        const Legalaid__CaseTerminated *c = ev->case_terminated;
        snprintf(buf, size, "aid terminated (%s, %s)%s%s",
                 ctl_dispatch_show_termination_name(c->reason),
                 c->article ? c->article : "Legal Aid Law art. 48", c->detail ? ": " : "",
                 ctl_fmt_str(c->detail));
        return 1;
    }
    case LEGALAID__EVENT__BODY_LAWYER_RELEASED: {
        const Legalaid__LawyerReleased *r = ev->lawyer_released;
        static const char *const kinds[] = {"released", "replaced at the recipient's request",
                                            "refused by the defendant", "own counsel retained"};
        int k = r->kind >= 0 && r->kind <= 3 ? (int)r->kind : 0;
        snprintf(buf, size, "lawyer %s %s%s%s", ctl_fmt_str(r->lawyer_id), kinds[k],
                 r->reason ? ": " : "", ctl_fmt_str(r->reason));
        return 1;
    }
    case LEGALAID__EVENT__BODY_DEADLINE_MISSED: {
        const Legalaid__DeadlineMissed *m = ev->deadline_missed;
        snprintf(buf, size, "deadline missed: %s (%s)",
                 m->deadline && m->deadline->key ? m->deadline->key : "?",
                 ctl_dispatch_show_state_name(m->state));
        return 1;
    }
    case LEGALAID__EVENT__BODY_FILE_REVIEWED: {
        const Legalaid__FileReviewed *r = ev->file_reviewed;
        int n = snprintf(buf, size, "file reviewed by %s: %u (%u of %u)",
                         r->review ? ctl_fmt_str(r->review->reviewer_name) : "?",
                         r->review ? r->review->total : 0, r->reviews, r->reviews_needed);
        if (r->grade && n > 0 && (size_t)n < size)
            snprintf(buf + n, size - (size_t)n, "; graded %s, %u",
                     ctl_dispatch_show_grade_name(r->grade), r->final_score);
        return 1;
    }
    default:
        return 0;
    }
}
