/*
 * dispatch_config.c - dispatch's configuration: the keys of its section
 * with their defaults and ranges (the man page in main.c lists them), and
 * the struct the steps read. Checked at start by dispatch.c (the review's
 * indicator set, dispatch_review.c); never written after start.
 */
#include <stddef.h>

#include "dispatch_int.h"

dispatch_config_t dispatch_config;

#define OFF(f) offsetof(dispatch_config_t, f)
const cfg_key_t dispatch_config_keys[] = {
    {"default_capacity", CFG_INT, "10", 1, DISPATCH_CAPACITY_MAX, OFF(default_capacity),
     "open cases a lawyer takes at most when the import does not say"},
    {"offer_hours", CFG_INT, "24", 1, 24 * 14, OFF(offer_hours),
     "an offer not answered within this many hours lapses and goes to the next lawyer"},
    {"min_practice_years", CFG_INT, "2", 0, 50, OFF(min_practice_years),
     "recruitment: years of practice a lawyer or grassroots worker needs to join the pool"},
    {"capital_case_min_years", CFG_INT, "3", 0, 50, OFF(capital_case_min_years),
     "years of criminal defence for life-imprisonment and death-penalty cases (art. 26)"},
    {"judicial_cooling_years", CFG_INT, "2", 0, 50, OFF(judicial_cooling_years),
     "former court staff may not defend within this many years of leaving (CPL art. 41 interp.)"},
    {"agreement_days", CFG_INT, "5", 1, 60, OFF(agreement_days),
     "days from assignment to the signed entrustment agreement (程序规定 art. 27)"},
    {"closing_file_days", CFG_INT, "30", 1, 365, OFF(closing_file_days),
     "days from conclusion to the closing file (art. 50, R-CLOSE-02)"},
    {"file_review_days", CFG_INT, "30", 1, 365, OFF(file_review_days),
     "days the centre has to review a submitted file (T-19)"},
    {"own_counsel_days", CFG_INT, "5", 1, 60, OFF(own_counsel_days),
     "days a defendant who refused the lawyer has to retain counsel (CPL interp. art. 50)"},
    {"reassign_days", CFG_INT, "3", 1, 30, OFF(reassign_days),
     "days to assign a new lawyer after a replacement or a refusal (art. 43(1) by analogy)"},
    {"hearing_notice_days", CFG_INT, "15", 0, 365, OFF(hearing_notice_days),
     "a court tells the defender of a hearing at least this many days ahead (高法解释 art. 49, "
     "DOMAIN T-10): a hearing set or moved nearer is flagged short notice to the lawyer and staff"},
    {"weight_specialty", CFG_INT, "4", 0, 1000, OFF(weight_specialty),
     "ranking: points for a lawyer whose specialties include the matter's category"},
    {"weight_language", CFG_INT, "2", 0, 1000, OFF(weight_language),
     "ranking: points for a lawyer who speaks the applicant's language"},
    {"weight_county", CFG_INT, "1", 0, 1000, OFF(weight_county),
     "ranking: points for a lawyer who serves the matter's county"},
    {"firm_fairness_percent", CFG_INT, "50", 0, 1000, OFF(firm_fairness_percent),
     "ranking: weight of the firm's share against the lawyer's own, in percent"},
    {"fair_band_offers", CFG_INT, "2", 0, 1000000, OFF(fair_band_offers),
     "a lawyer whose offers are further than this from the fair share is flagged"},
    {"fair_band_percent", CFG_INT, "20", 0, 100, OFF(fair_band_percent),
     "... or further than this percentage of the fair share, whichever is larger"},
    {"review_indicators", CFG_STRING,
     "案卷材料:20,办案程序:25,法律文书:25,办案效果:20,受援人评价:10", 0, 0, OFF(review_indicators),
     "the file review's indicators as name:points, adding up to 100 (R-QUAL-02)"},
    {"grade_excellent_min", CFG_INT, "90", 0, 100, OFF(grade_excellent_min),
     "average score for excellent (优秀) (OPEN-9)"},
    {"grade_good_min", CFG_INT, "75", 0, 100, OFF(grade_good_min), "average score for good (良好)"},
    {"grade_pass_min", CFG_INT, "60", 0, 100, OFF(grade_pass_min),
     "average score for pass (合格); below it the file fails (不合格)"},
    {"review_gap_max", CFG_INT, "15", 0, 100, OFF(review_gap_max),
     "two reviews further apart than this call for a third"},
    {"intern_supervisor_years", CFG_INT, "3", 0, 50, OFF(intern_supervisor_years),
     "internships: years of practice a firm's lawyer needs to supervise an intern (全国律协"
     "《申请律师执业人员实习管理规则》; the article is to be verified)"},
    {"intern_supervisor_max", CFG_INT, "2", 1, 20, OFF(intern_supervisor_max),
     "internships: interns one supervising lawyer guides at once, over all the places of a "
     "period"},
    {"intern_reply_days", CFG_INT, "5", 1, 60, OFF(intern_reply_days),
     "internships: working days a candidate has to accept or decline an offer; unanswered, it "
     "lapses and the place goes to the next candidate"},
    {"objection_body", CFG_STRING, DISPATCH_OBJECTION_BODY_DEFAULT, 0, 0, OFF(objection_body),
     "the justice bureau objections go to, named in a termination's objection route (art. 49: "
     "the bureau of the government that set up the centre); empty: the default"},
    {"weekend_is_rest_day", CFG_BOOL, "true", 0, 0, OFF(weekend_is_rest_day),
     "a period (agreement, closing file, own counsel, review, re-assignment) ending on a Saturday "
     "or Sunday ends at the end of the next working day (民法典 art. 203; DOMAIN R-TIME-00); a "
     "calendar WORKDAY (make-up working day) is not a rest day"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};
