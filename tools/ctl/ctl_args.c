/*
 * ctl_args.c - a command's options read with getopt_long
 * (ctl_help_option_scan, permuting): each option's value into its slot,
 * the command's words left at the end of argv in their order, and a bad
 * option told in one line.
 */
#include <getopt.h>

#include "ctl.h"

int ctl_args_parse(const char *command, int argc, char **argv, const struct option *opts,
                   const char **values)
{
    int opt;
    while ((opt = ctl_help_option_scan(command, argc, argv, opts, 1)) > 0)
        values[opt - 1] = optarg ? optarg : ""; /* val is the slot; a flag's gets "" (given) */
    return opt < 0 ? -1 : optind;
}
