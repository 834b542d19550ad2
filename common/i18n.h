/*
 * i18n.h - what people read, in their language: GNU gettext with the
 * "legalaid" domain (the parts in po/zh_CN/, built into one legalaid.mo).
 *
 * Source strings are English (the msgids); Chinese is the default for
 * people. Codes, field names and --json keys are never translated: mark
 * only what a person reads, with _() where it is used and N_() in a table
 * that is translated later.
 */
#ifndef LA_I18N_H
#define LA_I18N_H

#include <libintl.h>

#define LA_TEXT_DOMAIN "legalaid"
#define _(msgid) dgettext(LA_TEXT_DOMAIN, msgid)
#define N_(msgid) (msgid)

/* Chooses the language of what people read and binds the catalogue.
 * lang: "zh_CN", "zh", "en", "C", or NULL/"" for the environment
 * (LEGALAID_LANG, then LANGUAGE, LC_ALL, LC_MESSAGES, LANG: English when
 * one of them names en, else Chinese). Works whether or not the zh_CN
 * locale is generated on the host. Returns 0, or -1 for a language it
 * does not know (then English). */
int i18n_init(const char *lang);
/* "zh_CN" or "en": the language i18n_init chose. */
const char *i18n_lang(void);
/* 1 when lang is one i18n_init accepts. */
int i18n_lang_known(const char *lang);
/* Cuts from text a UTF-8 character left incomplete at its end, as a
 * snprintf that truncated may leave one (a Chinese message too long for
 * its buffer): what remains is valid UTF-8 for protobuf and JSON. */
void i18n_cut(char *text);
/* Columns text takes on a terminal (wcwidth): a Chinese character two. */
int i18n_width(const char *text);
/* Writes text to out and spaces up to cols columns (none when wider). */
void i18n_pad(void *out, const char *text, int cols);

#endif
