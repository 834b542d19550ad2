/*
 * access.c - see access.h. The roles (principal.h):
 *
 *   staff       the centre: applications, materials, assignment by hand, queues
 *   officer     the bureau: decisions, objections, verification, publishing rosters
 *   station     a desk at a court, procuratorate or detention centre, for its station
 *   lawyer      its own offers, cases, shifts, check-ins
 *   agency      an authority's system: its defence notifications (art. 35-36)
 *               and what it tells later of those cases (hearings, judgment)
 *   operations  read-only: status, queues, dead letters, reports
 *   admin       imports, keys, re-drives, the audit
 *   peer        a daemon fetching another's stream
 *   edge        the gateway: metrics, the status reads it answers agencies
 *               with (it shows an agency only the cases of its own notices),
 *               and, with Request.on_behalf, an agency's own requests
 */
#include "access.h"

#include "legalaid.pb-c.h"
#include "principal.h"

#define STAFF ROLE_STAFF
#define OFFICER ROLE_OFFICER
#define STATION ROLE_STATION
#define LAWYER ROLE_LAWYER
#define AGENCY ROLE_AGENCY
#define OPS ROLE_OPERATIONS
#define ADMIN ROLE_ADMIN
#define PEER ROLE_PEER
#define EDGE ROLE_EDGE
#define ANYONE (ROLE_ALL & ~ROLE_UNMASK)

