/*
 * rosterkit.h - the roster fixtures several tests share: the two duty
 * stations, one firm's agreement with its lawyers vetted in dispatch's
 * pool, the A/B shifts of a day, and the import requests themselves,
 * sent through the roster's real turns. Each returns the reply (the
 * caller asserts what it cares about and frees it).
 */
#ifndef LA_ROSTERKIT_H
#define LA_ROSTERKIT_H

#include <stddef.h>
#include <stdint.h>

#include "daemon.h"

/* One import request of n entries (a fresh request_id each). */
Legalaid__Reply *rk_import_stations(daemon_t *d, Legalaid__Station **s, size_t n);
Legalaid__Reply *rk_import_agreements(daemon_t *d, Legalaid__Agreement **a, size_t n);
Legalaid__Reply *rk_import_shifts(daemon_t *d, Legalaid__Shift **s, size_t n);
Legalaid__Reply *rk_import_templates(daemon_t *d, Legalaid__ShiftTemplate **t, size_t n);

/* BT-COURT-02 (a court station) and BT-DC-01 (a detention centre, with
 * meeting_capacity when it is > 0). */
Legalaid__Reply *rk_import_two_stations(daemon_t *d, uint32_t meeting_capacity);

/* Agreement AG-1 of 内蒙古鹿城律师事务所 for 2026 (share 100) with the n
 * lawyers ids (names, phones: NULL for 值班律师 and 13947201234), fed to
 * the roster as dispatch's pool members first (*pool_seq). */
Legalaid__Reply *rk_import_one_agreement(daemon_t *d, uint64_t *pool_seq, const char *const *ids,
                                         const char *const *names, const char *const *phones,
                                         size_t n);

/* BT-COURT-02: A ids[0], B ids[1]; BT-DC-01: A ids[2], B ids[3]; all from
 * starts_at to ends_at (names, phones as for rk_import_one_agreement). */
Legalaid__Reply *rk_import_four_shifts(daemon_t *d, const char *const *ids,
                                       const char *const *names, const char *const *phones,
                                       int64_t starts_at, int64_t ends_at);

#endif
