/*
 * intake.c - the intake service's entry points: the request switch, the
 * GetApplication query, the apply of the three upstream streams, the
 * status counters and the service table. Each file's job, by floor
 * (a file calls only files of its own floor or below, never in a circle):
 *
 * entry points
 *   intake.c            requests to their step; eligibility's, dispatch's
 *                       and the roster's events to theirs; counters
 *   main.c              the daemon's main and man page
 * steps
 *   intake_submit.c     SubmitApplication: checks, duplicate link
 *                       (R-APP-02), late custody forward (art. 39), case
 *                       number, ApplicationReceived / DefenceNotification
 *   intake_materials.c  SupplyMaterials (art. 43(2)); the merge of
 *                       documents a linked duplicate reuses
 *   intake_withdraw.c   WithdrawApplication
 *   intake_consult.c    RecordConsultation (art. 23)
 *   intake_outcome.c    eligibility's decisions: close or re-open a case
 *   intake_dispatch.c   dispatch's conclusion and termination close a case
 *   intake_duty.c       the roster's custody forwards, submitted as above
 *   intake_validate.c   the checks of an application, a consultation and
 *                       a supply (pure; intake_validate.h)
 *   intake_person.c     the checks of a person and its documents (pure)
 *   intake_problem.c    the problem a check reports, and its reply
 * tables
 *   intake_cases_query.c  CasesQuery and PersonCasesQuery: the case finder
 *   intake_cases_follow.c the finder's rows kept as cases move (steps)
 *   intake_cases.c      the finder's rows and index (intake_cases.h)
 *   intake_store.c      the configuration and table handles, the tables
 *                       (layouts in intake_int.h): applications, the
 *                       open-cases and open-notices indexes, withdrawn,
 *                       closed, reopened, numbering and counters
 *
 * Headers: intake.h (the service), intake_int.h (what the files share),
 * intake_validate.h (the checks, which unit tests include).
 */
#include "intake.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "intake_cases.h"
#include "intake_int.h"
#include "store.h"
#include "i18n.h"

static int intake_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    int rc = intake_store_open(txn);
    return rc ? rc : intake_cases_open(txn);
}

static int intake_get(turn_t *t, const Legalaid__GetApplication *g, Legalaid__Reply *reply)
{
    if (!g->case_id || !g->case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "get_application.case_id",
                  _("case_id is required"));
        return 0;
    }
    Legalaid__Application *a;
    int rc = intake_store_application_load(t, g->case_id, &a);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "get_application.case_id",
                  _("no application with case number %s"), g->case_id);
        return 0;
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_APPLICATION;
    reply->application = a;
    return 0;
}

static int intake_handle(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    switch (req->body_case) {
    case LEGALAID__REQUEST__BODY_SUBMIT_APPLICATION:
        return intake_submit(t, req->submit_application, reply);
    case LEGALAID__REQUEST__BODY_GET_APPLICATION:
        return intake_get(t, req->get_application, reply);
    case LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS:
        return intake_materials_supply(t, req->supply_materials, reply);
    case LEGALAID__REQUEST__BODY_WITHDRAW_APPLICATION:
        return intake_withdraw(t, req->withdraw_application, reply);
    case LEGALAID__REQUEST__BODY_IMPORT_HISTORY:
        return intake_history_import(t, req->import_history, reply);
    case LEGALAID__REQUEST__BODY_RECORD_CONSULTATION:
        return intake_consult(t, req->record_consultation, reply);
    case LEGALAID__REQUEST__BODY_CASES:
        return intake_cases_query(t, req->cases, reply);
    case LEGALAID__REQUEST__BODY_PERSON_CASES:
        return intake_cases_query_person(t, req->person_cases, reply);
    default:
        turn_fail(t, reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  _("intake takes submit_application, get_application, supply_materials, "
                  "withdraw_application, record_consultation, cases and person_cases, not "
                  "request body %d"),
                  (int)req->body_case);
        return 0;
    }
}

static int intake_counters(turn_t *t, Legalaid__StreamStatus *st)
{
    static const Legalaid__ConsultationChannel channels[] = {
        LEGALAID__CONSULTATION_CHANNEL__VISIT, LEGALAID__CONSULTATION_CHANNEL__BY_TELEPHONE,
        LEGALAID__CONSULTATION_CHANNEL__LETTER, LEGALAID__CONSULTATION_CHANNEL__INTERNET};
    uint64_t n;
    turn_counter(t, st, "applications", store_count(t->txn, intake_applications));
    turn_counter(t, st, "withdrawn", store_count(t->txn, intake_withdrawn));
    turn_counter(t, st, "closed", store_count(t->txn, intake_closed));
    int rc = store_get_u64(t->txn, daemon_meta(t->d), "count.linked", &n);
    if (rc) return rc;
    turn_counter(t, st, "linked_duplicates", n);
    turn_counter(t, st, "consultations", store_count(t->txn, intake_consultations));
    for (size_t i = 0; i < sizeof channels / sizeof channels[0]; i++) {
        const char *name = intake_consult_channel_name(channels[i]);
        char key[64], label[64];
        snprintf(key, sizeof key, "count.consultations.%s", name);
        snprintf(label, sizeof label, "consultations_%s", name);
        if ((rc = store_get_u64(t->txn, daemon_meta(t->d), key, &n))) return rc;
        turn_counter(t, st, label, n);
    }
    return 0;
}

static const char *const intake_upstreams[] = {"eligibility", "dispatch", "roster", NULL};
/* The daemons whose upstreams name this stream (fetch.c keeps positions for
 * them only). */
static const char *const intake_consumers[] = {"eligibility", "notify", NULL};

/* Each upstream's events to the step that applies them: the roster's
 * custody forwards (intake_duty.c), dispatch's endings
 * (intake_dispatch.c), eligibility's decisions (intake_outcome.c). */
static int intake_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    if (strcmp(upstream, "roster") == 0) return intake_duty_apply(t, ev);
    int rc = strcmp(upstream, "dispatch") == 0 ? intake_dispatch_apply(t, ev)
                                                : intake_outcome_apply(t, ev);
    /* The deadlines an event sets and meets, for the finder's overdue. */
    return rc ? rc : intake_cases_follow_deadlines(t, ev);
}

static const int intake_queries[] = {LEGALAID__REQUEST__BODY_GET_APPLICATION,
                                     LEGALAID__REQUEST__BODY_CASES,
                                     LEGALAID__REQUEST__BODY_PERSON_CASES, 0};

const service_t intake_service = {
    .name = "intake",
    .upstreams = intake_upstreams,
    .consumers = intake_consumers,
    .config_keys = intake_config_keys,
    .config = &intake_config,
    .queries = intake_queries,
    .open = intake_open,
    .handle = intake_handle,
    .apply = intake_apply,
    .counters = intake_counters,
};
