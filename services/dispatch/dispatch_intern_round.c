/*
 * dispatch_intern_round.c - one round of the internship match over a
 * period as it stands (dispatch_intern_match.c does the matching):
 *
 *   who takes part   candidates registered and seeking (INTERN_REGISTERED);
 *                    those holding an offer, an acceptance or a confirmed
 *                    place keep it, and those who declined or let an offer
 *                    lapse are out
 *   what is open     each place's count less the candidates holding it;
 *                    none while its supervisor may not supervise now
 *                    (dispatch_intern_supervisor.c: the pool changed)
 *
 *   DISPATCH_INTERN_DRAFT    the rows only: who would get which place and
 *                            why, who is left and why, the places left
 *                            open; the fingerprint of the inputs
 *   DISPATCH_INTERN_PUBLISH  the same, and the offers made: each candidate
 *                            placed gets InternOffered with a reply
 *                            deadline of intern_reply_days working days
 *                            (a DISPATCH_DUE_INTERN entry lapses it); the
 *                            office gets InternMatchPublished
 *   DISPATCH_INTERN_REFILL   after a decline or a lapse in a published
 *                            period: the places freed go to the candidates
 *                            still seeking, by the same orders (offers
 *                            marked INTERN_REOFFER); nothing when none fits
 *
 * The fingerprint is a BLAKE2b hash of everything the round reads (the
 * candidates taking part, the places, their open slots, the supervisors'
 * fitness, the firms' counts): publishing names the draft's, so the office
 * publishes what it reviewed or is told that the input changed.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch_int.h"
#include "log.h"
#include "store.h"
#include "xalloc.h"

#define DISPATCH_INTERN_EVENT_LIST_MAX 50 /* candidates or places named in InternMatchPublished */

typedef struct round {
    turn_t *t;
    dispatch_intern_period_t p;
    dispatch_intern_match_t m;
    uint32_t *held;      /* per place: holding an offer, acceptance or confirmation */
    uint32_t *confirmed; /* per place */
    uint32_t *open;
    uint64_t *hosted;
    const char **supervisor; /* per place: the supervisor's name, when in the pool */
    unsigned char *unfit;
    Legalaid__InternStanding **cands;
} round_t;

static int dispatch_intern_round_inputs(round_t *r)
{
    turn_t *t = r->t;
    size_t np = r->p.n_places ? r->p.n_places : 1;
    r->held = arena_alloc(t->arena, np * sizeof *r->held);
    r->confirmed = arena_alloc(t->arena, np * sizeof *r->confirmed);
    r->open = arena_alloc(t->arena, np * sizeof *r->open);
    r->hosted = arena_alloc(t->arena, np * sizeof *r->hosted);
    r->supervisor = arena_alloc(t->arena, np * sizeof *r->supervisor);
    r->unfit = arena_alloc(t->arena, np);
    r->cands = arena_alloc(t->arena, (r->p.n_standings ? r->p.n_standings : 1) * sizeof *r->cands);
    for (size_t q = 0; q < r->p.n_places; q++) {
        const Legalaid__InternPlace *pl = r->p.places[q];
        dispatch_intern_store_count(&r->p, pl->id, &r->held[q], &r->confirmed[q]);
        int err;
        Legalaid__Lawyer *l;
        const char *why = dispatch_intern_supervisor_unfit(t, pl->supervisor_id, pl->firm, &l, &err);
        if (err) return err;
        r->supervisor[q] = l ? l->name : NULL;
        r->unfit[q] = why != NULL;
        if (why)
            log_warn("intern period=%s place=%s: supervisor %s %s; the place is not offered",
                     r->p.period, pl->id, pl->supervisor_id ? pl->supervisor_id : "-", why);
        r->open[q] = !why && pl->count > r->held[q] ? pl->count - r->held[q] : 0;
        r->hosted[q] = dispatch_intern_store_hosted(t, pl->firm);
    }
    size_t n = 0;
    for (size_t i = 0; i < r->p.n_standings; i++)
        if (r->p.standings[i]->state == LEGALAID__INTERN_STATE__INTERN_REGISTERED)
            r->cands[n++] = r->p.standings[i];
    r->m.n_cands = n;
    r->m.n_places = r->p.n_places;
    r->m.cands = r->cands;
    r->m.places = r->p.places;
    r->m.open = r->open;
    r->m.hosted = r->hosted;
    return 0;
}

static void dispatch_intern_round_hash(crypto_generichash_state *h, const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size(m);
    unsigned char small[1024];
    unsigned char *buf = n <= sizeof small ? small : xmalloc(n);
    protobuf_c_message_pack(m, buf);
    crypto_generichash_update(h, (const unsigned char *)&n, sizeof n);
    crypto_generichash_update(h, buf, n);
    if (buf != small) free(buf);
}

