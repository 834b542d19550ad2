/*
 * regulation.c - citations of statutes, worded once (see regulation.h).
 */
#include "regulation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* Legal Aid Law: the articles that list items (项) directly, with no
 * paragraphs (款). */
static const long regulation_law_items[] = {22, 31, 32, 42, 48};

static const struct {
    const char *en, *zh;
    const char *aliases[3]; /* names older records and other daemons wrote */
    const long *items_only;
    size_t n_items_only;
} regulation_statutes[REG_COUNT] = {
    [REG_LEGAL_AID_LAW] = {"Legal Aid Law", "《法律援助法》", {"法律援助法"}, regulation_law_items,
                           sizeof regulation_law_items / sizeof regulation_law_items[0]},
    [REG_LEGAL_AID_PROCEDURE] = {"Legal Aid Procedure Provisions", "《法律援助法实施程序规定》",
                                 {"法律援助法实施程序规定", "实施程序规定", "S6"}, NULL, 0},
    [REG_CPL] = {"Criminal Procedure Law", "《刑事诉讼法》", {"CPL", "刑事诉讼法"}, NULL, 0},
    [REG_CPL_INTERPRETATION] = {"CPL interpretation", "《刑诉法解释》", {"高法解释", "刑诉法解释"},
                                NULL, 0},
    [REG_CIVIL_CODE] = {"Civil Code", "《民法典》", {"民法典"}, NULL, 0},
    [REG_MINORS_PROTECTION] = {"Minors Protection Law", "《未成年人保护法》", {"未成年人保护法"},
                               NULL, 0},
    [REG_LAWYERS_LAW] = {"Lawyers Law", "《律师法》", {"律师法"}, NULL, 0},
};

static char *regulation_slot(void)
{
    static char ring[4][REGULATION_CITE_MAX];
    static unsigned next;
    return ring[next++ % 4];
}

static int regulation_zh(void)
{
    return strcmp(i18n_lang(), "en") != 0;
}

/* Reads "(digits)" at *p; the number, or -1. */
static long regulation_paren(const char **p)
{
    const char *s = *p;
    if (*s != '(') return -1;
    char *end;
    long v = strtol(s + 1, &end, 10);
    if (end == s + 1 || *end != ')' || v <= 0) return -1;
    *p = end + 1;
    return v;
}

/* The articles at p in Chinese after the title, into out; 0, or -1 when p
 * is not a list of articles. */
static int regulation_articles_zh(regulation_t code, const char *p, char *out, size_t n)
{
    size_t used = strlen(out);
    for (int first = 1;; first = 0) {
        char *end;
        long art = strtol(p, &end, 10);
        if (end == p || art <= 0) return -1;
        const char *q = end;
        long para = regulation_paren(&q), item = para > 0 ? regulation_paren(&q) : -1;
        int items = 0;
        for (size_t k = 0; k < regulation_statutes[code].n_items_only; k++)
            items |= regulation_statutes[code].items_only[k] == art;
        char one[96];
        int w = snprintf(one, sizeof one, "%s第%ld条", first ? "" : "、", art);
        if (para > 0)
            w += snprintf(one + w, sizeof one - (size_t)w,
                          items && item <= 0 ? "第%ld项" : "第%ld款", para);
        if (item > 0) snprintf(one + w, sizeof one - (size_t)w, "第%ld项", item);
        size_t len = strlen(one);
        if (used + len >= n) return -1;
        memcpy(out + used, one, len + 1);
        used += len;
        p = q;
        if (!*p) return 0;
        if (*p != ',') return -1;
        for (p++; *p == ' '; p++) {
        }
    }
}

const char *regulation_cite_in(regulation_t code, const char *article, int zh)
{
    char *out = regulation_slot();
    if ((unsigned)code >= REG_COUNT) code = REG_LEGAL_AID_LAW;
    if (!article) article = "";
    if (zh) {
        snprintf(out, REGULATION_CITE_MAX, "%s", regulation_statutes[code].zh);
        if (!article[0] || regulation_articles_zh(code, article, out, REGULATION_CITE_MAX) == 0)
            return out;
        /* Not numbers: the article as written after the title. */
        snprintf(out, REGULATION_CITE_MAX, "%s%s", regulation_statutes[code].zh, article);
        return out;
    }
    snprintf(out, REGULATION_CITE_MAX, "%s%s%s", regulation_statutes[code].en,
             article[0] ? " art. " : "", article);
    return out;
}

const char *regulation_cite(regulation_t code, const char *article)
{
    return regulation_cite_in(code, article, regulation_zh());
}

/* The statute whose name is the n bytes at name, or -1. */
static int regulation_named(const char *name, size_t n)
{
    for (int c = 0; c < REG_COUNT; c++) {
        if (strlen(regulation_statutes[c].en) == n && memcmp(regulation_statutes[c].en, name, n) == 0)
            return c;
        for (size_t i = 0; i < 3 && regulation_statutes[c].aliases[i]; i++)
            if (strlen(regulation_statutes[c].aliases[i]) == n &&
                memcmp(regulation_statutes[c].aliases[i], name, n) == 0)
                return c;
    }
    return -1;
}

const char *regulation_render_in(const char *stored, int zh)
{
    if (!stored) return "";
    const char *art = strstr(stored, " art. ");
    int code = art ? regulation_named(stored, (size_t)(art - stored)) : -1;
    if (code < 0) return stored;
    char *out = regulation_slot();
    if (!zh) {
        snprintf(out, REGULATION_CITE_MAX, "%s art. %s", regulation_statutes[code].en, art + 6);
        return out;
    }
    snprintf(out, REGULATION_CITE_MAX, "%s", regulation_statutes[code].zh);
    /* Anything else after the citation: keep it as written. */
    return regulation_articles_zh((regulation_t)code, art + 6, out, REGULATION_CITE_MAX) == 0
               ? out
               : stored;
}

const char *regulation_render(const char *stored)
{
    return regulation_render_in(stored, regulation_zh());
}

/* The length of the statute's name that rendered text opens with (up to
 * and with "》" in Chinese, with " art. " in English), or 0. */
static size_t regulation_title_len(const char *s, int zh)
{
    const char *end = zh ? (strncmp(s, "《", 3) == 0 ? strstr(s, "》") : NULL) : strstr(s, " art. ");
    if (!end) return 0;
    return (size_t)(end - s) + (zh ? 3 : 1);
}

const char *regulation_render_list_in(char *const *stored, size_t n, int zh)
{
    static char out[REGULATION_LIST_MAX];
    char prev[REGULATION_CITE_MAX] = "";
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const char *r = regulation_render_in(stored[i], zh);
        size_t t = regulation_title_len(r, zh);
        int same = t && t == regulation_title_len(prev, zh) && strncmp(r, prev, t) == 0;
        int w = snprintf(out + used, sizeof out - used, "%s%s", i ? (zh ? "、" : ", ") : "",
                         same ? r + t : r);
        if (w < 0 || (size_t)w >= sizeof out - used) {
            i18n_cut(out);
            break;
        }
        used += (size_t)w;
        snprintf(prev, sizeof prev, "%s", r);
    }
    return out;
}

const char *regulation_render_list(char *const *stored, size_t n)
{
    return regulation_render_list_in(stored, n, regulation_zh());
}
