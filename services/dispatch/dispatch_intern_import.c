/*
 * dispatch_intern_import.c - ImportCandidates and ImportPlaces: each bad
 * record reported by its index and field while the good ones go in, as
 * every import (legalaidctl maps the index back to the file's line).
 *
 * A candidate is keyed by period and certificate number: importing it
 * again updates who they are and their wishes, keeps when they first
 * registered (the match's last tie-break) and where they stand; "practise"
 * false (or true again) moves a candidate who is not holding an offer out
 * of the match (or back). The ID number is checked as an applicant's
 * (GB 11643) and kept sealed with the phone ("intern" is a sealed table).
 *
 * A place names its supervising lawyer, who must be fit now
 * (dispatch_intern_supervisor.c) and may guide at most
 * intern_supervisor_max interns over all the places of the period. A place
 * imported again may not shrink below the candidates holding it.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dispatch_int.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

#define DISPATCH_INTERN_TEXT_MAX 64
#define DISPATCH_INTERN_FIRM_MAX 128
#define DISPATCH_INTERN_WISHES_MAX 20
#define DISPATCH_INTERN_COUNT_MAX 50

const char *dispatch_intern_import_period_bad(const char *period)
{
    if (!period || !period[0]) return N_("is missing (the year of the placement, like 2026)");
    size_t n = strlen(period);
    if (n > 16) return N_("must be 1 to 16 letters, digits or '-'");
    for (size_t i = 0; i < n; i++) {
        char c = period[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-'))
            return N_("must be 1 to 16 letters, digits or '-'");
    }
    return NULL;
}

int dispatch_intern_import_period_refused(turn_t *t, Legalaid__Reply *reply, const char *field,
                                          const char *period)
{
    const char *why = dispatch_intern_import_period_bad(period);
    if (!why) return 0;
    turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, _("period %s"), _(why));
    return 1;
}

/* An office code: min to max of [A-Za-z0-9] (and '-' when dash). */
static int dispatch_intern_import_code(const char *s, size_t min, size_t max, int dash)
{
    size_t n = s ? strlen(s) : 0;
    if (n < min || n > max) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (dash && c == '-')))
            return 0;
    }
    return 1;
}

static int dispatch_intern_import_text(const char *s, size_t max, int required)
{
    if (!s) return !required;
    return !check_blank(s) && strlen(s) <= max;
}

static int dispatch_intern_import_list(char **v, size_t n, const char *name, const char **field,
                                       char *msg, size_t size)
{
    if (n > DISPATCH_INTERN_WISHES_MAX)
        return check_fail(field, name, msg, size, _("%s has %zu entries; at most %d"), name, n,
                          DISPATCH_INTERN_WISHES_MAX);
    for (size_t i = 0; i < n; i++)
        if (!dispatch_intern_import_text(v[i], DISPATCH_INTERN_TEXT_MAX, 1))
            return check_fail(field, name, msg, size, _("%s[%zu] must be 1 to %d bytes of text"),
                              name, i, DISPATCH_INTERN_TEXT_MAX);
    return 0;
}

static int dispatch_intern_import_candidate_check(const Legalaid__InternCandidate *c, int64_t now,
                                                  const char **field, char *msg, size_t size)
{
    const char *why = dispatch_intern_import_period_bad(c->period);
    if (why) return check_fail(field, "period", msg, size, _("period %s"), _(why));
    if (!dispatch_intern_import_code(c->certificate, 8, 24, 0))
        return check_fail(field, "certificate", msg, size,
                          _("certificate (the qualification certificate's number) must be 8 to 24 "
                            "letters and digits"));
    if (!dispatch_intern_import_text(c->name, DISPATCH_INTERN_TEXT_MAX, 1))
        return check_fail(field, "name", msg, size, _("name must be 1 to %d bytes of text"),
                          DISPATCH_INTERN_TEXT_MAX);
    if (!c->id_number) return check_fail(field, "id_number", msg, size, _("id_number is missing"));
    why = check_resident_id(c->id_number, now);
    if (why) return check_fail(field, "id_number", msg, size, _("id_number %s"), _(why));
    if (!c->phone)
        return check_fail(field, "phone", msg, size,
                          _("phone is missing: the candidate is told of the offer by SMS"));
    why = check_phone(c->phone);
    if (why) return check_fail(field, "phone", msg, size, _("phone %s"), _(why));
    if (!dispatch_intern_import_text(c->county, DISPATCH_INTERN_TEXT_MAX, 0))
        return check_fail(field, "county", msg, size, _("county must be 1 to %d bytes of text"),
                          DISPATCH_INTERN_TEXT_MAX);
    if (!dispatch_intern_import_text(c->education, DISPATCH_INTERN_TEXT_MAX, 0))
        return check_fail(field, "education", msg, size,
                          _("education must be 1 to %d bytes of text"), DISPATCH_INTERN_TEXT_MAX);
    if (dispatch_intern_import_list(c->wishes, c->n_wishes, "wishes", field, msg, size) < 0)
        return -1;
    if (c->has_registered_at && (c->registered_at <= 0 || c->registered_at > now))
        return check_fail(field, "registered_at", msg, size,
                          _("registered_at must be a time before now"));
    return 0;
}

