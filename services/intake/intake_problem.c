/*
 * intake_problem.c - the problem a check reports (intake_problem_t,
 * intake_validate.h): filled by the pure checks of intake_person.c and
 * intake_validate.c, turned into the INVALID_FIELD reply by the handlers
 * that ran them.
 */
#include <stdarg.h>
#include <stdio.h>

#include "i18n.h"
#include "intake_int.h"

int intake_problem_vset(intake_problem_t *pb, const char *path, const char *suffix, const char *fmt,
                        va_list ap)
{
    snprintf(pb->field, sizeof pb->field, "%s%s", path, suffix);
    vsnprintf(pb->msg, sizeof pb->msg, fmt, ap);
    i18n_cut(pb->msg);
    return -1;
}

int intake_problem_set(intake_problem_t *pb, const char *path, const char *suffix, const char *fmt,
                       ...)
{
    va_list ap;
    va_start(ap, fmt);
    intake_problem_vset(pb, path, suffix, fmt, ap);
    va_end(ap);
    return -1;
}

void intake_problem_reply(turn_t *t, Legalaid__Reply *reply, const intake_problem_t *pb)
{
    turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, pb->field, _("%s"), pb->msg);
}
