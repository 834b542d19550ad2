/*
 * roster_int.h - what the roster's files share: its tables and their key
 * layouts, the limits, and each file's functions, grouped by floor as the
 * map at the top of roster.c (each file calls only files of its own floor or
 * below, without circles).
 *
 * Tables (opened by roster_tables.c):
 *   "stations"         code -> Station
 *   "shifts"           station NUL starts_at(BE64) role(1 byte) lawyer_id -> Shift
 *                      the published shifts, of one station in start order, so
 *                      "who is on duty at X at T" is one cursor seek
 *   "shifts_by_lawyer" lawyer_id NUL starts_at(BE64) station -> the "shifts" key,
 *                      to find a lawyer's overlapping shifts at any station
 *   "agreements"       id -> Agreement (a firm, its period, share and lawyers)
 *   "templates"        station NUL name -> ShiftTemplate
 *   "calendar"         YYYY-MM-DD -> CalendarDay (roster's copy of the holidays)
 *   "schedules"        id -> Schedule (draft or published)
 *   "drafts"           schedule id NUL "shifts" key -> Shift, until published
 *   "leaves"           LV-NNNNNN -> Leave;   "swaps"  SW-NNNNNN -> Swap
 *   "due"              the due-time index of common/due.h: due_at(BE64)
 *                      kind(1 byte) payload -> empty, what the tick acts on
 *                      (ROSTER_DUE_* below: check-in, gap, request escalation)
 *   "requests"         DR-YYYY-NNNNNN -> DutyRequest
 *   "meetings"         station NUL slot(BE64) request id -> empty (capacity)
 *   "detainee_slots"   person key NUL slot(BE64) -> request id (no double booking)
 *   "pool"             lawyer id -> Lawyer (id, name, firm, phone, status, kind):
 *                      the lawyer pool as dispatch's LawyersImported events tell it
 * and in the daemon's meta table the counters "seq.leave", "seq.swap",
 * "seq.request.<year>".
 */
#ifndef LA_ROSTER_INT_H
#define LA_ROSTER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "daemon.h"
#include "la_limits.h"
#include "roster.h"

/* A shift lasts at most a day. The duty lookup relies on it: a shift that
 * covers T started after T - ROSTER_SHIFT_MAX_MS, so the scan starts there. */
#define ROSTER_SHIFT_MAX_MS MS_PER_DAY

/* Station codes are LA_STATION_MAX, names LA_NAME_MAX. Lawyer ids are
 * LA_LAWYER_ID_MAX (32; the roster took 64 before): every duty lawyer is a
 * member of dispatch's pool, which refuses a longer id, so no lawyer the
 * roster may place has one. */
/* An id the pool takes from dispatch's stream: the LMDB key limit, for the
 * stream is not the roster's to refuse (dispatch's ids are far shorter). */
#define ROSTER_POOL_ID_MAX 256
/* station NUL starts_at role lawyer_id */
#define ROSTER_SHIFT_KEY_MAX (LA_STATION_MAX + 1 + 8 + 1 + LA_LAWYER_ID_MAX)
/* lawyer_id NUL starts_at(BE64) station */
#define ROSTER_LAWYER_KEY_MAX (LA_LAWYER_ID_MAX + 1 + 8 + LA_STATION_MAX)
/* The centre, when a request is routed to nobody on duty. */
#define ROSTER_CENTRE "CENTRE"

/* The kinds of the "due" table (their byte values are stored: keep them). */
enum {
    ROSTER_DUE_CHECKIN = 1, /* payload: station NUL starts_at role(PRIMARY) */
    ROSTER_DUE_GAP = 2,     /* payload: station NUL starts_at role(PRIMARY) */
    ROSTER_DUE_ACK = 3,     /* payload: request id */
    ROSTER_DUE_ANSWER = 4,  /* payload: request id */
};

/* ======================== tables ========================================= */

/* --- roster_tables.c: configuration, table handles, counters ------------- */

extern const cfg_key_t roster_config_keys[];
extern MDB_dbi roster_stations, roster_shifts, roster_by_lawyer, roster_agreements,
    roster_templates, roster_calendar, roster_schedules, roster_drafts, roster_leaves, roster_swaps,
    roster_due, roster_requests, roster_meetings, roster_detainee_slots, roster_pool;

/* Opens (creates) every table above: the service's open(). */
int roster_tables_open(daemon_t *d, MDB_txn *txn);
/* Takes the next number of the meta counter key (no gaps: in the turn's txn). */
int roster_tables_seq_take(turn_t *t, const char *key, uint64_t *n);

/* --- roster_validate.c: field rules of imported stations and shifts ------ */

