/*
 * dispatch_intern_query.c - InternQuery: where a period stands, for the
 * office's own report: each candidate's standing (one, those in a state,
 * or all), each place with how many hold it and how many started, and
 * the figures by county (of the candidates) and by firm: registered
 * (seeking a place), offered now, accepted, confirmed, still looking
 * (registered and without a place: left by the match, or not yet matched).
 * A candidate who declined or let an offer lapse is counted under none of
 * offered, accepted, confirmed or looking: the office sees them in the
 * list by state.
 */
#include <string.h>

#include "dispatch_int.h"
#include "i18n.h"

typedef struct figures {
    Legalaid__InternFigure **rows;
    size_t n;
} figures_t;

static Legalaid__InternFigure *dispatch_intern_query_group(turn_t *t, figures_t *f,
                                                           const char *group, size_t max)
{
    const char *g = group && group[0] ? group : "-";
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->rows[i]->group, g) == 0) return f->rows[i];
    if (!f->rows) f->rows = arena_alloc(t->arena, (max ? max : 1) * sizeof *f->rows);
    Legalaid__InternFigure *r = ARENA_NEW(t->arena, Legalaid__InternFigure, legalaid__intern_figure__init);
    r->group = (char *)g;
    r->has_registered = r->has_places = r->has_offered = r->has_accepted = r->has_confirmed =
        r->has_looking = 1;
    f->rows[f->n++] = r;
    return r;
}

static void dispatch_intern_query_count(Legalaid__InternFigure *r, Legalaid__InternState s)
{
    switch (s) {
    case LEGALAID__INTERN_STATE__INTERN_NOT_SEEKING: return;
    case LEGALAID__INTERN_STATE__INTERN_REGISTERED: r->looking++; break;
    case LEGALAID__INTERN_STATE__INTERN_OFFERED: r->offered++; break;
    case LEGALAID__INTERN_STATE__INTERN_ACCEPTED: r->accepted++; break;
    case LEGALAID__INTERN_STATE__INTERN_CONFIRMED: r->confirmed++; break;
    default: break;
    }
    r->registered++;
}

int dispatch_intern_query_request(turn_t *t, const Legalaid__InternQuery *in, Legalaid__Reply *reply)
{
    if (dispatch_intern_import_period_refused(t, reply, "intern_query.period", in->period)) return 0;
    dispatch_intern_period_t p;
    int rc = dispatch_intern_store_load(t, in->period, &p);
    if (rc) return rc;
    int one = in->certificate && in->certificate[0];
    Legalaid__InternStatus *st =
        ARENA_NEW(t->arena, Legalaid__InternStatus, legalaid__intern_status__init);
    st->period = in->period;
    st->published = p.published != NULL;
    st->has_published = 1;
    st->standings = arena_alloc(t->arena, (p.n_standings ? p.n_standings : 1) * sizeof *st->standings);
    figures_t county = {0}, firm = {0};
    Legalaid__InternFigure *total =
        ARENA_NEW(t->arena, Legalaid__InternFigure, legalaid__intern_figure__init);
    total->group = "";
    total->has_registered = total->has_places = total->has_offered = total->has_accepted =
        total->has_confirmed = total->has_looking = 1;
    size_t groups = p.n_standings + p.n_places;
    for (size_t i = 0; i < p.n_standings; i++) {
        Legalaid__InternStanding *s = p.standings[i];
        if (one && strcmp(s->candidate->certificate, in->certificate) != 0) continue;
        if (in->has_state && in->state && s->state != in->state) continue;
        st->standings[st->n_standings++] = s;
        if (one) continue;
        dispatch_intern_query_count(dispatch_intern_query_group(t, &county, s->candidate->county,
                                                                groups),
                                    s->state);
        dispatch_intern_query_count(total, s->state);
        if (dispatch_intern_store_holds(s->state)) {
            Legalaid__InternFigure *f = dispatch_intern_query_group(t, &firm, s->firm, groups);
            dispatch_intern_query_count(f, s->state);
            f->registered--; /* by firm: what the firm holds, not who registered */
        }
    }
    if (one && st->n_standings == 0) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "intern_query.certificate",
                  _("no candidate with certificate %s in period %s"), in->certificate, in->period);
        return 0;
    }
    if (!one) {
        st->places = arena_alloc(t->arena, (p.n_places ? p.n_places : 1) * sizeof *st->places);
        for (size_t q = 0; q < p.n_places; q++) {
            const Legalaid__InternPlace *pl = p.places[q];
            Legalaid__InternPlaceRow *row =
                ARENA_NEW(t->arena, Legalaid__InternPlaceRow, legalaid__intern_place_row__init);
            row->place_id = pl->id;
            row->firm = pl->firm;
            row->county = pl->county;
            row->count = pl->count;
            row->supervisor_id = pl->supervisor_id;
            row->has_count = row->has_filled = row->has_confirmed = 1;
            for (size_t i = 0; i < p.n_standings; i++) {
                const Legalaid__InternStanding *s = p.standings[i];
                if (!s->place_id || strcmp(s->place_id, pl->id) != 0) continue;
                if (dispatch_intern_store_holds(s->state)) row->filled++;
                if (s->state == LEGALAID__INTERN_STATE__INTERN_CONFIRMED) row->confirmed++;
            }
            Legalaid__Lawyer *l = NULL;
            if (pl->supervisor_id && dispatch_pool_lawyer_get(t, pl->supervisor_id, &l) == 0 && l)
                row->supervisor_name = l->name;
            st->places[st->n_places++] = row;
            Legalaid__InternFigure *f = dispatch_intern_query_group(t, &firm, pl->firm, groups);
            f->places += pl->count;
            total->places += pl->count;
        }
        st->by_county = county.rows;
        st->n_by_county = county.n;
        st->by_firm = firm.rows;
        st->n_by_firm = firm.n;
        st->total = total;
    }
    reply->body_case = LEGALAID__REPLY__BODY_INTERN_STATUS;
    reply->intern_status = st;
    return 0;
}
