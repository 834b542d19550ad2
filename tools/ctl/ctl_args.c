/*
 * ctl_args.c - a command's options read with getopt_long: each option's
 * value into its slot, the command's words left at the end of argv in
 * their order, and a bad option told in one line (ctl_help.c).
 */
#include <getopt.h>

#include "ctl.h"

int ctl_args_parse(const char *command, int argc, char **argv, const struct option *opts,
                   const char **values)
{
    optind = 0; /* 0, not 1: getopt_long starts afresh for each parse */
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (opt == '?' || opt == ':') {
            ctl_help_option_error(command, argv, opt);
            return -1;
        }
        /* val is the option's slot; a flag's slot gets "" (given). */
        values[opt - 1] = optarg ? optarg : "";
    }
    return optind;
}
