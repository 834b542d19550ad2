/*
 * dispatch_int.h - what dispatch's files share: the table map, a lawyer's
 * load, the kinds of the due-time index, and the functions each file
 * offers the others, grouped by floor as in dispatch.c's file map (tables,
 * then steps; the entry points offer nothing but dispatch_tick).
 *
 * Tables (handles in dispatch_store.c, opened at start):
 *   "lawyers"      lawyer id -> Lawyer (the pool, as last imported:
 *                  dispatch_import.c; read by dispatch_pool.c)
 *   "load"         lawyer id -> dispatch_load_t (BE64 fields), kept apart
 *                  from "lawyers" so a re-import keeps it (dispatch_pool.c)
 *   "assignments"  case_id -> Assignment: dispatch's record of the case
 *                  (dispatch_case.c)
 *   "queue"        work class (1 byte) | approved_at (BE64) | case_id -> "":
 *                  every case not yet assigned (QUEUED, OFFERED, NEEDS_STAFF)
 *                  (dispatch_queue.c)
 *   "due"          due_at (BE64) | kind (1 byte) | case_id -> "": the
 *                  deadlines dispatch acts on (common/due.h; the kinds are
 *                  dispatch_due_kind_t; fired by dispatch_tick.c)
 *   "parties"      tag (1 byte) | text | 0 | lawyer id | 0 | case_id -> "":
 *                  who represents whom, against whom, in which matter: the
 *                  conflict checks (dispatch_conflict.c)
 *   "graded"       reviewed_at (BE64) | case_id -> grade, score, firm and
 *                  county of the handling lawyer: the review report's
 *                  range scan (written by dispatch_review.c, read by
 *                  dispatch_report.c)
 *   "by_lawyer"    lawyer id | 0 | case_id -> "": the cases a lawyer holds
 *                  now, offered to them or handled by them (ASSIGNED ..
 *                  FILE_SUBMITTED): the lawyer's own page (kept by
 *                  dispatch_case_put, read by dispatch_query.c)
 *   "calendar"     "YYYY-MM-DD" -> CalendarDay: holidays and make-up
 *                  working days, where dispatch's periods end
 *                  (dispatch_time.c, common/calendar_period.h)
 * and in "meta" the counters "assigned", "offered" (dispatch_offer.c), and
 * "pool.version" (new at each pool import, dispatch_import.c: the key of
 * dispatch_match.c's in-memory copy).
 */
#ifndef LA_DISPATCH_INT_H
#define LA_DISPATCH_INT_H

#include <stdint.h>

#include "daemon.h"
#include "ageq.h"
#include "dispatch.h"
#include "due.h"
#include "la_limits.h"
#include "store.h"

#define DISPATCH_CAPACITY_MAX 500
/* The reason of a declined offer or of a manual assignment. */
#define DISPATCH_OFFER_REASON_MAX 500

/* ---- tables ------------------------------------------------------------- */

/* The configuration (dispatch_config.c); dispatch_config is in dispatch.h. */
extern const cfg_key_t dispatch_config_keys[];

/* The table handles (dispatch_store.c). */
extern MDB_dbi dispatch_lawyers, dispatch_load, dispatch_assignments, dispatch_queue, dispatch_due,
    dispatch_parties, dispatch_graded, dispatch_calendar, dispatch_states, dispatch_by_lawyer;
int dispatch_store_open(MDB_txn *txn, MDB_dbi daily, int daily_empty);
/* "states": how many cases are in each AssignmentState, kept by
 * dispatch_case_put, so that the status counters read a few numbers
 * instead of opening every sealed case. 0 or a store error. */
/* 1 when a case in state s still waits for a lawyer: queued, offered or
 * needing staff. */
int dispatch_store_waiting(Legalaid__AssignmentState s);
/* 1 when the case is overdue now: its 3-day assignment deadline (art. 36,
 * 43(1)) has passed and it still waits. A case assigned late keeps its mark
 * (the case view says it was assigned late) but is no longer overdue. The one
 * test behind the assignment_overdue counter and the overdue list. */
