/*
 * ctl_json.c - legalaidctl's JSON out: a reply as JSON (common/pbjson.c),
 * masked unless the operator asked --unmask, printed on stdout.
 */
#include <stdio.h>

#include "ctl.h"

json_t *ctl_json_from_message(const ProtobufCMessage *m, int mask)
{
    return pbjson_from_message(m, mask && !ctl_fmt_unmasked);
}

void ctl_json_print(json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(j);
}
