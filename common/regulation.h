/*
 * regulation.h - the one place a citation of a statute is worded.
 *
 * Records and events keep a citation in one stable form, the English one
 * ("Legal Aid Law art. 43(2)", "Legal Aid Procedure Provisions art. 27");
 * people read it in their language: 《法律援助法》第43条第2款 in Chinese (the
 * default), the stable form in English. A paragraph (款) or an item (项)
 * follows the article in brackets: "25(1)(1)" is 第25条第1款第1项; an article
 * that lists items directly (Legal Aid Law art. 22, 31, 32, 42, 48) reads
 * "31(4)" as 第31条第4项. Several articles of one statute: "36, 43" ->
 * 第36条、第43条.
 */
#ifndef LA_REGULATION_H
#define LA_REGULATION_H

#include <stddef.h>

typedef enum regulation {
    REG_LEGAL_AID_LAW,       /* 《法律援助法》 */
    REG_LEGAL_AID_PROCEDURE, /* 《法律援助法实施程序规定》 (司法部 2023) */
    REG_CPL,                 /* 《刑事诉讼法》 */
    REG_CPL_INTERPRETATION,  /* 《刑诉法解释》 (最高人民法院) */
    REG_CIVIL_CODE,          /* 《民法典》 */
    REG_MINORS_PROTECTION,   /* 《未成年人保护法》 */
    REG_LAWYERS_LAW,         /* 《律师法》 */
    REG_COUNT
} regulation_t;

/* The size of the buffers the functions below return. */
#define REGULATION_CITE_MAX 256

/* article ("41", "43(2)", "36, 43") of code, in the reader's language
 * (i18n_lang()). The text stays valid until the fourth next call of a
 * function of this file (one thread). */
const char *regulation_cite(regulation_t code, const char *article);
/* The same in Chinese (zh set) or in the stable English form, whatever the
 * reader's language: an SMS is always Chinese, a record always the stable
 * form. */
const char *regulation_cite_in(regulation_t code, const char *article, int zh);
/* A stored citation (the stable form, or the names older records used:
 * "法律援助法 art. 36", "CPL art. 33") in the reader's language; text that
 * is not one is returned as it is (a Chinese citation already, a note). */
const char *regulation_render(const char *stored);
const char *regulation_render_in(const char *stored, int zh);

/* Stored citations one after another in the reader's language, the
 * statute's name once for a run of its articles: 《法律援助法》第41条、第43条第2款,
 * "Legal Aid Law art. 25(1)(1), art. 36". Valid as regulation_cite's text;
 * cut at REGULATION_LIST_MAX bytes. */
#define REGULATION_LIST_MAX 1024
const char *regulation_render_list(char *const *stored, size_t n);
const char *regulation_render_list_in(char *const *stored, size_t n, int zh);

#endif