int dispatch_store_overdue(const Legalaid__Assignment *a);
int dispatch_store_state_add(MDB_txn *txn, Legalaid__AssignmentState state, int delta);
/* The count under key in "states" moved by delta (never below 0). Beside
 * the states, DISPATCH_OVERDUE: the waiting cases past their deadline
 * (dispatch_store_overdue), kept by dispatch_case_put, so that a status
 * reads a number and not every waiting case (in a burst of 60,000
 * applications each status read the whole queue: 37 MB in one turn). */
int dispatch_store_states_add(MDB_txn *txn, const char *key, int delta);
#define DISPATCH_OVERDUE "overdue"
int dispatch_store_state_count(MDB_txn *txn, Legalaid__AssignmentState state, uint64_t *n);
/* "ages", "ages_by_id" (common/ageq.h): how long the cases waiting,
 * offered and needing staff have been so, kept by dispatch_case_put. */
extern ageq_t dispatch_ages;
extern const char *const dispatch_age_queues[];
/* The age queue of a state ("waiting", "offered", "needs_staff"), or NULL. */
const char *dispatch_store_age_queue(Legalaid__AssignmentState state);
/* The lawyer who holds a case now: the one offered it (OFFERED), the one
 * handling it (ASSIGNED .. FILE_SUBMITTED); NULL for the others. */
const char *dispatch_store_holder(const Legalaid__Assignment *a);
/* Moves case_id in "by_lawyer" from lawyer was to lawyer now (either may
 * be NULL). 0 or a store error. */
int dispatch_store_hold(MDB_txn *txn, const char *case_id, const char *was, const char *now);

/* The kinds of the "due" table, written with due_put/due_del of
 * common/due.h and fired by dispatch_tick.c. The byte values are stored in
 * the keys: never renumber them. */
typedef enum dispatch_due_kind {
    DISPATCH_DUE_OFFER = 1,       /* the offer lapses */
    DISPATCH_DUE_ASSIGN = 2,      /* 3 days from approval or notice (art. 36, 43) */
    DISPATCH_DUE_AGREEMENT = 3,   /* 5 days to sign (S6 art. 27) */
    DISPATCH_DUE_OWN_COUNSEL = 4, /* 5 days to retain counsel (S3 art. 50) */
    DISPATCH_DUE_FILE = 5,        /* 30 days for the closing file (art. 50) */
    DISPATCH_DUE_REVIEW = 6,      /* the centre's review of the file (T-19) */
    DISPATCH_DUE_INTERN = 7,      /* an internship offer lapses (id: period NUL certificate) */
} dispatch_due_kind_t;

/* Dates and periods (dispatch_time.c). */
/* "YYYY-MM-DD" to ms at local midnight; -1 when not a date. */
int64_t dispatch_time_date_ms(const char *date);
/* Whole years from one time to another, by the local calendar (0 when
 * from is later, or -1 for "no date"). */
int64_t dispatch_time_years_between(int64_t from, int64_t now);
/* The end of a period of n days from the turn's now, by dispatch's copy of
 * the holiday calendar (common/calendar_period.h, R-TIME-00): the starting
 * day excluded, a last day that is a rest day moved to the next working
 * day. */
int64_t dispatch_time_days_after(turn_t *t, long long n);
/* ImportCalendar: the holidays and make-up working days into "calendar"
 * (the same file and check as eligibility's; legalaidctl import calendar
 * sends it to both). */
int dispatch_time_import_calendar(turn_t *t, const Legalaid__ImportCalendar *in,
                                  Legalaid__Reply *reply);

/* The matter concluded without a lawyer's AdvanceCase (the court's
 * judgment, dispatch_agency.c): from ASSIGNED, AGREEMENT_SIGNED or
 * IN_PROGRESS to CONCLUDED with the result, the closing file due (art.
 * 50), on ev (dispatch_lifecycle.c). */
int dispatch_lifecycle_conclude(turn_t *t, Legalaid__Assignment *a, const char *result,
                                const char *by, const char *note, Legalaid__Event *ev);
/* ReportCaseEvent: what the notifying authority tells later (dispatch_agency.c). */
int dispatch_agency_report(turn_t *t, const Legalaid__ReportCaseEvent *in, Legalaid__Reply *reply);

