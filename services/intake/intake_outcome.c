/*
 * intake_outcome.c - what intake hears from eligibility: a decision that
 * ends a case (refused, withdrawn, deemed withdrawn for materials not
 * supplied (art. 43(2)), aid terminated (art. 48)) takes it out of the
 * open-cases index and marks it closed, so the same person can apply again
 * on that matter and opens a new case (R-APP-02). Any other decision (an
 * approval, a notice of missing materials, an objection corrected under
 * art. 49) makes sure the case is open again, unless dispatch has
 * reported the matter concluded. Dispatch's own endings are applied in
 * intake_dispatch.c, through the same intake_store_case_close.
 */
#include <string.h>

#include "intake_cases.h"
#include "intake_int.h"
#include "log.h"
#include "store.h"

static int intake_outcome_closes(Legalaid__Outcome o)
{
    return o == LEGALAID__OUTCOME__REFUSED || o == LEGALAID__OUTCOME__WITHDRAWN ||
           o == LEGALAID__OUTCOME__DEEMED_WITHDRAWN || o == LEGALAID__OUTCOME__TERMINATED;
}

/* The value of "closed" for case_id, or 0 when it is not closed; a
 * negative store error. */
static int64_t intake_closed_by(turn_t *t, const char *case_id)
{
    MDB_val k = {strlen(case_id), (void *)case_id}, v;
    int rc = mdb_get(t->txn, intake_closed, &k, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    uint32_t by = 0;
    if (v.mv_size == sizeof by) memcpy(&by, v.mv_data, sizeof by);
    return by;
}

static int intake_reopened_set(turn_t *t, const char *case_id, int64_t at)
{
    unsigned char be[8];
    store_be64((uint64_t)at, be);
    MDB_val k = {strlen(case_id), (void *)case_id}, v = {sizeof be, be};
    return store_rc(mdb_put(t->txn, intake_reopened, &k, &v, 0));
}

/* at: when eligibility decided anew (its event's occurred_at). */
static int intake_case_reopen(turn_t *t, const Legalaid__Application *a, int64_t at)
{
    /* A matter concluded in dispatch stays closed whatever eligibility
     * says of the case later (a commitment verified afterwards). */
    int64_t by = intake_closed_by(t, a->case_id);
    if (by < 0) return (int)by;
    if (by == INTAKE_CLOSED_CONCLUDED) return 0;
    MDB_val k = {strlen(a->case_id), a->case_id};
    int rc = mdb_del(t->txn, intake_closed, &k, NULL);
    int was_closed = rc == 0;
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    if (was_closed && (rc = intake_reopened_set(t, a->case_id, at))) return rc;
    /* The applicant's own withdrawal is final: a new application opens a
     * new case. */
    if ((rc = intake_store_withdrawn_is(t, a->case_id)) != 0) return rc < 0 ? rc : 0;
    char *holder;
    if ((rc = intake_store_open_put(t, a, &holder))) return rc;
    if (holder)
        log_warn("case %s: open again, but case %s is now the open case of the same person and "
                 "matter; new applications stay linked to %s",
                 a->case_id, holder, holder);
    else if (was_closed)
        log_info("case %s: open again after a new decision of eligibility", a->case_id);
    return 0;
}

int intake_outcome_apply(turn_t *t, const Legalaid__Event *ev)
{
    if (ev->body_case != LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED) return 0;
    const Legalaid__Decision *d =
        ev->eligibility_decided ? ev->eligibility_decided->decision : NULL;
    const char *case_id = d && d->case_id && d->case_id[0] ? d->case_id : ev->case_id;
    if (!d || !case_id || !case_id[0] || !d->has_outcome)
        return turn_reject(t, "an eligibility decision without a case number or an outcome");
    /* A case of the previous system was closed when imported. */
    if (d->history) return 0;
    Legalaid__Application *a;
    int rc = intake_store_application_load(t, case_id, &a);
    if (rc == MDB_NOTFOUND) {
        /* Intake may have been restored from a backup older than the case. */
        log_warn("eligibility decided case %s, which intake does not hold; nothing to update",
                 case_id);
        return 0;
    }
    if (rc) return rc;
    if ((rc = intake_cases_follow_decided(t, case_id, d->outcome))) return rc;
    if (!intake_outcome_closes(d->outcome)) return intake_case_reopen(t, a, ev->occurred_at);
    const ProtobufCEnumValue *name =
        protobuf_c_enum_descriptor_get_value(&legalaid__outcome__descriptor, (int)d->outcome);
    return intake_store_case_close(
        t, a, (uint32_t)d->outcome,
        arena_printf(t->arena, "eligibility: %s", name ? name->name : "?"));
}
