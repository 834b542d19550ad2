/*
 * test-dispatch-intern.c - internship places through dispatch's real
 * turns (issue 19), on a generated year: 120 candidates (some not
 * seeking, some wishing only what nobody offers), 22 firms with 90 places
 * under supervisors from the pool. What is asserted is what the office
 * would see: bad rows named by index and field while the good go in, no
 * supervisor outside the rules, capacities held, a match with no blocking
 * pair (and the search finding one in a tampered match), the draft's
 * fingerprint guarding the publish, offers with their reply deadline,
 * accept, confirm, decline and lapse with the place offered again, and
 * the office's figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dispatch.h"
#include "dispatch_int.h"
#include "dispatchkit.h"
#include "testutil.h"

#define DAY_MS 86400000LL
#define PERIOD "2026"
#define N_CANDS 120
#define N_FIRMS 22
#define N_SLOTS 90
#define N_PLACES_MAX 90

static const char *const COUNTIES[] = {"昆都仑区", "青山区", "东河区", "九原区", "石拐区",
                                       "白云鄂博矿区", "土默特右旗", "固阳县", "达茂旗"};
#define N_COUNTIES (sizeof COUNTIES / sizeof COUNTIES[0])
static const char *const AREAS[] = {"民事", "刑事", "行政", "劳动", "婚姻家事", "公司"};
#define N_AREAS (sizeof AREAS / sizeof AREAS[0])
static const char *const EDUCATION[] = {"本科", "硕士", "博士", "专科"};

/* The generated year: records live here (the strings too). */
typedef struct year {
    char firm[N_FIRMS][64];
    Legalaid__InternPlace places[N_PLACES_MAX];
    Legalaid__InternPlace *place_list[N_PLACES_MAX];
    char place_id[N_PLACES_MAX][16], supervisor[N_PLACES_MAX][16];
    char *place_areas[N_PLACES_MAX][2];
    size_t n_places;
    Legalaid__InternCandidate cands[N_CANDS];
    Legalaid__InternCandidate *cand_list[N_CANDS];
    char cert[N_CANDS][32], name[N_CANDS][16], id[N_CANDS][19], phone[N_CANDS][12];
    char *wishes[N_CANDS][5];
} year_t;

typedef struct fixture {
    test_daemon_t td; /* first: see test_fixture_setup */
    year_t *y;
} fixture_t;

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* The pool: per firm, supervisors S<f>-<k> licensed 2015 (enough for its
 * places), a junior J<f> licensed 2023 (in the pool, too new to supervise) and a suspended X<f>. */
static void pool(daemon_t *d, year_t *y, const size_t *per_firm)
{
    dk_pool_t *p = calloc(1, sizeof *p);
    assert_non_null(p);
    static char ids[N_FIRMS * 8][48];
    size_t k = 0;
    for (size_t f = 0; f < N_FIRMS; f++) {
        for (size_t s = 0; s < per_firm[f]; s++) {
            snprintf(ids[k], sizeof ids[k], "S%zu-%zu", f, s);
            dk_lawyer(p, ids[k++], y->firm[f]);
        }
        snprintf(ids[k], sizeof ids[k], "J%zu", f);
        dk_lawyer(p, ids[k++], y->firm[f])->licence_date = "2023-06-01";
        snprintf(ids[k], sizeof ids[k], "X%zu", f);
        Legalaid__Lawyer *x = dk_lawyer(p, ids[k++], y->firm[f]);
        x->has_status = 1;
        x->status = LEGALAID__LAWYER_STATUS__SUSPENDED;
    }
    dk_import_ok(d, p);
    free(p);
}