/* The case record (dispatch_case.c). */
int dispatch_case_get(turn_t *t, const char *case_id, Legalaid__Assignment **a);
int dispatch_case_put(turn_t *t, Legalaid__Assignment *a);
/* The case a request names: 1 when found; else 0 with the reply made an
 * INVALID_FIELD or NOT_FOUND error naming field, or *err a store error. */
int dispatch_case_request(turn_t *t, const char *case_id, const char *field, Legalaid__Reply *reply,
                          Legalaid__Assignment **a, int *err);
/* Publishes CaseProgressed for a move from -> a->state, on ev (which may
 * already carry the deadlines it sets and meets: turn_deadline). */
int dispatch_case_progressed(turn_t *t, Legalaid__Assignment *a, Legalaid__AssignmentState from,
                             const char *by, const char *note, Legalaid__Event *ev);
const char *dispatch_case_state_name(Legalaid__AssignmentState s);
/* A criminal defence (art. 25; CPL art. 33-34): by the category, the form
 * of aid, or eligibility's lawyer_required (art. 25, 28). Only lawyers may
 * take it; the co-defendant and former-court-staff rules apply. */
int dispatch_case_is_defence(const Legalaid__Assignment *a);

/* A lawyer's numbers. offers and ideal_micro make the fairness count:
 * offers made by the matcher, and the share of them the lawyer should have
 * had (each offer adds 1/k to each of the k equally suitable candidates),
 * in millionths. Manual assignments by staff are counted apart. */
typedef struct dispatch_load {
    uint64_t open_cases;  /* handled now (assigned, not concluded or ended) */
    uint64_t offers;      /* offers made by the matcher */
    uint64_t ideal_micro; /* fair share of the offers, x 1e6 */
    uint64_t manual;      /* assigned by staff */
    uint64_t declined;    /* offers declined or lapsed */
    uint64_t accepted;    /* offers accepted */
    uint64_t offers_open; /* offers made and not yet answered: they hold capacity */
} dispatch_load_t;

#define DISPATCH_LOAD_FIELDS 7

/* A load as stored in "load": BE64 fields in the order above (a shorter
 * value, from an older version, leaves the rest 0). */
static inline void dispatch_load_decode(const MDB_val *v, dispatch_load_t *load)
{
    uint64_t f[DISPATCH_LOAD_FIELDS] = {0};
    for (size_t i = 0; i < DISPATCH_LOAD_FIELDS && (i + 1) * 8 <= v->mv_size; i++)
        f[i] = store_from_be64((const unsigned char *)v->mv_data + i * 8);
    *load = (dispatch_load_t){f[0], f[1], f[2], f[3], f[4], f[5], f[6]};
}

static inline void dispatch_load_encode(const dispatch_load_t *load,
                                        unsigned char buf[DISPATCH_LOAD_FIELDS * 8])
{
    const uint64_t f[DISPATCH_LOAD_FIELDS] = {load->open_cases, load->offers,   load->ideal_micro,
                                              load->manual,     load->declined, load->accepted,
                                              load->offers_open};
    for (size_t i = 0; i < DISPATCH_LOAD_FIELDS; i++) store_be64(f[i], buf + i * 8);
}

/* How far behind its fair share a lawyer is, in millionths of an offer. */
static inline int64_t dispatch_load_deficit(const dispatch_load_t *l)
{
    return (int64_t)l->ideal_micro - (int64_t)(l->offers * 1000000u);
}

/* A provider of the pool as the matcher reads it (dispatch_poolmem.c). */
typedef struct pool_member {
    char *id, *firm, *county;
    char **counties, **conflicts;
    size_t n_counties, n_conflicts;
    uint32_t firm_ix;
    int kind, status, juvenile, qualified;
    uint32_t capacity;
    int64_t licence_ms, crim_ms, judicial_ms; /* -1: none */
    uint32_t specialties, languages;          /* bit per enum value */
} pool_member_t;

/* The pool in memory: members[n], their loads, and each firm's summed
 * deficit and count over its active members (firms numbered 0..nfirms-1). */
