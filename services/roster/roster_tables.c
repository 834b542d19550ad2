/*
 * roster_tables.c - the ground floor every roster file stands on: the
 * configuration ([roster] keys and roster_config), the LMDB handles of the
 * roster's tables (their key layouts: roster_int.h) and their opening, and
 * the gapless counters of the daemon's meta table that number leaves,
 * swaps and duty requests. Calls no other roster file.
 */
#include <stddef.h>

#include "roster_int.h"
#include "store.h"

roster_config_t roster_config;

#define OFF(f) offsetof(roster_config_t, f)
const cfg_key_t roster_config_keys[] = {
    {"min_rest_minutes", CFG_INT, "720", 0, 2880, OFF(min_rest_minutes),
     "rest between two shifts of one lawyer in a generated schedule, a swap or a replacement"},
    {"checkin_grace_minutes", CFG_INT, "15", 1, 240, OFF(checkin_grace_minutes),
     "the A post not checked in this long after the start: the B post is activated"},
    {"backup_grace_minutes", CFG_INT, "30", 1, 240, OFF(backup_grace_minutes),
     "the B post not checked in this long after its activation: a coverage gap"},
    {"checkin_early_minutes", CFG_INT, "60", 0, 240, OFF(checkin_early_minutes),
     "a check-in is accepted this long before the shift starts"},
    {"request_ack_minutes", CFG_INT, "30", 1, 1440, OFF(request_ack_minutes),
     "a duty request not acknowledged this long: A -> B -> the centre"},
    {"detention_answer_hours", CFG_INT, "24", 1, 72, OFF(detention_answer_hours),
     "a detention-centre request is answered within (S5 art. 49, DOMAIN T-07)"},
    {"share_band_permille", CFG_INT, "50", 0, 1000, OFF(share_band_permille),
     "a firm's posts in a schedule may stray this many per mille from its share"},
    {"meeting_slot_minutes", CFG_INT, "30", 5, 480, OFF(meeting_slot_minutes),
     "length of a meeting slot at a station"},
    {"meeting_capacity", CFG_INT, "2", 1, 100, OFF(meeting_capacity),
     "meetings per slot at a station that sets no meeting_capacity of its own"},
    {"max_schedule_days", CFG_INT, "62", 1, 366, OFF(max_schedule_days),
     "the longest period one schedule generation covers"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

MDB_dbi roster_stations, roster_shifts, roster_by_lawyer, roster_agreements, roster_templates,
    roster_calendar, roster_schedules, roster_drafts, roster_leaves, roster_swaps, roster_due,
    roster_requests, roster_meetings, roster_detainee_slots, roster_pool;

int roster_tables_open(daemon_t *d, MDB_txn *txn)
{
    (void)d;
    static const struct {
        const char *name;
        MDB_dbi *dbi;
        /* values hold names, phones, ID numbers (seal.h): 1, or 2 when they
         * are cleared and written again whole (store_table_brief) */
        int sealed;
    } tables[] = {
        {"stations", &roster_stations, 1},
        {"shifts", &roster_shifts, 1},
        {"shifts_by_lawyer", &roster_by_lawyer, 0},
        {"agreements", &roster_agreements, 1},
        {"templates", &roster_templates, 1},
        {"calendar", &roster_calendar, 0},
        {"schedules", &roster_schedules, 1},
        {"drafts", &roster_drafts, 2},
        {"leaves", &roster_leaves, 1},
        {"swaps", &roster_swaps, 1},
        {"due", &roster_due, 0},
        {"requests", &roster_requests, 1},
        {"meetings", &roster_meetings, 0},
        {"detainee_slots", &roster_detainee_slots, 0},
        {"pool", &roster_pool, 1},
    };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        int rc = tables[i].sealed == 2 ? store_table_brief(txn, tables[i].name, tables[i].dbi)
                 : tables[i].sealed    ? store_table_sealed(txn, tables[i].name, tables[i].dbi)
                                       : store_table(txn, tables[i].name, tables[i].dbi);
        if (rc) return rc;
    }
    return 0;
}

int roster_tables_seq_take(turn_t *t, const char *key, uint64_t *n)
{
    uint64_t v;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), key, &v);
    if (rc) return rc;
    *n = v + 1;
    return store_put_u64(t->txn, daemon_meta(t->d), key, *n);
}
