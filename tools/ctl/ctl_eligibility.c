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
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "eligibility.pb-c.h"

static int ctl_review_usage(void)
{
    fprintf(stderr, "usage: legalaidctl verify CASE-ID true|false FINDING [--verifier NAME]\n"
                    "       legalaidctl objection file CASE-ID REASON\n"
                    "       legalaidctl objection decide CASE-ID uphold|correct [--officer NOTE] "
                    "REASONING\n"
                    "       legalaidctl objection show CASE-ID\n");
    return CTL_EXIT_FAILURE;
}

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
    const char *verifier = NULL;
    argc = ctl_option_take(argc, argv, "--verifier", &verifier);
    if (argc != 4 || !argv[1][0] || !argv[3][0]) return ctl_review_usage();
    int truthful;
    if (strcmp(argv[2], "true") == 0)
        truthful = 1;
    else if (strcmp(argv[2], "false") == 0)
        truthful = 0;
    else {
        fprintf(stderr,
                "legalaidctl: verify: '%s': say true (the commitment was truthful) or "
                "false\n",
                argv[2]);
        return CTL_EXIT_FAILURE;
    }
    Legalaid__VerifyCommitment v = LEGALAID__VERIFY_COMMITMENT__INIT;
    v.case_id = argv[1];
    v.has_truthful = 1;
    v.truthful = truthful;
    v.finding = argv[3];
    v.verifier = (char *)verifier;
    return ctl_review_send(ctl, LEGALAID__REQUEST__BODY_VERIFY_COMMITMENT, &v.base, argv[1]);
}

static int ctl_objection_file(ctl_t *ctl, int argc, char **argv)
{
    if (argc != 3 || !argv[1][0] || !argv[2][0]) return ctl_review_usage();
    Legalaid__FileObjection f = LEGALAID__FILE_OBJECTION__INIT;
    f.case_id = argv[1];
    f.reason = argv[2];
    return ctl_review_send(ctl, LEGALAID__REQUEST__BODY_FILE_OBJECTION, &f.base, argv[1]);
}

static int ctl_objection_decide(ctl_t *ctl, int argc, char **argv)
{
    const char *officer = NULL;
    argc = ctl_option_take(argc, argv, "--officer", &officer);
    if (argc != 4 || !argv[1][0] || !argv[3][0]) return ctl_review_usage();
    int correct;
    if (strcmp(argv[2], "uphold") == 0)
        correct = 0;
    else if (strcmp(argv[2], "correct") == 0)
        correct = 1;
    else {
        fprintf(stderr,
                "legalaidctl: objection decide: '%s': say uphold (the centre's decision "
                "stands) or correct\n",
                argv[2]);
        return CTL_EXIT_FAILURE;
    }
    Legalaid__DecideObjection d = LEGALAID__DECIDE_OBJECTION__INIT;
    d.case_id = argv[1];
    d.has_correct = 1;
    d.correct = correct;
    d.officer = (char *)officer;
    d.reasoning = argv[3];
    return ctl_review_send(ctl, LEGALAID__REQUEST__BODY_DECIDE_OBJECTION, &d.base, argv[1]);
}

static int ctl_objection_show(ctl_t *ctl, int argc, char **argv)
{
    if (argc != 2 || !argv[1][0]) return ctl_review_usage();
    Legalaid__GetObjection g = LEGALAID__GET_OBJECTION__INIT;
    g.case_id = argv[1];
    return ctl_review_send(ctl, LEGALAID__REQUEST__BODY_GET_OBJECTION, &g.base, argv[1]);
}

int ctl_eligibility_objection_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2) return ctl_review_usage();
    if (strcmp(argv[1], "file") == 0) return ctl_objection_file(ctl, argc - 1, argv + 1);
    if (strcmp(argv[1], "decide") == 0) return ctl_objection_decide(ctl, argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0) return ctl_objection_show(ctl, argc - 1, argv + 1);
    return ctl_review_usage();
}
