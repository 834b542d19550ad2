/*
 * ctl_csv.c - splitting CSV records and list cells (see ctl_csv.h).
 */
#include "ctl_csv.h"

#include <string.h>

#include "i18n.h"

static int ctl_csv_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* s without blanks at either end (in place). */
static char *ctl_csv_trim(char *s)
{
    while (ctl_csv_blank(*s)) s++;
    size_t n = strlen(s);
    while (n && ctl_csv_blank(s[n - 1])) s[--n] = 0;
    return s;
}

int ctl_csv_split(char *line, char **fields, int max, const char **why)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (ctl_csv_blank(*p)) p++;
        char *field = p, *w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p) {
                    *why = _("a quoted field is not closed (a newline inside quotes is not "
                             "supported)");
                    return -1;
                }
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            while (ctl_csv_blank(*p)) p++;
            if (*p && *p != ',') {
                *why = _("text follows the closing quote of a field");
                return -1;
            }
            char end = *p;
            *w = 0;
            if (n < max) fields[n] = field;
            n++;
            if (!end) return n;
            p++;
            continue;
        }
        char *comma = strchr(p, ',');
        if (comma) *comma = 0;
        if (n < max) fields[n] = ctl_csv_trim(field);
        n++;
        if (!comma) return n;
        p = comma + 1;
    }
}

int ctl_csv_list(char *cell, char **items, int max)
{
    int n = 0;
    char *p = cell;
    while (p) {
        char *semi = strchr(p, ';');
        if (semi) *semi = 0;
        char *item = ctl_csv_trim(p);
        if (*item) {
            if (n < max) items[n] = item;
            n++;
        }
        p = semi ? semi + 1 : NULL;
    }
    return n;
}
