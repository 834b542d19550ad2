/*
 * intake_cases.h - the case finder's rows and index (intake_cases.c), the
 * steps that keep them as intake applies its own changes and eligibility's
 * and dispatch's events (intake_cases_follow.c), and the two queries
 * (intake_cases_query.c). Tables:
 *
 *   case_rows    case_id -> CaseRow: what staff filter a case on
 *   case_index   one entry per (filter, value) of each row:
 *                  tag (1 byte) | value length (1 byte) | value |
 *                  received_at (BE64) | case_id                  -> ""
 *                tags: 'a' every case (no value), 's' state, 'k' kind,
 *                'g' category (the sub-kind), 'c' county, 't' station,
 *                'l' lawyer; and 'd' (no value) keyed
 *                  'd' | 0 | next_due_at (BE64) | case_id          -> ""
 *                for the cases with an open deadline.
 * Every entry of one filter value reads in received order, the same for
 * every filter, so a query walks the entries of its filters together
 * (intersecting them in one pass) and never reads a case that fails one.
 * A person's cases come from by_applicant (intake_int.h), under the same
 * keyed hash of the ID number duplicate detection uses.
 */
#ifndef LA_INTAKE_CASES_H
#define LA_INTAKE_CASES_H

#include "intake_int.h"

extern MDB_dbi intake_case_rows, intake_case_index;

#define INTAKE_CASES_VALUE_MAX 200 /* bytes of a value in the index */

/* Opens (creates) the two tables in txn. 0 or a store error. */
int intake_cases_open(MDB_txn *txn);

/* The kind of a category (CASE_KIND_UNSPECIFIED for none). */
Legalaid__CaseKind intake_cases_kind(Legalaid__MatterCategory c);

/* Loads the row of case_id into the arena: 0, MDB_NOTFOUND or a store error. */
int intake_cases_get(turn_t *t, const char *case_id, Legalaid__CaseRow **row);

/* Stores row, replacing the index entries of old (NULL: a new row) by
 * row's; next_due_at is recomputed from row's deadlines first. */
int intake_cases_put(turn_t *t, const Legalaid__CaseRow *old, Legalaid__CaseRow *row);

/* An index key: tag, value (NULL or "" for none), then the 8-byte order
 * and case_id (either may be NULL: a prefix). Writes into key (at least
 * INTAKE_CASES_KEY_MAX bytes) and returns its length. */
#define INTAKE_CASES_KEY_MAX (2 + INTAKE_CASES_VALUE_MAX + 8 + LA_CASE_ID_MAX)
size_t intake_cases_key(unsigned char *key, char tag, const char *value, const unsigned char *order,
                        const char *case_id);

/* ---- steps (intake_cases_follow.c) ---- */

/* A new case a (not a linked duplicate): its row, state received. */
int intake_cases_follow_received(turn_t *t, const Legalaid__Application *a);
/* The state of case_id moves to state (lawyer: set it, "" clears it,
 * NULL leaves it); a case without a row is passed over. */
int intake_cases_follow_state(turn_t *t, const char *case_id, Legalaid__CaseState state,
                              const char *lawyer);
/* An upstream event's deadlines set and met on its case. */
int intake_cases_follow_deadlines(turn_t *t, const Legalaid__Event *ev);
/* Eligibility's decision on case_id, and dispatch's events. */
int intake_cases_follow_decided(turn_t *t, const char *case_id, Legalaid__Outcome outcome);
int intake_cases_follow_dispatch(turn_t *t, const Legalaid__Event *ev);

/* ---- queries (intake_cases_query.c) ---- */

int intake_cases_query(turn_t *t, const Legalaid__CasesQuery *q, Legalaid__Reply *reply);
int intake_cases_query_person(turn_t *t, const Legalaid__PersonCasesQuery *q,
                              Legalaid__Reply *reply);

#endif