typedef struct dispatch_poolmem {
    const pool_member_t *m;
    size_t n, nfirms;
    const dispatch_load_t *load;
    const int64_t *firm_deficit;
    const uint32_t *firm_members;
} dispatch_poolmem_t;
/* The pool as of t's transaction (read again when it changed). */
int dispatch_poolmem_get(turn_t *t, const dispatch_poolmem_t **out);
/* A load written to LMDB in txn (dispatch_pool_load_put): the copy follows. */
void dispatch_poolmem_note(MDB_txn *txn, const char *lawyer_id, const dispatch_load_t *load);
/* A load as the copy has it, with what is kept back (1), or 0 when the
 * copy cannot answer for txn (then read LMDB). */
int dispatch_poolmem_lookup(MDB_txn *txn, const char *lawyer_id, dispatch_load_t *load);
/* Member ix's new load, kept back in memory and written by
 * dispatch_poolmem_flush before the turn commits (a fair share that
 * grows for every equally suitable provider of each offer). */
/* 0 when it cannot be kept back (outside a counted transaction): the
 * caller writes it with dispatch_pool_load_put. */
int dispatch_poolmem_defer(uint32_t ix, const dispatch_load_t *load);
/* Writes what was kept back (the service's precommit). */
int dispatch_poolmem_flush(daemon_t *d, MDB_txn *txn);
/* Forgets the in-memory pool (after an import, at open). */
void dispatch_poolmem_changed(void);
/* The members (indexes into m) with a specialty, speaking a language, or
 * serving a county (its own or one of its counties; a member may appear
 * twice), as of the last dispatch_poolmem_get. */
size_t dispatch_poolmem_with_specialty(uint32_t category, const uint32_t **ix);
size_t dispatch_poolmem_with_language(uint32_t language, const uint32_t **ix);
size_t dispatch_poolmem_serving(const char *county, const uint32_t **ix);
void dispatch_poolmem_fill(pool_member_t *p, const Legalaid__Lawyer *l);
void dispatch_poolmem_free(pool_member_t *p);

/* The pool (dispatch_pool.c). */
/* A lawyer of the pool, in t's arena; MDB_NOTFOUND when unknown. */
int dispatch_pool_lawyer_get(turn_t *t, const char *id, Legalaid__Lawyer **l);
int dispatch_pool_load_get(MDB_txn *txn, const char *lawyer_id, dispatch_load_t *load);
int dispatch_pool_load_put(MDB_txn *txn, const char *lawyer_id, const dispatch_load_t *load);
/* The lawyer stops handling the case: load freed. */
int dispatch_pool_lawyer_free(turn_t *t, Legalaid__Assignment *a);

/* The waiting cases (dispatch_queue.c). */
int dispatch_queue_put(turn_t *t, const Legalaid__Assignment *a);
int dispatch_queue_del(turn_t *t, const Legalaid__Assignment *a);
/* The cases of the queue table in the order of work: overdue, emergency,
 * same day, green channel, first come (arena). */
int dispatch_queue_read(turn_t *t, Legalaid__Assignment ***out, size_t *n);
int dispatch_queue_list(turn_t *t, const Legalaid__DispatchQueueQuery *q, Legalaid__Reply *reply);

/* Conflicts (dispatch_conflict.c). */
int dispatch_conflict_record(turn_t *t, const Legalaid__Assignment *a, const char *lawyer_id);
/* Removes what dispatch_conflict_record wrote for this case and lawyer (an
 * offer declined, lapsed or withdrawn). */
int dispatch_conflict_forget(turn_t *t, const Legalaid__Assignment *a, const char *lawyer_id);
/* Lawyers in conflict with the case: ids in the arena, *n of them. */
int dispatch_conflict_lawyers(turn_t *t, const Legalaid__Assignment *a, char ***ids, size_t *n);

/* ---- steps -------------------------------------------------------------- */

/* Matching (dispatch_match.c): chooses the lawyer for a case among the
 * pool by the hard rules, then suitability, then fairness. */
