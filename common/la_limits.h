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

/* What intake takes in an application or a consultation (intake_validate.c,
 * intake_person.c): the CLI checks a line against the same values before
 * sending it (tools/ctl/ctl_limits.c). */
#define LA_MATTER_MAX LA_TEXT_MAX /* the facts of the matter (matter) */
#define LA_DESK_MAX 32            /* the desk or station that took it (station) */
#define LA_FACILITY_MAX 64        /* a custody facility (custody_facility) */
#define LA_RELATIONSHIP_MAX 32    /* a proxy's relationship: 父亲, 配偶, 监护人 */
#define LA_PROOF_MAX 200          /* the document showing a proxy's authority */
#define LA_PARTY_MAX 200          /* the opposing party */
#define LA_TOPIC_MAX 500          /* a consultation's topic */
#define LA_PERSON_NAME_MAX 64     /* a person's name at intake (applicant, proxy, co-defendant) */
#define LA_ADDRESS_MAX 200        /* a person's address */
#define LA_CASE_REFERENCE_MAX 64  /* a related case's reference: (2026)蒙0203刑初123号 */
#define LA_AUTHORITY_NAME_MAX 128 /* a notifying authority: 包头市昆都仑区人民法院 */
#define LA_CO_DEFENDANTS_MAX 20   /* co-defendants listed on one application */
#define LA_RELATED_CASES_MAX 20   /* related cases listed on one application */
#define LA_MATERIALS_MAX 32       /* documents received for one application */
#define LA_MATERIAL_MAX 64        /* one document's name: 收入证明, 劳动合同 */

/* No text field of any request is longer (every daemon refuses a longer
 * one with INVALID_FIELD naming it, before its own checks: fieldtext.c). */
#define LA_FIELD_MAX LA_NOTE_MAX

/* The daemons' default max_frame_bytes ([SERVICE] max_frame_bytes): the
 * largest request frame they decode; larger ones get TOO_LARGE. */
#define LA_FRAME_MAX_DEFAULT 1048576

/* The daemons' default max_request_entries: the most entries one list of
 * a request may hold (an import's records); more get TOO_LARGE before the
 * frame is decoded (framescan.h). legalaidctl cuts an import into requests
 * of at most the daemon's value. */
#define LA_REQUEST_ENTRIES_DEFAULT 5000
#define LA_STR2(x) #x
#define LA_STR(x) LA_STR2(x)

#endif
