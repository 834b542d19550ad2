/*
 * intake_submit.c - SubmitApplication: validates, links a duplicate to the
 * open case (R-APP-02), flags a late custody forward (art. 39), gives the
 * case number CENTRE-YEAR-NNNNNN (per centre and year, without gaps: the
 * counter moves in the same transaction as the application it numbers),
 * stores it, publishes ApplicationReceived or DefenceNotificationReceived,
 * and replies with the receipt of the materials (申请材料接收凭证).
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "intake_cases.h"
#include "intake_int.h"
#include "log.h"
#include "store.h"
#include "i18n.h"

/* Art. 39: a facility, court or duty lawyer forwards within 24 hours. */
#define CUSTODY_FORWARD_LIMIT_MS (24 * MS_PER_HOUR)

/* The art. 31 item a matter kind falls under when the applicant does not
 * say: a labour matter is 31(5) (labour relation, pay), a state
 * compensation claim is 31(1). */
static void intake_scope_default(Legalaid__Application *a)
{
    if (!a->has_category || a->has_scope_item) return;
    if (a->category == LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION) {
        a->has_scope_item = 1;
        a->scope_item = 5;
    } else if (a->category == LEGALAID__MATTER_CATEGORY__STATE_COMPENSATION) {
        a->has_scope_item = 1;
        a->scope_item = 1;
    }
}

/* Upper-case letters, so that "...x" and "...X", "h1234..." and "H1234..."
 * are the same person. */
static void intake_id_normalize(turn_t *t, Legalaid__Person *p)
{
    if (!p || !p->id_number) return;
    char *s = arena_strdup(t->arena, p->id_number);
    for (char *c = s; *c; c++)
        if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
    p->id_number = s;
}

/* Drops repeated document names, keeping the first of each. */
static void intake_materials_dedupe(turn_t *t, Legalaid__Application *a)
{
    char **kept = arena_alloc(t->arena, (a->n_materials + 1) * sizeof *kept);
    size_t n = 0;
    for (size_t i = 0; i < a->n_materials; i++) {
        size_t j = 0;
        while (j < n && strcmp(kept[j], a->materials[i]) != 0) j++;
        if (j == n) kept[n++] = a->materials[i];
    }
    a->materials = kept;
    a->n_materials = n;
}

static void intake_reply_accepted(turn_t *t, Legalaid__Reply *reply, const Legalaid__Application *a,
                                  int linked)
{
    Legalaid__ApplicationAccepted *acc =
        ARENA_NEW(t->arena, Legalaid__ApplicationAccepted, legalaid__application_accepted__init);
    acc->case_id = a->case_id;
    acc->received_at = a->received_at;
    acc->has_received_at = 1;
    if (linked) acc->has_linked = acc->linked = 1;
    acc->materials_received = a->materials;
    acc->n_materials_received = a->n_materials;
    reply->body_case = LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED;
    reply->application_accepted = acc;
}

/* R-APP-02: the same person with an open case on the same matter (kind,
 * art. 31 item, opposing party) is not opened twice; the reply names the
 * open case. Documents handed in with the new application join the open
 * case as a SupplyMaterials would (art. 43(2)): stored once each, with
 * MaterialsSupplemented published when any is new; the receipt lists all
 * documents of the case. Nothing else is stored, published or numbered.
 * Returns 1 when linked (or failed: too many documents), 0 when not, or a
 * store error. An authority's notification is linked only when it is the
 * same notice sent again (the same authority, reference and person, under
 * a new request id): each stage's notice (police, procuratorate, court)
 * has its own authority and reference and needs its own appointment
 * within 3 days (art. 36). */
static int intake_duplicate_link(turn_t *t, const Legalaid__Application *a, Legalaid__Reply *reply)
{
    int notice = a->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    char *case_id;
    int rc =
        notice ? intake_store_notice_get(t, a, &case_id) : intake_store_open_get(t, a, &case_id);
    if (rc || !case_id) return rc;
    if ((rc = intake_store_withdrawn_is(t, case_id)) != 0) return rc < 0 ? rc : 0;
    Legalaid__Application *open;
    rc = intake_store_application_load(t, case_id, &open);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    Legalaid__MaterialsSupplemented *m = ARENA_NEW(t->arena, Legalaid__MaterialsSupplemented,
                                                   legalaid__materials_supplemented__init);
    size_t held = open->n_materials;
    if (intake_materials_merge(t, open, a->materials, a->n_materials, m) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "application.materials",
                  _("this application joins the open case %s, which holds %zu documents; these "
                  "would make more than %d"),
                  case_id, held, INTAKE_MATERIALS_MAX);
        return 1;
    }
    if (m->n_materials > 0 && (rc = intake_materials_publish(t, open, m))) return rc;
    rc = intake_store_count_add(t, "count.linked");
    if (rc) return rc;
    log_info("case %s: %s is linked to it (documents added: %zu)", case_id,
             notice ? "the authority's notice, sent again with the same reference,"
                    : "a new application of the same person and matter",
             m->n_materials);
    intake_reply_accepted(t, reply, open, 1);
    return 1;
}

/* The person's cases (by a keyed hash of the ID number) and, for a live
 * case, the open-cases index the duplicate check reads (R-APP-02). */
