/*
 * decisiontext_table.h - the codes of eligibility's explanations and
 * their formats (English msgids, "%s" params only; the Chinese in
 * po/zh_CN/). See decisiontext.h.
 */
#ifndef LA_DECISIONTEXT_TABLE_H
#define LA_DECISIONTEXT_TABLE_H

#include <stddef.h>

/* The format of code (untranslated: pass it to _()), or NULL for a code
 * this version does not know. */
const char *decisiontext_table_format(const char *code);
/* The code of the table's row i, NULL past the last (for checks). */
const char *decisiontext_table_code(size_t i);

#endif
