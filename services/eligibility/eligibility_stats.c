/*
 * eligibility_stats.c - what eligibility counts for the reports (common/
 * stats.h, issue 14), in the transaction of the change counted:
 *
 *   applications    on the day received: kind, category, channel, centre,
 *                   county, station, priority group, source (live/history)
 *   decisions       each outcome a case is given, on the day decided:
 *                   outcome, kind, means path, and for a refusal the test
 *                   it failed (scope, means ...)
 *   aided_cases     on the day aid is first granted (art. 43: the decision
 *                   to give aid), once a case: the dimensions of applications
 *                   and the means path
 *                   with the persons aided by that case as its sum (the
 *                   applicant and, for an imported case, the others it
 *                   recorded): the bureau's 受援人次, each person once a case
 *   aided_distinct  each person once a calendar year, by a keyed hash of the
 *                   ID number (store_hash), never the number itself
 *
 * A store from before the statistics is counted once at open from its
 * records (eligibility_stats_fill): its applications, and the aid granted
 * by the decision each case holds now.
 */
#include <string.h>

#include "eligibility_int.h"
#include "store.h"

static MDB_dbi eligibility_stats_dbi, eligibility_stats_apps, eligibility_stats_decisions;

static int eligibility_stats_granted(Legalaid__Outcome o)
{
    return o == LEGALAID__OUTCOME__APPROVED || o == LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION;
}

/* The dimensions of an application, as the reports break cases down. */
static void eligibility_stats_case_dims(arena_t *a, const Legalaid__Application *app,
                                        stats_dims_t *ds)
{
    stats_dim(ds, "kind", stats_case_kind(app->category, app->history));
    stats_dim(ds, "category",
              stats_code(a, &legalaid__matter_category__descriptor, (int)app->category));
    stats_dim(ds, "channel", stats_code(a, &legalaid__channel__descriptor, (int)app->channel));
    stats_dim(ds, "centre", app->centre);
    stats_dim(ds, "county", app->county);
    stats_dim(ds, "station", app->station);
    stats_dim(ds, "source", app->history ? "history" : "live");
    if (!app->n_groups) stats_dim(ds, "group", "none");
    for (size_t i = 0; i < app->n_groups; i++)
        stats_dim(ds, "group", stats_code(a, &legalaid__special_group__descriptor, (int)app->groups[i]));
}

static int eligibility_stats_application(MDB_txn *txn, arena_t *a, const Legalaid__Application *app,
                                         int64_t now)
{
    stats_dims_t ds = {.n = 0};
    eligibility_stats_case_dims(a, app, &ds);
    return stats_add(txn, eligibility_stats_dbi, "applications",
                     app->has_received_at && app->received_at ? app->received_at : now, 1, 0, &ds);
}

/* Counts person once this year when new; 0 or a store error. */
static int eligibility_stats_person(MDB_txn *txn, const Legalaid__Person *p, int64_t at,
                                    const stats_dims_t *ds)
{
    if (!p || !p->id_number || !p->id_number[0]) return 0;
    unsigned char h[SEAL_HASH_LEN];
    size_t n = store_hash(txn, "aided-person", p->id_number, strlen(p->id_number), h);
    int rc = stats_first_in_year(txn, eligibility_stats_dbi, "aided", at, h, n);
    if (rc <= 0) return rc;
    return stats_add(txn, eligibility_stats_dbi, "aided_distinct", at, 1, 0, ds);
}

/* The case and its persons, aided from d's decision on. */
static int eligibility_stats_aid(MDB_txn *txn, arena_t *a, const Legalaid__Application *app,
                                 const Legalaid__Decision *d)
{
    int64_t at = d->decided_at;
    stats_dims_t ds = {.n = 0};
    eligibility_stats_case_dims(a, app, &ds);
    stats_dim(&ds, "means_path", stats_code(a, &legalaid__means_path__descriptor, (int)d->means_path));
    size_t also = app->history ? app->history->n_also_aided : 0;
    /* The case counted, its persons (受援人次) its sum. */
    int rc = stats_add(txn, eligibility_stats_dbi, "aided_cases", at, 1, (int64_t)(1 + also), &ds);
    stats_dims_t kind = {.n = 0};
    stats_dim(&kind, "kind", stats_case_kind(app->category, app->history));
    if (!rc) rc = eligibility_stats_person(txn, app->applicant, at, &kind);
    for (size_t i = 0; !rc && i < also; i++)
        rc = eligibility_stats_person(txn, app->history->also_aided[i], at, &kind);
    return rc;
}