typedef struct dispatch_match {
    char lawyer_id[LA_LAWYER_ID_MAX + 1]; /* empty: nobody */
    Legalaid__MatchExplanation *why;      /* arena */
} dispatch_match_t;
int dispatch_match_case(turn_t *t, const Legalaid__Assignment *a, dispatch_match_t *m);
/* Checks the hard rules for one lawyer (staff's manual choice): NULL when
 * the lawyer may take the case, else why not (arena). */
const char *dispatch_match_lawful(turn_t *t, const Legalaid__Assignment *a,
                                  const Legalaid__Lawyer *l, int holds_offer, int64_t *err);

/* The offer machine (dispatch_offer.c; the states are in its header). */
/* Offers the case to the best lawyer, or marks it NEEDS_STAFF. */
int dispatch_offer_next(turn_t *t, Legalaid__Assignment *a);
int dispatch_offer_answer(turn_t *t, const Legalaid__AnswerOffer *in, Legalaid__Reply *reply);
/* The offer's deadline fell due (the tick). */
int dispatch_offer_lapse(turn_t *t, const char *case_id);
/* After a pool import: an open offer to a lawyer who may no longer take
 * the case is withdrawn and moves on. */
int dispatch_offer_revalidate(turn_t *t);
/* Closes the case's open offer: its deadline, the lawyer's hold on capacity. */
int dispatch_offer_close(turn_t *t, Legalaid__Assignment *a);
/* The lawyer l takes case a (its offer closed by the caller): by
 * acceptance, or by staff (staff and reason set). */
int dispatch_offer_assign(turn_t *t, Legalaid__Assignment *a, Legalaid__Lawyer *l,
                          const char *staff, const char *reason);
/* Offers the waiting cases in the order of work. */
int dispatch_offer_drain(turn_t *t, uint32_t *offered);
/* The same after one lawyer's capacity came free: a waiting case that lawyer
 * may not take is not matched again (nothing changed for it). */
int dispatch_offer_drain_for(turn_t *t, const char *freed_lawyer, uint32_t *offered);

/* Staff's assignment (dispatch_manual.c). */
int dispatch_manual_assign(turn_t *t, const Legalaid__AssignManually *in, Legalaid__Reply *reply);

/* Eligibility's decisions (dispatch_decision.c). */
int dispatch_decision_apply(turn_t *t, const Legalaid__Decision *d);

/* The pool's import (dispatch_import.c). */
int dispatch_import_lawyers(turn_t *t, const Legalaid__ImportLawyers *in, Legalaid__Reply *reply);

/* The case's life (dispatch_lifecycle.c). */
int dispatch_lifecycle_advance(turn_t *t, const Legalaid__AdvanceCase *in, Legalaid__Reply *reply);

/* A lawyer leaving a case, and the end of aid (dispatch_end.c). */
int dispatch_end_release_lawyer(turn_t *t, const Legalaid__ReleaseLawyer *in,
                                Legalaid__Reply *reply);
int dispatch_end_terminate_aid(turn_t *t, const Legalaid__TerminateAid *in, Legalaid__Reply *reply);
/* Ends the aid (art. 48) from a request or eligibility's decision. */
int dispatch_end_terminate(turn_t *t, Legalaid__Assignment *a, Legalaid__TerminationReason reason,
                           const char *detail, const char *by, int from_eligibility);
/* AWAITING_OWN_COUNSEL ran out: appoint again (S3 art. 50). */
int dispatch_end_own_counsel_due(turn_t *t, const char *case_id);

/* Reviews of the closing file, 一卷二评 (dispatch_review.c, dispatch_report.c). */
int dispatch_review_config_check(char *err, size_t errlen);
/* FILE_SUBMITTED: two reviews needed, the review deadline set. */
int dispatch_review_file_submitted(turn_t *t, Legalaid__Assignment *a);
int dispatch_review_record(turn_t *t, const Legalaid__RecordReview *in, Legalaid__Reply *reply);
int dispatch_report_review(turn_t *t, const Legalaid__ReviewReportQuery *q, Legalaid__Reply *reply);

/* Queries (dispatch_query.c). */
int dispatch_query_assignment(turn_t *t, const Legalaid__GetAssignment *g, Legalaid__Reply *reply);
int dispatch_query_lawyers(turn_t *t, const Legalaid__LawyersQuery *q, Legalaid__Reply *reply);
/* One lawyer's offers and cases ("by_lawyer"); a lawyer asks only for their own. */
int dispatch_query_lawyer_cases(turn_t *t, const Legalaid__LawyerCasesQuery *q,
                                Legalaid__Reply *reply);

