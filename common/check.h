/*
 * check.h - checks of single fields from outside (a request, a file line),
 * shared by every daemon and the CLI, so that the same input gets the same
 * verdict and the same words everywhere. Each returns NULL when the value
 * is acceptable, or a phrase saying what is wrong with it ("must be ...").
 */
#ifndef LA_CHECK_H
#define LA_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* Absent, empty or only blanks. */
int check_blank(const char *s);

/* A key that becomes an LMDB key or a request_id: 1 to max printable ASCII
 * characters, no spaces. */
const char *check_key_text(const char *s, size_t max);

/* A mainland mobile number (11 digits, 1[3-9]...) or a landline with its
 * area code (0 + 2-3 digits, an optional '-', 7-8 digits): the numbers the
 * centre's SMS gateway and staff can reach. */
const char *check_phone(const char *phone);

/* An 18-character resident identity number (GB 11643-1999): region, a
 * real birth date not after the local day of now_ms, and the ISO 7064
 * MOD 11-2 check character (a lower-case x is read as X). */
const char *check_resident_id(const char *id, int64_t now_ms);

/* A calendar day written YYYY-MM-DD, years 1900-2200. When day is not
 * NULL, *day is set to its number (days since 1970-01-01: the unit of
 * clock_local_day and clock_local_midnight). */
const char *check_date(const char *s, int64_t *day);

/* Sets *field to name and msg to the formatted message; returns -1, so a
 * validator can `return check_fail(...)`. */
int check_fail(const char **field, const char *name, char *msg, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
