/*
 * ctl_csv.h - one record of a CSV file (RFC 4180: fields separated by
 * commas, a field in double quotes may hold commas and doubled quotes),
 * split into its fields in place. No JSON, no protobuf: the readers of
 * each kind of file (ctl_dispatch_lawyers.c) give the fields their meaning.
 */
#ifndef LA_CTL_CSV_H
#define LA_CTL_CSV_H

#include <stddef.h>

/* Splits line (one physical line, its newline and CR removed by the
 * caller) in place into at most max fields; each field is trimmed of
 * blanks outside quotes. Returns the number of fields (more than max when
 * the line has too many: only max are stored), or -1 with *why set when a
 * quote is not closed or text follows a closing quote. */
int ctl_csv_split(char *line, char **fields, int max, const char **why);

/* Splits a list cell "a; b ;c" in place at ';' into at most max trimmed,
 * non-empty items. Returns their number (more than max when there are
 * too many). */
int ctl_csv_list(char *cell, char **items, int max);

#endif
