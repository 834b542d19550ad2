/*
 * intake_validate.h - what makes an application, a person, a
 * consultation and a supply of materials acceptable: identity documents of
 * each type (the resident ID number with its birth date and check digit,
 * passports, permits),
 * phone numbers, who may apply for whom (art. 40), custody forwarding
 * (art. 39), the fields each kind of matter needs (art. 24, 29, 31), dates,
 * groups and grounds, the list of materials. Pure functions: no storage, no
 * clock but the one passed in. The module header of the checks (unit tests
 * include it): persons and documents in intake_person.c (intake_person_*),
 * requests in intake_validate.c (intake_validate_*), the problem they
 * report in intake_problem.c (intake_problem_*).
 */
#ifndef LA_INTAKE_VALIDATE_H
#define LA_INTAKE_VALIDATE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "la_limits.h"
#include "legalaid.pb-c.h"

/* At most this many documents on one application, each 1..64 bytes. */
#define INTAKE_MATERIALS_MAX LA_MATERIALS_MAX /* la_limits.h */
#define INTAKE_MATERIAL_MAX_BYTES LA_MATERIAL_MAX

/* What is wrong and where: field is a path such as
 * "application.proxy.person.id_number" or "application.materials[3]". */
typedef struct intake_problem {
    char field[96];
    char msg[400];
} intake_problem_t;

/* Checks an 18-character resident identity number (GB 11643-1999): region,
 * birth date (a real date, not after today) and the ISO 7064 MOD 11-2 check
 * character. Returns NULL when valid, or why not. */
const char *intake_person_id_number_problem(const char *id, int64_t now_ms);

/* Checks an identity document number of the given type (RESIDENT_ID when
 * unspecified): passport 5-20 letters or digits; Hong Kong/Macao permit H
 * or M and 8 or 10 digits; Taiwan permit 8 digits; foreign permanent
 * residence ID 15 or 18 letters or digits. Returns NULL when valid, or what
 * is wrong ("must be 8 digits"), to follow intake_person_id_type_name(type). */
const char *intake_person_id_document_problem(Legalaid__IdType type, const char *id,
                                              int64_t now_ms);

/* "resident ID number", "passport number" ...: the document's name. */
const char *intake_person_id_type_name(Legalaid__IdType type);

/* Mainland mobile (11 digits, 1[3-9]...) or a landline with area code.
 * Returns NULL when valid, or why not. */
const char *intake_person_phone_problem(const char *phone);

/* Validates a person under path ("application.applicant"): name, ID type
 * and number (when need_id or when a number is given), phone (when
 * need_phone or when one is given), address. 0, or -1 with *pb filled. */
int intake_person_check(const Legalaid__Person *p, const char *path, int need_id, int need_phone,
                        int64_t now_ms, intake_problem_t *pb);

/* Validates a list of document names under path ("application.materials"):
 * at most INTAKE_MATERIALS_MAX, each 1..INTAKE_MATERIAL_MAX_BYTES bytes and
 * not blank. 0, or -1 with *pb filled. */
int intake_validate_materials(char **materials, size_t n, const char *path, intake_problem_t *pb);

/* Validates an application as submitted. centres: the configured codes.
 * 0 when acceptable, or -1 with *pb filled. */
int intake_validate_application(const Legalaid__Application *a, const char *centres, int64_t now_ms,
                                intake_problem_t *pb);

/* Validates a SupplyMaterials: the case number, the documents (none needed
 * when commitment_signed, household_income_fen or hardship_proof is
 * given), an income of 0 or more, a known proof of status. 0, or -1 with
 * *pb filled. */
int intake_validate_supply(const Legalaid__SupplyMaterials *s, intake_problem_t *pb);

/* Validates a consultation as recorded (art. 23). 0, or -1 with *pb. */
int intake_validate_consultation(const Legalaid__Consultation *c, int64_t now_ms,
                                 intake_problem_t *pb);

/* Sets *pb and returns -1: field is path and suffix, the message is
 * printf'd from fmt (intake_problem.c). */
int intake_problem_set(intake_problem_t *pb, const char *path, const char *suffix, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));
int intake_problem_vset(intake_problem_t *pb, const char *path, const char *suffix, const char *fmt,
                        va_list ap) __attribute__((format(printf, 4, 0)));

#endif