static const char *dispatch_intern_round_fingerprint(const round_t *r)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 8);
    for (size_t c = 0; c < r->m.n_cands; c++) dispatch_intern_round_hash(&h, &r->cands[c]->base);
    for (size_t q = 0; q < r->p.n_places; q++) {
        dispatch_intern_round_hash(&h, &r->p.places[q]->base);
        uint64_t facts[3] = {r->open[q], r->unfit[q], r->hosted[q]};
        crypto_generichash_update(&h, (const unsigned char *)facts, sizeof facts);
    }
    unsigned char out[8];
    crypto_generichash_final(&h, out, sizeof out);
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return arena_strdup(r->t->arena, hex);
}

static Legalaid__InternMatchRow *dispatch_intern_round_row(const round_t *r, uint32_t c)
{
    turn_t *t = r->t;
    const Legalaid__InternCandidate *cand = r->cands[c]->candidate;
    Legalaid__InternMatchRow *row =
        ARENA_NEW(t->arena, Legalaid__InternMatchRow, legalaid__intern_match_row__init);
    row->certificate = cand->certificate;
    row->name = cand->name;
    row->county = cand->county;
    row->has_reason = 1;
    if (r->m.placed[c] >= 0) {
        const dispatch_intern_pick_t *pk = &r->m.prefs[c][r->m.pick[c]];
        const Legalaid__InternPlace *pl = r->p.places[pk->place];
        row->place_id = pl->id;
        row->firm = pl->firm;
        row->reason = pk->kind;
        row->wish_rank = pk->rank;
        row->has_wish_rank = 1;
    } else {
        row->reason = r->m.why_not[c];
    }
    return row;
}

static Legalaid__InternPlaceRow *dispatch_intern_round_place(const round_t *r, uint32_t q,
                                                             uint32_t matched)
{
    turn_t *t = r->t;
    const Legalaid__InternPlace *pl = r->p.places[q];
    Legalaid__InternPlaceRow *row =
        ARENA_NEW(t->arena, Legalaid__InternPlaceRow, legalaid__intern_place_row__init);
    row->place_id = pl->id;
    row->firm = pl->firm;
    row->county = pl->county;
    row->count = pl->count;
    row->has_count = 1;
    row->filled = r->held[q] + matched;
    row->has_filled = 1;
    row->confirmed = r->confirmed[q];
    row->has_confirmed = 1;
    row->supervisor_id = pl->supervisor_id;
    row->supervisor_name = (char *)r->supervisor[q];
    if (r->unfit[q]) {
        row->reason = LEGALAID__INTERN_REASON__INTERN_SUPERVISOR_UNFIT;
        row->has_reason = 1;
    } else if (row->filled < pl->count) {
        row->reason = LEGALAID__INTERN_REASON__INTERN_NOT_WISHED;
        row->has_reason = 1;
    }
    return row;
}

/* Makes the offer of candidate c: the standing, its lapse, InternOffered. */
static int dispatch_intern_round_offer(round_t *r, uint32_t c, int refill)
{
    turn_t *t = r->t;
    const dispatch_intern_pick_t *pk = &r->m.prefs[c][r->m.pick[c]];
    const Legalaid__InternPlace *pl = r->p.places[pk->place];
    Legalaid__InternStanding *s = r->cands[c];
    const Legalaid__InternCandidate *cand = s->candidate;
    s->state = LEGALAID__INTERN_STATE__INTERN_OFFERED;
    s->has_state = 1;
    s->place_id = pl->id;
    s->firm = pl->firm;
    s->reason = refill ? LEGALAID__INTERN_REASON__INTERN_REOFFER : pk->kind;
    s->has_reason = 1;
    s->wish_rank = pk->rank;
    s->has_wish_rank = 1;
    s->offered_at = t->now;
    s->has_offered_at = 1;
    s->reply_by = dispatch_time_days_after(t, dispatch_config.intern_reply_days);
    s->has_reply_by = 1;
    s->has_answered_at = 0;
    s->starts_on = pl->starts_on;
    s->supervisor_name = (char *)r->supervisor[pk->place];
    s->contact_phone = pl->contact_phone;
    s->case_id = (char *)dispatch_intern_store_case_id(t, cand->period, cand->certificate);
    int rc = dispatch_intern_store_standing_put(t, s);
    if (rc) return rc;
    char id[DISPATCH_INTERN_KEY_MAX];
    int len = snprintf(id, sizeof id, "%s%c%s", cand->period, 0, cand->certificate);
    rc = due_put(t->txn, dispatch_due, s->reply_by, DISPATCH_DUE_INTERN, id, (size_t)len);
    if (rc) return rc;
    Legalaid__InternOffered *b =
        ARENA_NEW(t->arena, Legalaid__InternOffered, legalaid__intern_offered__init);
    b->standing = dispatch_intern_store_public(t, s);
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_INTERN_OFFERED;
    ev->intern_offered = b;
    Legalaid__Deadline *dl = turn_deadline(t, ev, "intern_reply", s->reply_by,
                                           LEGALAID__PARTY__CANDIDATE, s->case_id,
                                           "answer the internship offer", NULL);
    /* The lapse acts by itself and tells the candidate (InternLapsed). */
    dl->reminder_only = dl->has_reminder_only = 1;
    return turn_emit(t, s->case_id, ev);
}

