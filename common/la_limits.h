/*
 * la_limits.h - the sizes of the protocol's identifiers and texts, one value
 * each for every daemon and the CLI (bytes of UTF-8, without the NUL), so
 * that a case id or a lawyer id accepted by one service is accepted by the
 * next. A field longer than its limit is refused with INVALID_FIELD naming
 * it; a key is never truncated.
 */
#ifndef LA_LA_LIMITS_H
#define LA_LA_LIMITS_H

#define LA_CASE_ID_MAX 64     /* BT-2026-000001, a consultation's number */
#define LA_LAWYER_ID_MAX 32   /* a provider of the pool: BT-L0007 */
#define LA_STATION_MAX 16     /* a duty station's code: BT-COURT-01 */
#define LA_EVENT_ID_MAX 128   /* "<stream>:<seq>" */
#define LA_REQUEST_ID_MAX 128 /* chosen by the client */
#define LA_STAFF_MAX 64       /* who acts: an officer, a staff member, a reviewer */
#define LA_NAME_MAX 128       /* a person's, firm's or authority's name */
#define LA_COUNTY_MAX 64      /* a county or district */
#define LA_REASON_MAX 1000    /* a reason given with a step (decline, release, termination) */
#define LA_TEXT_MAX 2000      /* free text of a person (an objection, a verification, a request) */
#define LA_NOTE_MAX 4000      /* a longer record (a duty log, a reviewer's comment) */

#endif
