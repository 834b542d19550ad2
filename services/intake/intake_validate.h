/*
 * intake_validate.h - what makes an application acceptable: required
 * fields per channel, the resident ID number and its check digit, phone
 * numbers. Pure functions: no storage, no clock but the one passed in.
 */
#ifndef LA_INTAKE_VALIDATE_H
#define LA_INTAKE_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "legalaid.pb-c.h"

/* Checks an 18-character resident identity number (GB 11643-1999): region,
 * birth date (a real date, not after today) and the ISO 7064 MOD 11-2 check
 * character. Returns NULL when valid, or why not. */
const char *intake_id_number_problem(const char *id, int64_t now_ms);

/* Mainland mobile (11 digits, 1[3-9]...) or a landline with area code.
 * Returns NULL when valid, or why not. */
const char *intake_phone_problem(const char *phone);

/* Validates an application as submitted. On a problem returns -1 and sets
 * *field (a path such as "application.applicant.id_number") and a message
 * in msg; returns 0 when acceptable. centres: the configured codes. */
int intake_application_check(const Legalaid__Application *a, const char *centres, int64_t now_ms,
                             const char **field, char *msg, size_t msglen);

#endif
