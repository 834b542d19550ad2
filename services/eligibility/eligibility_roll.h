/*
 * eligibility_roll.h - the civil-affairs assistance roll (低保, 特困,
 * 低保边缘/低收入; DOMAIN R-ECON-08): table "roll" (id_number ->
 * RollEntry), imported in chunks with ImportAssistanceRoll, the export's
 * time in meta "roll.exported_at"; and the lookup the rules are given:
 * yes (with the status), no, or unavailable (no export imported, or one
 * older than roll_max_age_days). Unavailable never blocks: the rules then
 * offer the commitment route (art. 41).
 */
#ifndef LA_ELIGIBILITY_ROLL_H
#define LA_ELIGIBILITY_ROLL_H

#include <lmdb.h>
#include <stdint.h>

#include "daemon.h"

int eligibility_roll_open(MDB_txn *txn);

/* ImportAssistanceRoll: each entry checked (resident ID number with its
 * check digit and birth date, status), good ones stored (an entry imported
 * again is replaced), bad ones listed in the ImportResult; the export time
 * is kept and AssistanceRollImported published when any entry went in. A
 * newer export replaces the roll (chunks of one export share exported_at);
 * an export older than the roll in use is a CONFLICT. */
int eligibility_roll_import(turn_t *t, const Legalaid__ImportAssistanceRoll *in,
                            Legalaid__Reply *reply);

/* What the roll says of person at now: *answer ROLL_YES with *status,
 * ROLL_NO, or ROLL_UNAVAILABLE. Returns 0 or a store error. */
int eligibility_roll_lookup(turn_t *t, const Legalaid__Person *person, Legalaid__RollAnswer *answer,
                            Legalaid__RollStatus *status);

/* Entries in the roll (for the status counters). */
uint64_t eligibility_roll_size(MDB_txn *txn);

/* Why id is not an 18-character resident ID number (GB 11643: 17 digits, a
 * birth date inside, a check digit 0-9 or X), or NULL; norm gets it with an
 * upper-case X. */
const char *eligibility_roll_id_problem(const char *id, char norm[19]);

#endif
