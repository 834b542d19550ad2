/*
 * intake_int.h - what the intake service's files share (the files and
 * their floors: intake.c): the tables and the configuration
 * (intake_store.c), the steps intake.c calls (requests and the three
 * upstream streams), the steps other steps call (the merge of materials,
 * intake_materials.c; the submission a custody forward reuses,
 * intake_submit.c) and the reply of a refused check (intake_problem.c).
 * The checks themselves are declared in intake_validate.h.
 *
 * Tables (LMDB, opened by intake_open):
 *   applications   case_id -> Application
 * A person's ID number or name is never a key in clear: the keys of
 * by_applicant, open_cases and open_notices are keyed hashes (seal.h) of
 * what is shown here.
 *   by_applicant   hash(id_number) case_id -> empty (every case of a person)
 *   open_cases     hash(id_type:ID_NUMBER NUL category NUL scope_item NUL
 *                  opposing_party (trimmed)) -> case_id, the open case of a
 *                  person on one matter (R-APP-02); withdrawal and a closing
 *                  decision of eligibility remove it, a later decision that
 *                  does not close the case (objection corrected) puts it back
 *   open_notices   hash(AUTHORITY_KIND NUL authority name NUL reference (文号)
 *                  NUL person ("id_type:ID_NUMBER", or "name:NAME" before
 *                  identification), text trimmed) -> case_id: the open case
 *                  of an authority's notice, so that the same notice sent
 *                  again joins it; a notice without a reference is not
 *                  indexed. Closed and put back with open_cases
 *   withdrawn      case_id -> ApplicationWithdrawn
 *   closed         case_id -> what closed it (4 bytes, host order): the
 *                  Outcome refused, withdrawn, deemed withdrawn or
 *                  terminated (eligibility's EligibilityDecided, or
 *                  dispatch's CaseTerminated: TERMINATED), or
 *                  INTAKE_CLOSED_CONCLUDED (dispatch's CaseProgressed to
 *                  CONCLUDED: the matter ended, never re-opened)
 *   reopened       case_id -> when (8 bytes big-endian ms: the occurred_at of
 *                  eligibility's event) a closed case was last opened again
 *                  by a new decision (an objection corrected): a dispatch
 *                  termination that happened before it is stale, applied
 *                  late because the two streams are applied independently
 *   consultations  C-CENTRE-YEAR-NNNNNN -> Consultation
 * and in the daemon's meta table the counters "caseno.<centre>.<year>",
 * "consultno.<centre>.<year>", "count.linked" and
 * "count.consultations.<channel>", and "caseno.<centre>.year" and
 * "consultno.<centre>.year": the latest year numbered, below which
 * numbering never goes back (a clock stepped back).
 */
#ifndef LA_INTAKE_INT_H
#define LA_INTAKE_INT_H

#include "intake.h"
#include "intake_validate.h"

/* ---- tables (intake_store.c) ---- */

extern MDB_dbi intake_applications, intake_by_applicant, intake_open_cases, intake_open_notices,
    intake_withdrawn, intake_consultations, intake_closed, intake_reopened,
    intake_history_sources;

/* Opens (creates) the tables above in txn. 0 or a store error. */
int intake_store_open(MDB_txn *txn);

/* The "closed" value of a case whose matter dispatch reports concluded:
 * above every Outcome. */
#define INTAKE_CLOSED_CONCLUDED 100u

/* The first configured centre code into out; -1 when none fits. */
int intake_store_default_centre(char *out, size_t size);

/* Takes the next number of the counter "<kind>.<centre>.<year>" in t's
 * transaction, so a rejected request takes none and numbers have no gaps.
 * year: the local year of at, or the latest year numbered when that is
 * later (the clock stepped back, a receipt dated last year): numbers never
 * go back and never repeat. */
/* The next number of a history sequence in the year of at itself (the
 * previous system's records come in any order of years). */
int intake_store_number_history(turn_t *t, const char *kind, const char *centre, int64_t at,
                                int *year, uint64_t *n);
int intake_store_number_take(turn_t *t, const char *kind, const char *centre, int64_t at, int *year,
                             uint64_t *n);

/* Adds one to the meta counter key. */
int intake_store_count_add(turn_t *t, const char *key);

/* Loads a stored application into the turn's arena: 0, MDB_NOTFOUND, or a
 * store error. */
int intake_store_application_load(turn_t *t, const char *case_id, Legalaid__Application **a);

/* 1 when the case was withdrawn, 0 when not, or a negative store error. */
int intake_store_withdrawn_is(turn_t *t, const char *case_id);

/* The open_cases key of a person's case on one matter (category, art. 31
 * item, opposing party without surrounding blanks), in the arena;
 * NULL when the person has no ID number (a notice before identification). */
char *intake_store_open_key(turn_t *t, const Legalaid__Application *a, size_t *len);

