/*
 * i18n.c - the language of what people read (see i18n.h).
 *
 * glibc's gettext takes its language from LC_MESSAGES, and from LANGUAGE
 * unless the locale is plain "C". A server rarely has zh_CN.UTF-8
 * generated, so the language is chosen here and given to gettext through
 * LANGUAGE, under the C.UTF-8 locale that glibc always has: the
 * catalogue is found the same way on every host.
 */
#define _GNU_SOURCE /* wcwidth */
#include "i18n.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#ifndef LA_LOCALEDIR
#define LA_LOCALEDIR "/usr/share/locale"
#endif

static const char *i18n_chosen = "en";

/* "zh_CN" for a Chinese name, "en" for English or C, NULL otherwise. */
static const char *i18n_norm(const char *lang)
{
    if (!lang) return NULL;
    if (strncmp(lang, "zh", 2) == 0) return "zh_CN";
    if (strncmp(lang, "en", 2) == 0 || strcmp(lang, "C") == 0 || strcmp(lang, "POSIX") == 0)
        return "en";
    return NULL;
}

int i18n_lang_known(const char *lang)
{
    return i18n_norm(lang) != NULL;
}

/* The language the environment asks for: the first variable set decides. */
static const char *i18n_from_env(void)
{
    static const char *const vars[] = {"LEGALAID_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES",
                                       "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !v[0]) continue;
        /* C.UTF-8 and POSIX say nothing of a language: Chinese, for people. */
        if (strncmp(v, "C", 1) == 0 || strcmp(v, "POSIX") == 0) continue;
        return strncmp(v, "en", 2) == 0 ? "en" : "zh_CN";
    }
    return "zh_CN";
}

/* The catalogue's directory: LEGALAID_LOCALEDIR, the installed one, or
 * the build tree's (tests run the binaries where they were built). */
static const char *i18n_localedir(void)
{
    const char *env = getenv("LEGALAID_LOCALEDIR");
    if (env && env[0]) return env;
    struct stat st;
    if (stat(LA_LOCALEDIR "/zh_CN/LC_MESSAGES/" LA_TEXT_DOMAIN ".mo", &st) == 0)
        return LA_LOCALEDIR;
#ifdef LA_BUILD_LOCALEDIR
    return LA_BUILD_LOCALEDIR;
#else
    return LA_LOCALEDIR;
#endif
}

int i18n_init(const char *lang)
{
    int rc = 0;
    const char *chosen;
    if (lang && lang[0]) {
        chosen = i18n_norm(lang);
        if (!chosen) {
            chosen = "en";
            rc = -1;
        }
    } else {
        chosen = i18n_from_env();
    }
    i18n_chosen = chosen;
    /* Characters are UTF-8 whatever the host's locale; numbers stay C. */
    if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "C.utf8");
    /* English is the msgids: the plain C locale, where gettext looks up
     * nothing (so a process may also go back from Chinese to English). */
    if (strcmp(chosen, "en") == 0) {
        setlocale(LC_MESSAGES, "C");
        setenv("LANGUAGE", "en", 1);
    } else {
        if (!setlocale(LC_MESSAGES, "C.UTF-8")) setlocale(LC_MESSAGES, "C.utf8");
        setenv("LANGUAGE", "zh_CN", 1);
    }
    bindtextdomain(LA_TEXT_DOMAIN, i18n_localedir());
    bind_textdomain_codeset(LA_TEXT_DOMAIN, "UTF-8");
    return rc;
}

const char *i18n_lang(void)
{
    return i18n_chosen;
}

void i18n_cut(char *text)
{
    size_t n = text ? strlen(text) : 0;
    size_t lead = n;
    /* Back over continuation bytes (0x80 to 0xBF) to the lead byte, at most 3. */
    while (lead > 0 && n - lead < 4 && ((unsigned char)text[lead - 1] & 0xc0) == 0x80) lead--;
    if (lead == 0) return;
    unsigned char c = (unsigned char)text[lead - 1];
    size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (want > 1 && n - (lead - 1) < want) text[lead - 1] = '\0';
}

int i18n_width(const char *text)
{
    if (!text) return 0;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    int width = 0;
    size_t left = strlen(text);
    const char *p = text;
    while (left > 0) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, p, left, &st);
        if (n == (size_t)-1 || n == (size_t)-2) { /* not UTF-8: one column a byte */
            memset(&st, 0, sizeof st);
            width++;
            p++;
            left--;
            continue;
        }
        if (n == 0) break;
        int w = wcwidth(wc);
        width += w < 0 ? 1 : w;
        p += n;
        left -= n;
    }
    return width;
}

void i18n_pad(void *out, const char *text, int cols)
{
    FILE *f = out;
    text = text ? text : "";
    fputs(text, f);
    for (int w = i18n_width(text); w < cols; w++) fputc(' ', f);
}