/* Pure checks, no storage (the station's existence and the conflicts with
 * other shifts are roster_assign.c's): 0 when valid, else -1 with *field
 * set to the sub-field ("code", "name", "kind", "county"; "station",
 * "lawyer_id", "ends_at", ...) and msg filled, in words a roster clerk
 * understands. */
int roster_validate_station(const Legalaid__Station *st, const char **field, char *msg,
                            size_t size);
int roster_validate_shift(const Legalaid__Shift *sh, const char **field, char *msg, size_t size);

/* --- roster_station.c ---------------------------------------------------- */

int roster_station_get(turn_t *t, const char *code, Legalaid__Station **st);
int roster_station_import(turn_t *t, const Legalaid__ImportStations *in, Legalaid__Reply *reply);

/* --- roster_calendar.c: days and holidays -------------------------------- */

/* "YYYY-MM-DD" -> local day number; -1 with *why when it is not a date. */
int roster_calendar_day_parse(const char *text, int64_t *day, const char **why);
/* Local day number -> "YYYY-MM-DD" (11 bytes). */
void roster_calendar_day_text(int64_t day, char out[11]);
/* 1 Monday ... 7 Sunday. */
int roster_calendar_weekday(int64_t day);
/* HOLIDAY, WORKDAY, or DAY_KIND_UNSPECIFIED for an ordinary day. */
int roster_calendar_kind(turn_t *t, int64_t day, Legalaid__DayKind *kind);
int roster_calendar_import(turn_t *t, const Legalaid__ImportCalendar *in, Legalaid__Reply *reply);

/* --- roster_shift.c: the published shifts and their per-lawyer index ----- */

/* "A" or "B": the post a shift role holds. */
const char *roster_shift_post(int role);
/* Writes the "shifts" key into key; returns its length (lawyer_id may be
 * NULL for a prefix). */
size_t roster_shift_key(const char *station, int64_t starts_at, int role, const char *lawyer_id,
                        unsigned char key[ROSTER_SHIFT_KEY_MAX]);
/* Writes a new shift: its row and its per-lawyer index entry. */
int roster_shift_index(turn_t *t, const Legalaid__Shift *sh);
/* Rewrites a stored shift's value (check-in, activation). */
int roster_shift_store(turn_t *t, const Legalaid__Shift *sh);
/* Deletes a shift and its index entry. */
int roster_shift_remove(turn_t *t, const Legalaid__Shift *sh);
/* The stored shift under sh's key is byte for byte sh: 1 or 0. */
int roster_shift_unchanged(turn_t *t, const Legalaid__Shift *sh);
/* The shift holding role at station from starts_at: 0, MDB_NOTFOUND, error. */
int roster_shift_find(turn_t *t, const char *station, int64_t starts_at, int role,
                      Legalaid__Shift **sh);
/* Another shift holding the same post (A or B) at sh's station at an
 * overlapping time: *other is set (arena) or left NULL. */
int roster_shift_conflict(turn_t *t, const Legalaid__Shift *sh, Legalaid__Shift **other);
/* Another shift of lawyer within [from - rest, to + rest), other than the
 * one under skip (may be NULL): *other set or NULL. */
int roster_shift_busy(turn_t *t, const char *lawyer_id, int64_t from, int64_t to, int64_t rest_ms,
                      const Legalaid__Shift *skip, Legalaid__Shift **other);
/* Every shift of lawyer overlapping [from, to), in start order (arena). */
int roster_shift_held(turn_t *t, const char *lawyer_id, int64_t from, int64_t to,
                      Legalaid__Shift ***out, size_t *n);

/* --- roster_pool.c: the lawyer pool from dispatch ------------------------ */

/* The pool's record of id: 0, MDB_NOTFOUND, or a store error. */
int roster_pool_get(turn_t *t, const char *id, Legalaid__Lawyer **l);
/* 1 when l is active (may hold a duty shift as far as its status goes). */
int roster_pool_active(const Legalaid__Lawyer *l);
/* "suspended", "left", "active". */
const char *roster_pool_status_text(const Legalaid__Lawyer *l);
/* 1 when any pool has reached the roster. */
int roster_pool_heard(turn_t *t);
/* 1 when lawyer_id is an active lawyer of the pool (may hold a duty
 * shift), 0 when not, or a store error. */
int roster_pool_takes(turn_t *t, const char *lawyer_id);
/* Vets ag's j-th duty lawyer against the pool: 0, -1 with *field
 * ("lawyers[j].id") and *msg, or a store error. */
int roster_pool_vet(turn_t *t, const Legalaid__Agreement *ag, size_t j, const char **field,
                    const char **msg);
/* The pool's part of fitting lawyer id to a duty post of firm (NULL: any
 * firm): an active member of the pool, of that firm, and a lawyer. 0 with
 * *msg NULL when it fits, 0 with *msg saying why not, or a store error; *l
 * the pool's record. */