static int intake_index_put(turn_t *t, const Legalaid__Application *a)
{
    const char *id = a->applicant->id_number;
    if (!id || !id[0]) return 0;
    size_t clen = strlen(a->case_id);
    unsigned char *bk = arena_alloc(t->arena, SEAL_HASH_LEN + clen);
    size_t hl = store_hash(t->txn, "id_number", id, strlen(id), bk);
    memcpy(bk + hl, a->case_id, clen);
    MDB_val kv = {hl + clen, bk}, vv = {0, ""};
    int rc = store_rc(mdb_put(t->txn, intake_by_applicant, &kv, &vv, 0));
    if (rc || a->history) return rc;
    size_t klen;
    char *key = intake_store_open_key(t, a, &klen);
    MDB_val ok = {klen, key}, ov = {clen, a->case_id};
    return store_rc(mdb_put(t->txn, intake_open_cases, &ok, &ov, 0));
}

static int intake_publish(turn_t *t, Legalaid__Application *a)
{
    Legalaid__Event *ev = turn_event(t);
    if (a->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE) {
        Legalaid__DefenceNotificationReceived *b =
            ARENA_NEW(t->arena, Legalaid__DefenceNotificationReceived,
                      legalaid__defence_notification_received__init);
        b->application = a;
        ev->body_case = LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED;
        ev->defence_notification_received = b;
    } else {
        Legalaid__ApplicationReceived *b = ARENA_NEW(t->arena, Legalaid__ApplicationReceived,
                                                     legalaid__application_received__init);
        b->application = a;
        ev->body_case = LEGALAID__EVENT__BODY_APPLICATION_RECEIVED;
        ev->application_received = b;
    }
    return turn_emit(t, a->case_id, ev);
}

void intake_submit_prepare(turn_t *t, Legalaid__Application *a)
{
    intake_id_normalize(t, a->applicant);
    if (a->proxy) intake_id_normalize(t, a->proxy->person);
    /* Dispatch's conflict check compares co-defendants' ID numbers. */
    for (size_t i = 0; i < a->n_co_defendants; i++) intake_id_normalize(t, a->co_defendants[i]);
    if (a->history)
        for (size_t i = 0; i < a->history->n_also_aided; i++)
            intake_id_normalize(t, a->history->also_aided[i]);
    intake_materials_dedupe(t, a);
}

int intake_submit_keep(turn_t *t, Legalaid__Application *a, const char *centre)
{
    a->centre = arena_strdup(t->arena, centre);
    int year;
    uint64_t n;
    /* A case of the previous system is numbered in its year's own history
     * sequence, CENTRE-YEAR-Hnnnnnn, never clashing with a live number. */
    int rc = a->history
                 ? intake_store_number_history(t, "caseno-history", centre, a->received_at, &year, &n)
                 : intake_store_number_take(t, "caseno", centre, a->received_at, &year, &n);
    if (rc) return rc;
    a->case_id = arena_printf(t->arena, a->history ? "%s-%d-H%06llu" : "%s-%d-%06llu", centre, year,
                              (unsigned long long)n);
    rc = store_put_pb(t->txn, intake_applications, a->case_id, strlen(a->case_id), &a->base,
                      MDB_NOOVERWRITE);
    if (!rc) rc = intake_index_put(t, a);
    if (!rc && !a->history) rc = intake_store_notice_put(t, a);
    if (!rc) rc = intake_cases_follow_received(t, a);
    if (!rc) rc = intake_publish(t, a);
    return rc;
}

int intake_submit(turn_t *t, const Legalaid__SubmitApplication *s, Legalaid__Reply *reply)
{
    Legalaid__Application *a = s->application;
    intake_problem_t pb;
    if (a) intake_scope_default(a);
    if (intake_validate_application(a, intake_config.centres, t->now, &pb) < 0) {
        intake_problem_reply(t, reply, &pb);
        return 0;
    }
    /* A desk forwards what it took (its station); an agency's system sends
     * its own authority's notices (art. 35-36). */
    if (turn_refuse_binding(t, reply, a->station, NULL, a->authority ? a->authority->name : NULL,
                            a->authority ? "application.authority.name" : "application.station"))
        return 0;
    char centre[32];
    if (a->centre) {
        snprintf(centre, sizeof centre, "%s", a->centre);
    } else if (intake_store_default_centre(centre, sizeof centre) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INTERNAL, "centre", _("no default centre configured"));
        return 0;
    }
    if (!a->has_received_at) {
        a->received_at = t->now;
        a->has_received_at = 1;
    }
    if (a->channel != LEGALAID__CHANNEL__AUTHORITY_NOTICE && !a->has_applicant_role) {
        a->has_applicant_role = 1;
        a->applicant_role = LEGALAID__APPLICANT_ROLE__SELF;
    }
    intake_submit_prepare(t, a);

    int rc = intake_duplicate_link(t, a, reply);
    if (rc) return rc < 0 ? rc : 0;

    int late = a->channel == LEGALAID__CHANNEL__CUSTODY_FORWARD &&
               a->received_at - a->custody_received_at > CUSTODY_FORWARD_LIMIT_MS;
    if (late) a->has_custody_forward_late = a->custody_forward_late = 1;

    rc = intake_submit_keep(t, a, centre);
    if (rc) return rc;
    /* The centre must see a forward that took longer than the law allows;
     * it is the facility's delay, not the applicant's. */
    if (late)
        log_warn("case %s: forwarded from custody %lld h after the facility received it "
                 "(art. 39: within 24 h)",
                 a->case_id, (long long)((a->received_at - a->custody_received_at) / MS_PER_HOUR));
    intake_reply_accepted(t, reply, a, 0);
    return 0;
}
