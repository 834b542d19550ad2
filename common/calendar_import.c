/*
 * calendar_import.c - an ImportCalendar's days into a calendar table (see
 * calendar_import.h).
 */
#include "calendar_import.h"

#include "i18n.h"
#include "log.h"
#include "store.h"

int calendar_import_days(turn_t *t, MDB_dbi dbi, const Legalaid__ImportCalendar *in,
                         const calendar_years_t *years, Legalaid__ImportResult **res)
{
    *res = turn_import_result(t, in->n_days);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_days; i++) {
        const Legalaid__CalendarDay *cd = in->days[i];
        const char *field, *msg;
        int64_t day;
        if (calendar_day_check(cd, years, &day, &field, &msg) < 0) {
            turn_import_reject(t, *res, "days", i, field, msg);
            continue;
        }
        int rc = store_put_pb(t->txn, dbi, cd->date, CALENDAR_DATE_LEN, &cd->base, 0);
        if (rc) return rc;
        accepted++;
    }
    (*res)->accepted = accepted;
    return 0;
}

int calendar_import_request(turn_t *t, MDB_dbi dbi, const Legalaid__ImportCalendar *in,
                            const calendar_years_t *years, const char *empty_field, int emit,
                            Legalaid__Reply *reply)
{
    if (in->n_days == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, empty_field,
                  _("the import holds no days"));
        return 0;
    }
    Legalaid__ImportResult *res;
    int rc = calendar_import_days(t, dbi, in, years, &res);
    if (rc) return rc;
    uint32_t accepted = res->accepted;
    if (emit && accepted > 0) {
        Legalaid__CalendarImported *b =
            ARENA_NEW(t->arena, Legalaid__CalendarImported, legalaid__calendar_imported__init);
        b->count = accepted;
        b->has_count = 1;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_CALENDAR_IMPORTED;
        ev->calendar_imported = b;
        if ((rc = turn_emit(t, NULL, ev))) return rc;
    }
    log_info("calendar imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
