/*
 * ctl_help_option.c - a command's options, read with getopt_long: the next
 * one, or the one-line error of an option getopt_long refused (an unknown
 * option, or one without its value).
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

int ctl_help_option_scan(const char *command, int argc, char **argv,
                         const struct option *longopts, int permute)
{
    static int reading; /* a parse goes on; the next call after its end starts anew */
    if (!reading) {
        optind = 0; /* glibc: start again, at argv[1] */
        opterr = 0;
        reading = 1;
    }
    /* "+": the options end at the first word, so "-5" after it is a word;
     * permuting, options may follow words, which end up last in argv. */
    int opt = getopt_long(argc, argv, permute ? ":" : "+:", longopts, NULL);
    if (opt == -1) {
        reading = 0;
        return 0;
    }
    if (opt == '?' || opt == ':') {
        reading = 0;
        ctl_help_option_error(command, argv, opt);
        return -1;
    }
    return opt;
}

int ctl_help_option_next(const char *command, int argc, char **argv,
                         const struct option *longopts)
{
    return ctl_help_option_scan(command, argc, argv, longopts, 0);
}