static void make_year(daemon_t *d, year_t *y)
{
    uint32_t seed = 20261202;
    size_t per_firm[N_FIRMS] = {0};
    for (size_t f = 0; f < N_FIRMS; f++)
        snprintf(y->firm[f], sizeof y->firm[f], "包头第%zu律师事务所", f + 1);
    /* 90 slots: places of 1 or 2 interns, each under its own supervisor. */
    size_t slots = 0;
    while (slots < N_SLOTS) {
        size_t q = y->n_places++;
        size_t f = q % N_FIRMS;
        uint32_t count = (slots + 2 <= N_SLOTS && lcg(&seed) % 3 == 0) ? 2 : 1;
        Legalaid__InternPlace *pl = &y->places[q];
        legalaid__intern_place__init(pl);
        snprintf(y->place_id[q], sizeof y->place_id[q], "P%02zu", q);
        snprintf(y->supervisor[q], sizeof y->supervisor[q], "S%zu-%zu", f, per_firm[f]++);
        y->place_areas[q][0] = (char *)AREAS[lcg(&seed) % N_AREAS];
        y->place_areas[q][1] = (char *)AREAS[lcg(&seed) % N_AREAS];
        pl->period = PERIOD;
        pl->id = y->place_id[q];
        pl->firm = y->firm[f];
        pl->count = count;
        pl->has_count = 1;
        pl->areas = y->place_areas[q];
        pl->n_areas = strcmp(y->place_areas[q][0], y->place_areas[q][1]) ? 2 : 1;
        pl->county = (char *)COUNTIES[f % N_COUNTIES];
        pl->supervisor_id = y->supervisor[q];
        pl->contact_phone = "04722345678";
        pl->starts_on = "2026-04-01";
        y->place_list[q] = pl;
        slots += count;
    }
    pool(d, y, per_firm);
    for (size_t c = 0; c < N_CANDS; c++) {
        Legalaid__InternCandidate *k = &y->cands[c];
        legalaid__intern_candidate__init(k);
        snprintf(y->cert[c], sizeof y->cert[c], "A2026150%07zu", c);
        snprintf(y->name[c], sizeof y->name[c], "候选%03zu", c);
        char first17[18];
        snprintf(first17, sizeof first17, "1502031998%02zu%02zu%03zu", c % 12 + 1, c % 28 + 1, c);
        test_id_number(first17, y->id[c]);
        snprintf(y->phone[c], sizeof y->phone[c], "139%08zu", c);
        k->period = PERIOD;
        k->certificate = y->cert[c];
        k->name = y->name[c];
        k->id_number = y->id[c];
        k->phone = y->phone[c];
        k->county = (char *)COUNTIES[lcg(&seed) % N_COUNTIES];
        k->education = (char *)EDUCATION[lcg(&seed) % 4];
        k->registered_at = DK_T0 - (int64_t)(N_CANDS - c) * 60000;
        k->has_registered_at = 1;
        size_t n = 1 + lcg(&seed) % 5;
        for (size_t w = 0; w < n; w++) {
            uint32_t r = lcg(&seed) % 10;
            y->wishes[c][w] = r < 4   ? y->firm[lcg(&seed) % N_FIRMS]
                              : r < 9 ? (char *)AREAS[lcg(&seed) % N_AREAS]
                                      : "*";
        }
        if (c % 40 == 7) { /* wishes only what no firm offers */
            y->wishes[c][0] = "海事海商";
            n = 1;
        }
        k->wishes = y->wishes[c];
        k->n_wishes = n;
        if (c % 30 == 11) { /* registered, not seeking a place */
            k->practise = 0;
            k->has_practise = 1;
        }
        y->cand_list[c] = k;
    }
}

static int setup(void **state)
{
    int rc = test_fixture_setup(state, sizeof(fixture_t), &dispatch_service, DK_T0);
    if (rc) return rc;
    fixture_t *f = *state;
    f->y = calloc(1, sizeof *f->y);
    assert_non_null(f->y);
    make_year(f->td.d, f->y);
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    free(f->y);
    return test_fixture_teardown(state);
}

/* --- requests ------------------------------------------------------------------ */

static Legalaid__Reply *import_candidates(daemon_t *d, Legalaid__InternCandidate **list, size_t n)
{
    Legalaid__ImportCandidates in = LEGALAID__IMPORT_CANDIDATES__INIT;
    in.candidates = list;
    in.n_candidates = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_CANDIDATES;
    req.import_candidates = &in;
    return test_call_new(d, &req);
}

