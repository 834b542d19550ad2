/*
 * ctl_help_option.c - the one-line error of an option getopt_long refused
 * (opterr = 0, optstring starting with ':'): an unknown option, or one
 * without its value.
 */
#include <getopt.h>

#include "ctl.h"
#include "i18n.h"

int ctl_help_option_error(const char *command, char **argv, int opt)
{
    if (opt == ':')
        return ctl_help_usage_error(command, _("option %s needs a value"), argv[optind - 1]);
    if (optopt)
        return ctl_help_usage_error(command, _("unknown option -%c"), optopt);
    return ctl_help_usage_error(command, _("unknown option %s"), argv[optind - 1]);
}