static const struct {
    int body;
    unsigned roles;
    int person; /* reads a person's record */
} access_table[] = {
    {LEGALAID__REQUEST__BODY_PING, ANYONE, 0},
    {LEGALAID__REQUEST__BODY_FETCH, PEER | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_STREAM_STATUS, STAFF | OFFICER | OPS | ADMIN | PEER | EDGE, 0},
    {LEGALAID__REQUEST__BODY_METRICS, STAFF | OFFICER | OPS | ADMIN | PEER | EDGE, 0},
    {LEGALAID__REQUEST__BODY_DAILY, STAFF | OFFICER | OPS | ADMIN | EDGE, 0},
    {LEGALAID__REQUEST__BODY_STATS, STAFF | OFFICER | OPS | ADMIN | EDGE, 0},
    {LEGALAID__REQUEST__BODY_CASE_EVENTS, STAFF | OFFICER | ADMIN, 1},
    {LEGALAID__REQUEST__BODY_CLOCK, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_DEAD_LETTERS, STAFF | OPS | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_REDRIVE_DEAD_LETTER, STAFF | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_AUDIT, OFFICER | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_RELOAD_KEYS, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_DROP_CONSUMER, STAFF | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_BACKUP, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_COMPACT, ADMIN, 0},
    /* intake */
    {LEGALAID__REQUEST__BODY_SUBMIT_APPLICATION, STAFF | STATION | AGENCY, 0},
    {LEGALAID__REQUEST__BODY_GET_APPLICATION, STAFF | OFFICER | EDGE, 1},
    {LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS, STAFF | STATION, 0},
    {LEGALAID__REQUEST__BODY_WITHDRAW_APPLICATION, STAFF | STATION, 0},
    {LEGALAID__REQUEST__BODY_RECORD_CONSULTATION, STAFF | STATION | LAWYER, 0},
    /* The finder lists case numbers, states and lawyers, no person's data;
     * a person's cases by ID number are a read of the person's record:
     * staff only, and audited. */
    {LEGALAID__REQUEST__BODY_CASES, STAFF | OFFICER | OPS, 0},
    {LEGALAID__REQUEST__BODY_PERSON_CASES, STAFF, 1},
    /* eligibility */
    {LEGALAID__REQUEST__BODY_GET_DECISION, STAFF | OFFICER | EDGE, 1},
    {LEGALAID__REQUEST__BODY_IMPORT_ASSISTANCE_ROLL, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_IMPORT_HISTORY, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_IMPORT_CALENDAR, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_VERIFY_COMMITMENT, OFFICER, 0},
    {LEGALAID__REQUEST__BODY_FILE_OBJECTION, STAFF | OFFICER, 0},
    {LEGALAID__REQUEST__BODY_DECIDE_OBJECTION, OFFICER, 0},
    {LEGALAID__REQUEST__BODY_GET_OBJECTION, STAFF | OFFICER, 1},
    /* dispatch */
    {LEGALAID__REQUEST__BODY_IMPORT_LAWYERS, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_GET_ASSIGNMENT, STAFF | OFFICER | LAWYER | EDGE, 1},
    {LEGALAID__REQUEST__BODY_ANSWER_OFFER, STAFF | LAWYER, 0},
    {LEGALAID__REQUEST__BODY_ASSIGN_MANUALLY, STAFF, 0},
    {LEGALAID__REQUEST__BODY_ADVANCE_CASE, STAFF | LAWYER, 0},
    {LEGALAID__REQUEST__BODY_REPORT_CASE_EVENT, STAFF | AGENCY, 0},
    {LEGALAID__REQUEST__BODY_RELEASE_LAWYER, STAFF, 0},
    {LEGALAID__REQUEST__BODY_TERMINATE_AID, STAFF | OFFICER, 0},
    {LEGALAID__REQUEST__BODY_RECORD_REVIEW, STAFF | OFFICER, 0},
    {LEGALAID__REQUEST__BODY_REVIEW_REPORT, STAFF | OFFICER | OPS, 0},
    {LEGALAID__REQUEST__BODY_DISPATCH_QUEUE, STAFF | OFFICER | OPS, 0},
    {LEGALAID__REQUEST__BODY_LAWYERS, STAFF | OFFICER | OPS | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_LAWYER_CASES, STAFF | OFFICER | LAWYER | EDGE, 1},
    /* dispatch: internship places (the qualification office is staff) */
    {LEGALAID__REQUEST__BODY_IMPORT_CANDIDATES, STAFF | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_IMPORT_PLACES, STAFF | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_INTERN_MATCH, STAFF | OFFICER, 0},
    {LEGALAID__REQUEST__BODY_INTERN_ANSWER, STAFF, 1},
    {LEGALAID__REQUEST__BODY_INTERN_QUERY, STAFF | OFFICER | OPS, 1},
    /* roster */
    {LEGALAID__REQUEST__BODY_IMPORT_STATIONS, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_IMPORT_SHIFTS, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_IMPORT_AGREEMENTS, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_IMPORT_TEMPLATES, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_ROSTER_IMPORT_CALENDAR, ADMIN, 0},
    {LEGALAID__REQUEST__BODY_DUTY_QUERY, STAFF | STATION | LAWYER | OPS | AGENCY, 0},
    {LEGALAID__REQUEST__BODY_GENERATE_SCHEDULE, STAFF | OFFICER | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_PUBLISH_SCHEDULE, OFFICER, 0},
    {LEGALAID__REQUEST__BODY_CHECK_IN, STAFF | STATION | LAWYER, 0},
    {LEGALAID__REQUEST__BODY_RAISE_DUTY_REQUEST, STAFF | STATION | AGENCY, 0},
    {LEGALAID__REQUEST__BODY_ACK_DUTY_REQUEST, STAFF | STATION | LAWYER, 0},
    {LEGALAID__REQUEST__BODY_COMPLETE_DUTY_REQUEST, STAFF | STATION | LAWYER, 0},
    {LEGALAID__REQUEST__BODY_GET_DUTY_REQUEST, STAFF | STATION | LAWYER | OPS, 0},
    {LEGALAID__REQUEST__BODY_REQUEST_SWAP, STAFF | LAWYER, 0},
    {LEGALAID__REQUEST__BODY_REQUEST_LEAVE, STAFF | LAWYER, 0},
    {LEGALAID__REQUEST__BODY_DECIDE_CHANGE, STAFF | OFFICER, 0},
    {LEGALAID__REQUEST__BODY_LIST_SHIFTS, STAFF | OFFICER | STATION | LAWYER | OPS, 0},
    {LEGALAID__REQUEST__BODY_DUTY_BOARD, STAFF | OFFICER | STATION | LAWYER | OPS | ADMIN, 0},
    /* notify */
    {LEGALAID__REQUEST__BODY_LIST_NOTIFICATIONS, STAFF | OFFICER, 1},
    {LEGALAID__REQUEST__BODY_NOTIFICATIONS_QUERY, STAFF | OPS | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_REDRIVE_NOTIFICATION, STAFF | ADMIN, 0},
    {LEGALAID__REQUEST__BODY_STATION_FETCH, STAFF | STATION | AGENCY, 0},
    /* every deadline passed (legalaidctl overdue, issue 14): names cases
     * and owners, no person's record */
    {LEGALAID__REQUEST__BODY_OVERDUE, STAFF | OFFICER | OPS | ADMIN | EDGE, 0},
};
#define N_ACCESS (sizeof access_table / sizeof access_table[0])

unsigned access_roles(int body_case)
{
    for (unsigned i = 0; i < N_ACCESS; i++)
        if (access_table[i].body == body_case) return access_table[i].roles;
    return 0;
}

int access_reads_person(int body_case)
{
    for (unsigned i = 0; i < N_ACCESS; i++)
        if (access_table[i].body == body_case) return access_table[i].person;
    return 0;
}