static Legalaid__Reply *import_places(daemon_t *d, Legalaid__InternPlace **list, size_t n)
{
    Legalaid__ImportPlaces in = LEGALAID__IMPORT_PLACES__INIT;
    in.places = list;
    in.n_places = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_PLACES;
    req.import_places = &in;
    return test_call_new(d, &req);
}

static void import_year(fixture_t *f)
{
    Legalaid__Reply *r = import_places(f->td.d, f->y->place_list, f->y->n_places);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->n_rejected, 0);
    assert_int_equal(r->import_result->accepted, f->y->n_places);
    legalaid__reply__free_unpacked(r, NULL);
    r = import_candidates(f->td.d, f->y->cand_list, N_CANDS);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->n_rejected, 0);
    assert_int_equal(r->import_result->accepted, N_CANDS);
    legalaid__reply__free_unpacked(r, NULL);
}

static Legalaid__Reply *match(daemon_t *d, int publish, const char *draft)
{
    Legalaid__InternMatch in = LEGALAID__INTERN_MATCH__INIT;
    in.period = PERIOD;
    in.publish = (protobuf_c_boolean)publish;
    in.has_publish = 1;
    in.draft = (char *)draft;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_INTERN_MATCH;
    req.intern_match = &in;
    return test_call_new(d, &req);
}

static Legalaid__Reply *answer(daemon_t *d, const char *cert, Legalaid__InternAnswerKind kind)
{
    Legalaid__InternAnswer in = LEGALAID__INTERN_ANSWER__INIT;
    in.period = PERIOD;
    in.certificate = (char *)cert;
    in.answer = kind;
    in.has_answer = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_INTERN_ANSWER;
    req.intern_answer = &in;
    return test_call_new(d, &req);
}

static Legalaid__Reply *status(daemon_t *d, const char *cert)
{
    Legalaid__InternQuery in = LEGALAID__INTERN_QUERY__INIT;
    in.period = PERIOD;
    in.certificate = (char *)cert;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_INTERN_QUERY;
    req.intern_query = &in;
    return test_call_new(d, &req);
}

static const Legalaid__InternStanding *standing_of(const Legalaid__Reply *r, const char *cert)
{
    for (size_t i = 0; i < r->intern_status->n_standings; i++)
        if (strcmp(r->intern_status->standings[i]->candidate->certificate, cert) == 0)
            return r->intern_status->standings[i];
    return NULL;
}

/* --- the stability check: the match's own orders, an independent search ------ */

typedef struct check {
    dispatch_intern_match_t m;
    Legalaid__InternStanding standings[N_CANDS];
    Legalaid__InternStanding *list[N_CANDS];
    uint32_t open[N_PLACES_MAX];
    uint64_t hosted[N_PLACES_MAX];
    int32_t placed[N_CANDS]; /* place index or -1, from the rows under test */
    size_t idx[N_CANDS];     /* into the year's candidates */
    arena_t arena;
} check_t;

static void check_init(check_t *k, const year_t *y)
{
    memset(k, 0, sizeof *k);
    arena_init(&k->arena);
    size_t n = 0;
    for (size_t c = 0; c < N_CANDS; c++) {
        if (y->cands[c].has_practise && !y->cands[c].practise) continue;
        legalaid__intern_standing__init(&k->standings[n]);
        k->standings[n].candidate = (Legalaid__InternCandidate *)&y->cands[c];
        k->list[n] = &k->standings[n];
        k->idx[n] = c;
        k->placed[n] = -1;
        n++;
    }
    for (size_t q = 0; q < y->n_places; q++) k->open[q] = y->places[q].count;
    k->m.n_cands = n;
    k->m.n_places = y->n_places;
    k->m.cands = k->list;
    k->m.places = (Legalaid__InternPlace *const *)y->place_list;
    k->m.open = k->open;
    k->m.hosted = k->hosted;
    dispatch_intern_match_prepare(&k->arena, &k->m);
}