int dispatch_intern_import_candidates(turn_t *t, const Legalaid__ImportCandidates *in,
                                      Legalaid__Reply *reply)
{
    if (in->n_candidates == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_candidates.candidates",
                  _("the import holds no candidates"));
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_candidates);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_candidates; i++) {
        const Legalaid__InternCandidate *c = in->candidates[i];
        const char *field;
        char msg[320];
        if (dispatch_intern_import_candidate_check(c, t->now, &field, msg, sizeof msg) < 0) {
            turn_import_reject(t, res, "candidates", i, field, msg);
            continue;
        }
        long twice = -1;
        for (size_t j = 0; j < i && twice < 0; j++)
            if (strcmp(in->candidates[j]->certificate, c->certificate) == 0 &&
                strcmp(in->candidates[j]->period, c->period) == 0)
                twice = (long)j;
        if (twice >= 0) {
            snprintf(msg, sizeof msg, _("certificate %s appears twice in this import (first at "
                                        "index %ld)"),
                     c->certificate, twice);
            turn_import_reject(t, res, "candidates", i, "certificate", msg);
            continue;
        }
        Legalaid__InternStanding *s;
        int rc = dispatch_intern_store_standing_get(t, c->period, c->certificate, &s);
        if (rc && rc != MDB_NOTFOUND) return rc;
        Legalaid__InternCandidate *kept =
            ARENA_NEW(t->arena, Legalaid__InternCandidate, legalaid__intern_candidate__init);
        *kept = *c;
        if (!s) {
            s = ARENA_NEW(t->arena, Legalaid__InternStanding, legalaid__intern_standing__init);
            s->state = LEGALAID__INTERN_STATE__INTERN_REGISTERED;
            s->has_state = 1;
            if (!kept->has_registered_at) kept->registered_at = t->now;
        } else {
            kept->registered_at = s->candidate->registered_at; /* the first registration */
        }
        kept->has_registered_at = 1;
        int seeking = !c->has_practise || c->practise;
        kept->practise = (protobuf_c_boolean)seeking;
        kept->has_practise = 1;
        if (!seeking && s->state == LEGALAID__INTERN_STATE__INTERN_REGISTERED)
            s->state = LEGALAID__INTERN_STATE__INTERN_NOT_SEEKING;
        else if (seeking && s->state == LEGALAID__INTERN_STATE__INTERN_NOT_SEEKING)
            s->state = LEGALAID__INTERN_STATE__INTERN_REGISTERED;
        s->candidate = kept;
        s->case_id = (char *)dispatch_intern_store_case_id(t, c->period, c->certificate);
        rc = dispatch_intern_store_standing_put(t, s);
        if (rc) return rc;
        accepted++;
    }
    res->accepted = accepted;
    res->has_accepted = 1;
    log_info("intern candidates imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}

/* The period's places and holders, loaded once per request and kept up to
 * date as places go in. */
typedef struct places_seen {
    dispatch_intern_period_t p;
    int loaded;
} places_seen_t;

static int dispatch_intern_import_place_check(turn_t *t, const Legalaid__InternPlace *pl,
                                              places_seen_t *seen, const char **field, char *msg,
                                              size_t size, int *err)
{
    *err = 0;
    const char *why = dispatch_intern_import_period_bad(pl->period);
    if (why) return check_fail(field, "period", msg, size, _("period %s"), _(why));
    if (!dispatch_intern_import_code(pl->id, 1, 32, 1))
        return check_fail(field, "id", msg, size,
                          _("id (the office's code of the place) must be 1 to 32 letters, digits "
                            "or '-'"));
    if (!dispatch_intern_import_text(pl->firm, DISPATCH_INTERN_FIRM_MAX, 1))
        return check_fail(field, "firm", msg, size, _("firm must be 1 to %d bytes of text"),
                          DISPATCH_INTERN_FIRM_MAX);
    if (!pl->has_count || pl->count < 1 || pl->count > DISPATCH_INTERN_COUNT_MAX)
        return check_fail(field, "count", msg, size, _("count must be 1 to %d interns (place %s)"),
                          DISPATCH_INTERN_COUNT_MAX, pl->id);
    if (dispatch_intern_import_list(pl->areas, pl->n_areas, "areas", field, msg, size) < 0)
        return -1;
    if (!dispatch_intern_import_text(pl->county, DISPATCH_INTERN_TEXT_MAX, 0))
        return check_fail(field, "county", msg, size, _("county must be 1 to %d bytes of text"),
                          DISPATCH_INTERN_TEXT_MAX);
    if (!pl->contact_phone)
        return check_fail(field, "contact_phone", msg, size,
                          _("contact_phone is missing: the firm is told who is coming by SMS"));
    why = check_phone(pl->contact_phone);
    if (why) return check_fail(field, "contact_phone", msg, size, _("contact_phone %s"), _(why));
    if (!pl->starts_on)
        return check_fail(field, "starts_on", msg, size,
                          _("starts_on (the internship's first day, YYYY-MM-DD) is missing"));
    why = check_date(pl->starts_on, NULL);
    if (why) return check_fail(field, "starts_on", msg, size, _("starts_on %s"), _(why));
    Legalaid__Lawyer *l;
    why = dispatch_intern_supervisor_unfit(t, pl->supervisor_id, pl->firm, &l, err);
    if (*err) return -1;
    if (why)
        return check_fail(field, "supervisor_id", msg, size, _("supervisor %s %s (place %s)"),
                          pl->supervisor_id ? pl->supervisor_id : "-", _(why), pl->id);
    if (!seen->loaded || strcmp(seen->p.period, pl->period) != 0) {
        *err = dispatch_intern_store_load(t, arena_strdup(t->arena, pl->period), &seen->p);
        if (*err) return -1;
        seen->loaded = 1;
    }
    uint32_t guided = 0, holders = 0;
    for (size_t q = 0; q < seen->p.n_places; q++) {
        const Legalaid__InternPlace *o = seen->p.places[q];
        if (strcmp(o->id, pl->id) != 0 && o->supervisor_id &&
            strcmp(o->supervisor_id, pl->supervisor_id) == 0)
            guided += o->count;
    }
    if (guided + pl->count > (uint32_t)dispatch_config.intern_supervisor_max)
        return check_fail(field, "supervisor_id", msg, size,
                          _("supervisor %s would guide %u interns in period %s; at most %lld "
                            "(intern_supervisor_max)"),
                          pl->supervisor_id, guided + pl->count, pl->period,
                          dispatch_config.intern_supervisor_max);
    uint32_t started;
    dispatch_intern_store_count(&seen->p, pl->id, &holders, &started);
    if (pl->count < holders)
        return check_fail(field, "count", msg, size,
                          _("place %s is held by %u candidates: count may not go below that"),
                          pl->id, holders);
    return 0;
}

/* Keeps the period's copy in step with a place that went in. */
static void dispatch_intern_import_seen(turn_t *t, places_seen_t *seen, Legalaid__InternPlace *pl)
{
    for (size_t q = 0; q < seen->p.n_places; q++)
        if (strcmp(seen->p.places[q]->id, pl->id) == 0) {
            seen->p.places[q] = pl;
            return;
        }
    Legalaid__InternPlace **more =
        arena_alloc(t->arena, (seen->p.n_places + 1) * sizeof *more);
    if (seen->p.n_places) memcpy(more, seen->p.places, seen->p.n_places * sizeof *more);
    more[seen->p.n_places++] = pl;
    seen->p.places = more;
}

int dispatch_intern_import_places(turn_t *t, const Legalaid__ImportPlaces *in,
                                  Legalaid__Reply *reply)
{
    if (in->n_places == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_places.places",
                  _("the import holds no places"));
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_places);
    places_seen_t seen;
    memset(&seen, 0, sizeof seen);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_places; i++) {
        Legalaid__InternPlace *pl = in->places[i];
        const char *field;
        char msg[400];
        int err;
        if (dispatch_intern_import_place_check(t, pl, &seen, &field, msg, sizeof msg, &err) < 0) {
            if (err) return err;
            turn_import_reject(t, res, "places", i, field, msg);
            continue;
        }
        int rc = dispatch_intern_store_place_put(t, pl);
        if (rc) return rc;
        dispatch_intern_import_seen(t, &seen, pl);
        accepted++;
    }
    res->accepted = accepted;
    res->has_accepted = 1;
    log_info("intern places imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