/* The open case of a's person on a's matter: *case_id (arena) is its
 * number, or NULL when there is none (or the person has no ID number).
 * 0 or a store error. */
int intake_store_open_get(turn_t *t, const Legalaid__Application *a, char **case_id);

/* The open case of the authority's notice a (the same authority,
 * reference and person): *case_id (arena), or NULL when there is none or
 * a is no notice with a reference. 0 or a store error. */
int intake_store_notice_get(turn_t *t, const Legalaid__Application *a, char **case_id);

/* Indexes the new case a under its notice in open_notices (nothing when a
 * is no notice with a reference). 0 or a store error. */
int intake_store_notice_put(turn_t *t, const Legalaid__Application *a);

/* Takes a out of the open-cases and open-notices indexes where it is the
 * case indexed. */
int intake_store_open_close(turn_t *t, const Legalaid__Application *a);

/* Puts a in the open-cases and open-notices indexes where its place is
 * free (or already a's); when another case holds one, *holder gets that
 * case's number (arena) and that index is left as it is. */
int intake_store_open_put(turn_t *t, const Legalaid__Application *a, char **holder);

/* Closes a: out of the open-cases index (when it is the case indexed
 * there), marked closed with closed_by (an Outcome or
 * INTAKE_CLOSED_CONCLUDED), so the person can apply again on the matter
 * (R-APP-02); why is logged ("eligibility: REFUSED"). 0 or a store error. */
int intake_store_case_close(turn_t *t, const Legalaid__Application *a, uint32_t closed_by,
                            const char *why);

/* When eligibility last opened case_id again after it was closed: 0 with
 * *at, MDB_NOTFOUND, or a store error. */
int intake_store_reopened_at(turn_t *t, const char *case_id, int64_t *at);

/* ---- steps ---- */

/* Makes reply an INVALID_FIELD error from a validation problem
 * (intake_problem.c). */
void intake_problem_reply(turn_t *t, Legalaid__Reply *reply, const intake_problem_t *pb);

/* Requests (one file each). */
int intake_submit(turn_t *t, const Legalaid__SubmitApplication *s, Legalaid__Reply *reply);
int intake_materials_supply(turn_t *t, const Legalaid__SupplyMaterials *s, Legalaid__Reply *reply);
int intake_withdraw(turn_t *t, const Legalaid__WithdrawApplication *w, Legalaid__Reply *reply);
int intake_consult(turn_t *t, const Legalaid__RecordConsultation *r, Legalaid__Reply *reply);
/* Numbers (in the history sequence when c->source_id is set), keeps,
 * counts and publishes a checked consultation. 0 or a store error. */
int intake_consult_keep(turn_t *t, Legalaid__Consultation *c, const char *centre);
/* What intake_submit does to an application before its duplicate check:
 * ID numbers in upper case, repeated documents dropped. */
void intake_submit_prepare(turn_t *t, Legalaid__Application *a);
/* Numbers, keeps, indexes and publishes a checked application of centre
 * (a case of the previous system: in the history sequence, closed). */
int intake_submit_keep(turn_t *t, Legalaid__Application *a, const char *centre);
/* ImportHistory (intake_history.c): the previous system's cases or
 * consultations, each checked as of its own day; a source_id already
 * imported changes nothing. */
int intake_history_import(turn_t *t, const Legalaid__ImportHistory *in, Legalaid__Reply *reply);

/* Applies an event of eligibility's stream (intake_outcome.c): a decision
 * that closes a case takes it out of the open-cases index, any other puts
 * it back. */
int intake_outcome_apply(turn_t *t, const Legalaid__Event *ev);

/* Applies an event of dispatch's stream (intake_dispatch.c): the matter
 * concluded (CaseProgressed to CONCLUDED) or aid terminated
 * (CaseTerminated) closes the case; other events change nothing here. */
int intake_dispatch_apply(turn_t *t, const Legalaid__Event *ev);

/* Applies an event of the roster's stream (intake_duty.c): an application
 * a duty lawyer took is submitted as a custody forward. */
int intake_duty_apply(turn_t *t, const Legalaid__Event *ev);

/* Adds to a the documents of materials (n of them, already checked) it
 * does not hold yet, each once; m (initialised by the caller) gets the
 * added ones and everything held. 0, or -1 when the case would then hold
 * more than INTAKE_MATERIALS_MAX documents (a is unchanged). */
int intake_materials_merge(turn_t *t, Legalaid__Application *a, char **materials, size_t n,
                           Legalaid__MaterialsSupplemented *m);

/* Stores a and publishes m (MaterialsSupplemented) on case a->case_id. */
int intake_materials_publish(turn_t *t, Legalaid__Application *a,
                             Legalaid__MaterialsSupplemented *m);

/* "visit", "by_telephone", "letter", "internet": counter names
 * (intake_consult.c). */
const char *intake_consult_channel_name(Legalaid__ConsultationChannel c);

#endif
