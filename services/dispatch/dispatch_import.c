/*
 * dispatch_import.c - ImportLawyers: the checks and recruitment criteria
 * of each imported record (each bad record reported by index and field
 * while the good ones go in; nothing of a bad record is written), the
 * "pool.version" mark of dispatch_match.c's in-memory copy, and
 * LawyersImported, which carries the records that went in, trimmed to who
 * they are and their status, for the services that vet against the pool
 * (the roster). After an import the open offers are checked again and the
 * waiting cases offered (dispatch_offer.c).
 *
 * Recruitment (DOMAIN, the city's practice: "no disciplinary record, two
 * or more years of practice"): a lawyer or grassroots legal worker needs
 * min_practice_years since the licence date and no disciplinary record;
 * centre staff need a qualification (Legal Aid Law art. 13); volunteers
 * join for consultation and drafting only (art. 17), which the matching
 * enforces.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dispatch.h"
#include "dispatch_int.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

#define DISPATCH_LIST_MAX 50
#define DISPATCH_CONFLICT_MAX 128 /* a declared conflict: a person or a case reference */

static int dispatch_import_check_date(const char *value, const char *name, const char *id,
                                      int64_t now, const char **field, char *msg, size_t size)
{
    if (!value) return 0;
    const char *why = check_date(value, NULL);
    if (why) return check_fail(field, name, msg, size, _("%s %s (lawyer %s)"), name, why, id);
    if (dispatch_time_date_ms(value) > now)
        return check_fail(field, name, msg, size, _("%s %s is in the future (lawyer %s)"), name,
                          value, id);
    return 0;
}

static int dispatch_import_check_texts(char **v, size_t n, size_t max_len, const char *name,
                                       const char *id, const char **field, char *msg, size_t size)
{
    if (n > DISPATCH_LIST_MAX)
        return check_fail(field, name, msg, size, _("%s has %zu entries; at most %d (lawyer %s)"),
                          name, n, DISPATCH_LIST_MAX, id);
    for (size_t i = 0; i < n; i++)
        if (check_blank(v[i]) || strlen(v[i]) > max_len)
            return check_fail(field, name, msg, size,
                              _("%s[%zu] must be 1 to %zu bytes of text (lawyer %s)"), name, i,
                              max_len, id);
    return 0;
}

/* The fields every record needs, and their shapes. */
static int dispatch_import_check_fields(const Legalaid__Lawyer *l, int64_t now, const char **field,
                                        char *msg, size_t size)
{
    if (check_blank(l->name))
        return check_fail(field, "name", msg, size, _("name is required (lawyer %s)"), l->id);
    if (strlen(l->name) > LA_NAME_MAX)
        return check_fail(field, "name", msg, size, _("name is longer than %d bytes"), LA_NAME_MAX);
    if (check_blank(l->phone))
        return check_fail(field, "phone", msg, size,
                          _("phone is required: the lawyer is told of each offer (lawyer %s)"),
                          l->id);
    const char *why = check_phone(l->phone);
    if (why) return check_fail(field, "phone", msg, size, _("phone %s (lawyer %s)"), why, l->id);
    if (l->firm && strlen(l->firm) > LA_NAME_MAX)
        return check_fail(field, "firm", msg, size, _("firm is longer than %d bytes"), LA_NAME_MAX);
    if (l->county && strlen(l->county) > LA_COUNTY_MAX)
        return check_fail(field, "county", msg, size, _("county is longer than %d bytes"),
                          LA_COUNTY_MAX);
    if (l->has_status &&
        !protobuf_c_enum_descriptor_get_value(&legalaid__lawyer_status__descriptor, (int)l->status))
        return check_fail(field, "status", msg, size,
                          _("status %d is not ACTIVE, SUSPENDED or LEFT (lawyer %s)"),
                          (int)l->status, l->id);
    if (l->has_kind &&
        !protobuf_c_enum_descriptor_get_value(&legalaid__provider_kind__descriptor, (int)l->kind))
        return check_fail(field, "kind", msg, size,
                          _("kind %d is not a lawyer, grassroots legal worker, volunteer or "
                            "staff member (lawyer %s)"),
                          (int)l->kind, l->id);
    if (l->has_capacity && (l->capacity < 1 || l->capacity > DISPATCH_CAPACITY_MAX))
        return check_fail(field, "capacity", msg, size,
                          _("capacity must be 1 to %d open cases, not %u (lawyer %s)"),
                          DISPATCH_CAPACITY_MAX, l->capacity, l->id);
    if (dispatch_import_check_date(l->licence_date, "licence_date", l->id, now, field, msg, size) ||
        dispatch_import_check_date(l->criminal_defence_since, "criminal_defence_since", l->id, now,
                                   field, msg, size) ||
        dispatch_import_check_date(l->left_judicial_office, "left_judicial_office", l->id, now,
                                   field, msg, size))
        return -1;
    for (size_t i = 0; i < l->n_specialties; i++)
        if (l->specialties[i] == LEGALAID__MATTER_CATEGORY__CATEGORY_UNSPECIFIED ||
            !protobuf_c_enum_descriptor_get_value(&legalaid__matter_category__descriptor,
                                                  (int)l->specialties[i]))
            return check_fail(field, "specialties", msg, size,
                              _("specialties[%zu] is not a category of matter (lawyer %s)"), i,
                              l->id);
    for (size_t i = 0; i < l->n_languages; i++)
        if (l->languages[i] == LEGALAID__LANGUAGE__LANGUAGE_UNSPECIFIED ||
            !protobuf_c_enum_descriptor_get_value(&legalaid__language__descriptor,
                                                  (int)l->languages[i]))
            return check_fail(field, "languages", msg, size,
                              _("languages[%zu] is not MANDARIN or MONGOLIAN (lawyer %s)"), i,
                              l->id);
    if (dispatch_import_check_texts(l->counties, l->n_counties, LA_COUNTY_MAX, "counties", l->id,
                                    field, msg, size) ||
        dispatch_import_check_texts(l->conflicts, l->n_conflicts, DISPATCH_CONFLICT_MAX,
                                    "conflicts", l->id, field, msg, size))
        return -1;
    return 0;
}