static void check_take_rows(check_t *k, const year_t *y, const Legalaid__InternMatchResult *res)
{
    assert_int_equal(res->n_rows, k->m.n_cands);
    for (size_t i = 0; i < res->n_rows; i++) {
        const Legalaid__InternMatchRow *row = res->rows[i];
        size_t c = 0;
        while (c < k->m.n_cands && strcmp(y->cert[k->idx[c]], row->certificate) != 0) c++;
        assert_true(c < k->m.n_cands);
        k->placed[c] = -1;
        for (size_t q = 0; row->place_id && q < y->n_places; q++)
            if (strcmp(y->place_id[q], row->place_id) == 0) k->placed[c] = (int32_t)q;
        if (row->place_id) assert_true(k->placed[c] >= 0);
    }
}

/* The first blocking pair: a candidate and a place each would rather have
 * than what they got (a free slot, or a holder it ranks lower). 0: none. */
static int check_blocking(const check_t *k, uint32_t *bc, uint32_t *bp)
{
    for (uint32_t c = 0; c < k->m.n_cands; c++) {
        uint32_t mine = k->placed[c] >= 0
                            ? dispatch_intern_match_position(&k->m, c, (uint32_t)k->placed[c])
                            : UINT32_MAX;
        if (k->placed[c] >= 0) assert_int_not_equal(mine, UINT32_MAX); /* placed where wished */
        for (uint32_t i = 0; i < k->m.n_prefs[c] && i < mine; i++) {
            uint32_t p = k->m.prefs[c][i].place;
            uint32_t held = 0;
            int prefers = 0;
            for (uint32_t o = 0; o < k->m.n_cands; o++) {
                if (k->placed[o] != (int32_t)p) continue;
                held++;
                if (dispatch_intern_match_rank(&k->m, p, c) < dispatch_intern_match_rank(&k->m, p, o))
                    prefers = 1;
            }
            if (held < k->open[p] || prefers) {
                *bc = c;
                *bp = p;
                return 1;
            }
        }
    }
    return 0;
}

/* --- tests --------------------------------------------------------------------- */

/* Bad rows: named by index and field, the good ones kept. */
static void test_bad_rows_named(void **state)
{
    fixture_t *f = *state;
    year_t *y = f->y;
    Legalaid__InternCandidate bad[4];
    Legalaid__InternCandidate *list[6] = {&y->cands[0], &bad[0], &bad[1], &bad[2], &bad[3],
                                          &y->cands[1]};
    for (int i = 0; i < 4; i++) bad[i] = y->cands[2 + i];
    static char wrong[19];
    memcpy(wrong, y->id[2], sizeof wrong);
    wrong[17] = wrong[17] == '0' ? '1' : '0'; /* the check character */
    bad[0].id_number = wrong;
    bad[1].phone = NULL;
    bad[2].certificate = "A-1";
    bad[3].certificate = y->cert[0];          /* twice in the import */
    Legalaid__Reply *r = import_candidates(f->td.d, list, 6);
    test_assert_code(r, LEGALAID__CODE__OK);
    const Legalaid__ImportResult *res = r->import_result;
    assert_int_equal(res->accepted, 2);
    assert_int_equal(res->n_rejected, 4);
    const char *fields[] = {"candidates[1].id_number", "candidates[2].phone",
                            "candidates[3].certificate", "candidates[4].certificate"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(res->rejected[i]->index, i + 1);
        assert_string_equal(res->rejected[i]->field, fields[i]);
    }
    assert_non_null(strstr(res->rejected[3]->message, "twice"));
    legalaid__reply__free_unpacked(r, NULL);

    /* Supervisors outside the rules. */
    Legalaid__InternPlace p[6];
    Legalaid__InternPlace *pl[7] = {&y->places[0], &p[0], &p[1], &p[2], &p[3], &p[4], &p[5]};
    for (int i = 0; i < 6; i++) p[i] = y->places[1 + i];
    p[0].supervisor_id = "J1";           /* licensed 2023: under 3 years */
    p[1].supervisor_id = "X2";           /* suspended */
    p[2].supervisor_id = "S5-0";         /* another firm's lawyer */
    p[3].supervisor_id = "NOBODY";
    p[4].count = 0;
    p[5].supervisor_id = y->places[0].supervisor_id; /* would guide 3 or more */
    p[5].firm = y->places[0].firm;
    p[5].count = 2;
    r = import_places(f->td.d, pl, 7);
    test_assert_code(r, LEGALAID__CODE__OK);
    res = r->import_result;
    assert_int_equal(res->accepted, 1);
    assert_int_equal(res->n_rejected, 6);
    const char *pf[] = {"supervisor_id", "supervisor_id", "supervisor_id",
                        "supervisor_id", "count",         "supervisor_id"};
    const char *words[] = {"fewer years", "not active", "not a lawyer of this firm",
                           "not a lawyer of the pool", "count", "intern_supervisor_max"};
    for (int i = 0; i < 6; i++) {
        char want[64];
        snprintf(want, sizeof want, "places[%d].%s", i + 1, pf[i]);
        assert_string_equal(res->rejected[i]->field, want);
        if (!strstr(res->rejected[i]->message, words[i]))
            fail_msg("row %d: '%s' does not say '%s'", i, res->rejected[i]->message, words[i]);
    }
    legalaid__reply__free_unpacked(r, NULL);
}

