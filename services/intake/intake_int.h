/*
 * intake_int.h - what the intake service's files share: its tables, the
 * handlers intake.c dispatches to, and the storage helpers of
 * intake_store.c.
 *
 * Tables (LMDB, opened by intake_open):
 *   applications   case_id -> Application
 *   by_applicant   id_number NUL case_id -> empty (every case of a person)
 *   open_cases     id_type:ID_NUMBER NUL category -> case_id, the open case
 *                  of a person on a kind of matter (R-APP-02); withdrawal
 *                  removes it
 *   withdrawn      case_id -> ApplicationWithdrawn
 *   consultations  C-CENTRE-YEAR-NNNNNN -> Consultation
 * and in the daemon's meta table the counters "caseno.<centre>.<year>",
 * "consultno.<centre>.<year>", "count.linked" and
 * "count.consultations.<channel>".
 */
#ifndef LA_INTAKE_INT_H
#define LA_INTAKE_INT_H

#include "intake.h"
#include "intake_validate.h"

extern MDB_dbi intake_applications, intake_by_applicant, intake_open_cases, intake_withdrawn,
    intake_consultations;

/* Handlers (one file each). */
int intake_submit(turn_t *t, const Legalaid__SubmitApplication *s, Legalaid__Reply *reply);
int intake_supply(turn_t *t, const Legalaid__SupplyMaterials *s, Legalaid__Reply *reply);
int intake_withdraw(turn_t *t, const Legalaid__WithdrawApplication *w, Legalaid__Reply *reply);
int intake_consult(turn_t *t, const Legalaid__RecordConsultation *r, Legalaid__Reply *reply);

/* "visit", "by_telephone", "letter", "internet": counter names. */
const char *intake_consultation_channel_name(Legalaid__ConsultationChannel c);

/* Makes reply an INVALID_FIELD error from a validation problem. */
void intake_fail_problem(turn_t *t, Legalaid__Reply *reply, const intake_problem_t *pb);

/* The first configured centre code into out; -1 when none fits. */
int intake_default_centre(char *out, size_t size);

/* Takes the next number of the counter "<kind>.<centre>.<year>" (year: the
 * local year of at) in t's transaction, so a rejected request takes none
 * and numbers have no gaps. */
int intake_number_take(turn_t *t, const char *kind, const char *centre, int64_t at, int *year,
                       uint64_t *n);

/* Adds one to the meta counter key. */
int intake_count_add(turn_t *t, const char *key);

/* Loads a stored application into the turn's arena: 0, MDB_NOTFOUND, or a
 * store error. */
int intake_application_load(turn_t *t, const char *case_id, Legalaid__Application **a);

/* 1 when the case was withdrawn, 0 when not, or a negative store error. */
int intake_withdrawn_is(turn_t *t, const char *case_id);

/* The open_cases key of a person's case on a kind of matter, in the arena;
 * NULL when the person has no ID number (a notice before identification). */
char *intake_open_key(turn_t *t, const Legalaid__Application *a, size_t *len);

#endif