/* ---- entry points --------------------------------------------------------- */

/* The tick (dispatch_tick.c). */
int dispatch_tick(turn_t *t);

/* ---- dispatch_stats.c: the reports' counters (common/stats.h) ------------ */

/* The daemon's "stats" table, kept for the functions below. */
void dispatch_stats_open(MDB_dbi stats);
/* Counts what changed from old (NULL: a new record) to a: called by
 * dispatch_case_put, the one writer. */
int dispatch_stats_put(turn_t *t, const Legalaid__Assignment *old, const Legalaid__Assignment *a);
/* Counts an older store's records once (the table was empty at open). */
int dispatch_stats_fill(MDB_txn *txn);

/* ---- dispatch_history.c: a case of the previous system ------------------- */

/* Records an imported case (d->history) as it was handled: its lawyer,
 * dates, result and amount recovered; no offer, deadline or event. */
int dispatch_history_open(turn_t *t, Legalaid__Assignment *a, const Legalaid__Decision *d);

/* ---- internship places (intern.proto, issue 19) --------------------------- */

/* dispatch_intern_store.c: the "intern" and "intern_hosted" tables. */
#define DISPATCH_INTERN_KEY_MAX 80
extern MDB_dbi dispatch_intern, dispatch_intern_hosted;
int dispatch_intern_store_open(MDB_txn *txn);
/* 0, MDB_NOTFOUND (*out NULL) or a store error; records in the arena. */
int dispatch_intern_store_standing_get(turn_t *t, const char *period, const char *certificate,
                                       Legalaid__InternStanding **out);
int dispatch_intern_store_standing_put(turn_t *t, const Legalaid__InternStanding *s);
int dispatch_intern_store_place_get(turn_t *t, const char *period, const char *id,
                                    Legalaid__InternPlace **out);
int dispatch_intern_store_place_put(turn_t *t, const Legalaid__InternPlace *p);
int dispatch_intern_store_published_get(turn_t *t, const char *period,
                                        Legalaid__InternMatchResult **out);
int dispatch_intern_store_published_put(turn_t *t, const Legalaid__InternMatchResult *r);
/* Interns a firm confirmed in every period so far; one more. */
uint64_t dispatch_intern_store_hosted(turn_t *t, const char *firm);
int dispatch_intern_store_hosted_add(turn_t *t, const char *firm);
/* A period's records, in key order (certificate, place id), in the arena. */
typedef struct dispatch_intern_period {
    const char *period;
    Legalaid__InternStanding **standings;
    size_t n_standings;
    Legalaid__InternPlace **places;
    size_t n_places;
    Legalaid__InternMatchResult *published; /* NULL: never published */
} dispatch_intern_period_t;
int dispatch_intern_store_load(turn_t *t, const char *period, dispatch_intern_period_t *p);
/* 1 when a standing in state s holds its place (offered, accepted,
 * confirmed); how many hold place_id in p, and how many started. */
int dispatch_intern_store_holds(Legalaid__InternState s);
void dispatch_intern_store_count(const dispatch_intern_period_t *p, const char *place_id,
                                 uint32_t *held, uint32_t *confirmed);
/* A copy of s for an event: the candidate without the ID number. */
Legalaid__InternStanding *dispatch_intern_store_public(turn_t *t, const Legalaid__InternStanding *s);
/* "INT-<period>-<certificate>": the case notify files the messages under. */
const char *dispatch_intern_store_case_id(turn_t *t, const char *period, const char *certificate);

/* dispatch_intern_supervisor.c: may lawyer_id supervise interns at firm
 * now? NULL when so, else why not (English, for the log and the reply);
 * *err a store error. */
const char *dispatch_intern_supervisor_unfit(turn_t *t, const char *lawyer_id, const char *firm,
                                             Legalaid__Lawyer **lawyer, int *err);

/* dispatch_intern_match.c: deferred acceptance (candidates propose) over
 * candidates' wishes and places' capacity; pure, on arrays. */
