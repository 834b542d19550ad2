/*
 * fuzz-ini.c - a configuration file as every daemon and `legalaidctl
 * config` check it at start and with -t (sections_check: every section,
 * every key, its type and range). Whatever the file holds, the check
 * answers 0 or an error naming file:line: [section] key, never crashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sections.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_write("legalaid.ini", data, size) != 0) abort();
    char path[700], err[1024] = "";
    snprintf(path, sizeof path, "%s/legalaid.ini", fuzz_dir());
    int rc = sections_check(path, err, sizeof err);
    if (rc != 0 && !strstr(err, "legalaid.ini")) abort(); /* an error must name the file */
    return 0;
}