/* The generated year: capacities held, supervisors within the rules, no
 * blocking pair; a tampered match has one. */
static void test_match_is_stable(void **state)
{
    fixture_t *f = *state;
    year_t *y = f->y;
    import_year(f);
    Legalaid__Reply *r = match(f->td.d, 0, NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    const Legalaid__InternMatchResult *res = r->intern_match;
    assert_false(res->published);
    assert_int_equal(strlen(res->fingerprint), 16);
    /* Capacities held. */
    uint32_t filled = 0, placed = 0, no_wish = 0;
    for (size_t q = 0; q < res->n_places; q++) {
        assert_true(res->places[q]->filled <= res->places[q]->count);
        filled += res->places[q]->filled;
        if (res->places[q]->filled < res->places[q]->count)
            assert_int_equal(res->places[q]->reason, LEGALAID__INTERN_REASON__INTERN_NOT_WISHED);
    }
    for (size_t i = 0; i < res->n_rows; i++) {
        if (res->rows[i]->place_id) placed++;
        if (res->rows[i]->reason == LEGALAID__INTERN_REASON__INTERN_NO_WISH_OPEN) no_wish++;
    }
    assert_int_equal(filled, placed);
    assert_true(placed >= 60); /* the generated wishes fill most of the 90 */
    assert_int_equal(no_wish, 3);   /* the three who wish only 海事海商 */
    assert_int_equal(res->n_rows, N_CANDS - 4); /* four not seeking */

    check_t *k = calloc(1, sizeof *k);
    assert_non_null(k);
    check_init(k, y);
    check_take_rows(k, y, res);
    uint32_t bc, bp;
    if (check_blocking(k, &bc, &bp))
        fail_msg("blocking pair: %s and place %s", y->cert[k->idx[bc]], y->place_id[bp]);

    /* Tampered: a candidate at their first wish moved out; the slot left free. */
    uint32_t victim = UINT32_MAX;
    for (uint32_t c = 0; c < k->m.n_cands && victim == UINT32_MAX; c++)
        if (k->placed[c] >= 0 &&
            dispatch_intern_match_position(&k->m, c, (uint32_t)k->placed[c]) == 0)
            victim = c;
    assert_int_not_equal(victim, UINT32_MAX);
    int32_t was = k->placed[victim];
    k->placed[victim] = -1;
    assert_true(check_blocking(k, &bc, &bp));
    assert_int_equal(bc, victim);
    k->placed[victim] = was;
    /* Tampered: two placed at their first wish swap places, one of them
     * never having wished the other's. */
    int swapped = 0;
    for (uint32_t a = 0; a < k->m.n_cands && !swapped; a++)
        for (uint32_t b = a + 1; b < k->m.n_cands && !swapped; b++) {
            if (k->placed[a] < 0 || k->placed[b] < 0 || k->placed[a] == k->placed[b]) continue;
            if (dispatch_intern_match_position(&k->m, a, (uint32_t)k->placed[a]) != 0) continue;
            if (dispatch_intern_match_position(&k->m, b, (uint32_t)k->placed[a]) != UINT32_MAX)
                continue;
            int32_t t = k->placed[a];
            k->placed[a] = k->placed[b];
            k->placed[b] = t;
            swapped = 1;
        }
    assert_true(swapped);
    assert_true(check_blocking(k, &bc, &bp));
    arena_destroy(&k->arena);
    free(k);
    legalaid__reply__free_unpacked(r, NULL);
}

/* Publishing names the draft; offers, answers, the lapse and re-offers. */
static void test_offers_answers_lapse(void **state)
{
    fixture_t *f = *state;
    year_t *y = f->y;
    import_year(f);
    Legalaid__Reply *d = match(f->td.d, 0, NULL);
    char fp[32];
    snprintf(fp, sizeof fp, "%s", d->intern_match->fingerprint);
    uint32_t placed = 0;
    for (size_t i = 0; i < d->intern_match->n_rows; i++)
        if (d->intern_match->rows[i]->place_id) placed++;
    legalaid__reply__free_unpacked(d, NULL);

    Legalaid__Reply *r = match(f->td.d, 1, NULL);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "intern_match.draft");
    legalaid__reply__free_unpacked(r, NULL);
    /* A candidate registered after the draft: the draft is stale. */
    Legalaid__InternCandidate late = y->cands[0];
    late.certificate = "A20261509999999";
    late.registered_at = DK_T0 - 1;
    Legalaid__InternCandidate *ll = &late;
    r = import_candidates(f->td.d, &ll, 1);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    r = match(f->td.d, 1, fp);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_non_null(strstr(r->error, fp));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(dk_head(f->td.d), 1); /* only the pool's import: nothing offered */

    d = match(f->td.d, 0, NULL);
    snprintf(fp, sizeof fp, "%s", d->intern_match->fingerprint);
    placed = 0;
    for (size_t i = 0; i < d->intern_match->n_rows; i++)
        if (d->intern_match->rows[i]->place_id) placed++;
    legalaid__reply__free_unpacked(d, NULL);
    r = match(f->td.d, 1, fp);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_true(r->intern_match->published);
    assert_int_equal(r->intern_match->offers, placed);
    legalaid__reply__free_unpacked(r, NULL);

    /* One InternOffered per candidate placed, with the reply deadline. */
    Legalaid__Batch *b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_INTERN_OFFERED);
    assert_int_equal(b->n_events, placed);
    const Legalaid__Event *ev = b->events[0];
    const Legalaid__InternStanding *s = ev->intern_offered->standing;
    assert_null(s->candidate->id_number);
    assert_non_null(s->candidate->phone);
    assert_string_equal(s->starts_on, "2026-04-01");
    assert_non_null(s->supervisor_name);
    char case_id[64];
    snprintf(case_id, sizeof case_id, "INT-%s-%s", PERIOD, s->candidate->certificate);
    assert_string_equal(ev->case_id, case_id);
    const Legalaid__Deadline *dl = dk_deadline(ev, "intern_reply");
    assert_non_null(dl);
    assert_int_equal(dl->owner, LEGALAID__PARTY__CANDIDATE);
    assert_string_equal(dl->owner_id, case_id);
    assert_true(dl->reminder_only);
    assert_true(dl->due_at >= DK_T0 + 5 * DAY_MS); /* five working days */
    char first[24], second[24], third[24], third_place[16];
    snprintf(first, sizeof first, "%s", b->events[0]->intern_offered->standing->candidate->certificate);
    snprintf(second, sizeof second, "%s", b->events[1]->intern_offered->standing->candidate->certificate);
    snprintf(third, sizeof third, "%s", b->events[2]->intern_offered->standing->candidate->certificate);
    snprintf(third_place, sizeof third_place, "%s", b->events[2]->intern_offered->standing->place_id);
    int64_t reply_by = dl->due_at;
    legalaid__batch__free_unpacked(b, NULL);
    b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_INTERN_MATCH_PUBLISHED);
    assert_int_equal(b->n_events, 1);
    assert_int_equal(b->events[0]->intern_match_published->offers, placed);
    assert_int_equal(b->events[0]->intern_match_published->unplaced, N_CANDS - 4 + 1 - placed);
    legalaid__batch__free_unpacked(b, NULL);

    /* Accept, then the firm confirms; confirming twice is refused. */
    r = answer(f->td.d, first, LEGALAID__INTERN_ANSWER_KIND__INTERN_ACCEPT);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->intern_status->standings[0]->state, LEGALAID__INTERN_STATE__INTERN_ACCEPTED);
    legalaid__reply__free_unpacked(r, NULL);
    r = answer(f->td.d, first, LEGALAID__INTERN_ANSWER_KIND__INTERN_CONFIRM);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->intern_status->standings[0]->state, LEGALAID__INTERN_STATE__INTERN_CONFIRMED);
    legalaid__reply__free_unpacked(r, NULL);
    r = answer(f->td.d, first, LEGALAID__INTERN_ANSWER_KIND__INTERN_CONFIRM);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    legalaid__reply__free_unpacked(r, NULL);
    r = answer(f->td.d, "A20260000000000", LEGALAID__INTERN_ANSWER_KIND__INTERN_ACCEPT);
    test_assert_code(r, LEGALAID__CODE__NOT_FOUND);
    legalaid__reply__free_unpacked(r, NULL);

    /* A decline frees the place: offered again, if anyone seeking wished it. */
    uint64_t head = dk_head(f->td.d);
    r = answer(f->td.d, second, LEGALAID__INTERN_ANSWER_KIND__INTERN_DECLINE);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->intern_status->standings[0]->state, LEGALAID__INTERN_STATE__INTERN_DECLINED);
    legalaid__reply__free_unpacked(r, NULL);
    b = dk_events(f->td.d, head, 0);
    assert_true(b->n_events >= 1);
    assert_int_equal(b->events[0]->body_case, LEGALAID__EVENT__BODY_INTERN_ANSWERED);
    assert_true(dk_met(b->events[0], "intern_reply"));
    for (size_t i = 1; i < b->n_events; i++) {
        assert_int_equal(b->events[i]->body_case, LEGALAID__EVENT__BODY_INTERN_OFFERED);
        const Legalaid__InternStanding *o = b->events[i]->intern_offered->standing;
        assert_int_equal(o->reason, LEGALAID__INTERN_REASON__INTERN_REOFFER);
        assert_string_not_equal(o->candidate->certificate, second);
    }
    legalaid__reply__free_unpacked(status(f->td.d, second), NULL);
    legalaid__batch__free_unpacked(b, NULL);

    /* Not answered by reply_by: the third offer lapses at the tick. */
    head = dk_head(f->td.d);
    clock_hold(reply_by - 1000);
    assert_int_equal(daemon_tick(f->td.d), 0);
    r = status(f->td.d, third);
    assert_int_equal(r->intern_status->standings[0]->state, LEGALAID__INTERN_STATE__INTERN_OFFERED);
    legalaid__reply__free_unpacked(r, NULL);
    clock_hold(reply_by + 1000);
    assert_int_equal(daemon_tick(f->td.d), 0);
    r = status(f->td.d, third);
    const Legalaid__InternStanding *t3 = r->intern_status->standings[0];
    assert_int_equal(t3->state, LEGALAID__INTERN_STATE__INTERN_LAPSED);
    assert_int_equal(t3->n_declined_places, 1);
    assert_string_equal(t3->declined_places[0], third_place);
    legalaid__reply__free_unpacked(r, NULL);
    b = dk_events(f->td.d, head, LEGALAID__EVENT__BODY_INTERN_LAPSED);
    assert_true(b->n_events >= 1); /* every open offer lapsed at once */
    legalaid__batch__free_unpacked(b, NULL);

    /* Every candidate offered at most once per place, never one they let go. */
    b = dk_events(f->td.d, 0, LEGALAID__EVENT__BODY_INTERN_OFFERED);
    for (size_t i = 0; i < b->n_events; i++)
        for (size_t j = i + 1; j < b->n_events; j++) {
            const Legalaid__InternStanding *x = b->events[i]->intern_offered->standing;
            const Legalaid__InternStanding *z = b->events[j]->intern_offered->standing;
            if (strcmp(x->candidate->certificate, z->candidate->certificate) == 0)
                assert_string_not_equal(x->place_id, z->place_id);
        }
    legalaid__batch__free_unpacked(b, NULL);
}