static int eligibility_stats_outcome(MDB_txn *txn, arena_t *a, const Legalaid__Decision *d)
{
    stats_dims_t ds = {.n = 0};
    stats_dim(&ds, "outcome", stats_code(a, &legalaid__outcome__descriptor, (int)d->outcome));
    stats_dim(&ds, "kind", stats_case_kind(d->category, d->history));
    stats_dim(&ds, "means_path", stats_code(a, &legalaid__means_path__descriptor, (int)d->means_path));
    if (d->outcome == LEGALAID__OUTCOME__REFUSED) {
        const char *failed = NULL;
        for (size_t i = 0; i < d->n_tests && !failed; i++)
            if (d->tests[i] && !d->tests[i]->passed) failed = d->tests[i]->name;
        stats_dim(&ds, "refusal", failed);
    }
    return stats_add(txn, eligibility_stats_dbi, "decisions", d->decided_at, 1, 0, &ds);
}

void eligibility_stats_open(MDB_dbi stats, MDB_dbi applications, MDB_dbi decisions)
{
    eligibility_stats_dbi = stats;
    eligibility_stats_apps = applications;
    eligibility_stats_decisions = decisions;
}

int eligibility_stats_received(turn_t *t, const Legalaid__Application *app)
{
    return eligibility_stats_application(t->txn, t->arena, app, t->now);
}

int eligibility_stats_decided(turn_t *t, const Legalaid__Decision *prior, const Legalaid__Decision *d)
{
    int rc = 0;
    if (!prior || prior->outcome != d->outcome) rc = eligibility_stats_outcome(t->txn, t->arena, d);
    if (rc || !eligibility_stats_granted(d->outcome)) return rc;
    /* Once a case, however often aid is granted again (art. 49). */
    rc = eligibility_mark_get(t, ELIGIBILITY_MARK_AIDED, d->case_id, NULL, NULL);
    if (rc != MDB_NOTFOUND) return rc;
    Legalaid__Application *app;
    rc = store_get_pb(t->txn, eligibility_stats_apps, d->case_id, strlen(d->case_id),
                      &legalaid__application__descriptor, &t->arena->pb, (ProtobufCMessage **)&app);
    if (rc == MDB_NOTFOUND) return 0;
    if (!rc) rc = eligibility_mark_set(t, ELIGIBILITY_MARK_AIDED, d->case_id, "");
    if (!rc) rc = eligibility_stats_aid(t->txn, t->arena, app, d);
    return rc;
}

/* One case of an older store: its application and, when its decision
 * grants aid or ended aid once granted, the aid. */
static int eligibility_stats_fill_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    arena_t *a = ctx;
    const Legalaid__Application *app = (const Legalaid__Application *)m;
    if (!app->case_id) return 0;
    int rc = eligibility_stats_application(txn, a, app, 0);
    Legalaid__Decision *d = NULL;
    if (!rc)
        rc = store_get_pb(txn, eligibility_stats_decisions, app->case_id, strlen(app->case_id),
                          &legalaid__decision__descriptor, &a->pb, (ProtobufCMessage **)&d);
    if (rc == MDB_NOTFOUND) rc = 0;
    if (!rc && d && d->has_decided_at) rc = eligibility_stats_outcome(txn, a, d);
    if (!rc && d &&
        (eligibility_stats_granted(d->outcome) || d->outcome == LEGALAID__OUTCOME__TERMINATED))
        rc = eligibility_stats_aid(txn, a, app, d);
    arena_reset(a);
    return rc;
}

int eligibility_stats_fill(MDB_txn *txn)
{
    arena_t a;
    arena_init(&a);
    int rc = store_each_pb(txn, eligibility_stats_apps, &legalaid__application__descriptor,
                           eligibility_stats_fill_one, &a);
    arena_destroy(&a);
    return rc;
}
