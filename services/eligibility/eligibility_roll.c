/*
 * eligibility_roll.c - the civil-affairs assistance roll (低保, 特困,
 * 低保边缘/低收入; DOMAIN R-ECON-08): table "roll" (keyed hash of the id_number ->
 * RollEntry), imported in chunks with ImportAssistanceRoll, the export's
 * time in meta "roll.exported_at"; and the lookup the rules are given:
 * yes (with the status), no, or unavailable (no export imported, or one
 * older than roll_max_age_days). Unavailable never blocks: the rules then
 * offer the commitment route (art. 41). An export is the whole roll: the first
 * entry accepted from a newer export empties the table, the export's
 * further chunks (same exported_at) add to it, and an export older than
 * the one in use is refused whole.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "clock.h"
#include "eligibility_int.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

#define ROLL_ID_LEN 18
#define ROLL_META_EXPORTED "roll.exported_at"

static MDB_dbi eligibility_roll_dbi;

int eligibility_roll_open(MDB_txn *txn)
{
    return store_table_brief(txn, "roll", &eligibility_roll_dbi);
}

uint64_t eligibility_roll_size(MDB_txn *txn)
{
    return store_count(txn, eligibility_roll_dbi);
}

const char *eligibility_roll_id_problem(const char *id, char norm[19])
{
    static char why[96]; /* valid until the next call: the daemon has one thread */
    const char *problem = check_resident_id(id, clock_now_ms());
    if (problem) {
        snprintf(why, sizeof why, "resident ID number %s", problem);
        return why;
    }
    memcpy(norm, id, 17);
    norm[17] = id[17] == 'x' ? 'X' : id[17];
    norm[18] = '\0';
    return NULL;
}

/* Checks one entry: 0, or -1 with the field and message. */
static int eligibility_roll_check(const Legalaid__RollEntry *e, char norm[19], const char **field,
                                  const char **msg)
{
    *field = "id_number";
    if (!e) {
        *msg = _("the entry is empty");
        return -1;
    }
    if ((*msg = eligibility_roll_id_problem(e->id_number, norm))) return -1;
    if (!e->has_status || e->status < LEGALAID__ROLL_STATUS__DIBAO ||
        e->status > LEGALAID__ROLL_STATUS__LOW_INCOME) {
        *field = "status";
        *msg =
            _("the status is required: dibao (低保), tekun (特困) or low_income (低保边缘/低收入)");
        return -1;
    }
    if (e->has_valid_until && e->valid_until < 0) {
        *field = "valid_until";
        *msg = _("valid_until is before 1970");
        return -1;
    }
    if (e->region && strlen(e->region) > 200) {
        *field = "region";
        *msg = _("the region is longer than 200 bytes");
        return -1;
    }
    return 0;
}

