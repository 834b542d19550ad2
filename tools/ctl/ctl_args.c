/*
 * ctl_args.c - a command's options, read with getopt_long in one place
 * (ctl_args_parse): each option's value into its slot, the command's words
 * from the index returned, and a bad option told in one line that points
 * to `legalaidctl help COMMAND`.
 */
#include <getopt.h>

#include "ctl.h"
#include "i18n.h"

int ctl_args_many;

/* The one-line usage error of getopt_long's answer opt ('?' or ':'). */
static int ctl_args_error(const char *command, char **argv, int opt)
{
    if (opt == ':')
        return ctl_help_usage_error(command, _("option %s needs a value"), argv[optind - 1]);
    if (optopt > 0 && optopt < 256)
        return ctl_help_usage_error(command, _("unknown option -%c"), optopt);
    return ctl_help_usage_error(command, _("unknown option %s"), argv[optind - 1]);
}

int ctl_args_parse(const char *command, int argc, char **argv, const struct option *opts,
                   const char **values, int flags)
{
    optind = 0; /* glibc: start again, at argv[1] */
    opterr = 0;
    /* "+": the options end at the first word, so "-5" after it is a word;
     * permuting, options may follow words, which end up last in argv. */
    const char *spec = flags & CTL_ARGS_IN_ORDER ? "+:" : ":";
    int opt, ix = -1;
    size_t many = 0;
    while ((opt = getopt_long(argc, argv, spec, opts, &ix)) != -1) {
        if (opt == '?' || opt == ':') {
            ctl_args_error(command, argv, opt);
            return -1;
        }
        const struct option *o = &opts[ix];
        if (o->flag == &ctl_args_many) { /* a list: its values one after another */
            values[o->val - 1 + many++] = optarg;
            continue;
        }
        values[opt - 1] = optarg ? optarg : ""; /* a flag that takes no value: "" (given) */
    }
    return optind;
}
