/*
 * eligibility_calendar.c - the holiday calendar and the day count of
 * deadlines (see eligibility_calendar.h for why deadlines read the
 * calendar through the current turn's transaction).
 */
#include "eligibility_calendar.h"

#include "calendar_import.h"
#include "calendar_period.h"
#include "eligibility_int.h"
#include "store.h"

static MDB_dbi eligibility_calendar_dbi;
static MDB_txn *eligibility_calendar_txn;

int eligibility_calendar_open(MDB_txn *txn)
{
    return store_table(txn, "calendar", &eligibility_calendar_dbi);
}

void eligibility_calendar_use(MDB_txn *txn)
{
    eligibility_calendar_txn = txn;
}

uint64_t eligibility_calendar_size(MDB_txn *txn)
{
    return store_count(txn, eligibility_calendar_dbi);
}

int64_t eligibility_calendar_days_end(int64_t start_ms, long long days)
{
    calendar_period_t c = {eligibility_calendar_txn, eligibility_calendar_dbi,
                           eligibility_config.weekend_is_rest_day};
    return calendar_period_end(&c, start_ms, days);
}

static const calendar_years_t eligibility_calendar_years = {
    1970, 2200, "the year is not one a deadline can fall in (1970-2200)"};

int eligibility_calendar_import(turn_t *t, const Legalaid__ImportCalendar *in,
                                Legalaid__Reply *reply)
{
    return calendar_import_request(t, eligibility_calendar_dbi, in, &eligibility_calendar_years,
                                   "import_calendar.days", 1, reply);
}