static int dispatch_intern_round_published(round_t *r, Legalaid__InternMatchResult *res)
{
    turn_t *t = r->t;
    Legalaid__InternMatchPublished *b =
        ARENA_NEW(t->arena, Legalaid__InternMatchPublished, legalaid__intern_match_published__init);
    b->period = (char *)r->p.period;
    b->offers = res->offers;
    b->has_offers = 1;
    b->left = arena_alloc(t->arena, (res->n_rows ? res->n_rows : 1) * sizeof *b->left);
    b->empty = arena_alloc(t->arena, (res->n_places ? res->n_places : 1) * sizeof *b->empty);
    for (size_t i = 0; i < res->n_rows; i++) {
        if (res->rows[i]->place_id) continue;
        b->unplaced++;
        if (b->n_left < DISPATCH_INTERN_EVENT_LIST_MAX) b->left[b->n_left++] = res->rows[i];
    }
    for (size_t q = 0; q < res->n_places; q++) {
        const Legalaid__InternPlaceRow *pr = res->places[q];
        if (pr->filled >= pr->count) continue;
        b->unfilled += pr->count - pr->filled;
        if (b->n_empty < DISPATCH_INTERN_EVENT_LIST_MAX) b->empty[b->n_empty++] = res->places[q];
    }
    b->has_unplaced = b->has_unfilled = 1;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_INTERN_MATCH_PUBLISHED;
    ev->intern_match_published = b;
    log_info("intern period=%s published: offers=%u unplaced=%u unfilled=%u", r->p.period,
             b->offers, b->unplaced, b->unfilled);
    return turn_emit(t, NULL, ev);
}

int dispatch_intern_round(turn_t *t, const char *period, int mode, Legalaid__InternMatchResult **out)
{
    round_t r;
    memset(&r, 0, sizeof r);
    r.t = t;
    *out = NULL;
    int rc = dispatch_intern_store_load(t, period, &r.p);
    if (!rc) rc = dispatch_intern_round_inputs(&r);
    if (rc) return rc;
    if (mode == DISPATCH_INTERN_REFILL && !r.p.published) return 0;
    dispatch_intern_match_prepare(t->arena, &r.m);
    dispatch_intern_match_run(t->arena, &r.m);
    Legalaid__InternMatchResult *res =
        ARENA_NEW(t->arena, Legalaid__InternMatchResult, legalaid__intern_match_result__init);
    res->period = (char *)period;
    res->fingerprint = (char *)dispatch_intern_round_fingerprint(&r);
    res->published = r.p.published != NULL;
    res->has_published = 1;
    size_t np = r.p.n_places ? r.p.n_places : 1;
    uint32_t *matched = arena_alloc(t->arena, np * sizeof *matched);
    memset(matched, 0, np * sizeof *matched);
    res->rows = arena_alloc(t->arena, (r.m.n_cands ? r.m.n_cands : 1) * sizeof *res->rows);
    for (uint32_t c = 0; c < r.m.n_cands; c++) {
        res->rows[res->n_rows++] = dispatch_intern_round_row(&r, c);
        if (r.m.placed[c] >= 0) matched[r.m.placed[c]]++;
    }
    res->places = arena_alloc(t->arena, np * sizeof *res->places);
    for (uint32_t q = 0; q < r.p.n_places; q++)
        res->places[res->n_places++] = dispatch_intern_round_place(&r, q, matched[q]);
    if (mode != DISPATCH_INTERN_DRAFT) {
        for (uint32_t c = 0; c < r.m.n_cands; c++) {
            if (r.m.placed[c] < 0) continue;
            rc = dispatch_intern_round_offer(&r, c, mode == DISPATCH_INTERN_REFILL);
            if (rc) return rc;
            res->offers++;
        }
        res->has_offers = 1;
        if (mode == DISPATCH_INTERN_REFILL && res->offers)
            log_info("intern period=%s: %u places offered again", period, res->offers);
    }
    if (mode == DISPATCH_INTERN_PUBLISH) {
        Legalaid__InternMatchResult kept = LEGALAID__INTERN_MATCH_RESULT__INIT;
        kept.period = (char *)period;
        kept.fingerprint = res->fingerprint;
        kept.published = kept.has_published = 1;
        kept.offers = res->offers + (r.p.published ? r.p.published->offers : 0);
        kept.has_offers = 1;
        rc = dispatch_intern_store_published_put(t, &kept);
        if (!rc) rc = dispatch_intern_round_published(&r, res);
        if (rc) return rc;
        res->published = 1;
    }
    *out = res;
    return 0;
}