int roster_pool_check(turn_t *t, const char *id, const char *firm, Legalaid__Lawyer **l,
                      const char **msg);

/* --- roster_agreement.c -------------------------------------------------- */

/* The agreement and its lawyer entry under which lawyer serves station on
 * day (in the agreement's period, joined and not left): 0, MDB_NOTFOUND,
 * or a store error. */
int roster_agreement_member(turn_t *t, const char *lawyer_id, const char *station, int64_t day,
                            Legalaid__Agreement **ag, Legalaid__DutyLawyer **dl);
/* 1 (and *dl) when ag lists lawyer_id as a duty lawyer on day, in its period. */
int roster_agreement_has(const Legalaid__Agreement *ag, const char *lawyer_id, int64_t day,
                         Legalaid__DutyLawyer **dl);
/* Takes lawyer_id off every agreement of firm from day on (its "left" set
 * to day where it was later or absent): the lawyer has moved to another
 * firm in the pool. *n the agreements changed; 0 or a store error. */
int roster_agreement_leave(turn_t *t, const char *lawyer_id, const char *firm, int64_t day,
                           uint32_t *n);
/* 1 when agreement ag serves station. */
int roster_agreement_serves(const Legalaid__Agreement *ag, const char *station);
int roster_agreement_import(turn_t *t, const Legalaid__ImportAgreements *in,
                            Legalaid__Reply *reply);

/* --- roster_template.c --------------------------------------------------- */

/* Parses "mon-fri", "daily", "mon,wed,fri": bit 1 Monday ... bit 7 Sunday. */
int roster_template_days_parse(const char *text, unsigned *mask);
/* "09:00" -> minutes of the day (24:00 allowed as an end). */
int roster_template_hhmm_parse(const char *text, int *minutes);
int roster_template_import(turn_t *t, const Legalaid__ImportTemplates *in, Legalaid__Reply *reply);

/* ======================== steps ========================================== */

/* --- roster_deadline.c: the deadlines roster announces on its events ----- */

/* Event.deadlines and deadlines_met for notify's timers (the caseless
 * roster events, under the empty case). Each call adds to ev only when the
 * deadline applies (see the file): */
/* ShiftAssigned: the A post's check-in at the shift's start. */
void roster_deadline_checkin(turn_t *t, Legalaid__Event *ev, const Legalaid__Shift *sh);
/* CheckedIn: that check-in made. */
void roster_deadline_checked_in(turn_t *t, Legalaid__Event *ev, const Legalaid__Shift *sh);
/* DutyRequestAssigned: a detention-centre request answered by answer_due_at,
 * owed by the post it is routed to (the staff at the centre). */
void roster_deadline_answer(turn_t *t, Legalaid__Event *ev, const Legalaid__DutyRequest *r);
/* DutyRequestAcknowledged, DutyRequestCompleted: that answer given. */
void roster_deadline_answered(turn_t *t, Legalaid__Event *ev, const Legalaid__DutyRequest *r);

/* --- roster_assign.c: a shift placed on the roster ----------------------- */

/* Places a valid shift: 0 with *msg NULL when it went in (row, index,
 * ShiftAssigned, check-in deadlines), 0 with *field and *msg naming the
 * problem (unknown station, lawyer busy within rest_ms, post taken), or a
 * store error. */
int roster_assign(turn_t *t, Legalaid__Shift *sh, int64_t rest_ms, const char **field,
                  const char **msg);
int roster_assign_import(turn_t *t, const Legalaid__ImportShifts *in, Legalaid__Reply *reply);

/* --- roster_cover.c: covering a post another lawyer cannot hold ---------- */

/* An approved leave of lawyer overlapping [from, to): 1 (and *lv), 0, error. */
int roster_cover_on_leave(turn_t *t, const char *lawyer_id, int64_t from, int64_t to,
                          Legalaid__Leave **lv);
/* A lawyer who can take sh instead of its holder (same firm first, fewest
 * shifts that day): NULL when nobody can. */
int roster_cover_find(turn_t *t, const Legalaid__Shift *sh, Legalaid__Shift **repl);
/* Replaces sh by after (another lawyer) and publishes ShiftChanged. */
int roster_cover_replace(turn_t *t, Legalaid__Shift *sh, Legalaid__Shift *after,
                         const char *because);
/* Raises a CoverageGap to the centre for the post of sh. */
int roster_cover_gap(turn_t *t, const Legalaid__Shift *sh, Legalaid__GapReason reason,
                     const char *detail);

/* --- roster_leave.c, roster_swap.c: changes with the centre's approval --- */

int roster_leave_request(turn_t *t, const Legalaid__RequestLeave *in, Legalaid__Reply *reply);
int roster_leave_decide(turn_t *t, const Legalaid__DecideChange *in, Legalaid__Reply *reply);
int roster_swap_request(turn_t *t, const Legalaid__RequestSwap *in, Legalaid__Reply *reply);
int roster_swap_decide(turn_t *t, const Legalaid__DecideChange *in, Legalaid__Reply *reply);

