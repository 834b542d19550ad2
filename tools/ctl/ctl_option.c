/*
 * ctl_option.c - the "--NAME VALUE" options of a command's words: taken
 * out of argv so that what is left are the command's positional words.
 */
#include <string.h>

#include "ctl.h"

int ctl_option_take(int argc, char **argv, const char *name, const char **value)
{
    size_t n = strlen(name);
    int out = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], name) == 0) {
            if (i + 1 >= argc) return -1;
            *value = argv[++i];
            continue;
        }
        if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') {
            *value = argv[i] + n + 1;
            continue;
        }
        argv[out++] = argv[i];
    }
    return out;
}