/* The office's figures, and a place whose supervisor left the pool. */
static void test_figures_and_supervisor_gone(void **state)
{
    fixture_t *f = *state;
    year_t *y = f->y;
    import_year(f);
    /* The first place's supervisor is suspended after the import. */
    dk_pool_t *p = calloc(1, sizeof *p);
    assert_non_null(p);
    Legalaid__Lawyer *l = dk_lawyer(p, y->supervisor[0], y->firm[0]);
    l->has_status = 1;
    l->status = LEGALAID__LAWYER_STATUS__SUSPENDED;
    dk_import_ok(f->td.d, p);
    free(p);
    Legalaid__Reply *d = match(f->td.d, 0, NULL);
    test_assert_code(d, LEGALAID__CODE__OK);
    const Legalaid__InternPlaceRow *p0 = NULL;
    for (size_t q = 0; q < d->intern_match->n_places; q++)
        if (strcmp(d->intern_match->places[q]->place_id, y->place_id[0]) == 0)
            p0 = d->intern_match->places[q];
    assert_non_null(p0);
    assert_int_equal(p0->filled, 0);
    assert_int_equal(p0->reason, LEGALAID__INTERN_REASON__INTERN_SUPERVISOR_UNFIT);
    for (size_t i = 0; i < d->intern_match->n_rows; i++)
        if (d->intern_match->rows[i]->place_id)
            assert_string_not_equal(d->intern_match->rows[i]->place_id, y->place_id[0]);
    char fp[32];
    snprintf(fp, sizeof fp, "%s", d->intern_match->fingerprint);
    uint32_t placed = 0;
    for (size_t i = 0; i < d->intern_match->n_rows; i++)
        if (d->intern_match->rows[i]->place_id) placed++;
    legalaid__reply__free_unpacked(d, NULL);
    legalaid__reply__free_unpacked(match(f->td.d, 1, fp), NULL);

    Legalaid__Reply *r = status(f->td.d, NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    const Legalaid__InternStatus *st = r->intern_status;
    assert_true(st->published);
    assert_int_equal(st->n_standings, N_CANDS);
    assert_int_equal(st->total->registered, N_CANDS - 4);
    assert_int_equal(st->total->offered, placed);
    assert_int_equal(st->total->looking, N_CANDS - 4 - placed);
    assert_int_equal(st->total->places, N_SLOTS);
    uint32_t sum = 0, places = 0, offered = 0;
    for (size_t i = 0; i < st->n_by_county; i++) sum += st->by_county[i]->registered;
    for (size_t i = 0; i < st->n_by_firm; i++) {
        places += st->by_firm[i]->places;
        offered += st->by_firm[i]->offered;
    }
    assert_int_equal(sum, N_CANDS - 4);
    assert_int_equal(places, N_SLOTS);
    assert_int_equal(offered, placed);
    /* Read masked: the ID number and phone of a person's record. */
    const Legalaid__InternStanding *s = standing_of(r, y->cert[0]);
    assert_non_null(s);
    assert_null(strstr(s->candidate->id_number, y->id[0] + 6));
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_rows_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_match_is_stable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offers_answers_lapse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figures_and_supervisor_gone, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
