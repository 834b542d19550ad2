/*
 * intake_outcome.c - what intake hears from eligibility: a decision that
 * ends a case (refused, withdrawn, deemed withdrawn for materials not
 * supplied (art. 43(2)), aid terminated (art. 48)) takes it out of the
 * open-cases index and marks it closed, so the same person can apply again
 * on that matter and opens a new case (R-APP-02). Any other decision (an
 * approval, a notice of missing materials, an objection corrected under
 * art. 49) makes sure the case is open again.
 */
#include <string.h>

#include "intake_int.h"
#include "log.h"
#include "store.h"

static int intake_outcome_closes(Legalaid__Outcome o)
{
    return o == LEGALAID__OUTCOME__REFUSED || o == LEGALAID__OUTCOME__WITHDRAWN ||
           o == LEGALAID__OUTCOME__DEEMED_WITHDRAWN || o == LEGALAID__OUTCOME__TERMINATED;
}

static int intake_case_close(turn_t *t, const Legalaid__Application *a, Legalaid__Outcome o)
{
    int rc = intake_open_close(t, a);
    if (rc) return rc;
    uint32_t v32 = (uint32_t)o;
    MDB_val k = {strlen(a->case_id), a->case_id}, v = {sizeof v32, &v32};
    rc = store_rc(mdb_put(t->txn, intake_closed, &k, &v, 0));
    const ProtobufCEnumValue *name =
        protobuf_c_enum_descriptor_get_value(&legalaid__outcome__descriptor, (int)o);
    if (!rc)
        log_info("case %s: closed by eligibility (%s); the person may apply again", a->case_id,
                 name ? name->name : "?");
    return rc;
}

static int intake_case_reopen(turn_t *t, const Legalaid__Application *a)
{
    MDB_val k = {strlen(a->case_id), a->case_id};
    int rc = mdb_del(t->txn, intake_closed, &k, NULL);
    int was_closed = rc == 0;
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    /* The applicant's own withdrawal is final: a new application opens a
     * new case. */
    if ((rc = intake_withdrawn_is(t, a->case_id)) != 0) return rc < 0 ? rc : 0;
    char *holder;
    if ((rc = intake_open_put(t, a, &holder))) return rc;
    if (holder)
        log_warn("case %s: open again, but case %s is now the open case of the same person and "
                 "matter; new applications stay linked to %s",
                 a->case_id, holder, holder);
    else if (was_closed)
        log_info("case %s: open again after a new decision of eligibility", a->case_id);
    return 0;
}

int intake_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    (void)upstream;
    if (ev->body_case != LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED) return 0;
    const Legalaid__Decision *d =
        ev->eligibility_decided ? ev->eligibility_decided->decision : NULL;
    const char *case_id = d && d->case_id && d->case_id[0] ? d->case_id : ev->case_id;
    if (!d || !case_id || !case_id[0] || !d->has_outcome)
        return turn_reject(t, "an eligibility decision without a case number or an outcome");
    Legalaid__Application *a;
    int rc = intake_application_load(t, case_id, &a);
    if (rc == MDB_NOTFOUND) {
        /* Intake may have been restored from a backup older than the case. */
        log_warn("eligibility decided case %s, which intake does not hold; nothing to update",
                 case_id);
        return 0;
    }
    if (rc) return rc;
    return intake_outcome_closes(d->outcome) ? intake_case_close(t, a, d->outcome)
                                             : intake_case_reopen(t, a);
}
