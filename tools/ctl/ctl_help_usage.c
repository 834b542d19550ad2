/*
 * ctl_help_usage.c - the one line of a bad usage: "legalaidctl CMD: the
 * problem (see: legalaidctl help CMD)", in the language of the user. A
 * file of its own: every command calls it, and ctl_help.c's table names
 * every command.
 */
#include <stdarg.h>
#include <stdio.h>

#include "ctl.h"
#include "i18n.h"

int ctl_help_usage_error(const char *command, const char *fmt, ...)
{
    char problem[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    fprintf(stderr, _("legalaidctl %s: %s (see: legalaidctl help %s)\n"), command, problem,
            command);
    return CTL_EXIT_FAILURE;
}
