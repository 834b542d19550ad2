/*
 * dispatch_intern_supervisor.c - who may supervise an intern: a practising
 * lawyer (not a grassroots worker, volunteer or centre staff) of the
 * place's own firm, active in the pool dispatch keeps, with no
 * disciplinary record and intern_supervisor_years of practice since the
 * licence date (全国律协《申请律师执业人员实习管理规则》; the years are
 * configuration, DOMAIN [VERIFY]). Asked at a place's import and again at
 * every round of the match, since the pool changes between them.
 */
#include <string.h>

#include "dispatch_int.h"
#include "i18n.h"
#include "store.h"

const char *dispatch_intern_supervisor_unfit(turn_t *t, const char *lawyer_id, const char *firm,
                                             Legalaid__Lawyer **lawyer, int *err)
{
    *err = 0;
    Legalaid__Lawyer *l = NULL;
    if (lawyer) *lawyer = NULL;
    if (!lawyer_id || !lawyer_id[0] || strlen(lawyer_id) > LA_CASE_ID_MAX)
        return N_("names no lawyer of the pool");
    int rc = dispatch_pool_lawyer_get(t, lawyer_id, &l);
    if (rc == MDB_NOTFOUND || (!rc && !l)) return N_("is not a lawyer of the pool");
    if (rc) {
        *err = rc;
        return N_("could not be read");
    }
    if (lawyer) *lawyer = l;
    if (l->has_kind && l->kind != LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER &&
        l->kind != LEGALAID__PROVIDER_KIND__PROVIDER_UNSPECIFIED)
        return N_("is not a practising lawyer (a grassroots worker, volunteer or centre staff)");
    if (l->has_status && l->status != LEGALAID__LAWYER_STATUS__ACTIVE)
        return N_("is not active in the pool (suspended or left)");
    if (!l->firm || !firm || strcmp(l->firm, firm) != 0) return N_("is not a lawyer of this firm");
    if (l->disciplinary_record) return N_("has a disciplinary record");
    int64_t since = l->licence_date ? dispatch_time_date_ms(l->licence_date) : -1;
    if (since < 0 ||
        dispatch_time_years_between(since, t->now) < dispatch_config.intern_supervisor_years)
        return N_("has practised fewer years than intern_supervisor_years");
    return NULL;
}