int eligibility_roll_import(turn_t *t, const Legalaid__ImportAssistanceRoll *in,
                            Legalaid__Reply *reply)
{
    if (in->n_entries == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_assistance_roll.entries",
                  _("the import holds no roll entries"));
        return 0;
    }
    if (!in->has_exported_at || in->exported_at <= 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_assistance_roll.exported_at",
                  _("exported_at is required: when civil affairs produced the export decides "
                    "whether the roll is current (roll_max_age_days)"));
        return 0;
    }
    if (in->exported_at > t->now + MS_PER_DAY) {
        char when[CLOCK_TEXT_MAX];
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_assistance_roll.exported_at",
                  _("exported_at %s is in the future"), clock_local_text(in->exported_at, when));
        return 0;
    }
    uint64_t current;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), ROLL_META_EXPORTED, &current);
    if (rc) return rc;
    if ((uint64_t)in->exported_at < current) {
        char when[CLOCK_TEXT_MAX], now_in_use[CLOCK_TEXT_MAX];
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "import_assistance_roll.exported_at",
                  _("this export (%s) is older than the roll in use (exported %s): importing it "
                    "would bring back people the newer export no longer lists"),
                  clock_local_text(in->exported_at, when),
                  clock_local_text((int64_t)current, now_in_use));
        return 0;
    }
    /* An export is the whole roll: a newer one replaces it (people who left
     * assistance are no longer listed); its chunks share exported_at. */
    int replace = (uint64_t)in->exported_at > current;
    Legalaid__ImportResult *res = turn_import_result(t, in->n_entries);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_entries; i++) {
        const Legalaid__RollEntry *e = in->entries[i];
        char norm[ROLL_ID_LEN + 1];
        const char *field, *msg;
        if (eligibility_roll_check(e, norm, &field, &msg) < 0) {
            turn_import_reject(t, res, "entries", i, field, msg);
            continue;
        }
        if (replace) {
            rc = store_rc(mdb_drop(t->txn, eligibility_roll_dbi, 0));
            if (rc) return rc;
            replace = 0;
        }
        Legalaid__RollEntry copy = *e;
        copy.id_number = norm;
        unsigned char key[SEAL_HASH_LEN];
        rc = store_put_pb(t->txn, eligibility_roll_dbi, key,
                          store_hash(t->txn, "id_number", norm, ROLL_ID_LEN, key), &copy.base, 0);
        if (rc) return rc;
        accepted++;
    }
    res->accepted = accepted;
    if (accepted > 0) {
        rc =
            store_put_u64(t->txn, daemon_meta(t->d), ROLL_META_EXPORTED, (uint64_t)in->exported_at);
        if (rc) return rc;
        Legalaid__AssistanceRollImported *b = ARENA_NEW(t->arena, Legalaid__AssistanceRollImported,
                                                        legalaid__assistance_roll_imported__init);
        b->count = accepted;
        b->has_count = 1;
        b->roll_size = eligibility_roll_size(t->txn);
        b->has_roll_size = 1;
        b->exported_at = in->exported_at;
        b->has_exported_at = 1;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_ASSISTANCE_ROLL_IMPORTED;
        ev->assistance_roll_imported = b;
        rc = turn_emit(t, NULL, ev);
        if (rc) return rc;
    }
    log_info("assistance roll imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}

int eligibility_roll_lookup(turn_t *t, const Legalaid__Person *person, Legalaid__RollAnswer *answer,
                            Legalaid__RollStatus *status)
{
    *answer = LEGALAID__ROLL_ANSWER__ROLL_UNAVAILABLE;
    *status = LEGALAID__ROLL_STATUS__ROLL_STATUS_UNSPECIFIED;
    uint64_t exported;
    int rc = store_get_u64(t->txn, daemon_meta(t->d), ROLL_META_EXPORTED, &exported);
    if (rc) return rc;
    /* No export, or a stale one: the roll cannot answer (never blocks). */
    if (exported == 0 ||
        t->now - (int64_t)exported > eligibility_config.roll_max_age_days * MS_PER_DAY)
        return 0;
    /* Without an ID number the roll cannot be consulted. */
    if (!person || !person->id_number || !person->id_number[0]) return 0;
    *answer = LEGALAID__ROLL_ANSWER__ROLL_NO;
    /* The roll lists resident ID numbers only. */
    if (person->has_id_type && person->id_type != LEGALAID__ID_TYPE__RESIDENT_ID &&
        person->id_type != LEGALAID__ID_TYPE__ID_TYPE_UNSPECIFIED)
        return 0;
    char norm[ROLL_ID_LEN + 1];
    if (eligibility_roll_id_problem(person->id_number, norm)) return 0;
    Legalaid__RollEntry *e;
    unsigned char key[SEAL_HASH_LEN];
    rc = store_get_pb(t->txn, eligibility_roll_dbi, key,
                      store_hash(t->txn, "id_number", norm, ROLL_ID_LEN, key),
                      &legalaid__roll_entry__descriptor, &t->arena->pb, (ProtobufCMessage **)&e);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    /* A status that has lapsed no longer shows hardship. */
    if (e->has_valid_until && e->valid_until > 0 && e->valid_until < t->now) return 0;
    *answer = LEGALAID__ROLL_ANSWER__ROLL_YES;
    *status = e->status;
    return 0;
}