/* --- roster_checkin.c: the post taken up, or not ------------------------- */

int roster_checkin(turn_t *t, const Legalaid__CheckIn *in, Legalaid__Reply *reply);
/* The tick's two checks of a post (roster_tick.c calls them). */
int roster_checkin_due(turn_t *t, const char *station, int64_t starts_at);
int roster_checkin_gap_due(turn_t *t, const char *station, int64_t starts_at);

/* --- roster_duty.c, roster_list.c, roster_board.c: reading the roster ---- */

/* The published shifts of station covering at (A first, then B), in the arena. */
int roster_duty_collect(turn_t *t, const char *station, int64_t at, Legalaid__Shift ***out,
                        size_t *n);
int roster_duty_query(turn_t *t, const Legalaid__DutyQuery *q, Legalaid__Reply *reply);
int roster_list(turn_t *t, const Legalaid__ListShifts *in, Legalaid__Reply *reply);
/* roster_board.c: every station at a time, or one station's desk view. */
int roster_board(turn_t *t, const Legalaid__DutyBoardQuery *q, Legalaid__Reply *reply);

/* --- roster_request.c, roster_meeting.c: duty requests ------------------- */

int roster_request_raise(turn_t *t, const Legalaid__RaiseDutyRequest *in, Legalaid__Reply *reply);
int roster_request_ack(turn_t *t, const Legalaid__AckDutyRequest *in, Legalaid__Reply *reply);
int roster_request_complete(turn_t *t, const Legalaid__CompleteDutyRequest *in,
                            Legalaid__Reply *reply);
int roster_request_get(turn_t *t, const Legalaid__GetDutyRequest *in, Legalaid__Reply *reply);
/* The tick: not acknowledged in time -> the next post; 24 h passed -> gap. */
int roster_request_ack_due(turn_t *t, const char *id);
int roster_request_answer_due(turn_t *t, const char *id);
/* Books a meeting slot for r (DUTY_MEETING): 0 with *msg NULL, or a problem. */
int roster_meeting_book(turn_t *t, Legalaid__DutyRequest *r, const Legalaid__Station *st,
                        const char **msg);

/* --- roster_generate.c, roster_schedule.c: a period's schedule ----------- */

/* Generates the A and B posts of every staffed shift of stations (all
 * with a template when n_stations is 0) from from_day to to_day
 * (inclusive, local day numbers): *shifts (arena) in start order and the
 * firms' shares in sched. 0; 0 with *field and *msg when a post cannot be
 * filled (nothing is kept); or a store error. */
int roster_generate_run(turn_t *t, int64_t from_day, int64_t to_day, char **stations,
                        size_t n_stations, Legalaid__Schedule *sched, Legalaid__Shift ***shifts,
                        size_t *n, const char **field, const char **msg);
int roster_schedule_generate(turn_t *t, const Legalaid__GenerateSchedule *in,
                             Legalaid__Reply *reply);
int roster_schedule_publish(turn_t *t, const Legalaid__PublishSchedule *in, Legalaid__Reply *reply);

/* ======================== entry points =================================== */

/* roster_pool_apply.c: dispatch's stream. LawyersImported writes the pool;
 * a lawyer now suspended or left loses the shifts not yet over (an
 * approved leave). The service's apply(). */
int roster_pool_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev);
/* roster_tick.c: the service's tick, acting on the "due" table. */
int roster_tick(turn_t *t);

/* What the operations staff watch (roster_watch.c): open duty requests
 * (an index kept with every save of a request), coverage gaps now and
 * ahead (a row per gap raised, dropped when the post is held again). */
int roster_watch_open(daemon_t *d, MDB_txn *txn);
int roster_watch_request(turn_t *t, const Legalaid__DutyRequest *before,
                         const Legalaid__DutyRequest *after);
int roster_watch_gap(turn_t *t, const char *station, int64_t starts_at, int64_t ends_at,
                     Legalaid__GapReason reason);
/* The open requests (of station, or all when NULL), oldest first, at most
 * max (*truncated set when there were more); in the arena. */
int roster_watch_open_list(turn_t *t, const char *station, size_t max,
                           Legalaid__DutyRequest ***out, size_t *n, int *truncated);
/* The gaps raised that cover at, in station order; in the arena. */
int roster_watch_gaps_at(turn_t *t, int64_t at, Legalaid__CoverageGap ***out, size_t *n);
int roster_watch_covered(turn_t *t, const char *station, int64_t starts_at);
int roster_watch_prune(turn_t *t);
int roster_watch_counters(turn_t *t, Legalaid__StreamStatus *st);

#endif
