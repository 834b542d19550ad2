/*
 * pbjson_badtext.c - a line holding bytes that are not UTF-8 (a file saved as
 * GBK, a cut multi-byte character). jansson refuses such a line as a whole
 * ("not valid JSON at column 86"); this finds the field that holds the
 * first bad byte, so that the line is refused naming it, like any other
 * bad field: each bad byte is replaced by a mark (U+FDD0, a noncharacter
 * that no text of a file holds), the line is parsed again, and the field
 * whose value (or name) holds the first mark is the one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fieldtext.h"
#include "i18n.h"
#include "pbjson.h"
#include "xalloc.h"
#include <ctype.h>

#define PBJSON_BADTEXT_MARK "\xEF\xB7\x90"
#define PBJSON_BADTEXT_MARK_LEN 3

/* The line with every byte that is not UTF-8 replaced by the mark
 * (malloc'ed). */
static char *pbjson_badtext_marked(const char *text, size_t len)
{
    char *out = xmalloc(len * PBJSON_BADTEXT_MARK_LEN + 1);
    size_t o = 0, i = 0;
    while (i < len) {
        size_t bad = i + fieldtext_utf8_bad(text + i, len - i);
        memcpy(out + o, text + i, bad - i);
        o += bad - i;
        if (bad == len) break;
        memcpy(out + o, PBJSON_BADTEXT_MARK, PBJSON_BADTEXT_MARK_LEN);
        o += PBJSON_BADTEXT_MARK_LEN;
        i = bad + 1;
    }
    out[o] = 0;
    return out;
}

/* Finds the first string of v holding the mark; 1 with its path in path
 * and in *where the value (NULL when the mark is in a field's name). */
static int pbjson_badtext_find(json_t *v, const char *at, char *path, size_t size, const char **where)
{
    if (json_is_string(v)) {
        if (!strstr(json_string_value(v), PBJSON_BADTEXT_MARK)) return 0;
        snprintf(path, size, "%s", at);
        *where = json_string_value(v);
        return 1;
    }
    char sub[sizeof((pbjson_error_t *)0)->field];
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            snprintf(sub, sizeof sub, "%s[%zu]", at, i);
            if (pbjson_badtext_find(json_array_get(v, i), sub, path, size, where)) return 1;
        }
        return 0;
    }
    const char *key;
    json_t *item;
    json_object_foreach(v, key, item)
    {
        snprintf(sub, sizeof sub, "%s%s%s", at, at[0] ? "." : "", key);
        if (strstr(key, PBJSON_BADTEXT_MARK)) {
            snprintf(path, size, "%s", sub);
            *where = NULL;
            return 1;
        }
        if (pbjson_badtext_find(item, sub, path, size, where)) return 1;
    }
    return 0;
}

void pbjson_text_explain(const char *text, size_t bad, pbjson_error_t *err)
{
    size_t len = strlen(text);
    char *marked = strstr(text, PBJSON_BADTEXT_MARK) ? NULL : pbjson_badtext_marked(text, len);
    json_t *root = marked ? json_loads(marked, 0, NULL) : NULL;
    const char *where = NULL;
    int found = root && pbjson_badtext_find(root, "", err->field, sizeof err->field, &where);
    if (found && where) {
        /* The value as read, up to the mark: the bad byte is the next one. */
        size_t at = (size_t)(strstr(where, PBJSON_BADTEXT_MARK) - where);
        fieldtext_not_utf8(err->message, sizeof err->message, (unsigned char)text[bad], at);
    } else if (found) {
        /* The name as given, each bad byte shown as '?'. */
        char *mark;
        while ((mark = strstr(err->field, PBJSON_BADTEXT_MARK))) {
            *mark = '?';
            memmove(mark + 1, mark + PBJSON_BADTEXT_MARK_LEN, strlen(mark + PBJSON_BADTEXT_MARK_LEN) + 1);
        }
        snprintf(err->message, sizeof err->message, "%s",
                 _("the field's name is not valid UTF-8 (字段名不是有效的 UTF-8 文本)"));
    } else {
        err->field[0] = 0;
        snprintf(err->message, sizeof err->message,
                 _("not valid UTF-8 at column %zu: byte 0x%02X "
                   "(不是有效的 UTF-8 文本: 请把文件存为 UTF-8)"),
                 bad + 1, (unsigned)(unsigned char)text[bad]);
    }
    json_decref(root);
    free(marked);
}

/* --- times: ISO 8601 text or ms ------------------------------------------ */

/* Reads exactly n digits at *p into *v. */
static int pbjson_digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return -1;
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return 0;
}

int pbjson_text_time(const char *text, int utc_offset_min, int64_t *ms)
{
    const char *p = text;
    if (!p || !*p) return -1;
    size_t n = strlen(p);
    if (strspn(p, "0123456789") == n) {
        if (n > 15) return -1;
        *ms = strtoll(p, NULL, 10);
        return 0;
    }
    /* The day, as every daemon reads a date (common/check.c). */
    char date[11];
    int64_t day;
    if (n < 10) return -1;
    memcpy(date, p, 10);
    date[10] = 0;
    if (check_date(date, &day)) return -1;
    p += 10;
    int h = 0, mi = 0, s = 0, frac = 0;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (pbjson_digits(&p, 2, &h) || *p++ != ':' || pbjson_digits(&p, 2, &mi)) return -1;
        if (*p == ':') {
            p++;
            if (pbjson_digits(&p, 2, &s)) return -1;
            if (*p == '.' || *p == ',') {
                p++;
                int digits = 0;
                while (isdigit((unsigned char)*p)) {
                    if (digits < 3) frac = frac * 10 + (*p - '0');
                    digits++;
                    p++;
                }
                if (digits == 0) return -1;
                for (; digits < 3; digits++) frac *= 10;
            }
        }
        if (h > 23 || mi > 59 || s > 60) return -1;
    }
    int offset = utc_offset_min;
    if (*p == 'Z' || *p == 'z') {
        offset = 0;
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
        if (pbjson_digits(&p, 2, &oh)) return -1;
        if (*p == ':') p++;
        if (*p && pbjson_digits(&p, 2, &om)) return -1;
        if (oh > 14 || om > 59) return -1;
        offset = sign * (oh * 60 + om);
    }
    if (*p) return -1;
    int64_t secs = day * 86400 + h * 3600 + mi * 60 + s;
    *ms = (secs - (int64_t)offset * 60) * 1000 + frac;
    return 0;
}
