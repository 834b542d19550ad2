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

/* GenerateSchedule of the days from..to (all stations), and
 * PublishSchedule of the draft id. */
Legalaid__Reply *rk_generate(daemon_t *d, const char *from, const char *to);
Legalaid__Reply *rk_publish(daemon_t *d, const char *id);

/* CheckIn of lawyer at station; AckDutyRequest of request id by lawyer. */
Legalaid__Reply *rk_check_in(daemon_t *d, const char *station, const char *lawyer);
Legalaid__Reply *rk_ack(daemon_t *d, const char *id, const char *lawyer);
/* RaiseDutyRequest of kind at station for person (meeting_at 0: none);
 * CompleteDutyRequest of id by lawyer with log. */
Legalaid__Reply *rk_raise(daemon_t *d, const char *station, int kind, const char *person,
                          int64_t meeting_at);
Legalaid__Reply *rk_complete(daemon_t *d, const char *id, const char *lawyer,
                             Legalaid__DutyLog *log);

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

/* Baotou's 31 duty stations (12 courts, 12 procuratorates, 7 detention
 * centres) with one day template each: courts and procuratorates mon-fri
 * 09:00-17:00, detention centres daily 08:30-17:30 (and on holidays when
 * dc_on_holidays). The records live in the struct. */
#define RK_NSTATIONS 31
typedef struct rk_baotou {
    char codes[RK_NSTATIONS][32];
    Legalaid__Station st[RK_NSTATIONS], *sp[RK_NSTATIONS];
    Legalaid__ShiftTemplate tp[RK_NSTATIONS], *tpp[RK_NSTATIONS];
} rk_baotou_t;
void rk_baotou_build(rk_baotou_t *b, int dc_on_holidays);

/* Station i's code: BT-COURT-01..12, BT-PROC-01..12, BT-DC-01..07. */
void rk_station_code(int i, char out[32]);

/* The four firms' 2026 agreements AG-2026-01..04 (shares 40/30/20/10) of
 * 30/24/16/10 lawyers F<firm>-L<nn> (值班律师, 13947201234), firm names
 * given. The records live in the struct. */
#define RK_NFIRMS 4
typedef struct rk_firms {
    char ids[RK_NFIRMS][32][32], agid[RK_NFIRMS][32];
    Legalaid__Agreement ag[RK_NFIRMS], *agp[RK_NFIRMS];
    Legalaid__DutyLawyer dl[RK_NFIRMS][32], *dlp[RK_NFIRMS][32];
    char *pool[RK_NFIRMS][32]; /* the ids of each firm, for test_feed_pool */
} rk_firms_t;
extern const unsigned rk_firm_shares[RK_NFIRMS];
extern const int rk_firm_lawyers[RK_NFIRMS];
void rk_firms_build(rk_firms_t *fm, const char *const *firms);

#endif