/* The recruitment criteria of the pool, by kind of provider. */
static int dispatch_import_check_recruitment(const Legalaid__Lawyer *l, int64_t now,
                                             const char **field, char *msg, size_t size)
{
    Legalaid__ProviderKind kind = l->has_kind ? l->kind : LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER;
    if (l->disciplinary_record)
        return check_fail(field, "disciplinary_record", msg, size,
                          _("recruitment: a provider with a disciplinary record may not join the "
                            "pool (lawyer %s)"),
                          l->id);
    if (kind == LEGALAID__PROVIDER_KIND__PROVIDER_STAFF && !l->qualified)
        return check_fail(field, "qualified", msg, size,
                          _("centre staff are assigned only with a lawyer's or legal professional "
                            "qualification (Legal Aid Law art. 13) (lawyer %s)"),
                          l->id);
    if (kind == LEGALAID__PROVIDER_KIND__PROVIDER_UNSPECIFIED ||
        kind == LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER ||
        kind == LEGALAID__PROVIDER_KIND__PROVIDER_GRASSROOTS) {
        if (!l->licence_date)
            return check_fail(field, "licence_date", msg, size,
                              _("licence_date is required: recruitment asks for %lld years of "
                                "practice (lawyer %s)"),
                              dispatch_config.min_practice_years, l->id);
        int64_t years = dispatch_time_years_between(dispatch_time_date_ms(l->licence_date), now);
        if (years < dispatch_config.min_practice_years)
            return check_fail(field, "licence_date", msg, size,
                              _("recruitment: %lld year%s of practice since %s; the pool takes "
                                "%lld or more (lawyer %s)"),
                              (long long)years, years == 1 ? "" : "s", l->licence_date,
                              dispatch_config.min_practice_years, l->id);
    }
    return 0;
}

/* One imported record: 0 when it may join the pool, else -1 with *field
 * and msg saying why. */
static int dispatch_import_check(const Legalaid__Lawyer *l, int64_t now, const char **field,
                                 char *msg, size_t size)
{
    if (!l) return check_fail(field, "id", msg, size, _("the lawyer record is empty"));
    if (check_blank(l->id)) return check_fail(field, "id", msg, size, _("id is required"));
    if (check_key_text(l->id, LA_LAWYER_ID_MAX))
        return check_fail(field, "id", msg, size,
                          _("id must be 1 to %d printable characters without spaces"),
                          LA_LAWYER_ID_MAX);
    if (dispatch_import_check_fields(l, now, field, msg, size)) return -1;
    return dispatch_import_check_recruitment(l, now, field, msg, size);
}

/* The index of an earlier good record of this import with the same id, or -1. */
static long dispatch_import_duplicate(const Legalaid__ImportLawyers *in, const unsigned char *good,
                                      size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (good[j] && strcmp(in->lawyers[j]->id, in->lawyers[i]->id) == 0) return (long)j;
    return -1;
}

