/*
 * ctl_records.c - reads a JSON Lines file into messages, one per line; a
 * line that cannot be read goes to the outcomes (ctl_outcomes.c) as
 * rejected, naming its field, so that a bad line never stops the good ones
 * (FORMATS.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctl.h"
#include "i18n.h"
#include "xalloc.h"

static int ctl_line_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
    return 1;
}

static int ctl_records_is_csv(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".csv") == 0;
}

int ctl_records_read(const ctl_t *ctl, const char *path, const ProtobufCMessageDescriptor *desc,
                     arena_t *arena, ctl_records_t *recs, ctl_outcomes_t *out)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, _("legalaidctl: cannot read %s: %s\n"), path, strerror(errno));
        return -1;
    }
    if (ctl_records_is_csv(path)) {
        int rc = ctl_records_csv(ctl, f, desc, arena, recs, out);
        int failed = ferror(f);
        fclose(f);
        if (failed) fprintf(stderr, _("legalaidctl: error reading %s\n"), path);
        return rc < 0 || failed ? -1 : 0;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t n = (size_t)len;
        if (lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            memmove(line, line + 3, n - 2); /* a byte-order mark from a spreadsheet export */
            n -= 3;
        }
        if (strlen(line) != n) {
            ctl_outcomes_add(out, lineno, 0, NULL,
                             _("the line contains a NUL byte: is this a text file?"));
            continue;
        }
        if (ctl_line_blank(line)) continue;
        pbjson_error_t err;
        ProtobufCMessage *m = pbjson_parse(line, desc, ctl->utc_offset_min, arena, &err);
        if (!m) {
            ctl_outcomes_add(out, lineno, 0, err.field, err.message);
            continue;
        }
        ctl_records_csv_add(recs, lineno, m);
    }
    int failed = ferror(f);
    free(line);
    if (f != stdin) fclose(f);
    if (failed) {
        fprintf(stderr, _("legalaidctl: error reading %s\n"), path);
        return -1;
    }
    return 0;
}

void ctl_records_free(ctl_records_t *recs)
{
    free(recs->items);
    memset(recs, 0, sizeof *recs);
}
