/*
 * calendar_import.c - an ImportCalendar's days into a calendar table (see
 * calendar_import.h).
 */
#include "calendar_import.h"

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