static int dispatch_import_version_bump(turn_t *t)
{
    static uint64_t bumps;
    uint64_t v = ((uint64_t)t->now << 16) ^ ++bumps;
    return store_put_u64(t->txn, daemon_meta(t->d), "pool.version", v);
}

/* A record as LawyersImported publishes it: who the provider is and
 * whether the pool takes them now (id, name, firm, phone, status, kind, the
 * defaults filled in), for the services that vet against the pool. */
static Legalaid__Lawyer *dispatch_import_published(turn_t *t, const Legalaid__Lawyer *in)
{
    Legalaid__Lawyer *p = ARENA_NEW(t->arena, Legalaid__Lawyer, legalaid__lawyer__init);
    p->id = in->id;
    p->name = in->name;
    p->firm = in->firm;
    p->phone = in->phone;
    p->has_status = p->has_kind = 1;
    p->status = in->has_status && in->status != LEGALAID__LAWYER_STATUS__STATUS_UNSPECIFIED
                    ? in->status
                    : LEGALAID__LAWYER_STATUS__ACTIVE;
    p->kind = in->has_kind && in->kind != LEGALAID__PROVIDER_KIND__PROVIDER_UNSPECIFIED
                  ? in->kind
                  : LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER;
    return p;
}

int dispatch_import_lawyers(turn_t *t, const Legalaid__ImportLawyers *in, Legalaid__Reply *reply)
{
    if (in->n_lawyers == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_lawyers.lawyers",
                  _("the import holds no lawyers"));
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_lawyers);
    unsigned char *good = arena_alloc(t->arena, in->n_lawyers);
    memset(good, 0, in->n_lawyers);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_lawyers; i++) {
        const char *field;
        char msg[320];
        if (dispatch_import_check(in->lawyers[i], t->now, &field, msg, sizeof msg) < 0) {
            turn_import_reject(t, res, "lawyers", i, field, msg);
            continue;
        }
        long first = dispatch_import_duplicate(in, good, i);
        if (first >= 0) {
            snprintf(msg, sizeof msg, "id %s appears twice in this import (first at index %ld)",
                     in->lawyers[i]->id, first);
            turn_import_reject(t, res, "lawyers", i, "id", msg);
            continue;
        }
        Legalaid__Lawyer l = *in->lawyers[i];
        if (!l.has_status || l.status == LEGALAID__LAWYER_STATUS__STATUS_UNSPECIFIED) {
            l.status = LEGALAID__LAWYER_STATUS__ACTIVE;
            l.has_status = 1;
        }
        if (!l.has_kind || l.kind == LEGALAID__PROVIDER_KIND__PROVIDER_UNSPECIFIED) {
            l.kind = LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER;
            l.has_kind = 1;
        }
        if (!l.has_capacity) {
            l.capacity = (uint32_t)dispatch_config.default_capacity;
            l.has_capacity = 1;
        }
        /* Re-importing an id updates the record; its load is kept apart. */
        int rc = store_put_pb(t->txn, dispatch_lawyers, l.id, strlen(l.id), &l.base, 0);
        if (rc) return rc;
        good[i] = 1;
        accepted++;
    }
    res->accepted = accepted;
    res->has_accepted = 1;
    uint32_t offered = 0;
    if (accepted > 0) {
        int rc = dispatch_import_version_bump(t);
        if (rc) return rc;
        Legalaid__LawyersImported *b =
            ARENA_NEW(t->arena, Legalaid__LawyersImported, legalaid__lawyers_imported__init);
        b->count = accepted;
        b->has_count = 1;
        b->pool_size = (uint32_t)store_count(t->txn, dispatch_lawyers);
        b->has_pool_size = 1;
        b->lawyers = arena_alloc(t->arena, accepted * sizeof *b->lawyers);
        for (size_t i = 0; i < in->n_lawyers; i++)
            if (good[i]) b->lawyers[b->n_lawyers++] = dispatch_import_published(t, in->lawyers[i]);
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_LAWYERS_IMPORTED;
        ev->lawyers_imported = b;
        rc = turn_emit(t, NULL, ev);
        if (rc) return rc;
        /* Offers open to a lawyer who is no longer active go to the next. */
        rc = dispatch_offer_revalidate(t);
        if (rc) return rc;
        /* New or freed capacity: the waiting cases, in the order of work. */
        rc = dispatch_offer_drain(t, &offered);
        if (rc) return rc;
    }
    log_info("lawyers imported accepted=%u rejected=%zu waiting_cases_offered=%u", accepted,
             res->n_rejected, offered);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
