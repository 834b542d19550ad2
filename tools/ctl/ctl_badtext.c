/*
 * ctl_badtext.c - a line holding bytes that are not UTF-8 (a file saved as
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

#include "ctl.h"
#include "fieldtext.h"
#include "xalloc.h"

#define CTL_BADTEXT_MARK "\xEF\xB7\x90"
#define CTL_BADTEXT_MARK_LEN 3

/* The line with every byte that is not UTF-8 replaced by the mark
 * (malloc'ed). */
static char *ctl_badtext_marked(const char *text, size_t len)
{
    char *out = xmalloc(len * CTL_BADTEXT_MARK_LEN + 1);
    size_t o = 0, i = 0;
    while (i < len) {
        size_t bad = i + fieldtext_utf8_bad(text + i, len - i);
        memcpy(out + o, text + i, bad - i);
        o += bad - i;
        if (bad == len) break;
        memcpy(out + o, CTL_BADTEXT_MARK, CTL_BADTEXT_MARK_LEN);
        o += CTL_BADTEXT_MARK_LEN;
        i = bad + 1;
    }
    out[o] = 0;
    return out;
}

/* Finds the first string of v holding the mark; 1 with its path in path
 * and in *where the value (NULL when the mark is in a field's name). */
static int ctl_badtext_find(json_t *v, const char *at, char *path, size_t size, const char **where)
{
    if (json_is_string(v)) {
        if (!strstr(json_string_value(v), CTL_BADTEXT_MARK)) return 0;
        snprintf(path, size, "%s", at);
        *where = json_string_value(v);
        return 1;
    }
    char sub[sizeof((ctl_field_error_t *)0)->field];
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            snprintf(sub, sizeof sub, "%s[%zu]", at, i);
            if (ctl_badtext_find(json_array_get(v, i), sub, path, size, where)) return 1;
        }
        return 0;
    }
    const char *key;
    json_t *item;
    json_object_foreach(v, key, item)
    {
        snprintf(sub, sizeof sub, "%s%s%s", at, at[0] ? "." : "", key);
        if (strstr(key, CTL_BADTEXT_MARK)) {
            snprintf(path, size, "%s", sub);
            *where = NULL;
            return 1;
        }
        if (ctl_badtext_find(item, sub, path, size, where)) return 1;
    }
    return 0;
}

void ctl_badtext_explain(const char *text, size_t bad, ctl_field_error_t *err)
{
    size_t len = strlen(text);
    char *marked = strstr(text, CTL_BADTEXT_MARK) ? NULL : ctl_badtext_marked(text, len);
    json_t *root = marked ? json_loads(marked, 0, NULL) : NULL;
    const char *where = NULL;
    int found = root && ctl_badtext_find(root, "", err->field, sizeof err->field, &where);
    if (found && where) {
        /* The value as read, up to the mark: the bad byte is the next one. */
        size_t at = (size_t)(strstr(where, CTL_BADTEXT_MARK) - where);
        fieldtext_not_utf8(err->message, sizeof err->message, (unsigned char)text[bad], at);
    } else if (found) {
        /* The name as given, each bad byte shown as '?'. */
        char *mark;
        while ((mark = strstr(err->field, CTL_BADTEXT_MARK))) {
            *mark = '?';
            memmove(mark + 1, mark + CTL_BADTEXT_MARK_LEN, strlen(mark + CTL_BADTEXT_MARK_LEN) + 1);
        }
        snprintf(err->message, sizeof err->message,
                 "the field's name is not valid UTF-8 (字段名不是有效的 UTF-8 文本)");
    } else {
        err->field[0] = 0;
        snprintf(err->message, sizeof err->message,
                 "not valid UTF-8 at column %zu: byte 0x%02X "
                 "(不是有效的 UTF-8 文本: 请把文件存为 UTF-8)",
                 bad + 1, (unsigned)(unsigned char)text[bad]);
    }
    json_decref(root);
    free(marked);
}