typedef struct dispatch_intern_pick {
    uint32_t place;              /* index into places */
    Legalaid__InternReason kind; /* INTERN_WISH_FIRM, _AREA or _ANY */
    uint32_t rank;               /* 1: the first wish */
} dispatch_intern_pick_t;
typedef struct dispatch_intern_match {
    /* inputs */
    size_t n_cands, n_places;
    Legalaid__InternStanding *const *cands; /* those taking part in this round */
    Legalaid__InternPlace *const *places;
    const uint32_t *open;    /* per place: slots to fill in this round */
    const uint64_t *hosted;  /* per place: its firm's interns so far (fairness) */
    /* built by dispatch_intern_match_prepare */
    dispatch_intern_pick_t **prefs; /* per candidate: the places in order of preference */
    uint32_t *n_prefs;
    uint32_t *senior;        /* per candidate: order of registration (0 first) */
    /* outputs of dispatch_intern_match_run */
    int32_t *placed;         /* per candidate: place index, or -1 */
    uint32_t *pick;          /* per placed candidate: index into its prefs */
    Legalaid__InternReason *why_not; /* per unplaced candidate */
} dispatch_intern_match_t;
/* Builds the preference lists (a candidate's wishes in order, each wish's
 * places nearest county first, then firms that hosted fewer, then id;
 * places in declined_places left out). */
void dispatch_intern_match_prepare(arena_t *a, dispatch_intern_match_t *m);
/* How place p ranks candidate c (lower is preferred), or UINT64_MAX when
 * c did not wish p. */
uint64_t dispatch_intern_match_rank(const dispatch_intern_match_t *m, uint32_t p, uint32_t c);
/* The position of place p in c's list, or UINT32_MAX when not in it. */
uint32_t dispatch_intern_match_position(const dispatch_intern_match_t *m, uint32_t c, uint32_t p);
/* Runs the match; the result is stable for these preferences: no
 * candidate and place that both rather had each other. */
void dispatch_intern_match_run(arena_t *a, dispatch_intern_match_t *m);

/* dispatch_intern_round.c: a round of the match over the period as it
 * stands (candidates registered and seeking, places' open slots), as a
 * draft (rows, places, fingerprint of the inputs), or with the offers
 * made (publish; refill after a decline or lapse). *out NULL when a refill
 * finds the period unpublished. */
enum { DISPATCH_INTERN_DRAFT, DISPATCH_INTERN_PUBLISH, DISPATCH_INTERN_REFILL };
int dispatch_intern_round(turn_t *t, const char *period, int mode, Legalaid__InternMatchResult **out);

/* dispatch_intern_import.c */
int dispatch_intern_import_candidates(turn_t *t, const Legalaid__ImportCandidates *in,
                                      Legalaid__Reply *reply);
int dispatch_intern_import_places(turn_t *t, const Legalaid__ImportPlaces *in,
                                  Legalaid__Reply *reply);
/* A period's name: 1 to 16 of [A-Za-z0-9-]. NULL when good, else why not. */
const char *dispatch_intern_import_period_bad(const char *period);
/* The same as a request's answer: 1 after making reply the INVALID_FIELD
 * error naming field, 0 when the period is good. */
int dispatch_intern_import_period_refused(turn_t *t, Legalaid__Reply *reply, const char *field,
                                          const char *period);

/* dispatch_intern_publish.c: InternMatch (the draft, or publishing it). */
int dispatch_intern_publish_request(turn_t *t, const Legalaid__InternMatch *in,
                                    Legalaid__Reply *reply);

/* dispatch_intern_answer.c: InternAnswer, and an offer's lapse (the tick). */
int dispatch_intern_answer_request(turn_t *t, const Legalaid__InternAnswer *in,
                                   Legalaid__Reply *reply);
int dispatch_intern_answer_lapse(turn_t *t, int64_t due_at, const char *id, size_t len);

/* dispatch_intern_query.c: InternQuery (standings, places, figures). */
int dispatch_intern_query_request(turn_t *t, const Legalaid__InternQuery *in,
                                  Legalaid__Reply *reply);

#endif
