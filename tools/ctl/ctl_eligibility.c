/*
 * ctl_eligibility.c - the commands that talk to eligibility about a
 * decision afterwards:
 *
 *   verify CASE-ID true|false FINDING [--verifier NAME]
 *       the check of a commitment letter (art. 41; a false one refuses or
 *       terminates the aid, DOMAIN R-ECON-07)
 *   objection file CASE-ID REASON
 *   objection decide CASE-ID uphold|correct [--officer NOTE] REASONING
 *     (the officer who decides is the principal of the key, art. 49)
 *   objection show CASE-ID
 *       an objection to a refusal or termination, the justice bureau
 *       officer's decision on it, and the objection as it stands (art. 49)
 *
 * The assistance roll and the holiday calendar go to eligibility through
 * `import` (ctl_import.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "eligibility.pb-c.h"
#include "i18n.h"

/* Sends body (the request's body_case member) to eligibility and prints
 * the reply's body; returns the exit status. */
static int ctl_review_send(ctl_t *ctl, Legalaid__Request__BodyCase body_case,
                           ProtobufCMessage *body, const char *case_id)
{
    ctl_ask_t a;
    ctl_ask_body(&a, CTL_ELIGIBILITY, body_case, body);
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) ctl_show_reply(ctl, case_id, a.reply);
    ctl_ask_free(&a, 1);
    return status;
}

int ctl_eligibility_verify_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{"verifier", required_argument, NULL, 1},
                                         {NULL, 0, NULL, 0}};
    const char *verifier = NULL;
    int first = ctl_args_parse("verify", argc, argv, opts, &verifier, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    if (argc - first != 3 || !w[0][0] || !w[2][0])
        return ctl_help_usage_error("verify", _("give CASE-ID, true or false, and the FINDING"));
    int truthful;
    if (strcmp(w[1], "true") == 0)
        truthful = 1;
    else if (strcmp(w[1], "false") == 0)
        truthful = 0;
    else
        return ctl_help_usage_error(
            "verify", _("'%s': say true (the commitment was truthful) or false"), w[1]);
    Legalaid__VerifyCommitment v = LEGALAID__VERIFY_COMMITMENT__INIT;
    v.case_id = w[0];
    v.has_truthful = 1;
    v.truthful = truthful;
    v.finding = w[2];
    v.verifier = (char *)verifier;
    return ctl_review_send(ctl, LEGALAID__REQUEST__BODY_VERIFY_COMMITMENT, &v.base, w[0]);
}

/* objection file|decide|show: w[0] is the sub-command, n the words. */
int ctl_eligibility_objection_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{"officer", required_argument, NULL, 1},
                                         {NULL, 0, NULL, 0}};
    const char *officer = NULL;
    int first = ctl_args_parse("objection", argc, argv, opts, &officer, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    char **w = argv + first;
    int n = argc - first;
    if (n == 0) return ctl_help_usage_error("objection", _("give file, decide or show"));
    if (officer && strcmp(w[0], "decide") != 0)
        return ctl_help_usage_error("objection", _("--officer is for objection decide only"));
    if (strcmp(w[0], "file") == 0) {
        if (n != 3 || !w[1][0] || !w[2][0])
            return ctl_help_usage_error("objection", _("file: give CASE-ID and REASON"));
        Legalaid__FileObjection f = LEGALAID__FILE_OBJECTION__INIT;
        f.case_id = w[1];
        f.reason = w[2];
        return ctl_review_send(ctl, LEGALAID__REQUEST__BODY_FILE_OBJECTION, &f.base, w[1]);
    }
    if (strcmp(w[0], "decide") == 0) {
        if (n != 4 || !w[1][0] || !w[3][0])
            return ctl_help_usage_error(
                "objection", _("decide: give CASE-ID, uphold or correct, and the REASONING"));
        int correct = strcmp(w[2], "correct") == 0;
        if (!correct && strcmp(w[2], "uphold") != 0)
            return ctl_help_usage_error(
                "objection",
                _("decide: '%s': say uphold (the centre's decision stands) or correct"), w[2]);
        Legalaid__DecideObjection d = LEGALAID__DECIDE_OBJECTION__INIT;
        d.case_id = w[1];
        d.has_correct = 1;
        d.correct = correct;
        d.officer = (char *)officer;
        d.reasoning = w[3];
        return ctl_review_send(ctl, LEGALAID__REQUEST__BODY_DECIDE_OBJECTION, &d.base, w[1]);
    }
    if (strcmp(w[0], "show") == 0) {
        if (n != 2 || !w[1][0])
            return ctl_help_usage_error("objection", _("show: give the CASE-ID"));
        Legalaid__GetObjection g = LEGALAID__GET_OBJECTION__INIT;
        g.case_id = w[1];
        return ctl_review_send(ctl, LEGALAID__REQUEST__BODY_GET_OBJECTION, &g.base, w[1]);
    }
    return ctl_help_usage_error("objection", _("'%s' is not file, decide or show"), w[0]);
}
